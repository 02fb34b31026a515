import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { signIn } from './helpers';

/** A team lead opens Reports: today's conversations counted, grouped by team, and the CSV downloaded matches the table. */
test('a team lead reads the reports, groups them by team, and downloads a CSV', async ({ page, request }) => {
  const started = await request.post(`${baseURL}/api/v1/sites/demo/conversations`, { data: { answers: { name: 'Report Visitor', email: 'report@example.com', inquiryType: 'billing' }, consent: true } });
  expect(started.status()).toBe(201);
  await signIn(page);
  await page.getByRole('link', { name: 'Reports' }).click();
  await expect(page).toHaveURL(/\/console\/reports$/);
  await page.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Today' });
  const conversations = page.getByRole('region', { name: 'Conversations' });
  const startedRow = conversations.getByRole('row', { name: /^Started \d+$/ });
  await expect(startedRow).toBeVisible();
  const count = Number((await startedRow.getByRole('cell').textContent())?.trim());
  expect(count).toBeGreaterThanOrEqual(1);
  // a chart beside the table: an image named by what it shows, drawn on a canvas
  const chart = conversations.getByRole('img', { name: /^Chart of Conversations: started, closed, reopened \(conversations\)/ });
  await expect(chart).toBeVisible();
  const canvas = chart.locator('canvas');
  await expect(canvas).toHaveCount(1);
  expect((await canvas.boundingBox())!.width).toBeGreaterThan(200);
  for (const title of ['First response', 'Resolution', 'Messages', 'Satisfaction', 'Queue', 'Busiest hours', 'Per agent']) {
    await expect(page.getByRole('heading', { name: title, level: 2 })).toBeVisible();
  }

  // the CSV of the table as shown
  const download = page.waitForEvent('download');
  await conversations.getByRole('link', { name: 'Download CSV of Conversations' }).click();
  const file = readFileSync((await (await download).path()) as string, 'utf8');
  const [header, row] = file.trim().split(/\r\n/);
  const started_ = header!.split(',').indexOf('started');
  expect(started_).toBeGreaterThanOrEqual(0);
  expect(Number(row!.split(',')[started_])).toBe(count);

  // grouped by team: a row per team, billing among them
  await page.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Team' });
  await expect(conversations.getByRole('columnheader', { name: 'Group' })).toBeVisible();
  await expect(conversations.getByRole('rowheader', { name: 'Billing' })).toBeVisible();
  // the chart has a bar per team row
  const teamRows = await conversations.locator('tbody tr').count();
  await expect(conversations.getByRole('img', { name: /^Chart of Conversations: started \(conversations\) by team/ })).toHaveAttribute('data-points', String(teamRows));

  // a custom period the wrong way round: the server's reason, not a blank page
  await page.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Custom' });
  await page.getByRole('textbox', { name: 'From', exact: true }).fill('2026-12-05');
  await page.getByRole('textbox', { name: 'To', exact: true }).fill('2026-11-01');
  await expect(page.getByRole('alert')).toContainText('to');

  await page.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Last 7 days' });
  await expect(conversations.getByRole('rowheader', { name: 'Billing' })).toBeVisible();
  // the Billing team's last 7 days, day by day: a line per figure over seven days
  await page.getByRole('combobox', { name: 'Team', exact: true }).selectOption({ label: 'Billing' });
  await page.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Day' });
  const byDay = conversations.getByRole('img', { name: /^Chart of Conversations: started, closed, reopened \(conversations\) by day/ });
  await expect(byDay).toHaveAttribute('data-points', '7');
  await expect(byDay).toHaveAttribute('data-series', '3');
  await expect(conversations.locator('tbody tr')).toHaveCount(7);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.getByRole('heading', { name: 'Reports', level: 1 }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/images/console-reports.png' });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
