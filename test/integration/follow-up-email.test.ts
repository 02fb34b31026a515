import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, PublicSiteConfig, StartConversationResult } from '../../protocol/src/index';
import type { Config } from '../../server/src/config/schema';
import { manualScheduler } from '../../server/src/services/scheduler';
import { ADMIN, type AgentSocket, type TestServer, type VisitorSocket, chatOnlyConfig, clientId, connected, demoConfig, emitRaw, startServer } from '../helpers/server';
import { type TestSmtp, startSmtp } from '../helpers/smtp';

const T0 = new Date('2026-03-02T10:00:00.000Z');
const PUBLIC_URL = 'https://chat.northwind.test';
const FROM = 'Northwind Tea <help@northwind.test>';
const SITE = 'Northwind Tea (demo)';
const MINUTE = 60_000;

let server: TestServer | null = null;
let smtp: TestSmtp | null = null;
const others: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const other of others.splice(0)) await other.close();
  await smtp?.stop();
  smtp = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeClock(start = T0) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`${ack.code}: ${ack.message}`);
  return ack.data;
};

/** A server that sends email to a real SMTP server, with a fake clock and timers run by hand. */
async function mailing(config: Config = chatOnlyConfig()) {
  smtp = await startSmtp();
  const clock = fakeClock();
  const scheduler = manualScheduler();
  const t = await startServer(config, { clock, scheduler, mail: { url: smtp.url, from: FROM, publicUrl: PUBLIC_URL } });
  server = t;
  const agent = t.agentSocket(await t.login());
  await connected(agent);
  const mails = smtp.received;
  return {
    t,
    clock,
    agent,
    mails,
    smtp,
    /** What the 15-second timer does: sweep unseen messages, deliver the outbox. */
    async sweep() {
      scheduler.runAll();
      await t.parley.email?.settled();
    },
  };
}

type Env = Awaited<ReturnType<typeof mailing>>;

async function visitorIn(t: TestServer, answers: Record<string, unknown> = { name: 'Ana García', email: 'ana@example.com', inquiryType: 'billing' }, extra: Record<string, unknown> = {}) {
  const res = await t.post('/api/v1/sites/demo/conversations', { answers, consent: true, pageUrl: 'https://shop.test/cart?step=2#top', ...extra });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  const started = (await res.json()) as StartConversationResult;
  const visitor: VisitorSocket = t.visitorSocket(started.token as string);
  await connected(visitor);
  ok(await visitor.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 }));
  return { ...started, visitor };
}

async function say(socket: AgentSocket | VisitorSocket, conversationId: string, text: string): Promise<number> {
  const ack = await (socket as AgentSocket).emitWithAck('message:send', { conversationId, clientId: clientId(), text });
  return ok(ack).message.seq;
}

/** A header as sent, unfolded. */
function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').slice(name.length + 1).trim();
}

function unsubscribeLink(mail: ParsedMail): URL {
  const value = header(mail, 'List-Unsubscribe') ?? '';
  return new URL(/^<(.+)>$/.exec(value)?.[1] ?? 'about:blank');
}

const outbox = (t: TestServer) => t.parley.db.selectFrom('email_outbox').selectAll().orderBy('created_at').execute();

describe('an agent message the visitor has not seen', () => {
  it('is emailed after the delay in the visitor’s language, with context, the link back and a one-click unsubscribe', async () => {
    const env = await mailing();
    const { t, agent, mails, clock } = env;
    const { conversationId, visitor } = await visitorIn(t, { name: 'Иван', email: 'ivan@example.com', inquiryType: 'billing' }, { language: 'ru' });
    await say(visitor, conversationId, 'Здравствуйте!');
    const last = await say(visitor, conversationId, 'Где мой заказ NW-12345?');
    ok(await visitor.emitWithAck('conversation:read', { conversationId, seq: last }));
    await say(agent, conversationId, 'Ваш заказ уже в пути, он приедет в четверг.');

    clock.advance(9 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(0);

    clock.advance(2 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(1);
    const mail = mails[0] as ParsedMail;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ivan@example.com');
    expect(mail.from?.text).toBe('"Northwind Tea" <help@northwind.test>');
    expect(mail.subject).toBe(`Новое сообщение от Alex Agent — ${SITE}`);
    expect(mail.text).toContain('Alex Agent ответил(а) вам в чате');
    expect(mail.text).toContain('Ваш заказ уже в пути, он приедет в четверг.');
    // the visitor's own messages before it, for context
    expect(mail.text).toContain('Ранее в переписке');
    expect(mail.text).toContain('Где мой заказ NW-12345?');
    expect(mail.text).toContain('Вы:');
    // back to the page the chat started on, with the hash that opens it
    const back = `https://shop.test/cart?step=2#parley-chat=${conversationId}`;
    expect(mail.text).toContain(back);
    expect(mail.html).toContain(`href="${back}"`);
    expect(mail.html).toContain('lang="ru"');
    // RFC 8058 one-click unsubscribe, the same link in the body
    const link = unsubscribeLink(mail);
    expect(link.origin + link.pathname).toBe(`${PUBLIC_URL}/api/v1/follow-ups/unsubscribe`);
    expect(link.searchParams.get('s')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain(link.toString());
    expect(mail.messageId).toMatch(/@chat\.northwind\.test>$/);

    const [row] = await outbox(t);
    expect(row).toMatchObject({ kind: 'unseen', status: 'sent', attempts: 1, to_address: 'ivan@example.com', language: 'ru', from_seq: 2, to_seq: 3 });
    const conversation = await t.parley.db.selectFrom('conversations').select(['unseen_since', 'emailed_seq']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ unseen_since: null, emailed_seq: 3 });
    await env.sweep();
    expect(mails).toHaveLength(1);
  });

  it('escapes every name and text in the HTML part', async () => {
    const env = await mailing();
    const { t, clock, mails } = env;
    await t.parley.auth.ensureAdmin('bo@example.com', ADMIN.password, 'Bo <b>Bold</b>');
    const bo = t.agentSocket(await t.login('bo@example.com', ADMIN.password));
    await connected(bo);
    const { conversationId, visitor } = await visitorIn(t);
    await say(visitor, conversationId, 'Look: <img src=x onerror=alert(2)> & "quotes"');
    await say(bo, conversationId, '<script>alert(1)</script>');
    clock.advance(11 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(1);
    const mail = mails[0] as ParsedMail;
    const html = String(mail.html);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Bo &lt;b&gt;Bold&lt;/b&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;');
    // the plain-text part and the subject carry the words as written
    expect(mail.text).toContain('<script>alert(1)</script>');
    expect(mail.subject).toBe(`New message from Bo <b>Bold</b> — ${SITE}`);
  });

  it('sends one email for a batch of agent messages, and a new one only for messages written after it', async () => {
    const env = await mailing();
    const { t, agent, clock, mails } = env;
    const { conversationId } = await visitorIn(t);
    await say(agent, conversationId, 'First: I looked at your order.');
    clock.advance(MINUTE);
    await say(agent, conversationId, 'Second: it left the warehouse.');
    await say(agent, conversationId, 'Third: tracking is NW-TRACK-1.');
    clock.advance(10 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(1);
    for (const text of ['First: I looked', 'Second: it left', 'Third: tracking']) expect(mails[0]?.text).toContain(text);
    clock.advance(20 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(1);

    await say(agent, conversationId, 'Fourth: it arrived?');
    clock.advance(11 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(2);
    expect((await outbox(t)).map((r) => [r.from_seq, r.to_seq])).toEqual([
      [0, 3],
      [3, 4],
    ]);
    expect(mails[1]?.text?.split('Earlier in the conversation')[0]).toContain('Fourth: it arrived?');
    expect(mails[1]?.text?.split('Earlier in the conversation')[0]).not.toContain('First: I looked');
  });

  it('is not emailed when the visitor read it before the delay ran out', async () => {
    const env = await mailing();
    const { t, agent, clock, mails } = env;
    const { conversationId, visitor } = await visitorIn(t);
    const seq = await say(agent, conversationId, 'Are you still there?');
    clock.advance(5 * MINUTE);
    ok(await visitor.emitWithAck('conversation:read', { conversationId, seq }));
    clock.advance(20 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(0);
    expect(await outbox(t)).toEqual([]);
    const row = await t.parley.db.selectFrom('conversations').select('unseen_since').where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(row.unseen_since).toBeNull();
  });

  it('is never sent for the bot’s automatic replies alone', async () => {
    const env = await mailing(demoConfig());
    const { t, clock, mails } = env;
    const { conversationId } = await visitorIn(t);
    // the welcome (and away or busy notes) come from the bot
    await expect.poll(async () => (await t.parley.db.selectFrom('messages').select('author_type').where('conversation_id', '=', conversationId).execute()).map((m) => m.author_type)).toContain('bot');
    clock.advance(60 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(0);
    expect(await outbox(t)).toEqual([]);
  });

  it('is not emailed to a contact who left no address', async () => {
    const config = chatOnlyConfig();
    for (const field of config.sites.demo?.prechat.fields ?? []) if (field.key === 'email') field.required = false;
    const env = await mailing(config);
    const { t, agent, clock, mails } = env;
    const { conversationId } = await visitorIn(t, { name: 'No Mail', inquiryType: 'billing' });
    await say(agent, conversationId, 'Hello?');
    clock.advance(11 * MINUTE);
    await env.sweep();
    expect(mails).toHaveLength(0);
    expect(await outbox(t)).toEqual([]);
  });
});

describe('the unsubscribe link', () => {
  async function firstMail(env: Env, language?: string) {
    const { conversationId, visitor } = await visitorIn(env.t, { name: 'Ana', email: 'ana@example.com', inquiryType: 'billing' }, language ? { language } : {});
    await say(env.agent, conversationId, 'We found your parcel.');
    env.clock.advance(11 * MINUTE);
    await env.sweep();
    expect(env.mails).toHaveLength(1);
    return { conversationId, visitor, link: unsubscribeLink(env.mails[0] as ParsedMail) };
  }

  const consents = (t: TestServer) => t.parley.db.selectFrom('follow_up_consents').selectAll().execute();
  const local = (t: TestServer, link: URL) => `${t.url}${link.pathname}${link.search}`;

  it('shows a question on GET, in the contact’s language, and opts out only on POST', async () => {
    const env = await mailing();
    const { link } = await firstMail(env, 'de');
    const page = await fetch(local(env.t, link));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // the page's form posts back to itself
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await page.text();
    expect(html).toContain(`Keine weiteren Nachrichten von ${SITE} erhalten?`);
    expect(html).toContain('<form method="post">');
    expect(await consents(env.t)).toEqual([]);

    const res = await fetch(local(env.t, link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'from=page' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`Sie erhalten keine weiteren Nachrichten von ${SITE}.`);
    expect(await consents(env.t)).toMatchObject([{ action: 'opt_out', via: 'email', detail: 'unsubscribe page' }]);
  });

  it('opts out with one click (RFC 8058), after which no email is sent', async () => {
    const env = await mailing();
    const { conversationId, link } = await firstMail(env);
    const res = await fetch(local(env.t, link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    const [consent] = await consents(env.t);
    expect(consent).toMatchObject({ action: 'opt_out', via: 'email', detail: 'one-click (RFC 8058)' });
    const contact = await env.t.parley.db.selectFrom('contacts').select('follow_ups_opted_out_via').where('id', '=', consent?.contact_id ?? '').executeTakeFirstOrThrow();
    expect(contact.follow_ups_opted_out_via).toBe('email');

    await say(env.agent, conversationId, 'One more thing…');
    env.clock.advance(11 * MINUTE);
    await env.sweep();
    expect(env.mails).toHaveLength(1);
    expect((await outbox(env.t)).length).toBe(1);
  });

  it('cancels an email already queued when the contact opts out before it is sent', async () => {
    const env = await mailing();
    const { conversationId, link } = await firstMail(env);
    await env.smtp.stop();
    await say(env.agent, conversationId, 'Queued while the mail server is down.');
    env.clock.advance(11 * MINUTE);
    await env.sweep();
    await env.smtp.start();
    await fetch(local(env.t, link), { method: 'POST', body: '' });
    env.clock.advance(10 * MINUTE);
    await env.sweep();
    expect(env.mails).toHaveLength(1);
    expect((await outbox(env.t)).map((r) => r.status)).toEqual(['sent', 'cancelled']);
  });

  it('refuses a forged or broken signature with a 400 page and changes nothing', async () => {
    const env = await mailing();
    const { link } = await firstMail(env);
    const forged = new URL(link);
    forged.searchParams.set('s', `${link.searchParams.get('s')?.slice(0, -2)}xx`);
    const other = new URL(link);
    other.searchParams.set('c', crypto.randomUUID());
    for (const url of [forged, other]) {
      expect((await fetch(local(env.t, url))).status).toBe(400);
      const post = await fetch(local(env.t, url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(post.status).toBe(400);
      expect(await post.text()).toContain('This link does not work');
    }
    expect((await fetch(`${env.t.url}/api/v1/follow-ups/unsubscribe`, { method: 'POST' })).status).toBe(400);
    expect(await consents(env.t)).toEqual([]);
  });
});

describe('the transcript by email', () => {
  it('is sent on the visitor’s request, once per five minutes per conversation', async () => {
    const env = await mailing();
    const { t, agent, clock, mails } = env;
    const { conversationId, visitor } = await visitorIn(t);
    await say(visitor, conversationId, 'Can I change the address?');
    await say(agent, conversationId, 'Yes, done: it goes to Teestraße 12.');
    ok(await agent.emitWithAck('conversation:close', { conversationId }));

    expect(await visitor.emitWithAck('conversation:transcript', { conversationId })).toEqual({ ok: true, data: { queued: true } });
    await t.parley.email?.settled();
    expect(mails).toHaveLength(1);
    const mail = mails[0] as ParsedMail;
    expect(mail.subject).toBe(`Your conversation with ${SITE}`);
    expect(mail.text).toContain('Can I change the address?');
    expect(mail.text).toContain('Yes, done: it goes to Teestraße 12.');
    expect(mail.text).toContain(`#parley-chat=${conversationId}`);
    // asked for, not a follow-up: no unsubscribe headers
    expect(header(mail, 'List-Unsubscribe')).toBeUndefined();

    clock.advance(2 * MINUTE);
    expect(await visitor.emitWithAck('conversation:transcript', { conversationId })).toMatchObject({ ok: false, code: 'rate_limited' });
    clock.advance(4 * MINUTE);
    expect(await visitor.emitWithAck('conversation:transcript', { conversationId })).toEqual({ ok: true, data: { queued: true } });
    await t.parley.email?.settled();
    expect(mails).toHaveLength(2);
  });

  it('is refused for another visitor’s conversation and for bad payloads', async () => {
    const env = await mailing();
    const mine = await visitorIn(env.t);
    const theirs = await visitorIn(env.t, { name: 'Bo', email: 'bo@example.com', inquiryType: 'billing' });
    await say(theirs.visitor, theirs.conversationId, 'Private question');
    expect(await mine.visitor.emitWithAck('conversation:transcript', { conversationId: theirs.conversationId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await emitRaw(mine.visitor, 'conversation:transcript', { conversationId: 42 })).toMatchObject({ ok: false, code: 'invalid_payload' });
    await env.t.parley.email?.settled();
    expect(env.mails).toHaveLength(0);
  });

  it('is refused when the visitor left no email address', async () => {
    const config = chatOnlyConfig();
    for (const field of config.sites.demo?.prechat.fields ?? []) if (field.key === 'email') field.required = false;
    const env = await mailing(config);
    const { conversationId, visitor } = await visitorIn(env.t, { name: 'No Mail', inquiryType: 'billing' });
    await say(visitor, conversationId, 'Hi');
    expect(await visitor.emitWithAck('conversation:transcript', { conversationId })).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('delivery', () => {
  it('retries with backoff while the SMTP server is down and delivers exactly once when it is back', async () => {
    const env = await mailing();
    const { t, agent, clock, mails, smtp: mail } = env;
    const { conversationId } = await visitorIn(t);
    await mail.stop();
    await say(agent, conversationId, 'Your refund is on its way.');
    clock.advance(11 * MINUTE);
    await env.sweep();
    let [row] = await outbox(t);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.last_error).toBeTruthy();
    expect(Date.parse(row?.next_attempt_at ?? '')).toBe(clock.now().getTime() + 30_000);

    await mail.start();
    // not due yet: the backoff holds it
    await env.sweep();
    expect(mails).toHaveLength(0);
    clock.advance(31_000);
    await env.sweep();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('Your refund is on its way.');
    [row] = await outbox(t);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });

    clock.advance(60 * MINUTE);
    await env.sweep();
    await env.sweep();
    expect(mails).toHaveLength(1);
  });

  it('gives up after twelve attempts', async () => {
    const env = await mailing();
    const { t, agent, clock } = env;
    const { conversationId } = await visitorIn(t);
    await env.smtp.stop();
    await say(agent, conversationId, 'Nobody will get this.');
    clock.advance(11 * MINUTE);
    for (let i = 0; i < 14; i += 1) {
      await env.sweep();
      clock.advance(7 * 60 * MINUTE);
    }
    const [row] = await outbox(t);
    expect(row).toMatchObject({ status: 'failed', attempts: 12 });
  });
});

describe('with a store on disk', () => {
  it('keeps the generated link secret, so links in emails already sent work after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-email-'));
    dirs.push(dataDir);
    smtp = await startSmtp();
    const clock = fakeClock();
    const mail = { url: smtp.url, from: FROM, publicUrl: PUBLIC_URL };
    const first = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler(), mail, dataDir });
    others.push(first);
    const agent = first.agentSocket(await first.login());
    await connected(agent);
    const { conversationId } = await visitorIn(first);
    await say(agent, conversationId, 'Before the restart.');
    clock.advance(11 * MINUTE);
    await first.parley.email?.tick();
    const link = unsubscribeLink(smtp.received[0] as ParsedMail);
    await others.pop()?.close();

    server = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler(), mail, dataDir });
    const res = await fetch(`${server.url}${link.pathname}${link.search}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await server.parley.db.selectFrom('follow_up_consents').select('via').execute()).toEqual([{ via: 'email' }]);
  });

  it('sends each email once when two nodes sweep and deliver at the same moment', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-email-'));
    dirs.push(dataDir);
    smtp = await startSmtp();
    const clock = fakeClock();
    const mail = { url: smtp.url, from: FROM, publicUrl: PUBLIC_URL };
    const a = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler(), mail, dataDir });
    others.push(a);
    const b = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler(), mail, dataDir });
    others.push(b);
    const agent = a.agentSocket(await a.login());
    await connected(agent);
    const started = await Promise.all([visitorIn(a), visitorIn(a, { name: 'Bo', email: 'bo@example.com', inquiryType: 'billing' })]);
    for (const { conversationId } of started) await say(agent, conversationId, 'Hello from one node.');
    clock.advance(11 * MINUTE);
    await Promise.all([a.parley.email?.tick(), b.parley.email?.tick(), a.parley.email?.tick(), b.parley.email?.tick()]);
    expect(smtp.received.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '')).sort()).toEqual(['ana@example.com', 'bo@example.com']);
    expect((await a.parley.db.selectFrom('email_outbox').select(['status', 'attempts']).execute())).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
  });
});

describe('without SMTP', () => {
  it('shows no email in the public config, refuses the transcript and has no unsubscribe route', async () => {
    const scheduler = manualScheduler();
    server = await startServer(chatOnlyConfig(), { scheduler, clock: fakeClock() });
    expect(server.parley.email).toBeNull();
    const config = (await (await fetch(`${server.url}/api/v1/sites/demo/config`)).json()) as PublicSiteConfig;
    expect(config).not.toHaveProperty('email');
    const { conversationId, visitor } = await visitorIn(server);
    expect(await visitor.emitWithAck('conversation:transcript', { conversationId })).toMatchObject({ ok: false, code: 'not_found' });
    // not mounted: no such route, for anyone
    const res = await fetch(`${server.url}/api/v1/follow-ups/unsubscribe?c=x&s=y`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('says so in the public config when it is set up', async () => {
    const env = await mailing();
    const config = (await (await fetch(`${env.t.url}/api/v1/sites/demo/config`)).json()) as PublicSiteConfig;
    expect(config.email).toBe(true);
  });
});
