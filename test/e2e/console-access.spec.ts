import { expect, test } from '@playwright/test';
import { artifacts, signIn, visitorStarts } from './helpers';

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

test("an admin exports a contact's data and erases the contact; the visitor's chat no longer opens their history", async ({ browser }) => {
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto('/');
  const name = `Erin ${Date.now().toString(36)}`;
  await visitorStarts(visitor, { name, email: 'erin@example.com' }, 'please forget me afterwards');

  const agent = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(agent);
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  const contact = agent.getByRole('complementary', { name: 'Contact' });
  const section = contact.getByRole('region', { name: 'Personal data' });
  const download = agent.waitForEvent('download');
  await section.getByRole('link', { name: 'Export data' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')) as { contact: { name: string }; conversations: { messages: { text: string }[] }[] };
  expect(exported.contact.name).toBe(name);
  expect(exported.conversations[0]!.messages.map((m) => m.text)).toContain('please forget me afterwards');

  await section.getByRole('button', { name: 'Erase contact…' }).click();
  await section.getByLabel('Reason (kept in the audit log)').fill('asked in the chat');
  await section.getByRole('button', { name: 'Erase for good' }).click();
  await expect(agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) })).toHaveCount(0);

  // the visitor's browser holds a token that no longer opens anything: a reload shows a new survey
  await visitor.reload();
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  await expect(visitor.getByRole('button', { name: 'Start chat' })).toBeVisible();
  await expect(visitor.getByText('please forget me afterwards')).toHaveCount(0);
  await visitorContext.close();
  await agent.context().close();
});

test('a visitor deletes their own data from the chat menu: the widget forgets them and the agent loses the conversation live', async ({ browser }) => {
  const agent = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(agent);
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto('/');
  const name = `Dana ${Date.now().toString(36)}`;
  await visitorStarts(visitor, { name, email: 'dana@example.com' }, 'delete me when I ask');
  const row = agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) });
  await expect(row).toBeVisible();

  visitor.once('dialog', (d) => {
    expect(d.message()).toContain('cannot be undone');
    void d.accept();
  });
  await visitor.getByRole('button', { name: 'More options' }).click();
  await visitor.getByRole('button', { name: 'Delete my data' }).click();
  // the widget starts over as for a new visitor, with nothing stored
  await expect(visitor.getByRole('button', { name: 'Start chat' })).toBeVisible();
  await expect(visitor.getByText('delete me when I ask')).toHaveCount(0);
  expect(await visitor.evaluate(() => localStorage.getItem('parley:demo'))).toBeNull();
  await expect(row).toHaveCount(0);
  await visitorContext.close();
  await agent.context().close();
});
