import { type RawBuilder, sql } from 'kysely';
import { flag, quantiles, sums } from './rows';
import { type ByGroup, type Scope, TOTAL, conversationFilter, groupKey, num, within } from './scope';

/** Conversations of the period: started (new or returning), reopened by a follow-up, closed, reopened, open at its end. */
export interface ConversationFigures {
  started: number;
  new: number;
  returning: number;
  followUps: number;
  closed: number;
  reopened: number;
  /** Null in groups by day (the state at the end of each day is not kept apart). */
  openAtEnd: number | null;
}

/** Conversations (and their contacts) of the scope, started in the period. */
export function startedRows(scope: Scope) {
  return scope.db
    .selectFrom('conversations as c')
    .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .where(conversationFilter(scope))
    .where(within(scope, 'c.created_at'));
}

// an earlier conversation of the same contact, or of the same verified user of the site (as routing counts a returning contact)
const returningContact = sql`(exists (select 1 from conversations e where e.contact_id = c.contact_id and e.created_at < c.created_at)
  or (ct.external_id is not null and exists (select 1 from contacts o inner join conversations e on e.contact_id = o.id
    where o.site_id = c.site_id and o.external_id = ct.external_id and o.id <> c.contact_id and e.created_at < c.created_at)))`;

/**
 * Started, by arrival; closed and reopened (each conversation once per group, however often it
 * changed); still open at the end of the period (the last close or reopen before the end decides).
 */
export async function conversationFigures(scope: Scope): Promise<ByGroup<ConversationFigures>> {
  const started = await sums(scope, 'c.created_at', ['started', 'returning'], (g) =>
    startedRows(scope).select([g.as('g'), sql<number>`1`.as('started'), flag(returningContact).as('returning')]),
  );
  const changes = await statusChanges(scope);
  const open = scope.groupBy === 'day' ? null : await openAtEnd(scope);
  const out: ByGroup<ConversationFigures> = new Map();
  const keys = new Set([...started.keys(), ...changes.keys(), ...(open?.keys() ?? [])]);
  for (const key of keys) {
    const s = started.get(key);
    const c = changes.get(key);
    out.set(key, {
      started: s?.started ?? 0,
      new: (s?.started ?? 0) - (s?.returning ?? 0),
      returning: s?.returning ?? 0,
      followUps: c?.followUps ?? 0,
      closed: c?.closed ?? 0,
      reopened: c?.reopened ?? 0,
      openAtEnd: open ? (open.get(key) ?? 0) : key === TOTAL ? await openAtEndTotal(scope) : null,
    });
  }
  return out;
}

/** Distinct conversations closed, reopened, and reopened by an agent's follow-up, per group and over all. */
async function statusChanges(scope: Scope): Promise<ByGroup<{ closed: number; reopened: number; followUps: number }>> {
  const run = async (g: RawBuilder<string | null>) => {
    const rows = await scope.db
      .selectFrom('routing_events as e')
      // the period's events first (see messageFigures)
      .crossJoin('conversations as c')
      .whereRef('c.id', '=', 'e.conversation_id')
      .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
      .where('e.kind', 'in', ['closed', 'reopened'])
      .where(within(scope, 'e.created_at'))
      .where(conversationFilter(scope))
      .select([g.as('g'), 'e.kind', 'e.conversation_id', 'e.note'])
      .$call((inner) =>
        scope.db
          .selectFrom(inner.as('t'))
          .select([
            sql<string | null>`t.g`.as('g'),
            sql<number>`count(distinct case when t.kind = 'closed' then t.conversation_id end)`.as('closed'),
            sql<number>`count(distinct case when t.kind = 'reopened' then t.conversation_id end)`.as('reopened'),
            sql<number>`count(distinct case when t.kind = 'reopened' and t.note = 'follow-up' then t.conversation_id end)`.as('followUps'),
          ])
          .groupBy(sql`t.g`),
      )
      .execute();
    return rows.map((r) => ({ g: r.g, closed: num(r.closed), reopened: num(r.reopened), followUps: num(r.followUps) }));
  };
  const out: ByGroup<{ closed: number; reopened: number; followUps: number }> = new Map();
  const g = groupKey(scope, 'e.created_at');
  if (g) for (const { g: key, ...figures } of await run(g)) out.set(key, figures);
  const [total] = await run(sql<string | null>`null`);
  out.set(TOTAL, total ? { closed: total.closed, reopened: total.reopened, followUps: total.followUps } : { closed: 0, reopened: 0, followUps: 0 });
  return out;
}

/**
 * Open at the end of the period: started before its end and either open now or last closed after
 * it, whose latest close or reopen before the end (if any) was not a close.
 */
async function openAtEnd(scope: Scope): Promise<ByGroup<number>> {
  const rows = await sums(scope, 'c.created_at', ['open'], (g) =>
    scope.db
      .selectFrom('conversations as c')
      .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
      .where(conversationFilter(scope))
      .where(sql<boolean>`((c.status = 'open' and c.created_at < ${scope.end}) or (c.status = 'closed' and c.closed_at >= ${scope.end} and c.created_at < ${scope.end}))`)
      .where(
        sql<boolean>`coalesce((select e.kind from routing_events e where e.conversation_id = c.id and e.kind in ('closed', 'reopened') and e.created_at < ${scope.end}
          order by e.created_at desc limit 1), 'reopened') = 'reopened'`,
      )
      .select([g.as('g'), sql<number>`1`.as('open')]),
  );
  return new Map([...rows].map(([k, v]) => [k, v.open]));
}

async function openAtEndTotal(scope: Scope): Promise<number> {
  return (await openAtEnd({ ...scope, groupBy: null })).get(TOTAL) ?? 0;
}

/** Waiting for an agent, of the conversations started in the period. */
export interface QueueFigures {
  /** Put in a team's queue (every routed conversation is). */
  queued: number;
  /** Assigned at or after they were (last) queued. */
  assigned: number;
  /** Still unassigned. */
  unassigned: number;
  /** Waited a second or more for an agent, or are still waiting. */
  waited: number;
  waitMedianSeconds: number | null;
  waitP90Seconds: number | null;
  /** Closed with a visitor's message and no human reply at all. */
  missed: number;
}

export async function queueFigures(scope: Scope): Promise<ByGroup<QueueFigures>> {
  const wait = scope.dialect.millisBetween(sql.ref('c.queued_at'), sql.ref('c.assigned_at'));
  const counts = await sums(scope, 'c.created_at', ['queued', 'assigned', 'unassigned', 'waited', 'missed'], (g) =>
    startedRows(scope).select([
      g.as('g'),
      flag(sql`c.queued_at is not null`).as('queued'),
      flag(sql`c.assigned_at >= c.queued_at`).as('assigned'),
      flag(sql`c.queued_at is not null and c.assigned_at is null`).as('unassigned'),
      flag(sql`c.queued_at is not null and (c.assigned_at is null or (c.assigned_at >= c.queued_at and ${wait} >= 1000))`).as('waited'),
      flag(
        sql`c.status = 'closed' and exists (select 1 from messages m where m.conversation_id = c.id and m.author_type = 'visitor')
          and not exists (select 1 from messages m where m.conversation_id = c.id and m.author_type = 'agent')`,
      ).as('missed'),
    ]),
  );
  const waits = await quantiles(scope, 'c.created_at', (g) =>
    startedRows(scope)
      .where(sql<boolean>`c.assigned_at >= c.queued_at`)
      .select([g.as('g'), wait.as('x')]),
  );
  const out: ByGroup<QueueFigures> = new Map();
  for (const [key, c] of counts) {
    const q = waits.get(key);
    out.set(key, { ...c, waitMedianSeconds: seconds(q?.median), waitP90Seconds: seconds(q?.p90) });
  }
  return out;
}

/** Conversations started per local weekday (0 = Sunday) and hour. */
export async function busiestHours(scope: Scope): Promise<{ started: number; cells: number[][] }> {
  const inner = startedRows(scope).select([scope.dialect.localWeekday(sql.ref('c.created_at')).as('wd'), scope.dialect.localHour(sql.ref('c.created_at')).as('hr')]);
  const rows = await scope.db
    .selectFrom(inner.as('t'))
    .select([sql<number>`t.wd`.as('wd'), sql<number>`t.hr`.as('hr'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([sql`t.wd`, sql`t.hr`])
    .execute();
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let started = 0;
  for (const r of rows) {
    const n = num(r.n);
    (cells[num(r.wd)] as number[])[num(r.hr)] = n;
    started += n;
  }
  return { started, cells };
}

/** Milliseconds as seconds, to the millisecond; null stays null. */
export function seconds(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : Math.round(ms) / 1000;
}
