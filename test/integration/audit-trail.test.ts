import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startServer } from '../helpers/server';

/** Every change an admin makes to settings, agents and labels is in the audit log: who, what, on what, when. */
let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

interface Entry {
  actorName: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

describe('the audit log', () => {
  it('records labels, agents, auto-replies and site settings changed by an admin, newest first, for admins only', async () => {
    t = await startServer();
    const cookie = await t.login();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${t!.url}/api/v1${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      expect(res.status, `${method} ${path}: ${res.status}`).toBeLessThan(300);
      return res.status === 204 ? null : res.json();
    };
    await call('POST', '/labels', { name: 'Refund <b>', color: '#aa0000' });
    await call('PUT', `/labels/${encodeURIComponent('Refund <b>')}`, { color: '#00aa00' });
    await call('DELETE', `/labels/${encodeURIComponent('Refund <b>')}`);
    const agent = (await call('POST', '/agents', { email: 'kim@example.com', name: 'Kim', password: 'a long enough password' })) as { id: string };
    await call('PATCH', `/agents/${agent.id}`, { name: 'Kim Lee', capacity: 4 });
    await call('PATCH', `/agents/${agent.id}`, { role: 'admin' });
    const { settings } = (await call('GET', '/auto-replies')) as { settings: { scope: string; value: unknown }[] };
    await call('PUT', '/auto-replies/quick-replies', { value: settings.find((s) => s.scope === 'quick-replies')!.value });
    await call('DELETE', '/auto-replies/quick-replies', {});
    const { setting } = (await call('GET', '/admin/sites/demo/survey')) as { setting: { value: unknown } };
    await call('PUT', '/admin/sites/demo/survey', { value: setting.value });

    const { entries } = (await call('GET', '/audit?limit=50')) as { entries: Entry[] };
    // (changes within the same millisecond have no order between them: compared as a set)
    const mine = entries.filter((e) => e.actorName === 'Alex Agent').map((e) => `${e.action} ${e.target}`);
    expect(mine.sort()).toEqual(
      [
        'site.saved demo',
        'auto_replies.reset quick-replies',
        'auto_replies.saved quick-replies',
        `agent.role ${agent.id}`,
        `agent.updated ${agent.id}`,
        `agent.created ${agent.id}`,
        'label.deleted Refund <b>',
        'label.updated Refund <b>',
        'label.created Refund <b>',
      ].sort(),
    );
    expect(entries.find((e) => e.action === 'agent.updated')?.detail).toEqual({ name: 'Kim Lee', changed: ['name', 'capacity'] });
    const times = entries.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    // a plain agent may not read it
    const res = await t.post('/api/v1/agents', { email: 'pat@example.com', name: 'Pat', password: 'a long enough password' }, { cookie });
    expect(res.status).toBe(201);
    const pat = await t.login('pat@example.com', 'a long enough password');
    expect((await fetch(`${t.url}/api/v1/audit`, { headers: { cookie: pat } })).status).toBe(403);
  });
});
