import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadEvent, TypingEvent } from '../../protocol/src/index';
import { createTransport, type Transport } from '../../widget/src/transport';
import { type AgentSocket, type TestServer, clientId, connected, nextEvent, startServer } from '../helpers/server';

/** The widget's transport (widget/src/transport.ts) against a real server and a real agent socket. */
let server: TestServer;
let agent: AgentSocket;
let transport: Transport | undefined;

beforeEach(async () => {
  server = await startServer();
  agent = server.agentSocket(await server.login());
  await connected(agent);
});
afterEach(async () => {
  transport?.close();
  await server.close();
});

/** A visitor whose widget transport has joined; records what it hears. */
async function widget() {
  const started = await server.startConversation();
  const conversationId = started.conversationId as string;
  const heard = { typing: [] as Array<[string | null, boolean]>, read: [] as number[], agentReadSeq: [] as Array<number | undefined> };
  await new Promise<void>((ready) => {
    transport = createTransport(
      { origin: server.url, token: started.token as string, conversationId },
      {
        messages: () => {},
        conversation: (c) => heard.agentReadSeq.push(c.agentReadSeq),
        ready,
        offline: () => {},
        rejected: (code) => {
          throw new Error(code);
        },
        typing: (name, typing) => heard.typing.push([name, typing]),
        read: (seq) => heard.read.push(seq),
      },
    );
  });
  return { conversationId, heard, t: transport! };
}

const until = async (ok: () => boolean, ms = 3000): Promise<void> => {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error('timed out');
};

describe("the widget's presence over the real server", () => {
  it("hears the agent typing by name and stopping", async () => {
    const { conversationId, heard } = await widget();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    agent.emit('typing', { conversationId, typing: true });
    await until(() => heard.typing.length === 1);
    agent.emit('typing', { conversationId, typing: false });
    await until(() => heard.typing.length === 2);
    expect(heard.typing).toEqual([
      ['Alex Agent', true],
      ['Alex Agent', false],
    ]);
  });

  it('sends its typing with the preview, HTML kept as text, to the agents of the conversation', async () => {
    const { conversationId, t } = await widget();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const seen = nextEvent<TypingEvent>(agent, 'typing', (e) => e.who === 'visitor');
    t.typing(true, '<img src=x onerror=alert(1)> 注文');
    expect(await seen).toMatchObject({ conversationId, typing: true, preview: '<img src=x onerror=alert(1)> 注文' });
  });

  it('reports what the visitor read, and hears how far the agents read', async () => {
    const { conversationId, heard, t } = await widget();
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const reply = await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Hello!' });
    if (!reply.ok) throw new Error(reply.message);
    const agentSees = nextEvent<ReadEvent>(agent, 'conversation:read', (e) => e.agentId === null);
    expect(await t.read(reply.data.message.seq)).toEqual({ ok: true, data: { seq: reply.data.message.seq } });
    expect((await agentSees).visitorReadSeq).toBe(reply.data.message.seq);
    const mine = await t.send({ conversationId, clientId: clientId(), text: 'Thanks' });
    if (!mine.ok) throw new Error(mine.message);
    await agent.emitWithAck('conversation:read', { conversationId, seq: mine.data.message.seq });
    await until(() => heard.read.includes(mine.data.message.seq));
  });

  it('records the page it is on, and is refused a negative read mark', async () => {
    const { t } = await widget();
    expect(await t.pageView('https://shop.example/checkout?step=2', 'Checkout — <Shop>')).toMatchObject({ ok: true });
    expect(await t.read(-1)).toMatchObject({ ok: false, code: 'invalid_payload' });
  });
});
