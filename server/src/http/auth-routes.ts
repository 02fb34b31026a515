import { type NextFunction, type Request, type Response, Router } from 'express';
import { ErrorCode, SESSION_COOKIE } from '../../../protocol/src/index';
import { AppError } from '../errors';
import type { ApiKeyScope } from '../../../protocol/src/api-keys';
import type { AgentIdentity, AuthService, NewSession } from '../services/auth-service';
import { LoginThrottle } from '../services/login-throttle';
import { readCookie, sessionCookie } from './cookies';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in agent, or the agent an API key acts as (then with `apiKey`). */
    agent?: AgentIdentity & { apiKey?: { id: string; name: string; scopes: ApiKeyScope[] } };
  }
}

/**
 * Every agent route goes through this: a valid session cookie, or an API key
 * (`Authorization: Bearer parley_…`, docs/API.md) whose scopes allow the method: `read` for GET
 * and HEAD, `write` for the others. Changes need a JSON body, which a cross-site form cannot
 * send without CORS.
 */
export function requireAgent(auth: AuthService) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const agent = (await auth.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE))) ?? (await auth.apiKeys?.authenticate(req.headers.authorization));
    if (!agent) throw new AppError(ErrorCode.Unauthorized, req.headers.authorization ? 'unknown or revoked API key' : 'sign in first');
    req.agent = agent as Request['agent'];
    const key = req.agent?.apiKey;
    if (key) {
      const needed: ApiKeyScope = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
      if (!key.scopes.includes(needed)) throw new AppError(ErrorCode.Forbidden, `this API key lacks the ${needed} scope`);
    }
    next();
  };
}

/** Lets only admins through (and API keys with the admin scope); `what` finishes the refusal: "only admins may …". */
export function requireAdmin(what: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const agent = req.agent as NonNullable<Request['agent']>;
    if (agent.role !== 'admin') throw new AppError(ErrorCode.Forbidden, `only admins may ${what}`);
    if (agent.apiKey && !agent.apiKey.scopes.includes('admin')) throw new AppError(ErrorCode.Forbidden, `this API key lacks the admin scope: only admins may ${what}`);
    next();
  };
}

/** Mutating agent requests must carry JSON: plain cross-site forms cannot (CSRF). */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) throw new AppError(ErrorCode.InvalidPayload, 'send JSON');
  next();
}

/** Sign in, sign out, who am I, and the first admin's setup. */
export function authRoutes(auth: AuthService, secureCookies: boolean, throttle: LoginThrottle = new LoginThrottle()): Router {
  const router = Router();
  const start = (res: Response, session: NewSession, status: number) => {
    res.setHeader('Set-Cookie', sessionCookie(SESSION_COOKIE, session.cookie, session.maxAgeSeconds, secureCookies));
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).json(session.agent);
  };

  router.post('/login', requireJson, async (req, res) => {
    const address = req.ip ?? 'unknown';
    const email = (req.body as { email?: unknown } | undefined)?.email;
    await throttle.check(address, email);
    let session: NewSession;
    try {
      session = await auth.login(req.body, req.get('user-agent') ?? null);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.Unauthorized) await throttle.failed(address, email);
      throw error;
    }
    await throttle.succeeded(address, email);
    start(res, session, 200);
  });
  router.post('/setup', requireJson, async (req, res) => start(res, await auth.setup(req.body), 201));
  // an invited agent picks their name and password, and is signed in
  router.post('/invite', requireJson, async (req, res) => {
    if (!auth.invites) throw new AppError(ErrorCode.NotFound, 'no such API route');
    const agent = await auth.invites.accept(req.body);
    start(res, await auth.openSession(agent, req.get('user-agent') ?? null), 201);
  });
  router.post('/logout', requireJson, async (req, res) => {
    await auth.logout(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.setHeader('Set-Cookie', sessionCookie(SESSION_COOKIE, '', 0, secureCookies));
    res.status(204).end();
  });
  // where am I signed in: the agent's own sessions, and ending one of them
  router.get('/sessions', requireAgent(auth), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ sessions: await auth.sessions(req.agent as AgentIdentity) });
  });
  router.delete('/sessions/:id', requireAgent(auth), async (req, res) => {
    await auth.revoke(req.agent as AgentIdentity, String(req.params.id).slice(0, 64));
    res.status(204).end();
  });
  router.get('/me', requireAgent(auth), (req, res) => {
    const { sessionHash: _hidden, ...profile } = req.agent as AgentIdentity;
    res.setHeader('Cache-Control', 'no-store');
    res.json(profile);
  });
  return router;
}
