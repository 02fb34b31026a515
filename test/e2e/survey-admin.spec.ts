import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifacts, signIn } from './helpers';

test('an admin adds a required field with a Spanish label and a new button text, previews it, saves it, and a Spanish visitor sees it', async ({ browser }) => {
  const adminContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const admin = await adminContext.newPage();
  await signIn(admin);
  try {
    await admin.getByRole('link', { name: 'Survey' }).click();
    await expect(admin).toHaveURL(/\/console\/survey$/);
    await expect(admin.getByRole('heading', { name: 'Survey', level: 1 })).toBeVisible();
    await expect(admin.getByLabel('Site')).toHaveValue('demo');
    const preview = admin.getByRole('region', { name: 'Widget preview' });
    await expect(preview).toBeVisible();

    // a new field: its key takes the focus; a bad key is named next to the control, then fixed
    await admin.getByRole('button', { name: 'Add a field' }).click();
    const key = admin.locator(':focus');
    await expect(key).toHaveAccessibleName('Key');
    await key.fill('ticket no');
    await expect(key).toHaveAttribute('aria-invalid', 'true');
    await expect(admin.getByText('expected a key of letters, digits and _ starting with a letter').first()).toBeVisible();
    await expect(admin.locator('.se-issues')).toContainText(/prechat\.fields\[\d+\]\.key/);
    await key.evaluate((el) => el.closest('li')?.scrollIntoView({ block: 'start' }));
    await admin.screenshot({ path: `${artifacts}/survey-editor-issues.png` });
    await key.fill('ticket');
    await expect(key).not.toHaveAttribute('aria-invalid', 'true');

    const field = admin.getByRole('group', { name: /^Field \d+: ticket$/ });
    await field.getByLabel('Required').check();
    await field.getByLabel('Label (en)').fill('Ticket number');
    // the field is now known by its label
    const named = admin.getByRole('group', { name: /^Field \d+: Ticket number$/ });
    await named.getByLabel('Another language for Label').fill('es');
    await named.getByRole('button', { name: 'Add a language to Label' }).click();
    await named.getByLabel('Label (es)').fill('Número de ticket <b>');

    // moved one place up: the preview follows the order
    await named.getByRole('button', { name: 'Move Ticket number up' }).click();
    await admin.getByLabel('Start button (es)').fill('Hablemos');

    await admin.getByRole('complementary', { name: 'Preview' }).getByLabel('Language').selectOption('es');
    await expect(preview.getByLabel('Número de ticket <b>')).toBeVisible();
    await expect(preview.getByRole('button', { name: 'Hablemos' })).toBeVisible();
    const labels = await preview.locator('.pv-field > label, .pv-field > legend').allTextContents();
    expect(labels.at(-2)).toBe('Número de ticket <b> *');
    await named.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await admin.screenshot({ path: `${artifacts}/survey-editor.png` });

    // a colour pair below WCAG AA is named next to its control but does not block anything
    const primary = admin.getByLabel('Primary colour', { exact: true });
    await primary.fill('#fde047');
    await expect(admin.getByText(/#ffffff on #fde047 has a contrast of 1\.\d+:1/)).toBeVisible();
    await expect(preview.locator('.pv-head')).toHaveCSS('background-color', 'rgb(253, 224, 71)');
    await primary.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await admin.screenshot({ path: `${artifacts}/survey-editor-looks.png` });
    await primary.fill('#1d4ed8');
    await expect(admin.getByText(/has a contrast of/)).toHaveCount(0);

    const axe = await new AxeBuilder({ page: admin }).include('.survey-editor').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);

    await admin.getByRole('button', { name: 'Save survey' }).click();
    await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(admin.getByText('Saved in the console')).toBeVisible();

    // a visitor whose browser speaks Spanish gets the saved survey on the next page load
    const visitorContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 900 } });
    const visitor = await visitorContext.newPage();
    await visitor.goto('/');
    await visitor.getByRole('button', { name: /chat/i }).first().click();
    const dialog = visitor.getByRole('dialog');
    await expect(dialog.getByLabel('Número de ticket <b>')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Hablemos' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Hablemos' }).click();
    await expect(dialog.getByLabel('Número de ticket <b>')).toHaveAttribute('aria-invalid', 'true');
    await visitor.screenshot({ path: `${artifacts}/survey-admin-visitor-es.png` });
    await visitorContext.close();

    // back to the file: the screen says so, and the visitor's survey is the file's again
    await admin.getByRole('button', { name: 'Reset to the config file' }).click();
    await expect(admin.getByText('From the config file')).toBeVisible();
    await expect(admin.getByRole('group', { name: /: Ticket number$/ })).toHaveCount(0);
    const config = await (await admin.request.get('/api/v1/sites/demo/config?lang=es')).json();
    expect(config.prechat.fields.map((f: { key: string }) => f.key)).not.toContain('ticket');
  } finally {
    // leave the demo site as the file has it for the other specs
    await admin.request.delete('/api/v1/admin/sites/demo/survey', { data: {} });
    await adminContext.close();
  }
});
