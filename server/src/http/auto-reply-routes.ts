import { Router } from 'express';
import * as v from 'valibot';
import { parseOrThrow } from '../errors';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { AutoReplySettings } from '../services/auto-replies/auto-reply-settings';
import type { QuickReplyService } from '../services/auto-replies/quick-reply-service';
import { requireAdmin as admins, requireAgent, requireJson } from './auth-routes';
import type { AuditRecorder } from '../services/personal-data/audit-log';

const ScopeSchema = v.pipe(v.string(), v.maxLength(60), v.regex(/^(quick-replies|rules|schedules|site:[a-z0-9][a-z0-9-]{0,39})$/, 'expected a scope'));
const SaveSchema = v.object({ value: v.unknown() });


/**
 * Quick replies for agents, and the auto-reply settings for admins:
 * `GET /conversations/:id/quick-replies`, `GET /auto-replies`,
 * `PUT /auto-replies/:scope` and `DELETE /auto-replies/:scope`.
 */
export function autoReplyRoutes(auth: AuthService, settings: AutoReplySettings, quickReplies: QuickReplyService, audit?: AuditRecorder): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const requireAdmin = admins('change auto-replies');

  router.get('/conversations/:id/quick-replies', agent, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ quickReplies: await quickReplies.forConversation(req.params.id, (req.agent as AgentIdentity).name) });
  });

  router.get('/auto-replies', agent, requireAdmin, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ settings: await settings.view() });
  });

  router.put('/auto-replies/:scope', agent, requireAdmin, requireJson, async (req, res) => {
    const scope = parseOrThrow(ScopeSchema, req.params.scope, 'scope');
    const body = parseOrThrow(SaveSchema, req.body);
    const setting = await settings.save(scope, body.value, (req.agent as AgentIdentity).id);
    await audit?.record(req.agent as AgentIdentity, 'auto_replies.saved', scope, { scope });
    res.json({ setting });
  });

  router.delete('/auto-replies/:scope', agent, requireAdmin, requireJson, async (req, res) => {
    const scope = parseOrThrow(ScopeSchema, req.params.scope, 'scope');
    const setting = await settings.reset(scope);
    await audit?.record(req.agent as AgentIdentity, 'auto_replies.reset', scope, { scope });
    res.json({ setting });
  });

  return router;
}
