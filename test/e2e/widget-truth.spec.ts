import { type Page, expect, test } from '@playwright/test';
import { roomForReplies, signIn } from './helpers';

/** Opens the widget on the demo page and starts a chat as `name`. */
async function startChat(visitor: Page, name: string): Promise<void> {
  await visitor.goto('/');
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  await visitor.getByLabel('Name').fill(name);
  await visitor.getByLabel('Email').fill('truth@example.com');
  await visitor.getByLabel('Inquiry type').selectOption('billing');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: 'Start chat' }).click();
  await expect(visitor.getByLabel('Message', { exact: true })).toBeVisible();
}

const conversationOf = async (visitor: Page): Promise<string> =>
  (await visitor.evaluate(() => JSON.parse(localStorage.getItem('parley:demo') ?? '{}') as { conversationId: string })).conversationId;

test('after an agent answers, the widget names them, drops the queue, shows times, and rates below the last messages', async ({ browser }) => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  const visitor = await visitorContext.newPage();
  const name = `Tru ${Date.now().toString(36)}`;

  await signIn(agent);
  await roomForReplies(agent);
  const agentName = (await agent.locator('.me-name').first().evaluate((el) => el.firstChild?.textContent ?? '')).trim();

  await startChat(visitor, name);
  const panel = visitor.getByRole('dialog');
  const header = panel.locator('header');
  const message = visitor.getByLabel('Message', { exact: true });
  const log = visitor.getByRole('log');

  // a field of 16 px or more: a phone does not zoom the page when it gets focus
  for (const field of [message, log.locator('xpath=..').locator('textarea, input, select').first()]) {
    expect(await field.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
  }

  // a domain without a scheme stays text; a day separator and each message's time show
  await message.fill('My order is on www.example.com, see https://example.com/order/1042');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await expect(log).toContainText('www.example.com');
  await expect(log.getByRole('link')).toHaveCount(1);
  await expect(log.getByRole('link')).toHaveAttribute('href', 'https://example.com/order/1042');
  await expect(log.locator('.day').first()).toHaveText('Today');
  await expect(log.locator('.msg.mine time').last()).toHaveText(/^\d{1,2}:\d{2}( [AP]M)?$/);

  // the agent answers: the header names them, with initials hidden from screen readers; no queue, no "away"
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  await agent.getByLabel('Reply').fill('Found it: your tea left the warehouse this morning.');
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(log).toContainText('your tea left the warehouse');
  await expect(header.getByRole('heading', { name: agentName })).toBeVisible();
  await expect(header.locator('.av')).toHaveAttribute('aria-hidden', 'true');
  await expect(header.locator('.av')).toHaveText(
    agentName
      .split(/\s+/)
      .filter((w, i, all) => i === 0 || i === all.length - 1)
      .map((w) => w[0]!.toUpperCase())
      .join(''),
  );
  await expect(header).not.toContainText('Leave us a message');
  await expect(header).not.toContainText(/Away|Back on/);
  await expect(panel.getByText(/in line/)).toHaveCount(0);
  await expect(log.locator('.msg.theirs time').last()).toBeVisible();

  // near the limit a counter shows; past it a message says so and sending is refused, nothing cut
  await message.fill('x'.repeat(4950));
  await expect(panel.locator('.count')).toHaveText('4,950 / 5,000');
  await message.fill('y'.repeat(5001));
  const tooLong = panel.getByRole('alert');
  await expect(tooLong).toContainText('This message is too long. Please shorten it to 5,000 characters.');
  await expect(message).toHaveAttribute('aria-invalid', 'true');
  await visitor.screenshot({ path: '/tmp/widget-truth-limit.png' });
  await visitor.getByRole('button', { name: 'Send' }).click();
  await expect(message).toHaveValue('y'.repeat(5001));
  await expect(log).not.toContainText('yyyyyyyyyy');
  await message.fill('');
  await expect(panel.locator('.count')).toHaveCount(0);

  // the agent closes: the rating shows below the last messages, both in view
  const closed = await agent.request.post(`/api/v1/conversations/${await conversationOf(visitor)}/close`, { data: {} });
  expect(closed.status()).toBe(200);
  const rating = panel.locator('form.ended');
  await expect(rating.getByRole('radio')).toHaveCount(5);
  const lastAnswer = log.locator('.msg.theirs').last();
  await expect(lastAnswer).toBeInViewport({ ratio: 1 });
  await expect(rating.getByRole('group', { name: 'How was your conversation?' })).toBeInViewport();
  await expect(rating.getByRole('button', { name: 'Send rating' })).toBeInViewport();
  await visitor.screenshot({ path: '/tmp/widget-truth.png' });

  // sending without a score: the widget's own alert, not the browser's bubble
  await expect(rating).toHaveAttribute('novalidate', '');
  await rating.getByRole('button', { name: 'Send rating' }).click();
  await expect(rating.getByRole('alert')).toHaveText('Choose from 1 to 5 stars.');
  await rating.getByRole('radio', { name: 'Great' }).check({ force: true });
  await rating.getByRole('button', { name: 'Send rating' }).click();
  await expect(panel.getByText('Thank you for your feedback!')).toBeVisible();
  await expect(lastAnswer).toBeInViewport();

  await agentContext.close();
  await visitorContext.close();
});

test('a chat closed before any person answered asks no rating and offers a new chat', async ({ browser }) => {
  const agentContext = await browser.newContext();
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  const visitor = await visitorContext.newPage();
  await signIn(agent);

  await startChat(visitor, `Nob ${Date.now().toString(36)}`);
  await visitor.getByLabel('Message', { exact: true }).fill('Is anyone there?');
  await visitor.getByRole('button', { name: 'Send' }).click();
  const log = visitor.getByRole('log');
  await expect(log.locator('.msg.mine').last()).not.toHaveClass(/pending/);

  const closed = await agent.request.post(`/api/v1/conversations/${await conversationOf(visitor)}/close`, { data: {} });
  expect(closed.status()).toBe(200);
  const panel = visitor.getByRole('dialog');
  await expect(panel.getByText('This conversation has ended.')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Start a new chat' })).toBeFocused();
  await expect(panel.getByRole('radio')).toHaveCount(0);
  await expect(panel.getByText('How was your conversation?')).toHaveCount(0);
  await expect(log.locator('.msg.mine').last()).toBeInViewport();

  await agentContext.close();
  await visitorContext.close();
});
