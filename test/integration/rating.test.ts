import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRating, ConversationSummary, VisitorConversation } from '../../protocol/src/index';
import { Limits } from '../../protocol/src/index';
import { type AgentSocket, type TestServer, type VisitorSocket, clientId, connected, emitRaw, nextEvent, startServer } from '../helpers/server';

/** A clock the test moves by hand, so rating times and report periods are exact. */
class ManualClock {
  t = Date.parse('2025-03-10T09:00:00.000Z');
  now = () => new Date(this.t);
  set(iso: string) {
    this.t = Date.parse(iso);
  }
}

// one server for the file: each test works on conversations of its own, and the report on periods of its own
// (before the agent's session began, so moving the clock there never expires it)
let server: TestServer;
let cookie: string;
let agent: AgentSocket;
const clock = new ManualClock();

beforeAll(async () => {
  // the reports rate dozens of conversations from one address within the limits' real-time hour
  server = await startServer(undefined, { clock, rateLimits: false });
  cookie = await server.login();
  agent = server.agentSocket(cookie);
  await connected(agent);
});
afterAll(async () => {
  await server.close();
});

/** A visitor with a conversation of their own, joined on one socket. */
async function visitorWithConversation(n = 1): Promise<{ conversationId: string; token: string; socket: VisitorSocket }> {
  const started = await server.startConversation({ name: `Visitor ${n}`, email: `v${n}@example.com`, inquiryType: 'billing' });
  const socket = server.visitorSocket(started.token as string);
  await connected(socket);
  const joined = await socket.emitWithAck('conversation:join', { conversationId: started.conversationId });
  if (!joined.ok) throw new Error(joined.message);
  return { conversationId: started.conversationId, token: started.token as string, socket };
}

async function close(conversationId: string): Promise<void> {
  const ack = await agent.emitWithAck('conversation:close', { conversationId });
  if (!ack.ok) throw new Error(ack.message);
}

async function stored(conversationId: string) {
  return server.parley.db
    .selectFrom('conversations')
    .select(['rating_score', 'rating_comment', 'rated_at'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
}

const noRating = { rating_score: null, rating_comment: null, rated_at: null };

function report(query: string, as = cookie): Promise<Response> {
  return fetch(`${server.url}/api/v1/reports/ratings${query}`, { headers: { cookie: as } });
}

describe('rating a conversation', () => {
  it('stores the rating of a closed conversation and acks it after the commit', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    clock.set('2025-03-10T09:05:00.000Z');
    const ack = await socket.emitWithAck('conversation:rate', { conversationId, score: 4, comment: '  Quick and kind  ' });
    expect(ack).toEqual({ ok: true, data: { rating: { score: 4, comment: 'Quick and kind', ratedAt: '2025-03-10T09:05:00.000Z' } } });
    expect(await stored(conversationId)).toEqual({ rating_score: 4, rating_comment: 'Quick and kind', rated_at: '2025-03-10T09:05:00.000Z' });

    const rejoined = await socket.emitWithAck('conversation:join', { conversationId });
    expect(rejoined).toMatchObject({ ok: true, data: { conversation: { status: 'closed', rating: { score: 4, comment: 'Quick and kind' } } } });
    const opened = await agent.emitWithAck('conversation:open', { conversationId });
    expect(opened).toMatchObject({ ok: true, data: { conversation: { rating: { score: 4, comment: 'Quick and kind', ratedAt: '2025-03-10T09:05:00.000Z' } } } });
  });

  it('answers rating null on join and open before any rating', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    const joined = await socket.emitWithAck('conversation:join', { conversationId });
    if (!joined.ok) throw new Error(joined.message);
    expect(joined.data.conversation.rating).toBeNull();
    const opened = await agent.emitWithAck('conversation:open', { conversationId });
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data.conversation.rating).toBeNull();
  });

  it('refuses to rate an open conversation and stores nothing', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    const ack = await socket.emitWithAck('conversation:rate', { conversationId, score: 5 });
    expect(ack).toMatchObject({ ok: false, code: 'conflict' });
    expect(await stored(conversationId)).toEqual(noRating);
  });

  it('refuses another visitor’s conversation, and an unknown one, with the code message:send gives', async () => {
    const ana = await visitorWithConversation(1);
    const bob = await visitorWithConversation(2);
    await close(ana.conversationId);
    const write = await bob.socket.emitWithAck('message:send', { conversationId: ana.conversationId, clientId: clientId(), text: 'hi' });
    const rate = await bob.socket.emitWithAck('conversation:rate', { conversationId: ana.conversationId, score: 1, comment: 'sabotage' });
    expect(write).toMatchObject({ ok: false, code: 'forbidden' });
    expect(rate).toMatchObject({ ok: false, code: (write as { code: string }).code });
    expect(await stored(ana.conversationId)).toEqual(noRating);
    const unknown = await bob.socket.emitWithAck('conversation:rate', { conversationId: 'no-such-conversation', score: 3 });
    expect(unknown).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('rejects bad payloads field by field, stores nothing and keeps serving', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    const bad: [unknown, string | undefined][] = [
      [undefined, undefined],
      [null, undefined],
      ['rate it 5', undefined],
      [5, undefined],
      [[conversationId, 5], undefined],
      [{ conversationId }, 'score'],
      [{ conversationId, score: 0 }, 'score'],
      [{ conversationId, score: 6 }, 'score'],
      [{ conversationId, score: -1 }, 'score'],
      [{ conversationId, score: 3.5 }, 'score'],
      [{ conversationId, score: '5' }, 'score'],
      [{ conversationId, score: Number.NaN }, 'score'],
      [{ conversationId, score: null }, 'score'],
      [{ score: 5 }, 'conversationId'],
      [{ conversationId: 42, score: 5 }, 'conversationId'],
      [{ conversationId: '../../etc', score: 5 }, 'conversationId'],
      [{ conversationId, score: 5, comment: 'x'.repeat(Limits.ratingComment + 1) }, 'comment'],
      [{ conversationId, score: 5, comment: { html: '<b>hi</b>' } }, 'comment'],
      [{ conversationId, score: 5, comment: 12 }, 'comment'],
    ];
    for (const [payload, path] of bad) {
      const ack = await emitRaw(socket, 'conversation:rate', payload);
      expect(ack, JSON.stringify(payload)?.slice(0, 80)).toMatchObject({ ok: false, code: 'invalid_payload' });
      if (path) expect((ack as { issues?: { path: string }[] }).issues?.[0]?.path, JSON.stringify(payload).slice(0, 80)).toBe(path);
    }
    expect(await emitRaw(socket, 'conversation:rate')).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await stored(conversationId)).toEqual(noRating);

    const ok = await socket.emitWithAck('conversation:rate', { conversationId, score: 2, comment: 'y'.repeat(Limits.ratingComment) });
    expect(ok).toMatchObject({ ok: true, data: { rating: { score: 2 } } });
    expect((await stored(conversationId)).rating_comment).toHaveLength(Limits.ratingComment);
  });

  it('does nothing for a rating sent without an ack', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    (socket as unknown as { emit(event: string, payload: unknown): void }).emit('conversation:rate', { conversationId, score: 5 });
    // a round trip on the same socket: the unacked event has been handled by now
    await socket.emitWithAck('conversation:join', { conversationId });
    expect(await stored(conversationId)).toEqual(noRating);
  });

  it('keeps HTML, script and unicode comments as plain text, and makes a blank comment null', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    for (const comment of ['<script>alert(1)</script><img src=x onerror=alert(2)>', 'Спасибо 👍 谢谢 شكرا', 'line one\nline two']) {
      const ack = await socket.emitWithAck('conversation:rate', { conversationId, score: 5, comment });
      expect(ack).toMatchObject({ ok: true, data: { rating: { comment } } });
      expect((await stored(conversationId)).rating_comment).toBe(comment);
    }
    for (const comment of ['', '   \n\t ', null, undefined]) {
      const ack = await socket.emitWithAck('conversation:rate', { conversationId, score: 3, comment } as never);
      expect(ack, JSON.stringify(comment)).toMatchObject({ ok: true, data: { rating: { score: 3, comment: null } } });
      expect((await stored(conversationId)).rating_comment).toBeNull();
    }
  });

  it('replaces the score, comment and time when the visitor rates again', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    clock.set('2025-03-10T09:30:00.000Z');
    await socket.emitWithAck('conversation:rate', { conversationId, score: 1, comment: 'Too slow' });
    clock.set('2025-03-10T10:00:00.000Z');
    const again = await socket.emitWithAck('conversation:rate', { conversationId, score: 5 });
    expect(again).toEqual({ ok: true, data: { rating: { score: 5, comment: null, ratedAt: '2025-03-10T10:00:00.000Z' } } });
    expect(await stored(conversationId)).toEqual({ rating_score: 5, rating_comment: null, rated_at: '2025-03-10T10:00:00.000Z' });
  });

  it('keeps the old rating on a reopened conversation and refuses a new one until it closes again', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    await socket.emitWithAck('conversation:rate', { conversationId, score: 2, comment: 'meh' });
    const reopened = await agent.emitWithAck('conversation:reopen', { conversationId });
    expect(reopened.ok).toBe(true);
    const opened = await agent.emitWithAck('conversation:open', { conversationId });
    expect(opened).toMatchObject({ ok: true, data: { conversation: { status: 'open', rating: { score: 2, comment: 'meh' } } } });
    expect(await socket.emitWithAck('conversation:rate', { conversationId, score: 5 })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await stored(conversationId)).toMatchObject({ rating_score: 2, rating_comment: 'meh' });
    await close(conversationId);
    expect(await socket.emitWithAck('conversation:rate', { conversationId, score: 5 })).toMatchObject({ ok: true, data: { rating: { score: 5 } } });
  });
});

describe('who hears about a rating', () => {
  it('tells the visitor’s other tabs and every agent, and the agent’s detail shows it', async () => {
    const { conversationId, token, socket } = await visitorWithConversation();
    const otherTab = server.visitorSocket(token);
    await connected(otherTab);
    await otherTab.emitWithAck('conversation:join', { conversationId });
    await agent.emitWithAck('conversation:open', { conversationId });
    await close(conversationId);

    const tabGets = nextEvent<VisitorConversation>(otherTab, 'conversation:updated', (c) => !!c.rating);
    const agentGets = nextEvent<ConversationSummary>(agent, 'conversation:upsert', (c) => c.id === conversationId);
    const ack = await socket.emitWithAck('conversation:rate', { conversationId, score: 5, comment: 'Great help' });
    expect(ack.ok).toBe(true);
    expect(await tabGets).toMatchObject({ id: conversationId, status: 'closed', rating: { score: 5, comment: 'Great help' } });
    expect(await agentGets).toMatchObject({ id: conversationId, status: 'closed' });
    const detail = await agent.emitWithAck('conversation:open', { conversationId });
    expect(detail).toMatchObject({ ok: true, data: { conversation: { rating: { score: 5, comment: 'Great help' } } } });
  });

  it('tells nobody when a rating is refused', async () => {
    const ana = await visitorWithConversation(1);
    const bob = await visitorWithConversation(2);
    await close(ana.conversationId);
    let heard = 0;
    // the close's own announcements (queue positions among them) come after its ack: let them pass
    await new Promise((r) => setTimeout(r, 150));
    const ids = new Set([ana.conversationId, bob.conversationId]);
    ana.socket.on('conversation:updated', () => heard++);
    agent.on('conversation:upsert', (c) => {
      if (ids.has(c.id)) heard++;
    });
    await bob.socket.emitWithAck('conversation:rate', { conversationId: ana.conversationId, score: 1 });
    await bob.socket.emitWithAck('conversation:rate', { conversationId: bob.conversationId, score: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toBe(0);
  });
});

describe('the ratings report', () => {
  /** Rates a fresh conversation of the demo site at a given time. */
  async function rated(n: number, score: number, at: string): Promise<ConversationRating> {
    const { conversationId, socket } = await visitorWithConversation(n);
    await close(conversationId);
    clock.set(at);
    const ack = await socket.emitWithAck('conversation:rate', { conversationId, score });
    if (!ack.ok) throw new Error(ack.message);
    socket.disconnect();
    return ack.data.rating;
  }

  it('counts, averages and distributes the ratings of a site over a period, both ends included', async () => {
    await rated(1, 5, '2024-03-01T00:00:00.000Z');
    await rated(2, 4, '2024-03-15T12:00:00.000Z');
    await rated(3, 4, '2024-03-31T23:59:59.999Z');
    await rated(4, 1, '2024-04-01T00:00:00.000Z');
    await rated(5, 2, '2024-05-01T00:00:00.000Z');
    await visitorWithConversation(6); // open and unrated: not counted

    const spring = await report('?siteId=demo&from=2024-01-01&to=2024-04-30');
    expect(spring.status).toBe(200);
    expect(await spring.json()).toEqual({ count: 4, average: 3.5, distribution: { 1: 1, 2: 0, 3: 0, 4: 2, 5: 1 } });

    const march = await report('?siteId=demo&from=2024-03-01&to=2024-03-31');
    expect(await march.json()).toEqual({ count: 3, average: 4.33, distribution: { 1: 0, 2: 0, 3: 0, 4: 2, 5: 1 } });

    const instants = await report(`?from=${encodeURIComponent('2024-03-15T12:00:00Z')}&to=${encodeURIComponent('2024-04-01T02:00:00+02:00')}`);
    expect(await instants.json()).toEqual({ count: 3, average: 3, distribution: { 1: 1, 2: 0, 3: 0, 4: 2, 5: 0 } });

    const since = await report('?from=2024-04-01&to=2024-12-31');
    expect(await since.json()).toEqual({ count: 2, average: 1.5, distribution: { 1: 1, 2: 1, 3: 0, 4: 0, 5: 0 } });

    const otherSite = await report('?siteId=after-hours');
    expect(await otherSite.json()).toEqual({ count: 0, average: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });

    // every rating of the file so far: at least these five, and the figures agree with each other
    const everything = (await (await report('')).json()) as { count: number; average: number; distribution: Record<string, number> };
    expect(everything.count).toBeGreaterThanOrEqual(5);
    expect(Object.values(everything.distribution).reduce((a, b) => a + b, 0)).toBe(everything.count);
  });

  it('counts a re-rated conversation once, with its latest score', async () => {
    const { conversationId, socket } = await visitorWithConversation();
    await close(conversationId);
    clock.set('2023-06-01T10:00:00.000Z');
    await socket.emitWithAck('conversation:rate', { conversationId, score: 1 });
    clock.set('2023-06-01T10:05:00.000Z');
    await socket.emitWithAck('conversation:rate', { conversationId, score: 4 });
    expect(await (await report('?from=2023-06-01&to=2023-06-01')).json()).toEqual({ count: 1, average: 4, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } });
  });

  it('answers agents only, validates the query and names the field at fault', async () => {
    const anonymous = await fetch(`${server.url}/api/v1/reports/ratings`);
    expect(anonymous.status).toBe(401);
    const forged = await report('', 'parley_sid=not-a-session');
    expect(forged.status).toBe(401);

    const cases: [string, number, string][] = [
      ['?from=yesterday', 422, 'from'],
      ['?to=2025-13-45', 422, 'to'],
      ['?from=2025-03-01T12:00', 422, 'from'],
      ['?from=2025-04-01&to=2025-03-01', 422, 'to'],
      ['?siteId=../etc', 422, 'siteId'],
      ['?siteId=demo&siteId=after-hours', 422, 'siteId'],
      [`?siteId=${'a'.repeat(65)}`, 422, 'siteId'],
      ['?siteId=%3Cscript%3E', 422, 'siteId'],
      ['?siteId=nowhere', 404, ''],
    ];
    for (const [query, status, path] of cases) {
      const res = await report(query);
      expect(res.status, query).toBe(status);
      const problem = (await res.json()) as { code: string; issues?: { path: string }[] };
      expect(problem.code, query).toBe(status === 404 ? 'not_found' : 'invalid_payload');
      if (path) expect(problem.issues?.[0]?.path, query).toBe(path);
    }
  });
});
