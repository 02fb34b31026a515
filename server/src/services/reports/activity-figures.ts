import { sql } from 'kysely';
import { flag, sums } from './rows';
import { type ByGroup, type Scope, TOTAL, conversationFilter, num, within } from './scope';

/** Auto-replies by kind, read from their client id (`auto:<kind>:…`, see services/auto-replies). */
export const AUTO_REPLY_KINDS = ['welcome', 'away', 'busy', 'rule'] as const;

/** Messages written in the period, by author; bot messages split by auto-reply kind; follow-ups sent. */
export interface MessageFigures {
  /** In: the visitors'. */
  visitor: number;
  /** Out: agents' (people) and bots' (auto-replies). */
  agent: number;
  bot: number;
  autoReplies: Record<(typeof AUTO_REPLY_KINDS)[number] | 'other', number>;
  /** Scheduled follow-ups the scheduler sent in the period. */
  followUpsSent: number;
}

export async function messageFigures(scope: Scope): Promise<ByGroup<MessageFigures>> {
  const kind = (k: string) => flag(sql`m.author_type = 'bot' and m.client_id like ${`auto:${k}:%`}`).as(k);
  const messages = await sums(scope, 'm.created_at', ['visitor', 'agent', 'bot', ...AUTO_REPLY_KINDS], (g) =>
    scope.db
      .selectFrom('messages as m')
      // CROSS JOIN: SQLite keeps this order (the period's messages from their time index, then each
      // one's conversation), where it would otherwise walk a group's conversations; PostgreSQL plans it as the inner join it is
      .crossJoin('conversations as c')
      .whereRef('c.id', '=', 'm.conversation_id')
      .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
      .where(within(scope, 'm.created_at'))
      .where(conversationFilter(scope))
      .select([
        g.as('g'),
        flag(sql`m.author_type = 'visitor'`).as('visitor'),
        flag(sql`m.author_type = 'agent'`).as('agent'),
        flag(sql`m.author_type = 'bot'`).as('bot'),
        ...AUTO_REPLY_KINDS.map(kind),
      ]),
  );
  const followUps = await sums(scope, 's.sent_at', ['sent'], (g) =>
    scope.db
      .selectFrom('scheduled_messages as s')
      .crossJoin('conversations as c')
      .whereRef('c.id', '=', 's.conversation_id')
      .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
      .where('s.status', '=', 'sent')
      .where(within(scope, 's.sent_at'))
      .where(conversationFilter(scope))
      .select([g.as('g'), sql<number>`1`.as('sent')]),
  );
  const out: ByGroup<MessageFigures> = new Map();
  for (const key of new Set([...messages.keys(), ...followUps.keys()])) {
    const m = messages.get(key) ?? { visitor: 0, agent: 0, bot: 0, welcome: 0, away: 0, busy: 0, rule: 0 };
    const kinds = { welcome: m.welcome, away: m.away, busy: m.busy, rule: m.rule };
    out.set(key, {
      visitor: m.visitor,
      agent: m.agent,
      bot: m.bot,
      autoReplies: { ...kinds, other: m.bot - kinds.welcome - kinds.away - kinds.busy - kinds.rule },
      followUpsSent: followUps.get(key)?.sent ?? 0,
    });
  }
  return out;
}

/** Visitors' ratings given in the period (a re-rated conversation counts once, with its latest score). */
export interface RatingFigures {
  count: number;
  /** Mean score, two decimals; null when none. */
  average: number | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export interface RatingComment {
  conversationId: string;
  score: number;
  comment: string;
  ratedAt: string;
  agentId: string | null;
  agentName: string | null;
}

/** Most comments a ratings report lists (the latest). */
export const COMMENTS_LISTED = 500;

export async function ratingFigures(scope: Scope): Promise<ByGroup<RatingFigures>> {
  const scores = ['1', '2', '3', '4', '5'] as const;
  const rows = await sums(scope, 'c.rated_at', ['count', 'sum', ...scores], (g) =>
    scope.db
      .selectFrom('conversations as c')
      .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
      .where(conversationFilter(scope))
      .where('c.rating_score', 'is not', null)
      .where(within(scope, 'c.rated_at'))
      .select([g.as('g'), sql<number>`1`.as('count'), 'c.rating_score as sum', ...scores.map((s) => flag(sql`c.rating_score = ${Number(s)}`).as(s))]),
  );
  const out: ByGroup<RatingFigures> = new Map();
  for (const [key, r] of rows) {
    out.set(key, {
      count: r.count,
      average: r.count ? Math.round((r.sum / r.count) * 100) / 100 : null,
      distribution: { '1': r['1'], '2': r['2'], '3': r['3'], '4': r['4'], '5': r['5'] },
    });
  }
  if (!out.has(TOTAL)) out.set(TOTAL, { count: 0, average: null, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } });
  return out;
}

/** The latest comments given with ratings in the period, newest first. */
export async function ratingComments(scope: Scope): Promise<RatingComment[]> {
  const rows = await scope.db
    .selectFrom('conversations as c')
    .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('agents as a', 'a.id', 'c.assignee_id')
    .where(conversationFilter(scope))
    .where('c.rating_comment', 'is not', null)
    .where(within(scope, 'c.rated_at'))
    .select(['c.id', 'c.rating_score', 'c.rating_comment', 'c.rated_at', 'c.assignee_id', 'a.name'])
    .orderBy('c.rated_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(COMMENTS_LISTED)
    .execute();
  return rows.map((r) => ({
    conversationId: r.id,
    score: num(r.rating_score),
    comment: r.rating_comment ?? '',
    ratedAt: r.rated_at ?? '',
    agentId: r.assignee_id,
    agentName: r.name ?? null,
  }));
}
