import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { e2eAdmin } from '../../playwright.config';
import { artifacts, roomForReplies, signIn } from './helpers';
import { startMany, startVisitor, unique } from './console-visitors';

const sam = { email: `sam.${Date.now().toString(36)}@northwind.example`, password: 'sam-password-long-enough', name: 'Sam Rivera' };

test('two agents in two browsers see the same live list, with previews that name who wrote', async ({ browser }) => {
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const samContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  const samPage = await samContext.newPage();
  await signIn(admin, e2eAdmin.email, e2eAdmin.password);
  await roomForReplies(admin);
  const created = await admin.request.post('/api/v1/agents', { data: { email: sam.email, name: sam.name, password: sam.password, role: 'agent' } });
  expect(created.status()).toBe(201);
  await signIn(samPage, sam.email, sam.password);
  // Sam starts in Mine; both look at every open conversation
  await samPage.getByRole('button', { name: /^All/ }).first().click();
  await expect(samPage.getByRole('button', { name: /^All/ }).first()).toHaveAttribute('aria-pressed', 'true');

  const name = unique('Olga');
  const visitor = await startVisitor('demo', { name, email: 'olga@example.com', inquiryType: 'shipping' }, 'Where is my parcel?');
  for (const page of [admin, samPage]) {
    const row = page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) });
    await expect(row).toBeVisible();
    // the visitor's words, or the away message when the run falls outside the demo's hours
    await expect(row).toContainText(/Where is my parcel\?|Bot: /);
    // chips say what they are, with the option's label rather than its stored value
    await expect(row).toContainText('Type Shipping');
    await expect(row).not.toContainText('shipping');
    await expect(row).toContainText('unread');
  }

  // the admin answers: "You:" in the admin's list, the admin's name in Sam's
  await admin.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  await expect(admin).toHaveURL(new RegExp(`/console/conversations/${visitor.conversationId}$`));
  await admin.getByLabel('Reply').fill('It left our warehouse this morning.');
  await admin.getByLabel('Reply').press('Enter');
  const adminRow = admin.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) });
  await expect(adminRow).toContainText('You: It left our warehouse this morning.');
  // the admin read it: no unread mark in the admin's list
  await expect(adminRow).not.toContainText('unread');
  const samRow = samPage.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) });
  await expect(samRow).toContainText(/: It left our warehouse this morning\./);
  await expect(samRow).not.toContainText('You:');

  // a new visitor message moves it up and marks it unread for Sam, live
  await visitor.say('Thanks! <b>great</b>');
  await expect(samRow).toContainText('Thanks! <b>great</b>');
  await expect(samRow).toContainText('unread');
  await expect(samPage.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toContainText(name);
  await samPage.screenshot({ path: `${artifacts}/console-inbox.png` });
  visitor.close();
  await adminContext.close();
  await samContext.close();
});

test('search finds a contact by order ID and by a word of a message; Escape and "Clear search" go back', async ({ page }) => {
  const name = unique('Kofi');
  const order = `NW-${String(Date.now()).slice(-5)}`;
  const word = `teapot${Date.now().toString(36)}`;
  const visitor = await startVisitor('demo', { name, email: 'kofi@example.com', inquiryType: 'other', orderId: order }, `My ${word} arrived cracked`);
  await signIn(page);
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill(order);
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('button', { name: new RegExp(name) })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /found/ })).toBeVisible();
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();

  await search.fill(word);
  await expect(results.getByRole('button', { name: new RegExp(name) })).toBeVisible();
  // results open like any conversation
  await results.getByRole('button', { name: new RegExp(name) }).click();
  await expect(page).toHaveURL(new RegExp(`/conversations/${visitor.conversationId}$`));
  await expect(page.getByRole('log')).toContainText(word);
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();

  // markup and nonsense are text, and find nothing rather than break
  await search.fill('<img src=x onerror=alert(1)> "unbalanced');
  await expect(page.getByRole('status').filter({ hasText: 'Nothing found' })).toBeVisible();
  visitor.close();
});

test('a new chat during away hours shows as unread although the bot answered, and the tab title counts it', async ({ page }) => {
  await signIn(page);
  const name = unique('Mia');
  const visitor = await startVisitor('after-hours', { name, email: 'mia@example.com', inquiryType: 'other' }, 'Hello, anyone there?');
  const row = page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  // the away message came last: it reads as the bot's, and the chat is still unread
  await expect(row).toContainText('Bot: ');
  await expect(row).not.toContainText('You:');
  await expect(row).toContainText('unread');
  await expect(page).toHaveTitle(/^\(\d+\) Parley console$/);
  await expect(page.getByRole('button', { name: /^All/ }).first()).toContainText(/unread/);
  visitor.close();
});

test('a conversation has its own address: a reload opens it, back and forward move between list and chat', async ({ page }) => {
  const name = unique('Noor');
  const visitor = await startVisitor('demo', { name, email: 'noor@example.com', inquiryType: 'technical' }, 'The tea timer app crashes');
  await signIn(page);
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  const url = new RegExp(`/console/conversations/${visitor.conversationId}$`);
  await expect(page).toHaveURL(url);
  await page.reload();
  await expect(page.getByRole('log')).toContainText('The tea timer app crashes');
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) })).toHaveAttribute('aria-current', 'true');
  // a pasted link in a fresh tab opens it too
  const other = await page.context().newPage();
  await other.goto(`/console/conversations/${visitor.conversationId}`);
  await expect(other.getByRole('log')).toContainText('The tea timer app crashes');
  await other.close();
  await page.goBack();
  await expect(page).toHaveURL(/\/console\/?$/);
  await page.goForward();
  await expect(page).toHaveURL(url);
  await expect(page.getByRole('log')).toContainText('The tea timer app crashes');
  visitor.close();
});

test('keyboard: j and k move through the list, r focuses the reply, / opens quick replies, ? lists the shortcuts; keys typed in fields stay text', async ({ page }) => {
  const a = await startVisitor('demo', { name: unique('Ada'), email: 'ada@example.com', inquiryType: 'other' }, 'First');
  const b = await startVisitor('demo', { name: unique('Bo'), email: 'bo@example.com', inquiryType: 'other' }, 'Second');
  await signIn(page);
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toBeVisible();
  await page.locator('body').press('j');
  await expect(page).toHaveURL(new RegExp(`/conversations/${b.conversationId}$`));
  await page.locator('body').press('j');
  await expect(page).toHaveURL(new RegExp(`/conversations/${a.conversationId}$`));
  await page.locator('body').press('k');
  await expect(page).toHaveURL(new RegExp(`/conversations/${b.conversationId}$`));
  await page.locator('body').press('r');
  await expect(page.getByLabel('Reply')).toBeFocused();
  // typing j in the reply box is text, not a shortcut
  await page.keyboard.type('just');
  await expect(page.getByLabel('Reply')).toHaveValue('just');
  await expect(page).toHaveURL(new RegExp(`/conversations/${b.conversationId}$`));
  await page.getByLabel('Reply').fill('');
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  await expect(page.getByRole('listbox', { name: 'Quick replies' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByLabel('Reply').fill('');
  await page.getByLabel('Reply').blur();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Close the open conversation');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // e closes the open conversation: it leaves the Open list
  const rowB = page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(b.name) });
  await expect(rowB).toBeVisible();
  await page.keyboard.press('e');
  await expect(rowB).toHaveCount(0);
  a.close();
  b.close();
});

test('the inbox has no serious or critical accessibility violation, and the small things read right', async ({ page }) => {
  await page.goto('/console');
  await page.getByLabel('Email').fill(e2eAdmin.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password. Try again.');
  await signIn(page);
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toBeVisible();
  // admin links are navigation, Sign out is a button
  const nav = page.getByRole('navigation', { name: 'Administration' });
  await expect(nav.getByRole('link', { name: 'Agents' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Mute sounds' })).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('button', { name: 'Mute sounds' }).click();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Mute sounds' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Mute sounds' }).click();
  await expect(page.getByLabel('Team')).toBeVisible();
  await expect(page.getByLabel('Label')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.screenshot({ path: `${artifacts}/console-inbox-admin.png` });
});

test('a long list renders only the rows on screen, loads further pages as it scrolls, and keeps keyboard focus on its rows', async ({ page }) => {
  const prefix = unique('Bulk');
  await startMany('demo', 130, prefix);
  await signIn(page);
  const list = page.getByRole('list', { name: 'Conversations' });
  const rows = list.getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  // the first page holds 100 conversations; far fewer are in the page's DOM
  await expect(rows.first()).toHaveAttribute('aria-setsize', /^\d{3}$/);
  expect(await rows.count()).toBeLessThan(30);
  // scrolling to the end loads the next page with the cursor
  const firstSize = Number(await rows.first().getAttribute('aria-setsize'));
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect.poll(async () => Number(await rows.first().getAttribute('aria-setsize'))).toBeGreaterThan(firstSize);
  // the oldest of them is somewhere in the second page (earlier specs' conversations may follow it): walk down to it
  const oldest = list.getByRole('button', { name: new RegExp(`${prefix} 000`) });
  await list.evaluate((el) => (el.scrollTop = 0));
  for (let step = 0; step < 60 && !(await oldest.isVisible()); step++) {
    await list.evaluate((el) => (el.scrollTop += el.clientHeight / 2));
    await page.waitForTimeout(50);
  }
  await expect(oldest).toBeVisible();
  expect(await rows.count()).toBeLessThan(30);
  // arrow keys walk the rows, and focus survives rows scrolling out of the rendered window
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  await rows.first().getByRole('button').focus();
  // (the bulk conversations' auto-replies may still move rows while the keys go down: count where focus is, not keys)
  const position = () => page.evaluate(() => Number(document.activeElement?.closest('li')?.getAttribute('aria-posinset') ?? 0));
  let presses = 0;
  while ((await position()) < 26 && presses < 40) {
    await page.keyboard.press('ArrowDown');
    presses++;
  }
  // a row that moved up under the focus (a late auto-reply) may carry it one further
  expect([26, 27]).toContain(await position());
  expect(presses).toBeLessThanOrEqual(27);
});
