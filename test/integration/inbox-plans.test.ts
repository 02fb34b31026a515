import { sql } from 'kysely';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxQuerySchema } from '../../protocol/src/index';
import { type TestServer, startServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  // SQLite's planner, in every project
  server = await startServer(undefined, { sqlite: true });
  // a few thousand rows and fresh statistics, so the planner chooses as it would on a large store
  const db = server.parley.db;
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
    INSERT INTO contacts (id, site_id, token_hash, name, email, created_at, updated_at)
    SELECT 'c' || i, 'demo', 'h' || i, 'Name ' || i, 'e' || i || '@example.com', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n`.execute(db);
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
    INSERT INTO conversations (id, site_id, contact_id, status, answers, last_seq, created_at, updated_at, team_id, assignee_id, labels, awaiting)
    SELECT 'v' || i, 'demo', 'c' || i, CASE WHEN i % 30 = 0 THEN 'open' ELSE 'closed' END, '[]', 0,
      printf('2026-01-01T00:%02d:%02d.000Z', (i / 60) % 60, i % 60), printf('2026-02-01T%02d:%02d:%02d.000Z', i / 3600, (i / 60) % 60, i % 60),
      CASE i % 3 WHEN 0 THEN 'billing' WHEN 1 THEN 'shipping' ELSE NULL END, NULL, '[]', NULL FROM n`.execute(db);
  await sql`INSERT INTO conversation_labels (conversation_id, label, created_at) SELECT id, 'Paid', created_at FROM conversations WHERE rowid % 10 = 0`.execute(db);
  await sql`ANALYZE`.execute(db);
});
afterAll(async () => {
  await server.close();
});

async function plan(query: Record<string, unknown>): Promise<string> {
  const compiled = server.parley.console.inbox.pageQuery(v.parse(InboxQuerySchema, query), 'agent-1').compile();
  // the same statement with its bound values, behind EXPLAIN QUERY PLAN
  const explained = await server.parley.db.executeQuery<{ detail: string }>({ ...compiled, sql: `EXPLAIN QUERY PLAN ${compiled.sql}` });
  return explained.rows.map((r) => r.detail).join(' | ');
}

describe('the inbox query plans', () => {
  const cursor = Buffer.from('2026-02-01T00:30:00.000Z|v1800').toString('base64url');
  it.each([
    ['all open', { view: 'all', status: 'open' }],
    ['all, any status', { view: 'all', status: 'all' }],
    ['all closed, a deep page', { view: 'all', status: 'closed', cursor }],
    ['pending', { view: 'all', status: 'pending' }],
    ['mine', { view: 'mine', status: 'open' }],
    ['unassigned, any status', { view: 'unassigned', status: 'all' }],
    ['a team', { view: 'all', status: 'all', teamId: 'billing' }],
    ['a team, open and unassigned', { view: 'unassigned', status: 'open', teamId: 'billing' }],
    ['a label', { view: 'all', status: 'all', label: 'Paid' }],
  ])('serves %s from an index in activity order, without a sort', async (_name, query) => {
    const detail = await plan(query);
    expect(detail).toMatch(/USING (COVERING )?INDEX conversations_inbox_/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
    expect(detail).not.toMatch(/SCAN conversations(?! USING)/);
  });
});
