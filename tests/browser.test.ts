// What people do in the web app, in real Chromium: a manager authors and publishes, a customer answers
// in Chinese on a phone, the manager reads the answer.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { createSetupToken } from '../server/accounts/service.ts';
import { users } from '../server/db/schema.ts';
import { launchChromium, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function addManager() {
  await served.db.insert(users).values({
    id: 'manager-mei',
    email: 'mei@example.com',
    name: 'Mei',
    role: 'manager',
    passwordHash: await hashPassword('manager password 1'),
  });
}

const signIn = (page: Page, email: string, password: string) => signInThroughPage(page, served.baseUrl, email, password);

/** Picks a point on a scale; the radios are styled as buttons, so click the label that holds one. */
async function choose(page: Page, question: string, value: number, part?: 'expectation' | 'experience' | 'importance') {
  const name = part ? `[name$="-${part}"]` : '';
  await page.locator(`[data-question="${question}"] label:has(input[type="radio"]${name}[value="${value}"])`).click();
}

describe('first run', () => {
  it('creates the first admin from the one-time link', async () => {
    const token = await createSetupToken(served.db);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/app/setup?token=${token}`);
    await page.fill('input[name="email"]', 'admin@example.com');
    await page.fill('input[name="name"]', 'Ada');
    await page.fill('input[name="password"]', 'admin password 1');
    await page.click('[data-testid="setup-submit"]');
    await page.waitForURL(/\/app\/surveys/);
    await context.close();
  });
});

describe('a survey from authoring to answer', () => {
  let publicPath = '';
  beforeAll(addManager);

  it('lets a manager sign in, create a survey from the expectation-vs-experience template and publish it', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'mei@example.com', 'manager password 1');
    // A manager lands on the dashboard and finds the surveys in the menu.
    await page.waitForURL(/\/app\/insights/);
    await page.click('[data-testid="nav-surveys"]');
    await page.waitForURL(/\/app\/surveys/);
    await page.click('[data-testid="new-from-template"]');
    await page.click('[data-testid="template-expectation-experience"]');
    await page.waitForURL(/\/app\/surveys\/[^/]+$/);
    await page.click('[data-testid="publish"]');
    await page.click('[data-testid="confirm-publish"]');
    await expect.poll(() => page.locator('[data-testid="survey-status"]').textContent()).toMatch(/published/i);
    publicPath = (await page.locator('[data-testid="public-link"]').getAttribute('href'))!;
    expect(publicPath).toMatch(/^\/s\/[a-z0-9-]+$/);
    await context.close();
  });

  it('lets a customer answer in Chinese on a phone, fixing a missed question on the way', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}${publicPath}`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toContain('期望');

    const factors = ['ee_product', 'ee_service', 'ee_communication', 'ee_customer_care', 'ee_company_image'];
    for (const [index, question] of factors.entries()) {
      await choose(page, question, 5, 'expectation');
      // Leave the last factor's experience out, to be caught on submit.
      if (index < factors.length - 1) await choose(page, question, 6, 'experience');
      await choose(page, question, 7, 'importance');
    }
    await choose(page, 'overall', 4);
    await page.click('[data-testid="submit"]');

    const error = page.locator('[data-testid="error-ee_company_image"]');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/[\u4e00-\u9fff]/);
    await expect.poll(() => served.db.$client.execute('SELECT count(*) AS n FROM responses').then((r) => Number(r.rows[0]!.n))).toBe(0);

    await choose(page, 'ee_company_image', 3, 'experience');
    await expect.poll(() => error.count()).toBe(0);
    await page.click('[data-testid="submit"]');
    await page.locator('[data-testid="thank-you"]').waitFor();

    // A reload after submitting shows the thank-you again, not an empty form.
    await page.reload();
    await page.locator('[data-testid="thank-you"]').waitFor();
    await context.close();

    const stored = await served.db.$client.execute('SELECT channel, locale, answers FROM responses');
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]).toMatchObject({ channel: 'web', locale: 'zh-CN' });
    expect(JSON.parse(String(stored.rows[0]!.answers)).ee_company_image).toEqual({ expectation: 5, experience: 3, importance: 7 });
  });

  it('shows the manager the response', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, 'mei@example.com', 'manager password 1');
    await page.waitForURL(/\/app\/insights/);
    await page.click('[data-testid="nav-surveys"]');
    await page.locator('[data-testid="survey-row"] a').first().click();
    await page.click('[data-testid="open-responses"]');
    const row = page.locator('[data-testid="response-row"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/web/i);
    // The CSV download carries the manager's session and the screen's language.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="responses-csv"]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    await row.click();
    await expect.poll(() => page.locator('body').textContent()).toContain('zh-CN');
    await context.close();
  });

  it('stores the hidden fields an open link carries, through a reload, and shows them to the manager', async () => {
    const customer = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await customer.newPage();
    await page.goto(`${served.baseUrl}${publicPath}?store=123`);
    await choose(page, 'overall', 5);
    // The same link without its parameters (as after a reload that lost them) keeps what the first one carried.
    await page.goto(`${served.baseUrl}${publicPath}`);
    for (const question of ['ee_product', 'ee_service', 'ee_communication', 'ee_customer_care', 'ee_company_image']) {
      await choose(page, question, 6, 'expectation');
      await choose(page, question, 6, 'experience');
      await choose(page, question, 6, 'importance');
    }
    await page.click('[data-testid="submit"]');
    await page.locator('[data-testid="thank-you"]').waitFor();
    await customer.close();

    const stored = await served.db.$client.execute('SELECT id, hidden_fields FROM responses WHERE hidden_fields IS NOT NULL');
    expect(stored.rows).toHaveLength(1);
    expect(JSON.parse(String(stored.rows[0]!.hidden_fields))).toEqual({ store: '123' });

    const staff = await browser.newContext({ locale: 'en-US' });
    const manager = await staff.newPage();
    await signIn(manager, 'mei@example.com', 'manager password 1');
    await manager.waitForURL(/\/app\/insights/);
    await manager.goto(`${served.baseUrl}/app/responses/${String(stored.rows[0]!.id)}`);
    await manager.locator('[data-testid="link-field"]').waitFor();
    expect(await manager.locator('[data-testid="link-field"]').textContent()).toBe('store = 123');
    expect(await manager.locator('body').textContent()).toContain('Link fields');
    await staff.close();
  });

  it('keeps an answer given in the server-rendered form before the script took over', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    let releaseScript!: () => void;
    const scriptHeld = new Promise<void>((resolve) => (releaseScript = resolve));
    await page.route('**/assets/respond-*.js', async (route) => {
      await scriptHeld;
      await route.continue();
    });
    await page.goto(`${served.baseUrl}${publicPath}`, { waitUntil: 'commit' });
    await choose(page, 'ee_product', 2, 'expectation');
    releaseScript();
    // The script replaces the server's form (controls named sv0-…) with its own; the early answer is carried in.
    await expect.poll(() => page.locator('input[name^="sv0-"]').count()).toBe(0);
    expect(await page.locator('[data-question="ee_product"] input[name$="-expectation"][value="2"]').isChecked()).toBe(true);
    await context.close();
  });

  it('shows the first question styled from the page alone, before any other file arrives', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // The page itself arrives; its script and anything else it asks for never do.
    await page.route('**/*', (route) => (route.request().resourceType() === 'document' ? route.continue() : route.abort()));
    await page.goto(`${served.baseUrl}${publicPath}`, { waitUntil: 'domcontentloaded' });
    const first = page.locator('[data-question="ee_product"]');
    // The scale's points look like buttons (survey.css), not bare radios.
    expect(await first.locator('.sv-point > span').first().evaluate((point) => getComputedStyle(point).minHeight)).toBe('46px');
    expect(await first.evaluate((question) => getComputedStyle(question).borderTopLeftRadius)).toBe('14px');
    const box = await first.locator('input[type="radio"]').first().boundingBox();
    expect(box!.width).toBeGreaterThan(0);
    expect(box!.y + box!.height).toBeLessThan(844);
    await context.close();
  });

  it('names only a small entry script in the public page, so fetching the app does not compete with the first question', async () => {
    const html = await (await fetch(`${served.baseUrl}${publicPath}`)).text();
    const scripts = [...html.matchAll(/<script type="module"[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    expect(html).not.toContain('modulepreload');
    const entry = await (await fetch(`${served.baseUrl}${scripts[0]}`)).text();
    // The app comes by a dynamic import once the entry runs, which a module script does after the page is parsed.
    expect(entry.length).toBeLessThan(4_000);
    expect(entry).toMatch(/import\(/);
  });

  it('has no serious or critical accessibility violations on the public page, in both languages', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}${publicPath}`);
    await page.locator('[data-question]').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid="submit"]');
    await page.locator('[data-testid^="error-"]').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid="lang-zh"]');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a clear page for an unknown survey', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const response = await page.goto(`${served.baseUrl}/s/no-such-survey`);
    expect(response?.status()).toBe(404);
    await page.locator('[data-testid="survey-unknown"]').waitFor();
    await context.close();
  });
});
