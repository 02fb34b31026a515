import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatOnlyConfig, demoConfig, startServer, type TestServer } from '../helpers/server';

/*
 * A week in Moscow (UTC+3 all year): Monday 2 June to Sunday 8 June 2025, that is
 * [2025-06-01T21:00Z, 2025-06-08T21:00Z). Every figure below is worked out by hand from these rows.
 *
 *   id  contact  created (UTC)         Moscow          team      type      lang  assignee  now
 *   A   c1       06-02 23:30           Tue 03 02:30    billing   billing   en    Pat       closed 06-03 00:30
 *   B   c8       06-01 20:59           Sun 01 23:59    shipping  shipping  en    Lee       closed 06-02 10:00   (started before)
 *   C   c2       06-02 21:00           Tue 03 00:00    billing   shipping  de    Lee       closed 21:30, reopened by a follow-up 06-04 10:00
 *   D   c3       06-05 09:00           Thu 12:00       billing   billing   en    -         closed 12:00, bot only (missed)
 *   E   c4       06-08 20:59:59        Sun 23:59:59    shipping  shipping  en    Pat       open (its messages come after the end)
 *   F   c9       06-08 21:00           Mon 09 00:00    shipping  shipping  en    Pat       open (starts at the end: outside)
 *   G   c5       06-06 08:00           Fri 11:00       billing   billing   en    Pat       closed 09:00, reopened 10:00, closed 06-07 08:00
 *   H   c6       06-07 12:00           Sat 15:00       shipping  other     en    Lee       closed 06-10 (after the end: open at it)
 *   I   c7       06-03 06:00           Tue 09:00       billing   billing   en    Pat       closed 07:00, reopened 06-10 (closed at the end)
 *   Z   c2       05-01 10:00           -               billing   billing   de    Lee       closed 05-01 11:00 (C's contact returns)
 */

const WEEK = 'from=2025-06-02&to=2025-06-08&site=demo';
let server: TestServer;
let admin: string;
let pat: string;
let patId: string;
let leeId: string;

type Conv = {
  id: string;
  contact: string;
  created: string;
  team: string;
  type: string;
  lang: string;
  assignee: string | null;
  status: 'open' | 'closed';
  closedAt?: string | null;
  queuedAt?: string;
  assignedAt?: string | null;
  rating?: [number, string | null, string];
};

const at = (s: string) => `2025-${s}.000Z`;

async function seedConversation(c: Conv, site = 'demo'): Promise<void> {
  const db = server.parley.db;
  const exists = await db.selectFrom('contacts').select('id').where('id', '=', c.contact).executeTakeFirst();
  if (!exists) {
    await db
      .insertInto('contacts')
      .values({ id: c.contact, site_id: site, token_hash: `hash-${c.contact}`, name: c.contact, email: null, phone: null, language: c.lang, created_at: c.created, updated_at: c.created })
      .execute();
  }
  await db
    .insertInto('conversations')
    .values({
      id: c.id,
      site_id: site,
      contact_id: c.contact,
      status: c.status,
      inquiry_type: c.type,
      assignee_id: c.assignee,
      answers: '[]',
      consent: null,
      page_url: null,
      last_seq: 0,
      last_message_text: null,
      last_message_author: null,
      last_message_at: null,
      created_at: c.created,
      updated_at: c.created,
      closed_at: c.closedAt ?? null,
      team_id: c.team,
      priority: 1,
      queued_at: c.queuedAt ?? c.created,
      assigned_at: c.assignedAt ?? null,
      rating_score: c.rating?.[0] ?? null,
      rating_comment: c.rating?.[1] ?? null,
      rated_at: c.rating?.[2] ?? null,
    })
    .execute();
}

let seq = 0;
async function message(conversation: string, author: 'visitor' | 'agent' | 'bot', created: string, clientId = `m-${++seq}`): Promise<void> {
  await server.parley.db
    .insertInto('messages')
    .values({ id: `msg-${++seq}`, conversation_id: conversation, seq, client_id: clientId, author_type: author, author_id: null, author_name: null, text: 'hello', created_at: created })
    .execute();
}

async function event(conversation: string, kind: 'closed' | 'reopened', created: string, note: string | null = null): Promise<void> {
  await server.parley.db
    .insertInto('routing_events')
    .values({ id: `e-${++seq}`, conversation_id: conversation, kind, agent_id: null, team_id: null, actor_id: null, note, load_after: null, created_at: created })
    .execute();
}

async function seedWeek(): Promise<void> {
  const P = patId;
  const L = leeId;
  await seedConversation({ id: 'Z', contact: 'c2', created: at('05-01T10:00:00'), team: 'billing', type: 'billing', lang: 'de', assignee: L, status: 'closed', closedAt: at('05-01T11:00:00'), rating: [3, 'old', at('05-01T11:05:00')] });
  await event('Z', 'closed', at('05-01T11:00:00'));
  // A: first reply after 120 s (the welcome auto-reply does not count), resolved in an hour, rated 5
  await seedConversation({ id: 'A', contact: 'c1', created: at('06-02T23:30:00'), team: 'billing', type: 'billing', lang: 'en', assignee: P, status: 'closed', closedAt: at('06-03T00:30:00'), assignedAt: at('06-02T23:30:30'), rating: [5, 'Great, "fast" help', at('06-03T00:31:00')] });
  await message('A', 'visitor', at('06-02T23:30:10'));
  await message('A', 'bot', at('06-02T23:30:11'), 'auto:welcome:A');
  await message('A', 'agent', at('06-02T23:32:10'));
  await message('A', 'visitor', at('06-02T23:40:00'));
  await message('A', 'agent', at('06-02T23:45:00'));
  await event('A', 'closed', at('06-03T00:30:00'));
  // B: started before the week, closed in it
  await seedConversation({ id: 'B', contact: 'c8', created: at('06-01T20:59:00'), team: 'shipping', type: 'shipping', lang: 'en', assignee: L, status: 'closed', closedAt: at('06-02T10:00:00'), assignedAt: at('06-01T20:59:00') });
  await message('B', 'visitor', at('06-01T20:59:30'));
  await message('B', 'agent', at('06-02T09:00:00'));
  await event('B', 'closed', at('06-02T10:00:00'));
  // C: at the very start of the week in Moscow (00:00 on Tuesday the 3rd), a returning contact, answered after 600 s
  await seedConversation({ id: 'C', contact: 'c2', created: at('06-02T21:00:00'), team: 'billing', type: 'shipping', lang: 'de', assignee: L, status: 'open', queuedAt: at('06-04T10:00:00'), assignedAt: at('06-04T10:00:00') });
  await message('C', 'visitor', at('06-02T21:00:00'));
  await message('C', 'agent', at('06-02T21:10:00'));
  await event('C', 'closed', at('06-02T21:30:00'));
  await event('C', 'reopened', at('06-04T10:00:00'), 'follow-up');
  await message('C', 'agent', at('06-04T10:00:00'), 'follow-up-1');
  await server.parley.db
    .insertInto('scheduled_messages')
    .values({ id: 's1', conversation_id: 'C', agent_id: L, agent_name: 'Lee', client_id: 'follow-up-1', text: 'hi', send_at: at('06-04T10:00:00'), status: 'sent', message_id: null, error: null, attempts: 1, created_at: at('06-03T10:00:00'), updated_at: at('06-04T10:00:00'), sent_at: at('06-04T10:00:00') })
    .execute();
  // D: only bots answered; closed: missed. Its rating's comment is a formula
  await seedConversation({ id: 'D', contact: 'c3', created: at('06-05T09:00:00'), team: 'billing', type: 'billing', lang: 'en', assignee: null, status: 'closed', closedAt: at('06-05T12:00:00'), rating: [1, '=HYPERLINK("http://x","y")', at('06-05T12:05:00')] });
  await message('D', 'visitor', at('06-05T09:00:05'));
  await message('D', 'bot', at('06-05T09:00:06'), 'auto:away:D:2025-06-05');
  await message('D', 'bot', at('06-05T09:01:00'), 'auto:rule:r1:x');
  await event('D', 'closed', at('06-05T12:00:00'));
  // E: the last second of the week in Moscow; its messages come after the end
  await seedConversation({ id: 'E', contact: 'c4', created: at('06-08T20:59:59'), team: 'shipping', type: 'shipping', lang: 'en', assignee: P, status: 'open', assignedAt: at('06-08T21:00:59') });
  await message('E', 'visitor', at('06-08T21:00:30'));
  await message('E', 'agent', at('06-08T21:01:00'));
  // F: starts at the end, outside the week
  await seedConversation({ id: 'F', contact: 'c9', created: at('06-08T21:00:00'), team: 'shipping', type: 'shipping', lang: 'en', assignee: P, status: 'open', assignedAt: at('06-08T21:00:00') });
  await message('F', 'visitor', at('06-08T21:00:00'));
  // G: closed, reopened (queued again, still with its first assignment) and closed again; rated 4; a bot message that is no auto-reply
  await seedConversation({ id: 'G', contact: 'c5', created: at('06-06T08:00:00'), team: 'billing', type: 'billing', lang: 'en', assignee: P, status: 'closed', closedAt: at('06-07T08:00:00'), queuedAt: at('06-06T10:00:00'), assignedAt: at('06-06T08:00:00'), rating: [4, null, at('06-07T08:05:00')] });
  await message('G', 'visitor', at('06-06T08:00:00'));
  await message('G', 'bot', at('06-06T08:00:01'), 'bot:custom');
  await message('G', 'agent', at('06-06T08:04:00'));
  await event('G', 'closed', at('06-06T09:00:00'));
  await event('G', 'reopened', at('06-06T10:00:00'));
  await event('G', 'closed', at('06-07T08:00:00'));
  // H: closed only after the end, so open at it
  await seedConversation({ id: 'H', contact: 'c6', created: at('06-07T12:00:00'), team: 'shipping', type: 'other', lang: 'en', assignee: L, status: 'closed', closedAt: at('06-10T00:00:00'), assignedAt: at('06-07T12:00:50') });
  await message('H', 'visitor', at('06-07T12:00:00'));
  await message('H', 'agent', at('06-07T12:01:40'));
  await event('H', 'closed', at('06-10T00:00:00'));
  // I: answered at exactly the 300 s target; closed in the week, reopened after it
  await seedConversation({ id: 'I', contact: 'c7', created: at('06-03T06:00:00'), team: 'billing', type: 'billing', lang: 'en', assignee: P, status: 'open', assignedAt: at('06-03T06:00:10') });
  await message('I', 'visitor', at('06-03T06:00:00'));
  await message('I', 'agent', at('06-03T06:05:00'));
  await event('I', 'closed', at('06-03T07:00:00'));
  await event('I', 'reopened', at('06-10T00:00:00'));
}

/** The demo config whose demo site keeps its business hours in Moscow. */
function moscowConfig() {
  const config = chatOnlyConfig();
  config.autoReplies = { ...config.autoReplies, schedules: { ...config.autoReplies?.schedules, moscow: { timeZone: 'Europe/Moscow', weekly: {}, exceptions: [] } } } as typeof config.autoReplies;
  const demo = demoConfig().sites.demo?.autoReplies;
  (config.sites.demo as { autoReplies?: unknown }).autoReplies = { ...demo, hours: 'moscow', welcome: undefined, away: undefined, busy: undefined };
  return config;
}

async function get(path: string, cookie = admin): Promise<Response> {
  return fetch(`${server.url}/api/v1/reports/${path}`, { headers: { cookie } });
}

async function report<T = any>(path: string, cookie = admin): Promise<T> {
  const res = await get(path, cookie);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  server = await startServer(moscowConfig());
  admin = await server.login();
  for (const [email, name] of [
    ['pat@example.com', 'Pat'],
    ['lee@example.com', 'Lee'],
  ]) {
    expect((await server.post('/api/v1/agents', { email, name, password: 'a long enough password' }, { cookie: admin })).status).toBe(201);
  }
  pat = await server.login('pat@example.com', 'a long enough password');
  const agents = await server.parley.db.selectFrom('agents').select(['id', 'email']).execute();
  patId = agents.find((a) => a.email === 'pat@example.com')?.id as string;
  leeId = agents.find((a) => a.email === 'lee@example.com')?.id as string;
  await seedWeek();
});
afterAll(async () => {
  await server.close();
});

describe('the conversations report', () => {
  it("counts the week's conversations in the site's time zone, by arrival, closes, reopenings and those open at its end", async () => {
    const r = await report(`conversations?${WEEK}`);
    expect(r.range).toEqual({ from: '2025-06-02', to: '2025-06-08', timeZone: 'Europe/Moscow', start: '2025-06-01T21:00:00.000Z', end: '2025-06-08T21:00:00.000Z' });
    expect(r.total).toEqual({ started: 7, new: 6, returning: 1, followUps: 1, closed: 6, reopened: 2, openAtEnd: 3 });
    expect(r.groups).toEqual([]);
  });

  it('counts a conversation started at 23:30 UTC on the next day in Moscow, and every day of the period in order', async () => {
    const r = await report(`conversations?${WEEK}&groupBy=day`);
    const started = Object.fromEntries(r.groups.map((g: any) => [g.key, g.started]));
    expect(started).toEqual({ '2025-06-02': 0, '2025-06-03': 3, '2025-06-04': 0, '2025-06-05': 1, '2025-06-06': 1, '2025-06-07': 1, '2025-06-08': 1 });
    const closed = Object.fromEntries(r.groups.map((g: any) => [g.key, g.closed]));
    // G closed on two days: once on each, and once in the total
    expect(closed).toEqual({ '2025-06-02': 1, '2025-06-03': 3, '2025-06-04': 0, '2025-06-05': 1, '2025-06-06': 1, '2025-06-07': 1, '2025-06-08': 0 });
    expect(r.total.closed).toBe(6);
    expect(r.groups[0].openAtEnd).toBeNull();
    expect(r.total.openAtEnd).toBe(3);
  });

  it('groups by team with the names of the teams, and filters by language', async () => {
    const r = await report(`conversations?${WEEK}&groupBy=team`);
    expect(r.groups.map((g: any) => [g.key, g.label, g.started, g.closed, g.openAtEnd])).toEqual([
      ['billing', 'Billing', 5, 5, 1],
      ['shipping', 'Shipping', 2, 1, 2],
    ]);
    const german = await report(`conversations?${WEEK}&language=de`);
    expect(german.total).toMatchObject({ started: 1, returning: 1, followUps: 1 });
  });

  it('answers zeros for a period without conversations', async () => {
    const r = await report('conversations?from=2024-01-01&to=2024-01-07');
    expect(r.total).toEqual({ started: 0, new: 0, returning: 0, followUps: 0, closed: 0, reopened: 0, openAtEnd: 0 });
    const other = await report('first-response?from=2025-06-02&to=2025-06-08&site=after-hours');
    expect(other.total).toEqual({ conversations: 0, answered: 0, withinTarget: 0, withinTargetShare: null, medianSeconds: null, p90Seconds: null });
  });
});

describe('response times', () => {
  it('measures the first human reply from the first visitor message: median, p90 and the share within five minutes', async () => {
    // answered after 30, 100, 120, 240, 300 and 600 s; D was never answered
    const r = await report(`first-response?${WEEK}`);
    expect(r.targetSeconds).toBe(300);
    expect(r.total).toEqual({ conversations: 7, answered: 6, withinTarget: 5, withinTargetShare: 0.7143, medianSeconds: 180, p90Seconds: 450 });
  });

  it('takes the target from the query and groups by team', async () => {
    const r = await report(`first-response?${WEEK}&target=100&groupBy=team`);
    expect(r.total.withinTarget).toBe(2);
    expect(r.groups.map((g: any) => [g.key, g.answered, g.medianSeconds, g.p90Seconds])).toEqual([
      ['billing', 4, 270, 510],
      ['shipping', 2, 65, 93],
    ]);
  });

  it('measures resolution from the start to the last close, for conversations last closed in the period', async () => {
    // A 3,600 s, D 10,800 s, B 46,860 s (started before the week), G 86,400 s (closed twice)
    const r = await report(`resolution?${WEEK}`);
    expect(r.total).toEqual({ resolved: 4, medianSeconds: 28_830, p90Seconds: 74_538 });
  });
});

describe('messages, satisfaction and the queue', () => {
  it('counts messages in and out by author, auto-replies by kind and follow-ups sent', async () => {
    const r = await report(`messages?${WEEK}`);
    expect(r.total).toEqual({ visitor: 7, agent: 8, bot: 4, autoReplies: { welcome: 1, away: 1, busy: 0, rule: 1, other: 1 }, followUpsSent: 1 });
  });

  it('gives the ratings of the period with their distribution and comments, newest first', async () => {
    const r = await report(`satisfaction?${WEEK}`);
    expect(r.total).toEqual({ count: 3, average: 3.33, distribution: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 } });
    expect(r.comments.map((c: any) => [c.conversationId, c.score, c.comment])).toEqual([
      ['D', 1, '=HYPERLINK("http://x","y")'],
      ['A', 5, 'Great, "fast" help'],
    ]);
  });

  it('measures the wait before assignment, those who waited, and the missed ones', async () => {
    // waits of 0 (C), 10 (I), 30 (A), 50 (H) and 60 s (E); D never assigned; G assigned before it was queued again
    const r = await report(`queue?${WEEK}`);
    expect(r.total).toEqual({ queued: 7, assigned: 5, unassigned: 1, waited: 5, waitMedianSeconds: 30, waitP90Seconds: 56, missed: 1 });
  });

  it("draws the busiest hours on the site's local weekday and hour", async () => {
    const r = await report(`busiest-hours?${WEEK}`);
    expect(r.weekdays[0]).toBe('sunday');
    expect(r.total.started).toBe(7);
    const cells: [number, number, number][] = [];
    r.total.cells.forEach((row: number[], d: number) => row.forEach((n, h) => n && cells.push([d, h, n])));
    expect(cells).toEqual([
      [0, 23, 1], // E: Sunday 23:59:59
      [2, 0, 1], // C: Tuesday 00:00
      [2, 2, 1], // A: 23:30 UTC on Monday is 02:30 on Tuesday
      [2, 9, 1], // I
      [4, 12, 1], // D
      [5, 11, 1], // G
      [6, 15, 1], // H
    ]);
  });

  it('counts days across a DST change in the zone asked for (another site, so the week stays as it is)', async () => {
    // Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on Sunday 30 March 2025
    for (const [id, created] of [
      ['M', '2025-03-28T23:30:00.000Z'], // Saturday 00:30 (CET)
      ['J', '2025-03-30T00:30:00.000Z'], // Sunday 01:30 (CET)
      ['K', '2025-03-30T01:30:00.000Z'], // Sunday 03:30 (CEST)
      ['L', '2025-03-31T21:30:00.000Z'], // Monday 23:30 (CEST)
      ['N', '2025-03-31T22:30:00.000Z'], // Tuesday 00:30: outside
    ] as const) {
      await seedConversation({ id, contact: `dst-${id}`, created, team: 'billing', type: 'billing', lang: 'en', assignee: null, status: 'open' }, 'after-hours');
    }
    const days = await report('conversations?from=2025-03-29&to=2025-03-31&site=after-hours&groupBy=day&timeZone=Europe/Berlin');
    expect(days.range.start).toBe('2025-03-28T23:00:00.000Z');
    expect(days.range.end).toBe('2025-03-31T22:00:00.000Z');
    expect(days.groups.map((g: any) => [g.key, g.started])).toEqual([
      ['2025-03-29', 1],
      ['2025-03-30', 2],
      ['2025-03-31', 1],
    ]);
    const hours = await report('busiest-hours?from=2025-03-29&to=2025-03-31&site=after-hours&timeZone=Europe/Berlin');
    expect(hours.total.cells[6][0]).toBe(1);
    expect(hours.total.cells[0][1]).toBe(1);
    expect(hours.total.cells[0][3]).toBe(1);
    expect(hours.total.cells[1][23]).toBe(1);
  });
});

describe('per agent, and who may see what', () => {
  it('gives each agent their conversations, medians and rating average', async () => {
    const r = await report(`agents?${WEEK}`);
    expect(r.groupBy).toBe('agent');
    expect(r.groups.map((g: any) => [g.label, g.handled, g.firstResponseMedianSeconds, g.resolutionMedianSeconds, g.ratingCount, g.ratingAverage])).toEqual([
      ['Lee', 2, 350, 46_860, 0, null],
      ['Pat', 4, 180, 45_000, 2, 4.5],
    ]);
  });

  it('adds up the time each agent was online and away within the week, from their state at its start', async () => {
    const log = (agent: string, presence: string, when: string) => ({ id: `p-${agent}-${when}`, agent_id: agent, presence, at: at(when) });
    await server.parley.db
      .insertInto('presence_log')
      .values([
        // Pat: online since before the week (13 h until 10:00 on Monday), away an hour, online an hour, then offline
        log(patId, 'online', '05-30T08:00:00'),
        log(patId, 'away', '06-02T10:00:00'),
        log(patId, 'online', '06-02T11:00:00'),
        log(patId, 'offline', '06-02T12:00:00'),
        // Lee: online the last hour of the week; what comes after the end does not count
        log(leeId, 'offline', '05-01T08:00:00'),
        log(leeId, 'online', '06-08T20:00:00'),
        log(leeId, 'away', '06-08T22:00:00'),
      ])
      .execute();
    try {
      const r = await report(`agents?${WEEK}`);
      expect(r.groups.map((g: any) => [g.label, g.onlineSeconds, g.awaySeconds])).toEqual([
        ['Lee', 3600, 0],
        ['Pat', 13 * 3600 + 3600, 3600],
      ]);
      expect([r.total.onlineSeconds, r.total.awaySeconds]).toEqual([13 * 3600 + 7200, 3600]);
      // a plain agent sees their own time only
      const own = await report(`agents?${WEEK}`, pat);
      expect(own.groups.map((g: any) => [g.key, g.onlineSeconds])).toEqual([[patId, 13 * 3600 + 3600]]);
      // a day without a change: the state carried in from before
      const tuesday = await report('agents?from=2025-06-03&to=2025-06-03&site=demo');
      expect(tuesday.groups.find((g: any) => g.label === 'Pat')?.onlineSeconds ?? 0).toBe(0);
      expect(tuesday.groups.find((g: any) => g.label === 'Lee')?.onlineSeconds ?? 0).toBe(0);
      // in the CSV too
      const csv = await (await get(`agents.csv?${WEEK}`)).text();
      expect(csv.split('\r\n')[0]).toContain('onlineSeconds');
    } finally {
      await server.parley.db.deleteFrom('presence_log').where('id', 'like', 'p-%').execute();
    }
  });

  it("shows a plain agent only their own figures, and refuses them another agent's", async () => {
    const own = await report(`conversations?${WEEK}`, pat);
    expect(own.filters.agent).toBe(patId);
    expect(own.total.started).toBe(4);
    const grouped = await report(`agents?${WEEK}`, pat);
    expect(grouped.groups.map((g: any) => g.key)).toEqual([patId]);
    expect((await report(`conversations?${WEEK}&agent=${patId}`, pat)).total.started).toBe(4);
    const other = await get(`conversations?${WEEK}&agent=${leeId}`, pat);
    expect(other.status).toBe(403);
    expect((await other.json()).code).toBe('forbidden');
    // an admin may look at any agent
    expect((await report(`conversations?${WEEK}&agent=${leeId}`)).total.started).toBe(2);
  });

  it('refuses anyone signed out', async () => {
    const res = await fetch(`${server.url}/api/v1/reports/conversations?${WEEK}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('CSV', () => {
  it('exports a table with a header row, CRLF line ends and quotes doubled', async () => {
    const res = await get(`conversations.csv?${WEEK}&groupBy=team`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="parley-conversations-2025-06-02-to-2025-06-08.csv"');
    expect(await res.text()).toBe(
      'team,name,started,new,returning,followUps,closed,reopened,openAtEnd\r\n' +
        'billing,Billing,5,4,1,1,5,2,1\r\n' +
        'shipping,Shipping,2,2,0,0,1,0,2\r\n' +
        'total,Total,7,6,1,1,6,2,3\r\n',
    );
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const text = await (await get(`rating-comments.csv?${WEEK}`)).text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('conversationId,ratedAt,score,comment,agentId,agentName');
    expect(lines[1]).toBe(`D,2025-06-05T12:05:00.000Z,1,"'=HYPERLINK(""http://x"",""y"")",,`);
    expect(lines[2]).toBe(`A,2025-06-03T00:31:00.000Z,5,"Great, ""fast"" help",${patId},Pat`);
  });

  it('flattens nested figures into columns, and draws the heatmap as weekdays by hours', async () => {
    const messages = (await (await get(`messages.csv?${WEEK}`)).text()).split('\r\n');
    expect(messages[0]).toBe('visitor,agent,bot,autoReplies.welcome,autoReplies.away,autoReplies.busy,autoReplies.rule,autoReplies.other,followUpsSent');
    expect(messages[1]).toBe('7,8,4,1,1,0,1,1,1');
    const heat = (await (await get(`busiest-hours.csv?${WEEK}`)).text()).split('\r\n');
    expect(heat[0]).toBe(`weekday,${Array.from({ length: 24 }, (_, h) => h).join(',')}`);
    expect(heat[3]?.split(',').slice(0, 4)).toEqual(['tuesday', '1', '0', '1']);
  });
});

describe('bad input', () => {
  it.each([
    ['a date that does not exist', 'conversations?from=2025-02-30&to=2025-03-01', 422, 'from'],
    ['a period that ends before it starts', 'conversations?from=2025-06-08&to=2025-06-02', 422, 'to'],
    ['a period over 366 days', 'conversations?from=2024-01-01&to=2025-01-01', 422, 'to'],
    ['an unknown groupBy', `conversations?${WEEK}&groupBy=colour`, 422, 'groupBy'],
    ['an unknown parameter', `conversations?${WEEK}&siteId=demo`, 422, 'siteId'],
    ['a missing date', 'conversations?from=2025-06-02', 422, 'to'],
    ['a repeated parameter', `conversations?${WEEK}&team=billing&team=shipping`, 422, 'team'],
    ['a target of nothing', `first-response?${WEEK}&target=0`, 422, 'target'],
    ['an unknown time zone', `conversations?${WEEK}&timeZone=Mars/Olympus`, 422, 'timeZone'],
    ['a grouped heatmap', `busiest-hours?${WEEK}&groupBy=team`, 422, 'groupBy'],
  ])('refuses %s', async (_name, path, status, field) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.code).toBe('invalid_payload');
    expect(body.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it('answers 404 for an unknown report or site', async () => {
    expect((await get(`nonsense?${WEEK}`)).status).toBe(404);
    expect((await get(`nonsense.csv?${WEEK}`)).status).toBe(404);
    expect((await get('conversations?from=2025-06-02&to=2025-06-08&site=nowhere')).status).toBe(404);
  });

  it('takes a period of 366 days in a leap year', async () => {
    expect((await get('conversations?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });
});

describe("the query plans (SQLite's planner, in every project)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(moscowConfig(), { sqlite: true });
  });
  afterAll(() => server.close());

  it('reads every report from indexes, never a whole table', async () => {
    // a few thousand rows of another site and year, and fresh statistics, so the planner chooses as on a large store
    const db = server.parley.db;
    await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO contacts (id, site_id, token_hash, name, language, external_id, created_at, updated_at)
      SELECT 'fill-c' || i, 'after-hours', 'fill-h' || i, 'Name ' || i, 'en', CASE WHEN i % 10 = 0 THEN 'user-' || i END, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z' FROM n`.execute(db);
    await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO conversations (id, site_id, contact_id, status, answers, last_seq, created_at, updated_at, closed_at, team_id, queued_at, assigned_at)
      SELECT 'fill-v' || i, 'after-hours', 'fill-c' || i, 'closed', '[]', 0, printf('2020-01-%02dT10:00:00.000Z', 1 + i % 28), '2020-02-01T00:00:00.000Z',
        '2020-02-01T00:00:00.000Z', 'billing', printf('2020-01-%02dT10:00:00.000Z', 1 + i % 28), printf('2020-01-%02dT10:01:00.000Z', 1 + i % 28) FROM n`.execute(db);
    await sql`INSERT INTO messages (id, conversation_id, seq, client_id, author_type, text, created_at)
      SELECT 'fill-m' || id, id, 1, 'fill', 'visitor', 'hi', created_at FROM conversations WHERE id LIKE 'fill-%'`.execute(db);
    await sql`INSERT INTO routing_events (id, conversation_id, kind, created_at)
      SELECT 'fill-e' || id, id, 'closed', closed_at FROM conversations WHERE id LIKE 'fill-%'`.execute(db);
    await sql`INSERT INTO scheduled_messages (id, conversation_id, agent_id, agent_name, client_id, text, send_at, status, attempts, created_at, updated_at, sent_at)
      SELECT 'fill-s' || id, id, 'nobody', 'Nobody', 'fill-s', 'hi', closed_at, 'sent', 1, created_at, closed_at, closed_at FROM conversations WHERE id LIKE 'fill-%'`.execute(db);
    await sql`ANALYZE`.execute(db);
    // every statement the reports run, behind EXPLAIN QUERY PLAN
    const statements: string[] = [];
    const executor = server.parley.db.getExecutor();
    const original = executor.executeQuery.bind(executor);
    const spy = async (compiled: Parameters<typeof original>[0]) => {
      if (/^\s*(with|select)/i.test(compiled.sql)) {
        const explained = await original({ ...compiled, sql: `EXPLAIN QUERY PLAN ${compiled.sql}` });
        statements.push((explained.rows as { detail: string }[]).map((r) => r.detail).join(' | '));
      }
      return original(compiled);
    };
    (executor as any).executeQuery = spy;
    try {
      const cookie = await server.login();
      for (const name of ['conversations', 'first-response', 'resolution', 'messages', 'satisfaction', 'queue', 'busiest-hours', 'agents']) {
        const res = await fetch(`${server.url}/api/v1/reports/${name}?${WEEK}`, { headers: { cookie } });
        expect(res.status).toBe(200);
      }
    } finally {
      (executor as any).executeQuery = original;
    }
    expect(statements.length).toBeGreaterThan(10);
    for (const plan of statements) {
      expect(plan).not.toMatch(/\bSCAN (c|ct|m|e|s|o|conversations|contacts|messages|routing_events|scheduled_messages)\b(?! USING)/);
    }
  });
});
