import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createParley } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';
import { ADMIN, type TestServer, demoConfig, goodAnswers, startServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const start = (body: unknown, headers: Record<string, string> = {}) => server.post('/api/v1/sites/demo/conversations', body, headers);

describe('the survey that starts a conversation', () => {
  it('answers 201 with a 256-bit token that the store keeps only as a hash', async () => {
    const res = await start({ answers: goodAnswers, consent: true });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; contactId: string; conversationId: string };
    expect(Buffer.from(body.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const contact = await server.parley.db.selectFrom('contacts').selectAll().where('id', '=', body.contactId).executeTakeFirstOrThrow();
    expect(contact.token_hash).not.toContain(body.token);
    expect(contact.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contact.email).toBe('ana@example.com');
  });

  it('names every bad field and stores nothing', async () => {
    const res = await start({ answers: { name: '   ', email: 'not-an-email', inquiryType: 'free beer' }, consent: false });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; issues: { path: string }[] };
    expect(problem.code).toBe('invalid_payload');
    expect(problem.issues.map((i) => i.path).sort()).toEqual(['answers.email', 'answers.inquiryType', 'answers.name', 'consent']);
    expect(await server.parley.db.selectFrom('conversations').selectAll().execute()).toHaveLength(0);
    expect(await server.parley.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
  });

  it('refuses wrong types, missing answers and over-long values', async () => {
    const cases: unknown[] = [
      {},
      { answers: 'name=Ana' },
      { answers: [] },
      { answers: { ...goodAnswers, name: 42 }, consent: true },
      { answers: { ...goodAnswers, name: { first: 'Ana' } }, consent: true },
      { answers: { ...goodAnswers, name: 'A'.repeat(101) }, consent: true },
      { answers: goodAnswers, consent: 'yes' },
      { answers: { email: 'ana@example.com', inquiryType: 'billing' }, consent: true },
    ];
    for (const body of cases) {
      const res = await start(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect(await server.parley.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
  });

  it('keeps unicode and HTML in answers as text', async () => {
    const res = await start({ answers: { ...goodAnswers, name: '<img src=x onerror=alert(1)> 李雷 🍵' }, consent: true });
    expect(res.status).toBe(201);
    const row = await server.parley.db.selectFrom('contacts').select('name').executeTakeFirstOrThrow();
    expect(row.name).toBe('<img src=x onerror=alert(1)> 李雷 🍵');
  });

  it('answers problem JSON for malformed JSON, a non-JSON body and a huge body', async () => {
    expect((await start('{"answers":')).status).toBe(422);
    const form = await fetch(`${server.url}/api/v1/sites/demo/conversations`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(422);
    const huge = await start({ answers: { ...goodAnswers, name: 'x'.repeat(200_000) }, consent: true });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('payload_too_large');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('starts a second conversation for a returning visitor on the same contact, and refuses a forged token', async () => {
    const first = await server.startConversation();
    const second = await server.startConversation(goodAnswers, first.token);
    expect(second.contactId).toBe(first.contactId);
    expect(second.token).toBeUndefined();
    expect(second.conversationId).not.toBe(first.conversationId);
    const forged = await start({ answers: goodAnswers, consent: true }, { authorization: 'Bearer forged-token-forged-token-forged' });
    expect(forged.status).toBe(401);
  });

  it('answers 404 for an unknown site and 403 for an origin the site does not allow', async () => {
    expect((await server.post('/api/v1/sites/nope/conversations', { answers: goodAnswers, consent: true })).status).toBe(404);
    const cfg = await fetch(`${server.url}/api/v1/sites/demo/config`, { headers: { origin: 'https://evil.example' } });
    expect(cfg.status).toBe(403);
    const allowed = await fetch(`${server.url}/api/v1/sites/demo/config`, { headers: { origin: 'http://localhost:3000' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    // the launcher's settings, asked on every page of the site, keep the same door
    expect((await fetch(`${server.url}/api/v1/sites/demo/launcher`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/sites/nope/launcher`)).status).toBe(404);
    const launcher = await fetch(`${server.url}/api/v1/sites/demo/launcher?lang=ar`, { headers: { origin: 'http://localhost:3000' } });
    expect(launcher.status).toBe(200);
    expect(launcher.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const look = (await launcher.json()) as Record<string, unknown>;
    expect(Object.keys(look).sort()).toEqual(['closeChat', 'language', 'launcher', 'openChat', 'theme']);
    expect(look).toMatchObject({ language: 'ar' });
    const again = await fetch(`${server.url}/api/v1/sites/demo/launcher?lang=ar`, { headers: { 'if-none-match': String(launcher.headers.get('etag')) } });
    expect(again.status).toBe(304);
  });
});

describe('agent sign-in', () => {
  it('sets an httpOnly session cookie and answers who is signed in', async () => {
    const res = await server.post('/api/v1/auth/login', { email: 'ADMIN@example.com ', password: ADMIN.password });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^parley_sid=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie: setCookie.split(';')[0] as string } });
    expect(await me.json()).toMatchObject({ email: ADMIN.email, role: 'admin', name: 'Alex Agent' });
  });

  it('refuses a wrong password and an unknown email alike, and bad shapes with 422', async () => {
    const wrong = await server.post('/api/v1/auth/login', { email: ADMIN.email, password: 'nope' });
    const unknown = await server.post('/api/v1/auth/login', { email: 'who@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { detail: string }).detail).toBe(((await unknown.json()) as { detail: string }).detail);
    expect((await server.post('/api/v1/auth/login', { email: ['a'], password: 1 })).status).toBe(422);
  });

  it('stops password guessing after 10 failures for one account, and a success clears the count', async () => {
    const attempt = (password: string, email = ADMIN.email) => server.post('/api/v1/auth/login', { email, password });
    for (let i = 0; i < 9; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    // a success before the limit forgets the failures
    expect((await attempt(ADMIN.password)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong again ${i}`)).status).toBe(401);
    const blocked = await attempt(ADMIN.password);
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ code: 'rate_limited' });
    // other accounts from the same address are still answered
    expect((await attempt('nope', 'someone@example.com')).status).toBe(401);
  });

  it('keeps every agent route behind the session', async () => {
    for (const path of ['/api/v1/conversations', '/api/v1/conversations/x', '/api/v1/auth/me']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(401);
    }
    const cookie = await server.login();
    const list = await fetch(`${server.url}/api/v1/conversations`, { headers: { cookie } });
    expect(list.status).toBe(200);
  });

  it('answers 200 on /healthz while the store answers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('the first admin', () => {
  it('has no default password: a fresh server has no agent and a one-time setup link', async () => {
    const parley = await createParley({ config: demoConfig(), log: createLogger('silent'), dataDir: ':memory:' });
    try {
      expect(await parley.auth.agentCount()).toBe(0);
      const token = await parley.auth.issueSetupToken();
      const port = await parley.listen(0, '127.0.0.1');
      const setup = (body: unknown) =>
        fetch(`http://127.0.0.1:${port}/api/v1/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await setup({ token: 'x'.repeat(43), name: 'Root', email: 'root@example.com', password: 'long enough password' })).status).toBe(401);
      expect((await setup({ token, name: 'Root', email: 'root@example.com', password: 'short' })).status).toBe(422);
      const ok = await setup({ token, name: 'Root', email: 'root@example.com', password: 'long enough password' });
      expect(ok.status).toBe(201);
      expect(ok.headers.get('set-cookie')).toMatch(/^parley_sid=/);
      expect((await setup({ token, name: 'Again', email: 'again@example.com', password: 'long enough password' })).status).toBe(401);
      expect(await parley.auth.agentCount()).toBe(1);
    } finally {
      await parley.close();
    }
  });
});

describe('requests the HTTP parser refuses', () => {
  /** Writes raw bytes to the server and reads until it closes the connection. */
  const raw = async (url: string, request: string): Promise<string> => {
    const { connect } = await import('node:net');
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(Number(port), hostname, () => socket.write(request));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
      socket.on('error', reject);
    });
  };

  it('answers headers over 16 KB with 431 and a malformed request with 400, both as problem JSON, and keeps serving', async () => {
    const huge = await raw(server.url, `GET /api/v1/sites/demo/launcher HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(20_000)}\r\n\r\n`);
    const [head, body] = huge.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body!)).toMatchObject({ status: 431, code: 'payload_too_large', title: 'Request header fields too large' });

    const garbled = await raw(server.url, 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n');
    expect(garbled).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbled.split('\r\n\r\n')[1]!)).toMatchObject({ status: 400, code: 'invalid_payload' });

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
