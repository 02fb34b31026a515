import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import express, { type Request, type Response, Router } from 'express';
import { ErrorCode, type UnreadSummary } from '../../../protocol/src/index';
import { AppError } from '../errors';
import { limitTexts } from '../i18n/widget-texts';
import type { RateLimits } from '../services/limits/rate-limits';
import type { SiteDirectory } from '../services/site-directory';
import type { VisitorService } from '../services/visitor-service';
import type { VisitorIdentityService } from '../services/identity/visitor-identity';
import { selfOrigin } from './cookies';
import { acceptedEncoding } from './static-assets';

/** Bodies already compressed, by ETag and encoding; cleared when full (a site's config changes rarely). */
const compressed = new Map<string, Buffer>();

/**
 * The body compressed at the highest levels (Brotli 11, gzip 9) once per version and encoding, for a
 * client that accepts it: the config is asked for by every visitor who opens the chat, and counts
 * against the widget's budget as served. Undefined when the client takes neither encoding.
 */
function compressedOnce(req: Request, res: Response, etag: string, body: string): Buffer | undefined {
  const encoding = acceptedEncoding(req, res)?.name;
  if (!encoding) return undefined;
  const key = `${encoding}${etag}`;
  let bytes = compressed.get(key);
  if (!bytes) {
    bytes =
      encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body) } })
        : gzipSync(body, { level: 9 });
    if (compressed.size >= 500) compressed.clear();
    compressed.set(key, bytes);
  }
  res.setHeader('Content-Encoding', encoding);
  return bytes;
}

/** The visitor's token from `Authorization: Bearer …`, if any. */
function bearerToken(req: Request): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

/** The page's identity calls: `ChatWidget.setUser` with a hash, and `setAttributes` (saved and announced by the console's profile service). */
export interface VisitorIdentityRoutes {
  service: VisitorIdentityService;
  setAttributes(contactId: string, attributes: Record<string, unknown>): Promise<void>;
}

/**
 * The widget's HTTP API: public site config and the survey that starts a chat. Cross-origin by design.
 * With `limits`, surveys (valid or not) and unread checks are counted per address (`req.ip`) and visitor.
 */
export function visitorRoutes(
  sites: SiteDirectory,
  visitors: VisitorService,
  unread?: (contactId: string) => Promise<UnreadSummary>,
  limits?: RateLimits,
  identity?: VisitorIdentityRoutes,
): Router {
  const router = Router();

  const site = (req: Request, res: Response) => {
    const id = String(req.params.siteId);
    const found = sites.get(id);
    if (!found) throw new AppError(ErrorCode.NotFound, `no site ${id}`);
    const origin = req.headers.origin;
    if (!sites.isOriginAllowed(found, origin, selfOrigin(req.headers, req.secure))) {
      throw new AppError(ErrorCode.Forbidden, 'this origin may not embed the widget of this site');
    }
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    return { id, site: found };
  };

  router.options('/sites/:siteId/{*rest}', (req, res) => {
    site(req, res);
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  /**
   * Sends a JSON body the browser keeps and revalidates on every use (ETag, 304), so an owner's change
   * shows on the next page load and an unchanged answer costs no body.
   */
  const revalidated = (req: Request, res: Response, value: unknown, personal: boolean): void => {
    const body = JSON.stringify(value);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    res.setHeader('Cache-Control', personal ? 'private, no-cache' : 'no-cache');
    res.setHeader('Vary', 'Origin, Authorization');
    res.setHeader('ETag', etag);
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json');
    const encoded = body.length >= 1024 ? compressedOnce(req, res, etag, body) : undefined;
    res.send(encoded ?? body);
  };
  const language = (req: Request): string | undefined => (typeof req.query.lang === 'string' ? req.query.lang.slice(0, 200) : undefined);

  // What the loader needs before the visitor shows any interest: the launcher's looks and names.
  router.get('/sites/:siteId/launcher', (req, res) => {
    const { site: found } = site(req, res);
    revalidated(req, res, sites.publicLauncher(found, language(req)), false);
  });

  // The survey and every widget text, asked for on intent with the app. With the visitor's token it
  // also names the fields they answered before: private.
  router.get('/sites/:siteId/config', async (req, res) => {
    const { id, site: found } = site(req, res);
    const bearer = bearerToken(req);
    const known = bearer === undefined ? undefined : await visitors.knownFields(id, bearer);
    revalidated(req, res, sites.publicConfig(id, found, language(req), known), bearer !== undefined);
  });

  // The loader asks this for a browser that has chatted before, without loading the app: the token
  // comes as a text/plain body, so the cross-origin request needs no preflight, and nothing caches it.
  router.post('/sites/:siteId/unread', express.text({ type: 'text/plain', limit: 512 }), async (req, res) => {
    const { id, site: found } = site(req, res);
    res.setHeader('Cache-Control', 'no-store');
    if (!unread) throw new AppError(ErrorCode.NotFound, 'no such API route');
    const who = await visitors.authenticate(typeof req.body === 'string' ? req.body.trim() : undefined);
    await limits?.visitor('unreadChecks', { siteId: id, address: req.ip ?? '', contactId: who?.siteId === id ? who.contactId : null });
    if (!who || who.siteId !== id) throw new AppError(ErrorCode.Unauthorized, 'unknown visitor token');
    res.json({ ...(await unread(who.contactId)), texts: sites.badgeTexts(found, language(req)) });
  });

  router.post('/sites/:siteId/conversations', async (req, res) => {
    const { id, site: found } = site(req, res);
    const bearer = bearerToken(req);
    if (limits) {
      // counted before the survey is checked: a script trying answers is a script starting chats
      const known = bearer === undefined ? null : await visitors.authenticate(bearer);
      const asked = (req.body as { language?: unknown } | undefined)?.language;
      const lang = sites.negotiateLanguage(found, typeof asked === 'string' ? asked.slice(0, 35) : undefined);
      const who = { siteId: id, address: req.ip ?? '', contactId: known?.siteId === id ? known.contactId : null };
      await limits.visitor('conversations', who, 1, limitTexts(lang).tooManyChats);
    }
    if (!req.is('application/json')) throw new AppError(ErrorCode.InvalidPayload, 'send JSON');
    const result = await visitors.start(id, req.body, bearer, req.get('user-agent'));
    res.status(201).json(result);
  });

  /** The page's identity calls: counted per address and visitor, JSON only, never cached; `run` gets the site and the visitor's token. */
  const identityRoute = (path: string, run: (id: string, bearer: string | undefined, req: Request, res: Response) => Promise<void>) =>
    router.post(`/sites/:siteId/${path}`, async (req, res) => {
      const { id } = site(req, res);
      res.setHeader('Cache-Control', 'no-store');
      if (!identity) throw new AppError(ErrorCode.NotFound, 'no such API route');
      const bearer = bearerToken(req);
      if (limits) {
        const known = bearer === undefined ? null : await visitors.authenticate(bearer);
        await limits.visitor('identity', { siteId: id, address: req.ip ?? '', contactId: known?.siteId === id ? known.contactId : null });
      }
      if (!req.is('application/json')) throw new AppError(ErrorCode.InvalidPayload, 'send JSON');
      await run(id, bearer, req, res);
    });

  // `ChatWidget.setUser({ id, identifierHash, … })`: this browser becomes (or joins) the site's user
  identityRoute('identify', async (id, bearer, req, res) => {
    res.json(await identity!.service.identify(id, req.body, bearer));
  });

  // `ChatWidget.setAttributes({...})`: the visitor's custom attributes (null removes one)
  identityRoute('attributes', async (id, bearer, req, res) => {
    const { contactId, attributes } = await identity!.service.contactForAttributes(id, bearer, req.body);
    await identity!.setAttributes(contactId, attributes as Record<string, unknown>);
    res.status(204).end();
  });

  return router;
}
