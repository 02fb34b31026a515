import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { baseURL } from '../../playwright.config';
import { artifacts, signIn } from './helpers';

/**
 * An admin connects a shop's systems from the console: makes an API key (shown once) that a script
 * then uses and that stops working once revoked; subscribes a webhook receiver, sees a visitor's new
 * conversation delivered (signed) in the log, and sends it again.
 */
let receiver: Server;
const received: { headers: Record<string, string>; body: string }[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
test.afterAll(async () => {
  await new Promise((r) => receiver.close(r));
});

test('an admin makes an API key and a webhook in the console, and both work', async ({ page, request }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Integrations' }).click();
  await expect(page).toHaveURL(/\/console\/integrations$/);
  await expect(page.getByRole('heading', { name: 'Integrations', level: 1 })).toBeVisible();

  // an API key, shown once
  const keyForm = page.getByRole('form', { name: 'New API key' });
  await keyForm.getByLabel('Name').fill('Shop sync <b>1</b>');
  await keyForm.getByRole('checkbox', { name: /Write/ }).check();
  await keyForm.getByRole('button', { name: 'Make API key' }).click();
  const secret = page.getByRole('textbox', { name: 'API key “Shop sync <b>1</b>”' });
  await expect(secret).toBeVisible();
  const key = await secret.inputValue();
  expect(key).toMatch(/^parley_/);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(secret).toBeHidden();
  await expect(page.getByRole('cell', { name: 'Shop sync <b>1</b>', exact: true })).toBeVisible();
  await expect(page.getByText(key)).toHaveCount(0);
  const labels = await request.get(`${baseURL}/api/v1/labels`, { headers: { authorization: `Bearer ${key}` } });
  expect(labels.status()).toBe(200);

  // a webhook to a receiver on this machine
  const hookForm = page.getByRole('form', { name: 'New webhook' });
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  await hookForm.getByLabel('URL').fill(url);
  await hookForm.getByLabel('Description').fill('CRM');
  await hookForm.getByRole('checkbox', { name: 'conversation.created' }).check();
  // a local receiver is refused unless allowed
  await hookForm.getByRole('button', { name: 'Add webhook' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'private, loopback or reserved' })).toBeVisible();
  await hookForm.getByRole('checkbox', { name: /Allow a private or local address/ }).check();
  await hookForm.getByRole('button', { name: 'Add webhook' }).click();
  const signing = page.getByRole('textbox', { name: `Signing secret of ${url}` });
  await expect(signing).toBeVisible();
  const whsec = await signing.inputValue();
  expect(whsec).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('list', { name: 'Webhook endpoints' })).toContainText(url);

  // a visitor starts a conversation: the receiver gets it, signed
  const started = await request.post(`${baseURL}/api/v1/sites/demo/conversations`, { data: { answers: { name: 'Hook Visitor', email: 'hook@example.com', inquiryType: 'other' }, consent: true } });
  expect(started.status()).toBe(201);
  await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  const first = received[0]!;
  expect(new Webhook(whsec).verify(first.body, first.headers)).toMatchObject({ type: 'conversation.created' });
  await page.getByRole('button', { name: 'Deliveries' }).click();
  const log = page.getByRole('table', { name: `Latest deliveries to ${url}` });
  await expect(log.getByRole('cell', { name: 'delivered' }).first()).toBeVisible();
  await page.screenshot({ path: `${artifacts}/console-integrations.png`, fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await log.getByRole('button', { name: 'Send conversation.created again' }).first().click();
  await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  expect(received.at(-1)!.headers['webhook-id']).toBe(first.headers['webhook-id']);

  // revoking the key stops the script at once
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Revoke Shop sync <b>1</b>' }).click();
  await expect(page.getByRole('cell', { name: /^Revoked/ })).toBeVisible();
  expect((await request.get(`${baseURL}/api/v1/labels`, { headers: { authorization: `Bearer ${key}` } })).status()).toBe(401);

  // clean up: the shared e2e server must not post to this receiver after the test
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: `Delete webhook ${url}` }).click();
  await expect(page.getByText('No webhooks yet.')).toBeVisible();
});
