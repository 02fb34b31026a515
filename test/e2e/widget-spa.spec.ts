import { type Page, expect, test } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { signIn, visitorStarts } from './helpers';

/**
 * A single-page shop that uses the npm package (`parley-chat/widget`, sdk/dist/widget.js as built):
 * its route changes are pages the agent sees, and mounting and unmounting the widget 50 times leaves
 * no listener, socket or node behind.
 */

/** Counts, before any page script: listeners on window and document, and open WebSockets. */
async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { listeners: Map<unknown, number>; sockets: WebSocket[] };
    w.listeners = new Map();
    w.sockets = [];
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    // window, document and the Navigation API's object: what outlives the widget's own nodes
    const tracked = (target: EventTarget) => target === window || target === document || target === (window as { navigation?: EventTarget }).navigation;
    EventTarget.prototype.addEventListener = function (type: string, fn: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      // a listener that removes itself after one call (once) is not a leak
      if (tracked(this) && fn && !(typeof options === 'object' && options.once)) w.listeners.set(fn, (w.listeners.get(fn) ?? 0) + 1);
      return add.call(this, type, fn, options);
    };
    EventTarget.prototype.removeEventListener = function (type: string, fn: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
      const n = (fn && w.listeners.get(fn)) || 0;
      if (tracked(this) && fn && n) {
        if (n <= 1) w.listeners.delete(fn);
        else w.listeners.set(fn, n - 1);
      }
      return remove.call(this, type, fn, options);
    };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        w.sockets.push(this);
      }
    } as typeof WebSocket;
  });
}
const state = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { listeners: Map<unknown, number>; sockets: WebSocket[] };
    return {
      listeners: [...w.listeners.values()].reduce((a, b) => a + b, 0),
      openSockets: w.sockets.filter((s) => s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING).length,
      nodes: document.querySelectorAll('#parley-widget').length,
      scripts: document.querySelectorAll('script[src$="/widget.js"]').length,
    };
  });

test('a single-page shop on the npm package: its routes are pages the agent sees, and 50 mounts and unmounts leave nothing behind', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await instrument(page);
  // the demo's single-page shop (demo/spa.html) mounts the widget itself: take it out first for the baseline
  await page.goto('/spa.html');
  await expect(page.locator('#parley-widget .launcher')).toBeVisible();
  await page.evaluate(() => (window as unknown as { chat: { unmount(): void } }).chat.unmount());
  const baseline = await state(page);
  expect(baseline).toMatchObject({ nodes: 0, openSockets: 0, scripts: 0 });

  const mount = () =>
    page.evaluate(
      (server) =>
        new Promise<void>((resolve) => {
          const chat = (window as unknown as { chat: typeof import('../../sdk/src/widget') }).chat;
          chat.on('ready', () => resolve());
          chat.init({ server, site: 'demo' });
        }),
      baseURL,
    );
  await mount();
  await expect(page.locator('#parley-widget .launcher')).toBeVisible();
  const name = `Spa ${Date.now().toString(36)}`;
  await page.locator('#parley-widget .launcher').click();
  await visitorStarts(page, { name, email: 'spa@example.com' }, 'Do you ship to Lyon?', { open: false });
  const conversationId = await page.evaluate(() => (JSON.parse(localStorage.getItem('parley:demo') ?? '{}') as { conversationId: string }).conversationId);

  // the shop's router moves: the agent sees each route with its title (a route left within 0.3 s is not a page seen)
  const agent = await (await browser.newContext()).newPage();
  await signIn(agent);
  const pages = async () => {
    const detail = (await (await agent.request.get(`/api/v1/conversations/${conversationId}`)).json()) as { conversation: { profile: { pages: { url: string; title: string }[] } } };
    return detail.conversation.profile.pages.map((p) => `${new URL(p.url).pathname}${new URL(p.url).search} ${p.title}`);
  };
  const home = '/spa.html Northwind Tea — single-page shop';
  await page.locator('#teas').click();
  await expect.poll(pages).toEqual([home, '/spa.html?page=teas Teas · Northwind Tea']);
  await page.locator('#checkout').click();
  await expect.poll(pages).toEqual([home, '/spa.html?page=teas Teas · Northwind Tea', '/spa.html?page=checkout Checkout · Northwind Tea']);
  // back is a route change too
  await page.goBack();
  await expect(page).toHaveURL(/page=teas$/);
  await expect.poll(async () => (await pages()).length).toBe(4);

  // the live chat holds a socket; unmounted, nothing of the widget stays, 50 times over
  await expect.poll(async () => (await state(page)).openSockets).toBe(1);
  const mounted = await state(page);
  expect(mounted.nodes).toBe(1);
  const unmount = () => page.evaluate(() => (window as unknown as { chat: { unmount(): void } }).chat.unmount());
  await unmount();
  await expect.poll(async () => (await state(page)).openSockets).toBe(0);
  const clean = await state(page);
  expect(clean).toMatchObject({ nodes: 0, scripts: 0 });
  // the one listener left is engine.io's module-level "offline" listener, added once when the chat's code first ran
  expect(clean.listeners - baseline.listeners).toBeLessThanOrEqual(1);
  for (let i = 0; i < 50; i++) {
    await mount();
    // a returning visitor with a live conversation connects at once
    await expect.poll(async () => (await state(page)).openSockets).toBe(1);
    expect(await state(page)).toEqual(mounted);
    await unmount();
    await expect.poll(() => state(page)).toEqual(clean);
  }
  await mount();
  // and it still works: the visitor opens the chat and sees the conversation
  await page.evaluate(() => (window as unknown as { chat: { open(): void } }).chat.open());
  await expect(page.getByRole('log')).toContainText('Do you ship to Lyon?');
  await context.close();
});
