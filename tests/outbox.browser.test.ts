// The Outbox in real Chromium, on a server with no SMTP_URL: a manager sees queued mail held, is told that no
// process is sending it, and reads a message, its HTML part kept in a sandboxed frame; an admin releases mail
// an older version held, reads why a message was skipped in both languages, and puts a dead job back.
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { jobs, outgoingMessages, users } from '../server/db/schema.ts';
import { queueMessage } from '../server/mail/mailer.ts';
import { alertTopic } from '../server/complaints/notifications.ts';
import { startSmtpServer } from './support/smtp.ts';
import { consoleErrors, launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

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
    // As an invitation is sent: a link to unsubscribe and the 1×1 image that counts an open.
    html: `<p>Dear Chen,</p><script>parent.document.title = "pwned"</script><p><a href="${served.baseUrl}/u/some-token">Unsubscribe</a></p><img src="${served.baseUrl}/i/some-token/open.gif" width="1" height="1" alt="">`,
    topic: 'invitation:1',
  });
  await queueMessage(served.db, {
    to: 'liu@example.cn',
    subject: 'Thank you for your feedback',
    text: 'Thank you, Liu.',
    topic: 'thanks:2',
  });
  // Queued over a minute ago, and no process took them.
  await served.db.update(jobs).set({ runAt: Date.now() - 2 * 60_000 });
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
  it('shows a manager the held mail, says no process is sending it, and opens a message without running its HTML', async () => {
    const { context, page } = await signedInPage('wu@example.com', { width: 1280, height: 900 });
    const errors = consoleErrors(page);
    await page.click('[data-testid="nav-outbox"]');
    const rows = page.locator('[data-testid="outbox-row"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-status')))).toEqual(['held', 'held']);
    expect(await rows.nth(0).textContent()).toContain('liu@example.cn');
    expect(await rows.nth(1).textContent()).toContain('invitation:1');
    await page.locator('[data-testid="smtp-missing"]').waitFor();
    expect(await page.locator('[data-testid="smtp-missing"]').textContent()).toContain('This server process has no SMTP_URL');
    // Nothing took the send jobs in the minute since: the page says that no process can send.
    expect(await page.locator('[data-testid="mail-untaken"]').textContent()).toContain('Held mail is not being sent: no server process can send it');
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
    // The preview shows the message without fetching its images (the open counter among them).
    const preview = page.frameLocator('[data-testid="message-html"]');
    await expect.poll(() => preview.locator('body').textContent()).toContain('Dear Chen,');
    expect(await preview.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);
    // The icon the staff app names is there for browsers that ask for it.
    const icon = await page.request.get(`${served.baseUrl}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/x-icon');
    await context.close();
  });

  it('lets an admin release mail an older version held, shows why a message was skipped, and retries a dead job at phone width', async () => {
    // An older version finished this message's send job without sending it; another was skipped when due.
    const [liu] = await served.db.select({ id: outgoingMessages.id }).from(outgoingMessages).where(eq(outgoingMessages.toAddress, 'liu@example.cn'));
    await served.db.update(jobs).set({ status: 'done', attempts: 1, finishedAt: Date.now() }).where(eq(jobs.dedupeKey, `mail.send:${liu!.id}`));
    await served.db.insert(outgoingMessages).values({
      id: 'reminder-skipped-1',
      toAddress: 'zhao@example.cn',
      subject: 'Reminder: your survey',
      text: 'x',
      topic: 'campaign:c1:reminder:1:i1',
      customerId: 'customer-zhao',
      purpose: 'survey',
      status: 'skipped',
      skipReason: 'unsubscribed',
    });
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
    await expect.poll(() => page.locator('[data-testid="to-release"]').textContent()).toContain('1 held messages were set aside by an older version');
    // This process has no SMTP_URL: the button says why it cannot send them rather than queueing them for nobody.
    expect(await page.locator('[data-testid="release-held"]').isDisabled()).toBe(true);
    const needsSmtp = page.locator('[data-testid="release-needs-smtp"]');
    expect(await needsSmtp.isVisible()).toBe(true);
    expect(await needsSmtp.textContent()).toContain('needs SMTP_URL on this server process');
    expect(await page.getByRole('button', { name: 'Send held messages' }).getAttribute('aria-describedby')).toBe('release-needs-smtp');
    expect(await page.locator('[data-testid="smtp-missing"]').isVisible()).toBe(true);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('[data-testid="outbox-tab-skipped"]');
    await expect.poll(() => page.locator('[data-testid="outbox-row"][data-status="skipped"] [data-testid="skip-reason"]').textContent()).toBe('Unsubscribed');
    expect(await pageFitsWidth(page)).toBe(true);
    // The language buttons are in the wide layout's header.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('[data-testid="skip-reason"]').textContent()).toBe('已退订');
    await page.getByRole('button', { name: 'English' }).click();
    await page.setViewportSize({ width: 390, height: 844 });

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

  it('lets an admin on a process with SMTP_URL put mail an older version held back in the queue', async () => {
    const smtp = await startSmtpServer();
    const withSmtp = await serveTestApp({ SMTP_URL: smtp.url });
    try {
      await withSmtp.db.insert(users).values({ id: 'admin-he', email: 'he@example.com', name: 'He', role: 'admin', passwordHash: await hashPassword('outbox password 1') });
      const id = await queueMessage(withSmtp.db, { to: 'liu@example.cn', subject: 'Thank you for your feedback', text: 'Thank you, Liu.', topic: 'thanks:2' });
      // An older version finished its send job without sending it.
      await withSmtp.db.update(jobs).set({ status: 'done', attempts: 1, finishedAt: Date.now() }).where(eq(jobs.dedupeKey, `mail.send:${id}`));
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInThroughPage(page, withSmtp.baseUrl, 'he@example.com', 'outbox password 1');
      const errors = consoleErrors(page);
      await page.goto(`${withSmtp.baseUrl}/app/outbox`);
      await expect.poll(() => page.locator('[data-testid="to-release"]').textContent()).toContain('1 held messages were set aside by an older version');
      expect(await page.locator('[data-testid="release-needs-smtp"]').count()).toBe(0);
      await page.click('[data-testid="release-held"]');
      await expect.poll(() => page.locator('[data-testid="release-outcome"]').textContent()).toBe('1 held messages are back in the queue.');
      await page.locator('[data-testid="release-held"]').waitFor({ state: 'detached' });
      const [released] = await withSmtp.db.select().from(jobs).where(eq(jobs.dedupeKey, `mail.send:${id}`));
      expect(released).toMatchObject({ status: 'pending', attempts: 0 });
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await withSmtp.stop();
      await smtp.close();
    }
  });

  it('names a complaint case’s deadline mail in words, in both languages, linked to the case', async () => {
    const other = await serveTestApp();
    try {
      await other.db.insert(users).values({ id: 'manager-wu', email: 'wu@example.com', name: 'Wu', role: 'manager', passwordHash: await hashPassword('outbox password 1') });
      await queueMessage(other.db, { to: 'wu@example.com', subject: '[C-2026-000123] First response deadline breached', text: 'x', topic: alertTopic('case-9', 'breached') });
      for (const [locale, words] of [
        ['en-US', 'Complaint deadline breached'],
        ['zh-CN', '投诉时限已超出'],
      ] as const) {
        const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await signInThroughPage(page, other.baseUrl, 'wu@example.com', 'outbox password 1');
        await page.goto(`${other.baseUrl}/app/outbox`);
        const topic = page.locator('[data-testid="outbox-row"] .topic-cell a');
        await expect.poll(() => topic.textContent()).toBe(words);
        expect(await topic.isVisible()).toBe(true);
        expect(await topic.getAttribute('href')).toBe('/app/complaints/cases/case-9');
        await context.close();
      }
    } finally {
      await other.stop();
    }
  });
});
