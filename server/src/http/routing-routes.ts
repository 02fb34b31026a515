import { Router } from 'express';
import { IdSchema } from '../../../protocol/src/index';
import { parseOrThrow } from '../errors';
import type { AgentDirectory } from '../services/routing/agent-directory';
import type { AssignmentService } from '../services/routing/assignment-service';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { PresenceService } from '../services/routing/presence-service';
import { requireAgent, requireJson } from './auth-routes';
import type { AuditLog } from '../services/personal-data/audit-log';

/**
 * Agents, teams and hand-offs over HTTP: `GET /agents`, `POST /agents` and
 * `PATCH /agents/:id` (admins), `GET /teams`, `POST /presence`, and
 * `POST /conversations/:id/{close,reopen,claim,assign,transfer}`.
 */
export function routingRoutes(auth: AuthService, directory: AgentDirectory, assignments: AssignmentService, presence: PresenceService, audit?: AuditLog): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const me = (req: { agent?: AgentIdentity }) => req.agent as AgentIdentity;

  router.get('/agents', agent, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ agents: await directory.list() });
  });
  router.post('/agents', agent, requireJson, async (req, res) => {
    const created = await directory.create(me(req), req.body);
    await audit?.record(me(req), 'agent.created', created.id, { name: created.name, role: created.role });
    res.status(201).json(created);
  });
  router.patch('/agents/:id', agent, requireJson, async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'id');
    const updated = await directory.update(me(req), id, req.body);
    // role changes and deactivations go to the audit log, after they took effect
    const body = req.body as { role?: unknown; active?: unknown; password?: unknown };
    if (body.role !== undefined) await audit?.record(me(req), 'agent.role', id, { role: updated.role });
    if (body.active !== undefined) await audit?.record(me(req), updated.active ? 'agent.reactivate' : 'agent.deactivate', id, { name: updated.name });
    if (body.password !== undefined) await audit?.record(me(req), 'agent.password', id, null);
    const other = Object.keys(req.body as object).filter((k) => !['role', 'active', 'password'].includes(k));
    if (other.length) await audit?.record(me(req), 'agent.updated', id, { name: updated.name, changed: other });
    res.json(updated);
  });
  router.get('/teams', agent, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ teams: await directory.teams() });
  });
  router.post('/presence', agent, requireJson, async (req, res) => {
    res.json({ presence: await presence.set(me(req), req.body) });
  });
  const actions = { close: 'close', reopen: 'reopen', claim: 'claim', assign: 'assign', transfer: 'transfer' } as const;
  for (const action of Object.values(actions)) {
    router.post(`/conversations/:id/${action}`, agent, requireJson, async (req, res) => {
      const body = { ...(typeof req.body === 'object' && req.body ? req.body : {}), conversationId: req.params.id };
      res.json({ conversation: await assignments[action](me(req), body) });
    });
  }
  return router;
}
