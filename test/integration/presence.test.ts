import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSummary } from '../../protocol/src/index';
import { RoutingConfigSchema } from '../../server/src/config/routing';
import { manualScheduler } from '../../server/src/services/scheduler';
import { type TestServer, chatOnlyConfig, connected, startServer } from '../helpers/server';

const PASSWORD = 'a long enough password';

/** A clock that moves only when told. */
function fakeClock(start = '2025-03-03T10:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (seconds: number) => void (t += seconds * 1000) };
}

let server: TestServer;
let clock: ReturnType<typeof fakeClock>;
afterEach(async () => {
  await server?.close();
});

async function boot(): Promise<void> {
  const config = chatOnlyConfig();
  config.routing = v.parse(RoutingConfigSchema, {
    presence: { awayAfterSeconds: 30, offlineAfterSeconds: 120, offlineGraceSeconds: 60 },
    teams: {
      billing: { name: 'Billing', members: ['bea@example.com', 'ben@example.com'], fallback: 'tech', fallbackAfterSeconds: 60 },
      tech: { name: 'Tech', members: ['tom@example.com'] },
    },
    rules: [{ name: 'Billing', when: { inquiryType: ['billing'] }, team: 'billing' }],
    default: { team: 'tech' },
  });
  clock = fakeClock();
  const scheduler = manualScheduler();
  server = await startServer(config, { clock, scheduler });
  // the presence sweep, the scheduled follow-ups' sender, the retention job, and the webhook worker, its endpoints' refresh and its log's pruning
  expect(scheduler.size()).toBe(6);
  const admin = await server.login();
  for (const [email, name] of [
    ['bea@example.com', 'Bea'],
    ['ben@example.com', 'Ben'],
    ['tom@example.com', 'Tom'],
  ]) {
    const res = await server.post('/api/v1/agents', { email, name, password: PASSWORD }, { cookie: admin });
    expect(res.status).toBe(201);
  }
}

const agentRow = (email: string) =>
  server.parley.db.selectFrom('agents').select(['id', 'presence', 'tabs_gone_at']).where('email', '=', email).executeTakeFirstOrThrow();

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function connect(email: string) {
  const socket = server.agentSocket(await server.login(email, PASSWORD));
  await connected(socket);
  await until(async () => (await agentRow(email)).presence === 'online', `${email} online`);
  return socket;
}

const sweep = (seconds: number) => {
  clock.advance(seconds);
  return server.parley.routing.presence.sweep();
};

describe('presence', () => {
  it('falls to away once every console tab has been gone for the configured time, then to offline', async () => {
    await boot();
    const one = await connect('bea@example.com');
    const two = await connect('bea@example.com');
    one.disconnect();
    await sweep(31);
    expect((await agentRow('bea@example.com')).presence).toBe('online');

    two.disconnect();
    await until(async () => (await agentRow('bea@example.com')).tabs_gone_at !== null, 'tabs gone');
    await sweep(29);
    expect((await agentRow('bea@example.com')).presence).toBe('online');
    await sweep(2);
    expect((await agentRow('bea@example.com')).presence).toBe('away');
    await sweep(60);
    expect((await agentRow('bea@example.com')).presence).toBe('away');
    await sweep(30);
    expect((await agentRow('bea@example.com')).presence).toBe('offline');

    // coming back online on its own, since the agent did not choose to be away
    await connect('bea@example.com');
  });

  it('keeps an away the agent chose, even when a tab connects', async () => {
    await boot();
    const socket = await connect('ben@example.com');
    expect(await socket.emitWithAck('presence:set', { status: 'away' })).toMatchObject({ ok: true, data: { presence: 'away' } });
    socket.disconnect();
    await until(async () => (await agentRow('ben@example.com')).tabs_gone_at !== null, 'tabs gone');
    const again = server.agentSocket(await server.login('ben@example.com', PASSWORD));
    await connected(again);
    // the tab's connect has run to its end once it cleared the countdown and presence is idle
    await until(async () => (await agentRow('ben@example.com')).tabs_gone_at === null, 'tab counted');
    await server.parley.routing.presence.idle();
    expect((await agentRow('ben@example.com')).presence).toBe('away');
    const listed = await again.emitWithAck('agents:list', {});
    if (!listed.ok) throw new Error(listed.message);
    expect(listed.data.agents.find((a: AgentSummary) => a.email === 'ben@example.com')).toMatchObject({ presence: 'away', teams: ['billing'] });
  });

  it('returns an offline agent’s open conversations to the queue after the grace period, to a colleague', async () => {
    await boot();
    const bea = await connect('bea@example.com');
    const { conversationId } = await server.startConversation();
    await server.parley.conversations.settled();
    const db = server.parley.db;
    const owner = async () => (await db.selectFrom('conversations').select('assignee_id').where('id', '=', conversationId).executeTakeFirstOrThrow()).assignee_id;
    const beaId = (await agentRow('bea@example.com')).id;
    expect(await owner()).toBe(beaId);

    expect(await bea.emitWithAck('presence:set', { status: 'offline' })).toMatchObject({ ok: true });
    await sweep(59);
    expect(await owner()).toBe(beaId);
    await sweep(2);
    expect(await owner()).toBeNull();
    const event = await db.selectFrom('routing_events').selectAll().where('kind', '=', 'unassigned').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ conversation_id: conversationId, agent_id: beaId, note: 'Bea went offline' });

    // a colleague coming online takes it from the queue
    await connect('ben@example.com');
    await until(async () => (await owner()) === (await agentRow('ben@example.com')).id, 'assigned to Ben');
    const reason = await db.selectFrom('conversations').select('routing_reason').where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(reason.routing_reason).toContain('back in the queue: Bea went offline');
  });

  it('hands a team’s waiting conversations to its fallback team when nobody has been online for the configured time', async () => {
    await boot();
    await connect('tom@example.com');
    const { conversationId } = await server.startConversation();
    await server.parley.conversations.settled();
    const db = server.parley.db;
    const row = () => db.selectFrom('conversations').select(['team_id', 'assignee_id', 'routing_reason']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ team_id: 'billing', assignee_id: null });

    await sweep(1);
    await sweep(59);
    expect((await row()).team_id).toBe('billing');
    await sweep(2);
    const moved = await row();
    expect(moved).toMatchObject({ team_id: 'tech', assignee_id: (await agentRow('tom@example.com')).id });
    expect(moved.routing_reason).toContain('handed to Tech: nobody online in Billing for 1 min');
  });

  it('leaves a conversation claimed between reading the queue and handing it over with its agent', async () => {
    await boot();
    const admin = server.agentSocket(await server.login());
    await connected(admin);
    const first = await server.startConversation();
    const second = await server.startConversation({ name: 'Second', email: 'second@example.com', inquiryType: 'billing' });
    await server.parley.conversations.settled();
    const db = server.parley.db;
    const row = (id: string) => db.selectFrom('conversations').select(['team_id', 'assignee_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const adminId = (await agentRow('admin@example.com')).id;

    // the admin (no member of Billing) claims the first one right after the hand-over read the queue
    const queue = server.parley.routing.routing.queue;
    const read = queue.entries.bind(queue);
    let claimed = false;
    queue.entries = async (teamId, ...rest) => {
      const waiting = await read(teamId, ...rest);
      if (teamId === 'billing' && rest.length === 0 && !claimed && waiting.length === 2) {
        claimed = true;
        expect(await admin.emitWithAck('conversation:claim', { conversationId: first.conversationId })).toMatchObject({ ok: true });
      }
      return waiting;
    };
    await sweep(1);
    await sweep(61);
    expect(claimed).toBe(true);
    expect(await row(first.conversationId)).toMatchObject({ team_id: 'billing', assignee_id: adminId });
    expect(await row(second.conversationId)).toMatchObject({ team_id: 'tech', assignee_id: null });
    const fallbacks = await db.selectFrom('routing_events').select('conversation_id').where('kind', '=', 'fallback').execute();
    expect(fallbacks.map((f) => f.conversation_id)).toEqual([second.conversationId]);
  });

  it('restarts the fallback countdown when someone in the team comes online', async () => {
    await boot();
    const db = server.parley.db;
    await db.updateTable('agents').set({ capacity: 1 }).where('email', '=', 'ben@example.com').execute();
    await server.startConversation();
    clock.advance(1);
    const waiting = await server.startConversation({ name: 'Second', email: 'second@example.com', inquiryType: 'billing' });
    await server.parley.conversations.settled();
    const team = async () => (await db.selectFrom('conversations').select('team_id').where('id', '=', waiting.conversationId).executeTakeFirstOrThrow()).team_id;
    await sweep(1);
    await sweep(50);
    const ben = await connect('ben@example.com');
    await sweep(1);
    expect(await ben.emitWithAck('presence:set', { status: 'away' })).toMatchObject({ ok: true });
    await sweep(1);
    await sweep(59);
    expect(await team()).toBe('billing');
    await sweep(2);
    expect(await team()).toBe('tech');
  });
});
