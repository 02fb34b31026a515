import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/src/store/db';
import { ROOT } from '../../server/src/paths';
import { exitWithin, freePort, startChild } from '../helpers/built-server';
import { ADMIN, goodAnswers } from '../helpers/server';

/**
 * The store on PostgreSQL as an operator meets it (this file runs in the postgres project only,
 * where DATABASE_URL is set): `DATABASE_URL=… node dist/server/main.js`, a database that is down,
 * two nodes migrating at once, and a store a newer version migrated.
 */
const URL = process.env.DATABASE_URL as string;
const schemas: string[] = [];
const schema = () => {
  const name = `t_${randomUUID().replace(/-/g, '')}`;
  schemas.push(name);
  return name;
};
const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
};
afterAll(async () => {
  for (const s of schemas) await query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
});

describe('the store on PostgreSQL', () => {
  it('runs the whole server with DATABASE_URL: a visitor’s conversation lands in PostgreSQL', async () => {
    const s = schema();
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
    const child = await startChild(['dist/server/main.js'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
      DATABASE_URL: URL,
      DATABASE_SCHEMA: s,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', checks: { store: true } });
      const res = await fetch(`${base}/api/v1/sites/demo/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: { ...goodAnswers, name: 'Ана 李 <b>x</b>' }, consent: true }) });
      expect(res.status).toBe(201);
      const { conversationId } = (await res.json()) as { conversationId: string };
      const rows = await query<{ id: string; name: string }>(`SELECT c.id, k.name FROM ${s}.conversations c JOIN ${s}.contacts k ON k.id = c.contact_id`);
      expect(rows).toEqual([{ id: conversationId, name: 'Ана 李 <b>x</b>' }]);
      // nothing of it in the data directory: no SQLite file was made
      expect(spawnSync('ls', [dataDir], { encoding: 'utf8' }).stdout).not.toContain('parley.sqlite');
    } finally {
      child.process.kill('SIGTERM');
      expect((await exitWithin(child, 10_000)).code).toBe(0);
    }
  });

  it('refuses to start, in one line and exit code 1, when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/server/main.js')], {
      env: { ...process.env, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-pg-down-')), DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere` },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port}/nowhere cannot be reached: `));
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('migrates once when two nodes start at the same moment', async () => {
    const s = schema();
    const [a, b] = await Promise.all([openStore({ dataDir: ':memory:', databaseUrl: URL, schema: s, poolSize: 2 }), openStore({ dataDir: ':memory:', databaseUrl: URL, schema: s, poolSize: 2 })]);
    await a.destroy();
    await b.destroy();
    const rows = await query<{ name: string }>(`SELECT name FROM ${s}.kysely_migration ORDER BY name`);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    expect(rows.at(-1)?.name).toMatch(/^\d{4}_/);
  });

  it('will not run on a store that a newer version migrated', async () => {
    const s = schema();
    const db = await openStore({ dataDir: ':memory:', databaseUrl: URL, schema: s, poolSize: 1 });
    await db.destroy();
    await query(`INSERT INTO ${s}.kysely_migration (name, timestamp) VALUES ('0099_future', '2030-01-01T00:00:00.000Z')`);
    await expect(openStore({ dataDir: ':memory:', databaseUrl: URL, schema: s, poolSize: 1 })).rejects.toThrow(/migrated by a newer Parley \(migration 0099_future is unknown/);
  });
});
