// A manager reads the insight dashboard in real Chromium over the demo data: headline figures with their n,
// a survey's trend split by channel into small multiples, the view kept in the URL (reload, a second page),
// the analyses each survey offers, a CSV download, the page in Chinese, and the page on a 390 px phone.
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../server/db/schema.ts';
import { fillDemo } from '../server/cli/demo.ts';
import { catchUp } from '../server/insights/processor.ts';
import type { InsightOptions } from '../server/insights/types.ts';
import { signedInAs, type StaffClient } from './support/app.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
let manager: StaffClient;
let options: InsightOptions;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await fillDemo(served.db, { responses: 1500 });
  await catchUp(served.db);
  manager = await signedInAs(served, 'manager');
  await signedInAs(served, 'admin');
  const answer = await manager.request('GET', '/api/insights/options');
  expect(answer.status).toBe(200);
  options = await answer.json();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function signIn(page: Page, role: 'manager' | 'admin' = 'manager') {
  const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, role));
  await signInThroughPage(page, served.baseUrl, account!.email, 'correct horse battery');
  // The app's home sends managers and admins to the dashboard.
  await page.goto(`${served.baseUrl}/app/`);
  await page.waitForURL(/\/app\/insights\?/);
}

const surveyWith = (flag: 'hasLevels' | 'hasDrivers' | 'hasModel') => options.surveys.find((survey) => survey[flag]);
const trendCharts = (page: Page) => page.locator('[data-testid="trend-chart"] svg');

/** The dashboard has drawn the trend for the view in the URL (the query and the rendered charts agree). */
async function trendDrawn(page: Page, count: number) {
  await expect.poll(() => trendCharts(page).count(), { timeout: 15_000 }).toBe(count);
  await page.locator('[data-testid="figure-card"]').first().waitFor();
}

describe('the insight dashboard', () => {
  let context: BrowserContext;
  let shared = '';

  beforeAll(async () => {
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  });
  afterAll(async () => context?.close());

  it('opens for a manager with headline figures and their n, and keeps a split view in the URL', async () => {
    const page = await context.newPage();
    await signIn(page);
    // The URL spells the default view out: the last 30 days in the reporting zone.
    expect(new URL(page.url()).searchParams.get('to')).toBe(options.today);
    await page.locator('[data-testid="figure-card"]').first().waitFor();
    const responses = page.locator('[data-testid="figure-card"][data-metric="responses"]');
    expect(await responses.locator('[data-testid="figure-value"]').textContent()).toMatch(/^\d[\d,]*$/);
    expect(await responses.locator('[data-testid="figure-n"]').textContent()).toMatch(/^n = [1-9][\d,]*$/);
    expect(await page.locator('[data-testid="previous-period"]').textContent()).toMatch(/^Previous period: .+ – .+$/);

    const survey = surveyWith('hasLevels')!;
    const metric = survey.metrics.find((each) => each.kind !== 'responses')!;
    await page.click('[data-testid="preset-90d"]');
    await page.selectOption('select[name="survey"]', survey.id);
    await expect.poll(() => new URL(page.url()).searchParams.get('survey')).toBe(survey.id);
    await page.selectOption('select[name="metric"]', metric.key);
    await page.selectOption('select[name="unit"]', 'week');
    await page.selectOption('select[name="split"]', 'channel');
    await expect.poll(() => new URL(page.url()).searchParams.get('split')).toBe('channel');
    const query = new URL(page.url()).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({ survey: survey.id, metric: metric.key, unit: 'week', split: 'channel' });
    // One small chart per channel, and the same numbers in a table with n per point.
    await trendDrawn(page, 4);
    expect(await page.locator('[data-testid="trend-multiple"]').evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-series')))).toEqual(
      ['phone', 'mail', 'onsite', 'web'],
    );
    expect(await page.locator('[data-testid="trend-row"]').count()).toBeGreaterThanOrEqual(4 * 13);
    expect(await page.locator('[data-testid="compare-row"]').count()).toBe(4);

    shared = page.url();
    await page.reload();
    await trendDrawn(page, 4);
    expect(page.url()).toBe(shared);
    expect(await page.locator('select[name="survey"]').inputValue()).toBe(survey.id);
    expect(await page.locator('select[name="metric"]').inputValue()).toBe(metric.key);
    expect(await page.locator('select[name="split"]').inputValue()).toBe('channel');
    expect(await page.locator('[data-testid="preset-90d"]').getAttribute('aria-pressed')).toBe('true');

    const second = await context.newPage();
    await second.goto(shared);
    await trendDrawn(second, 4);
    expect(await second.locator('select[name="metric"]').inputValue()).toBe(metric.key);
    expect(await second.locator('[data-testid="trend-row"]').allTextContents()).toEqual(await page.locator('[data-testid="trend-row"]').allTextContents());
    await second.close();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows each survey the analyses it has, downloads a CSV, and reads in Chinese', async () => {
    const page = await context.newPage();
    await page.goto(shared);
    await trendDrawn(page, 4);
    for (const survey of options.surveys.filter((each) => each.kind === 'satisfaction')) {
      await page.selectOption('select[name="survey"]', survey.id);
      await expect.poll(() => new URL(page.url()).searchParams.get('survey')).toBe(survey.id);
      await page.locator('[data-testid="figure-card"]').first().waitFor();
      const shown = async (testId: string) => page.locator(`[data-testid="${testId}"]`).count();
      expect({ survey: survey.title.en, levels: await shown('insights-levels'), drivers: await shown('insights-drivers'), model: await shown('insights-model') }).toEqual({
        survey: survey.title.en,
        levels: survey.hasLevels ? 1 : 0,
        drivers: survey.hasDrivers ? 1 : 0,
        model: survey.hasModel ? 1 : 0,
      });
    }

    const modelled = surveyWith('hasModel')!;
    await page.selectOption('select[name="survey"]', modelled.id);
    await page.locator('[data-testid="model-chart"], [data-testid="model-problem"]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="model-construct"]').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="model-arrow"]').count()).toBe(await page.locator('[data-testid="model-path"]').count());
    expect(await page.locator('[data-testid="model-summary"]').textContent()).toMatch(/n = [1-9]/);

    const driven = surveyWith('hasDrivers')!;
    await page.selectOption('select[name="survey"]', driven.id);
    await page.locator('[data-testid="driver-row"]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="drivers-chart"] svg').count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="insights-trend-csv"]')]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^series,period start,value,95% low,95% high,n/);

    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('洞察');
    expect(await page.locator('#insights-trend-heading').textContent()).toBe('趋势');
    expect(await page.locator('#insights-overview-heading').textContent()).toBe('主要指标');
    expect(await page.locator('[data-testid="nav-insights"]').textContent()).toBe('洞察');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('fits a 390 px phone, and keeps the weekly summary choice', async () => {
    const phone = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await phone.newPage();
    await signIn(page);
    // A link with values that make no sense opens the default view, spelled out in the URL again.
    await page.goto(`${served.baseUrl}/app/insights?from=2026-99-01&to=someday&unit=fortnight&split=colour&channel=fax&survey=gone`);
    await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe(options.today);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      to: options.today,
      metric: expect.any(String),
      unit: 'week',
    });
    await trendDrawn(page, 1);

    await page.goto(shared);
    await trendDrawn(page, 4);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('[data-testid="weekly-summary"]');
    await expect.poll(async () => (await (await manager.request('GET', '/api/insights/subscription')).json()).weeklySummary).toBe(true);
    await page.reload();
    await trendDrawn(page, 4);
    expect(await page.locator('[data-testid="weekly-summary"]').isChecked()).toBe(true);
    await phone.close();
  });

  it('lets an admin change the settings, with the server’s message by the field it is about', async () => {
    const admin = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await admin.newPage();
    await signIn(page, 'admin');
    await page.click('[data-testid="insights-settings-link"]');
    await page.locator('[data-testid="insights-settings"]').waitFor();
    expect(await page.locator('input[name="timeZone"]').inputValue()).toBe(options.timeZone);
    await page.fill('input[name="highlySatisfiedAbove"]', '0.5');
    await page.click('[data-testid="save-insights-settings"]');
    await expect.poll(() => page.locator('.field-invalid input[name="highlySatisfiedAbove"]').count()).toBe(1);
    expect(await page.locator('[data-testid="insights-settings"]').textContent()).toContain('must not be below the dissatisfied one');
    await page.fill('input[name="highlySatisfiedAbove"]', '1.2');
    await page.click('[data-testid="save-insights-settings"]');
    await expect.poll(() => page.locator('.insights-saved').textContent()).toBe('Settings saved.');
    expect(await seriousViolations(page)).toEqual([]);
    await admin.close();
  });
});
