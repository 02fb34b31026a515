import { type CompiledQuery, sql } from 'kysely';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutingConfigSchema } from '../../server/src/config/routing';
import { manualScheduler } from '../../server/src/services/scheduler';
import { type TestServer, chatOnlyConfig, startServer } from '../helpers/server';

let server: TestServer;
let t = Date.parse('2026-03-03T10:00:00.000Z');
const clock = { now: () => new Date(t) };

beforeAll(async () => {
  const config = chatOnlyConfig();
  config.routing = v.parse(RoutingConfigSchema, {
    presence: { awayAfterSeconds: 30, offlineAfterSeconds: 120, offlineGraceSeconds: 60 },
    teams: {
      billing: { name: 'Billing', members: ['a1@example.com', 'a2@example.com', 'a3@example.com'], fallback: 'tech', fallbackAfterSeconds: 60 },
      tech: { name: 'Tech', members: ['a4@example.com', 'a5@example.com', 'a6@example.com'] },
    },
    rules: [{ name: 'Billing', when: { inquiryType: ['billing'] }, team: 'billing' }],
    default: { team: 'tech' },
  });
  // SQLite's planner, in every project
  server = await startServer(config, { clock, scheduler: manualScheduler(), sqlite: true });
  const db = server.parley.db;
  // twenty agents: a1 offline long past the grace, a2 away, the others offline but within the grace; and 6,000 conversations,
  // one in thirty open, spread over them, so a plan that walks the open ones shows up
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
    INSERT INTO agents (id, email, name, role, password_hash, created_at, updated_at, presence, presence_changed_at, tabs_gone_at)
    SELECT 'a' || i, 'a' || i || '@example.com', 'Agent ' || i, 'agent', 'x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
      CASE i WHEN 2 THEN 'away' ELSE 'offline' END, CASE i WHEN 1 THEN '2026-01-01T00:00:00.000Z' ELSE '2026-03-03T10:00:00.000Z' END,
      '2026-03-03T09:00:00.000Z' FROM n`.execute(db);
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
    INSERT INTO contacts (id, site_id, token_hash, name, email, created_at, updated_at)
    SELECT 'c' || i, 'demo', 'h' || i, 'Name ' || i, 'e' || i || '@example.com', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n`.execute(db);
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
    INSERT INTO conversations (id, site_id, contact_id, status, answers, last_seq, created_at, updated_at, team_id, assignee_id, labels)
    SELECT 'v' || i, 'demo', 'c' || i, CASE WHEN i % 30 = 0 THEN 'open' ELSE 'closed' END, '[]', 0,
      '2026-01-01T00:00:00.000Z', printf('2026-02-01T%02d:%02d:%02d.000Z', (i / 3600) % 24, (i / 60) % 60, i % 60),
      CASE i % 2 WHEN 0 THEN 'billing' ELSE 'tech' END, CASE WHEN i % 600 = 0 THEN 'a1' ELSE 'a' || (3 + i % 17) END, '[]' FROM n`.execute(db);
  await sql`ANALYZE`.execute(db);
});
afterAll(async () => {
  await server.close();
});

/** Every statement `work` runs through the store's executor (outside transactions), with its bound values. */
async function recording(work: () => Promise<void>): Promise<CompiledQuery[]> {
  const executor = server.parley.db.getExecutor();
  const seen: CompiledQuery[] = [];
  const original = executor.executeQuery.bind(executor);
  (executor as { executeQuery: typeof original }).executeQuery = (query, ...rest) => {
    seen.push(query);
    return original(query, ...rest);
  };
  try {
    await work();
  } finally {
    (executor as { executeQuery: typeof original }).executeQuery = original;
  }
  return seen;
}

describe('the presence sweep', () => {
  it('reads conversations only by an agent or a team, never walking every open one, and still returns an offline agent’s open conversations', async () => {
    const db = server.parley.db;
    const held = await db.selectFrom('conversations').select('id').where('assignee_id', '=', 'a1').where('status', '=', 'open').execute();
    expect(held.length).toBe(10);

    t += 1000;
    const statements = await recording(() => server.parley.routing.presence.sweep());
    const reads = statements.filter((s) => /\bconversations\b/.test(s.sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const statement of reads) {
      const plan = await db.executeQuery<{ detail: string }>({ ...statement, sql: `EXPLAIN QUERY PLAN ${statement.sql}` });
      const detail = plan.rows.map((r) => r.detail).join(' | ');
      expect(detail, statement.sql).not.toMatch(/SCAN conversations(?! USING (COVERING )?INDEX)/);
      // keyed by an agent or a team, never a walk over every open (or every) conversation
      expect(detail, statement.sql).not.toMatch(/conversations USING (COVERING )?INDEX conversations_inbox_(status|all)\b/);
    }

    const left = await db.selectFrom('conversations').select('id').where('assignee_id', '=', 'a1').where('status', '=', 'open').execute();
    expect(left).toEqual([]);
    const back = await db.selectFrom('conversations').select(['assignee_id']).where('id', 'in', held.map((h) => h.id)).execute();
    expect(back.every((r) => r.assignee_id !== 'a1')).toBe(true);
  });
});
