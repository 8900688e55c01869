// The responses explorer in real Chromium over the demo data: a manager narrows a survey's responses by an
// answer and by words in the comments, reads the summary's n for that set, keeps the view on reload (it
// lives in the address), reaches every column of the table, downloads the set; in Chinese; on a phone.
import { and, eq, like } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveys, users } from '../server/db/schema.ts';
import { fillDemo } from '../server/cli/demo.ts';
import { catchUp } from '../server/insights/processor.ts';
import { catchUpExplorer } from '../server/responses/explorer-index.ts';
import { signedInAs, type StaffClient } from './support/app.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
let manager: StaffClient;
let surveyId: string;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await fillDemo(served.db, { responses: 1500 });
  await catchUp(served.db);
  await catchUpExplorer(served.db);
  manager = await signedInAs(served, 'manager');
  const [survey] = await served.db.select({ id: surveys.id }).from(surveys).where(eq(surveys.slug, 'demo-nps'));
  surveyId = survey!.id;
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function signIn(page: Page, role: 'manager' | 'support' = 'manager') {
  if (role === 'support') await signedInAs(served, 'support');
  // The test's own account: the demo's support agents have no password anyone knows.
  const [account] = await served.db.select({ email: users.email }).from(users).where(and(eq(users.role, role), like(users.email, 'user-%')));
  await signInThroughPage(page, served.baseUrl, account!.email, 'correct horse battery');
}

async function matching(query: string): Promise<number> {
  const answer = await manager.request('GET', `/api/surveys/${surveyId}/explorer/summary?${query}`);
  expect(answer.status).toBe(200);
  return (await answer.json()).n;
}

const count = (n: number) => new Intl.NumberFormat('en').format(n);

describe('the responses explorer', () => {
  it('filters by an answer and by words in the comments, keeps the view in the address, and exports that set', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${served.baseUrl}/app/surveys/${surveyId}/responses`);
    const n = page.getByTestId('explorer-n');
    await expect.poll(() => n.textContent(), { timeout: 15_000 }).toBe(`${count(await matching(''))} responses match`);
    expect(await n.isVisible()).toBe(true);

    // NPS at most 6, added with the answer filter's own controls.
    await page.getByTestId('explorer-question').selectOption('nps');
    await page.getByTestId('explorer-test').selectOption('le');
    await page.getByTestId('explorer-value').fill('6');
    await page.getByTestId('explorer-add').click();
    await page.waitForURL(/answer=nps(%3A|:)le(%3A|:)6/);
    const detractors = await matching('answer=nps:le:6');
    await expect.poll(() => n.textContent()).toBe(`${count(detractors)} responses match`);
    expect(await page.getByTestId('explorer-chip').textContent()).toContain('≤ 6');
    expect(detractors).toBeGreaterThan(0);

    // Words in the comments: a two-character Chinese word ("price").
    await page.getByTestId('explorer-search').fill('价格');
    await page.getByTestId('explorer-search').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === '价格');
    const withWord = await matching(`answer=nps:le:6&q=${encodeURIComponent('价格')}`);
    await expect.poll(() => n.textContent()).toBe(`${count(withWord)} responses match`);
    const rows = page.getByTestId('response-row');
    await expect.poll(() => rows.count()).toBe(Math.min(50, withWord));
    expect(withWord).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain('价格');

    // The view comes back on reload, from the address.
    await page.reload();
    await expect.poll(() => n.textContent(), { timeout: 15_000 }).toBe(`${count(withWord)} responses match`);
    expect(await page.getByTestId('explorer-chip').isVisible()).toBe(true);

    // Every question has a summary card with its n, and a column the table scrolls to.
    const cards = page.getByTestId('explorer-card');
    expect(await cards.count()).toBe(5);
    expect(await page.locator('[data-testid="explorer-card"][data-question="nps"]').textContent()).toContain('NPS (% promoters − % detractors) -100.0');
    const lastHeader = page.locator('.explorer-table thead th').last();
    await lastHeader.scrollIntoViewIfNeeded();
    expect(await lastHeader.isVisible()).toBe(true);
    expect(await page.locator('.explorer-table thead th').count()).toBe(5 + 5);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // The CSV link carries the same filters, in the language on screen.
    const href = await page.getByTestId('responses-csv').getAttribute('href');
    expect(href).toContain('answer=nps%3Ale%3A6');
    expect(href).toContain('lang=en');
    const csv = await manager.request('GET', href!);
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(withWord + 1);

    // From a customer's record to everything they answered on this survey.
    const answered = await served.db.$client.execute({
      sql: 'SELECT r.customer_id, c.name FROM responses r JOIN customers c ON c.id = r.customer_id WHERE r.survey_id = ? ORDER BY r.submitted_at DESC LIMIT 1',
      args: [surveyId],
    });
    const customerId = String(answered.rows[0]![0]);
    await page.goto(`${served.baseUrl}/app/customers/${customerId}`);
    await page.getByTestId('customer-survey-responses').first().waitFor();
    await page.locator(`[data-testid="customer-survey-responses"][href*="${surveyId}"]`).first().click();
    await page.waitForURL((url) => url.searchParams.get('customer') === customerId);
    await expect.poll(() => page.getByTestId('explorer-customer-chip').textContent(), { timeout: 15_000 }).toContain(String(answered.rows[0]![1]));
    await expect.poll(() => n.textContent()).toBe(`${count(await matching(`customer=${customerId}`))} responses match`);
    await context.close();
  }, 90_000);

  it('speaks Chinese, fits a phone, and is open to support', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, 'support');
    // Support finds the surveys through the menu, each told apart by its link name.
    await page.goto(`${served.baseUrl}/app/`);
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByTestId('nav-responses').click();
    const row = page.getByTestId('explorer-survey').filter({ hasText: 'demo-nps' });
    await row.waitFor();
    await row.getByRole('link').click();
    await page.waitForURL(new RegExp(`/app/surveys/${surveyId}/responses`));
    await page.goto(`${served.baseUrl}/app/surveys/${surveyId}/responses?channel=web`);
    const n = page.getByTestId('explorer-n');
    await expect.poll(() => n.textContent(), { timeout: 15_000 }).toBe(`符合条件的答卷：${new Intl.NumberFormat('zh-CN').format(await matching('channel=web'))} 份`);
    expect(await page.locator('h1').textContent()).toContain('答卷：');
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    // A filter that cannot be met says why, in the language on screen.
    await page.goto(`${served.baseUrl}/app/surveys/${surveyId}/responses?answer=nps:le:11`);
    await expect.poll(() => page.locator('.explorer-summary [role="alert"], .explorer-summary .alert').first().textContent(), { timeout: 15_000 }).toContain('0 到 10');
    await context.close();
  });
});
