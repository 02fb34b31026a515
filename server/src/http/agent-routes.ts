import { Router } from 'express';
import { SearchQuerySchema } from '../../../protocol/src/index';
import { parseOrThrow } from '../errors';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { ConsoleServices } from '../services/conversations/index';
import { requireAgent } from './auth-routes';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The agents' REST API; the console mostly uses the socket, these serve scripts and exports. */
export function agentRoutes(auth: AuthService, services: ConsoleServices): Router {
  const router = Router();
  // each route signs in on its own, so an unknown path is a 404 for everyone rather than a 401
  const agent = requireAgent(auth);
  router.get('/conversations', agent, async (req, res) => {
    const q = req.query;
    const limit = text(q.limit);
    const query = {
      status: text(q.status),
      view: text(q.view),
      teamId: text(q.teamId),
      label: text(q.label),
      cursor: text(q.cursor),
      limit: limit === undefined ? undefined : Number(limit),
    };
    res.json(await services.inbox.list(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)), (req.agent as AgentIdentity).id));
  });
  router.get('/conversations/:id', agent, async (req, res) => {
    const afterSeq = typeof req.query.afterSeq === 'string' ? Number(req.query.afterSeq) : 0;
    res.json(await services.details.sync({ conversationId: req.params.id, afterSeq }));
  });
  router.get('/search', agent, async (req, res) => {
    const limit = text(req.query.limit);
    const query = parseOrThrow(SearchQuerySchema, { q: req.query.q, ...(limit ? { limit: Number(limit) } : {}) });
    const ids = await services.search.search(query.q, query.limit);
    res.json({ conversations: await services.inbox.summaries((req.agent as AgentIdentity).id, ids) });
  });
  return router;
}
