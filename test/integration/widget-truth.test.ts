import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorConversation } from '../../protocol/src/index';
import { type AgentSocket, type TestServer, type VisitorSocket, clientId, connected, demoConfig, nextEvent, startServer } from '../helpers/server';

// the demo config with its auto-replies: a new conversation gets the bot's welcome, which is no person's reply
let server: TestServer;
let agent: AgentSocket;

beforeAll(async () => {
  server = await startServer(demoConfig());
  agent = server.agentSocket(await server.login());
  await connected(agent);
});
afterAll(async () => {
  await server.close();
});

async function visitor(n: number): Promise<{ conversationId: string; socket: VisitorSocket; join: () => Promise<VisitorConversation> }> {
  const started = await server.startConversation({ name: `Truth ${n}`, email: `truth${n}@example.com`, inquiryType: 'billing' });
  const socket = server.visitorSocket(started.token as string);
  await connected(socket);
  const join = async () => {
    const ack = await socket.emitWithAck('conversation:join', { conversationId: started.conversationId });
    if (!ack.ok) throw new Error(ack.message);
    return ack.data.conversation;
  };
  await join();
  return { conversationId: started.conversationId, socket, join };
}

async function agentSays(conversationId: string, text: string): Promise<void> {
  const ack = await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text });
  if (!ack.ok) throw new Error(ack.message);
}

describe('what the visitor is told about who answers', () => {
  it('joins with no agent and no human reply before anyone wrote, though the bot did', async () => {
    const { conversationId, join } = await visitor(1);
    await server.parley.conversations.settled();
    const messages = await server.parley.db.selectFrom('messages').select('author_type').where('conversation_id', '=', conversationId).execute();
    expect(messages.map((m) => m.author_type)).toContain('bot');
    expect(await join()).toMatchObject({ agent: null, humanReplied: false });
  });

  it('names the agent who answers, live and on the next join, and says a person replied', async () => {
    const { conversationId, socket, join } = await visitor(2);
    const named = nextEvent<VisitorConversation>(socket, 'conversation:updated', (c) => !!c.agent);
    await agentSays(conversationId, 'Hello, I am looking into it.');
    expect((await named).agent).toEqual({ name: 'Alex Agent' });
    expect(await join()).toMatchObject({ agent: { name: 'Alex Agent' }, humanReplied: true });

    const closed = nextEvent<VisitorConversation>(socket, 'conversation:updated', (c) => c.status === 'closed');
    expect((await agent.emitWithAck('conversation:close', { conversationId })).ok).toBe(true);
    expect(await closed).toMatchObject({ status: 'closed', agent: { name: 'Alex Agent' }, humanReplied: true });
  });

  it('names the assignee before any reply, with humanReplied still false', async () => {
    const { conversationId, socket } = await visitor(3);
    const updated = nextEvent<VisitorConversation>(socket, 'conversation:updated', (c) => !!c.agent);
    expect((await agent.emitWithAck('conversation:claim', { conversationId })).ok).toBe(true);
    expect(await updated).toMatchObject({ agent: { name: 'Alex Agent' }, humanReplied: false });
  });

  it('names the last agent who wrote once nobody is assigned, even after the visitor wrote since', async () => {
    const { conversationId, socket, join } = await visitor(4);
    await agentSays(conversationId, 'Anything else?');
    const sent = await socket.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'No, thanks' });
    expect(sent.ok).toBe(true);
    await server.parley.db.updateTable('conversations').set({ assignee_id: null }).where('id', '=', conversationId).execute();
    expect(await join()).toMatchObject({ agent: { name: 'Alex Agent' }, humanReplied: true });
  });

  it('tells a visitor whose conversation is closed without a person’s reply that none came', async () => {
    const { conversationId, socket } = await visitor(5);
    await server.parley.conversations.settled();
    const closed = nextEvent<VisitorConversation>(socket, 'conversation:updated', (c) => c.status === 'closed');
    expect((await agent.emitWithAck('conversation:close', { conversationId })).ok).toBe(true);
    expect(await closed).toMatchObject({ status: 'closed', humanReplied: false, agent: null });
  });
});
