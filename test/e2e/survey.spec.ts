import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page, expect, test } from '@playwright/test';
import type { PublicSiteConfig } from '../../protocol/src/index';
import { agentReplies, artifacts, signIn } from './helpers';

/** What the server sends the widget in a language: the words the visitor must see. */
async function siteConfig(request: APIRequestContext, lang: string): Promise<PublicSiteConfig> {
  const res = await request.get(`/api/v1/sites/demo/config?lang=${lang}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as PublicSiteConfig;
}

/** Serious or critical axe violations inside the widget only (the demo shop is not ours to judge here). */
async function widgetViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('#parley-widget').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const stored = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('parley:demo') ?? 'null') as { conversationId?: string; token?: string } | null);

test('a Spanish visitor meets the owner’s Spanish survey, is refused field by field, and the agent reads the answers', async ({ browser, request }) => {
  const es = await siteConfig(request, 'es');
  const visitorContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 860 } });
  const visitor = await visitorContext.newPage();
  const name = `Lucía ${Date.now().toString(36)}`;

  await visitor.goto('/?utm_campaign=oto%C3%B1o');
  await visitor.getByRole('button', { name: es.ui.openChat }).click();
  // the owner's Spanish title; while the team is away (by the wall clock) the owner's Spanish away title
  const title = es.availability?.open === false ? 'Déjanos un mensaje' : 'Atención al cliente de Northwind Tea';
  const panel = visitor.getByRole('dialog', { name: title });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('¡Hola! Cuéntanos quién eres');
  const nameBox = visitor.getByRole('textbox', { name: 'Nombre' });
  await expect(nameBox).toBeFocused();
  const start = visitor.getByRole('button', { name: 'Iniciar chat' });

  // nothing filled in: every required field says so inline, announced, and the caret goes to the first
  await start.click();
  await expect(nameBox).toHaveAttribute('aria-invalid', 'true');
  await expect(nameBox).toBeFocused();
  await expect(nameBox).toHaveAccessibleDescription(es.messages.required);
  await expect(visitor.getByRole('textbox', { name: 'Correo electrónico' })).toHaveAccessibleDescription(es.messages.required);
  await expect(visitor.getByRole('combobox', { name: 'Tipo de consulta' })).toHaveAttribute('aria-invalid', 'true');
  await visitor.screenshot({ path: `${artifacts}/survey-es-errors.png` });

  // a bad email and a malformed order ID are refused with their own words
  await nameBox.fill(name);
  await expect(nameBox).not.toHaveAttribute('aria-invalid', 'true');
  const email = visitor.getByRole('textbox', { name: 'Correo electrónico' });
  await email.fill('lucia@');
  const order = visitor.getByRole('textbox', { name: 'Número de pedido' });
  await order.fill('12345');
  await visitor.getByRole('combobox', { name: 'Tipo de consulta' }).selectOption({ label: 'Facturación' });
  await start.click();
  await expect(email).toBeFocused();
  await expect(email).toHaveAccessibleDescription(es.messages.email);
  await expect(order).toHaveAccessibleDescription(/El número de pedido tiene la forma NW-12345/);

  // without the required consent nothing starts
  await email.fill('lucia@example.com');
  await order.fill('NW-40213');
  await start.click();
  const consent = visitor.getByRole('checkbox', { name: /Acepto que mis datos/ });
  await expect(consent).toHaveAttribute('aria-invalid', 'true');
  await expect(consent).toBeFocused();
  await expect(consent).toHaveAccessibleDescription(es.messages.consent);
  expect((await stored(visitor))?.conversationId).toBeUndefined();

  await consent.check();
  await start.click();
  await expect(visitor.getByRole('textbox', { name: es.ui.message })).toBeVisible();
  const conversationId = (await stored(visitor))?.conversationId;
  expect(conversationId).toBeTruthy();

  // the agent finds the answers, in the words the visitor saw, and the consent on the contact
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const agent = await agentContext.newPage();
  await signIn(agent);
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  const contact = agent.getByRole('complementary', { name: 'Contact' });
  await expect(contact).toContainText(name);
  await expect(contact).toContainText('lucia@example.com');
  await expect(contact).toContainText('Número de pedido');
  await expect(contact).toContainText('NW-40213');
  await expect(contact).toContainText('Tipo de consulta');
  await expect(contact).toContainText('otoño');
  await expect(contact).toContainText('Acepto que mis datos se traten para responder a mi consulta.');
  await agent.screenshot({ path: `${artifacts}/console-survey-answers.png` });

  await agentContext.close();
  await visitorContext.close();
});

for (const [locale, lang, labels] of [
  ['en-US', 'en', ['Name', 'Email', 'Start chat']],
  ['ru-RU', 'ru', ['Имя', 'Электронная почта', 'Начать чат']],
  ['zh-CN', 'zh-CN', ['姓名', '电子邮箱', '开始聊天']],
  ['ar-EG', 'ar', ['الاسم', 'البريد الإلكتروني', 'ابدأ المحادثة']],
] as const) {
  test(`the survey speaks ${lang}, in the owner's labels and the widget's own words`, async ({ browser, request }) => {
    const config = await siteConfig(request, lang);
    const context = await browser.newContext({ locale, viewport: { width: 900, height: 860 } });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: config.ui.openChat }).click();
    const [nameLabel, emailLabel, startText] = labels;
    await expect(page.getByRole('textbox', { name: nameLabel })).toBeFocused();
    await expect(page.getByRole('textbox', { name: emailLabel })).toBeVisible();
    await expect(page.getByRole('link', { name: config.ui.privacyPolicy })).toHaveAttribute('href', 'https://example.com/privacy');
    await expect(page.getByRole('dialog')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
    await page.getByRole('button', { name: startText }).click();
    await expect(page.getByRole('textbox', { name: nameLabel })).toHaveAccessibleDescription(config.messages.required);
    await page.getByRole('textbox', { name: nameLabel }).fill(lang === 'ar' ? 'ليلى' : lang === 'ru' ? 'Ольга' : lang === 'zh-CN' ? '李雷' : 'Ana');
    await page.screenshot({ path: `${artifacts}/survey-${lang}.png` });
    expect(await widgetViolations(page)).toEqual([]);
    await context.close();
  });
}

test('axe finds no serious or critical violation on the launcher, the survey, the chat and the rating screen', async ({ browser, request }) => {
  const en = await siteConfig(request, 'en');
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto('/');
  const launcher = page.getByRole('button', { name: en.ui.openChat });
  await expect(launcher).toBeVisible();
  expect(await widgetViolations(page), 'launcher').toEqual([]);

  await launcher.click();
  await expect(page.getByRole('textbox', { name: 'Name' })).toBeFocused();
  expect(await widgetViolations(page), 'survey').toEqual([]);
  await page.getByRole('button', { name: 'Start chat' }).click();
  expect(await widgetViolations(page), 'survey with errors').toEqual([]);

  await page.getByRole('textbox', { name: 'Name' }).fill('Axel');
  await page.getByRole('textbox', { name: 'Email' }).fill('axel@example.com');
  await page.getByRole('combobox', { name: 'Inquiry type' }).selectOption('shipping');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.getByRole('textbox', { name: en.ui.message }).fill('Where is my parcel?');
  await page.getByRole('button', { name: en.ui.send }).click();
  await expect(page.getByRole('log')).toContainText('Where is my parcel?');
  expect(await widgetViolations(page), 'chat').toEqual([]);

  // an agent answers and closes the conversation: the visitor is asked for a rating
  const conversationId = (await stored(page))?.conversationId as string;
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent);
  await agentReplies(agent, conversationId, 'It ships tomorrow.');
  await expect(page.getByRole('log')).toContainText('It ships tomorrow.');
  expect((await agent.request.post(`/api/v1/conversations/${conversationId}/close`, { data: {} })).status()).toBe(200);
  const rating = page.getByRole('group', { name: en.ui.rateTitle });
  await expect(rating).toBeVisible();
  expect(await widgetViolations(page), 'rating').toEqual([]);
  await page.screenshot({ path: `${artifacts}/widget-rating.png` });

  await rating.getByRole('radio', { name: en.ui.rateScores[4] }).check();
  await page.getByRole('textbox', { name: en.ui.rateComment }).fill('Quick and kind <b>thanks</b>');
  await page.getByRole('button', { name: en.ui.rateSubmit }).click();
  await expect(page.getByText(en.ui.rateThanks)).toBeVisible();
  expect(await widgetViolations(page), 'after rating').toEqual([]);
  await agentContext.close();
  await context.close();
});
