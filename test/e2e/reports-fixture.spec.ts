import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, request as http, test } from '@playwright/test';
import { type Socket, io } from 'socket.io-client';

/**
 * Reports on a server of their own (a fresh store, so every figure is known): over the last days a
 * visitor asks and an agent answers at moments the server's test clock sets, then a team lead opens
 * Reports for the last 7 days and the Billing team and reads the fixture's numbers in the tables and
 * charts, and in the CSV.
 *
 *   day  team      visitor's first message → agent's reply   closed
 *   -3   billing   60 s                                       660 s after the start
 *   -2   billing   120 s                                      open
 *   -1   billing   300 s                                      open
 *   -1   shipping  30 s                                       (another team: not in the Billing figures)
 */
const ADMIN = { email: 'lead@example.com', password: 'reports fixture password' };
const DAY = 86_400_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

test('a team lead reads the fixture’s numbers for the Billing team’s last 7 days in tables, charts and the CSV', async ({ browser }) => {
  test.setTimeout(120_000);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-reports-e2e-'));
  const server = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', PARLEY_TEST_CLOCK: '1', RATE_LIMITS: 'off', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let api: APIRequestContext | undefined;
  const sockets: Socket[] = [];
  try {
    await expect.poll(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), { timeout: 20_000 }).toBe(true);
    api = await http.newContext({ baseURL: url });
    expect((await api.post('/api/v1/auth/login', { data: ADMIN })).status()).toBe(200);
    let moved = 0;
    const clock = async (ms: number) => {
      expect((await api!.post('/api/v1/test/clock', { data: { ms } })).status()).toBe(200);
      moved += ms;
    };

    /** A visitor starts a chat and writes; `reply` seconds later the agent answers; `close` seconds after the start they close it. */
    const chat = async (daysAgo: number, inquiryType: string, reply: number, close?: number) => {
      await clock(-daysAgo * DAY - moved);
      const started = await api!.post(`/api/v1/sites/demo/conversations`, { data: { answers: { name: `Fixture ${daysAgo} ${inquiryType}`, email: 'fixture@example.com', inquiryType }, consent: true } });
      expect(started.status()).toBe(201);
      const { token, conversationId } = (await started.json()) as { token: string; conversationId: string };
      const visitor = io(`${url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(visitor);
      await visitor.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
      expect(await visitor.timeout(5000).emitWithAck('message:send', { conversationId, clientId: crypto.randomUUID(), text: 'Where is my invoice?' })).toMatchObject({ ok: true });
      visitor.disconnect();
      await clock(reply * 1000);
      expect((await api!.post(`/api/v1/conversations/${conversationId}/messages`, { data: { text: 'Here it is.' } })).status()).toBe(201);
      if (close !== undefined) {
        await clock((close - reply) * 1000);
        expect((await api!.post(`/api/v1/conversations/${conversationId}/close`, { data: {} })).status()).toBe(200);
      }
    };
    await chat(3, 'billing', 60, 660);
    await chat(2, 'billing', 120);
    await chat(1, 'billing', 300);
    await chat(1, 'shipping', 30);
    await clock(-moved);

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${url}/console`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Last 7 days' });
    await page.getByRole('combobox', { name: 'Team', exact: true }).selectOption({ label: 'Billing' });

    const section = (name: string) => page.getByRole('region', { name, exact: true });
    const value = (name: string, row: string) => section(name).getByRole('row', { name: new RegExp(`^${row} `) }).getByRole('cell');
    await expect(value('Conversations', 'Started')).toHaveText('3');
    await expect(value('Conversations', 'Closed')).toHaveText('1');
    await expect(value('Conversations', 'Reopened')).toHaveText('0');
    await expect(value('First response', 'Answered')).toHaveText('3');
    // the test clock moves the server's time on top of the real one: the few milliseconds each step takes add up
    await expect(value('First response', 'Median Seconds')).toHaveText(/^120(\.\d+)?$/);
    await expect(value('Resolution', 'Median Seconds')).toHaveText(/^660(\.\d+)?$/);
    await expect(value('Messages', 'Visitor')).toHaveText('3');
    await expect(value('Messages', 'Agent')).toHaveText('3');
    // the chart of the same figures: started, closed, reopened
    await expect(section('Conversations').getByRole('img', { name: /^Chart of Conversations: started, closed, reopened/ })).toHaveAttribute('data-points', '3');

    // by day: one started on each of the last three days before today, none on the others
    await page.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Day' });
    const rows = section('Conversations').locator('tbody tr');
    await expect(rows).toHaveCount(7);
    const started = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[0]?.textContent)));
    expect(started.reduce((a, b) => a + b, 0)).toBe(3);
    expect(started.filter((n) => n === 1)).toHaveLength(3);

    // the CSV of what the table shows
    const download = page.waitForEvent('download');
    await section('Conversations').getByRole('link', { name: 'Download CSV of Conversations' }).click();
    const csv = readFileSync((await (await download).path()) as string, 'utf8').trim().split(/\r\n/);
    const header = csv[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['day', 'name', 'started']);
    // a row a day as the table shows them, then the total
    expect(csv.slice(1).map((line) => Number(line.split(',')[2]))).toEqual([...started, 3]);
    expect(csv.at(-1)!.startsWith('total,Total,3,')).toBe(true);

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await context.close();
  } finally {
    for (const s of sockets) s.disconnect();
    await api?.dispose();
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
