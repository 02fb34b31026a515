import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { ErrorCode, SESSION_COOKIE } from '../../../protocol/src/index';
import { AppError } from '../errors';
import type { AttachmentService, Viewer } from '../services/attachments/attachment-service';
import { isImageType } from '../services/attachments/content-sniffer';
import { contentDisposition } from '../services/attachments/file-name';
import type { AuthService } from '../services/auth-service';
import type { RateLimits } from '../services/limits/rate-limits';
import type { SiteDirectory } from '../services/site-directory';
import type { VisitorService } from '../services/visitor-service';
import { requireAgent } from './auth-routes';
import { readCookie, selfOrigin } from './cookies';

/** The visitor's token from `Authorization: Bearer …`, if any. */
function bearerToken(req: Request): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

/** What an attachment response may do in a browser: nothing beyond showing itself. */
const DOWNLOAD_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

export interface AttachmentRouteDeps {
  auth: AuthService;
  visitors: VisitorService;
  sites: SiteDirectory;
  attachments: AttachmentService;
  /** Counts the bytes visitors upload per address and visitor (`limits.attachmentBytes`). */
  limits?: RateLimits;
}

/**
 * Attachments over HTTP. Uploads take the raw file bytes (not multipart) with
 * the name in `X-File-Name` (percent-encoded) and `?clientId=` for idempotency:
 * `POST /conversations/:id/attachments` for agents (session cookie) and
 * `POST /visitor/conversations/:id/attachments` for the visitor (Bearer token,
 * cross-origin from the sites' pages). `GET /attachments/:id` serves a file to
 * agents and to the conversation's own visitor only.
 */
export function attachmentRoutes(deps: AttachmentRouteDeps): Router {
  const { auth, visitors, sites, attachments, limits } = deps;
  const router = Router();
  const parser = express.raw({ type: () => true, limit: attachments.config.maxBytes });

  // the limit answers with the service's own words; the custom header also keeps plain cross-site forms out
  const rawBody: RequestHandler = (req, res, next) => {
    if (req.get('x-file-name') === undefined) return next(new AppError(ErrorCode.InvalidPayload, 'name the file in the X-File-Name header'));
    const declared = Number(req.get('content-length'));
    if (declared > attachments.config.maxBytes) return next(attachments.tooLarge());
    parser(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') return next(attachments.tooLarge());
      next(error);
    });
  };
  const bytesOf = (req: Request): Uint8Array => (Buffer.isBuffer(req.body) ? req.body : new Uint8Array());

  /** CORS for a visitor request, by the site of the conversation; refuses an origin the site does not allow. */
  const allowOrigin = (req: Request, res: Response, siteId: string | null): boolean => {
    const origin = req.headers.origin;
    const site = siteId ? sites.get(siteId) : undefined;
    if (!site || !sites.isOriginAllowed(site, origin, selfOrigin(req.headers, req.secure))) return false;
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    return true;
  };
  const preflight = (methods: string) => (_req: Request, res: Response) => {
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-File-Name');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };

  // who is asking is settled before the body is read: nobody unknown makes the server buffer a file
  router.post('/conversations/:id/attachments', requireAgent(auth), rawBody, async (req, res) => {
    const agent = req.agent as NonNullable<Request['agent']>;
    const request = { conversationId: req.params.id, clientId: req.query.clientId, fileName: req.get('x-file-name'), bytes: bytesOf(req) };
    const { message, created } = await attachments.upload(request, { type: 'agent', agentId: agent.id, name: agent.name });
    res.status(created ? 201 : 200).json({ message });
  });

  const visitorUpload = '/visitor/conversations/:id/attachments';
  router.options(visitorUpload, async (req, res) => {
    if (!allowOrigin(req, res, await attachments.siteOfConversation(String(req.params.id)))) throw new AppError(ErrorCode.Forbidden, 'this origin may not upload here');
    preflight('POST')(req, res);
  });
  router.post(visitorUpload, async (req: Request, res: Response, next: NextFunction) => {
    // CORS headers first, so the widget can read a refusal too
    allowOrigin(req, res, await attachments.siteOfConversation(String(req.params.id)));
    const visitor = await visitors.authenticate(bearerToken(req));
    if (!visitor) return next(new AppError(ErrorCode.Unauthorized, 'unknown visitor token'));
    rawBody(req, res, (error?: unknown) => {
      if (error) return next(error);
      const request = { conversationId: req.params.id, clientId: req.query.clientId, fileName: req.get('x-file-name'), bytes: bytesOf(req) };
      const who = { siteId: visitor.siteId, address: req.ip ?? '', contactId: visitor.contactId };
      Promise.resolve(limits?.visitor('attachmentBytes', who, Math.max(1, request.bytes.length)))
        .then(() => attachments.upload(request, { type: 'visitor', contactId: visitor.contactId, name: visitor.name }))
        .then(({ message, created }) => res.status(created ? 201 : 200).json({ message }), next);
    });
  });

  router.options('/attachments/:id', async (req, res) => {
    if (!allowOrigin(req, res, await attachments.siteOfAttachment(String(req.params.id)))) throw new AppError(ErrorCode.NotFound, 'no such attachment');
    preflight('GET')(req, res);
  });
  router.get('/attachments/:id', async (req, res) => {
    let viewer: Viewer;
    const bearer = bearerToken(req);
    if (bearer !== undefined) {
      const visitor = await visitors.authenticate(bearer);
      if (!visitor) throw new AppError(ErrorCode.Unauthorized, 'unknown visitor token');
      viewer = { type: 'visitor', contactId: visitor.contactId };
      allowOrigin(req, res, await attachments.siteOfAttachment(String(req.params.id)));
    } else {
      const agent = await auth.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE));
      if (!agent) throw new AppError(ErrorCode.Unauthorized, 'sign in first');
      viewer = { type: 'agent' };
    }
    const file = await attachments.download(req.params.id, viewer);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Content-Length', String(file.bytes.length));
    res.setHeader('Content-Disposition', contentDisposition(isImageType(file.type) ? 'inline' : 'attachment', file.name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Security-Policy', DOWNLOAD_CSP);
    res.append('Vary', 'Authorization, Cookie');
    res.end(file.bytes);
  });

  return router;
}
