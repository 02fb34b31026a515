import { expect, test } from '@playwright/test';
import { artifacts, signIn } from './helpers';

const AWAY = 'Nobody from Northwind Tea is available live right now';

test('after hours a visitor gets the away message once and the refund rule’s reply; an agent answers with a / quick reply', async ({ browser }) => {
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitor = await visitorContext.newPage();
  const agent = await agentContext.newPage();
  const name = `Mia ${Date.now().toString(36)}`;

  // the after-hours site's schedule is never open, whatever the time of the run
  const config = await (await visitor.request.get('/api/v1/sites/after-hours/config')).json();
  expect(config.availability).toMatchObject({ open: false, nextOpen: null, replyTime: 'by email, within one working day' });
  expect(config.business).toMatchObject({ name: 'Northwind Tea', email: 'help@northwind.example' });

  await visitor.goto('/after-hours');
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  // the header tells the visitor nobody is there right now
  await expect(visitor.getByRole('dialog').locator('header')).toContainText('Away');
  await visitor.getByLabel('Name').fill(name);
  await visitor.getByLabel('Email').fill('mia@example.com');
  await visitor.getByLabel('Inquiry type').selectOption('billing');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: 'Start chat' }).click();

  const message = visitor.getByLabel('Message', { exact: true });
  await message.fill('Hi, I would like a REFUND for my last order');
  await visitor.getByRole('button', { name: 'Send', exact: true }).click();
  const log = visitor.getByRole('log');
  await expect(log).toContainText(`Thanks for your message, ${name}. ${AWAY}`);
  await expect(log).toContainText(`Sorry to hear that, ${name}. You can return unopened tea within 30 days`);
  // auto-replies are the bot's, and say so
  await expect(log.getByText('Northwind Tea · automated', { exact: true }).first()).toBeVisible();

  // a second message gets the rule's reply again, but never a second away message
  await message.fill('Refund, please: it arrived broken');
  await message.press('Enter');
  await expect(log.getByText(/^Sorry to hear that/)).toHaveCount(2);
  await expect(log.getByText(AWAY, { exact: false })).toHaveCount(1);
  await visitor.screenshot({ path: `${artifacts}/widget-auto-replies.png` });

  // the agent answers with /thanks: chosen by keyboard, the contact's name filled in
  await signIn(agent);
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  const agentLog = agent.getByRole('log');
  await expect(agentLog).toContainText(AWAY);
  const reply = agent.getByLabel('Reply');
  await reply.click();
  await reply.press('/');
  const list = agent.getByRole('listbox', { name: 'Quick replies' });
  await expect(list).toBeVisible();
  await expect(list.getByRole('option')).toHaveCount(4);
  await reply.pressSequentially('than');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(list.getByRole('option', { selected: true })).toContainText('/thanks');
  await agent.screenshot({ path: `${artifacts}/console-quick-replies.png` });
  await reply.press('Enter');
  await expect(list).toBeHidden();
  await expect(reply).toHaveValue(`Thanks for chatting with us, ${name}! Anything else I can do for you?`);
  await reply.press('Enter');
  await expect(log).toContainText(`Thanks for chatting with us, ${name}! Anything else I can do for you?`);
  await expect(reply).toHaveValue('');

  // and with the mouse, after some text of the agent's own; Escape closes the list
  await reply.fill('One more thing. ');
  await reply.press('End');
  await reply.pressSequentially('/ord');
  await expect(list).toBeVisible();
  await reply.press('Escape');
  await expect(list).toBeHidden();
  await reply.press('Backspace');
  await reply.pressSequentially('d');
  await expect(list).toBeVisible();
  await list.getByRole('option', { name: /\/order/ }).click();
  await expect(reply).toHaveValue(`One more thing. Could you tell me your order number, ${name}? It starts with NW- and is in your confirmation email.`);
  await agent.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(log).toContainText(`Could you tell me your order number, ${name}?`);
  // an agent's words never trigger auto-replies: still two rule replies and one away message
  await expect(log.getByText(/^Sorry to hear that/)).toHaveCount(2);
  await expect(log.getByText(AWAY, { exact: false })).toHaveCount(1);

  await agentContext.close();
  await visitorContext.close();
});

test('an admin edits quick replies in the console and a bad template is refused with its path', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Auto-replies' }).click();
  await expect(page).toHaveURL(/\/console\/auto-replies$/);
  await expect(page.getByRole('heading', { name: 'Auto-replies', exact: true })).toBeVisible();
  const section = page.getByRole('region', { name: 'Quick replies' });
  await expect(section.getByLabel('Shortcut').first()).toHaveValue('hello');
  await page.screenshot({ path: `${artifacts}/console-auto-replies-quick.png` });

  await section.getByRole('button', { name: 'Add a quick reply' }).click();
  await section.getByLabel('Shortcut').last().fill('later');
  await section.getByLabel('Text').last().fill('Talk soon, {{contact.nmae}}!');
  await section.getByRole('button', { name: 'Save quick replies' }).click();
  await expect(section.getByRole('alert')).toContainText('unknown variable {{contact.nmae}}');
  await expect(section.getByText('unknown variable {{contact.nmae}}').last()).toBeVisible();

  await section.getByLabel('Text').last().fill('Talk soon, {{contact.name | "friend"}}!');
  await section.getByRole('button', { name: 'Save quick replies' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(section.getByText('Saved in the console')).toBeVisible();

  const scopes = page.getByRole('region', { name: 'Auto-replies, hours and rules' });
  await scopes.getByLabel('Setting').selectOption('site:after-hours');
  await expect(scopes.getByLabel('JSON')).toHaveValue(/Nobody from \{\{business\.name\}\}/);
  await scopes.getByLabel('JSON').fill('{ "hours": { "timeZone": "Mars/Olympus" } }');
  await scopes.getByRole('button', { name: 'Save' }).click();
  await expect(scopes.getByRole('alert')).toContainText('value.hours.timeZone');
  await scopes.getByRole('alert').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/console-auto-replies-admin.png`, fullPage: true });

  await section.getByRole('button', { name: 'Reset to the config file' }).click();
  await expect(section.getByText('From the config file')).toBeVisible();
  await expect(section.getByLabel('Shortcut')).toHaveCount(4);
  await page.getByRole('button', { name: '← Back to the inbox' }).click();
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
});
