import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../protocol/src/index';
import { type AgentSocket, type TestServer, clientId, connected, demoConfig, emitRaw, startServer } from '../helpers/server';

let server: TestServer;
let agent: AgentSocket;

async function list(query: Record<string, unknown> = {}) {
  const ack = await emitRaw<{ conversations: ConversationSummary[]; nextCursor: string | null }>(agent, 'inbox:list', query);
  if (!ack.ok) throw new Error(ack.message);
  return ack.data;
}

async function say(token: string, conversationId: string, text: string) {
  const visitor = server.visitorSocket(token);
  await connected(visitor);
  await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
  const ack = await visitor.emitWithAck('message:send', { conversationId, clientId: clientId(), text });
  if (!ack.ok) throw new Error(ack.message);
  return ack.data.message;
}

describe('the inbox, page by page', () => {
  beforeEach(async () => {
    server = await startServer();
    agent = server.agentSocket(await server.login());
    await connected(agent);
  });
  afterEach(async () => {
    await server.close();
  });

  it('pages through every open conversation by cursor, latest activity first, without duplicates or gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await server.startConversation({ name: `Visitor ${i}`, email: `v${i}@example.com`, inquiryType: 'billing' })).conversationId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list({ view: 'all', status: 'open', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a cursor it did not make, and wrong types, with a typed error', async () => {
    expect(await emitRaw(agent, 'inbox:list', { cursor: 'not-a-cursor' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:list', { cursor: Buffer.from("x' OR 1=1 --|id").toString('base64url') })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:list', { status: 'everything' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:list', { limit: 'ten' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:list', { label: 'x'.repeat(10_000) })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await emitRaw(agent, 'inbox:list', { teamId: '<script>' })).toMatchObject({ ok: false, code: 'invalid_payload' });
  });

  it('lists a conversation as pending once an agent answered, and as open-not-pending after the visitor writes again', async () => {
    const { token, conversationId } = await server.startConversation();
    await say(token as string, conversationId, 'Hello?');
    expect((await list({ status: 'pending' })).conversations.map((c) => c.id)).not.toContain(conversationId);
    await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Hi, which order?' });
    const pending = await list({ status: 'pending' });
    expect(pending.conversations.map((c) => c.id)).toEqual([conversationId]);
    expect(pending.conversations[0]?.awaiting).toBe('visitor');
    await say(token as string, conversationId, 'Order A-10042');
    expect((await list({ status: 'pending' })).conversations).toEqual([]);
    expect((await list({ status: 'open' })).conversations[0]).toMatchObject({ id: conversationId, awaiting: 'agent' });
  });

  it('names the author of the preview: the agent by id and name, the visitor by type', async () => {
    const { token, conversationId } = await server.startConversation();
    await say(token as string, conversationId, 'Hi');
    await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Hello from support' });
    const [summary] = (await list()).conversations;
    const me = (await (await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: await server.login() } })).json()) as { id: string };
    expect(summary?.lastMessage).toMatchObject({ authorType: 'agent', authorName: 'Alex Agent', authorId: me.id, text: 'Hello from support' });
  });

  it('counts a conversation unread until this agent reads it, whoever wrote last, and never moves a read mark back', async () => {
    const { token, conversationId } = await server.startConversation();
    let [summary] = (await list()).conversations;
    expect(summary?.readSeq).toBe(-1);
    let counts = await agent.emitWithAck('inbox:counts', {});
    if (!counts.ok) throw new Error(counts.message);
    expect(counts.data.counts.all).toEqual({ open: 1, unread: 1 });
    expect(counts.data.counts.unassigned).toEqual({ open: 1, unread: 1 });

    const m = await say(token as string, conversationId, 'Anyone there?');
    expect(await agent.emitWithAck('conversation:read', { conversationId, seq: m.seq })).toEqual({ ok: true, data: { seq: m.seq } });
    expect(await agent.emitWithAck('conversation:read', { conversationId, seq: 0 })).toEqual({ ok: true, data: { seq: m.seq } });
    expect(await agent.emitWithAck('conversation:read', { conversationId, seq: 999 })).toEqual({ ok: true, data: { seq: m.seq } });
    [summary] = (await list()).conversations;
    expect(summary).toMatchObject({ readSeq: m.seq, lastVisitorSeq: m.seq });
    counts = await agent.emitWithAck('inbox:counts', {});
    if (!counts.ok) throw new Error(counts.message);
    expect(counts.data.counts.all).toEqual({ open: 1, unread: 0 });

    const again = await say(token as string, conversationId, 'Still waiting');
    [summary] = (await list()).conversations;
    expect(summary?.lastVisitorSeq).toBe(again.seq);
    expect(summary!.lastVisitorSeq > summary!.readSeq!).toBe(true);
    expect(await emitRaw(agent, 'conversation:read', { conversationId: 'nope', seq: 1 })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await emitRaw(agent, 'conversation:read', { conversationId, seq: -4 })).toMatchObject({ ok: false, code: 'invalid_payload' });
  });

  it("keeps each agent's read marks their own", async () => {
    await server.parley.auth.ensureAdmin('sam@example.com', 'another long password', 'Sam Support');
    const sam = server.agentSocket(await server.login('sam@example.com', 'another long password'));
    await connected(sam);
    const { token, conversationId } = await server.startConversation();
    const m = await say(token as string, conversationId, 'Hello');
    await sam.emitWithAck('conversation:read', { conversationId, seq: m.seq });
    const mine = (await list()).conversations[0];
    expect(mine?.readSeq).toBe(-1);
    const theirs = await sam.emitWithAck('inbox:list', {});
    if (!theirs.ok) throw new Error(theirs.message);
    expect(theirs.data.conversations[0]?.readSeq).toBe(m.seq);
  });

  it('filters by label and by team, and pages the REST twin the same way', async () => {
    const a = await server.startConversation();
    await server.startConversation({ name: 'Bo', email: 'bo@example.com', inquiryType: 'billing' });
    await server.parley.console.labels.seed([{ name: 'VIP', color: '#aa0000', description: null }]);
    expect(await agent.emitWithAck('conversation:labels', { id: a.conversationId, add: ['VIP'] })).toEqual({ ok: true, data: { labels: ['VIP'] } });
    expect((await list({ label: 'VIP' })).conversations.map((c) => c.id)).toEqual([a.conversationId]);
    const res = await fetch(`${server.url}/api/v1/conversations?label=VIP&limit=5`, { headers: { cookie: await server.login() } });
    const body = (await res.json()) as { conversations: ConversationSummary[]; nextCursor: string | null };
    expect(body.conversations.map((c) => c.id)).toEqual([a.conversationId]);
    expect(body.conversations[0]?.labels).toEqual(['VIP']);
    expect(body.nextCursor).toBeNull();
    expect((await fetch(`${server.url}/api/v1/conversations`)).status).toBe(401);
  });
});

describe('a new chat during away hours', () => {
  afterEach(async () => {
    await server.close();
  });

  it('stays unread after the away auto-reply, and its preview says the bot wrote it', async () => {
    server = await startServer(demoConfig());
    const { conversationId } = await server.startConversation({ name: 'Night Owl', email: 'owl@example.com', inquiryType: 'billing' });
    // nobody is online: the away message goes out before any agent connects
    for (let i = 0; i < 50; i++) {
      const row = await server.parley.db.selectFrom('conversations').select('last_message_author').where('id', '=', conversationId).executeTakeFirst();
      if (row?.last_message_author === 'bot') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    agent = server.agentSocket(await server.login());
    await connected(agent);
    const [summary] = (await list({ status: 'open' })).conversations;
    expect(summary?.id).toBe(conversationId);
    expect(summary?.lastMessage?.authorType).toBe('bot');
    expect(summary?.awaiting).not.toBe('visitor');
    expect(summary!.lastVisitorSeq > summary!.readSeq!).toBe(true);
    const counts = await agent.emitWithAck('inbox:counts', {});
    if (!counts.ok) throw new Error(counts.message);
    expect(counts.data.counts.all.unread).toBe(1);
  });
});
