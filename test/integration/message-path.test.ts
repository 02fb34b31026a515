import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message } from '../../protocol/src/index';
import { type TestServer, clientId, connected, nextEvent, startServer } from '../helpers/server';

let server: TestServer;
const own: Socket[] = [];
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  for (const s of own.splice(0)) s.disconnect();
  await server.close();
});

/** A visitor socket that takes its acks as its copy of its own messages. */
function ackOnlyVisitor(token: string): Socket {
  const socket = io(`${server.url}/visitor`, { auth: { token, echo: false }, transports: ['websocket'], reconnection: false, forceNew: true });
  own.push(socket);
  return socket;
}

describe('the message path', () => {
  it('sends a sender that asked for no echo its message only in the ack, while its other tab and the agent get message:new', async () => {
    const { token, conversationId } = await server.startConversation();
    const sender = ackOnlyVisitor(token as string);
    const otherTab = server.visitorSocket(token as string);
    const agent = server.agentSocket(await server.login());
    await Promise.all([connected(sender), connected(otherTab), connected(agent)]);
    for (const tab of [sender, otherTab]) expect((await tab.emitWithAck('conversation:join', { conversationId, afterSeq: 0 })).ok).toBe(true);
    expect((await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 })).ok).toBe(true);

    const echoed: Message[] = [];
    sender.on('message:new', (m: Message) => echoed.push(m));
    const tabGets = nextEvent<Message>(otherTab, 'message:new');
    const agentGets = nextEvent<Message>(agent, 'message:new');
    const sent = await sender.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'only once for me' });
    if (!sent.ok) throw new Error(sent.message);
    expect(await tabGets).toEqual(sent.data.message);
    expect(await agentGets).toEqual(sent.data.message);

    // the other tab's message does reach the sender
    const senderGets = nextEvent<Message>(sender, 'message:new');
    const fromTab = await otherTab.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'from the other tab' });
    if (!fromTab.ok) throw new Error(fromTab.message);
    expect(await senderGets).toEqual(fromTab.data.message);
    expect(echoed.map((m) => m.seq)).toEqual([2]);
  });

  it('answers a resend with the same client id with the same message, stored once, without announcing it again', async () => {
    const { token, conversationId } = await server.startConversation();
    const visitor = ackOnlyVisitor(token as string);
    await connected(visitor);
    const id = clientId();
    const [a, b] = await Promise.all([
      visitor.emitWithAck('message:send', { conversationId, clientId: id, text: 'twice' }),
      visitor.emitWithAck('message:send', { conversationId, clientId: id, text: 'twice' }),
    ]);
    const c = await visitor.emitWithAck('message:send', { conversationId, clientId: id, text: 'twice' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('a send was refused');
    expect(b.data.message).toEqual(a.data.message);
    expect(c.data.message).toEqual(a.data.message);
    const rows = await server.parley.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a message in someone else’s conversation and stores nothing', async () => {
    const ana = await server.startConversation();
    const bob = await server.startConversation({ name: 'Bob', email: 'bob@example.com', inquiryType: 'other' });
    const intruder = ackOnlyVisitor(bob.token as string);
    await connected(intruder);
    const ack = await intruder.emitWithAck('message:send', { conversationId: ana.conversationId, clientId: clientId(), text: 'hi' });
    expect(ack).toMatchObject({ ok: false, code: 'forbidden' });
    const rows = await server.parley.db.selectFrom('messages').select('id').where('conversation_id', '=', ana.conversationId).execute();
    expect(rows).toHaveLength(0);
  });

  it('shows a contact’s new name in the next inbox summary after the contact changed', async () => {
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const first = await server.startConversation();
    const visitor = ackOnlyVisitor(first.token as string);
    await connected(visitor);
    const before = nextEvent<ConversationSummary>(agent, 'conversation:upsert', (s) => s.id === first.conversationId && s.lastSeq === 1);
    expect((await visitor.emitWithAck('message:send', { conversationId: first.conversationId, clientId: clientId(), text: 'one' })).ok).toBe(true);
    expect((await before).contact.name).toBe('Ana García');

    // the returning visitor starts another conversation under a new name: the contact is updated
    await server.startConversation({ name: 'Ana Renamed', email: 'ana@example.com', inquiryType: 'billing' }, first.token);
    const after = nextEvent<ConversationSummary>(agent, 'conversation:upsert', (s) => s.id === first.conversationId && s.lastSeq === 2);
    expect((await visitor.emitWithAck('message:send', { conversationId: first.conversationId, clientId: clientId(), text: 'two' })).ok).toBe(true);
    expect((await after).contact.name).toBe('Ana Renamed');
  });

  it('times each acked socket event in parley_socket_event_duration_seconds', async () => {
    const { token, conversationId } = await server.startConversation();
    const visitor = ackOnlyVisitor(token as string);
    await connected(visitor);
    expect((await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'timed' })).ok).toBe(true);
    expect((await visitor.emitWithAck('message:send', { conversationId: 'not-a-conversation', clientId: clientId(), text: 'refused' })).ok).toBe(false);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/parley_socket_event_duration_seconds_count\{event="message:send",outcome="ok"\} 1\b/);
    expect(text).toMatch(/parley_socket_event_duration_seconds_count\{event="message:send",outcome="refused"\} 1\b/);
  });
});
