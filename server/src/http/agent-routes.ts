import { Router } from 'express';
import type { AuthService } from '../services/auth-service';
import type { ConversationService } from '../services/conversation-service';
import { requireAgent } from './auth-routes';

/** The agents' REST API; the console mostly uses the socket, these serve scripts and exports. */
export function agentRoutes(auth: AuthService, conversations: ConversationService): Router {
  const router = Router();
  router.use(requireAgent(auth));
  router.get('/conversations', async (req, res) => {
    const status = typeof req.query.status === 'string' ? req.query.status : undefined;
    const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : undefined;
    const view = typeof req.query.view === 'string' ? req.query.view : undefined;
    res.json({ conversations: await conversations.inbox({ status, limit, view }, req.agent?.id) });
  });
  router.get('/conversations/:id', async (req, res) => {
    const afterSeq = typeof req.query.afterSeq === 'string' ? Number(req.query.afterSeq) : 0;
    res.json(await conversations.syncForAgent({ conversationId: req.params.id, afterSeq }));
  });
  return router;
}
