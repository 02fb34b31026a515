import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifacts, signIn } from './helpers';
import { startVisitor, unique } from './console-visitors';

test('on a 390 px phone the console shows one pane at a time, list → conversation → contact, with back navigation in step with the address', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const name = unique('Ines');
  const visitor = await startVisitor('demo', { name, email: 'ines@example.com', inquiryType: 'shipping' }, 'Can I change my delivery address?');
  await signIn(page);
  const list = page.getByRole('list', { name: 'Conversations' });
  const row = list.getByRole('button', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  // nothing overflows sideways
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${artifacts}/console-phone-list.png` });

  await row.click();
  await expect(page).toHaveURL(new RegExp(`/console/conversations/${visitor.conversationId}$`));
  await expect(page.getByRole('log')).toContainText('Can I change my delivery address?');
  await expect(list).toBeHidden();
  const back = page.getByRole('button', { name: 'Back to conversations' });
  await expect(back).toBeVisible();
  await expect(page.getByLabel('Reply')).toBeVisible();
  await page.screenshot({ path: `${artifacts}/console-phone-conversation.png` });

  await page.getByRole('button', { name: 'Contact details' }).click();
  await expect(page).toHaveURL(new RegExp(`/console/conversations/${visitor.conversationId}/contact$`));
  await expect(page.getByRole('button', { name: 'Back to the conversation' })).toBeVisible();
  await expect(page.getByRole('log')).toBeHidden();
  await expect(page.getByRole('complementary').or(page.locator('.contact')).first()).toContainText(name);
  await page.screenshot({ path: `${artifacts}/console-phone-contact.png` });

  // the browser's back goes contact → conversation, the Back button conversation → list
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/console/conversations/${visitor.conversationId}$`));
  await expect(page.getByRole('log')).toBeVisible();
  await back.click();
  await expect(page).toHaveURL(/\/console\/?$/);
  await expect(list).toBeVisible();
  await expect(page.getByRole('log')).toBeHidden();
  // and the browser's back returns to the conversation
  await page.goBack();
  await expect(page.getByRole('log')).toBeVisible();
  await expect(list).toBeHidden();

  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  visitor.close();
  await context.close();
});

test('on a 768 px tablet the list and the conversation share the screen and the contact panel is a toggle', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  const name = unique('Tomas');
  const visitor = await startVisitor('demo', { name, email: 'tomas@example.com', inquiryType: 'other' }, 'Invoice question');
  await signIn(page);
  const list = page.getByRole('list', { name: 'Conversations' });
  await list.getByRole('button', { name: new RegExp(name) }).click();
  await expect(page.getByRole('log')).toContainText('Invoice question');
  await expect(list).toBeVisible();
  await expect(page.getByRole('button', { name: 'Back to conversations' })).toBeHidden();
  const toggle = page.getByRole('button', { name: 'Contact details' });
  await toggle.click();
  await expect(page.getByRole('button', { name: 'Hide contact' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.contact')).toBeVisible();
  await page.screenshot({ path: `${artifacts}/console-tablet-contact.png` });
  await page.getByRole('button', { name: 'Hide contact' }).click();
  await expect(page.locator('.contact')).toBeHidden();
  visitor.close();
  await context.close();
});
