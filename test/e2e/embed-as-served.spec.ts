import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, type Request, expect, test } from '@playwright/test';
import { artifacts, visitorStarts } from './helpers';

/**
 * The widget's weight as a shop's visitor receives it: a page of another origin embeds the widget
 * with one script tag, and every byte Chromium downloads for the widget (the loader, the app and
 * its chunks, styles, the launcher's settings and the site config) is summed from the encoded
 * body sizes Chromium reports (`request.sizes().responseBodySize`: the bytes on the wire,
 * compressed as the server chose; headers are printed beside them, not budgeted).
 *
 * Two real servers on free ports of this machine: the shop (a bare Node HTTP server that only
 * serves its page) and a Parley server of its own, started from the build with the demo's config
 * and the shop's origin as the demo site's only allowed origin.
 */
const BEFORE_INTERACTION = 2_500;
/** Everything downloaded with the chat open: loader, launcher settings, app and the full config. */
const CHAT_OPEN = 25_000;

let SHOP = '';
let baseURL = '';
let parley: ChildProcess | undefined;
let shop: Server | undefined;
let dataDir = '';

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

test.beforeAll(async () => {
  shop = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tea shop</title></head>
<body><h1>Oolong, 100 g</h1><p>Our best seller, shipped in two days.</p>
<script src="${baseURL}/widget.js" async data-site="demo"></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => shop!.listen(0, '127.0.0.1', resolve));
  SHOP = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;

  dataDir = mkdtempSync(join(tmpdir(), 'parley-embed-'));
  const config = JSON.parse(readFileSync('demo/parley.config.json', 'utf8')) as { sites: Record<string, { allowedOrigins: string[] }> };
  config.sites.demo!.allowedOrigins = [SHOP];
  writeFileSync(join(dataDir, 'parley.config.json'), JSON.stringify(config));
  const port = await freePort();
  // localhost, not 127.0.0.1: another host name as well as another port
  baseURL = `http://localhost:${port}`;
  parley = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CONFIG: join(dataDir, 'parley.config.json'), LOG_LEVEL: 'warn', RATE_LIMITS: 'off', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await expect.poll(async () => (await fetch(`${baseURL}/healthz`).catch(() => null))?.status, { timeout: 20_000 }).toBe(200);
});

test.afterAll(async () => {
  parley?.kill('SIGTERM');
  if (parley && parley.exitCode === null) await new Promise((resolve) => parley!.once('exit', resolve));
  await new Promise((resolve) => (shop ? shop.close(resolve) : resolve(undefined)));
  rmSync(dataDir, { recursive: true, force: true });
});

interface Fetched {
  url: string;
  status: number;
  encoding: string;
  body: number;
  headers: number;
}

/** Records every finished request to the widget's server, with the bytes it took on the wire. */
function recordWidgetBytes(page: Page): { fetched: Fetched[]; settled(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const fetched: Fetched[] = [];
  const record = (request: Request): void => {
    if (!request.url().startsWith(baseURL)) return;
    const done = (async () => {
      const response = await request.response();
      const sizes = await request.sizes();
      fetched.push({
        url: request.url().slice(baseURL.length),
        status: response?.status() ?? 0,
        encoding: (await response?.headerValue('content-encoding')) ?? 'identity',
        // Chromium reports no transfer (a negative size) for an answer from its cache
        body: Math.max(0, sizes.responseBodySize),
        headers: sizes.responseHeadersSize,
      });
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  page.on('requestfinished', record);
  return {
    fetched,
    async settled() {
      await page.waitForLoadState('networkidle');
      while (pending.size) await Promise.all([...pending]);
    },
  };
}

const total = (list: Fetched[]): number => list.reduce((n, f) => n + f.body, 0);
const table = (list: Fetched[]): string => list.map((f) => `${String(f.body).padStart(6)} B  ${f.encoding.padEnd(8)} ${f.status} ${f.url}`).join('\n');

test('embedded on a shop of another origin, the widget costs at most 2,500 B before any interaction, and at most 25,000 B with the chat open', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const wire = recordWidgetBytes(page);

  await page.goto(`${SHOP}/products/oolong`);
  const launcher = page.getByRole('button', { name: 'Open chat' });
  await expect(launcher).toBeVisible();
  // the page sits idle for a while: nothing more may arrive (no prefetch on idle)
  await page.waitForTimeout(1500);
  await wire.settled();
  const before = [...wire.fetched];
  console.log(`before any interaction (${total(before)} B):\n${table(before)}`);
  expect(before.map((f) => f.url.replace(/\?.*/, '')).sort()).toEqual(['/api/v1/sites/demo/launcher', '/widget.js']);
  // every script arrives compressed as the build wrote it; the settings are too small to be worth it
  expect(before.find((f) => f.url === '/widget.js')?.encoding).toBe('br');
  expect(before.every((f) => f.status === 200)).toBe(true);
  expect(total(before)).toBeGreaterThan(1000);
  expect(total(before)).toBeLessThanOrEqual(BEFORE_INTERACTION);

  // the visitor points at the launcher and clicks: the app and the full config come now
  await launcher.hover();
  await launcher.click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByLabel('Name')).toBeVisible();
  await wire.settled();
  const open = [...wire.fetched];
  console.log(`with the chat open (${total(open)} B):\n${table(open)}`);
  const urls = open.map((f) => f.url);
  expect(urls.some((u) => /^\/widget\/app-[\w-]{8}\.js$/.test(u))).toBe(true);
  expect(urls.some((u) => u.startsWith('/api/v1/sites/demo/config?'))).toBe(true);
  // the config is compressed on the fly, every script was precompressed with Brotli
  expect(open.find((f) => f.url.startsWith('/api/v1/sites/demo/config?'))?.encoding).toBe('br');
  for (const f of open.filter((x) => x.url.endsWith('.js'))) expect(f.encoding, f.url).toBe('br');
  console.log(`chat open: ${total(open)} B of ${CHAT_OPEN} B`);
  expect(total(open)).toBeLessThanOrEqual(CHAT_OPEN);

  // and the chat itself: a first message sent and shown loads nothing that breaks the budget
  await visitorStarts(page, { name: 'Wire Measure', email: 'wire@example.com', inquiryType: 'other' }, 'How strong is the oolong?', { open: false });
  await wire.settled();
  const chatting = wire.fetched.filter((f) => !f.url.startsWith('/socket.io/') && !f.url.startsWith('/api/v1/sites/demo/conversations'));
  console.log(`chatting, without the survey's POST and the socket (${total(chatting)} B):\n${table(chatting)}`);
  // the rating form is fetched while the chat goes on (it shows the moment the chat closes): at most its chunk more
  expect(total(chatting)).toBeLessThanOrEqual(CHAT_OPEN + 700);
  await page.screenshot({ path: `${artifacts}/embed-shop-chat-open.png` });
  expect(errors).toEqual([]);
  await context.close();
});

test('a second page view of the shop costs the loader nothing and the settings a revalidation', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${SHOP}/`);
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  const wire = recordWidgetBytes(page);
  await page.goto(`${SHOP}/products/puerh`);
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeVisible();
  await wire.settled();
  console.log(`second page view:\n${table(wire.fetched)}`);
  // the loader came from the browser's cache (fresh for 5 minutes): nothing on the wire
  expect(wire.fetched.filter((f) => f.url === '/widget.js' && f.body > 0)).toEqual([]);
  // the settings were revalidated by their ETag: a 304 without a body
  const settings = wire.fetched.filter((f) => f.url.startsWith('/api/v1/sites/demo/launcher'));
  expect(settings.every((f) => f.body === 0)).toBe(true);
  expect(total(wire.fetched)).toBe(0);
  await context.close();
});
