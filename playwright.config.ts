import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://127.0.0.1:${port}`;
export const e2eAdmin = { email: 'agent@example.com', password: 'e2e-password-long-enough' };
/** The demo site's identity secret in the browser stories: the shop's backend signs its user ids with it (ChatWidget.setUser). */
export const e2eIdentitySecret = 'e2e-demo-identity-secret-0123456789';

/** Debian's Chromium; Playwright never downloads a browser here. */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node dist/server/main.js',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-e2e-')),
      ADMIN_EMAIL: e2eAdmin.email,
      ADMIN_PASSWORD: e2eAdmin.password,
      LOG_LEVEL: 'warn',
      // follow-ups scheduled for a contact's morning are sent by moving this clock (POST /api/v1/test/clock)
      PARLEY_TEST_CLOCK: '1',
      IDENTITY_SECRET_DEMO: e2eIdentitySecret,
      // every test's browser comes from 127.0.0.1 to one long-running server: more chats than a person starts in an hour
      RATE_LIMITS: 'off',
      // the browser stories run on the embedded SQLite default; PostgreSQL is tested by Vitest's postgres project
      DATABASE_URL: '',
    },
  },
});
