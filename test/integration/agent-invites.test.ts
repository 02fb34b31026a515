import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startServer } from '../helpers/server';

/** An admin invites a new agent by a one-time link; the person picks their name and password and is signed in. */
let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});
const PASSWORD = 'a long enough password';
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token') as string;

describe('agent invitations', () => {
  it('makes the agent with the invited email and role once the link is accepted, signs them in, and spends the link', async () => {
    t = await startServer();
    const admin = await t.login();
    const made = await t.post('/api/v1/agents/invites', { email: 'New.Agent@Example.com', role: 'agent' }, { cookie: admin });
    expect(made.status).toBe(201);
    const { invite, link } = (await made.json()) as { invite: { id: string; email: string; role: string; expiresAt: string }; link: string };
    expect(invite).toMatchObject({ email: 'new.agent@example.com', role: 'agent' });
    expect(link).toMatch(/^\/console\/invite\?token=\S{20,}$/);
    expect(Date.parse(invite.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    // pending, without the link
    const pending = (await (await fetch(`${t.url}/api/v1/agents/invites`, { headers: { cookie: admin } })).json()) as { invites: unknown[] };
    expect(pending.invites).toEqual([expect.objectContaining({ id: invite.id, email: 'new.agent@example.com' })]);
    expect(JSON.stringify(pending)).not.toContain(tokenOf(link));

    const accepted = await t.post('/api/v1/auth/invite', { token: tokenOf(link), name: '  Nour <b>Haddad</b> ', password: PASSWORD });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ email: 'new.agent@example.com', name: 'Nour <b>Haddad</b>', role: 'agent' });
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await (await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie } })).json())).toMatchObject({ email: 'new.agent@example.com', role: 'agent' });
    // and the password works from now on
    expect(await t.login('new.agent@example.com', PASSWORD)).toMatch(/=/);
    // the link is spent
    const again = await t.post('/api/v1/auth/invite', { token: tokenOf(link), name: 'Someone else', password: PASSWORD });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { detail: string }).detail).toContain('not valid');
    expect(((await (await fetch(`${t.url}/api/v1/agents/invites`, { headers: { cookie: admin } })).json()) as { invites: unknown[] }).invites).toEqual([]);
    // audited
    const audit = (await (await fetch(`${t.url}/api/v1/audit`, { headers: { cookie: admin } })).json()) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action)).toContain('agent.invited');
  });

  it('replaces an earlier link for the same email, refuses revoked and expired links, existing emails, plain agents and bad input', async () => {
    t = await startServer();
    const admin = await t.login();
    const invite = async (body: unknown, cookie = admin) => {
      const res = await t!.post('/api/v1/agents/invites', body, { cookie });
      return { status: res.status, body: (await res.json()) as { invite: { id: string }; link: string; detail?: string } };
    };
    const first = await invite({ email: 'kim@example.com' });
    const second = await invite({ email: 'kim@example.com', role: 'admin' });
    expect((await t.post('/api/v1/auth/invite', { token: tokenOf(first.body.link), name: 'Kim', password: PASSWORD })).status).toBe(401);
    // revoked
    expect((await fetch(`${t.url}/api/v1/agents/invites/${second.body.invite.id}`, { method: 'DELETE', headers: { cookie: admin } })).status).toBe(204);
    expect((await t.post('/api/v1/auth/invite', { token: tokenOf(second.body.link), name: 'Kim', password: PASSWORD })).status).toBe(401);
    expect((await fetch(`${t.url}/api/v1/agents/invites/${second.body.invite.id}`, { method: 'DELETE', headers: { cookie: admin } })).status).toBe(404);
    // expired: 7 days
    const third = await invite({ email: 'kim@example.com' });
    await t.parley.db.updateTable('agent_invites').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', third.body.invite.id).execute();
    expect((await t.post('/api/v1/auth/invite', { token: tokenOf(third.body.link), name: 'Kim', password: PASSWORD })).status).toBe(401);
    // an email that has an agent
    expect((await invite({ email: 'admin@example.com' })).status).toBe(409);
    // bad input
    for (const body of [{}, { email: 'not an email' }, { email: 'x@example.com', role: 'owner' }, { email: ['x@example.com'] }]) expect((await invite(body)).status, JSON.stringify(body)).toBe(422);
    const fourth = await invite({ email: 'lee@example.com' });
    for (const body of [{ token: tokenOf(fourth.body.link), name: '', password: PASSWORD }, { token: tokenOf(fourth.body.link), name: 'Lee', password: 'short' }, { token: 'x', name: 'Lee', password: PASSWORD }, { token: tokenOf(fourth.body.link), name: 'n'.repeat(101), password: PASSWORD }]) {
      expect((await t.post('/api/v1/auth/invite', body)).status, JSON.stringify(body).slice(0, 80)).toBe(422);
    }
    // a plain agent may not invite
    const lee = await t.post('/api/v1/auth/invite', { token: tokenOf(fourth.body.link), name: 'Lee', password: PASSWORD });
    expect(lee.status).toBe(201);
    const leeCookie = (lee.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await invite({ email: 'other@example.com' }, leeCookie)).status).toBe(403);
    expect((await fetch(`${t.url}/api/v1/agents/invites`, { headers: { cookie: leeCookie } })).status).toBe(403);
  });
});
