import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

/** An admin invites an agent by link; the new agent opens it in their own browser, picks a name and password, and lands in the inbox. */
test('an admin invites an agent by a one-time link, who joins from another browser; the link then no longer works', async ({ page, browser }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Agents' }).click();
  const email = `invited-${Date.now().toString(36)}@example.com`;
  const invite = page.getByRole('region', { name: 'Invite by link' });
  await invite.getByLabel('Email').fill(email);
  await invite.getByRole('button', { name: 'Make an invitation link' }).click();
  const linkField = invite.getByLabel(`Link for ${email} (shown this once)`);
  await expect(linkField).toHaveValue(/\/console\/invite\?token=/);
  const link = await linkField.inputValue();
  await expect(invite.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: new RegExp(email) })).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('section[aria-labelledby="invite-agent"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // the invited person, in their own browser
  const theirs = await browser.newContext();
  const newcomer = await theirs.newPage();
  await newcomer.goto(link);
  await expect(newcomer.getByRole('heading', { name: 'Join your team on Parley' })).toBeVisible();
  await newcomer.getByLabel('Password').fill('short');
  await newcomer.getByLabel('Name').fill('Rosa Díaz');
  await newcomer.getByRole('button', { name: 'Join' }).click();
  await expect(newcomer.getByRole('alert')).toBeVisible();
  await newcomer.getByLabel('Password').fill('a long enough password');
  await newcomer.getByRole('button', { name: 'Join' }).click();
  await expect(newcomer.getByRole('list', { name: 'Conversations' })).toBeVisible();
  await expect(newcomer).toHaveURL(/\/console$/);
  const joined = (await (await newcomer.request.get('/api/v1/auth/me')).json()) as { id: string; email: string; name: string; role: string };
  expect(joined).toMatchObject({ email, name: 'Rosa Díaz', role: 'agent' });

  // spent: the link opens the form, which says so
  const late = await (await browser.newContext()).newPage();
  await late.goto(link);
  await late.getByLabel('Name').fill('Someone');
  await late.getByLabel('Password').fill('a long enough password');
  await late.getByRole('button', { name: 'Join' }).click();
  await expect(late.getByRole('alert')).toContainText('not valid');
  // and the admin no longer sees it pending
  await page.reload();
  await expect(page.getByRole('region', { name: 'Invite by link' }).getByRole('row', { name: new RegExp(email) })).toHaveCount(0);
  await theirs.close();
  // she leaves the shared server's routing as she came: not an agent routing could give the next stories' visitors to
  expect((await page.request.patch(`/api/v1/agents/${joined.id}`, { data: { active: false } })).status()).toBe(200);
});
