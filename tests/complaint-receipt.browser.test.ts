// In real Chromium on a 390 px phone, in both languages: the complaint form sent on its open link thanks the
// customer with the case's reference, large enough to read out on a call, when the first reply is due, and a link
// to follow the complaint, which opens the case's status page. A reload in the same tab still shows them.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { campaigns, complaintCases, users } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { consoleErrors, pageFitsWidth, seriousViolations, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp();
let surveyId: string;

beforeAll(async () => {
  await suite.served.db.insert(users).values({ id: 'manager-fang', email: 'fang@example.com', name: 'Fang', role: 'manager', passwordHash: 'x' });
  const created = await createSurvey(suite.served.db, { templateId: 'complaint-form', slug: 'complain', createdBy: null });
  await publish(suite.served.db, { id: created.id, publishedBy: 'manager-fang' });
  surveyId = created.id;
});

async function fillComplaint(page: Page, description: string) {
  const option = (question: string, value: string) => page.locator(`[data-question="${question}"] label:has(input[value="${value}"])`).click();
  await option('category', 'delivery');
  await option('severity', 'minor');
  await page.locator('[data-question="description"] textarea').fill(description);
  await option('desired_outcome', 'apology');
  await page.click('[data-testid="submit"]');
  await page.locator('[data-testid="thank-you"]').waitFor();
}

const caseOf = async (description: string) =>
  (await suite.served.db.select().from(complaintCases).where(eq(complaintCases.description, description)))[0]!;

describe('the thanks after a complaint form', () => {
  it.each([
    ['en-US', 'Your reference', 'Quote it if you call us.', /^We will reply by \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M \(GMT\+8\)\.$/, 'Follow your complaint', 'en'],
    ['zh-CN', '您的投诉编号', '致电我们时请提供此编号。', /^我们将在 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \(GMT\+8\) 前回复您。$/, '查看投诉处理进度', 'zh-CN'],
  ] as const)('%s: shows the reference, when we reply, and a link that opens the status page', async (locale, label, hint, due, follow, caseLocale) => {
    const context = await suite.browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${suite.served.baseUrl}/s/complain`);
    await fillComplaint(page, `The parcel came a week late (${locale}).`);
    const opened = await caseOf(`The parcel came a week late (${locale}).`);
    expect(opened!.locale).toBe(caseLocale);
    const receipt = page.getByTestId('case-receipt');
    const reference = page.getByTestId('case-reference');
    await reference.waitFor({ state: 'visible' });
    expect(await reference.innerText()).toBe(opened!.reference);
    expect(await receipt.getByText(label, { exact: true }).isVisible()).toBe(true);
    expect(await receipt.getByText(hint, { exact: true }).isVisible()).toBe(true);
    const replyBy = page.getByTestId('case-due');
    expect(await replyBy.isVisible()).toBe(true);
    expect(await replyBy.innerText()).toMatch(due);
    // Large type: bigger than the message above it.
    const size = (selector: string) => page.locator(selector).evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    expect(await size('[data-testid="case-reference"]')).toBeGreaterThan(await size('.sv-notice-body'));
    const link = page.getByRole('link', { name: follow });
    expect(await link.isVisible()).toBe(true);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // A reload in the same tab still shows them.
    await page.reload();
    await reference.waitFor({ state: 'visible' });
    expect(await reference.innerText()).toBe(opened!.reference);

    await link.tap();
    await page.waitForURL(`**/c/${opened!.statusToken}`);
    const onStatusPage = page.getByTestId('reference');
    await onStatusPage.waitFor({ state: 'visible' });
    expect(await onStatusPage.innerText()).toBe(opened!.reference);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a kiosk: shows the reference long enough to note down, but no link to the case', async () => {
    const kioskKey = randomUUID().replace(/-/g, '');
    await suite.served.db.insert(campaigns).values({
      id: randomUUID(),
      name: 'Lobby kiosk',
      surveyId,
      delivery: 'kiosk',
      status: 'running',
      settings: { kiosk: { location: 'Lobby', idleSeconds: 60 } },
      kioskKey,
    });
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${suite.served.baseUrl}/k/${kioskKey}`);
    await page.click('[data-testid="kiosk-start-button"]');
    await fillComplaint(page, 'Complained at the kiosk.');
    const reference = page.getByTestId('case-reference');
    await reference.waitFor({ state: 'visible' });
    const opened = await caseOf('Complained at the kiosk.');
    expect(await reference.innerText()).toBe(opened.reference);
    expect(await page.getByTestId('case-status-link').count()).toBe(0);
    expect(await page.locator('a[href*="/c/"]').count()).toBe(0);
    // Longer than the usual few seconds of thanks.
    await expect.poll(async () => Number((await page.locator('.kiosk-next').innerText()).match(/\d+/)![0])).toBeGreaterThan(10);
    await context.close();
  });
});
