import { createHmac } from 'node:crypto';
import { type Page, expect, test } from '@playwright/test';
import { e2eIdentitySecret } from '../../playwright.config';
import { agentReplies, artifacts, signIn } from './helpers';

/**
 * `window.ChatWidget` as a shop's developer uses it (docs/WIDGET.md): calls queued before the
 * script loads and made after, every event with its payload, setUser with the HMAC the shop's
 * backend computes (the user's history on another device), and reset on logout.
 */

type Api = Record<string, (...args: unknown[]) => void> & { q: unknown[] };
const EVENTS = ['ready', 'open', 'close', 'survey:submitted', 'conversation:started', 'message:sent', 'message:received', 'conversation:closed', 'rating:submitted', 'unread:changed', 'error'];

/** The one-line queue snippet, then a handler for every event, all before widget.js has loaded. */
async function listenEarly(page: Page): Promise<void> {
  await page.addInitScript((events: string[]) => {
    const w = window as unknown as { ChatWidget?: { q: unknown[] }; heard: { event: string; payload: unknown }[] };
    w.ChatWidget = w.ChatWidget || { q: [] };
    w.heard = [];
    for (const event of events) w.ChatWidget.q.push(['on', event, (payload: unknown) => w.heard.push({ event, payload })]);
    // a handler that throws is the page's problem, not the widget's: the others still run
    w.ChatWidget.q.push(['on', 'ready', () => { throw new Error('a broken handler'); }]);
  }, EVENTS);
}
const heard = (page: Page, event: string) => page.evaluate((e) => (window as unknown as { heard: { event: string; payload: any }[] }).heard.filter((h) => h.event === e).map((h) => h.payload), event);
const call = (page: Page, method: string, ...args: unknown[]) => page.evaluate(([m, a]) => ((window as unknown as { ChatWidget: Api }).ChatWidget[m as string]!)(...(a as unknown[])), [method, args] as const);
const hash = (userId: string) => createHmac('sha256', e2eIdentitySecret).update(userId).digest('hex');
const unique = (name: string) => `${name} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

test('a page drives the widget through ChatWidget before and after it loads, and hears every event with its payload', async ({ browser }) => {
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent);
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await listenEarly(page);
  await page.goto('/');
  const launcher = page.locator('#parley-widget .launcher');
  await expect(launcher).toBeVisible();
  await expect.poll(() => heard(page, 'ready')).toHaveLength(1);
  // a handler added after ready runs at once
  await page.evaluate(() => (window as unknown as { ChatWidget: Api; late: boolean }).ChatWidget.on!('ready', () => ((window as unknown as { late: boolean }).late = true)));
  expect(await page.evaluate(() => (window as unknown as { late?: boolean }).late)).toBe(true);

  await call(page, 'hide');
  await expect(launcher).toBeHidden();
  await call(page, 'show');
  await expect(launcher).toBeVisible();

  // prefill and a message before any conversation: the survey is filled, the page is told why nothing was sent
  const name = unique('Kim');
  await call(page, 'prefill', { name, email: 'kim@example.com' });
  await call(page, 'toggle');
  const panel = page.getByRole('dialog');
  await expect(panel).toBeVisible();
  await expect.poll(() => heard(page, 'open')).toHaveLength(1);
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveValue(name);
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue('kim@example.com');
  await call(page, 'sendMessage', 'too early');
  await expect.poll(() => heard(page, 'error')).toEqual([{ code: 'no_conversation', message: expect.stringContaining('open conversation') }]);

  await page.getByRole('combobox', { name: 'Inquiry type' }).selectOption('billing');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Start chat' }).click();
  await expect.poll(() => heard(page, 'conversation:started')).toHaveLength(1);
  const [{ conversationId }] = await heard(page, 'conversation:started');
  expect(conversationId).toMatch(/^[\w-]{10,}$/);
  expect(await heard(page, 'survey:submitted')).toEqual([{ answers: expect.objectContaining({ name, email: 'kim@example.com', inquiryType: 'billing' }) }]);

  // the visitor writes, then the page writes on their behalf (text, never markup)
  await page.getByLabel('Message', { exact: true }).fill('Hello from Kim');
  await page.getByRole('button', { name: 'Send' }).click();
  await call(page, 'sendMessage', 'Cart: <b>2 × Sencha</b>');
  const log = page.getByRole('log');
  await expect(log).toContainText('Cart: <b>2 × Sencha</b>');
  await expect.poll(() => heard(page, 'message:sent')).toHaveLength(2);
  expect((await heard(page, 'message:sent')).map((m: { text: string; conversationId: string }) => [m.text, m.conversationId])).toEqual([
    ['Hello from Kim', conversationId],
    ['Cart: <b>2 × Sencha</b>', conversationId],
  ]);

  // an agent answers while the panel is open: received, nothing unread
  await agentReplies(agent, conversationId, 'Hi Kim, looking now.');
  await expect(log).toContainText('Hi Kim, looking now.');
  // (the bot's away message, outside business hours, is received too)
  const fromAgent = async () => (await heard(page, 'message:received')).filter((m: { authorType: string }) => m.authorType === 'agent');
  await expect.poll(fromAgent).toEqual([expect.objectContaining({ conversationId, text: 'Hi Kim, looking now.', authorName: expect.any(String), id: expect.any(String) })]);
  // closed, the next answer is unread
  await call(page, 'close');
  await expect(panel).toBeHidden();
  await expect.poll(() => heard(page, 'close')).toHaveLength(1);
  await agentReplies(agent, conversationId, 'Found it: it ships today.');
  await expect.poll(() => heard(page, 'unread:changed')).toContainEqual({ count: 1 });
  await page.screenshot({ path: `${artifacts}/widget-api-unread.png` });
  await call(page, 'open');
  await expect(log).toContainText('Found it: it ships today.');
  await expect.poll(() => heard(page, 'unread:changed')).toContainEqual({ count: 0 });

  // the agent closes; the visitor rates
  expect((await agent.request.post(`/api/v1/conversations/${conversationId}/close`, { data: {} })).status()).toBe(200);
  await expect.poll(() => heard(page, 'conversation:closed')).toEqual([{ conversationId }]);
  const group = page.getByRole('group', { name: 'How was your conversation?' });
  await group.getByRole('radio').nth(4).check();
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect.poll(() => heard(page, 'rating:submitted')).toEqual([{ conversationId, score: 5, comment: null }]);

  // off: a removed handler hears nothing more
  await page.evaluate(() => {
    const w = window as unknown as { ChatWidget: Api; closes: number };
    w.closes = 0;
    const count = () => w.closes++;
    w.ChatWidget.on!('close', count);
    w.ChatWidget.off!('close', count);
    w.ChatWidget.close!();
  });
  await expect(panel).toBeHidden();
  expect(await page.evaluate(() => (window as unknown as { closes: number }).closes)).toBe(0);
  // nothing thrown into the page, even by the broken handler or nonsense calls
  await call(page, 'on', 'open', 'not a function');
  await call(page, 'setAttributes', 'not an object');
  await expect.poll(() => heard(page, 'error')).toContainEqual({ code: 'attributes', message: 'setAttributes expects an object' });
  expect(pageErrors).toEqual([]);
  await context.close();
  await agentContext.close();
});

test('setUser with the shop’s HMAC brings the signed-in user’s chat to a second device; a wrong hash is refused; reset forgets them on logout', async ({ browser }) => {
  const userId = `shopper-${Date.now().toString(36)}`;
  const name = unique('Noor');
  const user = { id: userId, name, email: 'noor@example.com', identifierHash: hash(userId) };

  // the laptop: signed in to the shop, the survey skips what the shop told
  const laptop = await (await browser.newContext()).newPage();
  await listenEarly(laptop);
  await laptop.addInitScript((u) => (window as unknown as { ChatWidget: { q: unknown[] } }).ChatWidget.q.push(['setUser', u]), user);
  await laptop.goto('/');
  await laptop.locator('#parley-widget .launcher').click();
  await expect(laptop.getByRole('combobox', { name: 'Inquiry type' })).toBeVisible();
  await expect(laptop.getByRole('textbox', { name: 'Email' })).toHaveCount(0);
  await laptop.getByRole('combobox', { name: 'Inquiry type' }).selectOption('shipping');
  await laptop.getByRole('checkbox', { name: /I agree/ }).check();
  await laptop.getByRole('button', { name: 'Start chat' }).click();
  await laptop.getByLabel('Message', { exact: true }).fill('Order 5521 has not arrived');
  await laptop.getByRole('button', { name: 'Send' }).click();
  await expect(laptop.getByRole('log')).toContainText('Order 5521 has not arrived');
  expect(await heard(laptop, 'error')).toEqual([]);

  // the phone: a new browser, the same user, called after load this time: the same chat
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  await listenEarly(phone);
  await phone.goto('/');
  await expect(phone.locator('#parley-widget .launcher')).toBeVisible();
  await call(phone, 'setUser', user);
  await call(phone, 'open');
  await expect(phone.getByRole('log')).toContainText('Order 5521 has not arrived');
  await phone.screenshot({ path: `${artifacts}/widget-api-second-device.png` });

  // someone else's id with this user's hash: refused, and nothing of Noor's shows
  const stranger = await (await browser.newContext()).newPage();
  await listenEarly(stranger);
  await stranger.goto('/');
  await call(stranger, 'setUser', { id: `${userId}-x`, identifierHash: hash(userId) });
  await call(stranger, 'open');
  await expect.poll(() => heard(stranger, 'error')).toEqual([{ code: 'identify', message: expect.stringContaining('could not be verified') }]);
  await expect(stranger.getByRole('checkbox', { name: /I agree/ })).toBeVisible();
  await expect(stranger.getByRole('log')).toHaveCount(0);

  // logout on the phone: the widget forgets Noor in this browser
  await call(phone, 'reset');
  await expect(phone.getByRole('dialog')).toBeHidden();
  expect(await phone.evaluate(() => localStorage.getItem('parley:demo'))).toBeNull();
  await phone.reload();
  await call(phone, 'open');
  await expect(phone.getByRole('checkbox', { name: /I agree/ })).toBeVisible();
  await expect(phone.getByRole('log')).toHaveCount(0);
  await phoneContext.close();
});
