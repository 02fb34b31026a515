import { afterEach, describe, expect, it } from 'vitest';
import type { IdentifyResult, StartConversationResult } from '../../protocol/src/index';
import { identityHash } from '../../server/src/services/identity/identity';
import { type TestServer, chatOnlyConfig, clientId, connected, startServer } from '../helpers/server';

/** `ChatWidget.setUser` as the widget calls it: POST /identify with the browser's token, if any, and the page's user. */
const SECRET = 'shop-backend-secret-for-set-user-0123';
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const user = (userId: string, extra: Record<string, unknown> = {}, secret = SECRET) => ({ userId, hash: identityHash(userId, secret), ...extra });
const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
async function identify(t: TestServer, body: unknown, token?: string): Promise<{ status: number; body: IdentifyResult & { detail?: string } }> {
  const res = await t.post('/api/v1/sites/demo/identify', body, auth(token));
  return { status: res.status, body: (await res.json()) as IdentifyResult & { detail?: string } };
}
async function history(t: TestServer, token: string, conversationId: string): Promise<string[]> {
  const socket = t.visitorSocket(token);
  await connected(socket);
  const ack = await socket.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
  socket.disconnect();
  if (!ack.ok) throw new Error(ack.message);
  return ack.data.messages.filter((m) => m.authorType === 'visitor').map((m) => m.text);
}
async function say(t: TestServer, token: string, conversationId: string, text: string): Promise<void> {
  const socket = t.visitorSocket(token);
  await connected(socket);
  await socket.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
  const ack = await socket.emitWithAck('message:send', { conversationId, clientId: clientId(), text });
  socket.disconnect();
  expect(ack.ok).toBe(true);
}

describe('ChatWidget.setUser with an identifierHash', () => {
  it("follows the user to another device: the second browser's anonymous chat is merged and both see the whole history", async () => {
    server = await startServer(chatOnlyConfig(), { identitySecrets: { demo: SECRET } });
    // the laptop: an anonymous chat, then the shop signs the user in
    const laptop = await server.startConversation();
    await say(server, laptop.token!, laptop.conversationId, 'Where is order 1001?');
    const first = await identify(server, user('user-42', { name: 'Ana García', email: 'Ana@Example.com' }), laptop.token);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ contactId: laptop.contactId, conversationId: laptop.conversationId, merged: false });
    const row = await server.parley.db.selectFrom('contacts').select(['external_id', 'email', 'name']).where('id', '=', laptop.contactId).executeTakeFirstOrThrow();
    expect(row).toEqual({ external_id: 'user-42', email: 'ana@example.com', name: 'Ana García' });

    // the phone: a chat of its own before sign-in, which joins the user's contact
    const phone = await server.startConversation({ name: 'Ana', email: 'ana@example.com', inquiryType: 'shipping' });
    await say(server, phone.token!, phone.conversationId, 'And the delivery date?');
    const second = await identify(server, user('user-42'), phone.token);
    expect(second.status).toBe(200);
    expect(second.body.merged).toBe(true);
    expect(second.body.contactId).toBe(laptop.contactId);
    expect(second.body.token).toBeUndefined();
    // the phone's token now opens the user's contact: both conversations, on both devices
    expect(await history(server, phone.token!, laptop.conversationId)).toEqual(['Where is order 1001?']);
    expect(await history(server, laptop.token!, phone.conversationId)).toEqual(['And the delivery date?']);
    expect(await server.parley.db.selectFrom('contacts').select('id').where('id', '=', phone.contactId).executeTakeFirst()).toBeUndefined();
    const owners = await server.parley.db.selectFrom('conversations').select('contact_id').where('id', 'in', [laptop.conversationId, phone.conversationId]).execute();
    expect(owners.map((o) => o.contact_id)).toEqual([laptop.contactId, laptop.contactId]);

    // a third browser, never used: a new token for the same contact, and the latest conversation to show
    const tablet = await identify(server, user('user-42'));
    expect(tablet.status).toBe(200);
    expect(tablet.body.token).toMatch(/^\S{20,}$/);
    expect(tablet.body.contactId).toBe(laptop.contactId);
    expect([laptop.conversationId, phone.conversationId]).toContain(tablet.body.conversationId);
    expect(await history(server, tablet.body.token!, laptop.conversationId)).toEqual(['Where is order 1001?']);
    // and a chat started from it belongs to the user too
    const more = await server.startConversation({ name: 'Ana García', email: 'ana@example.com', inquiryType: 'billing' }, tablet.body.token);
    expect(more.contactId).toBe(laptop.contactId);
  });

  it('gives a browser last used by another signed-in user a token of its own, and moves nothing', async () => {
    server = await startServer(chatOnlyConfig(), { identitySecrets: { demo: SECRET } });
    const shared = await server.startConversation();
    await identify(server, user('user-1'), shared.token);
    const other = await identify(server, user('user-2', { name: 'Bo' }), shared.token);
    expect(other.status).toBe(200);
    expect(other.body.token).toBeTruthy();
    expect(other.body.contactId).not.toBe(shared.contactId);
    expect(other.body.conversationId).toBeNull();
    // user 2's token cannot read user 1's conversation
    const socket = server.visitorSocket(other.body.token!);
    await connected(socket);
    expect((await socket.emitWithAck('conversation:join', { conversationId: shared.conversationId, afterSeq: 0 })).ok).toBe(false);
    socket.disconnect();
  });

  it('refuses a wrong hash, a site without a secret, an unknown token and malformed input', async () => {
    server = await startServer(chatOnlyConfig(), { identitySecrets: { demo: SECRET } });
    const wrong = await identify(server, user('user-42', {}, 'not the secret'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toContain('could not be verified');
    // another user's hash does not open this one
    expect((await identify(server, { userId: 'user-43', hash: identityHash('user-42', SECRET) })).status).toBe(401);
    expect((await identify(server, user('user-42'), 'x'.repeat(40))).status).toBe(401);
    const bad: unknown[] = [
      {},
      { userId: 'user-42' },
      { userId: 42, hash: identityHash('42', SECRET) },
      { userId: '', hash: identityHash('', SECRET) },
      { userId: 'u'.repeat(201), hash: identityHash('u'.repeat(201), SECRET) },
      user('user-42', { email: 'not an email' }),
      user('user-42', { name: 'n'.repeat(5000) }),
      user('user-42', { phone: ['+1'] }),
      [],
      'null',
    ];
    for (const body of bad) expect((await identify(server, body)).status, JSON.stringify(body).slice(0, 80)).toBe(422);
    const text = await fetch(`${server.url}/api/v1/sites/demo/identify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'user-42' });
    expect(text.status).toBe(422);
    expect((await server.post('/api/v1/sites/nowhere/identify', user('user-42'))).status).toBe(404);
    // a name with markup is kept as text
    const marked = await identify(server, user('user-9', { name: '<img src=x onerror=alert(1)> Zoë 山田' }));
    expect(marked.status).toBe(200);
    const row = await server.parley.db.selectFrom('contacts').select('name').where('id', '=', marked.body.contactId).executeTakeFirstOrThrow();
    expect(row.name).toBe('<img src=x onerror=alert(1)> Zoë 山田');

    await server.close();
    server = await startServer();
    const none = await identify(server, user('user-42'));
    expect(none.status).toBe(403);
    expect(none.body.detail).toContain('IDENTITY_SECRET');
  });

  it("erasing the contact ends every device's token", async () => {
    server = await startServer(chatOnlyConfig(), { identitySecrets: { demo: SECRET } });
    const laptop = await server.startConversation();
    await identify(server, user('user-5'), laptop.token);
    const tablet = await identify(server, user('user-5'));
    const cookie = await server.login();
    const erased = await fetch(`${server.url}/api/v1/contacts/${laptop.contactId}/erase`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ confirm: true, reason: 'asked by email' }) });
    expect(erased.status).toBe(200);
    expect(await server.parley.db.selectFrom('contact_tokens').select('token_hash').where('contact_id', '=', laptop.contactId).execute()).toEqual([]);
    const unread = await fetch(`${server.url}/api/v1/sites/demo/unread`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: tablet.body.token });
    expect(unread.status).toBe(401);
  });
});

describe('ChatWidget.setAttributes', () => {
  const setAttributes = (t: TestServer, body: unknown, token?: string) => t.post('/api/v1/sites/demo/attributes', body, auth(token));

  it("sets and removes the visitor's attributes, which the agent sees live; a verifying site accepts them only from a verified user", async () => {
    server = await startServer(chatOnlyConfig(), { identitySecrets: { demo: SECRET } });
    const started = await server.startConversation();
    const agent = server.agentSocket(await server.login());
    await connected(agent);
    expect((await agent.emitWithAck('conversation:open', { conversationId: started.conversationId, afterSeq: 0 })).ok).toBe(true);

    // not verified yet on a site with a secret: anyone could claim to be a VIP
    const refused = await setAttributes(server, { attributes: { plan: 'pro' } }, started.token);
    expect(refused.status).toBe(403);
    await identify(server, user('user-77'), started.token);

    const updated = new Promise<{ attributes: Record<string, unknown> }>((resolve) => agent.on('contact:updated' as never, ((e: { profile: { attributes: Record<string, unknown> } }) => resolve(e.profile)) as never));
    expect((await setAttributes(server, { attributes: { plan: 'pro', seats: 12, trial: false, note: '<b>hi</b>' } }, started.token)).status).toBe(204);
    expect((await updated).attributes).toEqual({ plan: 'pro', seats: 12, trial: false, note: '<b>hi</b>' });
    expect((await setAttributes(server, { attributes: { trial: null } }, started.token)).status).toBe(204);
    const row = await server.parley.db.selectFrom('contacts').select('attributes').where('id', '=', started.contactId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.attributes ?? '{}')).toEqual({ plan: 'pro', seats: 12, note: '<b>hi</b>' });

    for (const body of [{ attributes: { plan: { nested: true } } }, { attributes: { 'bad<key>': 1 } }, { attributes: { long: 'x'.repeat(501) } }, { attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, { attributes: 'plan=pro' }, {}]) {
      expect((await setAttributes(server, body, started.token)).status, JSON.stringify(body).slice(0, 60)).toBe(422);
    }
    expect((await setAttributes(server, { attributes: { plan: 'pro' } })).status).toBe(401);
  });

  it('a site without a secret takes them from any visitor with a token', async () => {
    server = await startServer();
    const started = await server.startConversation();
    expect((await setAttributes(server, { attributes: { plan: 'free' } }, started.token)).status).toBe(204);
  });
});
