// Staff accounts in real Chromium: the first admin's set-up form lists every problem by its field's label and
// follows a language switch; an admin invites a colleague only after choosing a role, sees the pending
// invites and revokes one, whose link then no longer works.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { createSetupToken } from '../server/accounts/service.ts';
import { users } from '../server/db/schema.ts';
import { consoleErrors, launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

/** The lines of the error summary as a person sees them. */
const summaryLines = (page: Page) => page.locator('[data-testid="error-summary"] li').allInnerTexts();

describe('first admin set-up', () => {
  it('lists every problem after its field’s label, and in the language the person switches to', async () => {
    const token = await createSetupToken(served.db);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/app/setup?token=${token}`);
    await page.fill('input[name="email"]', 'not an email');
    await page.fill('input[name="password"]', 'short');
    await page.click('[data-testid="setup-submit"]');
    const summary = page.locator('[data-testid="error-summary"]');
    await summary.waitFor({ state: 'visible' });
    expect(await summary.locator('p').first().innerText()).toBe('Please correct these 3 problems:');
    expect(await summaryLines(page)).toEqual([
      'Email: Enter a valid email address, like name@example.com.',
      'Your name: Enter a name.',
      'Password: Use at least 10 characters for the password.',
    ]);
    expect(await summary.innerText()).not.toMatch(/^(email|name|password):/m);

    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => summaryLines(page)).toEqual([
      '电子邮件：请输入有效的电子邮件地址，例如 name@example.com。',
      '您的姓名：请输入姓名。',
      '密码：密码至少需要 10 个字符。',
    ]);
    // The message beside the field follows the switch too.
    expect(await page.locator('#' + (await page.locator('input[name="password"]').getAttribute('aria-describedby'))!.split(' ').at(-1)!).innerText()).toBe(
      '密码至少需要 10 个字符。',
    );
    await context.close();
  });
});

describe('staff invites', () => {
  beforeAll(async () => {
    await served.db.insert(users).values({
      id: 'admin-ada',
      email: 'ada@example.com',
      name: 'Ada',
      role: 'admin',
      passwordHash: await hashPassword('admin password 1'),
    });
  });

  it('makes the admin choose a role, lists pending invites, and revokes one so its link stops working', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInThroughPage(page, served.baseUrl, 'ada@example.com', 'admin password 1');
    await page.goto(`${served.baseUrl}/app/users`);
    const role = page.getByLabel('Role', { exact: true });
    await role.waitFor({ state: 'visible' });
    // No role is chosen for the admin: the select says to pick one.
    expect(await role.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Choose a role…');
    expect(await page.locator('[data-testid="pending-invites"]').innerText()).toContain('No invites are waiting to be accepted.');

    await page.fill('#invite-email', 'lin@example.com');
    await page.click('[data-testid="invite-submit"]');
    await page.locator('[data-testid="error-summary"]').waitFor({ state: 'visible' });
    expect(await summaryLines(page)).toEqual(['Role: Choose a role: admin, manager, support or interviewer.']);
    expect(await page.locator('#invite-role-error').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="pending-invite"]').count()).toBe(0);

    await role.selectOption('support');
    await page.click('[data-testid="invite-submit"]');
    const link = page.locator('[data-testid="invite-link"]');
    await link.waitFor({ state: 'visible' });
    const inviteUrl = (await link.getAttribute('href'))!;
    // Without SMTP the link is only shown, to be sent by hand.
    expect(await page.locator('[data-testid="invite-ready"]').innerText()).toBe('Send this link to your colleague. It works once.');
    const row = page.locator('[data-testid="pending-invite"][data-email="lin@example.com"]');
    await row.waitFor({ state: 'visible' });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['lin@example.com', 'Support agent', 'Ada']);
    expect(cells[3]).toMatch(/\d{4}/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageFitsWidth(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    // The form is ready for the next colleague, with no role chosen again.
    expect(await role.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Choose a role…');

    await row.getByRole('button', { name: 'Revoke the invite to lin@example.com' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="revoke-notice"]').innerText()).toBe(
      'The invite to lin@example.com was revoked; its link no longer works.',
    );
    expect(await page.locator('[data-testid="pending-invites"]').innerText()).toContain('No invites are waiting to be accepted.');

    // The colleague opens the revoked link.
    const colleague = await browser.newContext({ locale: 'en-US' });
    const invitePage = await colleague.newPage();
    await invitePage.goto(inviteUrl);
    await invitePage.fill('input[name="name"]', 'Lin');
    await invitePage.fill('input[name="password"]', 'a fine password');
    await invitePage.click('[data-testid="invite-accept"]');
    const refused = invitePage.locator('[data-testid="error-summary"]');
    await refused.waitFor({ state: 'visible' });
    expect(await refused.innerText()).toContain('This link is invalid, already used or expired.');
    expect(invitePage.url()).toContain('/app/invite');
    await colleague.close();
    await context.close();
  });
});

describe('opening the staff app', () => {
  beforeAll(async () => {
    await served.db.insert(users).values({
      id: 'manager-mei',
      email: 'mei@example.com',
      name: 'Mei',
      role: 'manager',
      passwordHash: await hashPassword('manager password 1'),
    });
  });

  it('logs no error before or after signing in: nobody signed in is an answer, not a failed request', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${served.baseUrl}/app/`);
    await page.locator('input[name="email"]').waitFor({ state: 'visible' });
    await page.fill('input[name="email"]', 'mei@example.com');
    await page.fill('input[name="password"]', 'manager password 1');
    await page.click('[data-testid="login-submit"]');
    await page.locator('[data-testid="nav-insights"]').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    await context.close();
  });
});
