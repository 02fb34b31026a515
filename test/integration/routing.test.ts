import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSummary, ConversationSummary, StartConversationResult, VisitorConversation } from '../../protocol/src/index';
import { RoutingConfigSchema } from '../../server/src/config/routing';
import { systemClock } from '../../server/src/services/clock';
import { RoutingService } from '../../server/src/services/routing/routing-service';
import { type AgentSocket, type TestServer, chatOnlyConfig, connected, emitRaw, nextEvent, startServer } from '../helpers/server';

const PASSWORD = 'a long enough password';

/** A server whose one team `support` has these members, capacity 3, shipping chats at high priority. */
function routingConfig(members: string[], extra: Record<string, unknown> = {}) {
  const config = chatOnlyConfig();
  config.routing = v.parse(RoutingConfigSchema, {
    defaultCapacity: 3,
    teams: { support: { name: 'Support', members, assignment: 'least-busy' }, tech: { name: 'Tech', members: [] } },
    rules: [
      { name: 'Shipping first', when: { inquiryType: ['shipping'] }, team: 'support', priority: 'high' },
      { name: 'Billing', when: { inquiryType: ['billing'] }, team: 'support' },
    ],
    default: { team: 'tech' },
    ...extra,
  });
  return config;
}

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

async function createAgent(adminCookie: string, email: string, name: string, body: Record<string, unknown> = {}): Promise<AgentSummary> {
  const res = await server.post('/api/v1/agents', { email, name, password: PASSWORD, ...body }, { cookie: adminCookie });
  if (res.status !== 201) throw new Error(`create agent: ${res.status} ${await res.text()}`);
  return (await res.json()) as AgentSummary;
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Signs agents in and connects a console socket for each; connecting makes them online. */
async function onlineAgents(emails: string[]): Promise<{ agent: AgentSummary; socket: AgentSocket }[]> {
  const admin = await server.login();
  const out: { agent: AgentSummary; socket: AgentSocket }[] = [];
  for (const [i, email] of emails.entries()) {
    const agent = await createAgent(admin, email, `Agent ${i + 1}`);
    const socket = server.agentSocket(await server.login(email, PASSWORD));
    await connected(socket);
    out.push({ agent, socket });
  }
  const db = server.parley.db;
  await until(async () => (await db.selectFrom('agents').select('id').where('presence', '=', 'online').where('email', 'in', emails).execute()).length === emails.length, 'agents online');
  return out;
}

function start(inquiryType: string, i: number): Promise<StartConversationResult> {
  return server.startConversation({ name: `Visitor ${i}`, email: `v${i}@example.com`, inquiryType });
}

const openLoads = async () => {
  const rows = await server.parley.db
    .selectFrom('conversations')
    .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .where('assignee_id', 'is not', null)
    .groupBy('assignee_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.assignee_id as string, Number(r.n)]));
};

describe('assignment within capacity under concurrency', () => {
  it('gives 100 simultaneous conversations to 5 agents of capacity 3 without ever exceeding it, and serves the queue in order', async () => {
    const emails = ['a1@example.com', 'a2@example.com', 'a3@example.com', 'a4@example.com', 'a5@example.com'];
    // a load test from one address: the abuse limits (rate-limits.test.ts) would stop it
    server = await startServer(routingConfig(emails), { rateLimits: false });
    const agents = await onlineAgents(emails);
    const db = server.parley.db;
    // a second routing "node" on the same store drains the same queue at the same time:
    // only the store's conditional updates keep the two from double-assigning or overfilling
    const { routing } = server.parley.routing;
    const otherNode = new RoutingService(db, routing.config, server.parley.conversations, { visitorConversationChanged() {}, agentChanged() {} }, systemClock);
    server.parley.conversations.listen({ conversationStarted: () => Promise.all([otherNode.drain('support'), otherNode.drainAll()]).then(() => undefined) });

    const started = await Promise.all(Array.from({ length: 100 }, (_, i) => start(i % 4 === 0 ? 'shipping' : 'billing', i)));
    await server.parley.conversations.settled();
    expect(new Set(started.map((s) => s.conversationId)).size).toBe(100);

    const assigned = await db.selectFrom('routing_events').selectAll().where('kind', '=', 'assigned').execute();
    expect(assigned).toHaveLength(15);
    expect(new Set(assigned.map((e) => e.conversation_id)).size).toBe(15);
    expect(Math.max(...assigned.map((e) => Number(e.load_after)))).toBe(3);
    expect(Object.values(await openLoads())).toEqual([3, 3, 3, 3, 3]);

    const queue = await server.parley.routing.routing.queue.entries('support');
    expect(queue).toHaveLength(85);
    // shipping (high) before billing (normal), each by arrival
    const priorities = queue.map((q) => q.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    for (let i = 1; i < queue.length; i += 1) {
      const [prev, cur] = [queue[i - 1], queue[i]] as [(typeof queue)[0], (typeof queue)[0]];
      if (prev.priority === cur.priority) expect(prev.queuedAt <= cur.queuedAt).toBe(true);
    }

    // a waiting visitor learns its place on joining and live as the queue moves
    const last = started.find((s) => s.conversationId === queue[84]?.id) as StartConversationResult;
    const visitor = server.visitorSocket(last.token as string);
    await connected(visitor);
    const joined = await visitor.emitWithAck('conversation:join', { conversationId: last.conversationId });
    if (!joined.ok) throw new Error(joined.message);
    expect(joined.data.conversation.queuePosition).toBe(85);
    const moved = nextEvent<VisitorConversation>(visitor, 'conversation:updated', (c) => c.id === last.conversationId && c.queuePosition === 84);

    // each close frees one slot, and the head of the queue (priority, then arrival) takes it
    for (let round = 0; round < 85; round += 1) {
      const [head] = await server.parley.routing.routing.queue.entries('support', 1);
      const closer = agents[round % agents.length] as (typeof agents)[0];
      const mine = await db
        .selectFrom('conversations')
        .select('id')
        .where('assignee_id', '=', closer.agent.id)
        .where('status', '=', 'open')
        .orderBy('assigned_at', 'asc')
        .executeTakeFirstOrThrow();
      const closed = await closer.socket.emitWithAck('conversation:close', { conversationId: mine.id });
      expect(closed).toMatchObject({ ok: true, data: { conversation: { id: mine.id, status: 'closed' } } });
      const next = await db.selectFrom('conversations').select(['assignee_id']).where('id', '=', head?.id as string).executeTakeFirstOrThrow();
      expect(next.assignee_id).toBe(closer.agent.id);
      if (round === 0) await moved;
    }
    expect(await server.parley.routing.routing.queue.entries('support')).toHaveLength(0);
    const events = await db.selectFrom('routing_events').selectAll().where('kind', '=', 'assigned').execute();
    expect(events).toHaveLength(100);
    expect(new Set(events.map((e) => e.conversation_id)).size).toBe(100);
    expect(Math.max(...events.map((e) => Number(e.load_after)))).toBeLessThanOrEqual(3);
    expect(Object.values(await openLoads()).every((n) => n === 3)).toBe(true);
    const done = await nextEvent<VisitorConversation>(visitor, 'conversation:updated', (c) => c.id === last.conversationId && c.queuePosition === null, 5000).catch(() => null);
    const row = await db.selectFrom('conversations').select('assignee_id').where('id', '=', last.conversationId).executeTakeFirstOrThrow();
    expect(row.assignee_id).not.toBeNull();
    expect(done === null || done.queuePosition === null).toBe(true);
  }, 60_000);

  it('never double-assigns or overfills when several nodes serve one queue at the same moment', async () => {
    const emails = ['n1@example.com', 'n2@example.com', 'n3@example.com', 'n4@example.com', 'n5@example.com'];
    // a load test from one address: the abuse limits (rate-limits.test.ts) would stop it
    server = await startServer(routingConfig(emails), { rateLimits: false });
    const agents = await onlineAgents(emails);
    for (const { socket } of agents) expect(await socket.emitWithAck('presence:set', { status: 'away' })).toMatchObject({ ok: true, data: { presence: 'away' } });
    await Promise.all(Array.from({ length: 100 }, (_, i) => start(i % 3 === 0 ? 'shipping' : 'billing', i)));
    await server.parley.conversations.settled();
    const db = server.parley.db;
    expect(await server.parley.routing.routing.queue.entries('support')).toHaveLength(100);

    const { routing } = server.parley.routing;
    const nodes = Array.from(
      { length: 4 },
      () => new RoutingService(db, routing.config, server.parley.conversations, { visitorConversationChanged() {}, agentChanged() {} }, systemClock),
    );
    // the agents come back on some node; every node notices at once
    await db.updateTable('agents').set({ presence: 'online' }).where('email', 'in', emails).execute();
    await Promise.all([routing, ...nodes].flatMap((node) => [node.drain('support'), node.drainForAgent(agents[0]?.agent.id as string)]));
    const events = await db.selectFrom('routing_events').selectAll().where('kind', '=', 'assigned').execute();
    expect(events).toHaveLength(15);
    expect(new Set(events.map((e) => e.conversation_id)).size).toBe(15);
    expect(Math.max(...events.map((e) => Number(e.load_after)))).toBe(3);
    expect(Object.values(await openLoads())).toEqual([3, 3, 3, 3, 3]);
    // the 15 served were the head of the queue: all 34 shipping ones wait behind none of them
    const served = await db.selectFrom('conversations').select('priority').where('assignee_id', 'is not', null).execute();
    expect(served.every((r) => r.priority === 2)).toBe(true);
  });

  it('lets exactly one of two agents claim the same conversation at the same moment', async () => {
    server = await startServer(routingConfig([]));
    const [a, b] = await onlineAgents(['c1@example.com', 'c2@example.com']);
    const { conversationId } = await start('billing', 1);
    await server.parley.conversations.settled();
    const results = await Promise.all([a, b].map((x) => x?.socket.emitWithAck('conversation:claim', { conversationId })));
    expect(results.filter((r) => r?.ok)).toHaveLength(1);
    expect(results.find((r) => !r?.ok)).toMatchObject({ ok: false, code: 'conflict' });
    const claims = await server.parley.db.selectFrom('routing_events').select('id').where('kind', '=', 'claimed').execute();
    expect(claims).toHaveLength(1);
  });
});

describe('routing decisions and hand-offs', () => {
  it('records the matched rule and reason, and shows them in the agents’ summaries', async () => {
    server = await startServer(routingConfig([]));
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const upsert = nextEvent<ConversationSummary>(agent, 'conversation:upsert', (c) => c.routing?.rule === 'Shipping first');
    await start('shipping', 1);
    const summary = await upsert;
    expect(summary.routing).toMatchObject({ teamId: 'support', priority: 2, rule: 'Shipping first' });
    expect(summary.routing?.reason).toBe('Rule "Shipping first": inquiry type is shipping → team support, high priority');
    await start('other', 2);
    await server.parley.conversations.settled();
    const listed = await agent.emitWithAck('inbox:list', { view: 'unassigned' });
    if (!listed.ok) throw new Error(listed.message);
    expect(listed.data.conversations.map((c) => c.routing?.rule).sort()).toEqual(['Shipping first', 'default']);
    expect(listed.data.conversations.find((c) => c.routing?.rule === 'default')?.routing?.teamId).toBe('tech');
  });

  it('sends a returning contact back to their last agent when online with room', async () => {
    server = await startServer(routingConfig(['s1@example.com', 's2@example.com']));
    const agents = await onlineAgents(['s1@example.com', 's2@example.com']);
    const one = await start('billing', 1);
    await server.parley.conversations.settled();
    const db = server.parley.db;
    const owner = (await db.selectFrom('conversations').select('assignee_id').where('id', '=', one.conversationId).executeTakeFirstOrThrow()).assignee_id;
    const ownerName = agents.find((a) => a.agent.id === owner)?.agent.name as string;
    expect(ownerName).toMatch(/^Agent [12]$/);
    // the other agent is less busy now, yet the returning contact goes back to the first
    const two = await server.startConversation({ name: 'Visitor 1', email: 'v1@example.com', inquiryType: 'billing' }, one.token);
    await server.parley.conversations.settled();
    const row = await db.selectFrom('conversations').select(['assignee_id', 'routing_reason']).where('id', '=', two.conversationId).executeTakeFirstOrThrow();
    expect(row.assignee_id).toBe(owner);
    expect(row.routing_reason).toContain(`returning contact → back to ${ownerName}`);
  });

  it('transfers to a team with a note, lets admins assign anyone, and refuses the rest', async () => {
    server = await startServer(routingConfig([]));
    const [agent] = await onlineAgents(['t1@example.com']);
    const admin = server.agentSocket(await server.login());
    await connected(admin);
    const { conversationId } = await start('billing', 1);
    await server.parley.conversations.settled();
    const socket = agent?.socket as AgentSocket;

    expect(await socket.emitWithAck('conversation:claim', { conversationId })).toMatchObject({ ok: true });
    const note = '<b>VIP</b> — wants a refund 💸';
    const moved = await socket.emitWithAck('conversation:transfer', { conversationId, teamId: 'tech', note });
    if (!moved.ok) throw new Error(moved.message);
    expect(moved.data.conversation.assigneeId).toBeNull();
    expect(moved.data.conversation.routing?.teamId).toBe('tech');
    expect(moved.data.conversation.routing?.reason).toContain(`transferred to team Tech by Agent 1: "${note}"`);

    expect(await socket.emitWithAck('conversation:assign', { conversationId, agentId: agent?.agent.id })).toMatchObject({ ok: false, code: 'forbidden' });
    const given = await admin.emitWithAck('conversation:assign', { conversationId, agentId: agent?.agent.id });
    expect(given).toMatchObject({ ok: true, data: { conversation: { assigneeId: agent?.agent.id } } });

    const bad: [string, unknown, string][] = [
      ['conversation:transfer', { conversationId, teamId: 'tech', agentId: agent?.agent.id }, 'invalid_payload'],
      ['conversation:transfer', { conversationId }, 'invalid_payload'],
      ['conversation:transfer', { conversationId, teamId: 'Nope!' }, 'invalid_payload'],
      ['conversation:transfer', { conversationId, teamId: 'ghosts' }, 'not_found'],
      ['conversation:transfer', { conversationId, teamId: 'tech', note: 'x'.repeat(501) }, 'invalid_payload'],
      ['conversation:transfer', { conversationId, teamId: 'tech', note: 42 }, 'invalid_payload'],
      ['conversation:close', { conversationId: 42 }, 'invalid_payload'],
      ['conversation:close', { conversationId: 'missing' }, 'not_found'],
      ['conversation:claim', { conversationId }, 'conflict'],
      ['presence:set', { status: 'sleeping' }, 'invalid_payload'],
      ['conversation:assign', { conversationId, agentId: 'nobody' }, 'not_found'],
    ];
    for (const [event, payload, code] of bad) {
      const socketFor = event === 'conversation:assign' ? admin : socket;
      expect(await emitRaw(socketFor, event, payload), `${event} ${JSON.stringify(payload).slice(0, 60)}`).toMatchObject({ ok: false, code });
    }

    expect(await socket.emitWithAck('conversation:close', { conversationId })).toMatchObject({ ok: true });
    expect(await socket.emitWithAck('conversation:close', { conversationId })).toMatchObject({ ok: false, code: 'conversation_closed' });
    expect(await socket.emitWithAck('conversation:reopen', { conversationId })).toMatchObject({ ok: true, data: { conversation: { status: 'open' } } });
  });

  it('lets only admins create and change agents, with checked input', async () => {
    server = await startServer(routingConfig([]));
    const admin = await server.login();
    const created = await createAgent(admin, 'Maria@Example.com', 'María', { languages: ['es', 'en'], capacity: 5, teams: ['support'] });
    expect(created).toMatchObject({ email: 'maria@example.com', name: 'María', role: 'agent', languages: ['es', 'en'], capacity: 5, ownCapacity: 5, teams: ['support'], presence: 'offline', load: 0 });
    const inheriting = await createAgent(admin, 'ines@example.com', 'Inés', { capacity: null });
    expect(inheriting).toMatchObject({ capacity: 3, ownCapacity: null });
    const maria = await server.login('maria@example.com', PASSWORD);

    const cases: [string, Record<string, unknown>, string, number][] = [
      ['a non-admin', { email: 'x@example.com', name: 'X', password: PASSWORD }, maria, 403],
      ['a short password', { email: 'x@example.com', name: 'X', password: 'short' }, admin, 422],
      ['a taken email', { email: 'maria@example.com', name: 'X', password: PASSWORD }, admin, 409],
      ['an unknown team', { email: 'x@example.com', name: 'X', password: PASSWORD, teams: ['ghosts'] }, admin, 422],
      ['a bad language', { email: 'x@example.com', name: 'X', password: PASSWORD, languages: ['<script>'] }, admin, 422],
      ['a capacity of 0', { email: 'x@example.com', name: 'X', password: PASSWORD, capacity: 0 }, admin, 422],
      ['a name of the wrong type', { email: 'x@example.com', name: ['X'], password: PASSWORD }, admin, 422],
      ['a huge name', { email: 'x@example.com', name: 'x'.repeat(5000), password: PASSWORD }, admin, 422],
    ];
    for (const [what, body, cookie, status] of cases) {
      expect((await server.post('/api/v1/agents', body, { cookie })).status, what).toBe(status);
    }
    expect((await server.post('/api/v1/agents', { email: 'x@example.com', name: 'X', password: PASSWORD })).status).toBe(401);

    const patch = (body: unknown, cookie = admin) =>
      fetch(`${server.url}/api/v1/agents/${created.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
    expect((await patch({ capacity: 2 }, maria)).status).toBe(403);
    const changed = await patch({ capacity: 2, languages: ['pt-BR'], teams: [] });
    expect(await changed.json()).toMatchObject({ capacity: 2, languages: ['pt-BR'], teams: [] });
    // null gives the limit back to the defaults; anything but a whole number from 1 to 100 or null is refused
    expect(await (await patch({ capacity: null })).json()).toMatchObject({ capacity: 3, ownCapacity: null });
    expect((await server.parley.db.selectFrom('agents').select('capacity').where('id', '=', created.id).executeTakeFirstOrThrow()).capacity).toBeNull();
    for (const capacity of ['', '3', 0, 101, 2.5, -1, true, [3], { n: 3 }]) {
      expect((await patch({ capacity })).status, JSON.stringify(capacity)).toBe(422);
    }
    expect((await server.post('/api/v1/agents', { email: 'y@example.com', name: 'Y', password: PASSWORD, capacity: '' }, { cookie: admin })).status).toBe(422);
    expect(await (await patch({ capacity: 4 })).json()).toMatchObject({ capacity: 4, ownCapacity: 4 });
    expect((await patch({ password: 'another long password' })).status).toBe(200);
    // a reset password ends the agent's sessions
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: maria } })).status).toBe(401);
    expect(await server.login('maria@example.com', 'another long password')).toMatch(/^parley_sid=/);
  });
});
