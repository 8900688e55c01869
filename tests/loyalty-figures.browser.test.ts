// A manager reads the loyalty figures on the insight dashboard in real Chromium, over rows written straight to
// the database: the charts show, the at-risk list comes highest value first and turns round on its header (kept
// in the URL), a customer's name leads to their page, a part's CSV downloads, our own TARP table stands beside
// both published versions, each named, and the whole section reads in Chinese.
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintCases, customerLoyalty, customers, loyaltyChanges, purchases, users } from '../server/db/schema.ts';
import { seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';
import { signedInAs } from './support/app.ts';

const day = 86_400_000;
const now = Date.now();
const ago = (days: number) => now - days * day;
const dayIn = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
const query = `from=${dayIn(ago(400))}&to=${dayIn(now)}`;

const suite = useBrowserApp();

beforeAll(async () => {
  await signedInAs(suite.served, 'manager');
  const names = ['Wang Fang', 'Li Na', 'Zhang Wei', 'Liu Yang', 'Chen Jing', 'Zhao Lei', 'Huang Min', 'Zhou Tao'];
  await suite.served.db.insert(customers).values(names.map((name, index) => ({ id: `c-${index}`, name, tier: index < 2 ? ('vip' as const) : index < 4 ? ('important' as const) : ('ordinary' as const) })));
  const stages = ['regular', 'regular', 'long_standing', 'loyal', 'new', 'regular', 'prospect', 'regular'] as const;
  const values = [90_000, 250_000, 40_000, 60_000, 2_000, 15_000, 0, 7_500];
  await suite.served.db.insert(customerLoyalty).values(
    names.map((_, index) => ({
      customerId: `c-${index}`,
      stage: stages[index]!,
      atRisk: index === 0 || index === 1 || index === 5,
      atRiskReasons: index === 0 ? ['unresolved_major_complaint' as const] : index === 1 ? ['falling_frequency' as const, 'falling_recency' as const] : ['overdue_purchase' as const],
      churned: index === 7 ? ('silent' as const) : null,
      computedTier: index < 2 ? ('vip' as const) : index < 4 ? ('important' as const) : ('ordinary' as const),
      windowValue: values[index]!,
      windowPurchases: values[index]! > 0 ? 4 : 0,
      lastPurchaseAt: ago(30 + index),
      score: 40 + index,
      computedAt: now,
    })),
  );
  await suite.served.db.insert(loyaltyChanges).values([
    { customerId: 'c-0', at: ago(200), field: 'stage', before: 'new', after: 'regular', cause: 'recompute' },
    { customerId: 'c-0', at: ago(20), field: 'at_risk', before: 'false', after: 'true', cause: 'case', reasons: ['unresolved_major_complaint'] },
    { customerId: 'c-1', at: ago(15), field: 'at_risk', before: 'false', after: 'true', cause: 'recompute', reasons: ['falling_frequency', 'falling_recency'] },
    { customerId: 'c-7', at: ago(9), field: 'churned', before: null, after: 'silent', cause: 'recompute' },
  ]);
  // Complaints a year back and the purchases after them, for our own TARP table.
  let order = 0;
  for (let index = 0; index < 8; index++) {
    for (const daysAgo of [380, 300, 250, 120]) {
      await suite.served.db.insert(purchases).values({ customerId: `c-${index}`, orderId: `o-${++order}`, occurredAt: ago(daysAgo - index), amountMinor: 10_000, currency: 'CNY', source: 'api' });
    }
  }
  const outcomes = ['resolved_quickly', 'resolved', 'unresolved'] as const;
  for (let index = 0; index < 6; index++) {
    await suite.served.db.insert(complaintCases).values({
      id: `case-${index}`, number: index + 1, reference: `C-2026-00000${index + 1}`, source: 'form', channel: 'web', category: 'product',
      severity: index % 2 === 0 ? 'minor' : 'major', description: 'It broke.', locale: 'en', customerId: `c-${index}`, status: 'closed',
      outcome: outcomes[index % 3]!, createdAt: ago(320 - index), statusToken: `s-${index}`, replyToken: `r-${index}`,
    });
  }
});

async function openDashboard(locale: 'en-US' | 'zh-CN'): Promise<Page> {
  const context = await suite.browser.newContext({ locale, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const [account] = await suite.served.db.select({ email: users.email }).from(users).where(eq(users.role, 'manager'));
  await signInThroughPage(page, suite.served.baseUrl, account!.email, 'correct horse battery');
  await page.goto(`${suite.served.baseUrl}/app/insights?${query}`);
  return page;
}

const values = (page: Page) => page.getByTestId('loyalty-at-risk-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-value'))));

describe('the loyalty figures on the dashboard', () => {
  it('shows the charts, the at-risk list sorted by value either way, our TARP table beside both published versions, and a CSV', async () => {
    const page = await openDashboard('en-US');
    const section = page.getByTestId('insights-loyalty');
    await section.getByRole('heading', { name: 'Loyalty', level: 2 }).waitFor();

    for (const chart of ['loyalty-stages-chart', 'loyalty-churn-chart', 'loyalty-flows-chart', 'loyalty-pyramid-chart', 'loyalty-tarp-chart-minor', 'loyalty-tarp-chart-major']) {
      await expect.poll(() => section.locator(`[data-testid="${chart}"] svg`).first().isVisible(), { message: chart }).toBe(true);
    }
    expect(await section.locator('[data-testid="loyalty-stage-row"][data-stage="regular"]').innerText()).toMatch(/Regular\s+4\s+50%\s+3\s+1/);
    // Two of the seven customers with purchases hold 3,400 of 4,645 yuan; the practice quotes 5% and 50%.
    expect(await section.locator('[data-testid="loyalty-tier-row"][data-tier="vip"]').innerText()).toMatch(/VIP\s+2\s+28\.6%\s+\S*3,400\.00\s+73\.2%\s+5%\s+50%/);

    // Who moved from regular into at-risk, and why.
    const movers = section.getByTestId('loyalty-movers');
    expect(await movers.getByTestId('loyalty-mover-row').first().innerText()).toContain('Li Na');
    expect(await movers.innerText()).toContain('Unresolved major complaint');

    // Highest value first; the header turns the order round, kept in the URL.
    const list = section.getByTestId('loyalty-at-risk');
    await expect.poll(() => values(page)).toEqual([250_000, 90_000, 15_000]);
    expect(await list.getByTestId('loyalty-at-risk-row').first().innerText()).toContain('2,500.00');
    await list.getByTestId('loyalty-at-risk-sort').click();
    await page.waitForURL(/loyaltyOrder=value_asc/);
    await expect.poll(() => values(page)).toEqual([15_000, 90_000, 250_000]);
    expect(await list.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');

    const tarp = section.getByTestId('loyalty-tarp');
    const sources = await tarp.getByTestId('loyalty-tarp-source').allInnerTexts();
    expect(sources).toHaveLength(2);
    expect(sources[0]).toContain('TARP study for the US Office of Consumer Affairs');
    expect(sources[1]).toContain('Variant of the TARP research');
    const quickMajor = tarp.locator('[data-testid="loyalty-tarp-table"][data-severity="major"] [data-group="resolved_quickly"]');
    expect(await quickMajor.innerText()).toMatch(/82%\s+52%–95%/);

    const [download] = await Promise.all([page.waitForEvent('download'), section.getByTestId('loyalty-at-risk-csv').click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]).toBe('customer id,name,stage,tier,reasons,value (CNY),last purchase,score');
    expect(csv[1]).toMatch(/^c-5,Zhao Lei,Regular,Ordinary,Purchase overdue,150,/);

    await list.getByRole('link', { name: 'Wang Fang' }).click();
    await page.waitForURL(/\/app\/customers\/c-0$/);
    await page.goBack();
    await section.getByTestId('loyalty-tarp').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('reads in Chinese', async () => {
    const page = await openDashboard('zh-CN');
    const section = page.getByTestId('insights-loyalty');
    await section.getByRole('heading', { name: '客户忠诚', level: 2 }).waitFor();
    await expect.poll(() => section.locator('[data-testid="loyalty-flows-chart"] svg').first().isVisible()).toBe(true);
    expect(await section.getByTestId('loyalty-stages').innerText()).toContain('经常性客户');
    expect(await section.getByTestId('loyalty-at-risk').innerText()).toContain('重大投诉未解决');
    await expect.poll(() => values(page)).toEqual([250_000, 90_000, 15_000]);
    const sources = await section.getByTestId('loyalty-tarp-source').allInnerTexts();
    expect(sources[0]).toContain('TARP 为美国消费者事务办公室所做的研究');
    expect(sources[1]).toContain('课程资料引用的 TARP 研究另一版本');
    expect(await section.getByTestId('loyalty-pyramid').innerText()).toContain('贵宾型');
    const href = await section.getByTestId('loyalty-tarp-csv').getAttribute('href');
    expect(href).toContain('chart=tarp');
    expect(href).toContain('lang=zh-CN');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
