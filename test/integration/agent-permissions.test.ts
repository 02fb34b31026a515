import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, connected, startServer } from '../helpers/server';

const PASSWORD = 'a long enough password';
let server: TestServer;
let admin: string;
let agent: string;
let adminId: string;

beforeAll(async () => {
  server = await startServer();
  admin = await server.login();
  expect((await server.post('/api/v1/agents', { email: 'pat@example.com', name: 'Pat', password: PASSWORD }, { cookie: admin })).status).toBe(201);
  agent = await server.login('pat@example.com', PASSWORD);
  adminId = (await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow()).id;
});
afterAll(() => server.close());

/** Every admin-only HTTP route, with a body that would be valid for an admin. */
const adminRoutes = (): [method: string, path: string, body?: unknown][] => [
  ['GET', '/api/v1/auto-replies'],
  ['PUT', '/api/v1/auto-replies/rules', []],
  ['DELETE', '/api/v1/auto-replies/rules', {}],
  ['POST', '/api/v1/labels', { name: 'Sneaky', color: '#123456' }],
  ['PUT', '/api/v1/labels/Sneaky', { color: '#654321' }],
  ['DELETE', '/api/v1/labels/Sneaky'],
  ['POST', '/api/v1/agents', { email: 'eve@example.com', name: 'Eve', password: PASSWORD, role: 'admin' }],
  ['GET', '/api/v1/api-keys'],
  ['POST', '/api/v1/api-keys', { name: 'Sneaky', scopes: ['admin'] }],
  ['DELETE', '/api/v1/api-keys/any'],
  ['GET', '/api/v1/webhooks'],
  ['GET', '/api/v1/webhooks/event-types'],
  ['POST', '/api/v1/webhooks', { url: 'https://example.com/hook', events: ['message.created'] }],
  ['PATCH', '/api/v1/webhooks/any', { enabled: false }],
  ['DELETE', '/api/v1/webhooks/any'],
  ['GET', '/api/v1/webhooks/any/deliveries'],
  ['POST', '/api/v1/webhooks/any/deliveries/any/resend'],
  ['PATCH', `/api/v1/agents/${adminId}`, { role: 'agent' }],
  ['GET', '/api/v1/admin/sites'],
  ['GET', '/api/v1/admin/sites/demo/survey'],
  ['PUT', '/api/v1/admin/sites/demo/survey', { fields: [] }],
  ['DELETE', '/api/v1/admin/sites/demo/survey', {}],
  ['POST', '/api/v1/admin/sites/demo/survey/preview', { fields: [] }],
  ['POST', '/api/v1/test/clock', { ms: 1000 }],
];

function call(method: string, path: string, body: unknown, headers: Record<string, string>) {
  return fetch(server.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('roles are checked on every route and event', () => {
  it('a plain agent is refused every admin route, and changes nothing', async () => {
    for (const [method, path, body] of adminRoutes()) {
      const res = await call(method, path, body, { cookie: agent });
      // the test clock is not mounted on this server: a 404 for everyone is as good as a 403
      expect([403, 404], `${method} ${path}`).toContain(res.status);
      if (!path.includes('/test/clock')) expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await server.parley.db.selectFrom('labels').select('name').where('name', '=', 'Sneaky').executeTakeFirst()).toBeUndefined();
    expect(await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'eve@example.com').executeTakeFirst()).toBeUndefined();
    expect((await server.parley.db.selectFrom('agents').select('role').where('id', '=', adminId).executeTakeFirstOrThrow()).role).toBe('admin');
  });

  it('a signed-out client gets 401 on every agent route', async () => {
    for (const [method, path, body] of [...adminRoutes(), ['GET', '/api/v1/conversations'], ['GET', '/api/v1/agents'], ['GET', '/api/v1/reports/ratings']] as [string, string, unknown][]) {
      const res = await call(method, path, body, {});
      expect([401, 404], `${method} ${path}`).toContain(res.status);
      if (!path.includes('/test/clock')) expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it("a plain agent's socket may not assign conversations to others", async () => {
    const started = await server.startConversation();
    const socket = server.agentSocket(agent);
    await connected(socket);
    const patId = (await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'pat@example.com').executeTakeFirstOrThrow()).id;
    for (const agentId of [adminId, patId]) {
      expect(await socket.emitWithAck('conversation:assign', { conversationId: started.conversationId, agentId })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    socket.disconnect();
  });
});

describe('cross-site requests (CSRF)', () => {
  it('a form or text post from a foreign page is refused even with the admin cookie, and changes nothing', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${server.url}/api/v1/agents`, {
        method: 'POST',
        headers: { cookie: admin, origin: 'https://evil.example', 'content-type': type },
        body: type.startsWith('application/x-www') ? 'email=eve%40example.com&name=Eve&password=aaaaaaaaaaaaaaaa&role=admin' : '{"email":"eve@example.com","name":"Eve","password":"aaaaaaaaaaaaaaaa","role":"admin"}',
      });
      expect(res.status, type).toBe(422);
      expect((await res.json()) as { code: string }).toMatchObject({ code: 'invalid_payload' });
    }
    const logout = await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: admin, origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '' });
    expect(logout.status).toBe(422);
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: admin } })).status).toBe(200);
    expect(await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'eve@example.com').executeTakeFirst()).toBeUndefined();
  });

  it("the agent namespace refuses a socket from a foreign page's origin, even with the cookie", async () => {
    const socket = server.agentSocket(admin, { origin: 'https://evil.example' });
    await expect(connected(socket)).rejects.toMatchObject({ data: { code: 'forbidden' } });
  });
});
