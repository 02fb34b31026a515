import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { type Socket, io } from 'socket.io-client';
import type { Ack, Message, StartConversationResult, VisitorClientEvents, VisitorServerEvents } from '../../protocol/src/index';
import { baseURL, e2eAdmin } from '../../playwright.config';
import { artifacts, signIn } from './helpers';
import { unique } from './console-visitors';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/** A visitor over the public API with a socket that records every event it receives. */
async function visitor(name: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${baseURL}/api/v1/sites/demo/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' },
    body: JSON.stringify({ answers: { name, email: 'e2e.visitor@example.com', inquiryType: 'shipping', orderId: 'NW-20417', ...extra }, consent: true, pageUrl: `${baseURL}/`, timeZone: 'Asia/Tokyo' }),
  });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  const started = (await res.json()) as StartConversationResult;
  const socket: VisitorSocket = io(`${baseURL}/visitor`, { auth: { token: started.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const heard: string[] = [];
  socket.onAny((event, ...args) => heard.push(`${event} ${JSON.stringify(args)}`));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const { conversationId } = started;
  await socket.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
  const say = async (text: string): Promise<Message> => {
    const ack = (await socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId: crypto.randomUUID(), text })) as Ack<{ message: Message }>;
    if (!ack.ok) throw new Error(ack.message);
    return ack.data.message;
  };
  return { conversationId, socket, heard, say };
}

test('a private note stays with the agents; labels, typing and Seen go live; the contact panel tells who it is', async ({ browser }) => {
  const name = unique('Mika');
  const v = await visitor(name);
  await v.say('My order NW-20417 has not arrived');
  await v.socket.timeout(5000).emitWithAck('page:view', { conversationId: v.conversationId, url: `${baseURL}/shipping`, title: 'Shipping times' });

  const adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const otherContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  const other = await otherContext.newPage();
  await signIn(admin);
  await signIn(other);
  await admin.goto(`/console/conversations/${v.conversationId}`);
  await other.goto(`/console/conversations/${v.conversationId}`);
  const pane = admin.getByRole('main', { name: new RegExp(`Conversation with ${name}`) });
  await expect(pane.getByText('My order NW-20417 has not arrived')).toBeVisible();

  // a note: shown to both agents as a note, never to the visitor
  await admin.getByRole('tab', { name: 'Note' }).click();
  await admin.getByLabel('Note').fill('Reseller account <b>no discount</b>');
  await admin.getByLabel('Note').press('Enter');
  for (const page of [admin, other]) {
    const note = page.locator('.msg.note').filter({ hasText: 'Reseller account <b>no discount</b>' });
    await expect(note).toBeVisible();
    await expect(note).toContainText('Private note');
  }

  // a reply, then the visitor reads it: "Seen"
  await admin.getByRole('tab', { name: 'Reply' }).click();
  await admin.getByLabel('Reply').fill('Let me check the tracking for you.');
  await admin.getByLabel('Reply').press('Enter');
  await expect(pane.getByText('Let me check the tracking for you.')).toBeVisible();
  const last = await v.socket.timeout(5000).emitWithAck('conversation:join', { conversationId: v.conversationId, afterSeq: 0 });
  const seq = last.ok ? last.data.conversation.lastSeq : 0;
  await v.socket.timeout(5000).emitWithAck('conversation:read', { conversationId: v.conversationId, seq });
  await expect(pane.locator('.msg.agent').last().getByText('Seen')).toBeVisible();

  // the visitor types: the agent sees it, with the preview the demo site enables
  v.socket.emit('typing', { conversationId: v.conversationId, typing: true, preview: 'is it lost' });
  await expect(admin.getByText(`${name} is typing…`)).toBeVisible();
  await expect(admin.getByText('is it lost')).toBeVisible();

  // a label added by one agent shows in the other's browser, live
  await pane.getByRole('button', { name: 'Add label' }).click();
  await pane.getByRole('combobox', { name: 'Add label' }).selectOption('Pending payment');
  await expect(other.getByRole('list', { name: 'Labels of the conversation' }).getByText('Pending payment')).toBeVisible();
  await expect(pane.getByText('Label “Pending payment” added by')).toBeVisible();

  // the contact panel: answers with their labels, local time, browser, pages seen
  const contact = admin.getByRole('complementary', { name: 'Contact' });
  await expect(contact.getByText('NW-20417')).toBeVisible();
  await expect(contact.getByText('Shipping', { exact: true })).toBeVisible();
  await expect(contact.getByText(/\(Asia\/Tokyo\)/)).toBeVisible();
  await expect(contact.getByText('Chrome 131 on Windows')).toBeVisible();
  await expect(contact.getByRole('list', { name: 'Pages seen' }).getByText('Shipping times')).toBeVisible();
  await contact.getByLabel('Attribute name').fill('plan');
  await contact.getByLabel('Attribute value').fill('Gold');
  await contact.getByRole('button', { name: 'Save' }).click();
  await expect(contact.getByText('Gold')).toBeVisible();

  await admin.screenshot({ path: `${artifacts}/console-conversation-note-labels.png` });
  const axe = await new AxeBuilder({ page: admin }).analyze();
  expect(axe.violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => `${x.id}: ${x.help} ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  expect(v.heard.join('\n')).not.toContain('Reseller');
  expect(v.heard.join('\n')).toContain('Let me check the tracking');
  const rejoin = await v.socket.timeout(5000).emitWithAck('conversation:join', { conversationId: v.conversationId, afterSeq: 0 });
  expect(JSON.stringify(rejoin)).not.toContain('Reseller');
  // the reply took the conversation: closing it gives the slot back
  await admin.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(pane.getByText(/^Closed by/)).toBeVisible();
  v.socket.disconnect();
  await adminContext.close();
  await otherContext.close();
});

test('a name with a right-to-left override cannot pass for another file name', async ({ page }) => {
  const v = await visitor(`invoice\u202Egnp.exe`);
  await v.say('see attached');
  await signIn(page);
  await page.goto(`/console/conversations/${v.conversationId}`);
  const contact = page.getByRole('complementary', { name: 'Contact' });
  await expect(contact.getByRole('heading', { level: 2 })).toHaveText('invoice⟨RLO⟩gnp.exe');
  v.socket.disconnect();
});

test('a conversation of 1,000 messages opens at its end and loads earlier ones on scroll', async ({ page }) => {
  const v = await visitor(unique('Long'));
  for (let i = 1; i <= 1000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => v.say(`line ${String(i + j).padStart(4, '0')}`)));
  }
  await signIn(page, e2eAdmin.email, e2eAdmin.password);
  const started = Date.now();
  await page.goto(`/console/conversations/${v.conversationId}`);
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.locator('.msg')).toHaveCount(50);
  const settled = Date.now() - started;
  expect(settled).toBeGreaterThan(0);
  const lastText = await log.locator('.msg .bubble').last().textContent();
  expect(Number(lastText?.replace('line ', ''))).toBeGreaterThan(950);
  await log.evaluate((el) => (el.scrollTop = 0));
  await expect(log.locator('.msg')).toHaveCount(100);
  v.socket.disconnect();
});

test('an admin adds a label to the catalogue and an agent can pick it at once; a duplicate is refused', async ({ browser }) => {
  const v = await visitor(unique('Lara'));
  await v.say('Please gift-wrap it');
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  const agent = await agentContext.newPage();
  await signIn(admin);
  await signIn(agent);
  await agent.goto(`/console/conversations/${v.conversationId}`);
  await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Labels' }).click();
  await expect(admin).toHaveURL(/\/console\/labels$/);
  await expect(admin.getByRole('list', { name: 'Labels' }).getByText('Pending payment')).toBeVisible();
  const name = unique('Gift');
  const form = admin.getByRole('form', { name: 'New label' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Description').fill('Wrap <b>nicely</b>');
  await form.getByRole('button', { name: 'Add label' }).click();
  await expect(admin.getByRole('list', { name: 'Labels' }).getByText(name)).toBeVisible();
  const axe = await new AxeBuilder({ page: admin }).analyze();
  expect(axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id}: ${x.help}`)).toEqual([]);
  await admin.screenshot({ path: `${artifacts}/console-labels-admin.png` });

  // the agent's picker has it without a reload
  const pane = agent.getByRole('main', { name: /Conversation with/ });
  await pane.getByRole('button', { name: 'Add label' }).click();
  await pane.getByRole('combobox', { name: 'Add label' }).selectOption(name);
  await expect(pane.getByRole('list', { name: 'Labels of the conversation' }).getByText(name)).toBeVisible();
  await pane.getByRole('button', { name: `Remove label ${name}` }).click();
  await expect(pane.getByRole('list', { name: 'Labels of the conversation' }).getByText(name)).toHaveCount(0);

  // a duplicate is refused with the server's sentence
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Add label' }).click();
  await expect(admin.getByRole('alert')).toContainText('exists');
  v.socket.disconnect();
  await adminContext.close();
  await agentContext.close();
});
