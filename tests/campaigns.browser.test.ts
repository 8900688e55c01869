// A manager runs an email campaign from the staff app in real Chromium: picks a segment and watches the
// matching count follow, launches after confirming the count, and reads the funnel, the customers skipped
// and why (in Chinese too), and the notice that mail waits in the Outbox because no SMTP server is set.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../server/db/schema.ts';
import type { Worker } from '../server/jobs/queue.ts';
import { signedInAs, type StaffClient } from './support/app.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';
import { addCustomer, publishedSurvey, startCampaignWorker } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';

let served: ServedApp;
let browser: Browser;
let worker: Worker;
let manager: StaffClient;
let surveyId: string;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  worker = startCampaignWorker(served);
  manager = await signedInAs(served, 'manager');
  surveyId = (await publishedSurvey(manager)).id;

  await addCustomer(served, { name: '陈晓明', email: 'chen@example.cn', segment: 'retail' });
  await addCustomer(served, { name: '刘芳', email: 'liu@example.cn', segment: 'retail', doNotContact: true });
  await addCustomer(served, { name: '赵强', segment: 'retail' });
  await addCustomer(served, { name: '孙丽', email: 'sun@example.cn', segment: 'retail' });
  await addCustomer(served, { name: '吴刚', email: 'wu@example.cn', segment: 'wholesale' });

  // 孙丽 was invited on another campaign a moment ago, so the contact rule keeps her out of the next one.
  const earlier = await manager.request('POST', '/api/campaigns', { name: 'Earlier', surveyId, delivery: 'email', audience: { q: '孙丽' } });
  expect(earlier.status).toBe(201);
  const { campaign } = await earlier.json();
  expect((await manager.request('POST', `/api/campaigns/${campaign.id}/launch`)).status).toBe(202);
  await waitFor('the earlier campaign to be running', async () => {
    const detail = await (await manager.request('GET', `/api/campaigns/${campaign.id}`)).json();
    return detail.campaign.status === 'running' && detail.campaign.funnel.invited === 1;
  });
});
afterAll(async () => {
  await worker?.stop();
  await browser?.close();
  await served?.stop();
});

async function signIn(page: Page, role: 'manager' | 'admin' = 'manager') {
  const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, role));
  await signInThroughPage(page, served.baseUrl, account!.email, 'correct horse battery');
}

const audienceCount = (page: Page) => page.locator('[data-testid="audience-count"]');

describe('an email campaign in the staff app', () => {
  it('is created for a segment, launched, and shows its funnel, skipped customers and held mail', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);

    await page.click('[data-testid="nav-campaigns"]');
    await page.locator('[data-testid="campaign-row"]').first().waitFor();
    expect(await page.locator('[data-testid="campaign-row"]').allTextContents()).toEqual([expect.stringContaining('Earlier')]);
    await page.click('[data-testid="new-campaign"]');

    await page.fill('input[name="name"]', 'Retail spring check-in');
    await page.selectOption('select[name="surveyId"]', surveyId);
    expect(await page.locator('input[name="delivery"][value="email"]').isChecked()).toBe(true);
    // Every customer matches until a filter is chosen; then only the segment's.
    await expect.poll(() => audienceCount(page).getAttribute('data-matching')).toBe('5');
    await page.selectOption('select[name="segment"]', 'retail');
    await expect.poll(() => audienceCount(page).textContent()).toBe('4 customers match now.');
    // The invitation starts from the default text, with the personal link in it.
    expect(await page.locator('textarea[name="body-en"]').inputValue()).toContain('{{link}}');

    // A body without the link is refused at its field, in words that say what to do.
    await page.fill('textarea[name="body-en"]', 'Dear {{name}}, please answer.');
    await page.click('[data-testid="save-campaign"]');
    await expect.poll(() => page.locator('.field-invalid textarea[name="body-en"]').count()).toBe(1);
    expect(await page.locator('[data-testid="campaign-form"]').textContent()).toContain('must contain {{link}}');
    // The summary names the field by the label a person sees beside it, not by its path.
    expect(await page.locator('[data-testid="error-summary"] li').allInnerTexts()).toEqual([
      'Email text · English: The email body must contain {{link}}, where the personal survey link goes.',
    ]);
    expect(await page.locator('[data-testid="error-summary"]').innerText()).not.toContain('settings.');
    // Switched to Chinese, the summary and the field's message follow.
    await page.click('.language-switch button[lang="zh-CN"]');
    await expect
      .poll(() => page.locator('[data-testid="error-summary"] li').allInnerTexts())
      .toEqual(['邮件正文 · English：邮件正文必须包含 {{link}}，用于放置专属问卷链接。']);
    expect(await page.locator('[data-testid="campaign-form"]').textContent()).not.toContain('must contain {{link}}');
    await page.click('.language-switch button[lang="en"]');
    await page.fill('textarea[name="body-en"]', 'Dear {{name}}, please answer: {{link}}');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid="save-campaign"]');

    await page.waitForURL(/\/app\/campaigns\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="campaign"][data-status="draft"]').waitFor();
    expect(await page.locator('[data-testid="campaign-audience"]').textContent()).toBe('Segment: retail');

    await page.click('[data-testid="launch-campaign"]');
    await expect.poll(() => page.locator('[data-testid="launch-audience"]').textContent()).toContain('Customers matching the audience now: 4.');
    await page.click('[data-testid="confirm-launch"]');

    await page.locator('[data-testid="campaign"][data-status="running"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-testid="funnel-invited"] dd').textContent()).toBe('1');
    expect(await page.locator('[data-testid="funnel-audience"] dd').textContent()).toBe('4');
    expect(await page.locator('[data-testid="funnel-skipped"] dd').textContent()).toBe('3');
    expect(await page.locator('[data-testid="funnel-rate"] dd').textContent()).toBe('0%');

    // No SMTP_URL: the invitation waits in the Outbox, and the page says so with a way there.
    await page.locator('[data-testid="mail-held"]').waitFor();
    expect(await page.locator('[data-testid="mail-held"]').textContent()).toContain('Waiting in the Outbox: no server process is sending yet');
    expect(await page.locator('[data-testid="mail-held"] a').getAttribute('href')).toBe('/app/outbox');

    await page.locator('[data-testid="invitation-row"]').first().waitFor();
    expect(await page.locator('[data-testid="invitation-row"]').allTextContents()).toEqual([expect.stringContaining('陈晓明')]);
    expect(await page.locator('[data-testid="invitation-row"] code').textContent()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    await page.click('[data-testid="invitations-tab-skipped"]');
    await page.locator('[data-testid="skip-reason"]').first().waitFor();
    expect(await page.locator('[data-testid="skip-reason"]').allTextContents()).toEqual(
      expect.arrayContaining(['Marked “do not contact”', 'No email address on file', 'Invited on another campaign in the last 30 days']),
    );

    // The same reasons, in Chinese.
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('[data-testid="skip-reason"]').allTextContents()).toEqual(
      expect.arrayContaining(['已标记为“请勿联系”', '没有电子邮件地址', '最近 30 天内已在其他调查活动中受邀']),
    );
    expect(await page.locator('[data-testid="mail-held"]').textContent()).toContain('邮件暂存在发件箱：还没有服务器进程在发送');
    expect(await page.locator('[data-testid="invitation-row"] a').first().getAttribute('href')).toMatch(/^\/app\/customers\/[0-9a-f-]{36}$/);
    expect(await seriousViolations(page)).toEqual([]);

    // Back on the list, the campaign shows what it reached, and the mail channel's funnel counts both campaigns.
    await page.click('[data-testid="nav-campaigns"]');
    const row = page.locator('[data-testid="campaign-row"]', { hasText: 'Retail spring check-in' });
    await row.waitFor();
    expect(await row.locator('[data-testid="campaign-status"]').textContent()).toBe('进行中');
    const mail = page.locator('[data-testid="channel-funnel-row"][data-delivery="email"]');
    await mail.waitFor();
    expect(await mail.locator('td').nth(2).textContent()).toBe('2');
    // A manager reads the contact rule but cannot change it.
    expect(await page.locator('[data-testid="contact-rule-summary"]').textContent()).toContain('30');
    expect(await page.locator('[data-testid="save-contact-rule"]').count()).toBe(0);
    await context.close();
  });

  it('edits a kiosk draft, refusing a wrong number at its field, and launches it without an audience', async () => {
    // The test before left the manager's account in Chinese, which follows them to a new browser; this one reads English.
    expect((await manager.request('PUT', '/api/session/locale', { locale: 'en' })).status).toBe(200);
    const created = await manager.request('POST', '/api/campaigns', {
      name: 'Lobby kiosk',
      surveyId,
      delivery: 'kiosk',
      settings: { kiosk: { location: 'Store 12, entrance' } },
    });
    expect(created.status).toBe(201);
    const { campaign } = await created.json();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${served.baseUrl}/app/campaigns/${campaign.id}`);
    await page.click('[data-testid="edit-campaign"]');

    // The form is filled with what was saved; kiosks have no audience to choose.
    await expect.poll(() => page.locator('input[name="kioskLocation"]').inputValue()).toBe('Store 12, entrance');
    expect(await page.locator('input[name="idleSeconds"]').inputValue()).toBe('60');
    expect(await page.locator('[data-testid="campaign-audience"]').count()).toBe(0);
    await page.fill('input[name="kioskLocation"]', 'Store 12, checkout');
    await page.fill('input[name="idleSeconds"]', '5');
    await page.click('[data-testid="save-campaign"]');
    await expect.poll(() => page.locator('.field-invalid input[name="idleSeconds"]').count()).toBe(1);
    expect(await page.locator('.field-invalid').textContent()).toContain('from 10 to 3600');
    await page.fill('input[name="idleSeconds"]', '90');
    await page.click('[data-testid="save-campaign"]');

    await page.waitForURL(new RegExp(`/app/campaigns/${campaign.id}$`));
    await expect.poll(() => page.locator('[data-testid="kiosk-location"]').textContent()).toBe('Store 12, checkout');
    await page.click('[data-testid="launch-campaign"]');
    await page.click('[data-testid="confirm-launch"]');
    await page.locator('[data-testid="campaign"][data-status="running"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="edit-campaign"]').count()).toBe(0);
    expect(await page.locator('[data-testid="kiosk-page-link"]').getAttribute('href')).toBe(`/app/kiosks/${campaign.id}`);
    expect(await page.locator('[data-testid="kiosk-link"]').textContent()).toMatch(/\/k\/[0-9A-Z]{16}$/);

    // A running campaign's edit page says why it cannot be edited.
    await page.goto(`${served.baseUrl}/app/campaigns/${campaign.id}/edit`);
    await page.locator('[data-testid="draft-only"]').waitFor();
    await context.close();
  });

  it('fits a phone screen', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${served.baseUrl}/app/campaigns/new`);
    await audienceCount(page).waitFor();
    expect(await pageFitsWidth(page)).toBe(true);
    await context.close();
  });

  it('lets an admin change the contact rule inline, with a wrong value refused at its field', async () => {
    const admin = await signedInAs(served, 'admin');
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'admin');
    await page.goto(`${served.baseUrl}/app/campaigns`);
    await expect.poll(() => page.locator('input[name="minDaysBetween"]').inputValue()).toBe('30');
    await page.fill('input[name="minDaysBetween"]', '0');
    await page.click('[data-testid="save-contact-rule"]');
    await expect.poll(() => page.locator('.field-invalid input[name="minDaysBetween"]').count()).toBe(1);
    await page.fill('input[name="minDaysBetween"]', '14');
    await page.fill('input[name="postPerYear"]', '1');
    await page.click('[data-testid="save-contact-rule"]');
    await expect.poll(() => page.locator('[data-testid="contact-rule-saved"]').textContent()).toBe('Contact rule saved.');
    const { rule } = await (await admin.request('GET', '/api/settings/contact-rule')).json();
    expect(rule).toEqual({ minDaysBetween: 14, postPerYear: 1 });
    await context.close();
  });
});
