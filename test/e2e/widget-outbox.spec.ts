import { expect, test } from '@playwright/test';
import { visitorStarts } from './helpers';

/**
 * Messages written while the network is down wait in the widget's outbox (in localStorage), survive
 * a reload, go out in the order they were written, each once; another tab of the same visitor shows
 * the same conversation.
 */
test('messages written offline survive a reload and arrive once, in order; a second tab agrees', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await visitorStarts(page, { name: 'Olle Offline', email: 'olle@example.com', inquiryType: 'other' }, 'Hello before the tunnel');
  const log = page.getByRole('log');
  // the first message is stored and acknowledged before the network goes
  await expect(log.getByText('Sending…')).toHaveCount(0);

  await context.setOffline(true);
  const composer = page.getByLabel('Message', { exact: true });
  for (const text of ['first in the tunnel', 'second in the tunnel 🚇', 'third <b>in</b> the tunnel']) {
    await composer.fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }
  await expect(log.getByText('third <b>in</b> the tunnel')).toBeVisible();
  // kept where a reload finds them, in the order they were written
  const outbox = await page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.startsWith('parley:')) return (JSON.parse(localStorage.getItem(key)!) as { outbox: { text: string }[] }).outbox.map((o) => o.text);
    }
    return [];
  });
  expect(outbox).toEqual(['first in the tunnel', 'second in the tunnel 🚇', 'third <b>in</b> the tunnel']);

  await context.setOffline(false);
  await page.reload();
  await page.getByRole('button', { name: /chat/i }).first().click();
  const texts = ['Hello before the tunnel', 'first in the tunnel', 'second in the tunnel 🚇', 'third <b>in</b> the tunnel'];
  for (const text of texts) await expect(log.getByText(text, { exact: true })).toHaveCount(1);
  await expect(log.getByText('Sending…')).toHaveCount(0);
  const order = async (where: typeof log) => (await where.locator('.mine .bubble').allTextContents()).filter((t) => texts.includes(t));
  await expect.poll(() => order(log)).toEqual(texts);

  // another tab of the same visitor: the same messages, once each, in the same order
  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('button', { name: /chat/i }).first().click();
  const otherLog = other.getByRole('log');
  await expect.poll(() => order(otherLog)).toEqual(texts);
  await context.close();
});
