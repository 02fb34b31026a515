import { Router } from 'express';
import { ErrorCode } from '../../../protocol/src/index';
import { AppError } from '../errors';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { ApiKeys } from '../services/api-keys/api-keys';
import { requireAdmin, requireAgent, requireJson } from './auth-routes';

/**
 * API keys, for admins signed in to the console (a key cannot make or revoke keys):
 * `GET /api-keys`, `POST /api-keys` (`{ name, scopes }`; the answer carries the key, shown this
 * once), `DELETE /api-keys/:id` (revokes it at once).
 */
export function apiKeyRoutes(auth: AuthService, keys: ApiKeys): Router {
  const router = Router();
  const guard = [requireAgent(auth), requireAdmin('manage API keys')];
  // a leaked key must not be able to make itself a successor or revoke the others
  const noKeys = (req: { agent?: { apiKey?: unknown } }) => {
    if (req.agent?.apiKey) throw new AppError(ErrorCode.Forbidden, 'API keys are made and revoked by an admin signed in to the console');
  };
  router.get('/api-keys', ...guard, async (_req, res) => {
    res.json({ apiKeys: await keys.list() });
  });
  router.post('/api-keys', ...guard, requireJson, async (req, res) => {
    noKeys(req);
    res.status(201).set('Cache-Control', 'no-store').json(await keys.create(req.agent as AgentIdentity, req.body));
  });
  router.delete('/api-keys/:id', ...guard, async (req, res) => {
    noKeys(req);
    await keys.revoke(req.agent as AgentIdentity, req.params.id as string);
    res.status(204).end();
  });
  return router;
}
