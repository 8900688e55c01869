// Complaint cases through the real service verbs over a real database file: opening (numbers, deadlines,
// receipts), the workflow's effects on the case and its history, replies reaching a real SMTP server, the
// customer's side, and two writers at once.
import { spawn } from 'node:child_process';
import { eq, like, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complaintCases, complaintEvents, customers, jobs, outgoingMessages, users } from '../server/db/schema.ts';
import { startWorker, type Worker } from '../server/jobs/queue.ts';
import { createMailer, type Mailer } from '../server/mail/mailer.ts';
import { complaintMailHandlers } from '../server/complaints/emails.ts';
import { openCases, receiptJobKind, type CaseDraft } from '../server/complaints/opening.ts';
import { defaultComplaintSettings, readComplaintSettings } from '../server/complaints/settings.ts';
import { caseByReplyToken, caseByStatusToken, confirmByCustomer, followUpJobKind, recordCustomerReply, reply, withdrawContactByCustomer } from '../server/complaints/service.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from './support/smtp.ts';

const mailConfig = { publicUrl: 'http://127.0.0.1:3000', replyDomain: 'replies.example.com' };

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp({ PUBLIC_URL: mailConfig.publicUrl, REPLY_DOMAIN: mailConfig.replyDomain });
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
async function withMail<T>(work: (smtp: TestSmtp, worker: Worker) => Promise<T>, config = mailConfig): Promise<T> {
  const smtp = await startSmtpServer();
  const mailer: Mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Care <care@example.com>', perSecond: 1000 });
  const worker = startWorker({
    db: test.db,
    handlers: { ...mailer.handlers, ...complaintMailHandlers({ db: test.db, config }) },
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
    // A low score a loop-closing rule caught is not a complaint made again.
    await openCases(test.db, [draft({ customerId: 'cust-1', source: 'survey_rule', channel: 'web' })], settings);
    expect((await test.db.select().from(complaintCases).where(eq(complaintCases.id, first!.id)))[0]).toMatchObject({ escalated: false });
    const [second] = await openCases(test.db, [draft({ customerId: 'cust-1', source: 'form', channel: 'web' })], settings);
    const [row] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, first!.id));
    expect(row).toMatchObject({ escalated: true, version: 2 });
    const escalated = await test.db.select().from(complaintEvents).where(eq(complaintEvents.type, 'escalated'));
    expect(escalated).toHaveLength(2);
    expect(escalated.find((event) => event.caseId === first!.id)).toMatchObject({ actor: 'system', after: { escalated: true, reason: 'complained_again', caseId: second!.id } });
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

describe('a receipt after the customer said no', () => {
  it('sends nothing when consent is withdrawn between opening the case and the receipt going out', async () => {
    await test.db.insert(customers).values({ id: 'cust-no', name: 'Zhou Min', email: 'zhou@example.com', consents: { email: ['follow_up'] } });
    const settings = await readComplaintSettings(test.db);
    const [contactOnly, customerCase] = await openCases(
      test.db,
      [draft({ contactConsent: true, contactEmail: 'wu@example.com', contactName: 'Wu Lei' }), draft({ contactConsent: true, customerId: 'cust-no' })],
      settings,
    );
    expect((await test.db.select().from(jobs).where(eq(jobs.kind, receiptJobKind))).length).toBe(2);
    // Before any worker runs: the contact says no on the status page, the customer withdraws email follow-up.
    await withdrawContactByCustomer(test.db, { caseId: contactOnly!.id });
    await test.db.update(customers).set({ consents: {} }).where(eq(customers.id, 'cust-no'));
    await withMail(async (smtp) => {
      await waitFor('both receipt jobs done', async () => {
        const done = await test.db.select().from(jobs).where(eq(jobs.kind, receiptJobKind));
        return done.every((job) => job.status === 'done') || undefined;
      });
      // The customer's receipt reached the Outbox before the send checked consent again: skipped there.
      const skipped = await waitFor('the customer\'s receipt skipped', async () => {
        const [message] = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, `complaint-receipt-${customerCase!.id}`));
        return message?.status === 'skipped' ? message : undefined;
      });
      expect(skipped.skipReason).toBe('no_consent');
      expect(smtp.received).toEqual([]);
    });
    expect(await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, `complaint-receipt-${contactOnly!.id}`))).toEqual([]);
  });
});

describe('working a case', () => {
  let agent: StaffClient;
  beforeEach(async () => {
    agent = await signedInAs(test, 'support');
  });

  async function caseFor(more: Partial<CaseDraft> = {}) {
    const settings = await readComplaintSettings(test.db);
    const [opened] = await openCases(test.db, [draft({ contactConsent: true, contactEmail: 'li.wei@example.com', contactName: 'Li Wei', ...more })], settings);
    return opened!;
  }
  const rowOf = async (id: string) => (await test.db.select().from(complaintCases).where(eq(complaintCases.id, id)))[0]!;
  const eventsOf = async (id: string) => test.db.select().from(complaintEvents).where(eq(complaintEvents.caseId, id)).orderBy(complaintEvents.id);
  async function act(id: string, action: string) {
    const response = await agent.request('POST', `/api/complaints/cases/${id}/transitions`, { action, version: (await rowOf(id)).version });
    return { status: response.status, body: await response.json() };
  }

  it('of two agents taking the same case at once, one wins and the other is told', async () => {
    const { id } = await caseFor();
    const other = await signedInAs(test, 'support');
    const [agentId, otherId] = (await test.db.select({ id: users.id }).from(users)).map((row) => row.id);
    const answers = await Promise.all([
      agent.request('POST', `/api/complaints/cases/${id}/assign`, { assigneeId: agentId, version: 1 }),
      other.request('POST', `/api/complaints/cases/${id}/assign`, { assigneeId: otherId, version: 1 }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const refused = await answers.find((answer) => answer.status === 409)!.json();
    expect(refused.error).toMatch(/Someone else just changed this case/);
    expect(refused.messages.error['zh-CN']).toMatch(/其他人刚刚修改了此案件/);
    expect(await eventsOf(id)).toMatchObject([{ type: 'opened' }, { type: 'assigned' }]);
    expect(await rowOf(id)).toMatchObject({ version: 2 });
  });

  it('refuses to resolve a closed case with the reason, in both languages', async () => {
    const { id } = await caseFor();
    expect((await act(id, 'close')).status).toBe(200);
    const refused = await act(id, 'resolve');
    expect(refused.status).toBe(409);
    expect(refused.body.messages.error).toEqual({ en: 'This case is closed; reopen it first.', 'zh-CN': '此案件已关闭，请先重新打开。' });
    const zh = await agent.request('POST', `/api/complaints/cases/${id}/transitions`, { action: 'resolve', version: (await rowOf(id)).version }, { 'x-locale': 'zh-CN' });
    expect((await zh.json()).error).toBe('此案件已关闭，请先重新打开。');
  });

  it('records every change with its actor and before/after, and keeps the clock', async () => {
    const { id } = await caseFor();
    const opened = await rowOf(id);
    expect((await act(id, 'acknowledge')).body.case).toMatchObject({ status: 'acknowledged', firstResponseDueAt: null, version: 2 });
    expect((await rowOf(id)).firstRespondedAt).not.toBeNull();
    expect((await act(id, 'wait')).body.case).toMatchObject({ status: 'waiting', watchAt: null });
    const paused = await rowOf(id);
    expect(paused.pausedAt).not.toBeNull();
    // Half a business day waiting: the deadline moves later by what the pause took.
    await test.db.update(complaintCases).set({ pausedAt: paused.pausedAt! - 3 * 24 * 3600_000 }).where(eq(complaintCases.id, id));
    const resumed = (await act(id, 'resume')).body.case;
    expect(resumed).toMatchObject({ status: 'in_progress', pausedAt: null });
    expect(resumed.resolutionDueAt).toBeGreaterThan(opened.resolutionDueAt!);
    expect(resumed.watchAt).not.toBeNull();
    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual(['opened', 'status_changed', 'status_changed', 'status_changed']);
    expect(events[1]).toMatchObject({ actor: 'staff', actorName: expect.stringMatching(/support/), before: { status: 'new' }, after: { status: 'acknowledged' }, public: true });
  });

  it('schedules the follow-up on resolving, and a reply within the window reopens it and cancels the follow-up', async () => {
    const { id } = await caseFor();
    const resolved = (await act(id, 'resolve')).body.case;
    expect(resolved).toMatchObject({ status: 'resolved', resolutionDueAt: null, firstResponseDueAt: null, outcome: 'resolved' });
    const [job] = await test.db.select().from(jobs).where(eq(jobs.kind, followUpJobKind));
    expect(job).toMatchObject({ dedupeKey: `${followUpJobKind}:${id}:0`, payload: { caseId: id, cycle: 0 }, runAt: resolved.resolvedAt + 24 * 3600_000 });
    expect(resolved.watchAt).toBe(resolved.resolvedAt + 7 * 24 * 3600_000);

    const answer = await recordCustomerReply(test.db, { caseId: id, body: 'It is still broken.', via: 'email', dedupeKey: '<abc@mail.example>' });
    expect(answer).toEqual({ caseId: id, reopened: true });
    const again = await recordCustomerReply(test.db, { caseId: id, body: 'It is still broken.', via: 'email', dedupeKey: '<abc@mail.example>' });
    expect(again.reopened).toBe(false);
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: 'in_progress', reopenCount: 1, resolvedAt: null, outcome: null });
    expect(row.nextResponseDueAt).not.toBeNull();
    expect(row.resolutionDueAt).not.toBeNull();
    const types = (await eventsOf(id)).map((event) => event.type);
    expect(types.filter((type) => type === 'customer_replied')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['follow_up_scheduled', 'reopened', 'follow_up_cancelled', 'customer_replied']));

    // The second resolution is a new cycle with its own follow-up.
    await act(id, 'resolve');
    expect((await test.db.select().from(jobs).where(eq(jobs.kind, followUpJobKind))).map((row) => row.dedupeKey).sort()).toEqual([
      `${followUpJobKind}:${id}:0`,
      `${followUpJobKind}:${id}:1`,
    ]);
  });

  it('opens a new linked case for a reply after the reopen window', async () => {
    const { id } = await caseFor();
    await act(id, 'resolve');
    await act(id, 'close');
    const long = Date.now() - 30 * 24 * 3600_000;
    await test.db.update(complaintCases).set({ resolvedAt: long, closedAt: long }).where(eq(complaintCases.id, id));
    const answer = await recordCustomerReply(test.db, { caseId: id, body: 'Same problem again.', via: 'status_page' });
    expect(answer.reopened).toBe(false);
    const linked = await rowOf(answer.newCaseId!);
    expect(linked).toMatchObject({ previousCaseId: id, status: 'new', description: 'Same problem again.', contactEmail: 'li.wei@example.com', channel: 'web' });
    expect(await rowOf(id)).toMatchObject({ status: 'closed', reopenCount: 0 });
  });

  it('closes on the customer\'s confirmation and reopens on "not resolved"', async () => {
    const first = await caseFor();
    await act(first.id, 'resolve');
    await confirmByCustomer(test.db, { caseId: first.id, resolved: true });
    expect(await rowOf(first.id)).toMatchObject({ status: 'closed', customerConfirmed: true, outcome: 'resolved' });
    const second = await caseFor();
    await act(second.id, 'resolve');
    await confirmByCustomer(test.db, { caseId: second.id, resolved: false, comment: 'Nothing arrived.' });
    expect(await rowOf(second.id)).toMatchObject({ status: 'in_progress', customerConfirmed: false, reopenCount: 1 });
    await expect(confirmByCustomer(test.db, { caseId: second.id, resolved: true })).rejects.toThrow(/not resolved yet/);
  });

  it('finds a case by its tokens; a replaced or revoked status link finds nothing', async () => {
    const { id, statusToken } = await caseFor();
    const row = await rowOf(id);
    expect((await caseByStatusToken(test.db, statusToken))?.id).toBe(id);
    expect((await caseByReplyToken(test.db, row.replyToken))?.id).toBe(id);
    expect(await caseByStatusToken(test.db, 'x'.repeat(32))).toBeNull();
    const renewed = await agent.request('POST', `/api/complaints/cases/${id}/status-link`, { version: 1 });
    expect(renewed.status).toBe(200);
    expect(await caseByStatusToken(test.db, statusToken)).toBeNull();
    const after = await rowOf(id);
    expect(after.statusToken).not.toBe(statusToken);
    expect((await caseByStatusToken(test.db, after.statusToken))?.id).toBe(id);
    expect((await eventsOf(id)).map((event) => event.type)).toContain('status_link_revoked');
    await test.db.update(complaintCases).set({ statusTokenRevokedAt: Date.now() }).where(eq(complaintCases.id, id));
    expect(await caseByStatusToken(test.db, after.statusToken)).toBeNull();
  });

  it('merges a duplicate into the survivor; the customer\'s reply to the duplicate reaches the survivor', async () => {
    const duplicate = await caseFor();
    const survivor = await caseFor();
    const response = await agent.request('POST', `/api/complaints/cases/${duplicate.id}/merge`, { intoId: survivor.reference.toLowerCase(), version: 1 });
    expect(response.status).toBe(200);
    expect(await rowOf(duplicate.id)).toMatchObject({ status: 'merged', mergedInto: survivor.id, watchAt: null });
    const answer = await recordCustomerReply(test.db, { caseId: duplicate.id, body: 'Any news?', via: 'email' });
    expect(answer.caseId).toBe(survivor.id);
    const detail = await (await agent.request('GET', `/api/complaints/cases/${survivor.id}`)).json();
    expect(detail.case.duplicates).toEqual([{ id: duplicate.id, reference: duplicate.reference }]);
    expect(detail.events.map((event: { type: string }) => event.type)).toEqual(expect.arrayContaining(['merged', 'customer_replied']));
  });

  it('records that the customer left, and the outcome follows', async () => {
    const { id } = await caseFor();
    expect((await act(id, 'record_customer_left')).body.case).toMatchObject({ customerLeft: true, outcome: 'unresolved' });
    expect((await act(id, 'record_customer_left')).status).toBe(409);
  });

  it('edits details with before and after; a severity change moves the resolution deadline', async () => {
    const { id } = await caseFor();
    const before = await rowOf(id);
    const response = await agent.request('PATCH', `/api/complaints/cases/${id}`, { version: 1, severity: 'major', desiredOutcome: 'A refund' });
    expect(response.status).toBe(200);
    const { case: edited } = await response.json();
    expect(edited).toMatchObject({ severity: 'major', desiredOutcome: 'A refund', version: 2 });
    expect(edited.resolutionDueAt).toBeLessThan(before.resolutionDueAt!);
    const [event] = (await eventsOf(id)).filter((item) => item.type === 'fields_changed');
    expect(event).toMatchObject({ before: { severity: 'minor', desiredOutcome: null }, after: { severity: 'major', desiredOutcome: 'A refund' } });
    expect((await agent.request('PATCH', `/api/complaints/cases/${id}`, { version: 1, severity: 'minor' })).status).toBe(409);
  });

  it('assigns in bulk, skipping closed cases with the reason', async () => {
    const open = await caseFor();
    const closed = await caseFor();
    await act(closed.id, 'close');
    const [agentId] = (await test.db.select({ id: users.id }).from(users)).map((row) => row.id);
    const response = await agent.request('POST', '/api/complaints/assign', { ids: [open.id, closed.id, 'no-such-case'], assigneeId: agentId });
    const body = await response.json();
    expect(body.assigned).toBe(1);
    expect(body.skipped).toEqual([
      { id: closed.id, reason: { en: 'This case is closed; reopen it first.', 'zh-CN': '此案件已关闭，请先重新打开。' } },
      { id: 'no-such-case', reason: expect.objectContaining({ en: expect.stringMatching(/No such case/) }) },
    ]);
    expect(await rowOf(open.id)).toMatchObject({ assigneeId: agentId });
    const toInterviewer = await agent.request('POST', '/api/complaints/assign', { ids: [open.id], assigneeId: (await signedInAs(test, 'interviewer')) && (await test.db.select().from(users)).find((user) => user.role === 'interviewer')!.id });
    expect(toInterviewer.status).toBe(400);
    expect((await toInterviewer.json()).fields.assigneeId).toMatch(/active support agent, manager or admin/);
  });

  it('escalates by hand once', async () => {
    const { id } = await caseFor();
    expect((await act(id, 'escalate')).body.case).toMatchObject({ escalated: true });
    const again = await act(id, 'escalate');
    expect(again).toMatchObject({ status: 409, body: { error: 'This case is already escalated.' } });
  });
});

describe('replies', () => {
  let agent: StaffClient;
  beforeEach(async () => {
    agent = await signedInAs(test, 'support');
  });

  it('reach the customer over SMTP in the case\'s language, the reference in the subject and the case\'s reply address as Reply-To', async () => {
    const settings = await readComplaintSettings(test.db);
    const [opened] = await openCases(test.db, [draft({ contactConsent: false, contactEmail: 'x@example.com' }), draft({ contactConsent: true, contactEmail: 'zhao@example.com', locale: 'zh-CN', contactName: '赵敏' })], settings);
    const second = (await test.db.select().from(complaintCases).where(eq(complaintCases.number, 2)))[0]!;
    const refused = await agent.request('POST', `/api/complaints/cases/${opened!.id}/replies`, { body: 'Hello', version: 1 });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/did not agree to be contacted/);

    const response = await agent.request('POST', `/api/complaints/cases/${second.id}/replies`, { body: '新的包裹明天送到。', version: 1 });
    expect(response.status).toBe(201);
    const { case: replied, event } = await response.json();
    expect(replied).toMatchObject({ status: 'acknowledged', version: 2 });
    expect(event).toMatchObject({ type: 'reply_sent', public: true, body: '新的包裹明天送到。' });
    await withMail(async (smtp) => {
      const mail = await waitFor('the reply', () => smtp.received.find((received) => received.messageId.includes(event.messageId)));
      expect(mail.to).toEqual(['zhao@example.com']);
      expect(mail.headers['reply-to']).toBe(`reply+${second.replyToken}@replies.example.com`);
      expect(textOf(mail)).toContain('新的包裹明天送到。');
      expect(textOf(mail)).toContain(`http://127.0.0.1:3000/c/${second.statusToken}`);
      const [message] = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, event.messageId));
      expect(message).toMatchObject({ subject: `[${second.reference}] 关于您的投诉`, status: 'sent' });
      expect(mail.raw).toContain(Buffer.from(`[${second.reference}]`).toString('base64').slice(0, 12));
    });
  });

  it('are refused to a deactivated agent', async () => {
    const settings = await readComplaintSettings(test.db);
    const [opened] = await openCases(test.db, [draft({ contactConsent: true, contactEmail: 'li@example.com' })], settings);
    await test.db.insert(users).values({ id: 'gone', email: 'gone@example.com', name: 'Gone', role: 'support', passwordHash: 'x', active: false });
    await expect(reply(test.db, mailConfig, { id: 'gone', name: 'Gone', role: 'support' }, opened!.id, { body: 'Hi', version: 1 })).rejects.toMatchObject({
      code: 'conflict',
      text: { en: expect.stringMatching(/account is deactivated/) },
    });
    expect(await test.db.select().from(outgoingMessages)).toHaveLength(0);
  });

  it('are queued with their event or not at all: a failure between the change and the mail leaves neither, a retry sends one', async () => {
    const settings = await readComplaintSettings(test.db);
    const [opened] = await openCases(test.db, [draft({ contactConsent: true, contactEmail: 'li@example.com' })], settings);
    await test.db.run(sql`CREATE TRIGGER outbox_down BEFORE INSERT ON outgoing_messages BEGIN SELECT RAISE(ABORT, 'the disk is gone'); END`);
    const failed = await agent.request('POST', `/api/complaints/cases/${opened!.id}/replies`, { body: 'We are on it.', version: 1 });
    expect(failed.status).toBe(500);
    expect((await test.db.select().from(complaintCases))[0]).toMatchObject({ status: 'new', version: 1 });
    expect(await test.db.select().from(complaintEvents).where(eq(complaintEvents.type, 'reply_sent'))).toHaveLength(0);
    await test.db.run(sql`DROP TRIGGER outbox_down`);
    expect((await agent.request('POST', `/api/complaints/cases/${opened!.id}/replies`, { body: 'We are on it.', version: 1 })).status).toBe(201);
    expect((await agent.request('POST', `/api/complaints/cases/${opened!.id}/replies`, { body: 'We are on it.', version: 1 })).status).toBe(409);
    expect(await test.db.select().from(outgoingMessages).where(like(outgoingMessages.id, 'complaint-reply-%'))).toHaveLength(1);
    expect(await test.db.select().from(jobs).where(like(jobs.dedupeKey, 'mail.send:complaint-reply-%'))).toHaveLength(1);
  });
});

describe('a departing agent', () => {
  it('cannot be deactivated while holding open cases; moving them round robin lets it through', async () => {
    const admin = await signedInAs(test, 'admin');
    const leaving = await signedInAs(test, 'support');
    await signedInAs(test, 'support');
    await signedInAs(test, 'manager');
    const all = await test.db.select().from(users);
    const leavingId = all.find((user) => user.role === 'support')!.id;
    const [otherSupport, manager] = [all.filter((user) => user.role === 'support')[1]!, all.find((user) => user.role === 'manager')!];
    const settings = await readComplaintSettings(test.db);
    const opened = await openCases(test.db, [draft(), draft(), draft(), draft()], settings);
    for (const item of opened) await leaving.request('POST', `/api/complaints/cases/${item.id}/assign`, { assigneeId: leavingId, version: 1 });
    await leaving.request('POST', `/api/complaints/cases/${opened[3]!.id}/transitions`, { action: 'close', version: 2 });

    const refused = await admin.request('PATCH', `/api/users/${leavingId}`, { active: false });
    expect(refused.status).toBe(409);
    const body = await refused.json();
    expect(body).toMatchObject({ openCases: 3 });
    expect(body.error).toMatch(/still has 3 open complaint cases/);

    const moved = await admin.request('POST', '/api/complaints/reassign', { fromUserId: leavingId, toUserIds: [otherSupport.id, manager.id] });
    expect(await moved.json()).toEqual({ moved: 3, to: { [otherSupport.id]: 2, [manager.id]: 1 } });
    expect((await admin.request('PATCH', `/api/users/${leavingId}`, { active: false })).status).toBe(200);
  });
});

describe('queues and input', () => {
  it('lists each queue with its filters, newest first, a page at a time', async () => {
    const agent = await signedInAs(test, 'support');
    const [agentId] = (await test.db.select({ id: users.id }).from(users)).map((row) => row.id);
    const settings = await readComplaintSettings(test.db);
    // One a millisecond apart, so newest first is a known order.
    const drafts = [draft(), draft({ category: 'billing', severity: 'major' }), draft({ channel: 'email' })];
    const opened = [];
    for (const [index, item] of drafts.entries()) opened.push(...(await openCases(test.db, [item], settings, Date.now() + index)));
    await agent.request('POST', `/api/complaints/cases/${opened[0]!.id}/assign`, { assigneeId: agentId, version: 1 });
    await test.db.update(complaintCases).set({ alert: 'breached' }).where(eq(complaintCases.id, opened[1]!.id));
    const ids = async (query: string) => ((await (await agent.request('GET', `/api/complaints/cases?${query}`)).json()).cases as { id: string }[]).map((row) => row.id);
    expect(await ids('queue=mine')).toEqual([opened[0]!.id]);
    expect(await ids(`queue=all&assigneeId=${agentId}`)).toEqual([opened[0]!.id]);
    expect(await ids('queue=unassigned')).toEqual([opened[2]!.id, opened[1]!.id]);
    expect(await ids('queue=breached')).toEqual([opened[1]!.id]);
    expect(await ids('queue=all&severity=major')).toEqual([opened[1]!.id]);
    expect(await ids('queue=all&channel=email')).toEqual([opened[2]!.id]);
    await test.db.insert(customers).values([{ id: 'vip-1', name: 'VIP', tier: 'vip' }, { id: 'plain-1', name: 'Plain' }]);
    await test.db.update(complaintCases).set({ customerId: 'vip-1' }).where(eq(complaintCases.id, opened[1]!.id));
    await test.db.update(complaintCases).set({ customerId: 'plain-1' }).where(eq(complaintCases.id, opened[2]!.id));
    expect(await ids('queue=all&tier=vip')).toEqual([opened[1]!.id]);
    expect(await ids('queue=unassigned&tier=ordinary')).toEqual([opened[2]!.id]);
    // A closed case leaves the queues of open cases, and stays in "all".
    await agent.request('POST', `/api/complaints/cases/${opened[0]!.id}/transitions`, { action: 'close', version: 2 });
    expect(await ids('queue=mine')).toEqual([]);
    expect(await ids('queue=all')).toEqual([opened[2]!.id, opened[1]!.id, opened[0]!.id]);
    expect(await ids(`q=${encodeURIComponent(opened[0]!.reference.toLowerCase().replaceAll('-', ' '))}`)).toEqual([opened[0]!.id]);
    const first = await (await agent.request('GET', '/api/complaints/cases?limit=2')).json();
    expect(first.cases).toHaveLength(2);
    const second = await (await agent.request('GET', `/api/complaints/cases?limit=2&before=${first.nextBefore}`)).json();
    expect([...first.cases, ...second.cases].map((row: { id: string }) => row.id)).toEqual([opened[2]!.id, opened[1]!.id, opened[0]!.id]);
    const wrong = await agent.request('GET', '/api/complaints/cases?queue=later');
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).fields.queue).toMatch(/mine, unassigned, at_risk, breached, waiting, all/);
  });

  it('answers bad input with a message per field a person can act on', async () => {
    const agent = await signedInAs(test, 'support');
    const response = await agent.request('POST', '/api/complaints/cases', {
      channel: 'fax',
      category: 'delivery',
      description: '   ',
      locale: 'en',
      contactEmail: 'not-an-address',
      contactConsent: true,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fields).toMatchObject({
      channel: expect.stringMatching(/phone, email, in_person/),
      description: expect.stringMatching(/empty/),
      contactEmail: expect.stringMatching(/not an email address/),
    });
    expect(body.messages.fields.description['zh-CN']).toMatch(/为空/);
    const unknown = await agent.request('POST', '/api/complaints/cases', { channel: 'phone', category: 'weather', description: 'Rain.', locale: 'en', contactConsent: false });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).fields.category).toMatch(/Use one of: product, service/);
    const consentWithoutEmail = await agent.request('POST', '/api/complaints/cases', { channel: 'phone', category: 'other', description: 'x', locale: 'en', contactConsent: true, contactChannel: 'email' });
    expect((await consentWithoutEmail.json()).fields.contactEmail).toMatch(/give their email address/);
  });
});
