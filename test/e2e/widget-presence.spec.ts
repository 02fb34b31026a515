import { expect, test } from '@playwright/test';
import { artifacts, roomForReplies, signIn } from './helpers';

test('the visitor sees the agent typing by name, and "Seen" once the agent opens the conversation', async ({ browser }) => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  const visitor = await visitorContext.newPage();
  const name = `Pia ${Date.now().toString(36)}`;

  await signIn(agent);
  await roomForReplies(agent);
  // the signed-in agent's name, without the role badge beside it
  const agentName = (await agent.locator('.me-name').first().evaluate((el) => el.firstChild?.textContent ?? '')).trim();
  expect(agentName.length).toBeGreaterThan(0);

  await visitor.goto('/');
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  await visitor.getByLabel('Name').fill(name);
  await visitor.getByLabel('Email').fill('pia@example.com');
  await visitor.getByLabel('Inquiry type').selectOption('billing');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: 'Start chat' }).click();
  const message = visitor.getByLabel('Message', { exact: true });
  await message.fill('Where is my <b>parcel</b>?');
  await visitor.getByRole('button', { name: 'Send' }).click();
  const log = visitor.getByRole('log');
  await expect(log).toContainText('Where is my <b>parcel</b>?');
  // nobody has read it yet
  await expect(log.getByText('Seen')).toHaveCount(0);

  // the agent opens it: the visitor's last message reads "Seen"
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  await expect(agent.getByRole('log')).toContainText('Where is my <b>parcel</b>?');
  await expect(log.locator('.msg.mine').last().getByText('Seen')).toBeVisible();

  // the widget told the server the page it is on
  const pages = agent.getByRole('complementary', { name: 'Contact' }).getByRole('list', { name: 'Pages seen' });
  await expect(pages).toContainText(await visitor.title());

  // the agent types: the visitor is told who, in a polite live region
  await agent.getByLabel('Reply').pressSequentially('Let me look', { delay: 40 });
  // the name sits between FSI and PDI: a name written right to left, or with an override, cannot reorder the sentence
  const typing = visitor.getByText(`\u2068${agentName}\u2069 is typing…`);
  await expect(typing).toBeVisible();
  await expect(typing).toHaveAttribute('aria-live', 'polite');
  await visitor.screenshot({ path: `${artifacts}/widget-typing-seen.png` });

  // the reply arrives: the typing line goes away
  await agent.getByLabel('Reply').press('Enter');
  await expect(log).toContainText('Let me look');
  await expect(typing).toHaveCount(0);
  // the agent's name above their message and in the header is isolated from the text around it (as <bdi> would)
  const author = log.locator('.author', { hasText: agentName }).first();
  await expect(author).toHaveCSS('unicode-bidi', 'isolate');
  await expect(visitor.getByRole('dialog').getByRole('heading', { name: agentName })).toHaveCSS('unicode-bidi', 'isolate');

  await agentContext.close();
  await visitorContext.close();
});
