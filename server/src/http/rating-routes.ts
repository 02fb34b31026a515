import { Router } from 'express';
import type { AuthService } from '../services/auth-service';
import type { RatingService } from '../services/rating-service';
import { requireAgent } from './auth-routes';

/** `GET /reports/ratings?siteId=&from=&to=`: how visitors rated their conversations (agents only). */
export function ratingRoutes(auth: AuthService, ratings: RatingService): Router {
  const router = Router();
  router.get('/reports/ratings', requireAgent(auth), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await ratings.report(req.query));
  });
  return router;
}
