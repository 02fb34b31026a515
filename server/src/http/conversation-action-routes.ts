import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { AssignmentService } from '../services/routing/assignment-service';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { ConversationService } from '../services/conversations/conversation-service';
import type { ConsoleServices } from '../services/conversations/index';
import { requireAgent, requireJson } from './auth-routes';

/**
 * What an agent does to a conversation, over HTTP for programs (API keys) as the console does it
 * over its socket, with the same services, checks and announcements:
 * `POST /conversations/:id/{close,reopen,claim}`, `POST /conversations/:id/assign` (`{ agentId }`),
 * `POST /conversations/:id/transfer` (`{ teamId | agentId, note? }`), `POST /conversations/:id/labels`
 * (`{ add?, remove? }`), `POST /conversations/:id/notes` (`{ text }`, with an `Idempotency-Key` header or a
 * `clientId`), and
 * `PATCH /contacts/:id/attributes` (`{ attributes }`).
 */
export function conversationActionRoutes(auth: AuthService, services: ConsoleServices, assignments: AssignmentService, conversations: ConversationService): Router {
  const router = Router();
  const agent = requireAgent(auth);
  const me = (req: { agent?: unknown }) => req.agent as AgentIdentity;
  const body = (req: { body?: unknown }): Record<string, unknown> => (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {});

  for (const action of ['close', 'reopen', 'claim'] as const)
    router.post(`/conversations/:id/${action}`, agent, requireJson, async (req, res) => {
      res.json({ conversation: await assignments[action](me(req), { conversationId: req.params.id }) });
    });
  router.post('/conversations/:id/assign', agent, requireJson, async (req, res) => {
    res.json({ conversation: await assignments.assign(me(req), { ...body(req), conversationId: req.params.id }) });
  });
  router.post('/conversations/:id/transfer', agent, requireJson, async (req, res) => {
    res.json({ conversation: await assignments.transfer(me(req), { ...body(req), conversationId: req.params.id }) });
  });
  router.post('/conversations/:id/labels', agent, requireJson, async (req, res) => {
    const edit = await services.labels.editConversation(me(req), { ...body(req), id: req.params.id });
    if (edit.added.length + edit.removed.length > 0) await conversations.announce(edit.row, false);
    res.json({ labels: edit.labels });
  });
  // a retried POST with the same Idempotency-Key (or clientId) adds the note once
  router.post('/conversations/:id/notes', agent, requireJson, async (req, res) => {
    const clientId = body(req).clientId ?? req.get('idempotency-key') ?? randomUUID();
    res.status(201).json({ note: await services.notes.add(me(req), { ...body(req), clientId, conversationId: req.params.id }) });
  });
  router.patch('/contacts/:id/attributes', agent, requireJson, async (req, res) => {
    const id = await services.profiles.setAttributes({ ...body(req), contactId: req.params.id });
    const profile = await services.profiles.profile(id, null);
    services.notifier.contactUpdated(id, profile);
    res.json({ profile });
  });
  return router;
}
