import pino from 'pino';
import { CompiledQuery } from 'kysely';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { VisitorConversation } from '../../protocol/src/index';
import { RoutingConfigSchema } from '../../server/src/config/routing';
import type { Logger } from '../../server/src/logger';
import { earlierConversations } from '../../server/src/services/routing/routing-facts';
import { type TestServer, chatOnlyConfig, connected, nextEvent, startServer } from '../helpers/server';

const PASSWORD = 'a long enough password';

/** A logger that keeps every error line it is given. */
function recordingLogger(): { log: Logger; errors: string[] } {
  const errors: string[] = [];
  const log = pino({ level: 'error', base: undefined }, { write: (line: string) => void errors.push(line) });
  return { log, errors };
}

function config(capacity = 1) {
  const c = chatOnlyConfig();
  c.routing = v.parse(RoutingConfigSchema, {
    defaultCapacity: capacity,
    teams: {
      support: { name: 'Support', members: ['s1@example.com'] },
      billing: { name: 'Billing', members: ['b1@example.com'] },
    },
    rules: [
      { name: 'Urgent', when: { inquiryType: ['shipping'] }, team: 'support', priority: 'urgent' },
      { name: 'Billing', when: { inquiryType: ['billing'] }, team: 'support' },
    ],
    default: { team: 'support' },
  });
  return c;
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function agent(t: TestServer, email: string, name: string) {
  const admin = await t.login();
  const res = await t.post('/api/v1/agents', { email, name, password: PASSWORD }, { cookie: admin });
  expect(res.status).toBe(201);
  const socket = t.agentSocket(await t.login(email, PASSWORD));
  await connected(socket);
  await t.parley.routing.presence.idle();
  const row = await t.parley.db.selectFrom('agents').select(['id', 'presence']).where('email', '=', email).executeTakeFirstOrThrow();
  expect(row.presence).toBe('online');
  return { id: row.id, socket };
}

const start = (t: TestServer, i: number, inquiryType = 'billing') =>
  t.startConversation({ name: `Visitor ${i}`, email: `v${i}@example.com`, inquiryType });

const conversation = (t: TestServer, id: string) =>
  t.parley.db.selectFrom('conversations').select(['team_id', 'assignee_id', 'status', 'routing_reason']).where('id', '=', id).executeTakeFirstOrThrow();

describe('shutdown', () => {
  it('closes a server with connected agent sockets without logging any error', async () => {
    const { log, errors } = recordingLogger();
    const t = await startServer(config(), { log });
    const admin = await t.login();
    for (const [email, name] of [['s1@example.com', 'Sam'], ['b1@example.com', 'Bo']]) {
      expect((await t.post('/api/v1/agents', { email, name, password: PASSWORD }, { cookie: admin })).status).toBe(201);
    }
    for (let i = 0; i < 3; i += 1) await start(t, i);
    await t.parley.conversations.settled();
    const cookies = [await t.login('s1@example.com', PASSWORD), await t.login('b1@example.com', PASSWORD)];
    // serving the queue for an agent coming online is slow here, so it is surely under way at shutdown
    const routing = t.parley.routing.routing;
    const drainForAgent = routing.drainForAgent.bind(routing);
    routing.drainForAgent = async (id) => {
      await new Promise((r) => setTimeout(r, 100));
      return drainForAgent(id);
    };
    // tabs connect, and the server closes while their presence work (coming online, serving the queue) still runs;
    // the sockets stay open: the server closes them, and their disconnects must finish before the store goes
    await Promise.all(cookies.map((cookie) => connected(t.agentSocket(cookie))));
    await t.parley.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).toEqual([]);
  });
});

describe('after a change is committed', () => {
  it('acknowledges a close whose follow-up failed, and logs the failure instead', async () => {
    const { log, errors } = recordingLogger();
    server = await startServer(config(), { log });
    const sam = await agent(server, 's1@example.com', 'Sam');
    const { conversationId } = await start(server, 1);
    await server.parley.conversations.settled();
    expect((await conversation(server, conversationId)).assignee_id).toBe(sam.id);
    const routing = server.parley.routing.routing;
    routing.drainForAgent = async () => {
      throw new Error('queue service broke');
    };
    const closed = await sam.socket.emitWithAck('conversation:close', { conversationId });
    expect(closed).toMatchObject({ ok: true, data: { conversation: { id: conversationId, status: 'closed' } } });
    expect((await conversation(server, conversationId)).status).toBe('closed');
    expect(errors.join('\n')).toContain('queue service broke');
    expect(errors.join('\n')).toContain('closing a conversation');
  });

  it('acknowledges a claim whose announcement failed', async () => {
    const { log, errors } = recordingLogger();
    server = await startServer(config(), { log });
    const bo = await agent(server, 'b1@example.com', 'Bo');
    const { conversationId } = await start(server, 1);
    await server.parley.conversations.settled();
    const routing = server.parley.routing.routing;
    routing.agentsChanged = async () => {
      throw new Error('announce broke');
    };
    const claimed = await bo.socket.emitWithAck('conversation:claim', { conversationId });
    expect(claimed).toMatchObject({ ok: true, data: { conversation: { assigneeId: bo.id } } });
    expect(errors.join('\n')).toContain('announce broke');
  });
});

describe('moving a conversation to another team (a keyword rule’s team action)', () => {
  it('requeues a waiting conversation into the new team, records it, and serves that team', async () => {
    server = await startServer(config());
    const { conversationId } = await start(server, 1);
    await server.parley.conversations.settled();
    expect(await conversation(server, conversationId)).toMatchObject({ team_id: 'support', assignee_id: null });
    const bo = await agent(server, 'b1@example.com', 'Bo');
    const routing = server.parley.routing.routing;

    expect(await routing.moveToTeam(conversationId, 'billing', 'moved by keyword rule "refund"')).toMatchObject({ id: conversationId, team_id: 'billing' });
    const moved = await conversation(server, conversationId);
    expect(moved).toMatchObject({ team_id: 'billing', assignee_id: bo.id });
    expect(moved.routing_reason).toContain('moved by keyword rule "refund" → team Billing');
    const events = await server.parley.db.selectFrom('routing_events').select(['kind', 'team_id']).where('conversation_id', '=', conversationId).orderBy('created_at').execute();
    expect(events.map((e) => e.kind)).toEqual(['routed', 'moved', 'assigned']);
    expect(await routing.queue.entries('support')).toHaveLength(0);

    expect(await routing.moveToTeam(conversationId, 'billing')).toBeNull();
    expect(await routing.moveToTeam(conversationId, 'ghosts')).toBeNull();
    expect(await routing.moveToTeam(conversationId, '__proto__')).toBeNull();
    expect(await routing.moveToTeam('missing', 'support')).toBeNull();
  });

  it('takes it from an assignee outside the new team, frees their slot, and queues it there in order', async () => {
    server = await startServer(config());
    const sam = await agent(server, 's1@example.com', 'Sam');
    const first = await start(server, 1);
    await server.parley.conversations.settled();
    const second = await start(server, 2);
    await server.parley.conversations.settled();
    const routing = server.parley.routing.routing;
    expect((await conversation(server, first.conversationId)).assignee_id).toBe(sam.id);
    expect(await routing.queuePosition(second.conversationId)).toBe(1);

    expect(await routing.moveToTeam(first.conversationId, 'billing')).toMatchObject({ team_id: 'billing', assignee_id: null });
    // nobody in billing is online: it waits there; Sam's freed slot takes the next in support
    expect(await conversation(server, first.conversationId)).toMatchObject({ team_id: 'billing', assignee_id: null });
    expect(await routing.queuePosition(first.conversationId)).toBe(1);
    expect((await conversation(server, second.conversationId)).assignee_id).toBe(sam.id);
    const unassigned = await server.parley.db.selectFrom('routing_events').selectAll().where('kind', '=', 'moved').executeTakeFirstOrThrow();
    expect(unassigned).toMatchObject({ conversation_id: first.conversationId, agent_id: sam.id, team_id: 'billing' });
  });

  it('publishes places only to those behind a change', async () => {
    server = await startServer(config());
    const started = [];
    for (let i = 0; i < 4; i += 1) {
      started.push(await start(server, i));
      await server.parley.conversations.settled();
    }
    const routing = server.parley.routing.routing;
    expect(await Promise.all(started.map((s) => routing.queuePosition(s.conversationId)))).toEqual([1, 2, 3, 4]);
    const heard: VisitorConversation[] = [];
    const visitors = await Promise.all(
      started.map(async (s) => {
        const socket = server?.visitorSocket(s.token as string);
        if (!socket) throw new Error('no server');
        await connected(socket);
        expect(await socket.emitWithAck('conversation:join', { conversationId: s.conversationId })).toMatchObject({ ok: true });
        socket.on('conversation:updated', (c) => heard.push(c));
        return socket;
      }),
    );
    const last = visitors[3];
    if (!last) throw new Error('no visitor');
    const moved = nextEvent<VisitorConversation>(last, 'conversation:updated', (c) => c.queuePosition === 3);
    expect(await routing.moveToTeam(started[2]?.conversationId as string, 'billing')).not.toBeNull();
    await moved;
    // the two ahead of the moved one did not move and heard nothing
    const ids = new Set(heard.map((c) => c.id));
    expect(ids.has(started[0]?.conversationId as string)).toBe(false);
    expect(ids.has(started[1]?.conversationId as string)).toBe(false);
    expect(ids.has(started[3]?.conversationId as string)).toBe(true);
  });
});

describe("query plans (SQLite's planner, in every project)", () => {
  const plan = async (t: TestServer, query: { compile(): CompiledQuery }) => {
    const { sql, parameters } = query.compile();
    const result = await t.parley.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${sql}`, [...parameters]));
    return result.rows.map((r) => r.detail).join('\n');
  };

  it('finds a contact’s earlier conversations through indexes, never a scan of conversations', async () => {
    server = await startServer(config(), { sqlite: true });
    const { conversationId } = await start(server, 1);
    const row = await server.parley.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    for (const externalId of ['user-42', null]) {
      const detail = await plan(server, earlierConversations(server.parley.db, row, externalId).select('id'));
      expect(detail).not.toMatch(/SCAN conversations\b(?! USING)/);
      expect(detail).toMatch(/conversations USING INDEX conversations_contact/);
      if (externalId) expect(detail).toMatch(/contacts USING (COVERING )?INDEX contacts_site_external/);
    }
  });

  it('reads the queue, a place in it and its head in index order, with no sort', async () => {
    server = await startServer(config(), { sqlite: true });
    const db = server.parley.db;
    const queue = db
      .selectFrom('conversations')
      .select(['id'])
      .where('team_id', '=', 'support')
      .where('status', '=', 'open')
      .where('assignee_id', 'is', null)
      .orderBy('priority', 'desc')
      .orderBy('queued_at', 'asc')
      .orderBy('id', 'asc')
      .limit(10);
    const detail = await plan(server, queue);
    expect(detail).toContain('conversations_queue_order');
    expect(detail).not.toContain('TEMP B-TREE');
    const ahead = db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', 'support')
      .where('status', '=', 'open')
      .where('assignee_id', 'is', null)
      .where((eb) => eb.or([eb('priority', '>', 1), eb.and([eb('priority', '=', 1), eb('queued_at', '<', 'x')])]));
    expect(await plan(server, ahead)).toContain('conversations_queue_order');
  });
});
