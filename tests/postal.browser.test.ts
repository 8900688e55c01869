// Returned postal forms keyed in through the staff app in real Chromium, with the keyboard alone after the page
// opens: a form keyed once is stored as a mail response, and a second keying that differs is settled.
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { formatCode, tokenFromBytes } from '../server/campaigns/rules.ts';
import { campaignInvitations, campaigns, customers, responses, users } from '../server/db/schema.ts';
import { signedInAs, type StaffClient } from './support/app.ts';
import { launchChromium, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';
import { postalForm as form } from './support/postal.ts';

let served: ServedApp;
let browser: Browser;
let manager: StaffClient;
let versionId: string;
let surveyId: string;


beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await served.db.insert(users).values({
    id: 'interviewer-wu',
    email: 'wu@example.com',
    name: 'Wu',
    role: 'interviewer',
    passwordHash: await hashPassword('interviewer password 1'),
  });
  manager = await signedInAs(served, 'manager');
  const created = await manager.request('POST', '/api/surveys', { definition: form });
  surveyId = (await created.json()).survey.id;
  const published = (await (await manager.request('POST', `/api/surveys/${surveyId}/publish`)).json()).survey;
  versionId = published.versions[0].id;
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

/** A running postal campaign with one invited customer; answers the printed code. */
async function postalInvitation(doubleKeying: boolean) {
  const campaignId = randomUUID();
  const customerId = randomUUID();
  const token = tokenFromBytes(randomBytes(10));
  await served.db.insert(customers).values({ id: customerId, name: '陈晓明', postalAddress: '上海市浦东新区世纪大道 100 号', locale: 'zh-CN' });
  await served.db.insert(campaigns).values({ id: campaignId, name: 'Spring post', surveyId, versionId, delivery: 'post', status: 'running', settings: { post: { doubleKeying } } });
  await served.db.insert(campaignInvitations).values({ id: randomUUID(), campaignId, customerId, dedupeKey: `${campaignId}:${customerId}`, delivery: 'post', token, locale: 'zh-CN' });
  return { campaignId, token, code: formatCode(token) };
}

async function keyingPage(query = ''): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, served.baseUrl, 'wu@example.com', 'interviewer password 1');
  await page.goto(`${served.baseUrl}/app/keying${query}`);
  await page.locator('[data-testid="keying-code"]').waitFor();
  return page;
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe('keying in a returned form', () => {
  it('stores a form keyed with the keyboard alone as a mail response, after an error is fixed in place', async () => {
    const invitation = await postalInvitation(false);
    const page = await keyingPage(`?campaign=${invitation.campaignId}`);
    expect(await page.locator('[data-testid="keying-stored-count"]').textContent()).toBe('0');
    expect(await focusedTestId(page)).toBe('keying-code');

    await page.keyboard.type(invitation.code.toLowerCase());
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="keying-form"]').waitFor();
    expect(await page.locator('[data-testid="keying-customer"]').textContent()).toContain('陈晓明');
    expect(await focusedTestId(page)).toBe('keyed-overall');

    // 7 is off the 1-5 scale: the store is refused beside the field, and the field takes the focus.
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.keyboard.type('2');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="keyed-overall-error"]').waitFor();
    expect(await focusedTestId(page)).toBe('keyed-overall');
    expect(await page.locator('[data-testid="keyed-why"]').isDisabled()).toBe(true);
    // The message beside the field follows a switch of language, as every other message does.
    const fieldError = page.locator('[data-testid="keyed-overall-error"]');
    const inEnglish = await fieldError.innerText();
    await page.click('.language-switch button[lang="zh-CN"]');
    await expect.poll(() => fieldError.innerText()).not.toBe(inEnglish);
    expect(await fieldError.innerText()).toMatch(/[\u4e00-\u9fff]/);
    await page.click('.language-switch button[lang="en"]');
    await expect.poll(() => fieldError.innerText()).toBe(inEnglish);
    await page.locator('[data-testid="keyed-overall"]').focus();

    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('keyed-why');
    await page.keyboard.type('送货太慢');
    await page.keyboard.press('Control+Enter');

    await page.locator('[data-testid="keying-status"]', { hasText: 'Stored' }).waitFor();
    expect(await focusedTestId(page)).toBe('keying-code');
    expect(await page.locator('[data-testid="keying-code"]').inputValue()).toBe('');
    await page.locator('[data-testid="keying-stored-count"]', { hasText: '1' }).waitFor();

    const rows = await served.db.select().from(responses).where(eq(responses.campaignId, invitation.campaignId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'mail', locale: 'zh-CN', answers: { overall: 2, visit: 'online', why: '送货太慢' } });
    await page.context().close();
  });

  it('shows where a second keying differs and stores the settled answers', async () => {
    const invitation = await postalInvitation(true);
    const firstKeyer = await signedInAs(served, 'interviewer');
    const first = await firstKeyer.request('POST', `/api/keying/${invitation.token}`, { answers: { overall: 4, visit: 'shop' }, responseId: randomUUID() });
    expect(first.status).toBe(202);

    const page = await keyingPage();
    await page.keyboard.type(invitation.code);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="keying-form"]').waitFor();
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await page.keyboard.type('1');
    await page.keyboard.press('Control+Enter');

    await page.locator('[data-testid="keying-differences"]').waitFor();
    expect(await page.locator('[data-testid="keying-differences"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="difference-overall"]').textContent()).toContain('4 / 5');
    expect(await served.db.select().from(responses).where(eq(responses.campaignId, invitation.campaignId))).toHaveLength(0);

    // Focus is on "use first"; taking it puts 4 in the settled field, which stores with Ctrl+Enter.
    expect(await focusedTestId(page)).toBe('use-first-overall');
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-testid="settled-overall"]').inputValue()).toBe('4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('settled-overall');
    await page.keyboard.press('Control+Enter');

    await page.locator('[data-testid="keying-status"]', { hasText: 'Stored' }).waitFor();
    const rows = await served.db.select().from(responses).where(eq(responses.campaignId, invitation.campaignId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'mail', answers: { overall: 4, visit: 'shop' } });
    await page.context().close();
  });
});
