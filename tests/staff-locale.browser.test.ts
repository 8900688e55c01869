// The staff app's language belongs to the account: switched in one browser, it is the language the app opens
// in after signing in from a fresh one; and an account with none takes the one chosen in the browser it signs
// in from. Real Chromium, each browser a fresh context (no storage shared).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { users } from '../server/db/schema.ts';
import { launchChromium, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  const passwordHash = await hashPassword('correct horse battery');
  await served.db.insert(users).values([
    { id: 'agent-switch', email: 'switch@example.com', name: 'Wei', role: 'support', passwordHash },
    { id: 'agent-stored', email: 'stored@example.com', name: 'Ann', role: 'support', passwordHash },
  ]);
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await served?.stop();
});

/** A browser nobody used before, its own language given. */
async function freshBrowser(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

/** Support agents land on their complaints queue. */
async function seesHomePage(page: Page, heading: string, lang: string) {
  await page.waitForURL((url) => url.pathname.startsWith('/app/complaints'));
  const title = page.locator('main h1').first();
  await expect.poll(() => title.textContent()).toBe(heading);
  expect(await title.isVisible()).toBe(true);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  expect(await page.getAttribute(`.topbar .language-switch button[lang="${lang}"]`, 'aria-pressed')).toBe('true');
}

it('keeps the language switched to in the app for the next sign-in from a fresh browser', async () => {
  const first = await freshBrowser('en-US');
  await signInThroughPage(first, served.baseUrl, 'switch@example.com', 'correct horse battery');
  await seesHomePage(first, 'Complaints', 'en');
  const saved = first.waitForResponse((response) => response.url().endsWith('/api/session/locale') && response.request().method() === 'PUT', { timeout: 10_000 });
  await first.click('.topbar .language-switch button[lang="zh-CN"]');
  await seesHomePage(first, '投诉', 'zh-CN');
  expect((await saved).status()).toBe(200);

  // Another browser whose own language is English, nothing stored: the app opens in the account's Chinese.
  const second = await freshBrowser('en-US');
  await signInThroughPage(second, served.baseUrl, 'switch@example.com', 'correct horse battery');
  await seesHomePage(second, '投诉', 'zh-CN');
  // Opened again later, it is still Chinese.
  await second.reload();
  await seesHomePage(second, '投诉', 'zh-CN');
});

it('saves the language chosen in the browser with an account that has none, for the next device', async () => {
  const first = await freshBrowser('zh-CN');
  await first.goto(`${served.baseUrl}/app/login`);
  // Chosen on an earlier visit: the browser remembers it.
  await first.evaluate(() => localStorage.setItem('staff.locale', 'en'));
  const saved = first.waitForResponse((response) => response.url().endsWith('/api/session/locale') && response.request().method() === 'PUT', { timeout: 10_000 });
  await signInThroughPage(first, served.baseUrl, 'stored@example.com', 'correct horse battery');
  await seesHomePage(first, 'Complaints', 'en');
  expect((await saved).status()).toBe(200);

  const second = await freshBrowser('zh-CN');
  await signInThroughPage(second, served.baseUrl, 'stored@example.com', 'correct horse battery');
  await seesHomePage(second, 'Complaints', 'en');
});
