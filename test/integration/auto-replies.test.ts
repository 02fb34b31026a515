import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message, PublicSiteConfig, QuickReply, StartConversationResult } from '../../protocol/src/index';
import { type Parley, createParley } from '../../server/src/app';
import type { Config } from '../../server/src/config/schema';
import { createLogger } from '../../server/src/logger';
import { type AvailabilityProbe, AutoReplyService } from '../../server/src/services/auto-replies/auto-reply-service';
import { AutoReplySettings } from '../../server/src/services/auto-replies/auto-reply-settings';
import { hashPassword } from '../../server/src/services/crypto';
import { ADMIN, type AgentSocket, type VisitorSocket, chatOnlyConfig, clientId, connected, goodAnswers, nextEvent } from '../helpers/server';
import { io } from 'socket.io-client';

/** A clock the test moves by hand. Monday 2025-03-31 22:00 in Berlin: closed until Tuesday 09:00. */
class FakeClock {
  t = Date.parse('2025-03-31T20:00:00Z');
  now = () => new Date(this.t);
  set(iso: string) {
    this.t = Date.parse(iso);
  }
  advance(minutes: number) {
    this.t += minutes * 60_000;
  }
}

const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '18:00' }]]));

function testConfig(over: Record<string, unknown> = {}): Config {
  const config = chatOnlyConfig();
  (config.sites.demo as { autoReplies?: unknown }).autoReplies = {
    botName: 'Tea Bot',
    maxPerHour: 3,
    replyTime: 'within minutes',
    profile: { name: 'Northwind', email: 'help@northwind.example', website: 'https://northwind.example', address: null, phone: null },
    hours: { timeZone: 'Europe/Berlin', weekly: weekdays, exceptions: [] },
    welcome: { when: 'firstConversation', text: 'Hi {{contact.name | "there"}}! We reply {{business.reply_time}}.' },
    away: { whenNoAgentOnline: true, text: 'We are away. Back {{business.next_open | "soon"}}.' },
    busy: { text: 'All busy. You are number {{queue.position | "?"}}.' },
    rules: [
      {
        id: 'refund',
        priority: 10,
        keywords: ['refund'],
        mode: 'any',
        wholeWord: true,
        flags: 'i',
        conditions: { beforeAgentReply: false },
        actions: [
          { type: 'reply', text: 'Refunds for {{contact.name | "you"}}: send your order number.' },
          { type: 'label', label: 'refund' },
          { type: 'inquiryType', value: 'refund' },
        ],
        continue: false,
      },
      {
        id: 'human',
        priority: 0,
        keywords: ['human'],
        mode: 'any',
        wholeWord: true,
        flags: 'i',
        conditions: { beforeAgentReply: true },
        actions: [{ type: 'reply', text: 'A person will take over.' }, { type: 'handover' }],
        continue: false,
      },
    ],
    ...over,
  };
  config.autoReplies.quickReplies = [
    { shortcut: 'hello', title: 'Greeting', text: 'Hi {{contact.name | "there"}}, {{agent.name}} here.', team: null },
    { shortcut: 'bye', text: { en: 'Bye {{contact.name}}!', de: 'Tschüss {{contact.name}}!' }, team: null },
  ];
  return config;
}

let parley: Parley | null = null;
const sockets: { disconnect(): void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await parley?.close();
  parley = null;
});

async function start(options: { config?: Config; probe?: Partial<AvailabilityProbe> } = {}) {
  const clock = new FakeClock();
  const probe: AvailabilityProbe = {
    onlineAgents: async () => 0,
    allAtCapacity: async () => false,
    queuePosition: async () => null,
    ...options.probe,
  };
  const config = options.config ?? testConfig();
  parley = await createParley({ config, log: createLogger('silent'), dataDir: ':memory:', clock, availability: probe });
  await parley.auth.ensureAdmin(ADMIN.email, ADMIN.password, 'Alex Agent');
  const p = parley;
  const url = `http://127.0.0.1:${await p.listen(0, '127.0.0.1')}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const call = (method: string, path: string, cookie: string, body?: unknown) =>
    fetch(url + path, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return {
    clock,
    config,
    url,
    call,
    async conversation(answers: Record<string, unknown> = goodAnswers, token?: string): Promise<StartConversationResult> {
      const res = await post('/api/v1/sites/demo/conversations', { answers, consent: true }, token ? { authorization: `Bearer ${token}` } : {});
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as StartConversationResult;
      await p.conversations.settled();
      return body;
    },
    async visitor(token: string): Promise<VisitorSocket> {
      const s: VisitorSocket = io(`${url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      await connected(s);
      return s;
    },
    async login(email = ADMIN.email, password = ADMIN.password): Promise<string> {
      const res = await post('/api/v1/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    },
    async agent(cookie: string): Promise<AgentSocket> {
      const s: AgentSocket = io(`${url}/agent`, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      await connected(s);
      return s;
    },
    async say(socket: VisitorSocket | AgentSocket, conversationId: string, text: string): Promise<Message> {
      const ack = await (socket as VisitorSocket).emitWithAck('message:send', { conversationId, clientId: clientId(), text });
      if (!ack.ok) throw new Error(ack.message);
      await p.conversations.settled();
      return ack.data.message;
    },
    async bot(conversationId: string): Promise<string[]> {
      const rows = await p.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).where('author_type', '=', 'bot').orderBy('seq').execute();
      return rows.map((r) => r.text);
    },
  };
}

describe('welcome and away messages, with a fake clock', () => {
  it('welcomes a contact by name on the first conversation only', async () => {
    const t = await start();
    const first = await t.conversation();
    expect(await t.bot(first.conversationId)).toEqual(['Hi Ana García! We reply within minutes.']);
    const again = await t.conversation(goodAnswers, first.token);
    expect(await t.bot(again.conversationId)).toEqual([]);
  });

  it('sends the away message once, not twice, and names when the team is back', async () => {
    const t = await start();
    const { token, conversationId } = await t.conversation();
    const visitor = await t.visitor(token as string);
    await visitor.emitWithAck('conversation:join', { conversationId });
    const live = nextEvent<Message>(visitor, 'message:new', (m) => m.text.startsWith('We are away'));
    await t.say(visitor, conversationId, 'Hello?');
    expect(await live).toMatchObject({ authorType: 'bot', authorName: 'Tea Bot' });
    t.clock.advance(10);
    await t.say(visitor, conversationId, 'Anyone there?');
    const away = (await t.bot(conversationId)).filter((m) => m.startsWith('We are away'));
    expect(away).toHaveLength(1);
    expect(away[0]).toMatch(/^We are away\. Back Tuesday.*09:00/);
  });

  it('sends no away message after an agent answered', async () => {
    const t = await start();
    const { token, conversationId } = await t.conversation();
    const agent = await t.agent(await t.login());
    await t.say(agent, conversationId, 'Hi, I am here late tonight.');
    const visitor = await t.visitor(token as string);
    t.clock.advance(5);
    await t.say(visitor, conversationId, 'Oh great, thanks');
    expect((await t.bot(conversationId)).filter((m) => m.startsWith('We are away'))).toEqual([]);
  });

  it('sends it again in the next away period, but not while open with an agent online', async () => {
    let online = 0;
    const t = await start({ probe: { onlineAgents: async () => online } });
    const { token, conversationId } = await t.conversation();
    const visitor = await t.visitor(token as string);
    await t.say(visitor, conversationId, 'Monday night');
    t.clock.set('2025-04-01T08:00:00Z'); // Tuesday 10:00, open
    online = 1;
    await t.say(visitor, conversationId, 'Tuesday morning');
    expect((await t.bot(conversationId)).filter((m) => m.startsWith('We are away'))).toHaveLength(1);
    online = 0;
    await t.say(visitor, conversationId, 'Tuesday morning, nobody online');
    t.clock.set('2025-04-01T19:00:00Z'); // Tuesday 21:00, closed until Wednesday
    await t.say(visitor, conversationId, 'Tuesday night');
    await t.say(visitor, conversationId, 'Tuesday night again');
    const away = (await t.bot(conversationId)).filter((m) => m.startsWith('We are away'));
    expect(away).toHaveLength(3);
    expect(away[1]).toBe('We are away. Back soon.');
    expect(away[2]).toMatch(/Wednesday/);
  });

  it('tells a visitor their queue position when every online agent is at capacity', async () => {
    const t = await start({ probe: { onlineAgents: async () => 2, allAtCapacity: async () => true, queuePosition: async () => 4 } });
    t.clock.set('2025-04-01T08:00:00Z');
    const { token, conversationId } = await t.conversation();
    const visitor = await t.visitor(token as string);
    await t.say(visitor, conversationId, 'Hello');
    await t.say(visitor, conversationId, 'Hello again');
    expect((await t.bot(conversationId)).filter((m) => m.startsWith('All busy'))).toEqual(['All busy. You are number 4.']);
  });
});

describe('keyword rules and the hourly limit', () => {
  it('replies to a keyword with the contact’s name, labels the conversation and sets its inquiry type', async () => {
    const t = await start();
    const { token, conversationId } = await t.conversation();
    const agent = await t.agent(await t.login());
    const upsert = nextEvent<ConversationSummary>(agent, 'conversation:upsert', (c) => c.id === conversationId && c.inquiryType === 'refund');
    const visitor = await t.visitor(token as string);
    await t.say(visitor, conversationId, 'I want a REFUND please');
    expect(await t.bot(conversationId)).toContain('Refunds for Ana García: send your order number.');
    expect((await upsert).inquiryType).toBe('refund');
    const row = await parley?.db.selectFrom('conversations').select(['labels', 'inquiry_type']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(JSON.parse(row?.labels ?? '[]')).toEqual(['refund']);
    // the agent sees the label on the conversation
    const opened = await agent.emitWithAck('conversation:open', { conversationId });
    expect(opened).toMatchObject({ ok: true, data: { conversation: { labels: ['refund'], handoverAt: null } } });
  });

  it('never answers agents or its own messages, and a retry never doubles a reply', async () => {
    const t = await start();
    const { token, conversationId } = await t.conversation();
    const agent = await t.agent(await t.login());
    await t.say(agent, conversationId, 'Do you want a refund?');
    expect((await t.bot(conversationId)).filter((m) => m.startsWith('Refunds'))).toEqual([]);
    const visitor = await t.visitor(token as string);
    const message = await t.say(visitor, conversationId, 'yes, refund');
    expect((await t.bot(conversationId)).filter((m) => m.startsWith('Refunds'))).toHaveLength(1);

    // a second node (or a retried listener) handling the same message
    const p = parley as Parley;
    const settings = new AutoReplySettings(p.db, t.config, t.clock);
    await settings.refresh();
    const probe: AvailabilityProbe = { onlineAgents: async () => 0, allAtCapacity: async () => false, queuePosition: async () => null };
    const twin = new AutoReplyService(p.db, t.config, settings, p.conversations, probe, t.clock);
    const row = await p.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    await Promise.all([twin.messageStored(message, row), twin.messageStored(message, row)]);
    await p.conversations.settled();
    expect((await t.bot(conversationId)).filter((m) => m.startsWith('Refunds'))).toHaveLength(1);
  });

  it('asks for a person only while no agent has answered', async () => {
    const t = await start();
    const first = await t.conversation();
    const visitor = await t.visitor(first.token as string);
    await t.say(visitor, first.conversationId, 'I want a human');
    expect(await t.bot(first.conversationId)).toContain('A person will take over.');
    const row = await parley?.db.selectFrom('conversations').select('handover_at').where('id', '=', first.conversationId).executeTakeFirstOrThrow();
    expect(row?.handover_at).toBe('2025-03-31T20:00:00.000Z');
    const watcher = await t.agent(await t.login());
    const detail = await watcher.emitWithAck('conversation:open', { conversationId: first.conversationId });
    expect(detail).toMatchObject({ ok: true, data: { conversation: { handoverAt: '2025-03-31T20:00:00.000Z' } } });

    const second = await t.conversation(goodAnswers, first.token);
    const agent = await t.agent(await t.login());
    await t.say(agent, second.conversationId, 'Hello, Alex here');
    await t.say(visitor, second.conversationId, 'are you a human?');
    expect(await t.bot(second.conversationId)).not.toContain('A person will take over.');
  });

  it('sends at most the configured number of auto-replies per conversation per hour', async () => {
    const t = await start();
    const { token, conversationId } = await t.conversation();
    const visitor = await t.visitor(token as string);
    await t.say(visitor, conversationId, 'refund');
    // welcome, away and the refund reply: the limit of 3 is reached
    expect(await t.bot(conversationId)).toHaveLength(3);
    t.clock.advance(30);
    await t.say(visitor, conversationId, 'refund, really');
    expect(await t.bot(conversationId)).toHaveLength(3);
    t.clock.advance(31);
    await t.say(visitor, conversationId, 'refund, an hour later');
    const bot = await t.bot(conversationId);
    expect(bot).toHaveLength(4);
    expect(bot[3]).toBe('Refunds for Ana García: send your order number.');
  });
});

describe('public availability, quick replies and the admin routes', () => {
  it('shows the widget whether the team is there, when it is back and the business profile', async () => {
    const t = await start();
    const config = (await (await fetch(`${t.url}/api/v1/sites/demo/config`)).json()) as PublicSiteConfig;
    expect(config.availability).toEqual({ open: false, replyTime: 'within minutes', nextOpen: '2025-04-01T07:00:00.000Z' });
    expect(config.business).toMatchObject({ name: 'Northwind', email: 'help@northwind.example', hours: 'Mon–Fri 09:00–18:00', timeZone: 'Europe/Berlin' });
    t.clock.set('2025-04-01T08:00:00Z');
    const open = (await (await fetch(`${t.url}/api/v1/sites/demo/config`)).json()) as PublicSiteConfig;
    expect(open.availability).toEqual({ open: true, replyTime: 'within minutes', nextOpen: null });
  });

  it('fills quick replies in for the conversation’s contact and the asking agent', async () => {
    const t = await start();
    const { conversationId } = await t.conversation({ ...goodAnswers, name: '<b>Ana</b>' });
    const cookie = await t.login();
    const res = await t.call('GET', `/api/v1/conversations/${conversationId}/quick-replies`, cookie);
    expect(res.status).toBe(200);
    const { quickReplies } = (await res.json()) as { quickReplies: QuickReply[] };
    expect(quickReplies.map((q) => [q.shortcut, q.text])).toEqual([
      ['bye', 'Bye <b>Ana</b>!'],
      ['hello', 'Hi <b>Ana</b>, Alex Agent here.'],
    ]);
    expect(quickReplies[1]?.template).toBe('Hi {{contact.name | "there"}}, {{agent.name}} here.');
    expect((await t.call('GET', `/api/v1/conversations/${conversationId}/quick-replies`, 'parley_sid=nope')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/conversations/does-not-exist/quick-replies', cookie)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/conversations/..%2F..%2Fetc/quick-replies', cookie)).status).toBe(422);
  });

  it('lets admins edit auto-replies with the config’s checks, and only admins', async () => {
    const t = await start();
    const admin = await t.login();
    const list = await t.call('GET', '/api/v1/auto-replies', admin);
    expect(list.status).toBe(200);
    const { settings } = (await list.json()) as { settings: { scope: string; source: string }[] };
    expect(settings.map((s) => s.scope)).toEqual(['quick-replies', 'rules', 'schedules', 'site:demo', 'site:after-hours']);

    const bad = await t.call('PUT', '/api/v1/auto-replies/site:demo', admin, { value: { welcome: { text: 'Hi {{contact.nmae}}' } } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('value.welcome.text');
    const regex = await t.call('PUT', '/api/v1/auto-replies/rules', admin, { value: [{ id: 'x', pattern: '(a+)+', actions: [{ type: 'handover' }] }] });
    expect(regex.status).toBe(422);
    expect((await t.call('PUT', '/api/v1/auto-replies/site:demo', admin, { value: { hours: 'nope' } })).status).toBe(422);
    expect((await t.call('PUT', '/api/v1/auto-replies/site:nowhere', admin, { value: {} })).status).toBe(404);
    expect((await t.call('PUT', '/api/v1/auto-replies/<script>', admin, { value: {} })).status).toBe(422);
    expect((await t.call('PUT', '/api/v1/auto-replies/rules', admin, 'x'.repeat(70_000))).status).toBe(413);

    const saved = await t.call('PUT', '/api/v1/auto-replies/site:demo', admin, { value: { welcome: { text: 'Welcome, {{contact.name}}!', when: 'everyConversation' } } });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { setting: { source: string } }).setting.source).toBe('database');
    const next = await t.conversation();
    expect(await t.bot(next.conversationId)).toEqual(['Welcome, Ana García!']);

    const hash = await hashPassword('agent password long');
    await parley?.db
      .insertInto('agents')
      .values({ id: 'agent-1', email: 'sam@example.com', name: 'Sam', role: 'agent', password_hash: hash, created_at: 'x', updated_at: 'x' })
      .execute();
    const agent = await t.login('sam@example.com', 'agent password long');
    expect((await t.call('GET', '/api/v1/auto-replies', agent)).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/auto-replies/quick-replies', agent, { value: [] })).status).toBe(403);
    expect((await t.call('DELETE', '/api/v1/auto-replies/site:demo', agent, {})).status).toBe(403);
    expect((await t.call('GET', '/api/v1/auto-replies', 'parley_sid=nope')).status).toBe(401);

    const reset = await t.call('DELETE', '/api/v1/auto-replies/site:demo', admin, {});
    expect(((await reset.json()) as { setting: { source: string } }).setting.source).toBe('file');
    const after = await t.conversation({ ...goodAnswers, email: 'new@example.com' });
    expect(await t.bot(after.conversationId)).toEqual(['Hi Ana García! We reply within minutes.']);
  });
});
