// A real server on a loopback port and Debian's Chromium driven by playwright-core.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { hashPassword } from '../../server/accounts/passwords.ts';
import type { Role } from '../../server/accounts/service.ts';
import { users } from '../../server/db/schema.ts';
import { startTestApp, type TestApp } from './app.ts';
import { chromiumArgs, chromiumPath } from './chromium.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
}

export interface ServedApp extends TestApp {
  baseUrl: string;
  stop(): Promise<void>;
}

/** The app over a fresh database on a loopback port; `env` adds settings (e.g. SMTP_URL) to the test's own. */
export async function serveTestApp(env: Record<string, string> = {}): Promise<ServedApp> {
  const test = await startTestApp(env);
  const server: ServerType = await new Promise((resolve) => {
    const listening = serve({ fetch: test.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...test,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
      test.close();
    },
  };
}

/** A staff member a browser test signs in as through the login page. */
export interface StaffSeed {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

/**
 * The app served over a fresh database, and Chromium, for one test file: started before its tests with the
 * staff members it names, stopped after them. Tests read `suite.served` and `suite.browser`; a file's own
 * beforeAll runs after this one's, so it can add to the database.
 */
export function useBrowserApp(options: { env?: Record<string, string>; staff?: StaffSeed[] } = {}): { served: ServedApp; browser: Browser } {
  const suite = {} as { served: ServedApp; browser: Browser };
  beforeAll(async () => {
    suite.served = await serveTestApp(options.env);
    suite.browser = await launchChromium();
    for (const { password, ...member } of options.staff ?? []) {
      await suite.served.db.insert(users).values({ ...member, passwordHash: await hashPassword(password) });
    }
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.served?.stop();
  });
  return suite;
}

/** Accessibility problems axe rates serious or critical on the page, each with where it is; [] when none. */
export async function seriousViolations(page: Page, exclude?: string) {
  const builder = new AxeBuilder({ page });
  if (exclude) builder.exclude(exclude);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** The page scrolls sideways only inside its tables, never as a whole. */
export const pageFitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Signs in through the staff app's login page and waits to be let in (wherever the app then lands). */
export async function signInThroughPage(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/app/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

/**
 * Everything the page's console reports as an error, failed loads and uncaught exceptions included, from the
 * moment this is called; the test reads the list when it likes. Frames' messages count too.
 */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}
