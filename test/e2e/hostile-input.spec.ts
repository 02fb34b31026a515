import { type Page, expect, test } from '@playwright/test';
import { type Socket, io } from 'socket.io-client';
import type { AgentClientEvents, AgentServerEvents, StartConversationResult, VisitorClientEvents, VisitorServerEvents } from '../../protocol/src/index';
import { baseURL } from '../../playwright.config';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads';
import { artifacts, roomForReplies, signIn } from './helpers';

/** Records what a payload would do if it ever ran: a call to xss(), a dialog, an error. */
async function watch(page: Page): Promise<{ dialogs: string[]; errors: string[] }> {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  await page.addInitScript(() => {
    (window as unknown as { xss: () => void; __xssHits: number }).__xssHits = 0;
    (window as unknown as { xss: () => void }).xss = () => void ((window as unknown as { __xssHits: number }).__xssHits += 1);
  });
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

/** Elements and attributes no rendered text may ever produce, in the document and in every shadow root. */
function injected(page: Page) {
  return page.evaluate(() => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    const found: string[] = [];
    for (const root of roots) {
      for (const el of root.querySelectorAll('iframe, object, embed, base, meta[http-equiv], form[action], svg animate, math, marquee, video, audio, img[src="x"]')) found.push(el.outerHTML.slice(0, 80));
      for (const el of root.querySelectorAll('script:not([src])')) if (el.textContent?.includes('xss')) found.push(el.outerHTML.slice(0, 80));
      for (const el of root.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) if (/^on/i.test(attr) && el.getAttribute(attr)?.includes('xss')) found.push(`${el.tagName} ${attr}`);
      }
      for (const a of root.querySelectorAll('a[href]')) {
        const href = (a as HTMLAnchorElement).href;
        if (!/^(https?:|mailto:|tel:|blob:)/i.test(href)) found.push(`link ${href}`);
      }
    }
    return { found, hits: (window as unknown as { __xssHits: number }).__xssHits };
  });
}

test(`${XSS_PAYLOADS.length} hostile payloads in names, answers, messages, notes and attributes run nowhere, in the widget or the console`, async ({ browser }) => {
  test.setTimeout(120_000);
  const name = '<img src=x onerror=xss()>"><b>Eve';
  const res = await fetch(`${baseURL}/api/v1/sites/demo/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      answers: { name, email: 'eve@example.com', inquiryType: 'billing', orderId: 'NW-12345', campaign: '<svg onload=xss()>javascript:xss()' },
      consent: true,
      pageUrl: 'javascript:xss()',
    }),
  });
  // a page address that is not http(s) is refused or dropped, never stored as a link
  if (res.status !== 201) {
    expect(res.status).toBe(422);
  }
  const started = (res.status === 201
    ? await res.json()
    : await (
        await fetch(`${baseURL}/api/v1/sites/demo/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers: { name, email: 'eve@example.com', inquiryType: 'billing', orderId: 'NW-12345', campaign: '<svg onload=xss()>javascript:xss()' }, consent: true, pageUrl: 'https://shop.example/"><script>xss()</script>' }),
        })
      ).json()) as StartConversationResult;
  const conversationId = started.conversationId;

  // the visitor sends every payload; the agent answers with them and writes them in notes and attributes
  const visitor: Socket<VisitorServerEvents, VisitorClientEvents> = io(`${baseURL}/visitor`, { auth: { token: started.token }, transports: ['websocket'], forceNew: true });
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const console_ = await agentContext.newPage();
  const consoleSeen = await watch(console_);
  await signIn(console_);
  await roomForReplies(console_);
  const cookie = (await agentContext.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const agent: Socket<AgentServerEvents, AgentClientEvents> = io(`${baseURL}/agent`, { extraHeaders: { cookie }, transports: ['websocket'], forceNew: true });
  try {
    expect((await visitor.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 })).ok).toBe(true);
    for (const [i, text] of XSS_PAYLOADS.entries()) {
      const ack = await visitor.timeout(5000).emitWithAck('message:send', { conversationId, clientId: `xss-v-${i}-${Date.now()}`, text });
      expect(ack.ok, text).toBe(true);
    }
    for (const [i, text] of XSS_PAYLOADS.slice(0, 20).entries()) {
      expect((await agent.timeout(5000).emitWithAck('message:send', { conversationId, clientId: `xss-a-${i}-${Date.now()}`, text })).ok, text).toBe(true);
      expect((await agent.timeout(5000).emitWithAck('note:add', { conversationId, clientId: `xss-n-${i}-${Date.now()}`, text })).ok, text).toBe(true);
    }
    const attrs = await agent.timeout(5000).emitWithAck('contact:attributes', { contactId: started.contactId, attributes: { plan: '<img src=x onerror=xss()>', site: 'javascript:xss()' } });
    expect(attrs.ok).toBe(true);
  } finally {
    visitor.disconnect();
    agent.disconnect();
  }

  // the console shows all of it as text
  await console_.goto(`/console/conversations/${conversationId}`);
  const log = console_.getByRole('log');
  await expect(log).toContainText(XSS_PAYLOADS[XSS_PAYLOADS.length - 1]!.slice(2));
  await expect(console_.getByRole('complementary', { name: 'Contact' })).toContainText('<img src=x onerror=xss()>');
  await expect(console_.getByRole('list', { name: 'Conversations' })).toContainText('<b>Eve');
  // scroll through the whole conversation so every message is rendered at least once
  await log.evaluate(async (el) => {
    for (let y = el.scrollHeight; y >= 0; y -= 400) {
      el.scrollTop = y;
      await new Promise((r) => setTimeout(r, 30));
    }
  });
  await console_.screenshot({ path: `${artifacts}/console-hostile-input.png` });
  const inConsole = await injected(console_);
  expect(inConsole).toEqual({ found: [], hits: 0 });
  expect(consoleSeen).toEqual({ dialogs: [], errors: [] });

  // the visitor's widget shows the same history as text
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await visitorContext.newPage();
  const widgetSeen = await watch(page);
  await page.addInitScript(
    ([key, state]) => localStorage.setItem(key!, state!),
    ['parley:demo', JSON.stringify({ token: started.token, contactId: started.contactId, conversationId, outbox: [] })],
  );
  await page.goto('/');
  await page.getByRole('button', { name: /Open chat/ }).click();
  const widgetLog = page.getByRole('log');
  await expect(widgetLog).toContainText(XSS_PAYLOADS[XSS_PAYLOADS.length - 1]!.slice(2));
  await widgetLog.evaluate(async (el) => {
    const box = el.closest('.body') ?? el;
    for (let y = box.scrollHeight; y >= 0; y -= 400) {
      box.scrollTop = y;
      await new Promise((r) => setTimeout(r, 30));
    }
  });
  await page.screenshot({ path: `${artifacts}/widget-hostile-input.png` });
  expect(await injected(page)).toEqual({ found: [], hits: 0 });
  expect(widgetSeen).toEqual({ dialogs: [], errors: [] });
  await agentContext.close();
  await visitorContext.close();
});

test("hostile text in what owners and admins write (site texts, business profile, auto-replies, quick replies, label descriptions) runs nowhere either", async ({ browser }) => {
  test.setTimeout(90_000);
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const console_ = await adminContext.newPage();
  const consoleSeen = await watch(console_);
  await signIn(console_);
  await roomForReplies(console_);
  const api = console_.request;
  const settings = ((await (await api.get('/api/v1/auto-replies')).json()) as { settings: { scope: string; value: Record<string, unknown> | unknown[] }[] }).settings;
  const site = structuredClone(settings.find((s) => s.scope === 'site:demo')!.value) as Record<string, any>;
  const quick = structuredClone(settings.find((s) => s.scope === 'quick-replies')!.value) as Record<string, unknown>[];
  const label = `Xss ${Date.now().toString(36)}`;
  try {
    site.botName = '<img src=x onerror=xss()>Bot';
    site.welcome = { ...site.welcome, text: '<script>xss()</script> Hi {{contact.name}} from {{business.name}} [x](javascript:xss())' };
    // a javascript: address is not a website: refused at the field
    site.profile = { ...site.profile, name: '<svg onload=xss()>Northwind', website: 'javascript:xss()' };
    expect((await api.put('/api/v1/auto-replies/site:demo', { data: { value: site } })).status()).toBe(422);
    site.profile = { ...site.profile, website: 'https://northwind.example/"><script>xss()</script>' };
    expect((await api.put('/api/v1/auto-replies/site:demo', { data: { value: site } })).status()).toBe(200);
    const hostileQuick = { shortcut: 'xsstest', title: '<img src=x onerror=xss()>', text: '<iframe src="javascript:xss()"></iframe> {{contact.name}}' };
    expect((await api.put('/api/v1/auto-replies/quick-replies', { data: { value: [...quick, hostileQuick] } })).status()).toBe(200);
    expect((await api.post('/api/v1/labels', { data: { name: label, color: '#123456', description: '<img src=x onerror=xss()> javascript:xss()' } })).status()).toBe(201);
    // the site's own texts (the survey editor's, saved over the config file)
    const survey = ((await (await api.get('/api/v1/admin/sites/demo/survey')).json()) as { setting: { value: Record<string, any>; updatedAt: string | null } }).setting;
    const texts = { ...survey.value.texts, title: '<img src=x onerror=xss()>Tea chat', offlineTitle: '<img src=x onerror=xss()>Tea chat', greeting: '<script>xss()</script> Hello [x](javascript:xss())' };
    const saved = await api.put('/api/v1/admin/sites/demo/survey', { data: { value: { ...survey.value, texts }, expectedUpdatedAt: survey.updatedAt } });
    expect(saved.status()).toBe(200);

    // a visitor starts a chat: the welcome message and the header speak the hostile profile as text
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const visitor = await visitorContext.newPage();
    const widgetSeen = await watch(visitor);
    await visitor.goto('/');
    const name = `<b onmouseover=xss()>Owen ${Date.now().toString(36)}`;
    await visitor.getByRole('button', { name: /chat/i }).first().click();
    await expect(visitor.getByRole('dialog')).toContainText('<script>xss()</script> Hello [x](javascript:xss())');
    await expect(visitor.getByRole('dialog', { name: '<img src=x onerror=xss()>Tea chat' })).toBeVisible();
    expect(await injected(visitor)).toEqual({ found: [], hits: 0 });
    await visitor.getByLabel('Name').fill(name);
    await visitor.getByLabel('Email').fill('owen@example.com');
    await visitor.getByLabel('Inquiry type').selectOption('billing');
    await visitor.getByRole('checkbox', { name: /I agree/ }).check();
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    await expect(visitor.getByRole('log')).toContainText('<script>xss()</script> Hi');
    await expect(visitor.getByRole('log')).toContainText('<svg onload=xss()>Northwind');
    expect(await injected(visitor)).toEqual({ found: [], hits: 0 });
    expect(widgetSeen).toEqual({ dialogs: [], errors: [] });

    // the agent labels the conversation and reaches for the quick reply
    await console_.goto('/console');
    await console_.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Owen/ }).first().click();
    await expect(console_.getByRole('log')).toContainText('<script>xss()</script> Hi');
    await console_.getByLabel('Reply').fill('/xsstest');
    await expect(console_.getByRole('listbox').getByText('<img src=x onerror=xss()>')).toBeVisible();
    await console_.getByLabel('Reply').press('Enter');
    await expect(console_.getByLabel('Reply')).toHaveValue(/<iframe src="javascript:xss\(\)"><\/iframe>/);
    await console_.getByLabel('Reply').press('Enter');
    await expect(console_.getByRole('log')).toContainText('<iframe src="javascript:xss()"></iframe>');
    await expect(visitor.getByRole('log')).toContainText('<iframe src="javascript:xss()"></iframe>');
    await console_.goto('/console/labels');
    // the description is edited in a text box: it shows as its value, never as markup
    await expect(console_.getByRole('textbox', { name: `Description of ${label}` })).toHaveValue('<img src=x onerror=xss()> javascript:xss()');
    expect(await injected(console_)).toEqual({ found: [], hits: 0 });
    expect(await injected(visitor)).toEqual({ found: [], hits: 0 });
    expect(consoleSeen).toEqual({ dialogs: [], errors: [] });
    expect(widgetSeen).toEqual({ dialogs: [], errors: [] });
    await visitorContext.close();
  } finally {
    // the shared server goes back to the owner's file for the specs that follow
    await api.delete('/api/v1/admin/sites/demo/survey', { data: {} });
    await api.delete('/api/v1/auto-replies/site:demo', { data: {} });
    await api.delete('/api/v1/auto-replies/quick-replies', { data: {} });
    await api.delete(`/api/v1/labels/${encodeURIComponent(label)}`);
    await adminContext.close();
  }
});
