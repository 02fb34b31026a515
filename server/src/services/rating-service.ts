import * as v from 'valibot';
import { type ConversationRating, ErrorCode, IdSchema, RateConversationSchema } from '../../../protocol/src/index';
import { AppError, parseOrThrow } from '../errors';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import type { Clock } from './clock';
import type { ConversationService } from './conversations/conversation-service';
import { toRating } from './mappers';
import { webhookConversation } from './webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from './webhooks/webhook-service';

/** How a site's visitors rated their conversations over a period. */
export interface RatingReport {
  count: number;
  /** Mean score, to two decimals; null when nothing was rated. */
  average: number | null;
  /** How many ratings gave each score. */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A day (`2025-03-31`) or an instant with its offset (`2025-03-31T12:00:00Z`). */
const MomentSchema = v.pipe(
  v.string('expected a date or an ISO 8601 timestamp'),
  v.check((s) => (DATE_ONLY.test(s) || TIMESTAMP.test(s)) && !Number.isNaN(Date.parse(s)), 'expected a date or an ISO 8601 timestamp'),
);

/** `GET /reports/ratings` query: both ends are included; a day as `to` includes all of that day (UTC). */
export const RatingReportQuerySchema = v.pipe(
  v.object({
    siteId: v.optional(IdSchema),
    from: v.optional(MomentSchema),
    to: v.optional(MomentSchema),
  }),
  v.forward(
    v.check((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), 'expected `to` on or after `from`'),
    ['to'],
  ),
);

/** The first instant after the period that `to` ends. */
function endOf(to: string): string {
  return new Date(Date.parse(to) + (DATE_ONLY.test(to) ? DAY_MS : 1)).toISOString();
}

/**
 * Visitors' ratings of closed conversations (CSAT) and their report. A rating
 * is a column set of the conversation, written by one conditional update that
 * also proves ownership and the closed state, so nothing is stored when either fails.
 */
export class RatingService {
  /** Where ratings are announced to webhooks (app.ts sets it). */
  webhooks: WebhookRecorder = noWebhooks;

  constructor(
    private readonly db: Db,
    private readonly conversations: ConversationService,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {}

  /**
   * Rates a closed conversation of the visitor's own; rating again replaces the
   * score, the comment and the time. Resolves after the commit, once agents and
   * the visitor's other tabs have been told.
   */
  async rate(contactId: string, payload: unknown): Promise<ConversationRating> {
    const input = parseOrThrow(RateConversationSchema, payload);
    const row = await this.db.transaction().execute(async (trx) => {
      const rated = await trx
        .updateTable('conversations')
        // an empty or blank comment (already trimmed) is no comment
        .set({ rating_score: input.score, rating_comment: input.comment || null, rated_at: this.clock.now().toISOString() })
        .where('id', '=', input.conversationId)
        .where('contact_id', '=', contactId)
        .where('status', '=', 'closed')
        .returningAll()
        .executeTakeFirst();
      if (rated)
        await this.webhooks.record(trx, {
          type: 'rating.submitted',
          orderingKey: rated.id,
          data: {
            rating: { conversationId: rated.id, score: Number(rated.rating_score), comment: rated.rating_comment ?? null, ratedAt: rated.rated_at as string },
            conversation: webhookConversation(rated),
          },
        });
      return rated;
    });
    if (!row) {
      const current = await this.db.selectFrom('conversations').select(['contact_id', 'status']).where('id', '=', input.conversationId).executeTakeFirst();
      // the same answer message:send gives: whether the id exists is not the visitor's business
      if (!current || current.contact_id !== contactId) throw new AppError(ErrorCode.Forbidden, 'not your conversation');
      throw new AppError(ErrorCode.Conflict, 'only a closed conversation can be rated');
    }
    try {
      await this.conversations.announce(row);
    } catch (error) {
      // the rating is stored: the visitor hears so even if telling the others failed
      this.log?.error({ err: error, conversationId: row.id }, 'announcing a rating failed');
    }
    return toRating(row) as ConversationRating;
  }

  /** Count, mean and distribution of the ratings given in a period, for one site or all. */
  async report(query: unknown): Promise<RatingReport> {
    const input = parseOrThrow(RatingReportQuerySchema, query);
    if (input.siteId) {
      const site = await this.db.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
      if (!site) throw new AppError(ErrorCode.NotFound, 'no such site');
    }
    let q = this.db
      .selectFrom('conversations')
      .select(['rating_score', (eb) => eb.fn.countAll<number>().as('n')])
      .where('rating_score', 'is not', null)
      .groupBy('rating_score');
    if (input.siteId) q = q.where('site_id', '=', input.siteId);
    if (input.from) q = q.where('rated_at', '>=', new Date(input.from).toISOString());
    if (input.to) q = q.where('rated_at', '<', endOf(input.to));
    const distribution: RatingReport['distribution'] = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    let count = 0;
    let sum = 0;
    for (const row of await q.execute()) {
      const score = Number(row.rating_score);
      const n = Number(row.n);
      const key = String(score);
      if (!(key in distribution)) continue;
      distribution[key as keyof RatingReport['distribution']] = n;
      count += n;
      sum += score * n;
    }
    return { count, average: count ? Math.round((sum / count) * 100) / 100 : null, distribution };
  }
}
