import { type Page, expect, test } from '@playwright/test';
import { htmlBytes, pdfBytes, pngBytes } from '../fixtures/attachment-files';
import { artifacts, signIn } from './helpers';

/** Chooses a file through the button named "Attach a file" (the hidden input's file chooser). */
async function attach(page: Page, scope: ReturnType<Page['locator']> | Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await scope.getByRole('button', { name: 'Attach a file' }).click();
  await (await chooser).setFiles(file);
}

/** Whether an <img> has loaded real pixels. */
const drawn = (img: ReturnType<Page['locator']>) => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0);

test('an image and a PDF travel both ways; a mislabelled file is refused with a clear error', async ({ browser }) => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  const visitor = await visitorContext.newPage();
  const dialogs: string[] = [];
  for (const page of [agent, visitor]) {
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }
  const name = `Iris ${Date.now().toString(36)}`;
  await signIn(agent);

  // the widget fetches no attachment code until it needs it
  const chunks: string[] = [];
  visitor.on('request', (r) => {
    if (/\/widget\/attachments-[^/]+\.js$/.test(r.url())) chunks.push(r.url());
  });
  await visitor.goto('/');
  await visitor.getByRole('button', { name: /chat/i }).first().click();
  await visitor.getByLabel('Name').fill(name);
  await visitor.getByLabel('Email').fill('iris@example.com');
  await visitor.getByLabel('Inquiry type').selectOption('shipping');
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: 'Start chat' }).click();
  await visitor.getByLabel('Message', { exact: true }).fill('Is this the right shelf?');
  await visitor.getByRole('button', { name: 'Send' }).click();
  const visitorLog = visitor.getByRole('log');
  await expect(visitorLog).toContainText('Is this the right shelf?');
  expect(chunks).toEqual([]);

  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(name) }).click();
  const agentLog = agent.getByRole('log');
  await expect(agentLog).toContainText('Is this the right shelf?');

  // the agent attaches an image: a thumbnail in the console, and in the widget from a blob: URL
  await attach(agent, agent, { name: 'shelf.png', mimeType: 'image/png', buffer: pngBytes(120, [22, 163, 74]) });
  const agentThumb = agentLog.getByRole('img', { name: 'shelf.png' });
  await expect(agentThumb).toBeVisible();
  await expect.poll(() => drawn(agentThumb)).toBe(true);
  const visitorThumb = visitorLog.getByRole('img', { name: 'shelf.png' });
  await expect(visitorThumb).toBeVisible();
  await expect(visitorThumb).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => drawn(visitorThumb)).toBe(true);
  expect(chunks).toHaveLength(1);
  await visitor.screenshot({ path: `${artifacts}/attachments-widget-image.png` });

  // the visitor attaches a PDF: the agent sees a file chip with its name and size
  await attach(visitor, visitor, { name: 'invoice-2024.pdf', mimeType: 'application/pdf', buffer: pdfBytes() });
  const chip = agentLog.getByRole('link', { name: /invoice-2024\.pdf/ });
  await expect(chip).toBeVisible();
  await expect(chip).toContainText('PDF');
  await expect(chip).toHaveAttribute('href', /^\/api\/v1\/attachments\//);
  await expect(visitorLog.getByRole('button', { name: /invoice-2024\.pdf/ })).toBeVisible();

  // a file whose bytes are not what its name says: a clear refusal on both sides, nothing sent
  await attach(visitor, visitor, { name: 'photo.png', mimeType: 'image/png', buffer: htmlBytes() });
  await expect(visitor.getByRole('alert')).toContainText('Could not attach photo.png: this file is not an allowed type');
  await attach(agent, agent, { name: 'scan.png', mimeType: 'image/png', buffer: pdfBytes() });
  await expect(agent.getByRole('alert')).toContainText(/Could not attach “scan\.png”: this file is a PDF, but its name "scan\.png" says otherwise/);
  await expect(agentLog).not.toContainText('photo.png');

  // a name that looks like HTML stays text
  await attach(agent, agent, { name: '<img src=x onerror=alert(1)>.png', mimeType: 'image/png', buffer: pngBytes(40) });
  await expect(agentLog.getByRole('img', { name: '<img src=x onerror=alert(1)>.png' })).toBeVisible();
  await expect(visitorLog.getByRole('img', { name: '<img src=x onerror=alert(1)>.png' })).toBeVisible();
  expect(dialogs).toEqual([]);

  await agent.screenshot({ path: `${artifacts}/attachments-console.png` });
  await visitor.screenshot({ path: `${artifacts}/attachments-widget.png` });
  await agentContext.close();
  await visitorContext.close();
});
