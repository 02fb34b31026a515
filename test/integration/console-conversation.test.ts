import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message, Note, ReadEvent, TypingEvent, VisitorReadEvent, VisitorTypingEvent } from '../../protocol/src/index';
import { type AgentSocket, type TestServer, chatOnlyConfig, clientId, connected, emitRaw, nextEvent, startServer } from '../helpers/server';

let server: TestServer;
let agent: AgentSocket;

beforeEach(async () => {
  // long conversations are written by one visitor in a burst: the abuse limits (rate-limits.test.ts) would stop it
  server = await startServer(undefined, { rateLimits: false });
  agent = server.agentSocket(await server.login());
  await connected(agent);
  await server.parley.console.labels.seed([
    { name: 'Paid', color: '#1f883d', description: null },
    { name: 'Pending payment', color: '#bf8700', description: null },
  ]);
});
afterEach(async () => {
  await server.close();
});

async function visitorIn(answers?: Record<string, unknown>) {
  const started = await server.startConversation(answers);
  const visitor = server.visitorSocket(started.token as string);
  await connected(visitor);
  await visitor.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });
  return { ...started, visitor };
}

async function search(q: string): Promise<string[]> {
  const ack = await emitRaw<{ conversations: ConversationSummary[] }>(agent, 'inbox:search', { q });
  if (!ack.ok) throw new Error(ack.message);
  return ack.data.conversations.map((c) => c.id);
}

describe('private notes', () => {
  it('reach the agents who opened the conversation and never the visitor, live or on join', async () => {
    const { conversationId, visitor } = await visitorIn();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const heard: unknown[] = [];
    visitor.onAny((event, ...args) => heard.push([event, args]));
    const live = nextEvent<Note>(agent, 'note:new');
    const secret = 'Customer is a reseller <b>do not discount</b>';
    const ack = await agent.emitWithAck('note:add', { conversationId, clientId: clientId(), text: secret });
    expect(ack).toMatchObject({ ok: true, data: { note: { text: secret, authorName: 'Alex Agent' } } });
    expect((await live).text).toBe(secret);
    await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'A public reply' });
    await new Promise((r) => setTimeout(r, 200));
    const rejoin = await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    expect(JSON.stringify(rejoin)).not.toContain('reseller');
    expect(JSON.stringify(heard)).not.toContain('reseller');
    expect(JSON.stringify(heard)).toContain('A public reply');
    const opened = await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data.conversation.notes.map((n) => n.text)).toEqual([secret]);
    expect(opened.data.messages.map((m) => m.text)).not.toContain(secret);
  });

  it('are stored once per client id and refuse bad input', async () => {
    const { conversationId } = await visitorIn();
    const id = clientId();
    const a = await agent.emitWithAck('note:add', { conversationId, clientId: id, text: 'first' });
    const b = await agent.emitWithAck('note:add', { conversationId, clientId: id, text: 'second' });
    if (!a.ok || !b.ok) throw new Error('note failed');
    expect(b.data.note.id).toBe(a.data.note.id);
    expect(await emitRaw(agent, 'note:add', { conversationId, clientId: clientId(), text: '' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'note:add', { conversationId, clientId: clientId(), text: 'x'.repeat(10_000) })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'note:add', { conversationId, clientId: clientId(), text: 42 })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'note:add', { conversationId: 'missing', clientId: clientId(), text: 'hi' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('cannot be added or read by a visitor socket', async () => {
    const { conversationId, visitor } = await visitorIn();
    expect(await emitRaw(visitor, 'note:add', { conversationId, clientId: clientId(), text: 'sneaky' }).catch(() => 'no answer')).toBe('no answer');
  });
});

describe('labels', () => {
  it('are added from the catalogue, shown to every agent live, and recorded on the timeline', async () => {
    const { conversationId } = await visitorIn();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const upsert = nextEvent<ConversationSummary>(agent, 'conversation:upsert', (c) => c.labels.includes('Paid'));
    expect(await agent.emitWithAck('conversation:labels', { id: conversationId, add: ['Paid', 'Pending payment'] })).toEqual({ ok: true, data: { labels: ['Paid', 'Pending payment'] } });
    expect((await upsert).labels).toEqual(['Paid', 'Pending payment']);
    expect(await agent.emitWithAck('conversation:labels', { id: conversationId, remove: ['Pending payment'] })).toEqual({ ok: true, data: { labels: ['Paid'] } });
    const opened = await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data.conversation.events.filter((e) => e.kind.endsWith('labelled')).map((e) => [e.kind, e.note, e.actorName])).toEqual([
      ['labelled', 'Paid', 'Alex Agent'],
      ['labelled', 'Pending payment', 'Alex Agent'],
      ['unlabelled', 'Pending payment', 'Alex Agent'],
    ]);
  });

  it('refuses a label the catalogue does not have, HTML included, and changes nothing', async () => {
    const { conversationId } = await visitorIn();
    const ack = await emitRaw(agent, 'conversation:labels', { id: conversationId, add: ['<img src=x onerror=alert(1)>'] });
    expect(ack).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'conversation:labels', { id: conversationId, add: 'Paid' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'conversation:labels', { id: conversationId, add: ['a\u202Eb'] })).toMatchObject({ ok: false, code: 'invalid_payload' });
    const row = await server.parley.db.selectFrom('conversation_labels').selectAll().where('conversation_id', '=', conversationId).execute();
    expect(row).toEqual([]);
  });

  it('are managed by admins only over REST, with every console told', async () => {
    const cookie = await server.login();
    const changed = nextEvent<{ name: string }[]>(agent, 'labels:updated');
    const res = await fetch(`${server.url}/api/v1/labels`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Gift wrap', color: '#0969da' }) });
    expect(res.status).toBe(201);
    expect((await changed).map((l) => l.name)).toContain('Gift wrap');
    const again = await fetch(`${server.url}/api/v1/labels`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Gift wrap', color: '#0969da' }) });
    expect(again.status).toBe(409);
    const bad = await fetch(`${server.url}/api/v1/labels`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Red', color: 'red' }) });
    expect(bad.status).toBe(422);
    await server.parley.routing.directory.create({ id: 'x', name: 'Alex', email: 'admin@example.com', role: 'admin', sessionHash: '' } as never, { email: 'plain@example.com', name: 'Plain Agent', password: 'plain agent password', role: 'agent' });
    const plain = await server.login('plain@example.com', 'plain agent password');
    const refused = await fetch(`${server.url}/api/v1/labels/Paid`, { method: 'DELETE', headers: { cookie: plain } });
    expect(refused.status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/labels`, { headers: { cookie: plain } })).status).toBe(200);
  });
});

describe('search', () => {
  it('finds a conversation by name, email, phone digits, order ID and a word of a message, and never by a note', async () => {
    const a = await visitorIn({ name: 'Ана Петрова', email: 'ana.p@example.com', inquiryType: 'billing' });
    const b = await visitorIn({ name: '王小明', email: 'wang@example.com', inquiryType: 'billing' });
    await server.parley.db.updateTable('contacts').set({ phone: '+44 20 7946 0958' }).where('id', '=', b.contactId).execute();
    await server.parley.console.search.indexContact(b.contactId);
    await a.visitor.emitWithAck('message:send', { conversationId: a.conversationId, clientId: clientId(), text: 'My parcel A-10042 never arrived' });
    await agent.emitWithAck('note:add', { conversationId: b.conversationId, clientId: clientId(), text: 'internalsecretword' });
    expect(await search('Петрова')).toEqual([a.conversationId]);
    expect(await search('ана')).toEqual([a.conversationId]);
    expect(await search('wang@example.com')).toEqual([b.conversationId]);
    expect(await search('王小明')).toEqual([b.conversationId]);
    expect(await search('442079460958')).toEqual([b.conversationId]);
    expect(await search('A-10042')).toEqual([a.conversationId]);
    expect(await search('parcel')).toEqual([a.conversationId]);
    expect(await search('internalsecretword')).toEqual([]);
  });

  it('treats search syntax as plain words and refuses empty or huge queries', async () => {
    await visitorIn({ name: 'Quote "Man', email: 'q@example.com', inquiryType: 'billing' });
    for (const q of ['"', '*', 'NEAR(a b)', 'name:x', '-a', '(((', 'a OR', '"unbalanced', "'; DROP TABLE messages; --"]) {
      const ack = await emitRaw(agent, 'inbox:search', { q });
      expect(ack.ok, q).toBe(true);
    }
    expect(await search('"Man')).toHaveLength(1);
    expect(await emitRaw(agent, 'inbox:search', { q: '   ' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:search', { q: 'x'.repeat(500) })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:search', { q: 7 })).toMatchObject({ ok: false, code: 'invalid_payload' });
  });
});

describe('typing and seen, both ways', () => {
  it('shows each side the other typing, with the preview the demo site enables', async () => {
    const { conversationId, visitor } = await visitorIn();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const agentSees = nextEvent<TypingEvent>(agent, 'typing', (e) => e.who === 'visitor');
    visitor.emit('typing', { conversationId, typing: true, preview: 'my order nu' });
    expect(await agentSees).toMatchObject({ conversationId, who: 'visitor', typing: true, preview: 'my order nu', name: 'Ana García' });
    const visitorSees = nextEvent<VisitorTypingEvent>(visitor, 'typing');
    agent.emit('typing', { conversationId, typing: true });
    expect(await visitorSees).toEqual({ conversationId, name: 'Alex Agent', typing: true });
    // malformed events are dropped without breaking the socket
    const raw = visitor.emit.bind(visitor) as unknown as (event: string, ...args: unknown[]) => void;
    raw('typing', { conversationId, typing: 'yes' });
    raw('typing', 'garbage');
    expect(visitor.connected).toBe(true);
  });

  it("keeps the visitor's unsent words to themselves on a site without typing previews", async () => {
    await server.close();
    const config = chatOnlyConfig();
    for (const site of Object.values(config.sites)) site.typingPreview = false;
    server = await startServer(config);
    agent = server.agentSocket(await server.login());
    await connected(agent);
    const { conversationId, visitor } = await visitorIn();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const agentSees = nextEvent<TypingEvent>(agent, 'typing', (e) => e.who === 'visitor');
    visitor.emit('typing', { conversationId, typing: true, preview: 'my card number is 4111' });
    expect(await agentSees).toMatchObject({ conversationId, typing: true, preview: null });
  });

  it('does not relay typing for a conversation the visitor does not own', async () => {
    const other = await visitorIn();
    const { visitor } = await visitorIn();
    await agent.emitWithAck('conversation:open', { conversationId: other.conversationId, afterSeq: 0 });
    const got: TypingEvent[] = [];
    agent.on('typing', (e) => got.push(e));
    visitor.emit('typing', { conversationId: other.conversationId, typing: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
  });

  it("moves the visitor's Seen when an agent reads, and the agent's when the visitor reads", async () => {
    const { conversationId, visitor } = await visitorIn();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const sent = await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Hi' });
    if (!sent.ok) throw new Error(sent.message);
    const visitorSeen = nextEvent<VisitorReadEvent>(visitor, 'conversation:read');
    await agent.emitWithAck('conversation:read', { conversationId, seq: sent.data.message.seq });
    expect(await visitorSeen).toEqual({ conversationId, agentReadSeq: sent.data.message.seq, visitorReadSeq: 0 });
    const reply = await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Hello!' });
    if (!reply.ok) throw new Error(reply.message);
    const agentSeen = nextEvent<ReadEvent>(agent, 'conversation:read', (e) => e.agentId === null);
    expect(await visitor.emitWithAck('conversation:read', { conversationId, seq: reply.data.message.seq })).toEqual({ ok: true, data: { seq: reply.data.message.seq } });
    expect((await agentSeen).visitorReadSeq).toBe(reply.data.message.seq);
    const other = await visitorIn();
    expect(await emitRaw(visitor, 'conversation:read', { conversationId: other.conversationId, seq: 1 })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('long conversations, replies that claim, and the contact', () => {
  it('opens at the latest page and pages back by seq', async () => {
    const { conversationId, visitor } = await visitorIn();
    for (let i = 1; i <= 120; i++) await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text: `message ${i}` });
    const latest = await agent.emitWithAck('conversation:latest', { conversationId, limit: 50 });
    if (!latest.ok) throw new Error(latest.message);
    expect(latest.data.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(latest.data.hasMore).toBe(true);
    const older = await agent.emitWithAck('conversation:history', { conversationId, beforeSeq: 71, limit: 50 });
    if (!older.ok) throw new Error(older.message);
    expect(older.data.messages[0]?.seq).toBe(21);
    const oldest = await agent.emitWithAck('conversation:history', { conversationId, beforeSeq: 21, limit: 50 });
    expect(oldest).toMatchObject({ ok: true, data: { hasMore: false } });
    if (oldest.ok) expect(oldest.data.messages.map((m: Message) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await emitRaw(agent, 'conversation:history', { conversationId, beforeSeq: 0 })).toMatchObject({ ok: false, code: 'invalid_payload' });
  });

  it('claims an unassigned conversation for the agent who replies', async () => {
    const { conversationId } = await visitorIn();
    const reply = await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'On it' });
    expect(reply.ok).toBe(true);
    const row = await server.parley.db.selectFrom('conversations').select('assignee_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
    const me = await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    expect(row.assignee_id).toBe(me.id);
  });

  it('refuses a reply that would claim past capacity, saying so, and leaves it unassigned', async () => {
    const me = await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    await server.parley.db.updateTable('agents').set({ capacity: 1 }).where('id', '=', me.id).execute();
    const first = await visitorIn();
    expect((await agent.emitWithAck('message:send', { conversationId: first.conversationId, clientId: clientId(), text: 'Mine now' })).ok).toBe(true);
    const second = await visitorIn();
    const refused = await agent.emitWithAck('message:send', { conversationId: second.conversationId, clientId: clientId(), text: 'And this one?' });
    expect(refused).toMatchObject({ ok: false, code: 'conflict' });
    if (!refused.ok) expect(refused.message).toMatch(/capacity of 1/);
    const row = await server.parley.db.selectFrom('conversations').select('assignee_id').where('id', '=', second.conversationId).executeTakeFirstOrThrow();
    expect(row.assignee_id).toBeNull();
  });

  it("shows the contact's attributes, pages, browser, time zone and other conversations", async () => {
    const started = await server.post(
      '/api/v1/sites/demo/conversations',
      { answers: { name: 'Tz Visitor', email: 'tz@example.com', inquiryType: 'billing' }, consent: true, pageUrl: 'http://shop.test/', timeZone: 'Asia/Tokyo' },
      { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0' },
    );
    const { token, conversationId, contactId } = (await started.json()) as { token: string; conversationId: string; contactId: string };
    const visitor = server.visitorSocket(token);
    await connected(visitor);
    await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    expect(await visitor.emitWithAck('page:view', { conversationId, url: 'http://shop.test/cart', title: 'Cart' })).toEqual({ ok: true, data: { recorded: true } });
    expect(await visitor.emitWithAck('page:view', { conversationId, url: 'http://shop.test/cart', title: 'Cart' })).toEqual({ ok: true, data: { recorded: false } });
    expect(await emitRaw(visitor, 'page:view', { conversationId, url: 'javascript:alert(1)' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    const updated = nextEvent<{ contactId: string }>(agent, 'contact:updated');
    const attrs = await agent.emitWithAck('contact:attributes', { contactId, attributes: { plan: 'Gold', orders: 3, '<b>': 'x' } });
    expect(attrs).toMatchObject({ ok: false, code: 'invalid_payload' });
    const ok = await agent.emitWithAck('contact:attributes', { contactId, attributes: { plan: 'Gold', orders: 3 } });
    expect(ok).toMatchObject({ ok: true, data: { profile: { attributes: { plan: 'Gold', orders: 3 } } } });
    expect((await updated).contactId).toBe(contactId);
    await agent.emitWithAck('contact:attributes', { contactId, attributes: { plan: null } });
    const opened = await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data.conversation.profile).toMatchObject({
      attributes: { orders: 3 },
      timeZone: 'Asia/Tokyo',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
      pages: [{ url: 'http://shop.test/cart', title: 'Cart' }],
    });
    expect(opened.data.conversation.profile.conversations.map((c) => c.id)).toEqual([conversationId]);
  });
});
