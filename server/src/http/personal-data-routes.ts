import { Router } from 'express';
import * as v from 'valibot';
import { IdSchema } from '../../../protocol/src/index';
import { parseOrThrow } from '../errors';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { AuditLog } from '../services/personal-data/audit-log';
import type { PersonalData } from '../services/personal-data/personal-data';
import { requireAdmin, requireAgent, requireJson } from './auth-routes';

const EraseSchema = v.object({
  /** Must be true: an erasure cannot be undone. */
  confirm: v.literal(true, 'confirm the erasure with "confirm": true'),
  reason: v.optional(v.pipe(v.string(), v.maxLength(500))),
});

/**
 * A contact's personal data, for admins: `GET /contacts/:id/export` (everything as a JSON file),
 * `POST /contacts/:id/erase` (`{ "confirm": true, "reason"? }`), and `GET /audit` (the audit log).
 */
export function personalDataRoutes(auth: AuthService, data: PersonalData, audit: AuditLog): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const me = (req: { agent?: AgentIdentity }) => req.agent as AgentIdentity;

  router.get('/contacts/:id/export', agent, async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'id');
    const body = await data.export(me(req), id);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="contact-${id}.json"`);
    res.json(body);
  });
  router.post('/contacts/:id/erase', agent, requireJson, async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'id');
    const input = parseOrThrow(EraseSchema, req.body);
    res.json({ erased: await data.erase(me(req), id, input.reason ?? null) });
  });
  router.get('/audit', agent, requireAdmin('read the audit log'), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ entries: await audit.latest(Number(req.query.limit) || 200) });
  });
  return router;
}
