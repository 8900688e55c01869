// Reading the dashboard in real Chromium over demo data: the period comparison draws counts as bars from zero
// and rates as points with their intervals; an ACSI survey opens on its index, and its key drivers carry
// short labels that can be told apart, with the full question in the table; and two surveys with the same
// title are told apart by their link name and status wherever a survey is picked.
import { eq } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveys, users } from '../server/db/schema.ts';
import { fillDemo } from '../server/cli/demo.ts';
import { catchUp } from '../server/insights/processor.ts';
import { templates } from '../surveys/templates/index.ts';
import { signedInAs } from './support/app.ts';
import { launchChromium, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
let acsiId = '';
let copyId = '';

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await fillDemo(served.db, { responses: 600 });
  await catchUp(served.db);
  const manager = await signedInAs(served, 'manager');
  [{ id: acsiId }] = (await served.db.select({ id: surveys.id }).from(surveys).where(eq(surveys.slug, 'demo-acsi'))) as [{ id: string }];
  // A second survey with the ACSI survey's title, published under another link name.
  const created = await manager.request('POST', '/api/surveys', { definition: templates.acsi, slug: 'acsi-stores' });
  expect(created.status).toBe(201);
  copyId = (await created.json()).survey.id;
  expect((await manager.request('POST', `/api/surveys/${copyId}/publish`)).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

/** A manager signed in afresh, in a browser context of its own. */
async function signedInPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, 'manager'));
  await signInThroughPage(page, served.baseUrl, account!.email, 'correct horse battery');
  return page;
}

/** The words drawn in a chart's SVG (axis labels, point labels, legend), as a person reads them. */
const chartWords = (chart: Locator) => chart.locator('svg text').allTextContents();

describe('the period comparison', () => {
  it('draws counts as bars from zero, and rates as points with their intervals', async () => {
    const page = await signedInPage();
    await page.goto(`${served.baseUrl}/app/insights?metric=responses&split=channel`);
    const chart = page.locator('[data-testid="compare-chart"]');
    await expect.poll(() => chart.locator('svg text').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    const numbers = (await chartWords(chart)).map((word) => Number(word.replace(/,/g, ''))).filter((value) => Number.isFinite(value));
    expect(Math.min(...numbers)).toBe(0);
    expect(await page.locator('[data-testid="compare-reading"]').textContent()).toBe('Bars start at zero, so their lengths compare.');

    await page.selectOption('select[name="metric"]', 'nps');
    const reading = page.locator('[data-testid="compare-reading"]');
    await expect.poll(() => reading.textContent()).toMatch(/^Each dot is the figure; the line through it is its 95% interval/);
    expect(await reading.isVisible()).toBe(true);
    await page.context().close();
  });
});

describe('an ACSI survey', () => {
  it('opens on its index, with key drivers labelled apart and the full question in the table', async () => {
    const page = await signedInPage();
    await page.goto(`${served.baseUrl}/app/insights`);
    await page.locator('select[name="survey"]').waitFor();
    await page.selectOption('select[name="survey"]', acsiId);
    await expect.poll(() => new URL(page.url()).searchParams.get('survey')).toBe(acsiId);
    const figure = page.locator('select[name="metric"] option:checked');
    await expect.poll(() => figure.textContent()).toMatch(/^Index: /);

    // A year of answers is enough to rank the drivers.
    await page.click('[data-testid="preset-12m"]');
    await expect.poll(() => page.locator('[data-testid="drivers-summary"]').textContent(), { timeout: 15_000 }).toMatch(/R² = \d/);
    const rows = page.locator('[data-testid="driver-row"]');
    await rows.first().waitFor({ timeout: 15_000 });
    const tableText = (await rows.allTextContents()).join('\n');
    expect(tableText).toContain('Before you became our customer, what did you expect the overall quality of our products and services to be?');
    // Each point's label is short and its own; none is cut into the same "Before you became…".
    const chart = page.locator('[data-testid="drivers-chart"]');
    const shortened = async () => (await chartWords(chart)).filter((word) => word.endsWith('…'));
    await expect.poll(async () => (await shortened()).length, { timeout: 15_000 }).toBeGreaterThan(2);
    expect((await chartWords(chart)).filter((word) => word.startsWith('Before you became'))).toEqual([]);
    expect(new Set(await shortened()).size).toBe((await shortened()).length);

    // By keyboard: the chart takes focus, and the arrow keys step through the points, each one's full text
    // shown in its tooltip and said by a live region.
    await chart.focus();
    const spoken = page.locator('[data-testid="drivers-chart-point"]');
    await expect.poll(() => spoken.textContent()).toMatch(/^.{25,} · Performance: [\d.]+ · Importance: /);
    const first = (await spoken.textContent())!;
    const fullText = first.split(' · ')[0]!;
    await expect.poll(() => chart.locator('div', { hasText: fullText }).last().isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => spoken.textContent()).not.toBe(first);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => spoken.textContent()).toBe(first);
    await page.context().close();
  });
});

describe('two surveys with the same title', () => {
  const choices = (page: Page, select: string) =>
    page.locator(`${select} option`).evaluateAll((options) => options.map((option) => ({ value: (option as HTMLOptionElement).value, text: option.textContent })));

  it('are told apart by link name and status in the dashboard filter and the campaign picker', async () => {
    const page = await signedInPage();
    await page.goto(`${served.baseUrl}/app/insights`);
    await page.locator('select[name="survey"]').waitFor();
    const filter = await choices(page, 'select[name="survey"]');
    expect(filter.find((option) => option.value === acsiId)!.text).toMatch(/^.+ — \/s\/demo-acsi · Published$/);
    expect(filter.find((option) => option.value === copyId)!.text).toMatch(/^.+ — \/s\/acsi-stores · Published$/);

    await page.goto(`${served.baseUrl}/app/campaigns/new`);
    await page.locator('select[name="surveyId"]').waitFor();
    const picker = await choices(page, 'select[name="surveyId"]');
    expect(picker.find((option) => option.value === acsiId)!.text).toMatch(/^.+ — \/s\/demo-acsi · Published$/);
    expect(picker.find((option) => option.value === copyId)!.text).toMatch(/^.+ — \/s\/acsi-stores · Published$/);
    await page.context().close();
  });
});
