import { Router } from 'express';
import * as v from 'valibot';
import { parseOrThrow } from '../errors';
import type { AuthService } from '../services/auth-service';
import type { AdjustableClock } from '../services/clock';
import { requireAdmin, requireAgent, requireJson } from './auth-routes';

const AdvanceSchema = v.object({ ms: v.pipe(v.number(), v.integer(), v.minValue(-30 * 86_400_000), v.maxValue(30 * 86_400_000)) });

/**
 * `POST /test/clock {"ms": …}`: moves the server's clock and runs what became due (scheduled
 * follow-ups), so end-to-end tests see "their morning" without waiting for it. Mounted only
 * when the server runs with PARLEY_TEST_CLOCK=1 outside production; admins only.
 */
export function testClockRoutes(auth: AuthService, clock: AdjustableClock, due: () => Promise<void>): Router {
  const router = Router();
  router.post('/test/clock', requireAgent(auth), requireAdmin('move the test clock'), requireJson, async (req, res) => {
    const { ms } = parseOrThrow(AdvanceSchema, req.body);
    const now = clock.advance(ms);
    await due();
    res.json({ now: now.toISOString() });
  });
  return router;
}
