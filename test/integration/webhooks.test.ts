import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookEndpoint } from '../../protocol/src/webhooks';
import { adjustableClock } from '../../server/src/services/clock';
import { manualScheduler } from '../../server/src/services/scheduler';
import { DISABLE_AFTER_MS, KEEP_LOG_MS, MAX_ATTEMPTS } from '../../server/src/services/webhooks/webhook-service';
import { isSpecialAddress } from '../../server/src/services/webhooks/targets';
import { type TestServer, chatOnlyConfig, connected, startServer } from '../helpers/server';

/**
 * Webhooks as a shop's developer meets them: an admin subscribes a URL, a local receiver gets
 * each event once, verifies every delivery with the official `standardwebhooks` package, sees
 * retries after answering 500, and the order of a conversation's events is kept.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  type: string;
  data: Record<string, any>;
}

/** A receiver on loopback that answers with the statuses queued in `answers` (then 200). */
async function receiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  let extra: Record<string, string> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as { type: string; data: Record<string, any> };
      received.push({ headers: req.headers, body, type: parsed.type, data: parsed.data });
      res.writeHead(answers.shift() ?? 200, extra).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    received,
    answers,
    setHeaders: (h: Record<string, string>) => (extra = h),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const clock = adjustableClock();
let t: TestServer;
let admin: string;
let hook: Awaited<ReturnType<typeof receiver>>;

const api = (method: string, path: string, body?: unknown, cookie = admin) =>
  fetch(`${t.url}/api/v1${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function subscribe(events: string[], url = hook.url): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const res = await api('POST', '/webhooks', { url, events, allowPrivateNetwork: true, description: 'CRM sync' });
  expect(res.status).toBe(201);
  return (await res.json()) as { endpoint: WebhookEndpoint; secret: string };
}

/** Runs the worker until nothing due is left. */
async function drain(): Promise<void> {
  await t.parley.webhooks.settled();
  while ((await t.parley.webhooks.deliverDue()) > 0);
}

const deliveries = async (id: string): Promise<WebhookDelivery[]> => ((await (await api('GET', `/webhooks/${id}/deliveries`)).json()) as { deliveries: WebhookDelivery[] }).deliveries;

beforeAll(async () => {
  t = await startServer(chatOnlyConfig(), { clock, scheduler: manualScheduler() });
  admin = await t.login();
});
afterAll(() => t.close());
beforeEach(async () => {
  hook = await receiver();
});
afterEach(async () => {
  await t.parley.webhooks.settled();
  for (const e of (await (await api('GET', '/webhooks')).json()).endpoints as WebhookEndpoint[]) await api('DELETE', `/webhooks/${e.id}`);
  await hook.close();
});

describe('webhook endpoints (admin API)', () => {
  it('creates an endpoint and shows its secret once, never in lists', async () => {
    const { endpoint, secret } = await subscribe(['conversation.created']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(endpoint).toMatchObject({ url: hook.url, events: ['conversation.created'], enabled: true, allowPrivateNetwork: true, description: 'CRM sync', disabledReason: null });
    const listed = await (await api('GET', '/webhooks')).text();
    expect(listed).toContain(endpoint.id);
    expect(listed).not.toContain(secret);
    expect(await (await api('GET', `/webhooks/${endpoint.id}`)).text()).not.toContain(secret);
    expect(((await (await api('GET', '/webhooks/event-types')).json()) as { eventTypes: string[] }).eventTypes).toContain('message.created');
    const audit = await t.parley.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'webhook.created').execute();
    expect(audit).toContainEqual({ action: 'webhook.created', target: endpoint.id });
  });

  it.each([
    ['not a URL', { url: 'not a url', events: ['message.created'] }, 'url'],
    ['an ftp URL', { url: 'ftp://example.com/x', events: ['message.created'] }, 'url'],
    ['credentials in the URL', { url: 'https://user:pw@example.com/x', events: ['message.created'] }, 'url'],
    ['a URL of 3000 characters', { url: `https://example.com/${'a'.repeat(3000)}`, events: ['message.created'] }, 'url'],
    ['a number as URL', { url: 42, events: ['message.created'] }, 'url'],
    ['no events', { url: 'https://example.com/x', events: [] }, 'events'],
    ['an unknown event', { url: 'https://example.com/x', events: ['order.paid'] }, 'events[0]'],
    ['an event twice', { url: 'https://example.com/x', events: ['message.created', 'message.created'] }, 'events'],
    ['events as a string', { url: 'https://example.com/x', events: 'message.created' }, 'events'],
    ['a description of 201 characters', { url: 'https://example.com/x', events: ['message.created'], description: 'x'.repeat(201) }, 'description'],
    ['an unknown key', { url: 'https://example.com/x', events: ['message.created'], secret: 'whsec_mine' }, 'secret'],
    ['allowPrivateNetwork as text', { url: 'https://example.com/x', events: ['message.created'], allowPrivateNetwork: 'yes' }, 'allowPrivateNetwork'],
  ])('refuses %s at the field', async (_name, body, path) => {
    const res = await api('POST', '/webhooks', body);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; issues: { path: string }[] };
    expect(problem.code).toBe('invalid_payload');
    expect(problem.issues.map((i) => i.path)).toContain(path);
  });

  it.each(['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x', 'http://10.1.2.3/x', 'http://[::ffff:192.168.0.1]/x', 'http://0.0.0.0/x'])(
    'refuses the private or loopback target %s unless the owner allows it',
    async (url) => {
      const res = await api('POST', '/webhooks', { url, events: ['message.created'] });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { issues: { path: string; message: string }[] };
      expect(problem.issues[0]).toMatchObject({ path: 'url' });
      expect(problem.issues[0]?.message).toMatch(/private, loopback or reserved|does not resolve/);
    },
  );

  it('tells special addresses from public ones', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', 'not-an-ip'])
      expect(isSpecialAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isSpecialAddress(a), a).toBe(false);
  });

  it('answers 404 for an endpoint or delivery that does not exist', async () => {
    expect((await api('GET', '/webhooks/nope')).status).toBe(404);
    expect((await api('PATCH', '/webhooks/nope', { enabled: false })).status).toBe(404);
    expect((await api('DELETE', '/webhooks/nope')).status).toBe(404);
    const { endpoint } = await subscribe(['conversation.created']);
    expect((await api('POST', `/webhooks/${endpoint.id}/deliveries/nope/resend`)).status).toBe(404);
  });
});

describe('deliveries', () => {
  it('sends each subscribed event once, signed (Standard Webhooks), in order per conversation', async () => {
    const { endpoint, secret } = await subscribe([
      'contact.created',
      'contact.updated',
      'conversation.created',
      'conversation.assigned',
      'conversation.closed',
      'conversation.reopened',
      'rating.submitted',
    ]);
    const name = '<script>alert(1)</script> Ана 李 🌍';
    const started = await t.startConversation({ name, email: 'hook@example.com', inquiryType: 'billing' });
    const agent = t.agentSocket(admin);
    await connected(agent);
    expect(await agent.emitWithAck('conversation:claim', { conversationId: started.conversationId })).toMatchObject({ ok: true });
    expect(await agent.emitWithAck('contact:attributes', { contactId: started.contactId, attributes: { plan: 'pro' } })).toMatchObject({ ok: true });
    expect(await agent.emitWithAck('conversation:close', { conversationId: started.conversationId })).toMatchObject({ ok: true });
    const visitor = t.visitorSocket(started.token as string);
    await connected(visitor);
    expect(await visitor.emitWithAck('conversation:rate', { conversationId: started.conversationId, score: 5, comment: 'Great <b>help</b>' })).toMatchObject({ ok: true });
    expect(await agent.emitWithAck('conversation:reopen', { conversationId: started.conversationId })).toMatchObject({ ok: true });
    await drain();

    const verifier = new Webhook(secret);
    for (const r of hook.received) {
      // throws on a bad signature, a stale timestamp or a missing header
      expect(verifier.verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) })).toBeTruthy();
      expect(r.headers['content-type']).toBe('application/json');
    }
    const ids = hook.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    const about = hook.received.filter((r) => (r.data.conversation?.id ?? r.data.contact?.id) === started.conversationId || r.data.contact?.id === started.contactId);
    expect(about.map((r) => r.type)).toEqual(['contact.created', 'conversation.created', 'conversation.assigned', 'contact.updated', 'conversation.closed', 'rating.submitted', 'conversation.reopened']);
    const created = about.find((r) => r.type === 'contact.created')!;
    expect(created.data.contact).toMatchObject({ id: started.contactId, name, email: 'hook@example.com', siteId: 'demo' });
    expect(about.find((r) => r.type === 'contact.updated')!.data.contact.attributes).toEqual({ plan: 'pro' });
    expect(about.find((r) => r.type === 'rating.submitted')!.data.rating).toMatchObject({ score: 5, comment: 'Great <b>help</b>' });
    expect(about.find((r) => r.type === 'conversation.closed')!.data.conversation).toMatchObject({ status: 'closed', assigneeId: expect.any(String) });

    const log = await deliveries(endpoint.id);
    expect(log.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatus === 200)).toBe(true);
    agent.disconnect();
    visitor.disconnect();
  });

  it('sends nothing for events nobody subscribed to', async () => {
    await subscribe(['rating.submitted']);
    await t.startConversation();
    await drain();
    expect(hook.received).toEqual([]);
  });

  it('sends message.created for the visitor’s and the agent’s messages, in the order they were written, not for system lines', async () => {
    const { secret } = await subscribe(['message.created']);
    const started = await t.startConversation();
    const visitor = t.visitorSocket(started.token as string);
    await connected(visitor);
    await visitor.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });
    for (const text of ['first <b>one</b>', 'второе 🌱', 'third']) {
      expect(await visitor.emitWithAck('message:send', { conversationId: started.conversationId, clientId: crypto.randomUUID(), text })).toMatchObject({ ok: true });
    }
    const agent = t.agentSocket(admin);
    await connected(agent);
    await agent.emitWithAck('conversation:open', { conversationId: started.conversationId, afterSeq: 0 });
    expect(await agent.emitWithAck('message:send', { conversationId: started.conversationId, clientId: crypto.randomUUID(), text: 'an answer' })).toMatchObject({ ok: true });
    // a resend with the same client id is the same message: no second delivery
    await t.parley.conversations.settled();
    await drain();
    const verifier = new Webhook(secret);
    const messages = hook.received.filter((r) => r.type === 'message.created');
    for (const r of messages) verifier.verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) });
    expect(messages.map((r) => [r.data.message.authorType, r.data.message.text])).toEqual([
      ['visitor', 'first <b>one</b>'],
      ['visitor', 'второе 🌱'],
      ['visitor', 'third'],
      ['agent', 'an answer'],
    ]);
    expect(messages.map((r) => r.data.message.seq)).toEqual([...messages.map((r) => r.data.message.seq)].sort((a, b) => a - b));
    expect(messages[3]!.data.conversation).toEqual({ id: started.conversationId, siteId: 'demo', contactId: started.contactId });
    expect(messages[3]!.data.message.authorId).toEqual(expect.any(String));
    visitor.disconnect();
    agent.disconnect();
  });

  it('retries after 500s with the same webhook-id, and keeps the later event of the conversation waiting', async () => {
    const { endpoint } = await subscribe(['conversation.created', 'conversation.assigned']);
    hook.answers.push(500, 500);
    const started = await t.startConversation();
    await drain();
    expect(hook.received.map((r) => r.type)).toEqual(['conversation.created']);
    // the assignment happens while the creation is still being retried: it waits its turn
    const agent = t.agentSocket(admin);
    await connected(agent);
    await agent.emitWithAck('conversation:claim', { conversationId: started.conversationId });
    await drain();
    expect(hook.received.map((r) => r.type)).toEqual(['conversation.created']);
    let log = await deliveries(endpoint.id);
    expect(log.find((d) => d.eventType === 'conversation.created')).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });

    clock.advance(6_500);
    await drain();
    expect(hook.received.map((r) => r.type)).toEqual(['conversation.created', 'conversation.created']);
    clock.advance(6 * 60_000 + 5_000);
    await drain();
    expect(hook.received.map((r) => r.type)).toEqual(['conversation.created', 'conversation.created', 'conversation.created', 'conversation.assigned']);
    const firstIds = hook.received.slice(0, 3).map((r) => r.headers['webhook-id']);
    expect(new Set(firstIds).size).toBe(1);
    log = await deliveries(endpoint.id);
    expect(log.find((d) => d.eventType === 'conversation.created')).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    // resending a delivered one sends it again, same id
    const created = log.find((d) => d.eventType === 'conversation.created')!;
    expect((await api('POST', `/webhooks/${endpoint.id}/deliveries/${created.id}/resend`)).status).toBe(200);
    await drain();
    expect(hook.received.at(-1)?.headers['webhook-id']).toBe(firstIds[0]);
    agent.disconnect();
  });

  it('does not follow redirects: a 302 is a failure and the other host is never called', async () => {
    const other = await receiver();
    try {
      const { endpoint } = await subscribe(['conversation.created']);
      hook.answers.push(302);
      hook.setHeaders({ location: other.url });
      await t.startConversation();
      await drain();
      expect(other.received).toEqual([]);
      expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'pending', lastStatus: 302, lastError: 'answered 302' });
    } finally {
      await other.close();
    }
  });

  it('gives up after the last attempt, and disables an endpoint that failed for five days; re-enabling sends what waited', async () => {
    const { endpoint } = await subscribe(['conversation.created']);
    hook.answers.push(...Array.from({ length: 100 }, () => 503));
    const first = await t.startConversation();
    await drain();
    // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±20 %): twelve hours always reach the next attempt
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++) {
      clock.advance(12 * 3_600_000);
      await drain();
    }
    expect(hook.received.length).toBe(MAX_ATTEMPTS);
    expect(hook.received.every((r) => r.data.conversation.id === first.conversationId)).toBe(true);
    const log = await deliveries(endpoint.id);
    expect(log[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatus: 503 });
    let state = ((await (await api('GET', `/webhooks/${endpoint.id}`)).json()) as { endpoint: WebhookEndpoint }).endpoint;
    expect(state).toMatchObject({ enabled: true, failingSince: expect.any(String) });

    // newer events keep failing until the endpoint has failed for five days
    const second = await t.startConversation();
    for (let i = 0; i < 12 && state.enabled; i++) {
      clock.advance(12 * 3_600_000);
      await drain();
      state = ((await (await api('GET', `/webhooks/${endpoint.id}`)).json()) as { endpoint: WebhookEndpoint }).endpoint;
    }
    expect(state.enabled).toBe(false);
    expect(state.disabledReason).toMatch(/failed since/);
    expect(clock.now().getTime() - Date.parse(state.failingSince!)).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    const audit = await t.parley.db.selectFrom('audit_log').select('action').where('target', '=', endpoint.id).execute();
    expect(audit.map((a) => a.action)).toContain('webhook.disabled');

    // while disabled, what was pending waits and new events are not recorded for it; enabled again, the pending go out
    hook.answers.length = 0;
    const third = await t.startConversation();
    clock.advance(12 * 3_600_000);
    await drain();
    const before = hook.received.length;
    const enabled = await api('PATCH', `/webhooks/${endpoint.id}`, { enabled: true });
    expect(((await enabled.json()) as { endpoint: WebhookEndpoint }).endpoint).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await drain();
    const after = hook.received.slice(before).map((r) => r.data.conversation.id);
    expect(after).toEqual([second.conversationId]);
    expect(after).not.toContain(third.conversationId);
  });

  it('delivers each row once when two workers run at the same moment', async () => {
    await subscribe(['conversation.created']);
    for (let i = 0; i < 5; i++) await t.startConversation();
    await Promise.all([t.parley.webhooks.deliverDue(), t.parley.webhooks.deliverDue(), t.parley.webhooks.deliverDue()]);
    await drain();
    const ids = hook.received.map((r) => r.headers['webhook-id']);
    expect(ids.length).toBe(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('keeps a refused target from being reached at delivery time too', async () => {
    const { endpoint } = await subscribe(['conversation.created']);
    // the owner withdraws the exception: the loopback receiver may no longer be called
    const res = await api('PATCH', `/webhooks/${endpoint.id}`, { allowPrivateNetwork: false });
    expect(res.status).toBe(422);
    await t.parley.db.updateTable('webhook_endpoints').set({ allow_private: 0 }).where('id', '=', endpoint.id).execute();
    await t.startConversation();
    await drain();
    expect(hook.received).toEqual([]);
    expect((await deliveries(endpoint.id))[0]?.lastError).toMatch(/private, loopback or reserved/);
  });

  it('forgets an erased contact in its deliveries, and keeps the log for 30 days', async () => {
    const { endpoint } = await subscribe(['contact.created', 'conversation.created']);
    const gone = await t.startConversation({ name: 'Erase Me', email: 'erase@example.com', inquiryType: 'billing' });
    const kept = await t.startConversation({ name: 'Keep Me', email: 'keep@example.com', inquiryType: 'billing' });
    await drain();
    expect((await deliveries(endpoint.id)).length).toBe(4);
    const res = await api('POST', `/contacts/${gone.contactId}/erase`, { confirm: true, reason: 'asked by email' });
    expect(res.status).toBe(200);
    const left = JSON.stringify(await deliveries(endpoint.id));
    expect(left).not.toContain('Erase Me');
    expect(left).not.toContain('erase@example.com');
    expect(left).toContain(kept.conversationId);

    clock.advance(KEEP_LOG_MS + 60_000);
    expect(await t.parley.webhooks.prune()).toBe(2);
    // a month on, the admin signs in again
    admin = await t.login();
    expect(await deliveries(endpoint.id)).toEqual([]);
  });

});
