import { Router } from 'express';
import { WebhookEventTypes } from '../../../protocol/src/webhooks';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { WebhookService } from '../services/webhooks/webhook-service';
import { requireAdmin, requireAgent, requireJson } from './auth-routes';

/**
 * Webhook endpoints, for admins only: `GET /webhooks`, `POST /webhooks` (the answer carries the
 * signing secret, shown this once), `GET|PATCH|DELETE /webhooks/:id`, `GET /webhooks/:id/deliveries`,
 * `POST /webhooks/:id/deliveries/:delivery/resend`, and `GET /webhooks/event-types`.
 */
export function webhookRoutes(auth: AuthService, webhooks: WebhookService): Router {
  const router = Router();
  const guard = [requireAgent(auth), requireAdmin('manage webhooks')];
  const actor = (agent: unknown) => ({ id: (agent as AgentIdentity).id, name: (agent as AgentIdentity).name });

  router.get('/webhooks/event-types', ...guard, (_req, res) => {
    res.json({ eventTypes: WebhookEventTypes });
  });
  router.get('/webhooks', ...guard, async (_req, res) => {
    res.json({ endpoints: await webhooks.list() });
  });
  router.post('/webhooks', ...guard, requireJson, async (req, res) => {
    const created = await webhooks.create(actor(req.agent), req.body);
    res.status(201).set('Cache-Control', 'no-store').json(created);
  });
  router.get('/webhooks/:id', ...guard, async (req, res) => {
    res.json({ endpoint: await webhooks.get(req.params.id as string) });
  });
  router.patch('/webhooks/:id', ...guard, requireJson, async (req, res) => {
    res.json({ endpoint: await webhooks.update(actor(req.agent), req.params.id as string, req.body) });
  });
  router.delete('/webhooks/:id', ...guard, async (req, res) => {
    await webhooks.remove(actor(req.agent), req.params.id as string);
    res.status(204).end();
  });
  router.get('/webhooks/:id/deliveries', ...guard, async (req, res) => {
    res.json({ deliveries: await webhooks.deliveries(req.params.id as string, Number(req.query.limit ?? 50)) });
  });
  router.post('/webhooks/:id/deliveries/:delivery/resend', ...guard, async (req, res) => {
    res.json({ delivery: await webhooks.resend(actor(req.agent), req.params.id as string, req.params.delivery as string) });
  });
  return router;
}
