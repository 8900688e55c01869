// A manager keeps the loyalty settings in real Chromium: reached from the dashboard, every setting shown,
// a change saved through PUT /api/loyalty/settings and read back, and the server's messages shown by the
// fields they are about, in English and in Chinese.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../server/db/schema.ts';
import { readLoyaltySettings } from '../server/loyalty/settings.ts';
import { signedInAs } from './support/app.ts';
import { seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp();

beforeAll(async () => {
  await signedInAs(suite.served, 'manager');
});

async function signedIn(locale: 'en-US' | 'zh-CN'): Promise<Page> {
  const context = await suite.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const [account] = await suite.served.db.select({ email: users.email }).from(users).where(eq(users.role, 'manager'));
  await signInThroughPage(page, suite.served.baseUrl, account!.email, 'correct horse battery');
  return page;
}

describe('the loyalty settings page', () => {
  it('shows every setting, saves a change, and shows the server’s messages by their fields', async () => {
    const page = await signedIn('en-US');
    await page.goto(`${suite.served.baseUrl}/app/insights`);
    await page.getByTestId('loyalty-settings-link').click();
    await page.getByRole('heading', { name: 'Loyalty settings', level: 1 }).waitFor();
    const form = page.getByTestId('loyalty-settings');
    const field = (label: string) => form.getByLabel(label, { exact: true });
    await expect.poll(() => field('Days in which a customer counts as buying again').inputValue()).toBe('180');
    expect(await field('Months of purchases RFM and tiers look at').inputValue()).toBe('12');
    expect(await field('Base currency').inputValue()).toBe('CNY');
    expect(await field('Rate of CNY').inputValue()).toBe('1');
    expect(await field('VIP share of value (%)').inputValue()).toBe('50');
    expect(await field('Churn factor k (no purchase within k × the customer’s usual gap)').inputValue()).toBe('3');
    expect(await field('Behaviour (RFM)').inputValue()).toBe('0.4');
    expect(await field('Weeks between VIP follow-ups (0 for none)').inputValue()).toBe('8');
    expect(await form.getByLabel('Thank customers after a purchase').isChecked()).toBe(true);

    await field('Days in which a customer counts as buying again').fill('90');
    await form.getByTestId('loyalty-add-currency').click();
    await field('Currency 2').fill('usd');
    await field('Rate of usd').fill('7.1');
    await form.getByLabel('Thank customers after a purchase').uncheck();
    await page.getByTestId('save-loyalty-settings').click();
    await expect.poll(() => page.getByTestId('loyalty-settings-saved').innerText()).toBe('Loyalty settings saved.');
    const saved = await readLoyaltySettings(suite.served.db);
    expect(saved).toMatchObject({ buyAgainWithinDays: 90, currency: { base: 'CNY', rates: { CNY: 1, USD: 7.1 } }, followUp: { thankYouEnabled: false } });
    expect(await field('Rate of USD').inputValue()).toBe('7.1');

    // Shares that leave nothing for ordinary customers, and a window that is not a number.
    await field('VIP share of value (%)').fill('80');
    await field('Important share of value (%)').fill('30');
    await field('Months of purchases RFM and tiers look at').fill('twelve');
    await page.getByTestId('save-loyalty-settings').click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('VIP and important together must hold less than 100% of value');
    expect(await summary.innerText()).toContain('Months of purchases RFM and tiers look at: The window in months must be a whole number from 1 to 60.');
    const windowField = field('Months of purchases RFM and tiers look at');
    expect(await windowField.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.field-error').first().isVisible()).toBe(true);
    expect((await readLoyaltySettings(suite.served.db)).tierShares.vip).toBe(50);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('reads in Chinese, messages from the server included', async () => {
    const page = await signedIn('zh-CN');
    await page.goto(`${suite.served.baseUrl}/app/loyalty/settings`);
    await page.getByRole('heading', { name: '客户忠诚设置', level: 1 }).waitFor();
    const form = page.getByTestId('loyalty-settings');
    await expect.poll(() => form.getByLabel('计为再次购买的天数', { exact: true }).inputValue()).toBe('90');
    await form.getByLabel('两次全量重算的间隔（小时）', { exact: true }).fill('0');
    await page.getByTestId('save-loyalty-settings').click();
    await page.getByTestId('error-summary').waitFor();
    expect(await page.getByTestId('error-summary').innerText()).toContain('两次全量重算的间隔（小时）必须是 1 到 720 之间的整数。');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
