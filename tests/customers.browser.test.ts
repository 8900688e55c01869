// A manager imports customers through the staff app in real Chromium: picks a GB18030 tab-separated file,
// fixes the column the page could not recognise, watches the import finish, reads the rejected rows, and
// opens an imported customer's page with the response they gave.
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { customers, responses, surveys, surveyVersions, users } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await served.db.insert(users).values({
    id: 'manager-lin',
    email: 'lin@example.com',
    name: 'Lin',
    role: 'manager',
    passwordHash: await hashPassword('manager password 2'),
  });
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function signedInPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport, acceptDownloads: true });
  const page = await context.newPage();
  await signInThroughPage(page, served.baseUrl, 'lin@example.com', 'manager password 2');
  return { context, page };
}

const file = [
  '客户编号\t姓名\t邮箱\tMobile No.\t地区\t客户等级',
  'K-1\t陈晓明\tchen@example.cn\t13800138001\t上海\t贵宾',
  'K-2\t刘芳\tliu@\t13800138002\t北京\t普通',
  'K-3\t赵强\tzhao@example.cn\t13800138003\t广州\t钻石',
  'K-4\t孙丽\tsun@example.cn\t13800138004\t上海\t重要',
].join('\r\n');

describe('importing customers from the staff app', () => {
  it('imports a file after fixing one column, and reports every rejected row', async () => {
    const { context, page } = await signedInPage({ width: 1280, height: 900 });
    await page.click('[data-testid="nav-customers"]');
    await page.locator('[data-testid="customers-empty"]').waitFor();
    await page.click('[data-testid="open-import"]');
    await page.setInputFiles('[data-testid="import-file"]', {
      name: '客户名单.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode(file, 'gb18030'),
    });
    await page.locator('[data-testid="import-preview"]').waitFor();
    expect(await page.locator('#import-encoding').inputValue()).toBe('gb18030');
    expect(await page.locator('#import-delimiter').inputValue()).toBe('tab');
    expect(await page.locator('[data-testid="import-preview"] thead th').allTextContents()).toEqual(['客户编号', '姓名', '邮箱', 'Mobile No.', '地区', '客户等级']);
    expect(await page.locator('[data-testid="import-preview"] tbody tr').first().textContent()).toContain('陈晓明');

    // The page proposes a field for every column it recognises; "Mobile No." it leaves out until told.
    expect(await page.locator('[data-testid="mapping-1"]').inputValue()).toBe('name');
    expect(await page.locator('[data-testid="mapping-3"]').inputValue()).toBe('');
    await page.selectOption('[data-testid="mapping-3"]', 'phone');

    // Mapping two columns to one field is caught before anything is sent.
    await page.selectOption('[data-testid="mapping-4"]', 'phone');
    await page.locator('[data-testid="mapping-problems"]').waitFor();
    expect(await page.locator('[data-testid="import-start"]').isDisabled()).toBe(true);
    await page.selectOption('[data-testid="mapping-4"]', 'region');
    await expect.poll(() => page.locator('[data-testid="mapping-problems"]').count()).toBe(0);

    await page.click('[data-testid="import-start"]');
    const run = page.locator('[data-testid="import-run"]');
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await page.locator('[data-testid="import-progress"]').getAttribute('value')).toBe('100');
    expect(await page.locator('[data-testid="import-created"]').textContent()).toBe('2');
    expect(await page.locator('[data-testid="import-rejected"]').textContent()).toBe('2');

    const rejected = page.locator('[data-testid="rejected-row"]');
    await expect.poll(() => rejected.count()).toBe(2);
    expect(await page.locator('.rejected-table thead th').allTextContents()).toEqual(['Row', 'Reason', '客户编号', '姓名', '邮箱', 'Mobile No.', '地区', '客户等级']);
    expect(await rejected.nth(0).textContent()).toContain('row 3: "邮箱" is not an email address (got "liu@")');
    expect(await rejected.nth(1).textContent()).toContain('row 4: "客户等级" must be vip, important or ordinary');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="rejected-download"]')]);
    const report = readFileSync((await download.path())!, 'utf8');
    expect(report.split('\r\n')[0]).toBe('\uFEFFrow,reason,客户编号,姓名,邮箱,Mobile No.,地区,客户等级');
    expect(report).toContain('K-3,赵强,zhao@example.cn,13800138003,广州,钻石');

    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    const stored = await served.db.select().from(customers);
    expect(stored.map((customer) => [customer.externalId, customer.phone, customer.tier]).sort()).toEqual([
      ['K-1', '13800138001', 'vip'],
      ['K-4', '13800138004', 'important'],
    ]);
  });

  it('finds the customer at phone width and opens their page with the response they gave', async () => {
    const [chen] = (await served.db.select().from(customers)).filter((customer) => customer.externalId === 'K-1');
    const definition: SurveyDefinition = {
      kind: 'satisfaction',
      title: { 'zh-CN': '售后回访', en: 'After-sales follow-up' },
      questions: [{ id: 'csat', type: 'csat', required: true, title: { 'zh-CN': '满意吗？', en: 'Satisfied?' } }],
    };
    await served.db.insert(surveys).values({ id: 'survey-1', slug: 'after-sales', kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: 'version-1' });
    await served.db.insert(surveyVersions).values({ id: 'version-1', surveyId: 'survey-1', version: 1, definition });
    await served.db.insert(responses).values({
      id: 'response-chen',
      surveyId: 'survey-1',
      versionId: 'version-1',
      channel: 'phone',
      locale: 'zh-CN',
      answers: { csat: 5 },
      submittedAt: Date.now() - 3_600_000,
      customerId: chen!.id,
    });

    const { context, page } = await signedInPage({ width: 390, height: 844 });
    await page.goto(`${served.baseUrl}/app/customers`);
    await page.fill('input[name="q"]', '1380013 8001');
    await page.click('[data-testid="customers-search"]');
    const rows = page.locator('[data-testid="customer-row"]');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await rows.first().locator('a').click();
    await expect.poll(() => page.locator('[data-testid="customer-name"]').textContent()).toBe('陈晓明');
    expect(await page.locator('[data-testid="customer-email"]').textContent()).toBe('chen@example.cn');
    const answered = page.locator('[data-testid="customer-response-row"]');
    await expect.poll(() => answered.count()).toBe(1);
    expect(await answered.textContent()).toContain('After-sales follow-up');
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await answered.locator('a[href*="/responses/"]').first().click();
    await page.waitForURL(/\/app\/responses\/response-chen$/);
    await page.locator('[data-testid="response-answer"]').first().waitFor();
    await context.close();
  });

  it('shows the customer form’s mistakes at their fields before sending, then saves', async () => {
    const { context, page } = await signedInPage({ width: 390, height: 844 });
    await page.goto(`${served.baseUrl}/app/customers/new`);
    await page.selectOption('#customer-kind', 'enterprise');
    await page.fill('#customer-name', '远航物流有限公司');
    await page.fill('#customer-email', 'ops@');
    await page.click('[data-testid="customer-save"]');
    await page.locator('[data-testid="customer-form-problems"]').waitFor();
    expect(await page.locator('#customer-email-error').textContent()).toMatch(/email address/);
    expect(await page.locator('#customer-contactName-error').textContent()).toMatch(/contact person/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('customer-contactName');
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#customer-contactName', '周经理');
    await page.fill('#customer-email', 'ops@yuanhang.cn');
    await page.check('input[name="consent-email-survey"]');
    await page.check('input[name="doNotCall"]');
    await page.selectOption('#customer-preferredChannel', 'email');
    await page.click('[data-testid="customer-save"]');
    await expect.poll(() => page.locator('[data-testid="customer-name"]').textContent()).toBe('远航物流有限公司');
    expect(await page.locator('[data-testid="customer-consents"]').textContent()).toContain('Email: Surveys');
    const [saved] = await served.db.select().from(customers).where(eq(customers.name, '远航物流有限公司'));
    expect(saved).toMatchObject({ preferredChannel: 'email', doNotCall: true, contactName: '周经理' });
    await context.close();
  });
});
