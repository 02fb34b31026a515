import { mkdirSync } from 'node:fs';
import { type Page, expect } from '@playwright/test';
import { type Socket, io } from 'socket.io-client';
import type { AgentClientEvents, AgentServerEvents } from '../../protocol/src/index';
import { baseURL, e2eAdmin } from '../../playwright.config';

/** Where specs save the screenshots a person looks at (git-ignored). */
export const artifacts = 'test/artifacts';
mkdirSync(artifacts, { recursive: true });

/** Signs in at /console as an agent (the e2e admin by default) and waits for the inbox. */
export async function signIn(page: Page, email = e2eAdmin.email, password = e2eAdmin.password): Promise<void> {
  await page.goto('/console');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
}

/**
 * Gives the signed-in admin room for more conversations: a reply to an unassigned conversation
 * claims it within the agent's capacity (3 in the demo), and specs that ran before have taken some.
 */
export async function roomForReplies(page: Page): Promise<void> {
  const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { id: string };
  expect((await page.request.patch(`/api/v1/agents/${me.id}`, { data: { capacity: 50 } })).status()).toBe(200);
}

/**
 * The agent signed in on `page` answers a conversation over a socket of their own (the reply claims
 * it when unassigned): for specs that need a person to have answered, as the widget asks for a
 * rating only then.
 */
export async function agentReplies(page: Page, conversationId: string, text: string): Promise<void> {
  await roomForReplies(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const socket: Socket<AgentServerEvents, AgentClientEvents> = io(`${baseURL}/agent`, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const ack = await socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId: crypto.randomUUID(), text });
    expect(ack).toMatchObject({ ok: true });
  } finally {
    socket.disconnect();
  }
}

/**
 * A visitor on `page` opens the launcher (unless the panel is open already), answers the demo
 * survey (about billing unless told otherwise) and sends a first message.
 */
export async function visitorStarts(
  page: Page,
  answers: { name: string; email: string; inquiryType?: string },
  message: string,
  { open = true }: { open?: boolean } = {},
): Promise<void> {
  if (open) await page.getByRole('button', { name: /chat/i }).first().click();
  await page.getByLabel('Name').fill(answers.name);
  await page.getByLabel('Email').fill(answers.email);
  await page.getByLabel('Inquiry type').selectOption(answers.inquiryType ?? 'billing');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.getByLabel('Message', { exact: true }).fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('log')).toContainText(message);
}
