import { Router } from 'express';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { AgentInvites } from '../services/agents/invites';
import type { AuditRecorder } from '../services/personal-data/audit-log';
import { requireAgent, requireJson } from './auth-routes';

/**
 * Admins invite agents by a one-time link: `POST /agents/invites` (`{ email, role? }`: 201 with the
 * invitation and its link, shown this once), `GET /agents/invites` (pending ones),
 * `DELETE /agents/invites/:id`. The invited person accepts at `POST /auth/invite` (auth-routes).
 */
export function inviteRoutes(auth: AuthService, invites: AgentInvites, audit?: AuditRecorder): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const me = (req: { agent?: unknown }) => req.agent as AgentIdentity;
  router.post('/agents/invites', agent, requireJson, async (req, res) => {
    const { invite, token } = await invites.create(me(req), req.body);
    await audit?.record(me(req), 'agent.invited', invite.id, { email: invite.email, role: invite.role });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ invite, link: `/console/invite?token=${token}` });
  });
  router.get('/agents/invites', agent, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ invites: await invites.pending(me(req)) });
  });
  router.delete('/agents/invites/:id', agent, async (req, res) => {
    await invites.revoke(me(req), String(req.params.id));
    await audit?.record(me(req), 'agent.invite_revoked', String(req.params.id).slice(0, 64), null);
    res.status(204).end();
  });
  return router;
}
