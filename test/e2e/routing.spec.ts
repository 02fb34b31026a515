import { type Page, expect, test } from '@playwright/test';
import type { PublicSiteConfig } from '../../protocol/src/index';
import { e2eAdmin } from '../../playwright.config';
import { artifacts, signIn } from './helpers';

const lucia = { email: 'lucia@northwind.example', password: 'lucia-password-long-enough', name: 'Lucía Fernández' };

/**
 * The queue positions the visitor's socket received, newest last (null once
 * assigned): from `conversation:updated` events and from the `conversation:join`
 * ack, which carries the place when the visitor (re)joins.
 */
function watchQueue(page: Page): (number | null)[] {
  const seen: (number | null)[] = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      const start = text.indexOf('[');
      if (start < 0) return;
      try {
        if (text.includes('conversation:updated')) {
          const [, body] = JSON.parse(text.slice(start)) as [string, { queuePosition?: number | null }];
          if (body && 'queuePosition' in body) seen.push(body.queuePosition ?? null);
        } else if (/^43(\/visitor,)?\d+\[/.test(text)) {
          const [ack] = JSON.parse(text.slice(start)) as [{ data?: { conversation?: { queuePosition?: number | null } } }];
          const conversation = ack?.data?.conversation;
          if (conversation && 'queuePosition' in conversation) seen.push(conversation.queuePosition ?? null);
        }
      } catch {
        // not a socket.io event or ack frame
      }
    });
  });
  return seen;
}

test('a Spanish-speaking visitor choosing Billing reaches the Spanish-speaking billing agent, waits in line while she is full, and gets her when a slot frees', async ({ browser, request }) => {
  // the admin creates Lucía's account; the config already puts her email in Billing and the Spanish desk
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  await signIn(admin, e2eAdmin.email, e2eAdmin.password);
  // earlier specs may have left conversations waiting in Billing: the admin closes them first
  // (page after page: the first page of open ones until there is none)
  for (let round = 0; round < 50; round++) {
    const open = (await (await admin.request.get('/api/v1/conversations?view=all&status=open&limit=100')).json()) as { conversations: { id: string }[] };
    if (open.conversations.length === 0) break;
    for (const c of open.conversations) {
      expect((await admin.request.post(`/api/v1/conversations/${c.id}/close`, { data: {} })).status()).toBe(200);
    }
  }
  expect(((await (await admin.request.get('/api/v1/conversations?view=all&status=open')).json()) as { conversations: unknown[] }).conversations).toEqual([]);
  await admin.getByRole('link', { name: 'Agents' }).click();
  await expect(admin.getByRole('heading', { name: 'Agents' })).toBeVisible();
  const form = admin.getByRole('form', { name: 'Add an agent' });
  await form.getByLabel('Name').fill(lucia.name);
  await form.getByLabel('Email').fill(lucia.email);
  await form.getByLabel('Initial password').fill('short');
  await form.getByRole('button', { name: 'Add agent' }).click();
  await expect(admin.getByRole('row', { name: new RegExp(lucia.name) })).toHaveCount(0);
  await form.getByLabel('Initial password').fill(lucia.password);
  await form.getByRole('button', { name: 'Add agent' }).click();
  await expect(admin.getByRole('status').filter({ hasText: `${lucia.name} can now sign in` })).toBeVisible();
  const row = admin.getByRole('row', { name: new RegExp(lucia.name) });
  await expect(row).toContainText('es, en');
  await expect(row).toContainText('0 / 2');
  await expect(row).toContainText('Billing, Spanish desk');
  // saving her unchanged keeps the capacity the config gives her inherited, not pinned as her own
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = admin.getByRole('form', { name: 'Edit agent' });
  await expect(edit.getByLabel('Capacity')).toHaveValue('');
  await expect(edit.getByLabel('Capacity')).toHaveAttribute('placeholder', '2 (default)');
  await admin.screenshot({ path: `${artifacts}/console-agent-edit.png`, fullPage: true });
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByRole('status').filter({ hasText: `Saved ${lucia.name}` })).toBeVisible();
  const listed = (await (await admin.request.get('/api/v1/agents')).json()) as { agents: { email: string; capacity: number; ownCapacity: number | null }[] };
  expect(listed.agents.find((a) => a.email === lucia.email)).toMatchObject({ capacity: 2, ownCapacity: null });

  // Lucía signs in: her console connects, so she is online, and shows her own conversations
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  await signIn(agent, lucia.email, lucia.password);
  await expect(agent.getByLabel('Presence')).toHaveValue('online');
  await expect(agent.getByRole('group', { name: 'Inbox view' }).getByRole('button', { name: 'Mine' })).toHaveAttribute('aria-pressed', 'true');
  await expect(admin.getByRole('row', { name: new RegExp(lucia.name) })).toContainText('online');

  // two Spanish speakers fill her two slots
  const stamp = Date.now().toString(36);
  for (const i of [1, 2]) {
    const res = await request.post('/api/v1/sites/demo/conversations', {
      data: { answers: { name: `Cliente ${i} ${stamp}`, email: `c${i}@example.com`, inquiryType: 'billing' }, consent: true, language: 'es' },
    });
    expect(res.status()).toBe(201);
  }
  const mine = agent.getByRole('list', { name: 'Conversations' });
  await expect(mine.getByRole('button', { name: new RegExp(`Cliente 1 ${stamp}`) })).toBeVisible();
  await expect(mine.getByRole('button', { name: new RegExp(`Cliente 2 ${stamp}`) })).toBeVisible();

  // a visitor whose browser speaks Spanish picks "Facturación" (Billing)
  const visitorContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 800 } });
  const visitor = await visitorContext.newPage();
  const positions = watchQueue(visitor);
  const name = `Marta ${stamp}`;
  await visitor.goto('/');
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  await visitor.getByLabel('Nombre').fill(name);
  await visitor.getByLabel('Correo electrónico').fill('marta@example.com');
  await visitor.getByLabel('Tipo de consulta').selectOption({ label: 'Facturación' });
  await visitor.getByRole('checkbox', { name: /Acepto/ }).check();
  await visitor.getByRole('button', { name: 'Iniciar chat' }).click();
  await expect(visitor.getByRole('log')).toBeVisible();

  // Lucía is full: the visitor is told their place in the queue, live
  await expect.poll(() => positions.includes(1)).toBe(true);
  const { ui } = (await (await request.get('/api/v1/sites/demo/config?lang=es')).json()) as PublicSiteConfig;
  const inLine = ui.queue.split('{n}')[0] as string;
  await expect(visitor.getByRole('status')).toContainText(ui.queue.replace('{n}', '1'));
  await expect(mine.getByRole('button', { name: new RegExp(name) })).toHaveCount(0);
  await agent.getByRole('group', { name: 'Inbox view' }).getByRole('button', { name: 'Unassigned' }).click();
  const waiting = mine.getByRole('button', { name: new RegExp(name) });
  await expect(waiting).toBeVisible();
  await expect(waiting).toContainText('Spanish desk');

  // she closes one conversation; the slot goes to the visitor at once
  await agent.getByRole('group', { name: 'Inbox view' }).getByRole('button', { name: 'Mine' }).click();
  await mine.getByRole('button', { name: new RegExp(`Cliente 1 ${stamp}`) }).click();
  await agent.getByRole('region', { name: 'Assignment' }).getByRole('button', { name: 'Close' }).click();
  await expect(mine.getByRole('button', { name: new RegExp(name) })).toBeVisible();
  await expect.poll(() => positions[positions.length - 1]).toBeNull();
  await expect(visitor.getByText(inLine)).toHaveCount(0);

  await mine.getByRole('button', { name: new RegExp(name) }).click();
  const bar = agent.getByRole('region', { name: 'Assignment' });
  await expect(bar).toContainText('Assigned to you');
  await expect(bar).toContainText('Team Spanish desk');
  await expect(bar).toContainText('Rule "Spanish speakers": language is es → team spanish, normal priority');
  await agent.getByLabel('Reply').fill('¡Hola Marta! Soy Lucía, ¿en qué puedo ayudarte con tu factura?');
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(visitor.getByRole('log')).toContainText('Soy Lucía');
  await agent.screenshot({ path: `${artifacts}/console-routing.png` });

  // the admin sees her load on the agents screen, and transfers with a note
  await expect(admin.getByRole('row', { name: new RegExp(lucia.name) })).toContainText('2 / 2');
  await admin.screenshot({ path: `${artifacts}/console-agents.png`, fullPage: true });
  await bar.getByRole('button', { name: 'Transfer…' }).click();
  await bar.getByLabel('Transfer to').selectOption('team:technical');
  await bar.getByLabel('Note for the next agent').fill('Needs a refund on invoice <42>');
  await agent.screenshot({ path: `${artifacts}/console-transfer.png` });
  await bar.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(bar).toContainText('Unassigned');
  await expect(bar).toContainText(`transferred to team Technical help by ${lucia.name}: "Needs a refund on invoice <42>"`);

  await adminContext.close();
  await agentContext.close();
  await visitorContext.close();
});
