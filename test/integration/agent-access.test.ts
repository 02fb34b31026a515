import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSession, AgentSummary } from '../../protocol/src/index';
import { ADMIN, type TestServer, connected, startServer } from '../helpers/server';

const PASSWORD = 'a long enough password';
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const patch = (t: TestServer, id: string, body: unknown, cookie: string) =>
  fetch(`${t.url}/api/v1/agents/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

async function loginWith(t: TestServer, email: string, userAgent: string): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': userAgent }, body: JSON.stringify({ email, password: email === ADMIN.email ? ADMIN.password : PASSWORD }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('deactivating an agent who left', () => {
  it('ends their sessions and sockets at once, refuses their sign-in, and no conversation can be given to them; reactivating lets them back', async () => {
    server = await startServer();
    const admin = await server.login();
    expect((await server.post('/api/v1/agents', { email: 'lee@example.com', name: 'Lee', password: PASSWORD }, { cookie: admin })).status).toBe(201);
    const lee = await server.login('lee@example.com', PASSWORD);
    const socket = server.agentSocket(lee);
    await connected(socket);
    const id = (await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'lee@example.com').executeTakeFirstOrThrow()).id;
    const gone = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));

    // bad input, and nobody deactivates themselves
    for (const bad of [{ active: 'no' }, { active: 0 }, { active: null }]) expect((await patch(server, id, bad, admin)).status).toBe(422);
    const adminId = (await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow()).id;
    expect((await patch(server, adminId, { active: false }, admin)).status).toBe(403);
    // a plain agent cannot deactivate anyone
    expect((await patch(server, adminId, { active: false }, lee)).status).toBe(403);

    const res = await patch(server, id, { active: false }, admin);
    expect(res.status).toBe(200);
    expect(((await res.json()) as AgentSummary)).toMatchObject({ active: false, presence: 'offline' });
    expect(await gone).toBe('io server disconnect');
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: lee } })).status).toBe(401);
    const refused = await server.post('/api/v1/auth/login', { email: 'lee@example.com', password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('deactivated');
    // the wrong password still reads as a wrong password: nothing is told without it
    expect((await server.post('/api/v1/auth/login', { email: 'lee@example.com', password: 'not the password at all' })).status).toBe(401);

    const started = await server.startConversation();
    const adminSocket = server.agentSocket(admin);
    await connected(adminSocket);
    expect(await adminSocket.emitWithAck('conversation:assign', { conversationId: started.conversationId, agentId: id })).toMatchObject({ ok: false, code: 'conflict' });
    const listed = (await (await fetch(`${server.url}/api/v1/agents`, { headers: { cookie: admin } })).json()) as { agents: AgentSummary[] };
    expect(listed.agents.find((a) => a.id === id)?.active).toBe(false);

    expect((await patch(server, id, { active: true }, admin)).status).toBe(200);
    expect((await server.post('/api/v1/auth/login', { email: 'lee@example.com', password: PASSWORD })).status).toBe(200);
  });
});

describe("an agent's own sessions", () => {
  it('are listed with their browser and the current one marked, and one can be ended (its sockets close)', async () => {
    server = await startServer();
    const laptop = await loginWith(server, 'admin@example.com', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130');
    const phone = await loginWith(server, 'admin@example.com', 'Mozilla/5.0 (iPhone) Safari/605');
    const socket = server.agentSocket(phone);
    await connected(socket);
    const list = async (cookie: string) => ((await (await fetch(`${server!.url}/api/v1/auth/sessions`, { headers: { cookie } })).json()) as { sessions: AgentSession[] }).sessions;
    const seen = await list(laptop);
    expect(seen).toHaveLength(2);
    expect(seen.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Mozilla/5.0 (X11; Linux x86_64) Chrome/130']);
    for (const s of seen) {
      expect(s.id).toMatch(/^[0-9a-f]{16}$/);
      expect(phone).not.toContain(s.id);
    }
    const other = seen.find((s) => !s.current)!;
    const gone = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
    const del = (cookie: string, id: string) => fetch(`${server!.url}/api/v1/auth/sessions/${id}`, { method: 'DELETE', headers: { cookie } });
    expect((await del(laptop, other.id)).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: phone } })).status).toBe(401);
    expect(await list(laptop)).toHaveLength(1);
    // another agent's session, or nonsense, is not found
    expect((await del(laptop, 'ffffffffffffffff')).status).toBe(404);
    expect((await del(laptop, '<script>')).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/auth/sessions`)).status).toBe(401);
  });
});
