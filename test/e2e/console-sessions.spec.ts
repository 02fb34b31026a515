import { expect, test } from '@playwright/test';
import { artifacts, signIn } from './helpers';

test('an agent sees where they are signed in and signs another browser out, which loses the console at once', async ({ browser }) => {
  const laptop = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 800 }, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1' })).newPage();
  await signIn(laptop);
  await signIn(phone);

  await laptop.locator('.me-name').click();
  await expect(laptop).toHaveURL(/\/console\/sessions$/);
  await expect(laptop.getByRole('heading', { name: 'Where you are signed in' })).toBeVisible();
  const table = laptop.getByRole('table', { name: 'Sessions' });
  await expect(table.getByRole('row').filter({ hasText: 'This browser' })).toHaveCount(1);
  const phoneRow = table.getByRole('row').filter({ hasText: 'Safari on iOS' }).first();
  await expect(phoneRow).toBeVisible();
  await laptop.screenshot({ path: `${artifacts}/console-sessions.png` });

  await phoneRow.getByRole('button', { name: /^Sign out Safari on iOS/ }).click();
  await expect(table.getByRole('row').filter({ hasText: 'Safari on iOS' })).toHaveCount(0);
  expect((await phone.request.get('/api/v1/auth/me')).status()).toBe(401);
  await phone.reload();
  await expect(phone.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // the laptop is still in
  expect((await laptop.request.get('/api/v1/auth/me')).status()).toBe(200);
  await laptop.context().close();
  await phone.context().close();
});
