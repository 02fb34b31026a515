import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../protocol/src/api-keys';
import { type TestServer, connected, startServer } from '../helpers/server';

/**
 * API keys as a shop's developer uses them: an admin makes one in the console, a script calls the
 * REST API with `Authorization: Bearer parley_…` within the key's scopes, and a revoked key, a
 * key whose admin left, or a forged one gets nowhere.
 */
const PASSWORD = 'a long enough password';
let t: TestServer;
let admin: string;

const call = (method: string, path: string, auth: { cookie?: string; key?: string }, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/api/v1${path}`, {
    method,
    headers: {
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
      ...(auth.key ? { authorization: `Bearer ${auth.key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function makeKey(scopes: string[], cookie = admin, name = `key ${scopes.join('+')}`): Promise<{ apiKey: ApiKey; key: string }> {
  const res = await call('POST', '/api-keys', { cookie }, { name, scopes });
  expect(res.status).toBe(201);
  return (await res.json()) as { apiKey: ApiKey; key: string };
}

beforeAll(async () => {
  t = await startServer();
  admin = await t.login();
});
afterAll(() => t.close());

describe('API keys', () => {
  it('are shown once, listed by prefix and scopes, and audited', async () => {
    const { apiKey, key } = await makeKey(['read'], admin, 'CRM sync <b>bold</b>');
    expect(key).toMatch(/^parley_[A-Za-z0-9_-]{32}$/);
    expect(apiKey).toMatchObject({ name: 'CRM sync <b>bold</b>', scopes: ['read'], prefix: key.slice(0, 13), agentName: 'Alex Agent', lastUsedAt: null, revokedAt: null });
    const listed = await (await call('GET', '/api-keys', { cookie: admin })).text();
    expect(listed).toContain(apiKey.id);
    expect(listed).not.toContain(key);
    const stored = await t.parley.db.selectFrom('api_keys').select(['key_hash']).where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.key_hash).not.toContain(key.slice(7));
    const audit = await t.parley.db.selectFrom('audit_log').select('action').where('target', '=', apiKey.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['api_key.created']);
  });

  it.each([
    ['no name', { scopes: ['read'] }, 'name'],
    ['a blank name', { name: '   ', scopes: ['read'] }, 'name'],
    ['a name of 101 characters', { name: 'x'.repeat(101), scopes: ['read'] }, 'name'],
    ['no scopes', { name: 'x', scopes: [] }, 'scopes'],
    ['an unknown scope', { name: 'x', scopes: ['root'] }, 'scopes[0]'],
    ['a scope twice', { name: 'x', scopes: ['read', 'read'] }, 'scopes'],
    ['scopes as text', { name: 'x', scopes: 'read' }, 'scopes'],
    ['an unknown key', { name: 'x', scopes: ['read'], agentId: 'someone' }, 'agentId'],
  ])('refuse %s at the field', async (_name, body, path) => {
    const res = await call('POST', '/api-keys', { cookie: admin }, body);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
  });

  it('let a program read with the read scope, and write only with the write scope', async () => {
    const started = await t.startConversation();
    const reader = await makeKey(['read']);
    const list = await call('GET', '/conversations?view=all&status=open', { key: reader.key });
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).toContain(started.conversationId);
    const one = await call('GET', `/conversations/${started.conversationId}?afterSeq=0`, { key: reader.key });
    expect(one.status).toBe(200);
    const refused = await call('POST', `/conversations/${started.conversationId}/claim`, { key: reader.key }, {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail?: string; message?: string }).detail ?? '').toMatch(/write scope/);

    const writer = await makeKey(['write']);
    expect((await call('GET', '/conversations', { key: writer.key })).status).toBe(403);
    const claimed = await call('POST', `/conversations/${started.conversationId}/claim`, { key: writer.key }, {});
    expect(claimed.status).toBe(200);
    const used = await t.parley.db.selectFrom('api_keys').select('last_used_at').where('id', '=', writer.apiKey.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
  });

  it('act through the REST API as the console does: claim, label, note, attributes, transfer, close, reopen', async () => {
    const started = await t.startConversation();
    const { key } = await makeKey(['read', 'write', 'admin']);
    const auth = { key };
    const agentSocket = t.agentSocket(admin);
    await connected(agentSocket);
    expect((await call('POST', `/conversations/${started.conversationId}/claim`, auth, {})).status).toBe(200);
    const labels = await call('POST', `/conversations/${started.conversationId}/labels`, auth, { add: ['VIP'] });
    expect(labels.status).toBe(200);
    expect(await labels.json()).toEqual({ labels: ['VIP'] });
    const note1 = await call('POST', `/conversations/${started.conversationId}/notes`, auth, { text: 'Order #A-1 checked <script>x</script>' }, { 'idempotency-key': 'note-0001-a' });
    const note2 = await call('POST', `/conversations/${started.conversationId}/notes`, auth, { text: 'Order #A-1 checked <script>x</script>' }, { 'idempotency-key': 'note-0001-a' });
    expect(note1.status).toBe(201);
    expect(note2.status).toBe(201);
    expect(((await note1.json()) as { note: { id: string } }).note.id).toBe(((await note2.json()) as { note: { id: string } }).note.id);
    const attrs = await call('PATCH', `/contacts/${started.contactId}/attributes`, auth, { attributes: { plan: 'pro', 'ключ': 'значение' } });
    expect(attrs.status).toBe(200);
    expect(((await attrs.json()) as { profile: { attributes: Record<string, string> } }).profile.attributes).toMatchObject({ plan: 'pro', 'ключ': 'значение' });
    const badTransfer = await call('POST', `/conversations/${started.conversationId}/transfer`, auth, { note: 'no target' });
    expect(badTransfer.status).toBe(422);
    const closed = await call('POST', `/conversations/${started.conversationId}/close`, auth, {});
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as { conversation: { status: string } }).conversation.status).toBe('closed');
    expect((await call('POST', `/conversations/${started.conversationId}/close`, auth, {})).status).toBe(409);
    expect((await call('POST', `/conversations/${started.conversationId}/reopen`, auth, {})).status).toBe(200);
    expect((await call('POST', '/conversations/no-such-id/close', auth, {})).status).toBe(404);
    // the actions are the key's agent's
    const events = await t.parley.db.selectFrom('routing_events').select(['kind', 'actor_id']).where('conversation_id', '=', started.conversationId).execute();
    const adminId = (await t.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow()).id;
    expect(events.filter((e) => e.kind === 'closed' || e.kind === 'reopened').every((e) => e.actor_id === adminId)).toBe(true);
    agentSocket.disconnect();
  });

  it('need the admin scope for admin routes, and never make or revoke keys', async () => {
    const plain = await makeKey(['read', 'write']);
    expect((await call('GET', '/webhooks', { key: plain.key })).status).toBe(403);
    expect((await call('GET', '/audit', { key: plain.key })).status).toBe(403);
    const full = await makeKey(['read', 'write', 'admin']);
    expect((await call('GET', '/webhooks', { key: full.key })).status).toBe(200);
    expect((await call('POST', '/api-keys', { key: full.key }, { name: 'successor', scopes: ['admin'] })).status).toBe(403);
    expect((await call('DELETE', `/api-keys/${plain.apiKey.id}`, { key: full.key })).status).toBe(403);
    expect((await call('GET', '/webhooks', { key: plain.key })).status).toBe(403);
  });

  it('stop working when revoked, and nothing forged gets in', async () => {
    const { apiKey, key } = await makeKey(['read']);
    expect((await call('GET', '/labels', { key })).status).toBe(200);
    expect((await call('DELETE', `/api-keys/${apiKey.id}`, { cookie: admin })).status).toBe(204);
    expect((await call('DELETE', `/api-keys/${apiKey.id}`, { cookie: admin })).status).toBe(204);
    expect((await call('DELETE', '/api-keys/nope', { cookie: admin })).status).toBe(404);
    const revoked = await call('GET', '/labels', { key });
    expect(revoked.status).toBe(401);
    expect(((await (await call('GET', '/api-keys', { cookie: admin })).json()) as { apiKeys: ApiKey[] }).apiKeys.find((k) => k.id === apiKey.id)?.revokedAt).not.toBeNull();
    for (const header of [`Bearer ${key}x`, `Bearer parley_${'A'.repeat(32)}`, 'Bearer ', `Basic ${key}`, `Bearer ${key.slice(0, -1)}`, `Bearer ${'parley_'.padEnd(5000, 'z')}`, 'Bearer <script>']) {
      const res = await fetch(`${t.url}/api/v1/labels`, { headers: { authorization: header } });
      expect(res.status, header.slice(0, 40)).toBe(401);
    }
  });

  it("carry no more than their agent's rights: a demoted admin's key loses admin, a deactivated agent's key stops", async () => {
    expect((await t.post('/api/v1/agents', { email: 'kim@example.com', name: 'Kim', password: PASSWORD, role: 'admin' }, { cookie: admin })).status).toBe(201);
    const kim = await t.login('kim@example.com', PASSWORD);
    const { key } = await makeKey(['read', 'admin'], kim);
    expect((await call('GET', '/webhooks', { key })).status).toBe(200);
    const kimId = (await t.parley.db.selectFrom('agents').select('id').where('email', '=', 'kim@example.com').executeTakeFirstOrThrow()).id;
    expect((await call('PATCH', `/agents/${kimId}`, { cookie: admin }, { role: 'agent' })).status).toBe(200);
    expect((await call('GET', '/webhooks', { key })).status).toBe(403);
    expect((await call('GET', '/labels', { key })).status).toBe(200);
    expect((await call('PATCH', `/agents/${kimId}`, { cookie: admin }, { active: false })).status).toBe(200);
    expect((await call('GET', '/labels', { key })).status).toBe(401);
  });

  it('are only for admins to make', async () => {
    expect((await t.post('/api/v1/agents', { email: 'lee@example.com', name: 'Lee', password: PASSWORD }, { cookie: admin })).status).toBe(201);
    const lee = await t.login('lee@example.com', PASSWORD);
    expect((await call('POST', '/api-keys', { cookie: lee }, { name: 'mine', scopes: ['read'] })).status).toBe(403);
    expect((await call('GET', '/api-keys', { cookie: lee })).status).toBe(403);
    expect((await call('GET', '/api-keys', {})).status).toBe(401);
  });
});
