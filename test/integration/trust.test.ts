import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentSocket } from '../helpers/server';
import { type TestServer, clientId, connected, emitRaw, startServer } from '../helpers/server';
import { newClientId } from '../../widget/src/app/models/widget-model';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  vi.unstubAllGlobals();
});

const PASSWORD = 'a long enough password';

async function visitorIn(t: TestServer, name: string) {
  const started = await t.startConversation({ name, email: `${name.toLowerCase()}@example.com`, inquiryType: 'billing' });
  const socket = t.visitorSocket(started.token!);
  await connected(socket);
  const joined = await socket.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });
  expect(joined.ok).toBe(true);
  return { ...started, socket };
}

describe('a client id answers only its own author', () => {
  it("a visitor cannot read another visitor's message by sending its client id", async () => {
    server = await startServer();
    const victim = await visitorIn(server, 'Vera');
    const attacker = await visitorIn(server, 'Mallory');
    const secretId = clientId();
    const sent = await victim.socket.emitWithAck('message:send', { conversationId: victim.conversationId, clientId: secretId, text: 'my card ends 4242' });
    expect(sent.ok).toBe(true);

    const stolen = await attacker.socket.emitWithAck('message:send', { conversationId: victim.conversationId, clientId: secretId, text: 'x' });
    expect(stolen).toEqual({ ok: false, code: 'forbidden', message: 'not your conversation' });
    expect(JSON.stringify(stolen)).not.toContain('4242');
    // nor in their own conversation with the victim's id (a different conversation: a fresh message of theirs)
    const own = await attacker.socket.emitWithAck('message:send', { conversationId: attacker.conversationId, clientId: secretId, text: 'mine' });
    expect(own.ok && own.data.message.text).toBe('mine');
    // the victim's retry still gets their own message back, once
    const again = await victim.socket.emitWithAck('message:send', { conversationId: victim.conversationId, clientId: secretId, text: 'my card ends 4242' });
    expect(again.ok && sent.ok && again.data.message.id).toBe(sent.ok && sent.data.message.id);
  });

  it("an agent's client id is not a visitor's, and the other way round; the same client id twice in one batch is checked too", async () => {
    server = await startServer();
    const visitor = await visitorIn(server, 'Vera');
    const agent: AgentSocket = server.agentSocket(await server.login());
    await connected(agent);
    const agentId = clientId();
    expect((await agent.emitWithAck('message:send', { conversationId: visitor.conversationId, clientId: agentId, text: 'internal: refund approved' })).ok).toBe(true);
    const asVisitor = await visitor.socket.emitWithAck('message:send', { conversationId: visitor.conversationId, clientId: agentId, text: 'x' });
    expect(asVisitor).toMatchObject({ ok: false, code: 'forbidden' });
    expect(JSON.stringify(asVisitor)).not.toContain('refund');
    const visitorId = clientId();
    expect((await visitor.socket.emitWithAck('message:send', { conversationId: visitor.conversationId, clientId: visitorId, text: 'hello' })).ok).toBe(true);
    expect(await agent.emitWithAck('message:send', { conversationId: visitor.conversationId, clientId: visitorId, text: 'x' })).toMatchObject({ ok: false, code: 'conflict' });

    // both in the same group commit: the visitor's retry is answered, the agent's guess refused
    const shared = clientId();
    const [mine, theirs] = await Promise.all([
      visitor.socket.emitWithAck('message:send', { conversationId: visitor.conversationId, clientId: shared, text: 'mine' }),
      agent.emitWithAck('message:send', { conversationId: visitor.conversationId, clientId: shared, text: 'theirs' }),
    ]);
    expect([mine.ok, theirs.ok].sort()).toEqual([false, true]);
    const texts = (await server.parley.db.selectFrom('messages').select('text').where('client_id', '=', shared).execute()).map((m) => m.text);
    expect(texts).toHaveLength(1);
  });
});

describe('client ids the widget makes', () => {
  it('are 128 random bits from getRandomValues where randomUUID is missing (plain http), never Math.random', () => {
    expect(newClientId()).toMatch(/^[0-9a-f-]{36}$/);
    const random = vi.spyOn(Math, 'random');
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => real.getRandomValues(a) });
    const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(random).not.toHaveBeenCalled();
  });
});

describe('roles on open sockets', () => {
  it("a demoted admin's open socket loses admin rights at once", async () => {
    server = await startServer();
    const admin = await server.login();
    expect((await server.post('/api/v1/agents', { email: 'ada@example.com', name: 'Ada', password: PASSWORD, role: 'admin' }, { cookie: admin })).status).toBe(201);
    const ada = server.agentSocket(await server.login('ada@example.com', PASSWORD));
    await connected(ada);
    const visitor = await visitorIn(server, 'Vera');
    const me = await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    const adaRow = await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'ada@example.com').executeTakeFirstOrThrow();
    // as an admin she may assign anyone
    expect((await ada.emitWithAck('conversation:assign', { conversationId: visitor.conversationId, agentId: me.id })).ok).toBe(true);

    const res = await fetch(`${server.url}/api/v1/agents/${adaRow.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ role: 'agent' }) });
    expect(res.status).toBe(200);
    const refused = await ada.emitWithAck('conversation:assign', { conversationId: visitor.conversationId, agentId: adaRow.id });
    expect(refused).toMatchObject({ ok: false, code: 'forbidden' });
    expect(ada.connected).toBe(true);
  });
});

describe('HTTP answers', () => {
  it('an unknown API route is a 404 for anyone; a known agent route still wants a session', async () => {
    server = await startServer();
    for (const path of ['/api/v1/nope', '/api/v1/conversationz', '/api/v1/sites/demo/nothing-here']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await fetch(`${server.url}/api/v1/conversations`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/search?q=a`)).status).toBe(401);
  });

  it('sends no HSTS and no upgrade-insecure-requests on a plain-HTTP install, and both behind HTTPS', async () => {
    server = await startServer();
    const plain = await fetch(`${server.url}/console`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(plain.headers.get('content-security-policy')).toContain("default-src 'self'");
    await server.close();
    server = await startServer(undefined, { secureCookies: true });
    const secure = await fetch(`${server.url}/console`);
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(secure.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});
