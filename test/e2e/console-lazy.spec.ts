import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

/** The inbox loads without the admin screens' code; each screen fetches its own chunk when opened. */
test('the inbox loads no admin screen; Labels fetches its chunk when opened, and a failed fetch offers to try again', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await signIn(page);
  await expect(page.getByRole('link', { name: 'Labels' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const inbox = [...scripts];
  expect(inbox.some((s) => /^\/console\/app-[\w-]{8}\.js$/.test(s))).toBe(true);
  for (const screen of ['LabelsScreen', 'Survey', 'AutoReplies', 'AgentsScreen', 'SessionsScreen', 'IntegrationsScreen']) {
    expect(inbox.filter((s) => s.includes(`/${screen}-`)), screen).toEqual([]);
  }

  // the first try fails (a release replaced the chunk, or the network dropped): a sentence and a way to try again
  let refused = false;
  await page.route(/\/console\/LabelsScreen-[\w-]{8}\.js$/, (route) => {
    if (refused) return route.continue();
    refused = true;
    return route.abort();
  });
  await page.getByRole('link', { name: 'Labels' }).click();
  await expect(page.getByRole('alert')).toContainText('This screen could not be loaded');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'New label' })).toBeVisible();
  expect(scripts.filter((s) => /\/console\/LabelsScreen-[\w-]{8}\.js$/.test(s)).length).toBeGreaterThanOrEqual(1);

  // back in the inbox, then Survey: its own chunk, once
  await page.getByRole('link', { name: 'Survey' }).click();
  await expect(page).toHaveURL(/\/console\/survey$/);
  await expect.poll(() => scripts.filter((s) => /\/console\/Survey-[\w-]{8}\.js$/.test(s)).length).toBe(1);
});
