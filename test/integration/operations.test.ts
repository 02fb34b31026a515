import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type Parley, createParley } from '../../server/src/app';
import { ADMIN, chatOnlyConfig, connected, demoConfig, goodAnswers } from '../helpers/server';

/** A server as an operator runs it, with its log lines kept for the test. */
async function start(options: { metricsToken?: string; readiness?: Record<string, () => Promise<boolean>>; config?: ReturnType<typeof chatOnlyConfig> } = {}) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const parley: Parley = await createParley({ config: chatOnlyConfig(), log: pino({ level: 'info', base: undefined }, sink), dataDir: ':memory:', ...options });
  await parley.auth.ensureAdmin(ADMIN.email, ADMIN.password, 'Alex Agent');
  const port = await parley.listen(0, '127.0.0.1');
  running.push(parley);
  return { parley, url: `http://127.0.0.1:${port}`, lines };
}
const running: Parley[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.close();
});

/** One sample of a metric in Prometheus' text format, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('/readyz', () => {
  it('is ready when the store and every configured service answer, and says which does not', async () => {
    let redisUp = true;
    const { url } = await start({ readiness: { redis: async () => redisUp, broken: async () => true } });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: true, redis: true, broken: true } });
    redisUp = false;
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'not ready', checks: { store: true, redis: false, broken: true } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('counts a check that throws as not ready', async () => {
    const { url } = await start({ readiness: { redis: async () => Promise.reject(new Error('ECONNREFUSED')) } });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: Record<string, boolean> }).checks.redis).toBe(false);
  });
});

describe('/metrics', () => {
  it('counts messages by author and conversations started, and shows sockets, queues and the event loop', async () => {
    const { url, parley } = await start();
    // a webhook receiver that is down: the delivery waits in the outbox for its next attempt
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await parley.webhooks.create({ id: 'ops', name: 'Ops' }, { url: `http://127.0.0.1:${closed}/hooks`, events: ['conversation.created'], allowPrivateNetwork: true });
    const scrape = async () => {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.text();
    };
    const before = await scrape();
    expect(sample(before, 'parley_conversations_started_total')).toBe(0);
    expect(before).toContain('parley_nodejs_eventloop_lag_p99_seconds');
    expect(sample(before, 'parley_connected_sockets', '{namespace="visitor"}')).toBe(0);

    const started = (await (
      await fetch(`${url}/api/v1/sites/demo/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: goodAnswers, consent: true }) })
    ).json()) as { token: string; conversationId: string };
    const socket = io(`${url}/visitor`, { auth: { token: started.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await connected(socket);
      await socket.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });
      for (const text of ['one', 'two 🌱']) {
        const ack = await socket.emitWithAck('message:send', { conversationId: started.conversationId, clientId: crypto.randomUUID(), text });
        expect(ack).toMatchObject({ ok: true });
      }
      await running[0]!.conversations.settled();
      await parley.webhooks.settled();
      const after = await scrape();
      expect(sample(after, 'parley_conversations_started_total')).toBe(1);
      expect(sample(after, 'parley_messages_total', '{author="visitor"}')).toBe(2);
      expect(sample(after, 'parley_connected_sockets', '{namespace="visitor"}')).toBe(1);
      // the new conversation waits in a queue: no agent is online
      const queued = after.split('\n').filter((l) => l.startsWith('parley_queue_length{'));
      expect(queued.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBe(1);
      expect(after).toContain('parley_email_outbox');
      expect(sample(after, 'parley_webhook_outbox', '{status="pending"}')).toBe(1);
    } finally {
      socket.disconnect();
    }
  });

  it('counts auto-replies by kind, as many as the store holds of each', async () => {
    const { url, parley } = await start({ config: demoConfig() });
    const started = (await (
      await fetch(`${url}/api/v1/sites/demo/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: goodAnswers, consent: true }) })
    ).json()) as { conversationId: string };
    await running[0]!.conversations.settled();
    const bots = await parley.db.selectFrom('messages').select('client_id').where('conversation_id', '=', started.conversationId).where('author_type', '=', 'bot').execute();
    // the demo welcomes every first contact (and is away or busy depending on the hour and who is online)
    expect(bots.some((b) => b.client_id.startsWith('auto:welcome:'))).toBe(true);
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const kind of ['welcome', 'away', 'busy', 'rule']) {
      const stored = bots.filter((b) => b.client_id.startsWith(`auto:${kind}:`)).length;
      if (stored) expect(sample(text, 'parley_auto_replies_total', `{kind="${kind}"}`), kind).toBe(stored);
      else expect(text, kind).not.toContain(`parley_auto_replies_total{kind="${kind}"}`);
    }
  });

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const { url } = await start({ metricsToken: 's3cret-metrics-token' });
    const none = await fetch(`${url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer s3cret-metrics-token-and-more' } })).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer s3cret-metrics-token' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('parley_messages_total');
  });
});

describe('request logs', () => {
  it('log each request with an id sent back, its path without the query, and no personal data', async () => {
    const { url, lines } = await start();
    const given = await fetch(`${url}/api/v1/search?q=ana%40example.com`, { headers: { 'x-request-id': 'trace-42.a' } });
    expect(given.status).toBe(401);
    expect(given.headers.get('x-request-id')).toBe('trace-42.a');
    const junk = await fetch(`${url}/api/v1/sites/demo/launcher?lang=en`, { headers: { 'x-request-id': 'x'.repeat(100) } });
    const id = junk.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await fetch(`${url}/healthz`);

    const logged = lines.filter((l) => l.req);
    const search = logged.find((l) => (l.req as { path: string }).path === '/api/v1/search');
    expect(search).toMatchObject({ level: 30, req: { id: 'trace-42.a', method: 'GET', path: '/api/v1/search' }, res: { status: 401 } });
    expect(logged.find((l) => (l.req as { id: string }).id === id)).toMatchObject({ req: { path: '/api/v1/sites/demo/launcher' }, res: { status: 200 } });
    expect(logged.some((l) => (l.req as { path: string }).path === '/healthz')).toBe(false);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('ana@example.com');
    expect(text).not.toContain('ana%40example.com');
  });
});
