import { expect, test } from '@playwright/test';
import { artifacts, signIn, visitorStarts } from './helpers';

test('a visitor starts a chat from the demo site and an agent answers it live', async ({ browser }) => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  const visitor = await visitorContext.newPage();
  const name = `Ana ${Date.now().toString(36)}`;

  await signIn(agent);

  // the visitor meets the launcher, then the survey
  await visitor.goto('/');
  const launcher = visitor.getByRole('button', { name: /chat/i }).first();
  await expect(launcher).toBeVisible();
  await launcher.click();
  await expect(visitor.getByLabel('Name')).toBeFocused();

  // the survey refuses to start without the required answers and consent
  await visitor.getByRole('button', { name: 'Start chat' }).click();
  await expect(visitor.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(visitor.getByLabel('Name')).toBeFocused();

  await visitor.getByLabel('Name').fill(name);
  await expect(visitor.getByLabel('Name')).not.toHaveAttribute('aria-invalid', 'true');
  await visitor.getByLabel('Email').fill('ana@example.com');
  await visitor.getByLabel('Inquiry type').selectOption('billing');
  await visitor.screenshot({ path: `${artifacts}/widget-survey.png` });
  await visitor.getByRole('button', { name: 'Start chat' }).click();
  await expect(visitor.getByRole('checkbox', { name: /I agree/ })).toHaveAttribute('aria-invalid', 'true');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: 'Start chat' }).click();

  // the conversation appears in the agent's inbox without a reload
  const row = agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) });
  await expect(row).toBeVisible();

  const message = visitor.getByLabel('Message', { exact: true });
  await expect(message).toBeVisible();
  await message.fill('Hello, my order #1042 has not arrived <b>yet</b>');
  await visitor.getByRole('button', { name: 'Send' }).click();
  const visitorLog = visitor.getByRole('log');
  await expect(visitorLog).toContainText('my order #1042 has not arrived <b>yet</b>');

  // the agent opens it, reads the survey answers and the history, and replies
  await row.click();
  const contact = agent.getByRole('complementary', { name: 'Contact' });
  await expect(contact).toContainText(name);
  await expect(contact).toContainText('ana@example.com');
  await expect(contact).toContainText('Inquiry type');
  await expect(contact).toContainText('Billing');
  const agentLog = agent.getByRole('log');
  await expect(agentLog).toContainText('my order #1042 has not arrived <b>yet</b>');
  await agent.getByLabel('Reply').fill('Sorry about that! It left our warehouse this morning.');
  await agent.getByRole('button', { name: 'Send' }).click();

  // the visitor sees the reply live, and the agent the visitor's next message
  await expect(visitorLog).toContainText('It left our warehouse this morning.');
  await message.fill('Great, thank you!');
  await message.press('Enter');
  await expect(agentLog).toContainText('Great, thank you!');
  await visitor.screenshot({ path: `${artifacts}/widget-chat.png` });
  await agent.screenshot({ path: `${artifacts}/console-conversation.png` });

  // reloading keeps the conversation and its whole history
  await visitor.reload();
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  const reloadedLog = visitor.getByRole('log');
  await expect(reloadedLog).toContainText('my order #1042 has not arrived <b>yet</b>');
  await expect(reloadedLog).toContainText('It left our warehouse this morning.');
  await expect(reloadedLog).toContainText('Great, thank you!');
  await expect(visitor.getByLabel('Name')).toHaveCount(0);

  // and chatting goes on after the reload
  await visitor.getByLabel('Message', { exact: true }).fill('One more question after reloading');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await expect(agentLog).toContainText('One more question after reloading');

  await agentContext.close();
  await visitorContext.close();
});

test('text that looks like HTML is shown as text, never run', async ({ page, browser }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await page.goto('/');
  await page.getByRole('button', { name: /chat/i }).first().click();
  await page.getByLabel('Name').fill('<img src=x onerror=alert(1)>');
  await page.getByLabel('Email').fill('xss@example.com');
  await page.getByLabel('Inquiry type').selectOption('other');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.getByLabel('Message', { exact: true }).fill('<script>alert(2)</script><img src=x onerror=alert(3)>');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('log')).toContainText('<script>alert(2)</script>');
  expect(await page.locator('#parley-widget').evaluate((host) => host.shadowRoot?.querySelectorAll('[role=log] img, [role=log] script').length)).toBe(0);

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  agent.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await signIn(agent);
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /<img src=x/ }).first().click();
  await expect(agent.getByRole('log')).toContainText('<script>alert(2)</script>');
  expect(await agent.locator('[role=log] img, [role=log] script').count()).toBe(0);
  expect(dialogs).toBe(0);
  await agentContext.close();
});

test('the visitor’s socket receives its own message once, as the ack (echo: false), while a second tab of theirs gets it live', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const first = await context.newPage();
  const frames: string[] = [];
  first.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await first.goto('/');
  await visitorStarts(first, { name: `Echo ${Date.now().toString(36)}`, email: 'echo@example.com' }, 'First message');
  // a second tab of the same visitor, open on the chat
  const second = await context.newPage();
  await second.goto('/');
  await second.getByRole('button', { name: /chat/i }).first().click();
  await expect(second.getByRole('log')).toContainText('First message');
  const text = `Only once ${Date.now().toString(36)}`;
  await first.getByLabel('Message', { exact: true }).fill(text);
  await first.getByRole('button', { name: 'Send' }).click();
  await expect(second.getByRole('log')).toContainText(text);
  await expect(first.getByRole('log').getByText(text)).toHaveCount(1);
  // in the first tab's frames: the ack carries it (43…), no message:new does (42…)
  const carrying = frames.filter((f) => f.includes(text));
  expect(carrying.filter((f) => /^43\/visitor,/.test(f))).toHaveLength(1);
  expect(carrying.filter((f) => /^42\/visitor,\["message:new"/.test(f))).toHaveLength(0);
  await context.close();
});
