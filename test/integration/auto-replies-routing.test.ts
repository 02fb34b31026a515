import { sql } from 'kysely';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteAutoRepliesSchema } from '../../server/src/config/auto-replies';
import { RoutingConfigSchema } from '../../server/src/config/routing';
import { AutoReplySettings } from '../../server/src/services/auto-replies/auto-reply-settings';
import type { Config } from '../../server/src/config/schema';
import { createLogger } from '../../server/src/logger';
import { type TestServer, chatOnlyConfig, clientId, connected, goodAnswers, startServer } from '../helpers/server';

/** A clock the test sets by hand. */
class FakeClock {
  t = Date.parse('2025-04-01T08:00:00Z'); // Tuesday 10:00 in Berlin: open
  now = () => new Date(this.t);
}

const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '18:00' }]]));
const PASSWORD = 'a long enough password';

/** One team `support` whose only member, Sam, takes one conversation at a time; billing goes there. */
function config(autoReplies: Record<string, unknown> | null = {}): Config {
  const c = chatOnlyConfig();
  c.routing = v.parse(RoutingConfigSchema, {
    defaultCapacity: 1,
    teams: { support: { name: 'Support', members: ['sam@example.com'], assignment: 'least-busy' } },
    rules: [{ name: 'Billing', when: { inquiryType: ['billing'] }, team: 'support' }],
    default: { team: 'support' },
  });
  if (autoReplies) {
    (c.sites.demo as { autoReplies?: unknown }).autoReplies = v.parse(SiteAutoRepliesSchema, {
      botName: 'Tea Bot',
      maxPerHour: 10,
      hours: { timeZone: 'Europe/Berlin', weekly: weekdays, exceptions: [] },
      away: { whenNoAgentOnline: true, text: 'We are away.' },
      busy: { text: 'All busy. You are number {{queue.position | "?"}}.' },
      rules: [
        { id: 'refund', keywords: ['refund'], actions: [{ type: 'reply', text: 'Refund noted.' }, { type: 'inquiryType', value: 'refund' }] },
        { id: 'thanks', keywords: ['thanks'], conditions: { inquiryTypes: ['refund'] }, actions: [{ type: 'reply', text: 'Glad to help with the refund.' }] },
      ],
      ...autoReplies,
    });
  }
  return c;
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(c: Config, clock = new FakeClock(), sqlite = false) {
  const s = await startServer(c, { clock, log: createLogger(process.env.TEST_LOG ?? 'silent'), sqlite });
  server = s;
  const bot = async (conversationId: string) =>
    (await s.parley.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).where('author_type', '=', 'bot').orderBy('seq').execute()).map(
      (r) => r.text,
    );
  const visitor = async (n: number) => {
    const started = await s.startConversation({ ...goodAnswers, name: `Visitor ${n}`, email: `v${n}@example.com` });
    await s.parley.conversations.settled();
    const socket = s.visitorSocket(started.token as string);
    await connected(socket);
    const say = async (text: string, settle = true) => {
      const ack = await socket.emitWithAck('message:send', { conversationId: started.conversationId, clientId: clientId(), text });
      if (!ack.ok) throw new Error(ack.message);
      if (settle) await s.parley.conversations.settled();
    };
    return { id: started.conversationId, say };
  };
  return { s, clock, bot, visitor };
}

/** Runs `work` and returns every SQL statement the store executed meanwhile. */
async function statements(s: TestServer, work: () => Promise<void>): Promise<string[]> {
  const executor = (s.parley.db as unknown as { getExecutor(): object }).getExecutor();
  const proto = Object.getPrototypeOf(executor) as { executeQuery(q: { sql: string }, id: unknown): Promise<unknown> };
  const original = proto.executeQuery;
  const seen: string[] = [];
  proto.executeQuery = function (q, id) {
    seen.push(q.sql);
    return original.call(this, q, id);
  };
  try {
    await work();
  } finally {
    proto.executeQuery = original;
  }
  return seen;
}

/** The reads auto-replies make: the conversation again, the contact's language, agents' or the bot's messages. */
const autoReplyReads = (list: string[]) =>
  list.filter((q) => /^select \* from "conversations"|^select "language" from "contacts"|"author_type" = \?|^select "id" from "messages"|from "agents"/.test(q));

describe('busy messages with the real routing', () => {
  it('tells only a waiting visitor that everyone is busy, never one whose conversation has its agent', async () => {
    const t = await setup(config());
    const admin = await t.s.login();
    const created = await t.s.post('/api/v1/agents', { email: 'sam@example.com', name: 'Sam', password: PASSWORD }, { cookie: admin });
    expect(created.status).toBe(201);
    await connected(t.s.agentSocket(await t.s.login('sam@example.com', PASSWORD)));
    const db = t.s.parley.db;
    for (let i = 0; i < 100 && !(await db.selectFrom('agents').select('id').where('presence', '=', 'online').where('email', '=', 'sam@example.com').executeTakeFirst()); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }

    // Sam takes the first conversation, which fills his capacity of one
    const first = await t.visitor(1);
    const row = await db.selectFrom('conversations').select('assignee_id').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.assignee_id).not.toBeNull();
    await first.say('Hello, are you there?');
    await first.say('Hello again');
    expect(await t.bot(first.id)).toEqual([]);

    // the second one waits in the queue: it hears why, with its place
    const second = await t.visitor(2);
    expect((await db.selectFrom('conversations').select('assignee_id').where('id', '=', second.id).executeTakeFirstOrThrow()).assignee_id).toBeNull();
    await second.say('Hello?');
    await second.say('Anyone?');
    expect(await t.bot(second.id)).toEqual(['All busy. You are number 1.']);
  });
});

describe('a keyword rule that moves a conversation to another team', () => {
  it('moves it through routing: queued in the new team, with a routing event, not just a changed column', async () => {
    const c = config({
      rules: [{ id: 'escalate', keywords: ['lawyer'], actions: [{ type: 'team', team: 'legal' }] }],
    });
    c.routing = v.parse(RoutingConfigSchema, {
      defaultCapacity: 1,
      teams: {
        support: { name: 'Support', members: ['sam@example.com'], assignment: 'least-busy' },
        legal: { name: 'Legal', members: ['lee@example.com'], assignment: 'least-busy' },
      },
      rules: [],
      default: { team: 'support' },
    });
    const { s, visitor } = await setup(c);
    const one = await visitor(1);
    await one.say('I will call my lawyer');
    const row = await s.parley.db.selectFrom('conversations').selectAll().where('id', '=', one.id).executeTakeFirstOrThrow();
    expect(row.team_id).toBe('legal');
    expect(row.assignee_id).toBeNull();
    const events = await s.parley.db.selectFrom('routing_events').select(['kind', 'team_id']).where('conversation_id', '=', one.id).execute();
    expect(events).toContainEqual({ kind: 'moved', team_id: 'legal' });
  });
});

describe('the cost of a visitor message', () => {
  it('reads nothing for auto-replies once the away message went out, as on a site without any', async () => {
    const closed = new FakeClock();
    closed.t = Date.parse('2025-03-31T20:00:00Z'); // Monday 22:00 in Berlin
    const plain = await setup(config(null), closed);
    const a = await plain.visitor(1);
    await a.say('hello');
    const without = await statements(plain.s, () => a.say('hello again'));
    await plain.s.close();
    server = null;

    const t = await setup(config(), closed);
    const b = await t.visitor(1);
    await b.say('hello');
    expect(await t.bot(b.id)).toEqual(['We are away.']);
    const withAway = await statements(t.s, () => b.say('hello again'));
    expect(await t.bot(b.id)).toEqual(['We are away.']);
    // the message itself runs prepared statements outside Kysely: the spy is checked on a query of its own
    expect(await statements(t.s, async () => void (await t.s.parley.db.selectFrom('sites').select('id').execute()))).toHaveLength(1);
    expect(autoReplyReads(withAway)).toEqual([]);
    expect(withAway).toEqual(without);
  });

  it('reads nothing at all for a site without away, busy or rules that apply to it', async () => {
    const plain = await setup(config(null));
    const a = await plain.visitor(1);
    const without = await statements(plain.s, () => a.say('hello'));
    await plain.s.close();
    server = null;

    // rules only for another site
    const t = await setup(config({ away: undefined, busy: undefined, rules: [{ id: 'x', keywords: ['hello'], conditions: { sites: ['after-hours'] }, actions: [{ type: 'reply', text: 'no' }] }] }));
    const b = await t.visitor(1);
    const withRules = await statements(t.s, () => b.say('hello'));
    expect(autoReplyReads(without)).toEqual([]);
    expect(autoReplyReads(withRules)).toEqual([]);
    expect(withRules).toEqual(without);
    expect(await t.bot(b.id)).toEqual([]);
  });

  it('sees what a rule changed on the next message even when both arrive together', async () => {
    const closed = new FakeClock();
    closed.t = Date.parse('2025-03-31T20:00:00Z');
    const t = await setup(config({ away: undefined }), closed);
    const v1 = await t.visitor(1);
    await Promise.all([v1.say('I want a refund', false), v1.say('thanks', false)]);
    await t.s.parley.conversations.settled();
    expect(await t.bot(v1.id)).toEqual(['Refund noted.', 'Glad to help with the refund.']);
    await v1.say('thanks again');
    expect((await t.bot(v1.id)).filter((m) => m.startsWith('Glad'))).toHaveLength(2);
  });

  it("finds when an agent last wrote and the hourly count from an index, not by reading every message (SQLite's planner)", async () => {
    const t = await setup(config(null), new FakeClock(), true);
    const plan = async (query: string) =>
      (await sql.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`).execute(t.s.parley.db)).rows.map((r) => r.detail).join(' / ');
    expect(
      await plan(`select created_at from messages where conversation_id = 'c' and author_type = 'agent' order by created_at desc limit 1`),
    ).toMatch(/USING (COVERING )?INDEX messages_conversation_author_created/);
    expect(
      await plan(`select count(*) from messages where conversation_id = 'c' and author_type = 'bot' and created_at > '2025' and client_id like 'auto:%'`),
    ).toMatch(/USING INDEX messages_conversation_author_created \(conversation_id=\? AND author_type=\? AND created_at>\?\)/);
  });
});

describe('settings cache and the injected clock', () => {
  it('reads other nodes’ edits again when the clock, not the wall clock, says the cache is old', async () => {
    const clock = new FakeClock();
    const t = await setup(config(), clock);
    const c = config();
    const settings = new AutoReplySettings(t.s.parley.db, c, clock);
    await settings.refresh();
    expect(settings.site('demo').botName).toBe('Tea Bot');
    // another node saves an edit
    const edited = { ...(c.sites.demo as { autoReplies: object }).autoReplies, botName: 'Edited Bot' };
    await t.s.parley.db
      .insertInto('auto_reply_settings')
      .values({ scope: 'site:demo', value: JSON.stringify(edited), updated_at: clock.now().toISOString(), updated_by: null })
      .execute();
    clock.t += 4_000;
    await settings.fresh();
    expect(settings.site('demo').botName).toBe('Tea Bot');
    clock.t += 2_000;
    await settings.fresh();
    expect(settings.site('demo').botName).toBe('Edited Bot');
  });
});
