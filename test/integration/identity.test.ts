import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartConversationResult } from '../../protocol/src/index';
import { RoutingConfigSchema } from '../../server/src/config/routing';
import { identityHash, identitySecretVariable, identitySecretsFrom, verifyIdentity } from '../../server/src/services/identity/identity';
import { type TestServer, chatOnlyConfig, connected, startServer } from '../helpers/server';

const SECRET = 'shop-backend-secret-0123456789abcdef';
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const answers = (email = 'ana@example.com') => ({ name: 'Ana García', email, inquiryType: 'billing' });
async function start(t: TestServer, body: Record<string, unknown>, token?: string) {
  return fetch(`${t.url}/api/v1/sites/demo/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ answers: answers(), consent: true, ...body }),
  });
}
const identity = (userId: string, secret = SECRET) => ({ userId, hash: identityHash(userId, secret) });

describe('the identity secret and hash', () => {
  it('comes from the environment per site, and is checked in constant time against the HMAC', () => {
    expect(identitySecretVariable('shop-eu')).toBe('IDENTITY_SECRET_SHOP_EU');
    expect(identitySecretsFrom({ IDENTITY_SECRET_DEMO: 's1', IDENTITY_SECRET_OTHER: 's2' }, ['demo', 'shop'])).toEqual({ demo: 's1' });
    const good = identityHash('user-42', SECRET);
    expect(good).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyIdentity(SECRET, 'user-42', good)).toBe(true);
    expect(verifyIdentity(SECRET, 'user-42', good.toUpperCase())).toBe(true);
    expect(verifyIdentity(SECRET, 'user-43', good)).toBe(false);
    expect(verifyIdentity('another secret', 'user-42', good)).toBe(false);
    expect(verifyIdentity(undefined, 'user-42', good)).toBe(false);
    for (const bad of ['', 'zz', good.slice(1), `${good}0`, '<script>']) expect(verifyIdentity(SECRET, 'user-42', bad)).toBe(false);
  });
});

describe('a verified identity', () => {
  it('is stored on the contact when its hash is right, refused when it is not, and shown to agents', async () => {
    server = await startServer(chatOnlyConfig(), { identitySecrets: { demo: SECRET } });
    expect((await start(server, { identity: identity('user-42', 'wrong secret') })).status).toBe(401);
    for (const bad of [{ userId: 'user-42' }, { userId: '', hash: identityHash('', SECRET) }, { userId: 'u', hash: 'nothex' }, { userId: 42, hash: identityHash('42', SECRET) }]) {
      expect((await start(server, { identity: bad })).status, JSON.stringify(bad)).toBe(422);
    }
    const ok = await start(server, { identity: identity('user-42') });
    expect(ok.status).toBe(201);
    const started = (await ok.json()) as StartConversationResult;
    const row = await server.parley.db.selectFrom('contacts').select(['external_id', 'verified_at']).where('id', '=', started.contactId).executeTakeFirstOrThrow();
    expect(row.external_id).toBe('user-42');
    expect(row.verified_at).toBeTruthy();
    // the same browser cannot become another user
    expect((await start(server, { identity: identity('user-99') }, started.token)).status).toBe(409);

    const agent = server.agentSocket(await server.login());
    await connected(agent);
    const open = await agent.emitWithAck('conversation:open', { conversationId: started.conversationId, afterSeq: 0 });
    expect(open.ok && open.data.conversation.profile?.verifiedUserId).toBe('user-42');
    const anon = (await (await start(server, {})).json()) as StartConversationResult;
    const anonOpen = await agent.emitWithAck('conversation:open', { conversationId: anon.conversationId, afterSeq: 0 });
    expect(anonOpen.ok && anonOpen.data.conversation.profile?.verifiedUserId).toBeNull();
  });

  it('a site without a secret cannot verify anyone', async () => {
    server = await startServer();
    expect((await start(server, { identity: identity('user-42') })).status).toBe(401);
  });
});

describe('a site that requires verification', () => {
  it('refuses every identity-bearing call without a verified identity, not only the first', async () => {
    const config = chatOnlyConfig();
    config.sites.demo!.identity = { required: true };
    server = await startServer(config, { identitySecrets: { demo: SECRET } });
    const refused = await start(server, {});
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toContain('requires a verified identity');

    const started = (await (await start(server, { identity: identity('user-7') })).json()) as StartConversationResult;
    // the verified contact's token opens the chat, joins and sends
    const visitor = server.visitorSocket(started.token!);
    await connected(visitor);
    expect((await visitor.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 })).ok).toBe(true);
    // a second conversation with the token alone (still the verified contact) is fine
    expect((await start(server, {}, started.token)).status).toBe(201);

    // a contact made before the site turned verification on is refused everywhere
    const row = await server.parley.db.selectFrom('contacts').select('id').where('id', '=', started.contactId).executeTakeFirstOrThrow();
    await server.parley.db.updateTable('contacts').set({ external_id: null }).where('id', '=', row.id).execute();
    const again = server.visitorSocket(started.token!);
    await expect(connected(again)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    expect((await start(server, {}, started.token)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/sites/demo/unread`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: started.token })).status).toBe(401);
    const config2 = await fetch(`${server.url}/api/v1/sites/demo/config`, { headers: { authorization: `Bearer ${started.token}` } });
    expect(((await config2.json()) as { prechat: { known?: string[] } }).prechat.known).toEqual([]);
  });
});

describe('returning and VIP rest on a verified identity, never on a typed email', () => {
  function routed() {
    const config = chatOnlyConfig();
    config.routing = v.parse(RoutingConfigSchema, {
      teams: { vip: { name: 'VIP', members: [] }, returning: { name: 'Returning', members: [] }, support: { name: 'Support', members: [] } },
      vip: { emailDomains: ['bigcustomer.example'] },
      rules: [
        { name: 'VIPs', when: { vip: true }, team: 'vip' },
        { name: 'Returning', when: { contact: 'returning' }, team: 'returning' },
      ],
      default: { team: 'support' },
    });
    return config;
  }
  const teamOf = (t: TestServer, id: string) => t.parley.db.selectFrom('conversations').select(['team_id', 'routing_reason']).where('id', '=', id).executeTakeFirstOrThrow();

  it("a stranger who types a customer's email is neither returning nor VIP", async () => {
    server = await startServer(routed(), { identitySecrets: { demo: SECRET } });
    const owner = (await (await start(server, { answers: answers('ceo@bigcustomer.example'), identity: identity('ceo') })).json()) as StartConversationResult;
    await server.parley.conversations.settled();
    expect((await teamOf(server, owner.conversationId)).team_id).toBe('vip');
    const stranger = (await (await start(server, { answers: answers('ceo@bigcustomer.example') })).json()) as StartConversationResult;
    await server.parley.conversations.settled();
    const row = await teamOf(server, stranger.conversationId);
    expect(row.team_id).toBe('support');
    expect(row.routing_reason).not.toMatch(/VIP|returning/i);
  });

  it('the same verified user on another browser is returning; the same browser is returning by its token', async () => {
    server = await startServer(routed(), { identitySecrets: { demo: SECRET } });
    const first = (await (await start(server, { identity: identity('user-5') })).json()) as StartConversationResult;
    await server.parley.conversations.settled();
    const otherBrowser = (await (await start(server, { identity: identity('user-5') })).json()) as StartConversationResult;
    await server.parley.conversations.settled();
    expect(otherBrowser.contactId).not.toBe(first.contactId);
    expect((await teamOf(server, otherBrowser.conversationId)).team_id).toBe('returning');
    const anon = (await (await start(server, {})).json()) as StartConversationResult;
    const sameBrowser = (await (await start(server, {}, anon.token)).json()) as StartConversationResult;
    await server.parley.conversations.settled();
    expect((await teamOf(server, sameBrowser.conversationId)).team_id).toBe('returning');
  });
});
