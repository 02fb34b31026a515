import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { FieldIssue, PublicSiteConfig } from '../../protocol/src/index';
import { type Parley, createParley } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';
import { hashPassword } from '../../server/src/services/crypto';
import type { SiteSummary } from '../../protocol/src/index';
import { SiteSurveySchema, type SurveySetting, withSurvey } from '../../server/src/services/site-settings';
import { ADMIN, type TestServer, chatOnlyConfig, goodAnswers, startServer } from '../helpers/server';

/** The demo site with a survey of its own, so the tests do not follow the demo's file. */
function testConfig() {
  const config = chatOnlyConfig();
  const survey = v.parse(SiteSurveySchema, {
    defaultLanguage: 'en',
    texts: { title: { en: 'Support', es: 'Soporte' }, startButton: { en: 'Start chat', es: 'Iniciar chat' } },
    theme: { primary: '#1d4ed8', onPrimary: '#ffffff' },
    prechat: {
      fields: [
        { key: 'name', type: 'text', label: { en: 'Name', es: 'Nombre' }, required: true, maxLength: 100 },
        { key: 'email', type: 'email', label: { en: 'Email', es: 'Correo electrónico' }, required: true },
        {
          key: 'inquiryType',
          type: 'select',
          label: { en: 'Inquiry type', es: 'Tipo de consulta' },
          required: true,
          options: [
            { value: 'billing', label: { en: 'Billing', es: 'Facturación' } },
            { value: 'other', label: { en: 'Something else', es: 'Otra cosa' } },
          ],
        },
      ],
      consent: { required: true, text: { en: 'I agree.', es: 'Acepto.' }, policyUrl: 'https://example.com/privacy' },
    },
  });
  config.sites.demo = withSurvey(config.sites.demo!, survey);
  return config;
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A server with a signed-in admin and a signed-in agent, and a way to call the API as either (or nobody). */
async function setUp() {
  const t = await startServer(testConfig());
  servers.push(t);
  const hash = await hashPassword('agent password long');
  await t.parley.db
    .insertInto('agents')
    .values({ id: 'agent-1', email: 'sam@example.com', name: 'Sam', role: 'agent', password_hash: hash, created_at: 'x', updated_at: 'x' })
    .execute();
  const admin = await t.login();
  const agent = await t.login('sam@example.com', 'agent password long');
  const call = (method: string, path: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(t.url + path, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const survey = async (): Promise<SurveySetting> => ((await (await call('GET', '/api/v1/admin/sites/demo/survey', admin)).json()) as { setting: SurveySetting }).setting;
  const save = (value: unknown) => call('PUT', '/api/v1/admin/sites/demo/survey', admin, { value });
  const publicConfig = async (lang = 'en'): Promise<PublicSiteConfig> => (await (await fetch(`${t.url}/api/v1/sites/demo/config?lang=${lang}`)).json()) as PublicSiteConfig;
  return { t, admin, agent, call, survey, save, publicConfig };
}

/** The problem's issues as `path: message` lines. */
async function issuesOf(res: Response): Promise<FieldIssue[]> {
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return ((await res.json()) as { issues?: FieldIssue[] }).issues ?? [];
}

const paths = (issues: FieldIssue[]) => issues.map((i) => i.path);

describe('the admins’ survey editor API', () => {
  it('answers 401 to the signed out and 403 to agents on every route, and changes nothing', async () => {
    const { call, agent, survey } = await setUp();
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/sites'],
      ['GET', '/api/v1/admin/sites/demo/survey'],
      ['PUT', '/api/v1/admin/sites/demo/survey', { value: { prechat: { fields: [] } } }],
      ['DELETE', '/api/v1/admin/sites/demo/survey', {}],
      ['POST', '/api/v1/admin/sites/demo/survey/preview', { value: { prechat: { fields: [] } } }],
    ];
    for (const [method, path, body] of routes) {
      const signedOut = await call(method, path, null, body);
      expect(signedOut.status, `${method} ${path} signed out`).toBe(401);
      expect(await signedOut.json()).toMatchObject({ code: 'unauthorized' });
      const forged = await call(method, path, 'parley_sid=forged', body);
      expect(forged.status).toBe(401);
      const asAgent = await call(method, path, agent, body);
      expect(asAgent.status, `${method} ${path} as an agent`).toBe(403);
      expect(await asAgent.json()).toMatchObject({ code: 'forbidden' });
    }
    expect((await survey()).source).toBe('file');
  });

  it('lists every site with its name and where its survey comes from', async () => {
    const { call, admin, save, survey } = await setUp();
    const list = async () => ((await (await call('GET', '/api/v1/admin/sites', admin)).json()) as { sites: SiteSummary[] }).sites;
    const sites = Object.entries(testConfig().sites);
    expect(sites.length).toBeGreaterThan(1);
    expect(await list()).toEqual(sites.map(([id, site]) => ({ id, name: site.name, source: 'file' })));
    const current = await survey();
    expect((await save(current.value)).status).toBe(200);
    expect((await list()).find((s) => s.id === 'demo')?.source).toBe('database');
    expect((await call('GET', '/api/v1/admin/sites/nowhere/survey', admin)).status).toBe(404);
    expect((await call('GET', '/api/v1/admin/sites/%3Cscript%3E/survey', admin)).status).toBe(422);
  });

  it('shows the value in force beside the file’s, without the name, origins or auto-replies', async () => {
    const { survey } = await setUp();
    const s = await survey();
    expect(s).toMatchObject({ siteId: 'demo', name: 'Northwind Tea (demo)', source: 'file', updatedAt: null, updatedBy: null });
    expect(s.value).toEqual(s.file);
    expect(Object.keys(s.value).sort()).toEqual(expect.arrayContaining(['defaultLanguage', 'prechat', 'texts', 'theme']));
    for (const hidden of ['name', 'allowedOrigins', 'autoReplies']) expect(s.value).not.toHaveProperty(hidden);
    expect(s.value.prechat.fields.map((f) => f.key)).toEqual(['name', 'email', 'inquiryType']);
    expect(s.warnings).toEqual([]);
  });

  it('refuses bad surveys with the exact path of each problem, and stores nothing', async () => {
    const { save, survey, call, admin } = await setUp();
    const base = (await survey()).value;
    const fields = base.prechat.fields;
    const withFields = (list: unknown[]) => ({ ...base, prechat: { ...base.prechat, fields: list } });

    const cases: [string, unknown, string, RegExp][] = [
      ['an unknown field type', withFields([...fields, { key: 'age', type: 'slider', label: 'Age' }]), 'prechat.fields[3].type', /expected one of text, textarea/],
      ['a duplicate key', withFields([...fields, { key: 'vip', type: 'checkbox', label: 'VIP' }, { key: 'email', type: 'text', label: 'Email again' }]), 'prechat.fields[4].key', /already used by field 2/],
      ['a select without options', withFields([{ key: 'topic', type: 'select', label: 'Topic', options: [] }]), 'prechat.fields[0].options', /at least one option/],
      ['a bad colour', { ...base, theme: { ...base.theme, primary: 'red' } }, 'theme.primary', /colour such as #2563eb/],
      ['a label of the wrong type', withFields([{ key: 'name', type: 'text', label: 42 }]), 'prechat.fields[0].label', /./],
      ['a bad language tag in a label', withFields([{ key: 'name', type: 'text', label: { 'not a tag': 'x' } }]), 'prechat.fields[0].label.not a tag', /language tag such as en/],
      ['a key with spaces', withFields([{ key: 'my key', type: 'text', label: 'x' }]), 'prechat.fields[0].key', /letters, digits and _/],
      ['a pattern on an email field', withFields([{ key: 'mail', type: 'email', label: 'Mail', pattern: '.+@corp\\.example' }]), 'prechat.fields[0].pattern', /text, textarea and hidden/],
      ['a default that is not an option', withFields([{ key: 'topic', type: 'radio', label: 'Topic', options: [{ value: 'a', label: 'A' }], default: 'b' }]), 'prechat.fields[0].default', /one of the options/],
      ['a consent without text', { ...base, prechat: { ...base.prechat, consent: { required: true } } }, 'prechat.consent.text', /./],
      ['a position that does not exist', { ...base, theme: { ...base.theme, position: 'top' } }, 'theme.position', /left or right/],
      ['a text too long', { ...base, texts: { ...base.texts, title: 'x'.repeat(2001) } }, 'texts.title', /./],
      ['no value at all', undefined, 'value', /./],
    ];
    for (const [what, value, path, message] of cases) {
      const res = await save(value);
      expect(res.status, what).toBe(422);
      const issues = await issuesOf(res);
      expect(paths(issues), what).toContain(path);
      expect(issues.find((i) => i.path === path)?.message, what).toMatch(message);
    }

    // a body that is not JSON, not an object, or too big
    expect((await call('PUT', '/api/v1/admin/sites/demo/survey', admin, 'value=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(422);
    expect((await call('PUT', '/api/v1/admin/sites/demo/survey', admin, '{"value":')).status).toBe(422);
    const huge = withFields(Array.from({ length: 50 }, (_, i) => ({ key: `f${i}`, type: 'text', label: 'x'.repeat(2000) })));
    expect((await save(huge)).status).toBe(413);
    const tooMany = withFields(Array.from({ length: 51 }, (_, i) => ({ key: `f${i}`, type: 'text', label: 'x' })));
    expect(paths(await issuesOf(await save(tooMany)))).toContain('prechat.fields');

    const after = await survey();
    expect(after.source).toBe('file');
    expect(after.value).toEqual(base);
  });

  it('stores HTML in labels as text and unicode labels as written, and serves them so', async () => {
    const { save, survey, publicConfig } = await setUp();
    const base = (await survey()).value;
    const html = '<img src=x onerror="alert(1)">Name & <b>more</b>';
    const label = { en: html, ru: 'Имя 👋', 'zh-CN': '姓名', ar: 'الاسم' };
    const value = {
      ...base,
      prechat: { ...base.prechat, fields: [{ key: 'name', type: 'text', label, required: true }, ...base.prechat.fields.slice(1)] },
    };
    const res = await save(value);
    expect(res.status).toBe(200);
    const saved = ((await res.json()) as { setting: SurveySetting }).setting;
    expect(saved.source).toBe('database');
    expect(saved.updatedBy).toBeTruthy();
    expect(saved.value.prechat.fields[0]?.label).toEqual(label);
    expect((await publicConfig('en')).prechat.fields[0]?.label).toBe(html);
    expect((await publicConfig('ru-RU')).prechat.fields[0]?.label).toBe('Имя 👋');
    expect((await publicConfig('zh-CN')).prechat.fields[0]?.label).toBe('姓名');
    const arabic = await publicConfig('ar');
    expect(arabic.prechat.fields[0]?.label).toBe('الاسم');
    expect(arabic.direction).toBe('rtl');
  });

  it('lets a saved survey win over the file: the widget’s config and the check of answers follow it, until a reset', async () => {
    const { t, save, survey, publicConfig, call, admin } = await setUp();
    const base = (await survey()).value;
    const first = await fetch(`${t.url}/api/v1/sites/demo/config?lang=es`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${t.url}/api/v1/sites/demo/config?lang=es`, { headers: { 'if-none-match': etag as string } })).status).toBe(304);
    // the old survey passes without an order number
    await t.startConversation();

    const orderField = { key: 'orderId', type: 'text', label: { en: 'Order number', es: 'Número de pedido' }, required: true, pattern: 'NW-\\d{4}', patternError: { en: 'Like NW-1234', es: 'Como NW-1234' } };
    const value = {
      ...base,
      texts: { ...base.texts, startButton: { en: 'Talk to us', es: 'Hablemos' } },
      prechat: { ...base.prechat, fields: [...base.prechat.fields, orderField] },
    };
    expect((await save(value)).status).toBe(200);

    const after = await fetch(`${t.url}/api/v1/sites/demo/config?lang=es`, { headers: { 'if-none-match': etag as string } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const es = (await after.json()) as PublicSiteConfig;
    expect(es.texts.startButton).toBe('Hablemos');
    expect(es.prechat.fields.at(-1)).toMatchObject({ key: 'orderId', label: 'Número de pedido', required: true, pattern: 'NW-\\d{4}' });

    // the server now asks for the new field, and checks it with the owner's pattern
    const missing = await t.post('/api/v1/sites/demo/conversations', { answers: goodAnswers, consent: true });
    expect(missing.status).toBe(422);
    expect(await issuesOf(missing)).toContainEqual({ path: 'answers.orderId', message: 'This field is required' });
    const wrong = await t.post('/api/v1/sites/demo/conversations', { answers: { ...goodAnswers, orderId: 'abc' }, consent: true });
    expect(paths(await issuesOf(wrong))).toEqual(['answers.orderId']);
    const ok = await t.post('/api/v1/sites/demo/conversations', { answers: { ...goodAnswers, orderId: 'NW-1234' }, consent: true });
    expect(ok.status).toBe(201);

    // a reset brings the file back, for the widget and for the check alike
    const reset = await call('DELETE', '/api/v1/admin/sites/demo/survey', admin, {});
    expect(((await reset.json()) as { setting: SurveySetting }).setting).toMatchObject({ source: 'file', updatedAt: null });
    expect((await publicConfig('es')).texts.startButton).toBe('Iniciar chat');
    await t.startConversation();
  });

  it('enforces a newly required consent and a newly optional field', async () => {
    const { t, save, survey } = await setUp();
    const base = (await survey()).value;
    const noConsent = { ...base, prechat: { fields: base.prechat.fields.map((f) => ({ ...f, required: false })), consent: null } };
    expect((await save(noConsent)).status).toBe(200);
    expect((await t.post('/api/v1/sites/demo/conversations', { answers: {}, consent: false })).status).toBe(201);

    const consentOnly = { ...noConsent, prechat: { ...noConsent.prechat, consent: { required: true, text: 'Yes, store my data', policyUrl: null } } };
    expect((await save(consentOnly)).status).toBe(200);
    const refused = await t.post('/api/v1/sites/demo/conversations', { answers: {}, consent: false });
    expect(paths(await issuesOf(refused))).toEqual(['consent']);
  });

  it('previews a draft in the language asked without storing it, or names its problems', async () => {
    const { call, admin, survey, publicConfig } = await setUp();
    const base = (await survey()).value;
    const draft = {
      ...base,
      languages: ['en', 'es', 'de'],
      texts: { ...base.texts, startButton: { en: 'Go', es: 'Vamos', de: 'Los' } },
    };
    const preview = async (value: unknown, lang: string) => call('POST', `/api/v1/admin/sites/demo/survey/preview?lang=${lang}`, admin, { value });
    const res = await preview(draft, 'de-AT');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { config: PublicSiteConfig; warnings: string[] };
    expect(body.config).toMatchObject({ siteId: 'demo', language: 'de', languages: ['en', 'es', 'de'], texts: { startButton: 'Los' } });
    expect(body.warnings).toEqual([]);
    expect((await publicConfig('de')).texts.startButton).toBe('Start chat');
    expect((await publicConfig('de')).language).toBe('en');
    expect((await survey()).source).toBe('file');

    const bad = await preview({ ...base, theme: { ...base.theme, onPrimary: '#fff' } }, 'en');
    expect(bad.status).toBe(422);
    expect(paths(await issuesOf(bad))).toEqual(['theme.onPrimary']);
    expect((await call('POST', '/api/v1/admin/sites/demo/survey/preview', admin, 'x', { 'content-type': 'text/plain' })).status).toBe(422);
    expect((await call('POST', '/api/v1/admin/sites/nowhere/survey/preview', admin, { value: base })).status).toBe(404);
  });

  it('refuses with 409 a save whose draft was loaded before someone else saved, and stores nothing', async () => {
    const { call, admin, survey, publicConfig } = await setUp();
    const put = (value: unknown, expectedUpdatedAt: unknown) => call('PUT', '/api/v1/admin/sites/demo/survey', admin, { value, expectedUpdatedAt });
    const titled = (s: SurveySetting, title: string) => ({ ...s.value, texts: { ...s.value.texts, title } });
    // two admins open the file's survey
    const opened = await survey();
    expect(opened.updatedAt).toBeNull();

    const first = await put(titled(opened, 'First admin'), null);
    expect(first.status).toBe(200);
    const saved = ((await first.json()) as { setting: SurveySetting }).setting;
    expect(saved.updatedAt).toEqual(expect.any(String));

    // the second still holds the file's version: refused, with a sentence a person can act on
    const late = await put(titled(opened, 'Second admin'), null);
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await late.json()) as { code: string; detail: string };
    expect(problem.code).toBe('conflict');
    expect(problem.detail).toMatch(/Another admin saved this site’s survey after you opened it/);
    expect((await survey()).value.texts.title).toBe('First admin');
    expect((await publicConfig()).texts.title).toBe('First admin');

    // a wrong, made-up or badly typed stamp is refused too; an unchecked save (no stamp) still works for scripts
    for (const stamp of ['2000-01-01T00:00:00.000Z', '<script>', '']) expect((await put(titled(saved, 'x'), stamp)).status).toBe(409);
    for (const bad of [42, { at: saved.updatedAt }, 'x'.repeat(41)]) expect((await put(titled(saved, 'x'), bad)).status).toBe(422);
    expect((await survey()).value.texts.title).toBe('First admin');

    // with the latest stamp the save passes, and gets a new stamp even within the same millisecond
    const next = await put(titled(saved, 'Reloaded and saved'), saved.updatedAt);
    expect(next.status).toBe(200);
    const after = ((await next.json()) as { setting: SurveySetting }).setting;
    expect(after.updatedAt).not.toBe(saved.updatedAt);
    expect((await put(titled(saved, 'Stale again'), saved.updatedAt)).status).toBe(409);

    // after a reset the file's survey is in force again: null is the stamp to send
    await call('DELETE', '/api/v1/admin/sites/demo/survey', admin, {});
    expect((await put(titled(opened, 'Stale'), after.updatedAt)).status).toBe(409);
    expect((await put(titled(opened, 'After reset'), null)).status).toBe(200);
    expect((await survey()).value.texts.title).toBe('After reset');
  });

  it('treats a stored survey that no longer passes the schema as the file’s: null is the stamp that saves over it', async () => {
    const { t, call, admin, survey } = await setUp();
    await t.parley.db
      .insertInto('site_settings')
      .values({ site_id: 'demo', value: '{"prechat":"broken"', updated_at: '2025-01-01T00:00:00.000Z', updated_by: 'agent-1' })
      .execute();
    const opened = await survey();
    expect(opened).toMatchObject({ source: 'file', updatedAt: null });
    const put = (expectedUpdatedAt: unknown) => call('PUT', '/api/v1/admin/sites/demo/survey', admin, { value: opened.value, expectedUpdatedAt });
    expect((await put('2025-01-01T00:00:00.000Z')).status).toBe(409);
    expect((await put(null)).status).toBe(200);
    expect((await survey()).source).toBe('database');
  });

  it('warns about colour pairs below WCAG AA but saves them', async () => {
    const { save, survey } = await setUp();
    const base = (await survey()).value;
    const res = await save({ ...base, theme: { ...base.theme, primary: '#fde047', onPrimary: '#ffffff' } });
    expect(res.status).toBe(200);
    const { warnings } = ((await res.json()) as { setting: SurveySetting }).setting;
    expect(warnings.map((w) => w.split(':')[0])).toEqual(['theme.onPrimary', 'theme.primary']);
  });
});

describe('two nodes on one store', () => {
  const dirs: string[] = [];
  const nodes: Parley[] = [];
  afterEach(async () => {
    for (const p of nodes.splice(0)) await p.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('serve the same saved survey within seconds of the save, and the file’s again after a reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-sites-'));
    dirs.push(dir);
    let now = Date.parse('2025-05-01T10:00:00Z');
    const clock = { now: () => new Date(now) };
    const start = async () => {
      const p = await createParley({ config: testConfig(), log: createLogger('silent'), dataDir: dir, clock, sqliteSynchronous: 'NORMAL' });
      nodes.push(p);
      return `http://127.0.0.1:${await p.listen(0, '127.0.0.1')}`;
    };
    const a = await start();
    const b = await start();
    await nodes[0]?.auth.ensureAdmin(ADMIN.email, ADMIN.password, 'Alex Agent');
    const login = await fetch(`${a}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const title = async (url: string) => ((await (await fetch(`${url}/api/v1/sites/demo/config?lang=en`)).json()) as PublicSiteConfig).texts.title;
    const setting = ((await (await fetch(`${a}/api/v1/admin/sites/demo/survey`, { headers: { cookie } })).json()) as { setting: SurveySetting }).setting;

    const put = await fetch(`${a}/api/v1/admin/sites/demo/survey`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ value: { ...setting.value, texts: { ...setting.value.texts, title: 'Saved on node A' } } }),
    });
    expect(put.status).toBe(200);
    expect(await title(a)).toBe('Saved on node A');
    expect(await title(b)).toBe('Support');

    now += 6_000;
    await expect.poll(() => title(b)).toBe('Saved on node A');

    await fetch(`${a}/api/v1/admin/sites/demo/survey`, { method: 'DELETE', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    now += 6_000;
    await expect.poll(() => title(b)).toBe('Support');
  });
});
