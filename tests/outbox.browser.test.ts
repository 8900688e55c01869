// The Outbox in real Chromium, on a server with no SMTP_URL: a manager sees queued mail held (and told why)
// and reads a message, its HTML part kept in a sandboxed frame; an admin tries to send the held mail, is
// told SMTP is missing, and puts a dead job back on the Failed jobs tab.
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { jobs, users } from '../server/db/schema.ts';
import { queueMessage } from '../server/mail/mailer.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  const passwordHash = await hashPassword('outbox password 1');
  await served.db.insert(users).values([
    { id: 'manager-wu', email: 'wu@example.com', name: 'Wu', role: 'manager', passwordHash },
    { id: 'admin-he', email: 'he@example.com', name: 'He', role: 'admin', passwordHash },
  ]);
  await queueMessage(served.db, {
    to: 'chen@example.cn',
    subject: 'Your invitation to the after-sales survey',
    text: 'Dear Chen,\nplease tell us how we did.',
    html: '<p>Dear Chen,</p><script>parent.document.title = "pwned"</script>',
    topic: 'invitation:1',
  });
  await queueMessage(served.db, {
    to: 'liu@example.cn',
    subject: 'Thank you for your feedback',
    text: 'Thank you, Liu.',
    topic: 'thanks:2',
  });
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function signedInPage(email: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport });
  const page = await context.newPage();
  await signInThroughPage(page, served.baseUrl, email, 'outbox password 1');
  return { context, page };
}

/** Serious or critical axe findings; a sandboxed frame (which runs no script, axe's included) is left out. */
describe('the Outbox', () => {
  it('shows a manager the held mail, says SMTP is not set, and opens a message without running its HTML', async () => {
    const { context, page } = await signedInPage('wu@example.com', { width: 1280, height: 900 });
    await page.click('[data-testid="nav-outbox"]');
    const rows = page.locator('[data-testid="outbox-row"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-status')))).toEqual(['held', 'held']);
    expect(await rows.nth(0).textContent()).toContain('liu@example.cn');
    expect(await rows.nth(1).textContent()).toContain('invitation:1');
    await page.locator('[data-testid="smtp-missing"]').waitFor();
    expect(await page.locator('[data-testid="smtp-missing"]').textContent()).toContain('Mail is held, not sent: set SMTP_URL');
    // Sending is an admin's decision, and failed jobs an admin's page.
    expect(await page.locator('[data-testid="release-held"]').count()).toBe(0);
    expect(await page.locator('[data-testid="tab-jobs"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('[data-testid="outbox-tab-sent"]');
    await page.locator('[data-testid="outbox-empty"]').waitFor();
    await page.click('[data-testid="outbox-tab-held"]');
    await expect.poll(() => rows.count()).toBe(2);

    await rows.nth(1).locator('[data-testid="outbox-open"]').click();
    await expect.poll(() => page.locator('[data-testid="message-subject"]').textContent()).toBe('Your invitation to the after-sales survey');
    expect(await page.locator('[data-testid="message-text"]').textContent()).toBe('Dear Chen,\nplease tell us how we did.');
    expect(await page.locator('[data-testid="message-to"]').textContent()).toBe('chen@example.cn');
    const frame = page.locator('[data-testid="message-html"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.locator('[data-testid="message-html-source"]').textContent()).toContain('<script>');
    expect(await page.title()).not.toContain('pwned');
    expect(await seriousViolations(page, '[data-testid="message-html"]')).toEqual([]);
    await context.close();
  });

  it('tells an admin that held mail cannot be sent without SMTP, and retries a dead job at phone width', async () => {
    await served.db.insert(jobs).values({
      id: 'job-dead-1',
      kind: 'report.build',
      payload: {},
      status: 'dead',
      runAt: Date.now() - 60_000,
      attempts: 5,
      maxAttempts: 5,
      lastError: 'Error: the report store is unreachable',
      finishedAt: Date.now() - 30_000,
    });
    const { context, page } = await signedInPage('he@example.com', { width: 390, height: 844 });
    await page.goto(`${served.baseUrl}/app/outbox`);
    await expect.poll(() => page.locator('[data-testid="outbox-row"]').count()).toBe(2);
    await page.click('[data-testid="release-held"]');
    await page.locator('[data-testid="release-error"]').waitFor();
    expect(await page.locator('[data-testid="release-error"]').textContent()).toContain('SMTP_URL');
    expect(await page.locator('[data-testid="smtp-missing"]').isVisible()).toBe(true);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('[data-testid="tab-jobs"]');
    const rows = page.locator('[data-testid="job-row"]');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('report.build');
    expect(await rows.first().textContent()).toContain('5 of 5');
    expect(await rows.first().locator('[data-testid="job-error"]').textContent()).toBe('Error: the report store is unreachable');
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await rows.first().locator('[data-testid="job-retry"]').click();
    await page.locator('[data-testid="jobs-empty"]').waitFor();
    expect(await page.locator('[data-testid="job-notice"]').textContent()).toBe('The report.build job is queued again.');
    const [job] = await served.db.select().from(jobs).where(eq(jobs.id, 'job-dead-1'));
    expect(job).toMatchObject({ status: 'pending', attempts: 0 });
    await context.close();
  });
});
