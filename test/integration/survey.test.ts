import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail, PublicSiteConfig, SyncResult } from '../../protocol/src/index';
import { type TestServer, chatOnlyConfig, connected, emitRaw, startServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const getConfig = (lang: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1/sites/demo/config?lang=${encodeURIComponent(lang)}`, { headers });
const config = async (lang: string, headers: Record<string, string> = {}) => (await (await getConfig(lang, headers)).json()) as PublicSiteConfig;
const start = (body: unknown, token?: string) =>
  server.post('/api/v1/sites/demo/conversations', body, token ? { authorization: `Bearer ${token}` } : {});

async function detail(conversationId: string): Promise<ConversationDetail> {
  const agent = server.agentSocket(await server.login());
  await connected(agent);
  const ack = await emitRaw<SyncResult<ConversationDetail>>(agent, 'conversation:open', { conversationId });
  agent.disconnect();
  if (!ack.ok) throw new Error(ack.message);
  return ack.data.conversation;
}

const answers = { name: 'Ана', email: 'ana@example.com', inquiryType: 'billing' };

describe('the public site config', () => {
  it('picks the best site language from the visitor preference list, with the widget texts in it', async () => {
    expect((await config('xx,ru-RU,en')).language).toBe('ru');
    expect((await config('zh-TW')).language).toBe('zh-TW');
    expect((await config('zh')).language).toBe('zh-CN');
    // Traditional script and regions find the Traditional texts, not merely the first Chinese
    expect((await config('zh-HK')).language).toBe('zh-TW');
    expect((await config('zh-Hant-TW')).language).toBe('zh-TW');
    expect((await config('zh-SG')).language).toBe('zh-CN');
    expect((await config('tlh,<script>,')).language).toBe('en');
    const ru = await config('ru-RU');
    expect(ru.prechat.fields[0]?.label).toBe('Имя');
    expect(ru.texts.startButton).toBe('Начать чат');
    expect(ru.ui.rateScores).toHaveLength(5);
    expect(ru.ui.openChat).not.toBe((await config('en')).ui.openChat);
    expect(ru.messages.required).not.toBe((await config('en')).messages.required);
  });

  it('lays Arabic out right to left and everything else left to right', async () => {
    const ar = await config('ar-EG');
    expect(ar).toMatchObject({ language: 'ar', direction: 'rtl' });
    expect(ar.ui.send).toMatch(/\p{Script=Arabic}/u);
    expect((await config('ja')).direction).toBe('ltr');
  });

  it('sends the owner settings the widget needs: theme, offline title, pattern, hidden source', async () => {
    const es = await config('es');
    expect(es.theme).toEqual({ primary: '#1d4ed8', onPrimary: '#ffffff', position: 'right', offsetX: 20, offsetY: 20, launcher: 'icon', mode: 'light' });
    expect(es.texts.offlineTitle).toBe('Déjanos un mensaje');
    expect(es.languages).toContain('ar');
    const order = es.prechat.fields.find((f) => f.key === 'orderId');
    expect(order).toMatchObject({ pattern: 'NW-\\d{5}', patternError: 'El número de pedido tiene la forma NW-12345' });
    expect(es.prechat.fields.find((f) => f.key === 'campaign')).toMatchObject({ type: 'hidden', source: { param: 'utm_campaign' } });
    expect(es.prechat.known).toBeUndefined();
  });

  it('is revalidated with an ETag: 304 when unchanged, a new tag per language', async () => {
    const first = await getConfig('de');
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[\w-]{10,}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(first.headers.get('vary')).toMatch(/Authorization/);
    const again = await getConfig('de', { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const weak = await getConfig('de', { 'if-none-match': `W/${etag}` });
    expect(weak.status).toBe(304);
    const other = await getConfig('fr', { 'if-none-match': etag as string });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
  });
});

describe('starting a conversation from the survey', () => {
  it('refuses field by field in the visitor language and stores nothing', async () => {
    const before = await server.parley.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await start({ answers: { name: '   ', email: 'ana@', inquiryType: 'free beer', orderId: 'NW-1' }, consent: false, language: 'es' });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { issues: { path: string; message: string }[] };
    const byPath = Object.fromEntries(problem.issues.map((i) => [i.path, i.message]));
    expect(byPath['answers.orderId']).toBe('El número de pedido tiene la forma NW-12345');
    expect(Object.keys(byPath).sort()).toEqual(['answers.email', 'answers.inquiryType', 'answers.name', 'answers.orderId', 'consent']);
    const es = await config('es');
    expect(byPath['answers.name']).toBe(es.messages.required);
    expect(byPath.consent).toBe(es.messages.consent);
    const after = await server.parley.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('records the consent as shown: text, hash, policy, time, site, page and language', async () => {
    const res = await start({ answers, consent: true, language: 'ru', pageUrl: 'https://shop.example/cart?x=<b>' });
    expect(res.status).toBe(201);
    const { conversationId } = (await res.json()) as { conversationId: string };
    const d = await detail(conversationId);
    expect(d.consent).toMatchObject({
      text: 'Я согласен на обработку моих данных для ответа на обращение.',
      policyUrl: 'https://example.com/privacy',
      siteId: 'demo',
      pageUrl: 'https://shop.example/cart?x=<b>',
      language: 'ru',
    });
    expect(d.consent?.textHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(d.consent?.acceptedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(d.contact.language).toBe('ru');
  });

  it('starts from a page with a very long address, keeping its first 2,048 characters', async () => {
    const pageUrl = `https://shop.example/landing?gclid=${'x'.repeat(5000)}`;
    const res = await start({ answers, consent: true, pageUrl });
    expect(res.status).toBe(201);
    const d = await detail(((await res.json()) as { conversationId: string }).conversationId);
    expect(d.pageUrl).toBe(pageUrl.slice(0, 2048));
    expect(d.consent?.pageUrl).toBe(pageUrl.slice(0, 2048));
    // beyond any real address it is refused, not stored
    expect((await start({ answers, consent: true, pageUrl: 'x'.repeat(20_000) })).status).toBe(422);
  });

  it('keeps hidden values and HTML as plain text answers', async () => {
    const res = await start({ answers: { ...answers, name: '<script>alert(1)</script>', campaign: 'spring <b>sale</b>' }, consent: true });
    const { conversationId } = (await res.json()) as { conversationId: string };
    const d = await detail(conversationId);
    expect(d.contact.name).toBe('<script>alert(1)</script>');
    expect(d.answers.find((a) => a.key === 'campaign')).toEqual({ key: 'campaign', label: 'Campaign', value: 'spring <b>sale</b>' });
  });

  it('does not ask a returning visitor again what their contact already holds', async () => {
    const first = (await (await start({ answers, consent: true })).json()) as { token: string };
    const auth = { authorization: `Bearer ${first.token}` };
    const known = await config('en', auth);
    expect(known.prechat.known?.sort()).toEqual(['email', 'name']);
    expect((await getConfig('en', auth)).headers.get('cache-control')).toBe('private, no-cache');
    // a token of nobody, or garbage, knows nothing
    expect((await config('en', { authorization: 'Bearer nobody-nobody-nobody-nobody' })).prechat.known).toEqual([]);

    const res = await start({ answers: { inquiryType: 'shipping' }, consent: true }, first.token);
    expect(res.status).toBe(201);
    const second = (await res.json()) as { conversationId: string; token?: string };
    expect(second.token).toBeUndefined();
    const d = await detail(second.conversationId);
    expect(d.contact).toMatchObject({ name: 'Ана', email: 'ana@example.com' });
    expect(d.answers.map((a) => [a.key, a.value])).toEqual([
      ['name', 'Ана'],
      ['email', 'ana@example.com'],
      ['inquiryType', 'shipping'],
    ]);
    // what is not known is still required, and a new answer replaces the known one
    const missing = await start({ answers: {}, consent: true }, first.token);
    expect(missing.status).toBe(422);
    const changed = await start({ answers: { name: 'Ana B.', inquiryType: 'other' }, consent: true }, first.token);
    expect((await detail(((await changed.json()) as { conversationId: string }).conversationId)).contact.name).toBe('Ana B.');
  });

  it('refuses a known-fields shortcut for a token of another visitor or none', async () => {
    const res = await start({ answers: { inquiryType: 'shipping' }, consent: true });
    expect(res.status).toBe(422);
    const forged = await start({ answers: { inquiryType: 'shipping' }, consent: true }, 'x'.repeat(43));
    expect(forged.status).toBe(401);
  });
});

describe('known answers that no longer fit the survey', () => {
  it('asks again when the stored value fails the field as the owner now defines it', async () => {
    const config = chatOnlyConfig();
    const demo = config.sites.demo!;
    demo.prechat.fields.push({
      key: 'language',
      type: 'select',
      label: 'Language',
      required: true,
      options: [
        { value: 'en', label: 'English' },
        { value: 'es', label: 'Español' },
      ],
    });
    const own = await startServer(config);
    try {
      const startWith = (body: unknown, token?: string) =>
        own.post('/api/v1/sites/demo/conversations', body, token ? { authorization: `Bearer ${token}` } : {});
      const knownOf = async (token: string) =>
        ((await (await fetch(`${own.url}/api/v1/sites/demo/config?lang=en`, { headers: { authorization: `Bearer ${token}` } })).json()) as PublicSiteConfig).prechat.known;

      // chose Spanish: a valid option, so it is not asked again
      const es = (await (await startWith({ answers: { ...answers, language: 'es' }, consent: true })).json()) as { token: string };
      expect((await knownOf(es.token))?.sort()).toEqual(['email', 'language', 'name']);

      // a contact whose language is no option of the field any more (Russian, from before the field existed)
      const ru = (await (await startWith({ answers: { ...answers, language: 'en' }, consent: true, language: 'ru' })).json()) as { token: string };
      await own.parley.db.updateTable('contacts').set({ language: 'ru' }).where('email', '=', answers.email).execute();
      expect((await knownOf(ru.token))?.sort()).toEqual(['email', 'name']);
      const refused = await startWith({ answers: { inquiryType: 'other' }, consent: true }, ru.token);
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['answers.language']);
    } finally {
      await own.close();
    }
  });
});

describe('start-up with a bad config file', () => {
  // the built server, as `npm start` runs it (`npm test` builds before it tests)
  const main = join(__dirname, '../../dist/server/main.js');
  beforeAll(() => {
    if (!existsSync(main)) throw new Error('dist/server/main.js is missing: run `npx rollup -c` first');
  });
  it('stops with the exact path and what was expected, never a stack trace', () => {
    const file = join(tmpdir(), `parley-survey-bad-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ sites: { demo: { name: 'Demo', prechat: { fields: [{ key: 'a', type: 'text', label: 'A' }, { key: 'b', type: 'text', label: 'B' }, { key: 'c', type: 'date', label: 'C' }] } } } }));
    const run = spawnSync(process.execPath, [main], { env: { ...process.env, CONFIG: file, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-bad-')), DATABASE_URL: '' }, encoding: 'utf8', timeout: 15_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('sites.demo.prechat.fields[2].type: expected one of text, textarea, email, phone, number, select, radio, checkbox, hidden');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns about colours that fail WCAG AA and still starts', async () => {
    const file = join(tmpdir(), `parley-survey-pale-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ sites: { pale: { name: 'Pale', theme: { primary: '#fde68a', onPrimary: '#ffffff' } } } }));
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, CONFIG: file, PORT: '0', HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-pale-')), ADMIN_EMAIL: '', ADMIN_PASSWORD: '', DATABASE_URL: '' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 15 s:\n${out}`)), 15_000);
      child.stdout.on('data', () => {
        if (out.includes('Parley is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`exited:\n${out}`)));
    }).finally(() => child.kill());
    expect(out).toContain('sites.pale.theme.onPrimary: #ffffff on #fde68a has a contrast of 1.');
    expect(out).toContain('sites.pale.theme.primary: #fde68a on the light panel');
  });
});
