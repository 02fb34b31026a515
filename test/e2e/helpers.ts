import { mkdirSync } from 'node:fs';
import { type Page, expect } from '@playwright/test';
import { e2eAdmin } from '../../playwright.config';

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
