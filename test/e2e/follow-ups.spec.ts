import { type Browser, type Page, expect, test } from '@playwright/test';
import { artifacts, roomForReplies, signIn, visitorStarts } from './helpers';

/** A visitor in `timeZone` starts a chat on the demo site and says something. */
async function visitorChats(browser: Browser, name: string, timeZone?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(timeZone ? { timezoneId: timeZone } : {}) });
  const visitor = await context.newPage();
  await visitor.goto('/');
  await visitorStarts(visitor, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` }, 'Thanks, that is all for now');
  return visitor;
}

/** The agent opens the visitor's conversation and closes it. */
async function agentCloses(agent: Page, name: string): Promise<void> {
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  await expect(agent.getByRole('log')).toContainText('Thanks, that is all for now');
  await agent.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(agent.locator('.pane-sub .status')).toHaveText('Closed');
}

/** The agent finds the conversation under Closed and opens it. */
async function fromClosed(agent: Page, name: string): Promise<void> {
  await agent.goto('/console');
  await agent.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Closed' }).click();
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  await expect(agent.getByRole('log')).toContainText('Thanks, that is all for now');
}

test('a follow-up written from Closed reopens the chat, and the visitor sees a badge and a preview on another page', async ({ browser }) => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  await signIn(agent);
  await roomForReplies(agent);
  const agentName = (await agent.locator('.me-name').first().evaluate((el) => el.firstChild?.textContent ?? '')).trim();
  const name = `Noa ${Date.now().toString(36)}`;
  const visitor = await visitorChats(browser, name);
  await visitor.keyboard.press('Escape');

  await agentCloses(agent, name);
  await fromClosed(agent, name);
  // no Reopen first: the composer says what writing does
  await expect(agent.getByText('This conversation is closed. Sending reopens it and assigns it to you.')).toBeVisible();
  await agent.getByLabel('Reply').fill('Your parcel left our warehouse today <3');
  await agent.getByLabel('Reply').press('Enter');
  await expect(agent.locator('.pane-sub .status')).toHaveText('Open');
  await expect(agent.getByRole('log')).toContainText(`Reopened by a follow-up from ${agentName}`);

  // the visitor comes back to another page of the site: the launcher says there is news before anything is opened
  const appRequests: string[] = [];
  visitor.on('request', (r) => /\/widget\/app-[\w-]+\.js$/.test(r.url()) && appRequests.push(r.url()));
  await visitor.goto('/overrides.html');
  const launcher = visitor.getByRole('button', { name: /^Ask a tea expert, 1 unread message$/ });
  await expect(launcher).toBeVisible();
  await expect(launcher.locator('b')).toHaveText('1');
  const preview = visitor.getByRole('button', { name: `${agentName}: Your parcel left our warehouse today <3` });
  await expect(preview).toBeVisible();
  await expect(visitor.getByRole('dialog')).toBeHidden();
  await visitor.screenshot({ path: `${artifacts}/launcher-badge-preview.png` });

  // clicking the preview opens the conversation at that message; the badge goes
  await preview.click();
  const log = visitor.getByRole('log');
  await expect(log).toContainText('Your parcel left our warehouse today <3');
  await expect(log.getByText('Your parcel left our warehouse today <3')).toBeInViewport();
  await expect(launcher).toHaveCount(0);
  await expect(visitor.getByRole('button', { name: 'Ask a tea expert', exact: true })).toBeVisible();
  await expect(preview).toBeHidden();

  // read here, read everywhere: once the read mark is stored, a fresh page shows no badge
  await expect
    .poll(() =>
      visitor.evaluate(async () => {
        const token = JSON.parse(localStorage.getItem('parley:demo') ?? '{}').token as string;
        return ((await (await fetch('/api/v1/sites/demo/unread', { method: 'POST', body: token })).json()) as { unread: number }).unread;
      }),
    )
    .toBe(0);
  await visitor.goto('/');
  await expect(visitor.getByRole('button', { name: 'Open chat', exact: true })).toBeVisible();
  await expect(visitor.getByRole('button', { name: /unread/ })).toHaveCount(0);
  expect(appRequests.length).toBeGreaterThan(0);
  await agentContext.close();
  await visitor.context().close();
});

/** A time zone where it is between midnight and 06:00 right now. */
function nightZone(): { zone: string; minutes: number } {
  const zones = ['Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Tokyo', 'Asia/Shanghai', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Moscow', 'Europe/Berlin', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'Pacific/Pago_Pago'];
  for (const zone of zones) {
    const [h, m] = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date()).split(':').map(Number);
    if (h! < 6) return { zone, minutes: h! * 60 + m! };
  }
  throw new Error('no zone at night');
}

test("a follow-up written in the contact's night is offered for their morning and sent then; an opted-out contact cannot be written to", async ({ browser }) => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const agent = await agentContext.newPage();
  await signIn(agent);
  await roomForReplies(agent);
  const night = nightZone();
  const name = `Ivo ${Date.now().toString(36)}`;
  const visitor = await visitorChats(browser, name, night.zone);

  await agentCloses(agent, name);
  await fromClosed(agent, name);
  await expect(agent.getByText(new RegExp(`^It is 0\\d:\\d\\d for ${name} \\([\\w/]+\\), outside 08:00–21:00\\.`))).toBeVisible();
  await agent.getByLabel('Reply').fill('Good morning! Your refund is on its way.');
  await agent.getByRole('button', { name: /^Send at \w{3} 08:00 their time$/ }).click();
  const scheduled = agent.getByRole('region', { name: 'Scheduled' });
  await expect(scheduled).toContainText('Good morning! Your refund is on its way.');
  await expect(scheduled).toContainText('08:00 their time');
  await expect(agent.getByLabel('Reply')).toHaveValue('');
  await agent.screenshot({ path: `${artifacts}/console-follow-up-scheduled.png` });
  // not sent yet: still closed, nothing in the visitor's chat
  await expect(agent.locator('.pane-sub .status')).toHaveText('Closed');
  await expect(visitor.getByRole('log')).not.toContainText('Good morning!');

  // their morning comes (the server's test clock moves on), and it goes out once
  const ms = (8 * 60 - night.minutes + 1) * 60_000;
  expect((await agent.request.post('/api/v1/test/clock', { data: { ms } })).status()).toBe(200);
  try {
    await expect(visitor.getByRole('log')).toContainText('Good morning! Your refund is on its way.');
    await expect(agent.locator('.pane-sub .status')).toHaveText('Open');
    await expect(scheduled).toHaveCount(0);
  } finally {
    expect((await agent.request.post('/api/v1/test/clock', { data: { ms: -ms } })).status()).toBe(200);
  }
  await expect(visitor.getByRole('log').getByText('Good morning! Your refund is on its way.')).toHaveCount(1);

  // the visitor opts out from the widget's menu; after the chat closes, the agent cannot write
  await visitor.getByRole('button', { name: 'More options' }).click();
  // this server has no SMTP_URL: nothing about email shows
  await expect(visitor.getByRole('button', { name: 'Email me this conversation' })).toHaveCount(0);
  await visitor.getByRole('button', { name: 'Stop follow-up messages' }).click();
  await expect(visitor.getByRole('status').filter({ hasText: 'You will get no follow-up messages once this chat is closed.' })).toBeVisible();
  await expect(visitor.getByRole('button', { name: 'Allow follow-up messages' })).toBeVisible();
  await agent.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(agent.locator('.pane-sub .status')).toHaveText('Closed');
  await expect(agent.getByLabel('Reply')).toBeDisabled();
  await expect(agent.getByText(new RegExp(`${name} opted out of follow-ups on`)).first()).toBeVisible();
  await expect(agent.getByRole('complementary', { name: 'Contact' })).toContainText('Follow-ups: opted out on');
  await expect(agent.getByRole('complementary', { name: 'Contact' })).toContainText('(from the chat widget)');
  await agentContext.close();
  await visitor.context().close();
});
