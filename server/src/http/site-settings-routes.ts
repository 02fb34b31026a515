import { type Request, Router } from 'express';
import * as v from 'valibot';
import { parseOrThrow } from '../errors';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { AuditRecorder } from '../services/personal-data/audit-log';
import type { SiteSettings } from '../services/site-settings';
import { requireAdmin as admins, requireAgent, requireJson } from './auth-routes';

const SiteIdSchema = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a site id'));
const BodySchema = v.object({ value: v.unknown() });
/** A save names the `updatedAt` its draft was loaded with (null: the file's), so a later save by someone else is not overwritten. */
const SaveSchema = v.object({ value: v.unknown(), expectedUpdatedAt: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40)))) });
const LangSchema = v.optional(v.pipe(v.string(), v.maxLength(35)));


/**
 * The admins' editor of each site's survey, texts, looks and languages:
 * `GET /admin/sites`, `GET|PUT|DELETE /admin/sites/:siteId/survey` (a PUT with `expectedUpdatedAt`
 * answers 409 `conflict` when someone saved since) and
 * `POST /admin/sites/:siteId/survey/preview?lang=` (the widget's config for a draft).
 */
export function siteSettingsRoutes(auth: AuthService, settings: SiteSettings, audit?: AuditRecorder): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const requireAdmin = admins('edit sites');
  const siteId = (req: Request) => parseOrThrow(SiteIdSchema, req.params.siteId, 'siteId');

  router.get('/admin/sites', agent, requireAdmin, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ sites: await settings.list() });
  });

  router.get('/admin/sites/:siteId/survey', agent, requireAdmin, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ setting: await settings.view(siteId(req)) });
  });

  router.put('/admin/sites/:siteId/survey', agent, requireAdmin, requireJson, async (req, res) => {
    const id = siteId(req);
    const body = parseOrThrow(SaveSchema, req.body);
    const setting = await settings.save(id, body.value, (req.agent as AgentIdentity).id, body.expectedUpdatedAt);
    await audit?.record(req.agent as AgentIdentity, 'site.saved', id, { site: id });
    res.json({ setting });
  });

  router.delete('/admin/sites/:siteId/survey', agent, requireAdmin, requireJson, async (req, res) => {
    const id = siteId(req);
    const setting = await settings.reset(id);
    await audit?.record(req.agent as AgentIdentity, 'site.reset', id, { site: id });
    res.json({ setting });
  });

  router.post('/admin/sites/:siteId/survey/preview', agent, requireAdmin, requireJson, (req, res) => {
    const id = siteId(req);
    const lang = parseOrThrow(LangSchema, req.query.lang, 'lang');
    const body = parseOrThrow(BodySchema, req.body);
    res.setHeader('Cache-Control', 'no-store');
    res.json(settings.preview(id, body.value, lang));
  });

  return router;
}
