import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifacts, signIn } from './helpers';

/** An admin changes a label and finds the change in the Audit log: who, what, on which label; text, never markup. */
test('an admin reads who changed what in the audit log, filtered, and it passes axe', async ({ page }) => {
  await signIn(page);
  const name = `Audit <i>${Date.now().toString(36)}</i>`;
  expect((await page.request.post('/api/v1/labels', { data: { name, color: '#7c3aed' } })).status()).toBe(201);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/console\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await page.getByLabel('Filter').fill(name);
  const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole('cell').nth(2)).toHaveText('Added a label');
  await expect(rows.first().getByRole('cell').nth(3)).toHaveText(name);
  await expect(rows.first().getByRole('cell').nth(4)).toHaveText('color: #7c3aed');
  await expect(page.locator('i', { hasText: /^Audit/ })).toHaveCount(0);
  await page.getByLabel('Filter').fill('nothing like this at all');
  await expect(page.getByText('Nothing matches.')).toBeVisible();
  await page.getByLabel('Filter').fill('');
  await page.screenshot({ path: `${artifacts}/console-audit.png` });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
