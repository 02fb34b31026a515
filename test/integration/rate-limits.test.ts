import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { Ack, AckError, Problem, StartConversationResult } from '../../protocol/src/index';
import type { Config } from '../../server/src/config/schema';
import { defaultSiteLimits, type SiteLimits } from '../../server/src/services/limits/limits-config';
import { pngBytes } from '../fixtures/attachment-files';
import { type TestServer, type VisitorSocket, chatOnlyConfig, clientId, connected, goodAnswers, nextEvent, startServer } from '../helpers/server';

/*
 * Other addresses: every test client connects from 127.0.0.1, which the server trusts as a proxy
 * ('trust proxy' loopback, for HTTP and, by the same rule, for sockets), so each client names its
 * address in X-Forwarded-For exactly as a reverse proxy on the server's machine does in production.
 */
const SCRIPT = '203.0.113.66';
const PERSON = '198.51.100.7';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

async function start(limits: Partial<SiteLimits> = {}, agents?: Config['limits']) {
  const config = chatOnlyConfig();
  const demo = config.sites.demo as Config['sites'][string];
  demo.limits = { ...defaultSiteLimits, ...limits };
  if (agents) config.limits = agents;
  server = await startServer(config);
}

const from = (address: string) => ({ 'x-forwarded-for': address });

function startChat(address: string, body: Record<string, unknown> = {}, token?: string) {
  return server.post('/api/v1/sites/demo/conversations', { answers: goodAnswers, consent: true, ...body }, { ...from(address), ...(token ? { authorization: `Bearer ${token}` } : {}) });
}

async function started(address: string): Promise<StartConversationResult> {
  const res = await startChat(address);
  expect(res.status).toBe(201);
  return (await res.json()) as StartConversationResult;
}

/** A visitor's socket that joined its conversation, connecting from `address`. */
async function visitorFrom(address: string, chat: StartConversationResult): Promise<VisitorSocket> {
  const socket: VisitorSocket = io(`${server.url}/visitor`, { auth: { token: chat.token }, extraHeaders: from(address), transports: ['websocket'], reconnection: false, forceNew: true });
  await connected(socket);
  const joined = await socket.emitWithAck('conversation:join', { conversationId: chat.conversationId, afterSeq: 0 });
  expect(joined.ok).toBe(true);
  afterEach(() => void socket.disconnect());
  return socket;
}

const send = (socket: VisitorSocket, conversationId: string, text = 'hi') => socket.emitWithAck('message:send', { conversationId, clientId: clientId(), text });

/** Sends until the first refusal, at most `max` times: how many got through, and the refusal. */
async function sendUntilRefused(max: number, sendOne: () => Promise<Ack<unknown>>): Promise<{ sent: number; refusal: AckError | null }> {
  for (let sent = 0; sent < max; sent++) {
    const ack = await sendOne();
    if (!ack.ok) return { sent, refusal: ack };
  }
  return { sent: max, refusal: null };
}

describe('abuse limits', () => {
  it('stops a script starting 1,000 chats from one address at 20, with 429 and Retry-After, while another address starts at once', async () => {
    await start();
    let accepted = 0;
    let refused: Response | null = null;
    for (let i = 0; i < 1000 && !refused; i++) {
      const res = await startChat(SCRIPT, { language: 'de' });
      if (res.status === 201) accepted++;
      else refused = res;
    }
    expect(accepted).toBe(defaultSiteLimits.conversations.perAddress);
    expect(refused?.status).toBe(429);
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const problem = (await refused?.json()) as Problem;
    // the survey's alert shows this sentence as it is: in the visitor's language
    expect(problem).toMatchObject({ status: 429, code: 'rate_limited', retryAfter, detail: 'Von hier wurden zu viele Chats gestartet. Bitte versuchen Sie es später erneut.' });
    expect(await server.parley.db.selectFrom('conversations').select('id').execute()).toHaveLength(accepted);

    // another address is not slowed
    expect((await startChat(PERSON)).status).toBe(201);
  });

  it('counts surveys that fail validation, and limits one returning visitor below the address', async () => {
    await start({ conversations: { perAddress: 6, perVisitor: 3, windowSeconds: 3600 } });
    // the first survey has no token yet: it counts for the address; the visitor's own count starts with their token
    const first = await started(SCRIPT);
    const again = () => startChat(SCRIPT, {}, first.token);
    expect((await again()).status).toBe(201);
    expect((await startChat(SCRIPT, { answers: { email: 'not an email' } }, first.token)).status).toBe(422);
    expect((await again()).status).toBe(201);
    const refused = await again();
    expect(refused.status).toBe(429);
    // a new visitor at the same address still has the address's room left
    expect((await startChat(SCRIPT)).status).toBe(201);
  });

  it('stops a script sending 10,000 messages a minute from one address at the limits, while a visitor at another address chats on', async () => {
    await start();
    const { messages } = defaultSiteLimits;
    let sentByScript = 0;
    let attempts = 0;
    const refusals: AckError[] = [];
    // 15 visitors from one address, each firing until refused: the visitors' bursts, then the address's limit, stop it
    for (let v = 0; v < 15 && attempts < 10_000; v++) {
      const chat = await started(SCRIPT);
      const socket = await visitorFrom(SCRIPT, chat);
      const { sent, refusal } = await sendUntilRefused(10_000 - attempts, () => send(socket, chat.conversationId));
      attempts += sent + 1;
      sentByScript += sent;
      if (refusal) refusals.push(refusal);
      expect(sent).toBeLessThanOrEqual(messages.burst.perVisitor);
    }
    // refused attempts count too, so the address's 120 holds the script's refusals as well as its messages
    expect(sentByScript).toBeLessThanOrEqual(messages.perAddress);
    expect(sentByScript).toBeGreaterThanOrEqual(messages.perAddress - 15);
    expect(attempts).toBeLessThanOrEqual(messages.perAddress + 15);
    expect(refusals).toHaveLength(15);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ ok: false, code: 'rate_limited' });
      expect(refusal.retryAfter).toBeGreaterThan(0);
      expect(refusal.retryAfter).toBeLessThanOrEqual(messages.windowSeconds);
    }
    const stored = await server.parley.db.selectFrom('messages').select('id').execute();
    expect(stored).toHaveLength(sentByScript);

    // meanwhile a person at another address is not slowed
    const person = await started(PERSON);
    const socket = await visitorFrom(PERSON, person);
    for (const text of ['Hello', 'my order has not arrived', 'it is #1234']) expect((await send(socket, person.conversationId, text)).ok).toBe(true);
  });

  it('lets the visitor send again once the window has passed', async () => {
    await start({ messages: { perAddress: 100, perVisitor: 3, windowSeconds: 1, burst: { perVisitor: 3, windowSeconds: 1 } } });
    const chat = await started(SCRIPT);
    const socket = await visitorFrom(SCRIPT, chat);
    const { sent, refusal } = await sendUntilRefused(50, () => send(socket, chat.conversationId));
    expect(sent).toBe(3);
    expect(refusal?.retryAfter).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, (refusal?.retryAfter ?? 1) * 1000 + 50));
    expect((await send(socket, chat.conversationId, 'and now')).ok).toBe(true);
  });

  it('limits each agent’s messages and answers rate_limited with retryAfter', async () => {
    await start({}, { agents: { messages: { perAgent: 5, windowSeconds: 60 } } });
    const chat = await started(PERSON);
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const { sent, refusal } = await sendUntilRefused(1000, () => agent.emitWithAck('message:send', { conversationId: chat.conversationId, clientId: clientId(), text: 'reply' }));
    expect(sent).toBe(5);
    expect(refusal).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(refusal?.retryAfter).toBeGreaterThan(50);
  });

  it('drops typing events past the limit without an answer or a disconnect', async () => {
    await start();
    const chat = await started(PERSON);
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    await agent.emitWithAck('conversation:open', { conversationId: chat.conversationId, afterSeq: 0 });
    let seen = 0;
    agent.on('typing', () => seen++);
    // four tabs of one visitor: each tab's own throttle would pass five a second, the visitor's limit passes five in all
    const tabs = await Promise.all([0, 1, 2, 3].map(() => visitorFrom(PERSON, chat)));
    for (let i = 0; i < 40; i++) tabs[i % 4]?.emit('typing', { conversationId: chat.conversationId, typing: true, preview: '' });
    // the events after the flood, and an ack round trip, prove the server handled the flood
    await send(tabs[0] as VisitorSocket, chat.conversationId, 'sent');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(defaultSiteLimits.typing.perVisitor);
    expect(tabs.every((t) => t.connected)).toBe(true);
  });

  it('limits the bytes a visitor attaches in an hour, with 429 and Retry-After', async () => {
    const file = pngBytes(64);
    await start({ attachmentBytes: { perAddress: 1_000_000, perVisitor: file.length * 2 + 10, windowSeconds: 3600 } });
    const chat = await started(PERSON);
    const upload = () =>
      fetch(`${server.url}/api/v1/visitor/conversations/${chat.conversationId}/attachments?clientId=${clientId()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.token}`, 'x-file-name': 'photo.png', 'content-type': 'image/png', ...from(PERSON) },
        body: file as Uint8Array<ArrayBuffer>,
      });
    expect((await upload()).status).toBe(201);
    expect((await upload()).status).toBe(201);
    const refused = await upload();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((await refused.json()) as Problem).toMatchObject({ code: 'rate_limited' });
    expect(await server.parley.db.selectFrom('attachments').select('id').execute()).toHaveLength(2);
  });

  it('limits page views, unread checks and ratings of one visitor', async () => {
    await start({
      pageViews: { perAddress: 100, perVisitor: 2, windowSeconds: 60 },
      unreadChecks: { perAddress: 100, perVisitor: 2, windowSeconds: 60 },
      ratings: { perAddress: 100, perVisitor: 1, windowSeconds: 3600 },
    });
    const chat = await started(PERSON);
    const socket = await visitorFrom(PERSON, chat);
    const view = () => socket.emitWithAck('page:view', { conversationId: chat.conversationId, url: 'https://shop.test/cart', title: 'Cart' });
    expect((await view()).ok).toBe(true);
    expect((await view()).ok).toBe(true);
    expect(await view()).toMatchObject({ ok: false, code: 'rate_limited' });

    const unread = () => fetch(`${server.url}/api/v1/sites/demo/unread`, { method: 'POST', headers: { 'content-type': 'text/plain', ...from(PERSON) }, body: chat.token });
    expect((await unread()).status).toBe(200);
    expect((await unread()).status).toBe(200);
    const refused = await unread();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

    const agent = server.agentSocket(await server.login());
    await connected(agent);
    await agent.emitWithAck('message:send', { conversationId: chat.conversationId, clientId: clientId(), text: 'Solved?' });
    const closed = nextEvent(socket, 'conversation:updated', (c: { status: string }) => c.status === 'closed');
    expect(await agent.emitWithAck('conversation:close', { conversationId: chat.conversationId })).toMatchObject({ ok: true });
    await closed;
    const rate = (score: number) => socket.emitWithAck('conversation:rate', { conversationId: chat.conversationId, score, comment: null });
    expect((await rate(5)).ok).toBe(true);
    expect(await rate(4)).toMatchObject({ ok: false, code: 'rate_limited' });
  });
});

describe('size limits', () => {
  it('refuses a survey with too many answers or an answer that is too long, by path', async () => {
    await start();
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'x']));
    const tooMany = await startChat(PERSON, { answers: { ...goodAnswers, ...many } });
    expect(tooMany.status).toBe(422);
    expect((await tooMany.json()) as Problem).toMatchObject({ code: 'invalid_payload', issues: [{ path: 'answers', message: 'too many answers' }] });
    const long = await startChat(PERSON, { answers: { ...goodAnswers, name: 'x'.repeat(1001) } });
    expect(long.status).toBe(422);
    expect((await long.json()) as Problem).toMatchObject({ code: 'invalid_payload', issues: [{ path: 'answers.name' }] });
  });
});
