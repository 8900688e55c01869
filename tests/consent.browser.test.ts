// In real Chromium: a customer unsubscribes; a manager giving the consent back is asked for the customer's new
// consent and how they gave it; a withdrawal is recorded at the customer's request; the customer's page shows
// the consent history newest first with source, who and note.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { campaignInvitations, campaigns, consentChanges, customers, surveys, users } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
const token = '0123456789ABCDEF';

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await served.db.insert(users).values({
    id: 'manager-wu',
    email: 'wu@example.com',
    name: 'Wu',
    role: 'manager',
    passwordHash: await hashPassword('manager password 3'),
  });
  const definition: SurveyDefinition = {
    kind: 'satisfaction',
    title: { 'zh-CN': '回访', en: 'Follow-up' },
    questions: [{ id: 'csat', type: 'csat', required: true, title: { 'zh-CN': '满意吗？', en: 'Satisfied?' } }],
  };
  await served.db.insert(surveys).values({ id: 'survey-1', slug: 'follow-up', kind: 'satisfaction', status: 'published', draft: definition });
  await served.db.insert(campaigns).values({ id: 'campaign-1', name: 'Spring', surveyId: 'survey-1', delivery: 'email', status: 'closed', audience: {} });
  await served.db.insert(customers).values({ id: 'customer-he', name: 'He Min', email: 'he@example.com', consents: { email: ['survey'] } });
  await served.db.insert(campaignInvitations).values({
    id: 'invitation-1',
    campaignId: 'campaign-1',
    customerId: 'customer-he',
    dedupeKey: 'campaign-1:customer-he',
    delivery: 'email',
    token,
    locale: 'en',
    invitedAt: Date.now() - 40 * 24 * 3600_000,
  });
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('consent on the customer’s page and form', () => {
  it('gives back a consent the customer withdrew only with their new consent, and shows the history', async () => {
    expect((await fetch(`${served.baseUrl}/u/${token}`, { method: 'POST' })).status).toBe(200);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInThroughPage(page, served.baseUrl, 'wu@example.com', 'manager password 3');

    await page.goto(`${served.baseUrl}/app/customers/customer-he/edit`);
    await page.check('input[name="consent-email-survey"]');
    await page.locator('[data-testid="consent-renewal"]').waitFor();
    await page.click('[data-testid="customer-save"]');
    // Not said to be the customer's new consent: the server keeps it withdrawn and says what to do.
    await expect.poll(() => page.locator('[data-testid="consent-problem"]').textContent()).toMatch(/The customer gave consent again/);
    const [kept] = await served.db.select().from(customers).where(eq(customers.id, 'customer-he'));
    expect(kept!.consents.email ?? []).not.toContain('survey');

    await page.check('input[name="renewConsent"]');
    await page.click('[data-testid="customer-save"]');
    await expect.poll(() => page.locator('#customer-renewalNote-error').textContent()).toMatch(/how the customer gave consent again/);
    await page.fill('#customer-renewalNote', 'Asked for surveys again by phone on 2 May');
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid="customer-save"]');
    await expect.poll(() => page.locator('[data-testid="customer-consents"]').textContent()).toContain('Email: Surveys');

    // The customer then asks not to be contacted at all.
    await page.click('[data-testid="edit-customer"]');
    await page.check('input[name="doNotContact"]');
    await page.check('input[name="customerRequest"]');
    await page.click('[data-testid="customer-save"]');
    await page.locator('[data-testid="customer-do-not-contact"]').waitFor();

    const rows = page.locator('[data-testid="consent-change"]');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allTextContents();
    expect(texts[0]).toMatch(/do not contact.*off → on.*Staff.*at the customer’s request.*Wu/);
    expect(texts[1]).toMatch(/consent to surveys by email.*withdrawn → given.*Staff.*the customer’s new consent.*Wu.*Asked for surveys again by phone on 2 May/);
    expect(texts[2]).toMatch(/consent to surveys by email.*given → withdrawn.*Unsubscribe link.*at the customer’s request.*The customer/);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // The CRM file sent again: the row is imported, the do-not-contact the customer asked for stays, and the
    // import page says so.
    await page.goto(`${served.baseUrl}/app/customers/import`);
    await page.setInputFiles('[data-testid="import-file"]', {
      name: 'crm.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,name,region,do_not_contact\nhe@example.com,He Min,Hangzhou,no\n'),
    });
    await page.locator('[data-testid="import-preview"]').waitFor();
    await page.click('[data-testid="import-start"]');
    await expect.poll(() => page.locator('[data-testid="import-run"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await page.locator('[data-testid="import-updated"]').textContent()).toBe('1');
    expect(await page.locator('[data-testid="import-consent-kept"]').textContent()).toBe('1');
    const keptRow = page.locator('[data-testid="consent-kept-row"]');
    await expect.poll(() => keptRow.count()).toBe(1);
    expect(await keptRow.textContent()).toMatch(/He Min.*do not contact: kept on at the customer's request/);
    expect(await seriousViolations(page)).toEqual([]);
    const [after] = await served.db.select().from(customers).where(eq(customers.id, 'customer-he'));
    expect(after).toMatchObject({ region: 'Hangzhou', doNotContact: true });
    await context.close();
  });

  it('shows a long consent history a page at a time, older changes on request', async () => {
    await served.db.insert(customers).values({ id: 'customer-many', name: 'Ma Lei', email: 'ma@example.com', consents: {} });
    await served.db.insert(consentChanges).values(
      Array.from({ length: 25 }, (_, n) => ({
        customerId: 'customer-many',
        fact: 'email.survey' as const,
        oldValue: n % 2 === 1,
        newValue: n % 2 === 0,
        source: 'staff' as const,
        actorName: 'Wu',
        note: `change ${n + 1}`,
        changedAt: Date.now() - (25 - n) * 60_000,
      })),
    );
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await signInThroughPage(page, served.baseUrl, 'wu@example.com', 'manager password 3');
    await page.goto(`${served.baseUrl}/app/customers/customer-many`);
    const rows = page.locator('[data-testid="consent-change"]');
    await expect.poll(() => rows.count()).toBe(20);
    expect(await rows.first().textContent()).toContain('change 25');
    const more = page.locator('[data-testid="consent-history-more"]');
    expect(await more.textContent()).toBe('Show older changes');
    await more.click();
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.last().textContent()).toContain('change 1');
    expect(await more.count()).toBe(0);
    await context.close();
  });
});
