import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Ack, type FollowUpTiming, Limits, type Message, type ScheduledMessage, type StartConversationResult, type UnreadSummary, type VisitorReadEvent } from '../../protocol/src/index';
import { manualScheduler } from '../../server/src/services/scheduler';
import { type AgentSocket, type TestServer, chatOnlyConfig, clientId, connected, emitRaw, nextEvent, startServer } from '../helpers/server';

let server: TestServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 23:00 UTC: 02:00 the next day in Moscow, 18:00 in New York. */
const T0 = new Date('2026-12-04T23:00:00.000Z');

function fakeClock(start = T0) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms), set: (d: Date) => void (now = d.getTime()) };
}

async function begin(t: TestServer, timeZone: string | null, answers: Record<string, unknown> = { name: 'Ana García', email: 'ana@example.com', inquiryType: 'billing' }, token?: string) {
  const res = await t.post(
    '/api/v1/sites/demo/conversations',
    { answers, consent: true, pageUrl: 'http://shop.test/cart', ...(timeZone ? { timeZone } : {}) },
    token ? { authorization: `Bearer ${token}` } : {},
  );
  expect(res.status).toBe(201);
  return (await res.json()) as StartConversationResult;
}

async function adminSocket(t: TestServer): Promise<AgentSocket> {
  const socket = t.agentSocket(await t.login());
  await connected(socket);
  return socket;
}

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`${ack.code}: ${ack.message}`);
  return ack.data;
};

async function closeIt(agent: AgentSocket, conversationId: string) {
  ok(await agent.emitWithAck('conversation:close', { conversationId }));
}

const row = (t: TestServer, id: string) =>
  t.parley.db.selectFrom('conversations').select(['status', 'assignee_id', 'unseen_since', 'last_agent_seq']).where('id', '=', id).executeTakeFirstOrThrow();

describe('a follow-up to a closed conversation', () => {
  it('reopens it assigned to the writer in the same step, with a timeline event, whatever their load', async () => {
    const config = chatOnlyConfig();
    config.routing = { ...config.routing, defaultCapacity: 1 };
    server = await startServer(config);
    const agent = await adminSocket(server);
    const a = await begin(server, 'Europe/Madrid');
    const b = await begin(server, 'Europe/Madrid', { name: 'Bo', email: 'bo@example.com', inquiryType: 'billing' });
    ok(await agent.emitWithAck('conversation:open', { conversationId: a.conversationId, afterSeq: 0 }));
    await closeIt(agent, a.conversationId);
    // the admin now holds another open conversation: at capacity 1
    ok(await agent.emitWithAck('message:send', { conversationId: b.conversationId, clientId: clientId(), text: 'Hello Bo' }));
    expect((await row(server, b.conversationId)).assignee_id).not.toBeNull();

    const event = nextEvent<{ kind: string; note: string | null; actorName: string | null }>(agent, 'conversation:event', (e) => e.kind === 'reopened');
    const sent = ok(await agent.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text: 'Your refund went out today.' }));
    expect(sent.message.authorType).toBe('agent');
    const after = await row(server, a.conversationId);
    const admin = await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'open', assignee_id: admin.id });
    expect(await event).toMatchObject({ kind: 'reopened', note: 'follow-up', actorName: 'Alex Agent' });
    const stored = await server.parley.db.selectFrom('routing_events').select(['kind', 'note', 'actor_id']).where('conversation_id', '=', a.conversationId).where('kind', '=', 'reopened').execute();
    expect(stored).toEqual([{ kind: 'reopened', note: 'follow-up', actor_id: admin.id }]);
  });

  it('is refused, with the reason, when the contact opted out from the widget; the opt-out is kept as proof', async () => {
    server = await startServer();
    const agent = await adminSocket(server);
    const a = await begin(server, 'Europe/Madrid');
    const visitor = server.visitorSocket(a.token!);
    await connected(visitor);
    const joined = ok(await visitor.emitWithAck('conversation:join', { conversationId: a.conversationId, afterSeq: 0 }));
    expect(joined.conversation.followUps).toEqual({ optedOut: null });
    // bad input first
    for (const bad of [{}, { allow: 'no' }, { allow: null }, 'x']) expect((await emitRaw(visitor, 'followups:set', bad)).ok).toBe(false);
    const out = ok(await visitor.emitWithAck('followups:set', { allow: false }));
    expect(out.optedOut?.via).toBe('widget');
    // a second opt-out keeps the first time
    expect(ok(await visitor.emitWithAck('followups:set', { allow: false })).optedOut?.at).toBe(out.optedOut?.at);

    // while the chat is open, the agent still answers
    ok(await agent.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text: 'Still here' }));
    await closeIt(agent, a.conversationId);
    const refused = await agent.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text: 'One more thing' });
    expect(refused).toMatchObject({ ok: false, code: 'forbidden' });
    expect(!refused.ok && refused.message).toMatch(/^Ana García opted out of follow-ups on \d+ \w+ \d{4}/);
    expect((await row(server, a.conversationId)).status).toBe('closed');
    const scheduled = await agent.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: clientId(), text: 'later', sendAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(scheduled).toMatchObject({ ok: false, code: 'forbidden' });
    const timing = ok(await agent.emitWithAck('followup:timing', { conversationId: a.conversationId })).timing;
    expect(timing.optedOut?.via).toBe('widget');

    // the contact panel shows it; accepting again is logged too
    const profile = ok(await agent.emitWithAck('conversation:open', { conversationId: a.conversationId, afterSeq: 0 })).conversation.profile;
    expect(profile?.followUpsOptedOut?.via).toBe('widget');
    expect(ok(await visitor.emitWithAck('followups:set', { allow: true })).optedOut).toBeNull();
    const proof = await server.parley.db.selectFrom('follow_up_consents').select(['action', 'via', 'detail']).orderBy('created_at').execute();
    expect(proof.map((p) => `${p.action}/${p.via}`)).toEqual(['opt_out/widget', 'opt_in/widget']);
    ok(await agent.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text: 'One more thing' }));
    expect((await row(server, a.conversationId)).status).toBe('open');
  });
});

describe("the contact's daytime", () => {
  it("offers the contact's next morning when their local time is outside the window", async () => {
    const clock = fakeClock();
    server = await startServer(chatOnlyConfig(), { clock });
    const agent = await adminSocket(server);
    const moscow = await begin(server, 'Europe/Moscow');
    const ny = await begin(server, 'America/New_York', { name: 'Ned', email: 'ned@example.com', inquiryType: 'billing' });
    const unknown = await begin(server, null, { name: 'Una', email: 'una@example.com', inquiryType: 'billing' });
    const timing = async (id: string) => ok(await agent.emitWithAck('followup:timing', { conversationId: id })).timing as FollowUpTiming;
    expect(await timing(moscow.conversationId)).toMatchObject({
      timeZone: 'Europe/Moscow',
      localTime: '02:00',
      outside: true,
      rule: 'window',
      window: { start: '08:00', end: '21:00' },
      suggestedAt: '2026-12-05T05:00:00.000Z',
      suggestedLocal: 'Sat 08:00',
      optedOut: null,
    });
    expect(await timing(ny.conversationId)).toMatchObject({ localTime: '18:00', outside: false, suggestedAt: null });
    expect(await timing(unknown.conversationId)).toMatchObject({ timeZone: null, outside: false, suggestedAt: null });
    // 21:30 in New York: the next morning there
    clock.set(new Date('2026-12-05T02:30:00.000Z'));
    expect(await timing(ny.conversationId)).toMatchObject({ localTime: '21:30', outside: true, suggestedAt: '2026-12-05T13:00:00.000Z', suggestedLocal: 'Sat 08:00' });
    for (const bad of [{}, { conversationId: 'nope' }, { conversationId: 42 }]) expect((await emitRaw(agent, 'followup:timing', bad)).ok).toBe(false);
  });

  it('a site that asks for business hours uses them instead of the window', async () => {
    const config = chatOnlyConfig();
    config.sites.demo!.followUps = { daytime: { start: '08:00', end: '21:00', businessHours: true }, email: { delayMinutes: 10, contextMessages: 3 } };
    config.sites.demo!.autoReplies = {
      ...(chatOnlyConfig().sites.demo!.autoReplies ?? {}),
      hours: { timeZone: 'Europe/Berlin', weekly: { mon: [{ from: '09:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }] } },
    } as never;
    const clock = fakeClock(new Date('2026-12-05T10:00:00.000Z')); // a Saturday
    server = await startServer(config, { clock });
    const agent = await adminSocket(server);
    const a = await begin(server, 'Europe/Berlin');
    const timing = ok(await agent.emitWithAck('followup:timing', { conversationId: a.conversationId })).timing;
    expect(timing).toMatchObject({ rule: 'hours', outside: true, suggestedAt: '2026-12-07T08:00:00.000Z', suggestedLocal: 'Mon 09:00' });
  });
});

describe('scheduled follow-ups', () => {
  it('are stored, listed, edited and cancelled until sent, then sent once at their time', async () => {
    const clock = fakeClock();
    const scheduler = manualScheduler();
    server = await startServer(chatOnlyConfig(), { clock, scheduler });
    const agent = await adminSocket(server);
    const a = await begin(server, 'Europe/Moscow');
    ok(await agent.emitWithAck('conversation:open', { conversationId: a.conversationId, afterSeq: 0 }));
    await closeIt(agent, a.conversationId);
    const at = '2026-12-05T05:00:00.000Z';
    const id = clientId();
    const first = ok(await agent.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: id, text: 'Good morning! <b>Your order</b> shipped.', sendAt: at })).scheduled;
    expect(first).toMatchObject({ status: 'scheduled', sendAt: at, text: 'Good morning! <b>Your order</b> shipped.', agentName: 'Alex Agent' });
    // the same client id again (a retry) is the same follow-up
    const again = ok(await agent.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: id, text: 'Good morning! <b>Your order</b> shipped.', sendAt: at })).scheduled;
    expect(again.id).toBe(first.id);
    // bad input
    for (const bad of [
      { conversationId: a.conversationId, clientId: clientId(), text: 'x', sendAt: '2026-12-04T20:00:00.000Z' },
      { conversationId: a.conversationId, clientId: clientId(), text: 'x', sendAt: '2027-02-01T00:00:00.000Z' },
      { conversationId: a.conversationId, clientId: clientId(), text: 'x', sendAt: 'tomorrow' },
      { conversationId: a.conversationId, clientId: clientId(), text: '', sendAt: at },
      { conversationId: a.conversationId, clientId: clientId(), text: 'x'.repeat(Limits.messageText + 1), sendAt: at },
      { conversationId: 'missing', clientId: clientId(), text: 'x', sendAt: at },
    ]) {
      expect((await emitRaw(agent, 'followup:schedule', bad)).ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }

    const edited = ok(await agent.emitWithAck('followup:edit', { id: first.id, text: 'Good morning! Your order shipped.' })).scheduled;
    expect(edited.text).toBe('Good morning! Your order shipped.');
    const other = ok(await agent.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: clientId(), text: 'never mind', sendAt: at })).scheduled;
    const cancelled = ok(await agent.emitWithAck('followup:cancel', { id: other.id })).scheduled;
    expect(cancelled.status).toBe('cancelled');
    expect(await agent.emitWithAck('followup:edit', { id: other.id, text: 'too late' })).toMatchObject({ ok: false, code: 'conflict' });
    const listed = ok(await agent.emitWithAck('followup:list', { conversationId: a.conversationId })).scheduled;
    expect(listed.map((s) => s.status)).toEqual(['scheduled', 'cancelled']);

    // not due yet: nothing is sent
    await scheduler.runAll();
    await server.parley.followUps.sendDue();
    expect((await row(server, a.conversationId)).status).toBe('closed');

    clock.set(new Date(at));
    const update = nextEvent<ScheduledMessage>(agent, 'followup:updated', (s) => s.id === first.id && s.status === 'sent');
    scheduler.runAll();
    await server.parley.followUps.settled();
    await server.parley.followUps.sendDue();
    const sent = await update;
    expect(sent.messageId).toBeTruthy();
    const messages = await server.parley.db.selectFrom('messages').select(['text', 'author_type', 'author_name']).where('conversation_id', '=', a.conversationId).execute();
    expect(messages).toEqual([{ text: 'Good morning! Your order shipped.', author_type: 'agent', author_name: 'Alex Agent' }]);
    expect((await row(server, a.conversationId)).status).toBe('open');
    expect(await agent.emitWithAck('followup:cancel', { id: first.id })).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('only its author or an admin changes it', async () => {
    server = await startServer();
    const admin = await adminSocket(server);
    const cookie = await server.login();
    expect((await server.post('/api/v1/agents', { email: 'b@example.com', name: 'Bea', password: 'a long enough password' }, { cookie })).status).toBe(201);
    const bea = server.agentSocket(await server.login('b@example.com', 'a long enough password'));
    await connected(bea);
    const a = await begin(server, 'Europe/Madrid');
    const mine = ok(await admin.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: clientId(), text: 'hi', sendAt: new Date(Date.now() + 3600_000).toISOString() })).scheduled;
    expect(await bea.emitWithAck('followup:cancel', { id: mine.id })).toMatchObject({ ok: false, code: 'forbidden' });
    const hers = ok(await bea.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: clientId(), text: 'hello', sendAt: new Date(Date.now() + 3600_000).toISOString() })).scheduled;
    expect(ok(await admin.emitWithAck('followup:cancel', { id: hers.id })).scheduled.status).toBe('cancelled');
  });

  it('is sent exactly once across a restart, and again safely after a crash mid-send', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-followups-'));
    dirs.push(dataDir);
    const clock = fakeClock();
    server = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler(), dataDir });
    const agent = await adminSocket(server);
    const a = await begin(server, 'Europe/Moscow');
    await closeIt(agent, a.conversationId);
    const at = '2026-12-05T05:00:00.000Z';
    const one = ok(await agent.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: clientId(), text: 'first', sendAt: at })).scheduled;
    const two = ok(await agent.emitWithAck('followup:schedule', { conversationId: a.conversationId, clientId: clientId(), text: 'second', sendAt: at })).scheduled;
    await server.close();

    // the node stopped while sending "second": its message was stored, its row still says 'sending'
    clock.set(new Date('2026-12-05T05:10:00.000Z'));
    server = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler(), dataDir });
    const twoRow = await server.parley.db.selectFrom('scheduled_messages').selectAll().where('id', '=', two.id).executeTakeFirstOrThrow();
    await server.parley.conversations.append(a.conversationId, twoRow.client_id, 'second', { type: 'agent', agentId: twoRow.agent_id, name: twoRow.agent_name });
    await server.parley.db.updateTable('scheduled_messages').set({ status: 'sending', updated_at: '2026-12-05T05:00:30.000Z', attempts: 1 }).where('id', '=', two.id).execute();

    await server.parley.followUps.sendDue();
    await server.parley.followUps.sendDue();
    const texts = (await server.parley.db.selectFrom('messages').select('text').where('conversation_id', '=', a.conversationId).orderBy('seq').execute()).map((m) => m.text);
    expect(texts.sort()).toEqual(['first', 'second']);
    const statuses = await server.parley.db.selectFrom('scheduled_messages').select(['id', 'status']).where('conversation_id', '=', a.conversationId).execute();
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [one.id]: 'sent', [two.id]: 'sent' });
  });
});

describe('the unread badge of a returning visitor', () => {
  const unread = (t: TestServer, token: string, site = 'demo', headers: Record<string, string> = {}) =>
    fetch(`${t.url}/api/v1/sites/${site}/unread`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: token });

  it('counts agent messages not seen, names the latest, and agrees across tabs once read', async () => {
    server = await startServer();
    const agent = await adminSocket(server);
    const a = await begin(server, 'Europe/Madrid');
    const empty = await unread(server, a.token!);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('cache-control')).toBe('no-store');
    const english = { unread: { one: '{n} unread message', other: '{n} unread messages' }, dismiss: 'Dismiss' };
    expect(await empty.json()).toEqual({ unread: 0, conversationId: a.conversationId, open: true, latest: null, texts: english });
    // the badge's words come in the language the loader asks for (the app and its config are not loaded yet)
    const german = (await (await fetch(`${server.url}/api/v1/sites/demo/unread?lang=de-AT,de`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: a.token! })).json()) as UnreadSummary;
    expect(german.texts).toEqual({ unread: { one: '{n} ungelesene Nachricht', other: '{n} ungelesene Nachrichten' }, dismiss: 'Schließen' });

    const tab1 = server.visitorSocket(a.token!);
    const tab2 = server.visitorSocket(a.token!);
    await Promise.all([connected(tab1), connected(tab2)]);
    for (const tab of [tab1, tab2]) ok(await tab.emitWithAck('conversation:join', { conversationId: a.conversationId, afterSeq: 0 }));
    ok(await tab1.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text: 'Where is my order?' }));
    let last: Message | null = null;
    for (const text of ['Let me check.', 'It ships <b>tomorrow</b> 📦']) last = ok(await agent.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text })).message;
    await closeIt(agent, a.conversationId);

    const summary = (await (await unread(server, a.token!)).json()) as UnreadSummary;
    expect(summary).toEqual({
      unread: 2,
      conversationId: a.conversationId,
      open: false,
      latest: { id: last!.id, seq: last!.seq, authorName: 'Alex Agent', text: 'It ships <b>tomorrow</b> 📦' },
      texts: english,
    });
    expect((await row(server, a.conversationId)).unseen_since).not.toBeNull();

    // reading in one tab tells the other
    const told = nextEvent<VisitorReadEvent>(tab2, 'conversation:read', (e) => e.visitorReadSeq === last!.seq);
    ok(await tab1.emitWithAck('conversation:read', { conversationId: a.conversationId, seq: last!.seq }));
    await told;
    expect(((await (await unread(server, a.token!)).json()) as UnreadSummary).unread).toBe(0);
    expect((await row(server, a.conversationId)).unseen_since).toBeNull();
  });

  it('a follow-up in an older conversation is found after the visitor started a newer one', async () => {
    server = await startServer();
    const agent = await adminSocket(server);
    const first = await begin(server, 'Europe/Madrid');
    await closeIt(agent, first.conversationId);
    const second = await begin(server, 'Europe/Madrid', { name: 'Ana García', email: 'ana@example.com', inquiryType: 'billing' }, first.token);
    expect(second.conversationId).not.toBe(first.conversationId);
    await closeIt(agent, second.conversationId);
    ok(await agent.emitWithAck('message:send', { conversationId: first.conversationId, clientId: clientId(), text: 'About your first question…' }));
    const summary = (await (await unread(server, first.token!)).json()) as UnreadSummary;
    expect(summary).toMatchObject({ unread: 1, conversationId: first.conversationId, open: true, latest: { text: 'About your first question…' } });
  });

  it('refuses an unknown token, another site, and answers a foreign origin only when it may embed', async () => {
    server = await startServer();
    const a = await begin(server, 'Europe/Madrid');
    expect((await unread(server, 'x'.repeat(43))).status).toBe(401);
    expect((await unread(server, '')).status).toBe(401);
    expect((await unread(server, a.token!, 'nope')).status).toBe(404);
    expect((await unread(server, 'y'.repeat(5000))).status).toBe(413);
    const foreign = await unread(server, a.token!, 'demo', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });
});
