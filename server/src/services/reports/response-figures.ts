import { type RawBuilder, sql } from 'kysely';
import { seconds } from './conversation-figures';
import { flag, quantiles, sums } from './rows';
import { type ByGroup, type Scope, conversationFilter, within } from './scope';

/** From the visitor's first message to the first human (agent) reply; bots and auto-replies do not count. */
export interface FirstResponseFigures {
  /** Started in the period with at least one visitor message. */
  conversations: number;
  /** Of those, with an agent reply after the visitor's first message. */
  answered: number;
  /** Answered within the target (at most `targetSeconds`). */
  withinTarget: number;
  /** withinTarget / conversations (unanswered ones count as missed), four decimals; null when none. */
  withinTargetShare: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/**
 * Each conversation started in the period with its visitor's first message (`fv`) and the first
 * agent message at or after it (`fa`), both read from the messages index (conversation, author, time).
 */
function firstReplies(scope: Scope, g: RawBuilder<string | null>) {
  const firsts = scope.db
    .selectFrom('conversations as c')
    .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .where(conversationFilter(scope))
    .where(within(scope, 'c.created_at'))
    .select([
      'c.id',
      g.as('g'),
      sql<string | null>`(select min(m.created_at) from messages m where m.conversation_id = c.id and m.author_type = 'visitor')`.as('fv'),
    ]);
  return scope.db
    .selectFrom(firsts.as('s'))
    .where('s.fv', 'is not', null)
    .select([
      's.g',
      's.fv',
      sql<string | null>`(select min(m.created_at) from messages m where m.conversation_id = s.id and m.author_type = 'agent' and m.created_at >= s.fv)`.as('fa'),
    ]);
}

export async function firstResponseFigures(scope: Scope): Promise<ByGroup<FirstResponseFigures>> {
  const ms = scope.dialect.millisBetween(sql.ref('r.fv'), sql.ref('r.fa'));
  const counts = await sums(scope, 'c.created_at', ['conversations', 'answered', 'withinTarget'], (g) => {
    return scope.db
      .selectFrom(firstReplies(scope, g).as('r'))
      .select([
        sql<string | null>`r.g`.as('g'),
        sql<number>`1`.as('conversations'),
        flag(sql`r.fa is not null`).as('answered'),
        flag(sql`r.fa is not null and ${ms} <= ${scope.targetMs}`).as('withinTarget'),
      ]);
  });
  const times = await quantiles(scope, 'c.created_at', (g) => {
    return scope.db
      .selectFrom(firstReplies(scope, g).as('r'))
      .where('r.fa', 'is not', null)
      .select([sql<string | null>`r.g`.as('g'), ms.as('x')]);
  });
  const out: ByGroup<FirstResponseFigures> = new Map();
  for (const [key, c] of counts) {
    const q = times.get(key);
    out.set(key, {
      ...c,
      withinTargetShare: c.conversations ? Math.round((c.withinTarget / c.conversations) * 10_000) / 10_000 : null,
      medianSeconds: seconds(q?.median),
      p90Seconds: seconds(q?.p90),
    });
  }
  return out;
}

/** From the start to the last close, of conversations last closed in the period (and closed still). */
export interface ResolutionFigures {
  resolved: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export async function resolutionFigures(scope: Scope): Promise<ByGroup<ResolutionFigures>> {
  const times = await quantiles(scope, 'c.closed_at', (g) =>
    scope.db
      .selectFrom('conversations as c')
      .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
      .where(conversationFilter(scope))
      .where('c.status', '=', 'closed')
      .where(within(scope, 'c.closed_at'))
      .select([g.as('g'), scope.dialect.millisBetween(sql.ref('c.created_at'), sql.ref('c.closed_at')).as('x')]),
  );
  const out: ByGroup<ResolutionFigures> = new Map();
  for (const [key, q] of times) out.set(key, { resolved: q.n, medianSeconds: seconds(q.median), p90Seconds: seconds(q.p90) });
  return out;
}
