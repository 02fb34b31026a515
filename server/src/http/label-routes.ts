import { Router } from 'express';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { AuditRecorder } from '../services/personal-data/audit-log';
import type { ConsoleServices } from '../services/conversations/index';
import { requireAdmin, requireAgent, requireJson } from './auth-routes';

/**
 * The label catalogue: `GET /labels` for every agent; `POST /labels`,
 * `PUT /labels/:name` and `DELETE /labels/:name` for admins. Every change is
 * pushed to the agents' consoles.
 */
export function labelRoutes(auth: AuthService, services: ConsoleServices, audit?: AuditRecorder): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const admin = requireAdmin('edit labels');
  const announce = async () => services.notifier.labelsChanged(await services.labels.list());

  router.get('/labels', agent, async (_req, res) => {
    res.json({ labels: await services.labels.list() });
  });
  router.post('/labels', agent, admin, requireJson, async (req, res) => {
    const label = await services.labels.create(req.body);
    await audit?.record(req.agent as AgentIdentity, 'label.created', label.name, { color: label.color });
    await announce();
    res.status(201).json({ label });
  });
  router.put('/labels/:name', agent, admin, requireJson, async (req, res) => {
    const label = await services.labels.update(req.params.name, req.body);
    await audit?.record(req.agent as AgentIdentity, 'label.updated', label.name, { color: label.color });
    await announce();
    res.json({ label });
  });
  router.delete('/labels/:name', agent, admin, async (req, res) => {
    await services.labels.remove(req.params.name);
    await audit?.record(req.agent as AgentIdentity, 'label.deleted', String(req.params.name).slice(0, 100));
    await announce();
    res.status(204).end();
  });
  return router;
}
