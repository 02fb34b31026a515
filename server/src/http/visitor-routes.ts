import { type Request, type Response, Router } from 'express';
import { ErrorCode } from '../../../protocol/src/index';
import { AppError } from '../errors';
import type { SiteDirectory } from '../services/site-directory';
import type { VisitorService } from '../services/visitor-service';
import { selfOrigin } from './cookies';

/** The widget's HTTP API: public site config and the survey that starts a chat. Cross-origin by design. */
export function visitorRoutes(sites: SiteDirectory, visitors: VisitorService): Router {
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

  router.get('/sites/:siteId/config', (req, res) => {
    const { id, site: found } = site(req, res);
    const lang = typeof req.query.lang === 'string' ? req.query.lang.slice(0, 35) : undefined;
    res.setHeader('Cache-Control', 'no-cache');
    res.json(sites.publicConfig(id, found, lang));
  });

  router.post('/sites/:siteId/conversations', async (req, res) => {
    const { id } = site(req, res);
    if (!req.is('application/json')) throw new AppError(ErrorCode.InvalidPayload, 'send JSON');
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const result = await visitors.start(id, req.body, bearer);
    res.status(201).json(result);
  });

  return router;
}
