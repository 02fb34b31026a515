import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db';

/** Writes down an agent's presence from `at` on (reports add up the time online and away from these). */
export async function logPresence(db: Db, agentId: string, presence: string, at: string): Promise<void> {
  await db.insertInto('presence_log').values({ id: randomUUID(), agent_id: agentId, presence, at }).execute();
}

/**
 * Seconds each agent spent online and away within [start, until): their state at `start` (the last
 * change before it), then each change inside. Reads only the changes of the period and one row per
 * agent before it, by the (agent_id, at) index.
 */
export async function presenceSeconds(db: Db, start: string, until: string, agentId: string | null): Promise<Map<string, { online: number; away: number }>> {
  const out = new Map<string, { online: number; away: number }>();
  if (until <= start) return out;
  let before = db
    .selectFrom('presence_log as p')
    .select(['p.agent_id', 'p.presence', 'p.at'])
    .where('p.at', '<', start)
    .where(({ eb, selectFrom }) => eb('p.at', '=', selectFrom('presence_log as q').select((x) => x.fn.max('q.at').as('m')).whereRef('q.agent_id', '=', 'p.agent_id').where('q.at', '<', start)));
  let inside = db.selectFrom('presence_log').select(['agent_id', 'presence', 'at']).where('at', '>=', start).where('at', '<', until).orderBy('agent_id').orderBy('at').orderBy('id');
  if (agentId) {
    before = before.where('p.agent_id', '=', agentId);
    inside = inside.where('agent_id', '=', agentId);
  }
  const timelines = new Map<string, { presence: string; at: number }[]>();
  for (const row of await before.execute()) timelines.set(row.agent_id, [{ presence: row.presence, at: Date.parse(start) }]);
  for (const row of await inside.execute()) {
    const list = timelines.get(row.agent_id) ?? [];
    list.push({ presence: row.presence, at: Date.parse(row.at) });
    timelines.set(row.agent_id, list);
  }
  const end = Date.parse(until);
  for (const [agent, list] of timelines) {
    const sum = { online: 0, away: 0 };
    list.forEach((change, i) => {
      const next = list[i + 1]?.at ?? end;
      if (change.presence === 'online' || change.presence === 'away') sum[change.presence] += (next - change.at) / 1000;
    });
    out.set(agent, { online: Math.round(sum.online), away: Math.round(sum.away) });
  }
  return out;
}
