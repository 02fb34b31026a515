import { existsSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Registry } from 'prom-client';
import compression from 'compression';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { ErrorCode, Limits, type UnreadSummary } from '../../../protocol/src/index';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { ROOT } from '../paths';
import type { AuthService } from '../services/auth-service';
import type { ConversationService } from '../services/conversations/conversation-service';
import type { ConsoleServices } from '../services/conversations/index';
import type { RateLimits } from '../services/limits/rate-limits';
import type { LoginThrottle } from '../services/login-throttle';
import { openApiRoutes } from './openapi';
import type { SiteDirectory } from '../services/site-directory';
import type { VisitorService } from '../services/visitor-service';
import { type Db, pingStore } from '../store/db';
import { agentRoutes } from './agent-routes';
import { authRoutes } from './auth-routes';
import { problemHandler } from './problem';
import { buildAssets, consolePage } from './static-assets';
import { type VisitorIdentityRoutes, visitorRoutes } from './visitor-routes';

export interface HttpDeps {
  log: Logger;
  db: Db;
  sites: SiteDirectory;
  auth: AuthService;
  visitors: VisitorService;
  conversations: ConversationService;
  console: ConsoleServices;
  secureCookies: boolean;
  /** Where the built bundles are (dist/public). */
  publicDir?: string;
  /** The unread badge of a returning visitor (follow-ups). */
  unread?: (contactId: string) => Promise<UnreadSummary>;
  /** Abuse limits on the visitor API (surveys, unread checks). */
  limits?: RateLimits;
  /** `ChatWidget.setUser` (verified) and `setAttributes`. */
  identity?: VisitorIdentityRoutes;
  /** Failed sign-ins per address and account (in Redis with REDIS_URL); a fresh in-memory one when absent. */
  loginThrottle?: LoginThrottle;
  /** More API routers (auto-replies, …), mounted under /api/v1 before the agents' catch-all. */
  extraRoutes?: Router[];
  /** Prometheus metrics at /metrics; behind `Authorization: Bearer <metricsToken>` when a token is set. */
  metrics?: { registry: Registry };
  metricsToken?: string;
  /** What /readyz checks besides the store (Redis, when configured): each answers or not. */
  readiness?: Record<string, () => Promise<boolean>>;
}

/** The Express app: APIs, health, the widget's assets, the demo site and the console. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.log));
  app.set('trust proxy', 'loopback');
  const publicDir = deps.publicDir ?? join(ROOT, 'dist/public');

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          // blob: the widget shows attachments it fetched with the visitor's token
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'upgrade-insecure-requests': deps.secureCookies ? [] : null,
        },
      },
      // HSTS and upgrade-insecure-requests only where the install is served over HTTPS (COOKIE_SECURE):
      // on a plain-HTTP LAN address they would send browsers to an https:// that does not exist
      strictTransportSecurity: deps.secureCookies,
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );

  // answers of 1 KB and more (the site config, inbox pages, search) as Brotli or gzip by Accept-Encoding; the
  // build's files arrive already encoded (Content-Encoding set), and those are left alone
  app.use(compression({ threshold: 1024, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }));

  app.get('/healthz', async (_req, res) => {
    const ok = await pingStore(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'store unavailable' });
  });
  // ready to take traffic: the store and every other service it needs answer (a load balancer's check)
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, boolean> = { store: await pingStore(deps.db) };
    for (const [name, check] of Object.entries(deps.readiness ?? {})) checks[name] = await check().catch(() => false);
    const ready = Object.values(checks).every(Boolean);
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  if (deps.metrics) {
    const { registry } = deps.metrics;
    const expected = deps.metricsToken ? Buffer.from(`Bearer ${deps.metricsToken}`) : null;
    app.get('/metrics', async (req, res) => {
      if (expected) {
        const given = Buffer.from(req.headers.authorization ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError(ErrorCode.Unauthorized, 'metrics need the bearer token');
      }
      res.setHeader('Cache-Control', 'no-store');
      res.type(registry.contentType).send(await registry.metrics());
    });
  }

  const api = express.Router();
  api.use(express.json({ limit: Limits.httpBodyBytes, type: ['application/json', 'application/*+json'] }));
  api.use(visitorRoutes(deps.sites, deps.visitors, deps.unread, deps.limits, deps.identity));
  api.use('/auth', authRoutes(deps.auth, deps.secureCookies, deps.loginThrottle));
  for (const router of deps.extraRoutes ?? []) api.use(router);
  api.use(agentRoutes(deps.auth, deps.console));
  api.use(() => {
    throw new AppError(ErrorCode.NotFound, 'no such API route');
  });
  app.use('/api/v1', api);
  // the REST API's OpenAPI document and reference page
  app.use('/api', openApiRoutes());

  // the widget is loaded by other sites' pages: its files are public and CORS-readable
  app.use(['/widget.js', '/widget'], (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    next();
  });
  app.use(buildAssets(publicDir));

  // the console's page for every client-side route; a missing file (a chunk of an older build) is a 404, not the page
  const page = consolePage(join(publicDir, 'console/index.html'));
  app.get(['/console', '/console/'], page);
  app.get('/console/{*rest}', (req, res, next) => (/\.\w+$/.test(req.path) ? next() : page(req, res, next)));
  app.use(express.static(join(ROOT, 'demo'), { index: 'index.html', extensions: ['html'] }));
  // the npm package's module as built (npm run build), for the demo's single-page shop
  app.use('/sdk', express.static(join(ROOT, 'sdk/dist'), { index: false }));

  if (!existsSync(join(publicDir, 'widget.js'))) deps.log.warn({ publicDir }, 'widget bundle missing: run npm run build');
  app.use(() => {
    throw new AppError(ErrorCode.NotFound, 'not found');
  });
  app.use(problemHandler(deps.log));
  return app;
}

/** The path of a request without its query, which may hold what a visitor or agent typed (a search). */
const pathOf = (req: IncomingMessage): string => String(req.url ?? '').split('?')[0] as string;

/**
 * One log line per request at its end: a request id (the client's `X-Request-Id` when it is a
 * plain token, else a new one, sent back in the answer), method, path without the query, status
 * and time; no bodies, cookies or queries, so no personal data. Health checks are not logged, the
 * build's files only at debug.
 */
function requestLog(log: Logger) {
  return pinoHttp({
    logger: log,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, path: pathOf(req) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => ['/healthz', '/readyz', '/metrics'].includes(pathOf(req)) },
    customLogLevel(req: IncomingMessage, res: ServerResponse, error?: Error) {
      if (error || res.statusCode >= 500) return 'error';
      return /^\/(widget|console)\/[^/]+\.\w+$|^\/widget\.js$/.test(pathOf(req)) ? 'debug' : 'info';
    },
  });
}
