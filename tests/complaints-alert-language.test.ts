// A deadline mail is written in the language its reader saved with their account: a support agent who switched
// the staff app to English gets an English alert about a Chinese customer's case. One process: the sweep run
// directly, the Outbox delivering to a real SMTP server.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sweepDeadlines } from '../server/complaints/sweep.ts';
import { readComplaintSettings, saveComplaintSettings } from '../server/complaints/settings.ts';
import { saveSubscription } from '../server/insights/settings.ts';
import { startWorker } from '../server/jobs/queue.ts';
import { createMailer } from '../server/mail/mailer.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';
import { insertCase, insertStaff, readMail } from './support/deadline-cases.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type TestSmtp } from './support/smtp.ts';

const hourMs = 3_600_000;
const publicUrl = 'https://cs.example.com';

let test: TestApp;
let smtp: TestSmtp;
beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
});
afterEach(async () => {
  await smtp.close();
  test.close();
});

it('sends a support agent who chose English the alert about a Chinese case in English, managers in theirs', async () => {
  const agent = await signedInAs(test, 'support');
  const agentId = (await (await agent.request('GET', '/api/session')).json()).user.id as string;
  expect((await agent.request('PUT', '/api/session/locale', { locale: 'en' })).status).toBe(200);
  // A manager who chose Chinese for the staff app but English for the weekly summary: the account wins.
  const manager = await signedInAs(test, 'manager');
  const managerId = (await (await manager.request('GET', '/api/session')).json()).user.id as string;
  expect((await manager.request('PUT', '/api/session/locale', { locale: 'zh-CN' })).status).toBe(200);
  await saveSubscription(test.db, managerId, { weeklySummary: false, locale: 'en' });
  // A manager who chose nothing anywhere: the case's language.
  await insertStaff(test.db, { id: 'manager-unchosen', role: 'manager' });
  const settings = await readComplaintSettings(test.db);
  await saveComplaintSettings(test.db, { ...settings, calendar: { ...settings.calendar, alwaysOpen: true } }, managerId);

  const now = Date.now();
  await insertCase(test.db, {
    number: 301,
    locale: 'zh-CN',
    assigneeId: agentId,
    resolutionAtRiskAt: now - 1000,
    resolutionDueAt: now + 2 * hourMs,
    watchAt: now - 1000,
  });
  expect((await sweepDeadlines(test.db, { publicUrl, now })).messages).toBe(3);

  const mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Support <support@example.com>', perSecond: 1000 });
  const worker = startWorker({ db: test.db, handlers: mailer.handlers, processId: 'alert-language', pollMs: 20, backoff: { baseMs: 10, maxMs: 40 }, onProblem: () => {} });
  try {
    await waitFor('the three deadline mails', () => smtp.received.length >= 3 || undefined);
  } finally {
    await worker.stop();
    mailer.close();
  }
  const mails = smtp.received.map(readMail);
  const to = (address: string) => mails.find((mail) => mail.to === address)!;
  expect(to(`${agentId}@example.com`).subject).toMatch(/^\[C-2026-000301\] Resolution deadline at risk: (2 h|1 h 59 min) left \(business hours\)$/);
  expect(to(`${agentId}@example.com`).text).toContain('Open the case: https://cs.example.com/app/complaints/cases/');
  expect(to(`${managerId}@example.com`).subject).toMatch(/^\[C-2026-000301\] 解决时限即将到期/);
  expect(to('manager-unchosen@example.com').subject).toMatch(/^\[C-2026-000301\] 解决时限即将到期/);
});
