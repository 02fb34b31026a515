import { afterEach, describe, expect, it } from 'vitest';
import type { Message, UnreadSummary } from '../../protocol/src/index';
import { type TestServer, connected, nextEvent, startServer } from '../helpers/server';

/**
 * What a shop's program does with an API key besides the console's actions: write into a
 * conversation as its agent or as the bot, start a conversation with a contact (an order notice),
 * and find contacts page by page.
 */
let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function keyWith(server: TestServer, scopes: string[]): Promise<string> {
  const cookie = await server.login();
  const res = await server.post('/api/v1/api-keys', { name: `key ${scopes.join('+')}`, scopes }, { cookie });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}
function api(server: TestServer, key: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
}

describe('POST /conversations/:id/messages', () => {
  it('writes as the key’s agent (claiming an unassigned conversation) or as the bot, once per Idempotency-Key, live to the visitor', async () => {
    t = await startServer();
    const call = api(t, await keyWith(t, ['read', 'write']));
    const started = await t.startConversation();
    const visitor = t.visitorSocket(started.token!);
    await connected(visitor);
    await visitor.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });

    const live = nextEvent<Message>(visitor, 'message:new', (m) => m.authorType === 'agent');
    const sent = await call('POST', `/conversations/${started.conversationId}/messages`, { text: 'Your order <b>#1001</b> ships today 📦' }, { 'idempotency-key': 'order-1001-shipped' });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ authorType: 'agent', authorName: 'Alex Agent', text: 'Your order <b>#1001</b> ships today 📦' });
    expect((await live).id).toBe(sent.body.message.id);
    // the retry stores nothing new
    const again = await call('POST', `/conversations/${started.conversationId}/messages`, { text: 'Your order <b>#1001</b> ships today 📦' }, { 'idempotency-key': 'order-1001-shipped' });
    expect(again.body.message.id).toBe(sent.body.message.id);
    const stored = await t.parley.db.selectFrom('messages').select('id').where('conversation_id', '=', started.conversationId).where('author_type', '=', 'agent').execute();
    expect(stored).toHaveLength(1);
    const conversation = await t.parley.db.selectFrom('conversations').select('assignee_id').where('id', '=', started.conversationId).executeTakeFirstOrThrow();
    expect(conversation.assignee_id).toBeTruthy();

    const botLive = nextEvent<Message>(visitor, 'message:new', (m) => m.authorType === 'bot' && m.text.startsWith('Tracking'));
    const bot = await call('POST', `/conversations/${started.conversationId}/messages`, { text: 'Tracking: DHL 0034 5521', as: 'bot', botName: 'Northwind orders' });
    expect(bot.status).toBe(201);
    expect(await botLive).toMatchObject({ authorType: 'bot', authorName: 'Northwind orders' });
  });

  it('refuses bad input, unknown and closed conversations, and keys without the write scope', async () => {
    t = await startServer();
    const key = await keyWith(t, ['read', 'write']);
    const call = api(t, key);
    const started = await t.startConversation();
    const path = `/conversations/${started.conversationId}/messages`;
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 42 }, { text: 'x'.repeat(5001) }, { text: 'hi', as: 'admin' }, { text: 'hi', as: 'bot', botName: 'n'.repeat(81) }, { text: 'hi', clientId: 'no' }]) {
      expect((await call('POST', path, body)).status, JSON.stringify(body).slice(0, 60)).toBe(422);
    }
    expect((await call('POST', path, 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(422);
    expect((await call('POST', '/conversations/nope/messages', { text: 'hi', as: 'bot' })).status).toBe(404);
    expect((await call('POST', '/conversations/nope/messages', { text: 'hi' })).status).toBe(404);
    expect((await call('POST', `/conversations/${started.conversationId}/close`, {})).status).toBe(200);
    expect((await call('POST', path, { text: 'hi', as: 'bot' })).status).toBe(409);
    const readOnly = api(t, await keyWith(t, ['read']));
    expect((await readOnly('POST', path, { text: 'hi' })).status).toBe(403);
    expect((await api(t, 'parley_not_a_key')('POST', path, { text: 'hi' })).status).toBe(401);
  });
});

describe('POST /conversations (outbound)', () => {
  it('starts a conversation with a contact, assigned to the writer; the visitor sees it unread; a retry starts nothing new; an opted-out contact is refused', async () => {
    t = await startServer();
    const call = api(t, await keyWith(t, ['read', 'write']));
    const started = await t.startConversation();
    const out = await call('POST', '/conversations', { contactId: started.contactId, text: 'We found your parcel: it arrives tomorrow.', inquiryType: 'shipping' }, { 'idempotency-key': 'parcel-found-1' });
    expect(out.status).toBe(201);
    expect(out.body.conversation).toMatchObject({ status: 'open', inquiryType: 'shipping', contact: { id: started.contactId } });
    expect(out.body.conversation.id).not.toBe(started.conversationId);
    expect(out.body.conversation.assigneeId).toBeTruthy();
    expect(out.body.message).toMatchObject({ seq: 1, authorType: 'agent', text: 'We found your parcel: it arrives tomorrow.' });

    const unread = (await (await fetch(`${t.url}/api/v1/sites/demo/unread`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: started.token })).json()) as UnreadSummary;
    expect(unread).toMatchObject({ unread: 1, conversationId: out.body.conversation.id, latest: { text: 'We found your parcel: it arrives tomorrow.' } });
    // the visitor's token opens it
    const visitor = t.visitorSocket(started.token!);
    await connected(visitor);
    const join = await visitor.emitWithAck('conversation:join', { conversationId: out.body.conversation.id, afterSeq: 0 });
    expect(join.ok && join.data.messages.map((m) => m.text)).toContain('We found your parcel: it arrives tomorrow.');

    const retry = await call('POST', '/conversations', { contactId: started.contactId, text: 'We found your parcel: it arrives tomorrow.' }, { 'idempotency-key': 'parcel-found-1' });
    expect(retry.status).toBe(200);
    expect(retry.body.conversation.id).toBe(out.body.conversation.id);
    expect(await t.parley.db.selectFrom('conversations').select('id').where('contact_id', '=', started.contactId).execute()).toHaveLength(2);

    expect((await call('POST', '/conversations', { contactId: 'nobody', text: 'hi' })).status).toBe(404);
    for (const body of [{ text: 'hi' }, { contactId: started.contactId }, { contactId: started.contactId, text: 'hi', inquiryType: '<script>' }]) {
      expect((await call('POST', '/conversations', body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await visitor.emitWithAck('followups:set', { allow: false })).ok).toBe(true);
    const refused = await call('POST', '/conversations', { contactId: started.contactId, text: 'One more offer' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('opted out');
  });
});

describe('GET /contacts', () => {
  it('pages through contacts newest first without repeats, finds one by email or the shop’s user id, and reads one with its profile', async () => {
    t = await startServer();
    const call = api(t, await keyWith(t, ['read']));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.startConversation({ name: `Contact ${i}`, email: `c${i}@example.com`, inquiryType: 'billing' })).contactId);

    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { contacts: { id: string; createdAt: string }[]; nextCursor: string | null } } = await call('GET', `/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.contacts.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.contacts);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // every contact once, newest first (contacts of the same millisecond by id)
    expect(seen.map((c) => c.id).sort()).toEqual([...ids].sort());
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.createdAt >= seen[i]!.createdAt).toBe(true);

    const byEmail = await call('GET', '/contacts?email=C3@Example.com');
    expect(byEmail.body.contacts.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
    await t.parley.db.updateTable('contacts').set({ external_id: 'shop-user-9' }).where('id', '=', ids[1]!).execute();
    const byUser = await call('GET', '/contacts?externalId=shop-user-9');
    expect(byUser.body.contacts).toEqual([expect.objectContaining({ id: ids[1], externalId: 'shop-user-9', email: 'c1@example.com' })]);

    const one = await call('GET', `/contacts/${ids[0]}`);
    expect(one.status).toBe(200);
    expect(one.body.contact).toMatchObject({ id: ids[0], name: 'Contact 0' });
    expect(one.body.profile.conversations).toHaveLength(1);
    expect((await call('GET', '/contacts/nobody')).status).toBe(404);
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'cursor=garbage', `cursor=${Buffer.from('[1,2]').toString('base64url')}`]) {
      expect((await call('GET', `/contacts?${query}`)).status, query).toBe(422);
    }
    expect((await fetch(`${t.url}/api/v1/contacts`)).status).toBe(401);
  });
});
