import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, freePort, killChildren, startChild } from '../helpers/built-server';
import { type Nginx, startNginx } from '../helpers/nginx';
// @ts-expect-error: a plain .mjs module of the scripts, without types
import { deployNginxSite } from '../../scripts/nginx-config.mjs';
import { ADMIN, connected, goodAnswers } from '../helpers/server';

/**
 * Three Parley nodes on one PostgreSQL schema and one Redis, behind a real nginx configured with
 * the file in docs/DEPLOY.md (its upstreams and listen line set to this test's ports). Runs in the
 * postgres project only (CI sets DATABASE_URL and REDIS_URL). A visitor through nginx and an agent
 * on every node talk live; a node killed with SIGKILL mid-conversation loses nothing acked, and the
 * visitor goes on through nginx to the others.
 */
const DATABASE_URL = process.env.DATABASE_URL as string;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCHEMA = `t_${randomUUID().replace(/-/g, '')}`;
const STREAM = `parley-test:${randomUUID()}`;

let nodes: { port: number; child: Child }[] = [];
let nginx: Nginx;

async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  // three nodes starting at the same moment: one migrates, the others wait for its lock
  nodes = await Promise.all(
    ports.map(async (port) => ({
      port,
      child: await startChild(
        ['dist/server/main.js'],
        {
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-node-')),
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          LOG_LEVEL: 'warn',
          RATE_LIMITS: 'off',
          DATABASE_URL,
          DATABASE_SCHEMA: SCHEMA,
          REDIS_URL,
          REDIS_STREAM: STREAM,
        },
        'Parley is running',
        30_000,
      ),
    })),
  );
  nginx = await startNginx([], '', (listen) => deployNginxSite(ports, listen));
}, 60_000);

afterAll(async () => {
  await nginx?.close();
  await killChildren();
  await query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
});

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

const nodeUrl = (port: number) => `http://127.0.0.1:${port}`;

describe('three nodes on PostgreSQL and Redis behind nginx', () => {
  it('migrated once, and every node answers through nginx', async () => {
    const rows = await query<{ name: string }>(`SELECT name FROM ${SCHEMA}.kysely_migration`);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    for (let i = 0; i < 6; i++) expect((await fetch(`${nginx.url}/readyz`)).status).toBe(200);
  });

  it('lets a visitor through nginx and an agent on each node talk live, and loses nothing when a node is killed', async () => {
    const started = await fetch(`${nginx.url}/api/v1/sites/demo/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: goodAnswers, consent: true }) });
    expect(started.status).toBe(201);
    const { token, conversationId } = (await started.json()) as { token: string; conversationId: string };

    // the same agent with a console tab on every node
    const agents: Socket[] = [];
    for (const node of nodes) {
      const cookie = await login(nodeUrl(node.port));
      const agent = io(`${nodeUrl(node.port)}/agent`, { extraHeaders: { cookie, origin: nodeUrl(node.port) }, transports: ['websocket'], reconnection: false, forceNew: true });
      await connected(agent);
      expect(await agent.timeout(5000).emitWithAck('conversation:open', { conversationId, afterSeq: 0 })).toMatchObject({ ok: true });
      agents.push(agent);
    }

    const visitor = io(`${nginx.url}/visitor`, { auth: { token }, transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 1000, forceNew: true });
    await connected(visitor);
    const received: string[] = [];
    visitor.on('message:new', (m: { text: string }) => received.push(m.text));
    expect(await visitor.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 })).toMatchObject({ ok: true });

    // the visitor writes: every node's tab hears it
    const heard = agents.map((a) => new Promise<string>((resolve) => a.on('message:new', (m: { text: string }) => m.text === 'Привет from the visitor' && resolve(m.text))));
    expect(await visitor.timeout(5000).emitWithAck('message:send', { conversationId, clientId: randomUUID(), text: 'Привет from the visitor' })).toMatchObject({ ok: true });
    expect(await Promise.all(heard)).toEqual(['Привет from the visitor', 'Привет from the visitor', 'Привет from the visitor']);
    // each node's agent answers: the visitor hears all three, wherever its socket is
    for (const [i, agent] of agents.entries()) {
      expect(await agent.timeout(5000).emitWithAck('message:send', { conversationId, clientId: randomUUID(), text: `reply from node ${i + 1}` })).toMatchObject({ ok: true });
    }
    await expect.poll(() => received.filter((t) => t.startsWith('reply from node')).sort(), { timeout: 5000 }).toEqual(['reply from node 1', 'reply from node 2', 'reply from node 3']);

    // the visitor's node is killed mid-conversation; the visitor resends what had no ack, as the widget's outbox does
    const sent = Array.from({ length: 20 }, (_, i) => ({ clientId: randomUUID(), text: `message ${i + 1}` }));
    const acked = new Set<string>();
    const send = async (m: (typeof sent)[number]) => {
      try {
        const ack = (await visitor.timeout(2000).emitWithAck('message:send', { conversationId, ...m })) as { ok: boolean };
        if (ack.ok) acked.add(m.clientId);
      } catch {
        // no ack: sent again below
      }
    };
    for (const m of sent.slice(0, 10)) await send(m);
    const before = acked.size;
    expect(before).toBe(10);
    // which node holds the visitor? kill every node but one agent tab's, one at a time, until its socket drops
    const dropped = new Promise<void>((resolve) => visitor.once('disconnect', () => resolve()));
    for (const node of nodes) {
      const holds = await fetch(`${nodeUrl(node.port)}/metrics`).then((r) => r.text());
      if (/parley_connected_sockets\{namespace="visitor"\} 1/.test(holds)) {
        node.child.process.kill('SIGKILL');
        break;
      }
    }
    await dropped;
    await new Promise<void>((resolve) => visitor.once('connect', () => resolve()));
    expect(await visitor.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 })).toMatchObject({ ok: true });
    for (let round = 0; round < 5 && acked.size < sent.length; round++) for (const m of sent.filter((x) => !acked.has(x.clientId))) await send(m);
    expect(acked.size).toBe(20);

    const stored = await query<{ text: string; n: number }>(`SELECT text, count(*)::int AS n FROM ${SCHEMA}.messages WHERE conversation_id = '${conversationId}' AND text LIKE 'message %' GROUP BY text`);
    expect(stored.length).toBe(20);
    expect(stored.every((r) => r.n === 1)).toBe(true);
    visitor.disconnect();
    for (const a of agents) a.disconnect();
  }, 60_000);
});
