// A manager imports purchases through the staff app in real Chromium: opens the import from the customers list,
// picks a GB18030 file with Chinese headers, leaves a notes column out, watches the import finish, reads the row
// it refused and why, then opens an imported customer's purchases (the CustomerPurchases part the customer page
// mounts) in English and in Chinese. How the customer page itself shows that part is tested with that page.
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { customers, purchases } from '../server/db/schema.ts';
import { pageFitsWidth, seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp({ staff: [{ id: 'manager-lin', email: 'lin@example.com', name: 'Lin', role: 'manager', password: 'manager password 2' }] });

beforeAll(async () => {
  await suite.served.db.insert(customers).values([
    { id: 'cust-chen', externalId: 'K-1', name: '陈晓明', email: 'chen@example.cn' },
    { id: 'cust-liu', externalId: 'K-2', name: '刘芳', email: 'liu@example.cn' },
  ]);
});

async function signedInPage(locale: string, width = 1280): Promise<Page> {
  const context = await suite.browser.newContext({ locale, viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, suite.served.baseUrl, 'lin@example.com', 'manager password 2');
  return page;
}

const file = [
  '订单号,客户编号,下单时间,金额,渠道,备注,原订单号',
  'A-1,K-1,2026-03-01 10:00,"1,299.00",门店,首单,',
  'A-2,K-1,2026-04-02 11:30,88.50,网店,,',
  'A-3,K-9,2026-04-03,10,网店,,',
  'R-1,,2026-04-05,-99.00,,退货,A-1',
  'A-4,K-2,2026-04-06,5,网店,,',
].join('\r\n');

describe('importing purchases from the staff app', () => {
  it('imports a file, lists the refused row with its reason, and shows a customer’s purchases', async () => {
    const page = await signedInPage('en-US');
    await page.click('[data-testid="nav-customers"]');
    await page.click('[data-testid="open-purchase-import"]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Import purchases');
    await page.setInputFiles('[data-testid="import-file"]', { name: '订单.csv', mimeType: 'text/csv', buffer: iconv.encode(file, 'gb18030') });
    await page.locator('[data-testid="import-preview"]').waitFor();
    expect(await page.locator('#purchase-import-encoding').inputValue()).toBe('gb18030');
    expect(await page.locator('[data-testid="import-preview"] thead th').allTextContents()).toEqual(['订单号', '客户编号', '下单时间', '金额', '渠道', '备注', '原订单号']);
    // Every column the page knows is proposed; the notes column is left out.
    expect(await Promise.all([0, 1, 2, 3, 4, 5, 6].map((column) => page.locator(`[data-testid="mapping-${column}"]`).inputValue()))).toEqual([
      'order_id', 'customer_external_id', 'occurred_at', 'amount', 'channel', '', 'refund_of',
    ]);
    // Without the amount column the import cannot start, and says why.
    await page.selectOption('[data-testid="mapping-3"]', '');
    await expect.poll(() => page.locator('[data-testid="mapping-problems"]').textContent()).toContain('Choose the column with the amount.');
    expect(await page.locator('[data-testid="import-start"]').isDisabled()).toBe(true);
    await page.selectOption('[data-testid="mapping-3"]', 'amount');
    await expect.poll(() => page.locator('[data-testid="mapping-problems"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('[data-testid="import-start"]');
    const run = page.locator('[data-testid="import-run"]');
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await page.locator('[data-testid="import-created"]').textContent()).toBe('4');
    expect(await page.locator('[data-testid="import-rejected"]').textContent()).toBe('1');
    const refused = page.locator('[data-testid="rejected-row"]');
    await refused.first().waitFor();
    expect(await refused.count()).toBe(1);
    expect(await refused.first().getAttribute('data-row')).toBe('4');
    expect(await refused.first().locator('.reason-cell').textContent()).toContain('row 4: "客户编号": no customer has the external id "K-9"');
    expect(await refused.first().isVisible()).toBe(true);

    // The customers the file reached, each opening to their purchases.
    const reached = page.locator('[data-testid="import-customer"]');
    await expect.poll(() => reached.allTextContents()).toEqual([expect.stringContaining('陈晓明'), expect.stringContaining('刘芳')]);
    await reached.first().locator('[data-testid="show-purchases"]').click();
    const shown = reached.first().locator('[data-testid="customer-purchases"]');
    const rows = shown.locator('[data-testid="purchase-row"]');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().isVisible()).toBe(true);
    expect(await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-order')))).toEqual(['R-1', 'A-2', 'A-1']);
    expect(await rows.first().textContent()).toContain('-99.00 CNY');
    expect(await rows.first().textContent()).toContain('refund of A-1');
    expect(await rows.nth(2).textContent()).toContain('1299.00 CNY');
    expect(await rows.nth(2).textContent()).toContain('CSV import');
    expect(await shown.locator('[data-testid="purchases-total"]').textContent()).toContain('2 purchases, 1 refunds, net 1288.50 CNY');
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await suite.served.db.select().from(purchases)).toHaveLength(4);
    await page.context().close();
  });

  it('shows the purchases in Chinese, and on a phone', async () => {
    const page = await signedInPage('zh-CN', 390);
    await page.goto(`${suite.served.baseUrl}/app/purchases/import`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('导入购买记录');
    await page.setInputFiles('[data-testid="import-file"]', {
      name: 'orders.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('order_id,customer_external_id,occurred_at,amount,channel\nA-1,K-1,2026-03-01 10:00,"1,299.00",门店\nA-5,K-1,2026-05-01 08:00,20,门店\n'),
    });
    await page.locator('[data-testid="import-start"]').click();
    await expect.poll(() => page.locator('[data-testid="import-run"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await page.locator('[data-testid="import-unchanged"]').textContent()).toBe('1');
    expect(await page.locator('[data-testid="import-created"]').textContent()).toBe('1');
    await page.locator('[data-testid="show-purchases"]').first().click();
    const total = page.locator('[data-testid="purchases-total"]');
    await expect.poll(() => total.textContent()).toContain('购买 3 次，退款 1 次，净额 1308.50 CNY');
    expect(await total.isVisible()).toBe(true);
    expect(await page.locator('[data-testid="purchase-row"]').nth(1).textContent()).toContain('退款，原订单 A-1');
    expect(await pageFitsWidth(page)).toBe(true);
    await page.context().close();
  });
});
