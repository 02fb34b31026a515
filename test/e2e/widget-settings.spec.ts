import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Locator, type Page, expect, test } from '@playwright/test';
import type { PublicSiteConfig } from '../../protocol/src/index';
import { artifacts, roomForReplies, signIn } from './helpers';

/**
 * The widget as one page shapes it: data-* attributes and ChatWidget.init (queued and after load),
 * position, offsets and the launcher's text, dark mode, Arabic right to left, the keyboard alone,
 * a phone-sized screen, and the rating screen after an agent closes the conversation.
 */

/** The site's public config in a language: the words the visitor must see. */
async function siteConfig(request: APIRequestContext, lang: string): Promise<PublicSiteConfig> {
  const res = await request.get(`/api/v1/sites/demo/config?lang=${lang}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as PublicSiteConfig;
}

const label = (config: PublicSiteConfig, key: string): string => config.prechat.fields.find((f) => f.key === key)!.label;

/** The panel's title: the page's or owner's, or the owner's offline title while the team is away. */
const titleOf = (config: PublicSiteConfig, title = config.texts.title): string =>
  config.availability?.open === false ? config.texts.offlineTitle : title;

/** Serious or critical axe violations inside the widget only. */
async function widgetViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('#parley-widget').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails the test on any error the page throws (the widget must never throw into it). */
function noPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const launcherOf = (page: Page): Locator => page.locator('#parley-widget .launcher');

test('data-* attributes and a queued init restyle and reword one page, and never remove the required consent', async ({ page, request }) => {
  const errors = noPageErrors(page);
  const en = await siteConfig(request, 'en');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/overrides.html?utm_campaign=from-the-url');

  // a teal launcher with its text, 32 px from the left and 40 px from the bottom
  const launcher = launcherOf(page);
  await expect(launcher).toBeVisible();
  await expect(launcher).toHaveAccessibleName('Ask a tea expert');
  await expect(launcher).toHaveText('Ask a tea expert');
  await expect(launcher).toHaveCSS('background-color', 'rgb(15, 118, 110)');
  const box = (await launcher.boundingBox())!;
  expect(box.x).toBe(32);
  expect(800 - (box.y + box.height)).toBe(40);
  await page.screenshot({ path: `${artifacts}/widget-overrides-launcher.png` });

  await launcher.click();
  const panel = page.getByRole('dialog', { name: titleOf(en, 'Tea experts') });
  await expect(panel).toBeVisible();
  expect((await panel.boundingBox())!.x).toBe(32);
  // the queued init's greeting, the attribute's prefilled order ID and button text
  await expect(panel).toContainText('Questions about brewing? Our tea experts answer here.');
  await expect(page.getByRole('textbox', { name: label(en, 'orderId') })).toHaveValue('NW-12345');
  const start = page.getByRole('button', { name: 'Ask our experts' });
  await expect(start).toBeVisible();

  // after loading, a page trying to drop the consent or a required field changes nothing
  await page.evaluate(() => {
    const w = window as unknown as { ChatWidget: { init(o: unknown): void } };
    w.ChatWidget.init({ consent: null, required: false, fields: [], prechat: { consent: null }, values: { consent: 'true', name: 'Pre Filled' } });
  });
  const consent = page.getByRole('checkbox', { name: /I agree/ });
  await expect(consent).toBeVisible();
  await expect(page.getByRole('textbox', { name: label(en, 'name') })).toHaveValue('Pre Filled');
  await page.getByRole('textbox', { name: label(en, 'email') }).fill('tea@example.com');
  await page.getByRole('combobox', { name: label(en, 'inquiryType') }).selectOption('other');
  await start.click();
  await expect(consent).toHaveAttribute('aria-invalid', 'true');
  await expect(consent).toHaveAccessibleDescription(en.messages.consent);
  await expect(consent).toBeFocused();
  await page.screenshot({ path: `${artifacts}/widget-overrides-survey.png` });

  // the hidden field takes the page's value over the URL's; the prefilled answers go with the survey
  await consent.check();
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/sites/demo/conversations') && r.method() === 'POST');
  await start.click();
  const body = (await sent).postDataJSON() as { answers: Record<string, unknown>; consent: boolean };
  expect(body.consent).toBe(true);
  expect(body.answers).toMatchObject({ name: 'Pre Filled', orderId: 'NW-12345', campaign: 'overrides-demo', inquiryType: 'other' });
  await expect(page.getByRole('textbox', { name: en.ui.message, exact: true })).toHaveAttribute('placeholder', 'Ask about any tea…');
  expect(errors).toEqual([]);
});

test('ChatWidget.init works queued before the script and at any time after, and ignores what it cannot use', async ({ page, request }) => {
  const errors = noPageErrors(page);
  const de = await siteConfig(request, 'de');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.addInitScript(() => {
    const w = window as unknown as { ChatWidget?: { q: unknown[] } };
    w.ChatWidget = w.ChatWidget || { q: [] };
    w.ChatWidget.q.push(['init', { launcher: 'text', colors: { primary: '#7c3aed' }, texts: { launcher: 'Need help?' } }]);
    w.ChatWidget.q.push(['nonsense', 1], null, 'init', ['init', 'not options'], ['init', { offsetX: -5, colors: { primary: 'purple' } }]);
  });
  await page.goto('/');
  const launcher = launcherOf(page);
  await expect(launcher).toHaveAccessibleName('Need help?');
  await expect(launcher).toHaveCSS('background-color', 'rgb(124, 58, 237)');
  let box = (await launcher.boundingBox())!;
  expect(1280 - (box.x + box.width)).toBe(20);

  // after load: moves at once, and a call pushed onto the queue runs at once too
  await page.evaluate(() => {
    const w = window as unknown as { ChatWidget: { init(o: unknown): void; q: { push(c: unknown): void } } };
    w.ChatWidget.init({ position: 'left', offsetX: 0, offsetY: 0 });
    w.ChatWidget.q.push(['init', { colors: { onPrimary: '#fde68a' } }]);
  });
  await expect(launcher).toHaveCSS('color', 'rgb(253, 230, 138)');
  box = (await launcher.boundingBox())!;
  expect([box.x, 800 - (box.y + box.height)]).toEqual([0, 0]);

  // once open, a new language and texts re-apply in place
  await page.evaluate(() => (window as unknown as { ChatWidget: { open(): void } }).ChatWidget.open());
  const panel = page.getByRole('dialog');
  await expect(panel).toBeVisible();
  await page.evaluate(() =>
    (window as unknown as { ChatWidget: { init(o: unknown): void } }).ChatWidget.init({ locale: 'de', texts: { startButton: 'Los geht’s' } }),
  );
  await expect(panel).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('textbox', { name: label(de, 'email') })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Los geht’s' })).toBeVisible();
  await expect(panel).toHaveAccessibleName(titleOf(de));
  await expect(launcher).toHaveAccessibleName('Need help?');

  await page.evaluate(() => (window as unknown as { ChatWidget: { close(): void } }).ChatWidget.close());
  await expect(panel).toBeHidden();
  expect(errors).toEqual([]);
});

test('a language set by ChatWidget.init while the launcher’s settings are on their way wins, even when the first answer comes last', async ({ page, request }) => {
  const errors = noPageErrors(page);
  const [en, de] = [await siteConfig(request, 'en'), await siteConfig(request, 'de')];
  expect(de.ui.openChat).not.toBe(en.ui.openChat);
  let releaseFirst: () => void = () => {};
  const held = new Promise<void>((r) => (releaseFirst = r));
  const asked: string[] = [];
  const configs: string[] = [];
  page.on('request', (r) => r.url().includes('/api/v1/sites/demo/config?') && configs.push(r.url()));
  await page.route('**/api/v1/sites/demo/launcher?**', async (route) => {
    const lang = new URL(route.request().url()).searchParams.get('lang') ?? '';
    asked.push(lang);
    // the browser's language (asked first) is held back until the German answer is in
    if (lang !== 'de') await held;
    await route.continue();
  });
  await page.goto('/');
  await page.waitForFunction(() => typeof (window as unknown as { ChatWidget?: { init?: unknown } }).ChatWidget?.init === 'function');
  await expect.poll(() => asked.length).toBe(1);
  await page.evaluate(() => (window as unknown as { ChatWidget: { init(o: unknown): void } }).ChatWidget.init({ locale: 'de' }));
  const launcher = launcherOf(page);
  await expect(launcher).toHaveAccessibleName(de.ui.openChat);

  // the stale English answer arrives last: it must change nothing
  const stale = page.waitForResponse((r) => r.url().includes('/launcher?') && !r.url().includes('lang=de'));
  releaseFirst();
  await stale;
  await page.waitForTimeout(300);
  expect(asked).toEqual([expect.not.stringMatching(/^de$/), 'de']);
  await expect(launcher).toHaveAccessibleName(de.ui.openChat);
  // the survey's config loads on intent, not with the page
  expect(configs).toEqual([]);
  await launcher.click();
  const panel = page.getByRole('dialog');
  await expect(panel).toHaveAttribute('lang', 'de');
  expect(configs).toEqual([expect.stringContaining('lang=de')]);
  await expect(page.getByRole('textbox', { name: label(de, 'email') })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a long campaign in the URL is cut to fit, and an error for a field the visitor cannot see is shown and announced', async ({ page, request }) => {
  const errors = noPageErrors(page);
  const en = await siteConfig(request, 'en');
  const campaign = `spring-é-${'x'.repeat(1500)}`;
  await page.goto(`/?utm_campaign=${encodeURIComponent(campaign)}`);
  await launcherOf(page).click();
  const fill = async () => {
    await page.getByRole('textbox', { name: label(en, 'name') }).fill('Long <b>Link</b> Lee');
    await page.getByRole('textbox', { name: label(en, 'email') }).fill('lee@example.com');
    await page.getByRole('combobox', { name: label(en, 'inquiryType') }).selectOption('other');
    await page.getByRole('checkbox', { name: /I agree/ }).check();
  };
  await fill();

  // the server refuses: one issue for the hidden field, one for a field this survey does not show
  const hiddenIssue = 'Campaign <img src=x onerror=alert(1)> is not accepted';
  let refused = 0;
  await page.route('**/api/v1/sites/demo/conversations', async (route) => {
    if (refused++ > 0) return route.continue();
    await route.fulfill({
      status: 422,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Invalid payload',
        status: 422,
        code: 'invalid_payload',
        detail: 'answers.campaign: not accepted',
        issues: [
          { path: 'answers.campaign', message: hiddenIssue },
          { path: 'answers.plan', message: 'Plan is required' },
        ],
      }),
    });
  });
  const start = page.getByRole('button', { name: en.texts.startButton });
  // without the cut the widget refuses its own hidden value and sends nothing
  const first = page.waitForRequest((r) => r.url().endsWith('/api/v1/sites/demo/conversations') && r.method() === 'POST', { timeout: 10_000 });
  await start.click();
  const sentCampaign = ((await first).postDataJSON() as { answers: Record<string, string> }).answers.campaign;
  expect(sentCampaign).toBe(campaign.slice(0, 1000));
  const alert = page.getByRole('dialog').getByRole('alert');
  await expect(alert).toHaveText(hiddenIssue);
  await expect(page.locator('#parley-widget img')).toHaveCount(0);
  for (const key of ['name', 'email']) await expect(page.getByRole('textbox', { name: label(en, key) })).not.toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `${artifacts}/widget-hidden-field-error.png` });

  // the next try reaches the server with the cut value, and the chat starts
  await start.click();
  await expect(page.getByRole('textbox', { name: en.ui.message, exact: true })).toBeVisible();
  await expect(alert).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the launcher waits for the site’s colours, and shows in the defaults when its settings are slow or fail', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/v1/sites/demo/launcher?**', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await page.waitForTimeout(500);
  await expect(launcherOf(page)).toHaveCount(0);
  release();
  // the demo site's own blue, never the default's flash
  await expect(launcherOf(page)).toHaveCSS('background-color', 'rgb(29, 78, 216)');

  await page.unroute('**/api/v1/sites/demo/launcher?**');
  await page.route('**/api/v1/sites/demo/launcher?**', (route) => route.fulfill({ status: 503, body: 'down' }));
  await page.goto('/?second');
  await expect(launcherOf(page)).toHaveCSS('background-color', 'rgb(37, 99, 235)');
  await expect(launcherOf(page)).toHaveAccessibleName('Open chat');
});

test('dark mode, set by the page or by the system, passes axe', async ({ browser, request }) => {
  const en = await siteConfig(request, 'en');
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.addInitScript(() => {
    (window as unknown as { ChatWidget: unknown }).ChatWidget = { q: [['init', { mode: 'dark' }]] };
  });
  await page.goto('/');
  await launcherOf(page).click();
  const panel = page.getByRole('dialog');
  await expect(panel).toHaveCSS('background-color', 'rgb(31, 41, 55)');
  await expect(panel).toHaveCSS('color', 'rgb(243, 244, 246)');
  await page.getByRole('button', { name: en.texts.startButton }).click();
  await expect(page.getByRole('textbox', { name: label(en, 'name') })).toHaveAttribute('aria-invalid', 'true');
  expect(await widgetViolations(page)).toEqual([]);
  await page.screenshot({ path: `${artifacts}/widget-dark.png` });

  // `auto` follows the system: dark here, light once the system is light
  await page.evaluate(() => (window as unknown as { ChatWidget: { init(o: unknown): void } }).ChatWidget.init({ mode: 'auto' }));
  await expect(panel).toHaveCSS('background-color', 'rgb(31, 41, 55)');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(panel).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await context.close();
});

test('in Arabic the widget lays out right to left: header, fields, checkbox, messages and the send arrow', async ({ browser, request }) => {
  const ar = await siteConfig(request, 'ar');
  expect(ar.direction).toBe('rtl');
  const context = await browser.newContext({ locale: 'ar', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto('/');
  const launcher = launcherOf(page);
  await expect(launcher).toHaveAccessibleName(ar.ui.openChat);
  await launcher.click();
  const panel = page.getByRole('dialog', { name: titleOf(ar) });
  await expect(panel).toHaveAttribute('dir', 'rtl');
  await expect(panel).toHaveAttribute('lang', 'ar');
  const name = page.getByRole('textbox', { name: label(ar, 'name') });
  await expect(name).toBeFocused();

  // the close button sits at the start of the line: the left
  const close = panel.getByRole('button', { name: ar.ui.closeChat });
  const heading = panel.getByRole('heading');
  expect((await close.boundingBox())!.x).toBeLessThan((await heading.boundingBox())!.x);
  // the consent box is at the right of its text
  const consent = page.getByRole('checkbox');
  const consentText = panel.locator('label[for=parley-consent]');
  expect((await consent.boundingBox())!.x).toBeGreaterThan((await consentText.boundingBox())!.x);
  await expect(page.getByRole('combobox', { name: label(ar, 'inquiryType') }).locator('option').first()).toHaveText(ar.ui.choose);
  await expect(panel.getByRole('link', { name: ar.ui.privacyPolicy })).toBeVisible();
  expect(await widgetViolations(page)).toEqual([]);
  await page.screenshot({ path: `${artifacts}/widget-survey-ar.png` });

  await name.fill('ليلى');
  await page.getByRole('textbox', { name: label(ar, 'email') }).fill('layla@example.com');
  await page.getByRole('combobox', { name: label(ar, 'inquiryType') }).selectOption('shipping');
  await consent.check();
  await page.getByRole('button', { name: ar.texts.startButton }).click();
  const box = page.getByRole('textbox', { name: ar.ui.message });
  await expect(box).toBeFocused();
  await box.fill('مرحبا، أين طلبي؟');
  await box.press('Enter');
  const mine = page.locator('#parley-widget .msg.mine');
  await expect(mine).toContainText('مرحبا، أين طلبي؟');
  // the visitor's own messages end on the left, the send button is left of the box, its arrow mirrored
  const log = (await page.getByRole('log').boundingBox())!;
  const bubble = (await mine.boundingBox())!;
  expect(bubble.x - log.x).toBeLessThan(log.x + log.width - (bubble.x + bubble.width));
  const send = page.getByRole('button', { name: ar.ui.send });
  expect((await send.boundingBox())!.x).toBeLessThan((await box.boundingBox())!.x);
  await expect(send.locator('svg')).toHaveCSS('transform', 'matrix(-1, 0, 0, 1, 0, 0)');
  expect(await widgetViolations(page)).toEqual([]);
  await page.screenshot({ path: `${artifacts}/widget-chat-ar.png` });
  await context.close();
});

test('the whole flow works with the keyboard alone; Escape closes and gives the focus back to the launcher', async ({ page, request }) => {
  const en = await siteConfig(request, 'en');
  await page.goto('/');
  const launcher = launcherOf(page);
  await expect(launcher).toBeVisible();
  for (let i = 0; i < 20 && !(await launcher.evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab');
  await expect(launcher).toBeFocused();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog');
  const name = page.getByRole('textbox', { name: label(en, 'name') });
  await expect(name).toBeFocused();
  await page.keyboard.type('Keyboard Kim');

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(launcher).toBeFocused();
  await expect(launcher).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('Keyboard Kim');
  await expect(launcher).toHaveAttribute('aria-expanded', 'true');

  await page.keyboard.press('Tab');
  await page.keyboard.type('kim@example.com');
  await page.keyboard.press('Tab'); // order ID, optional
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: label(en, 'inquiryType') })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('checkbox', { name: /I agree/ })).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab'); // the privacy policy link
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: en.texts.startButton })).toBeFocused();
  await page.keyboard.press('Enter');

  const box = page.getByRole('textbox', { name: en.ui.message, exact: true });
  await expect(box).toBeFocused();
  await page.keyboard.type('Typed and sent with the keyboard');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('log')).toContainText('Typed and sent with the keyboard');
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(launcher).toBeFocused();
  await expect(launcher).toHaveAccessibleName(en.ui.openChat);
});

test('on a 375 px wide screen the panel takes the whole screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/');
  await launcherOf(page).tap();
  const panel = page.getByRole('dialog');
  await expect(panel).toBeVisible();
  expect(await panel.boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 740 });
  await page.screenshot({ path: `${artifacts}/widget-narrow-375.png` });
  await context.close();
});

test('after an agent closes the chat the visitor rates it; a reload shows the thanks, and a new chat skips known answers', async ({ browser, request }) => {
  const en = await siteConfig(request, 'en');
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const agent = await agentContext.newPage();
  const visitor = await visitorContext.newPage();
  const name = `Rafa ${Date.now().toString(36)}`;
  await signIn(agent);

  await visitor.goto('/');
  await launcherOf(visitor).click();
  await visitor.getByRole('textbox', { name: label(en, 'name') }).fill(name);
  await visitor.getByRole('textbox', { name: label(en, 'email') }).fill('rafa@example.com');
  await visitor.getByRole('combobox', { name: label(en, 'inquiryType') }).selectOption('shipping');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: en.texts.startButton }).click();
  await visitor.getByRole('textbox', { name: en.ui.message, exact: true }).fill('Where is my tea?');
  await visitor.keyboard.press('Enter');

  // the agent answers (a rating is asked only once a person did) and closes it from the console
  await roomForReplies(agent);
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  await agent.getByLabel('Reply').fill('It is on its way.');
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(visitor.getByRole('log')).toContainText('It is on its way.');
  await agent.getByRole('region', { name: 'Assignment' }).getByRole('button', { name: 'Close' }).click();

  // the rating screen: a labelled group of five named choices, the first one focused
  const group = visitor.getByRole('group', { name: en.ui.rateTitle });
  await expect(group).toBeVisible();
  const scores = group.getByRole('radio');
  await expect(scores).toHaveCount(5);
  for (const [i, word] of en.ui.rateScores.entries()) await expect(scores.nth(i)).toHaveAccessibleName(word);
  await expect(scores.first()).toBeFocused();
  expect(await widgetViolations(visitor)).toEqual([]);

  // nothing chosen: the widget refuses the submit in its own alert (no browser bubble)
  await visitor.getByRole('button', { name: en.ui.rateSubmit }).click();
  await expect(visitor.getByRole('alert')).toHaveText(en.ui.ratePick);
  await expect(visitor.getByText(en.ui.rateThanks)).toHaveCount(0);

  await scores.first().focus();
  for (let i = 0; i < 3; i++) await visitor.keyboard.press('ArrowRight');
  await expect(scores.nth(3)).toBeChecked();
  const star = (i: number) => group.locator('label').nth(i);
  await expect(star(3)).toHaveCSS('color', 'rgb(245, 158, 11)');
  await expect(star(0)).toHaveCSS('color', 'rgb(245, 158, 11)');
  await expect(star(4)).not.toHaveCSS('color', 'rgb(245, 158, 11)');
  const comment = visitor.getByRole('textbox', { name: en.ui.rateComment });
  await expect(comment).toHaveAttribute('maxlength', '1000');
  await comment.fill('Quick <b>and</b> kind 🍵');
  await visitor.screenshot({ path: `${artifacts}/widget-rating.png` });
  await visitor.getByRole('button', { name: en.ui.rateSubmit }).click();

  await expect(visitor.getByText(en.ui.rateThanks)).toBeVisible();
  const startNew = visitor.getByRole('button', { name: en.ui.startNew });
  await expect(startNew).toBeFocused();
  await expect(visitor.getByRole('radio')).toHaveCount(0);
  await visitor.screenshot({ path: `${artifacts}/widget-rated.png` });
  const rating = agent.getByRole('complementary', { name: 'Contact' }).getByRole('region', { name: 'Rating' });
  await expect(rating).toContainText('4 of 5');
  await expect(rating).toContainText('Quick <b>and</b> kind 🍵');

  // a reload shows the thanks, not the form again
  await visitor.reload();
  await launcherOf(visitor).click();
  await expect(visitor.getByText(en.ui.rateThanks)).toBeVisible();
  await expect(visitor.getByRole('radio')).toHaveCount(0);

  // a new chat: the answers the server knows are not asked again; the first field left gets the focus
  await visitor.getByRole('button', { name: en.ui.startNew }).click();
  await expect(visitor.getByRole('textbox', { name: label(en, 'orderId') })).toBeFocused();
  await expect(visitor.getByRole('textbox', { name: label(en, 'name') })).toHaveCount(0);
  await expect(visitor.getByRole('textbox', { name: label(en, 'email') })).toHaveCount(0);
  await visitor.getByRole('combobox', { name: label(en, 'inquiryType') }).selectOption('billing');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: en.texts.startButton }).click();
  await expect(visitor.getByRole('textbox', { name: en.ui.message, exact: true })).toBeFocused();
  await agentContext.close();
  await visitorContext.close();
});
