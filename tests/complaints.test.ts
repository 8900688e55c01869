// Complaint cases through the real service verbs over a real database file: opening (numbers, deadlines,
// receipts), the workflow's effects on the case and its history, replies reaching a real SMTP server, the
// customer's side, and two writers at once.
import { spawn } from 'node:child_process';
import { eq, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complaintCases, complaintEvents, customers, jobs, outgoingMessages, users } from '../server/db/schema.ts';
import { startWorker, type Worker } from '../server/jobs/queue.ts';
import { createMailer, type Mailer } from '../server/mail/mailer.ts';
import { complaintMailHandlers } from '../server/complaints/emails.ts';
import { openCases, receiptJobKind, type CaseDraft } from '../server/complaints/opening.ts';
import { defaultComplaintSettings, readComplaintSettings } from '../server/complaints/settings.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from './support/smtp.ts';

const mailConfig = { publicUrl: 'http://127.0.0.1:3000', replyDomain: 'replies.example.com' };

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

function draft(more: Partial<CaseDraft> = {}): CaseDraft {
  return {
    source: 'agent',
    channel: 'phone',
    category: 'delivery',
    description: 'The parcel arrived crushed.',
    locale: 'en',
    contactConsent: false,
    actor: { type: 'staff', id: null, name: 'Agent' },
    ...more,
  };
}

/** A single-part text message's body, decoded from base64 or quoted-printable. */
function textOf(mail: ReceivedMail): string {
  const body = mail.raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  const encoding = mail.headers['content-transfer-encoding']?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

/** Runs the receipt and send jobs against a real SMTP server. */
async function withMail<T>(work: (smtp: TestSmtp, worker: Worker) => Promise<T>): Promise<T> {
  const smtp = await startSmtpServer();
  const mailer: Mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Care <care@example.com>', perSecond: 1000 });
  const worker = startWorker({
    db: test.db,
    handlers: { ...mailer.handlers, ...complaintMailHandlers({ db: test.db, config: mailConfig }) },
    processId: 'complaints-test',
    pollMs: 20,
    backoff: { baseMs: 10, maxMs: 40 },
    onProblem: () => {},
  });
  try {
    return await work(smtp, worker);
  } finally {
    await worker.stop();
    mailer.close();
    await smtp.close();
  }
}

describe('opening cases', () => {
  it('numbers cases in order, with a readable reference, tokens, deadlines and an opened event', async () => {
    const settings = await readComplaintSettings(test.db);
    const opened = await openCases(test.db, [draft(), draft({ category: 'billing' })], settings, Date.UTC(2026, 11, 7, 2));
    expect(opened.map((item) => item.reference)).toEqual(['C-2026-000001', 'C-2026-000002']);
    const [first] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, opened[0]!.id));
    expect(first).toMatchObject({ status: 'new', severity: 'minor', number: 1, version: 1, nextResponseDueAt: null });
    expect(first!.statusToken).not.toBe(first!.replyToken);
    expect(first!.statusToken.length).toBeGreaterThanOrEqual(22);
    expect(first!.firstResponseDueAt).toBeGreaterThan(first!.createdAt);
    expect(first!.resolutionDueAt).toBeGreaterThan(first!.firstResponseDueAt!);
    expect(first!.watchAt).toBe(first!.firstResponseAtRiskAt);
    const events = await test.db.select().from(complaintEvents).where(eq(complaintEvents.caseId, opened[0]!.id));
    expect(events).toMatchObject([{ type: 'opened', actor: 'staff', actorName: 'Agent', public: true, after: { status: 'new', category: 'delivery' } }]);
    const more = await openCases(test.db, [draft()], settings);
    expect(more[0]!.reference).toMatch(/^C-\d{4}-000003$/);
  });

  it('takes severity from the rules: a major category, an order value, or the one asked for', async () => {
    const settings = { ...defaultComplaintSettings('Asia/Shanghai'), majorOrderValue: 1000 };
    settings.categories = settings.categories.map((category) => (category.key === 'billing' ? { ...category, major: true } : category));
    const opened = await openCases(test.db, [draft(), draft({ category: 'billing' }), draft({ orderValue: 1500 }), draft({ severity: 'major' })], settings);
    const rows = await test.db.select({ id: complaintCases.id, severity: complaintCases.severity, resolutionDueAt: complaintCases.resolutionDueAt }).from(complaintCases);
    const severityOf = (id: string) => rows.find((row) => row.id === id)!.severity;
    expect(opened.map((item) => severityOf(item.id))).toEqual(['minor', 'major', 'major', 'major']);
  });

  it('refuses an unknown or retired category, naming the ones to use', async () => {
    const settings = defaultComplaintSettings('Asia/Shanghai');
    await expect(openCases(test.db, [draft({ category: 'weather' })], settings)).rejects.toThrow(/no complaint category "weather".*delivery/);
    settings.categories = settings.categories.map((category) => (category.key === 'other' ? { ...category, retired: true } : category));
    await expect(openCases(test.db, [draft({ category: 'other' })], settings)).rejects.toThrow(/retired/);
    expect(await test.db.select().from(complaintCases)).toHaveLength(0);
  });

  it('opens inside the caller\'s transaction: rolled back with it, nothing is left', async () => {
    const settings = await readComplaintSettings(test.db);
    await expect(
      test.db.transaction(async (tx) => {
        await openCases(tx, [draft({ contactConsent: true, contactEmail: 'li@example.com' })], settings);
        throw new Error('the response write failed');
      }),
    ).rejects.toThrow('the response write failed');
    expect(await test.db.select().from(complaintCases)).toHaveLength(0);
    expect(await test.db.select().from(complaintEvents)).toHaveLength(0);
    expect(await test.db.select().from(jobs)).toHaveLength(0);
  });

  it('never gives two cases one number when two processes open cases at once', async () => {
    const settings = await readComplaintSettings(test.db);
    const rounds = 30;
    const other = spawn(process.execPath, ['--import', 'tsx', 'tests/support/complaints-opener.ts', test.databaseUrl, String(rounds)], { stdio: ['ignore', 'inherit', 'inherit'] });
    let code: number | null | undefined;
    other.once('exit', (exit) => (code = exit));
    // This process keeps opening cases, two at a time, for as long as the other one runs.
    let here = 0;
    while (code === undefined) {
      await openCases(test.db, [draft(), draft()], settings);
      here += 2;
      // Embedded writes settle without yielding to the event loop: let it hear of the other process's exit.
      await new Promise((next) => setImmediate(next));
    }
    expect(code).toBe(0);
    const numbers = (await test.db.select({ number: complaintCases.number }).from(complaintCases)).map((row) => row.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: rounds + here }, (_, index) => index + 1));
    const fromOther = await test.db.select({ number: complaintCases.number }).from(complaintCases).where(like(complaintCases.description, 'from the other process%'));
    expect(fromOther).toHaveLength(rounds);
  });

  it('escalates an open case of a customer who complains again', async () => {
    await test.db.insert(customers).values({ id: 'cust-1', name: 'Li Wei', email: 'li@example.com', consents: { email: ['follow_up'] } });
    const settings = await readComplaintSettings(test.db);
    const [first] = await openCases(test.db, [draft({ customerId: 'cust-1' })], settings);
    const [second] = await openCases(test.db, [draft({ customerId: 'cust-1', source: 'form', channel: 'web' })], settings);
    const [row] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, first!.id));
    expect(row).toMatchObject({ escalated: true, version: 2 });
    const escalated = await test.db.select().from(complaintEvents).where(eq(complaintEvents.type, 'escalated'));
    expect(escalated).toMatchObject([{ caseId: first!.id, actor: 'system', after: { escalated: true, reason: 'complained_again', caseId: second!.id } }]);
  });

  it('emails a receipt with the status page link and the case\'s reply address when the customer agreed', async () => {
    const settings = await readComplaintSettings(test.db);
    const opened = await openCases(
      test.db,
      [
        draft({ contactConsent: true, contactEmail: 'wang@example.com', contactName: '王芳', locale: 'zh-CN' }),
        draft({ contactConsent: false, contactEmail: 'no@example.com' }),
        draft({ contactConsent: true, contactChannel: 'phone', contactEmail: 'phone@example.com' }),
      ],
      settings,
    );
    expect((await test.db.select().from(jobs).where(eq(jobs.kind, receiptJobKind))).length).toBe(1);
    const [row] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, opened[0]!.id));
    await withMail(async (smtp) => {
      const mail = await waitFor('the receipt', () => smtp.received[0]);
      expect(mail.to).toEqual(['wang@example.com']);
      expect(mail.headers['reply-to']).toBe(`reply+${row!.replyToken}@replies.example.com`);
      expect(textOf(mail)).toContain(`http://127.0.0.1:3000/c/${row!.statusToken}`);
      expect(textOf(mail)).toContain('感谢您告诉我们');
    });
    const [message] = await test.db.select().from(outgoingMessages);
    expect(message).toMatchObject({ subject: `[${opened[0]!.reference}] 我们已收到您的投诉`, status: 'sent' });
  });
});
