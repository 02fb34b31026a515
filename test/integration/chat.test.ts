import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConversationSummary, Limits, type Message } from '../../protocol/src/index';
import { type TestServer, clientId, connected, emitRaw, nextEvent, startServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

describe('a visitor and an agent chatting', () => {
  it('delivers the visitor message to the agent and the reply back, live', async () => {
    const cookie = await server.login();
    const agent = server.agentSocket(cookie);
    await connected(agent);
    const upsert = nextEvent<ConversationSummary>(agent, 'conversation:upsert');

    const { token, conversationId } = await server.startConversation();
    expect((await upsert).id).toBe(conversationId);
    expect((await upsert).contact.name).toBe('Ana García');

    const visitor = server.visitorSocket(token as string);
    await connected(visitor);
    const joined = await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    expect(joined).toMatchObject({ ok: true, data: { conversation: { id: conversationId, status: 'open' }, messages: [] } });

    const opened = await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data.conversation.answers).toEqual([
      { key: 'name', label: 'Name', value: 'Ana García' },
      { key: 'email', label: 'Email', value: 'ana@example.com' },
      { key: 'inquiryType', label: 'Inquiry type', value: 'billing' },
    ]);
    expect(opened.data.conversation.consent?.text).toContain('I agree');

    const agentGets = nextEvent<Message>(agent, 'message:new');
    const sent = await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Where is my order?' });
    expect(sent).toMatchObject({ ok: true, data: { message: { seq: 1, authorType: 'visitor', text: 'Where is my order?' } } });
    expect((await agentGets).text).toBe('Where is my order?');

    const visitorGets = nextEvent<Message>(visitor, 'message:new', (m) => m.authorType === 'agent');
    const reply = await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'It ships today.' });
    expect(reply).toMatchObject({ ok: true, data: { message: { seq: 2, authorName: 'Alex Agent' } } });
    expect(await visitorGets).toMatchObject({ seq: 2, text: 'It ships today.', authorType: 'agent', authorName: 'Alex Agent' });
  });

  it('stores a message once when the same client id is sent twice, even at the same moment', async () => {
    const { token, conversationId } = await server.startConversation();
    const visitor = server.visitorSocket(token as string);
    await connected(visitor);
    const id = clientId();
    const payload = { conversationId, clientId: id, text: 'hello' };
    const [a, b] = await Promise.all([visitor.emitWithAck('message:send', payload), visitor.emitWithAck('message:send', payload)]);
    const c = await visitor.emitWithAck('message:send', { ...payload, text: 'a different text is ignored' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('send failed');
    expect(b.data.message.id).toBe(a.data.message.id);
    expect(c.data.message).toEqual(a.data.message);
    const rows = await server.parley.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).execute();
    expect(rows).toHaveLength(1);
  });

  it('gives a reconnecting visitor exactly what it missed, in order', async () => {
    const { token, conversationId } = await server.startConversation();
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    await agent.emitWithAck('conversation:open', { conversationId });
    for (const text of ['one', 'two', 'three', 'four']) {
      await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text });
    }
    const visitor = server.visitorSocket(token as string);
    await connected(visitor);
    const sync = await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 2 });
    if (!sync.ok) throw new Error(sync.message);
    expect(sync.data.messages.map((m) => [m.seq, m.text])).toEqual([
      [3, 'three'],
      [4, 'four'],
    ]);
    expect(sync.data.hasMore).toBe(false);
  });

  it('keeps HTML, script and unicode as plain text, byte for byte', async () => {
    const { token, conversationId } = await server.startConversation();
    const visitor = server.visitorSocket(token as string);
    await connected(visitor);
    const texts = ['<script>alert(1)</script><img src=x onerror=alert(2)>', 'Привет 👋 你好 مرحبا', 'line one\nline two'];
    for (const text of texts) {
      const ack = await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text });
      expect(ack).toMatchObject({ ok: true, data: { message: { text } } });
    }
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const opened = await agent.emitWithAck('conversation:open', { conversationId });
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data.messages.map((m) => m.text)).toEqual(texts);
  });

  it('shows agents the newest conversations first in the inbox', async () => {
    const first = await server.startConversation({ name: 'First', email: 'a@example.com', inquiryType: 'billing' });
    const second = await server.startConversation({ name: 'Second', email: 'b@example.com', inquiryType: 'other' });
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const inbox = await agent.emitWithAck('inbox:list', { status: 'open' });
    if (!inbox.ok) throw new Error(inbox.message);
    const ids = inbox.data.conversations.map((c) => c.id);
    expect(ids).toContain(first.conversationId);
    expect(ids.indexOf(second.conversationId)).toBeLessThanOrEqual(ids.indexOf(first.conversationId));
    const closed = await agent.emitWithAck('inbox:list', { status: 'closed' });
    expect(closed).toMatchObject({ ok: true, data: { conversations: [] } });
  });
});

describe('bad input on the sockets', () => {
  it('rejects malformed messages with typed errors, stores nothing and keeps serving', async () => {
    const { token, conversationId } = await server.startConversation();
    const visitor = server.visitorSocket(token as string);
    await connected(visitor);
    const bad: unknown[] = [
      undefined,
      null,
      'a string',
      42,
      [],
      { conversationId },
      { conversationId, clientId: clientId() },
      { conversationId, clientId: clientId(), text: '' },
      { conversationId, clientId: clientId(), text: '   \n  ' },
      { conversationId, clientId: clientId(), text: { html: '<b>' } },
      { conversationId, clientId: clientId(), text: 12 },
      { conversationId, clientId: clientId(), text: 'x'.repeat(Limits.messageText + 1) },
      { conversationId, clientId: 'short', text: 'hi' },
      { conversationId, clientId: 'has spaces in it!', text: 'hi' },
      { conversationId: 42, clientId: clientId(), text: 'hi' },
      { conversationId: '../../etc', clientId: clientId(), text: 'hi' },
    ];
    for (const payload of bad) {
      const ack = await emitRaw(visitor, 'message:send', payload);
      expect(ack, JSON.stringify(payload)?.slice(0, 80)).toMatchObject({ ok: false, code: 'invalid_payload' });
      expect(typeof (ack as { message: string }).message).toBe('string');
    }
    const noPayload = await emitRaw(visitor, 'message:send');
    expect(noPayload).toMatchObject({ ok: false, code: 'invalid_payload' });

    const rows = await server.parley.db.selectFrom('messages').selectAll().execute();
    expect(rows).toHaveLength(0);
    const ok = await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'still here' });
    expect(ok).toMatchObject({ ok: true, data: { message: { seq: 1 } } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('reports the field at fault for a bad join or inbox query', async () => {
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const join = await emitRaw(agent, 'conversation:open', { conversationId: 'x', afterSeq: -1 });
    expect(join).toMatchObject({ ok: false, code: 'invalid_payload', issues: [{ path: 'afterSeq' }] });
    const inbox = await emitRaw(agent, 'inbox:list', { status: 'everything' });
    expect(inbox).toMatchObject({ ok: false, code: 'invalid_payload', issues: [{ path: 'status' }] });
    const missing = await emitRaw(agent, 'conversation:open', { conversationId: 'does-not-exist' });
    expect(missing).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('drops a client that sends a packet over the size limit and keeps serving others', async () => {
    const { token, conversationId } = await server.startConversation();
    const big = server.visitorSocket(token as string);
    await connected(big);
    const dropped = nextEvent<string>(big, 'disconnect');
    big.emit('message:send', { conversationId, clientId: clientId(), text: 'x'.repeat(200_000) }, () => {});
    expect(await dropped).toMatch(/transport/);
    const other = server.visitorSocket(token as string);
    await connected(other);
    const ok = await other.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'fine' });
    expect(ok.ok).toBe(true);
  });
});

describe('who may join what', () => {
  it('refuses a visitor who tries to join or write to another visitor’s conversation', async () => {
    const ana = await server.startConversation();
    const bob = await server.startConversation({ name: 'Bob', email: 'bob@example.com', inquiryType: 'other' });
    const bobSocket = server.visitorSocket(bob.token as string);
    await connected(bobSocket);
    const join = await bobSocket.emitWithAck('conversation:join', { conversationId: ana.conversationId });
    expect(join).toMatchObject({ ok: false, code: 'forbidden' });
    const write = await bobSocket.emitWithAck('message:send', { conversationId: ana.conversationId, clientId: clientId(), text: 'hi' });
    expect(write).toMatchObject({ ok: false, code: 'forbidden' });

    const anaSocket = server.visitorSocket(ana.token as string);
    await connected(anaSocket);
    await anaSocket.emitWithAck('conversation:join', { conversationId: ana.conversationId });
    // Bob never receives Ana's messages
    let leaked = false;
    bobSocket.on('message:new', () => {
      leaked = true;
    });
    await anaSocket.emitWithAck('message:send', { conversationId: ana.conversationId, clientId: clientId(), text: 'private' });
    await new Promise((r) => setTimeout(r, 100));
    expect(leaked).toBe(false);
  });

  it('refuses visitor sockets without a known token', async () => {
    for (const token of [undefined, '', 'x'.repeat(43), 12345, { $ne: null }]) {
      const socket = server.visitorSocket(token as string);
      const error = await connected(socket).then(
        () => null,
        (e: Error & { data?: { code: string } }) => e,
      );
      expect(error?.data?.code).toBe('unauthorized');
    }
  });

  it('refuses agent sockets without a session, and a cross-site origin even with one', async () => {
    const none = server.agentSocket('');
    await expect(connected(none)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    const forged = server.agentSocket('parley_sid=not-a-session');
    await expect(connected(forged)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    const cookie = await server.login();
    const crossSite = server.agentSocket(cookie, { origin: 'https://evil.example' });
    await expect(connected(crossSite)).rejects.toMatchObject({ data: { code: 'forbidden' } });
  });

  it('disconnects the agent’s sockets when the session signs out', async () => {
    const cookie = await server.login();
    const agent = server.agentSocket(cookie);
    await connected(agent);
    const gone = nextEvent<string>(agent, 'disconnect');
    const res = await server.post('/api/v1/auth/logout', {}, { cookie });
    expect(res.status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });
});
