import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/src/index';
import { type AgentSocket, type TestServer, type VisitorSocket, clientId, connected, startServer } from '../helpers/server';

/**
 * Property-based fuzzing of every input a client controls: each socket event of both namespaces
 * and the HTTP routes with a body or a query. Whatever arrives, the server answers a typed error
 * (never `internal_error`, never a 500), stays up, stores nothing from what it refused, and still
 * serves a normal chat afterwards. The seed is fixed, so a failure replays the same way.
 */
const SEED = 20261204;
const CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal));
const counts = { visitorEvents: 0, agentEvents: 0, http: 0, accepted: 0 };

const VISITOR_EVENTS = ['conversation:join', 'message:send', 'conversation:rate', 'conversation:read', 'page:view', 'followups:set', 'conversation:transcript'];
const AGENT_EVENTS = [
  'inbox:list', 'inbox:counts', 'inbox:search', 'conversation:latest', 'conversation:history', 'note:add', 'labels:list', 'conversation:labels',
  'contact:labels', 'contact:attributes', 'conversation:read', 'conversation:open', 'message:send', 'conversation:close', 'conversation:reopen',
  'conversation:claim', 'conversation:assign', 'conversation:transfer', 'presence:set', 'agents:list', 'followup:timing', 'followup:schedule',
  'followup:list', 'followup:edit', 'followup:cancel',
];
/** Keys any payload may carry, so generated objects reach past "missing field" into each schema. */
const KEYS = ['conversationId', 'clientId', 'text', 'afterSeq', 'beforeSeq', 'seq', 'limit', 'score', 'comment', 'url', 'title', 'allow', 'q', 'view', 'status', 'cursor', 'teamId', 'agentId', 'note', 'id', 'add', 'remove', 'attributes', 'contactId', 'sendAt', 'presence', 'label', '__proto__', 'constructor'];

/** Awkward values: wrong types, huge and odd strings, odd numbers, nesting. */
const nasty = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1, 0, 2 ** 53, 3.5),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // stands for the real conversation's id (filled in when sent), so payloads also reach past the ownership checks
  fc.constant('@real'),
  fc.constant('@real'),
  fc.constantFrom('\uD800', '\u202Egnp.exe', '<script>xss()</script>', 'x'.repeat(20_000), '../../etc/passwd', '%00', '{{constructor}}', '2026-13-45T99:99:99Z', ''),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.json({ maxDepth: 3 }).map((j) => JSON.parse(j) as unknown),
);
const payload = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), nasty, { maxKeys: 6 }) },
  { weight: 1, arbitrary: nasty },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** A body from any value: JSON for JSON, else its string form (objects without a prototype too). */
function text(data: unknown, json: boolean): string {
  try {
    if (json || (typeof data === 'object' && data !== null)) return JSON.stringify(data) ?? 'null';
    return String(data);
  } catch {
    return '{}';
  }
}

let server: TestServer;
let admin: string;
let visitor: VisitorSocket;
let agent: AgentSocket;
let realConversation: string;
let realToken: string;

/** Row counts of what a refused input must not have written. */
async function stored(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['messages', 'conversations', 'contacts', 'labels', 'agents', 'notes', 'scheduled_messages', 'follow_up_consents'] as const) {
    out[table] = Number((await server.parley.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  }
  return out;
}

/** Emits and checks the answer: an ok, or a typed error; a socket the server closed is reopened (oversize packets). */
async function emitChecked(socket: VisitorSocket | AgentSocket, event: string, raw: unknown): Promise<void> {
  const data = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === '@real' ? realConversation : v])) : raw;
  if (!socket.connected) {
    socket.connect();
    await connected(socket);
  }
  const withAck = socket.timeout(3000) as unknown as { emitWithAck(e: string, d: unknown): Promise<unknown> };
  let answer: unknown;
  try {
    answer = await withAck.emitWithAck(event, data);
  } catch (error) {
    // a packet over the size limit makes Socket.IO close the connection: acceptable, nothing else is
    if (!socket.connected) return;
    throw new Error(`${event} got no answer for ${JSON.stringify(data)?.slice(0, 200)}: ${(error as Error).message}`);
  }
  const ack = answer as { ok?: unknown; code?: unknown; message?: unknown };
  expect(typeof ack.ok, `${event} ${JSON.stringify(data)?.slice(0, 200)}`).toBe('boolean');
  if (ack.ok === true) counts.accepted++;
  if (ack.ok === false) {
    expect(CODES.has(String(ack.code)), `${event} answered ${String(ack.code)} for ${JSON.stringify(data)?.slice(0, 200)}`).toBe(true);
    expect(typeof ack.message).toBe('string');
  }
}

beforeAll(async () => {
  server = await startServer(undefined, { rateLimits: false });
  admin = await server.login();
  const started = await server.startConversation();
  realConversation = started.conversationId;
  realToken = started.token!;
  visitor = server.visitorSocket(realToken);
  agent = server.agentSocket(admin);
  await Promise.all([connected(visitor), connected(agent)]);
  const socketOpts = (visitor.io as unknown as { opts: { reconnection: boolean } }).opts;
  socketOpts.reconnection = false;
});
afterAll(async () => {
  // `accepted`: cases the server took as valid (the rest were refused with a typed error)
  console.log(JSON.stringify({ fuzz: { ...counts, total: counts.visitorEvents + counts.agentEvents + counts.http, seed: SEED } }));
  await server.close();
});

describe('fuzzing every input', () => {
  it('visitor events answer ok or a typed error, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VISITOR_EVENTS), payload, async (event, data) => {
        counts.visitorEvents++;
        await emitChecked(visitor, event, data);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('agent events answer ok or a typed error, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...AGENT_EVENTS), payload, async (event, data) => {
        counts.agentEvents++;
        await emitChecked(agent, event, data);
      }),
      { seed: SEED, numRuns: 2500 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('HTTP bodies and queries answer 2xx or a typed 4xx problem, never a 500', async () => {
    const routes: [method: string, path: (id: string) => string, auth: boolean][] = [
      ['POST', () => '/api/v1/sites/demo/conversations', false],
      ['POST', () => '/api/v1/sites/demo/unread', false],
      ['POST', () => '/api/v1/auth/login', false],
      ['POST', () => '/api/v1/agents', true],
      ['PATCH', (id) => `/api/v1/agents/${id}`, true],
      ['POST', () => '/api/v1/labels', true],
      ['PUT', (id) => `/api/v1/labels/${id}`, true],
      ['PUT', () => '/api/v1/auto-replies/rules', true],
      ['PUT', () => '/api/v1/admin/sites/demo/survey', true],
      ['POST', () => '/api/v1/admin/sites/demo/survey/preview', true],
      ['POST', (id) => `/api/v1/conversations/${id}/transfer`, true],
      ['POST', (id) => `/api/v1/conversations/${id}/assign`, true],
      ['POST', () => '/api/v1/presence', true],
      ['POST', (id) => `/api/v1/contacts/${id}/erase`, true],
    ];
    const queries: ((q: string) => string)[] = [
      (q) => `/api/v1/sites/demo/config?lang=${q}`,
      (q) => `/api/v1/conversations?view=${q}&status=${q}&limit=${q}&cursor=${q}`,
      (q) => `/api/v1/search?q=${q}&limit=${q}`,
      (q) => `/api/v1/conversations/${q}?afterSeq=${q}`,
      (q) => `/api/v1/audit?limit=${q}`,
    ];
    const check = async (res: Response, what: string) => {
      counts.http++;
      expect(res.status, what).toBeLessThan(500);
      if (res.status < 300) counts.accepted++;
      if (res.status >= 400) {
        const body = (await res.json().catch(() => null)) as { code?: string } | null;
        expect(CODES.has(String(body?.code)), `${what} → ${res.status} ${JSON.stringify(body)}`).toBe(true);
      } else await res.arrayBuffer();
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        payload,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        fc.oneof(fc.constant(realConversation), fc.string({ maxLength: 70 })),
        async ([method, path, auth], data, type, id) => {
          const body = text(data, type === 'application/json');
          const url = server.url + path(encodeURIComponent(id).slice(0, 200) || 'x');
          await check(await fetch(url, { method, headers: { 'content-type': type, ...(auth ? { cookie: admin } : {}) }, body }), `${method} ${url} ${body.slice(0, 120)}`);
        },
      ),
      { seed: SEED, numRuns: 1200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...queries), fc.string({ maxLength: 60 }), async (query, q) => {
        const url = server.url + query(encodeURIComponent(q));
        await check(await fetch(url, { headers: { cookie: admin } }), `GET ${url}`);
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('stores nothing from inputs that are certainly invalid (wrong types everywhere)', async () => {
    const before = await stored();
    const wrong = fc.record({ conversationId: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string())), clientId: fc.oneof(fc.integer(), fc.boolean()), text: fc.oneof(fc.integer(), fc.constant({})), allow: fc.string() });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('message:send', 'followups:set', 'note:add', 'followup:schedule'), wrong, async (event, data) => {
        const socket = event === 'message:send' || event === 'followups:set' ? visitor : agent;
        if (event === 'message:send') counts.visitorEvents++;
        else counts.agentEvents++;
        const ack = (await (socket.timeout(3000) as unknown as { emitWithAck(e: string, d: unknown): Promise<{ ok: boolean; code: string }> }).emitWithAck(event, data));
        expect(ack).toMatchObject({ ok: false, code: 'invalid_payload' });
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(await stored()).toEqual(before);
  });

  it('still serves a normal chat afterwards', async () => {
    const started = await server.startConversation({ name: 'After Fuzz', email: 'after@example.com', inquiryType: 'billing' });
    const v = server.visitorSocket(started.token!);
    const a = server.agentSocket(admin);
    await Promise.all([connected(v), connected(a)]);
    expect((await v.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 })).ok).toBe(true);
    expect((await a.emitWithAck('conversation:open', { conversationId: started.conversationId, afterSeq: 0 })).ok).toBe(true);
    const arrived = new Promise<string>((resolve) => a.on('message:new', (m) => resolve(m.text)));
    expect((await v.emitWithAck('message:send', { conversationId: started.conversationId, clientId: clientId(), text: 'still here?' })).ok).toBe(true);
    expect(await arrived).toBe('still here?');
  });
});
