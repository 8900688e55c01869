// The post-resolution survey end to end: the follow-up job a resolve queues, run by a worker as a server process
// would, invites the customer through the system follow-up campaign on their channel under the contact rule
// for follow-up; the email reaches a real SMTP server; the answer through the personal link goes on the case.
// Time is moved by writing the job's due time into the past.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followUpCampaignId, followUpKey } from '../server/complaints/follow-up.ts';
import { followUpHandlers } from '../server/complaints/follow-up.ts';
import { readComplaintSettings } from '../server/complaints/settings.ts';
import { campaignInvitations, complaintCases, complaintEvents, jobs } from '../server/db/schema.ts';
import { claimNext, listCallCampaigns, recordOutcome } from '../server/phone/service.ts';
import { letterStream } from '../server/postal/letters.ts';
import type { Worker } from '../server/jobs/queue.ts';
import { transitionIn } from '../server/complaints/service.ts';
import { createMailer, type Mailer } from '../server/mail/mailer.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { addCustomer, publicUrl, startCampaignWorker } from './support/campaigns.ts';
import { insertCase, insertStaff, readMail } from './support/deadline-cases.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type TestSmtp } from './support/smtp.ts';

const hourMs = 3_600_000;

let test: TestApp;
let smtp: TestSmtp;
let mailer: Mailer;
let worker: Worker;

beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
  mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Support <support@example.com>', perSecond: 1000 });
  worker = startCampaignWorker(test, { ...mailer.handlers, ...followUpHandlers({ db: test.db }) }, 'follow-up-test');
});
afterEach(async () => {
  await worker.stop();
  mailer.close();
  await smtp.close();
  test.close();
});

const agent = { type: 'staff' as const, id: 'agent-1', name: 'Agent' };

/** Takes a workflow action on a case as the staff app does (the service's transition, in a transaction). */
async function act(caseId: string, action: 'resolve' | 'reopen') {
  const settings = await readComplaintSettings(test.db);
  await test.db.transaction(async (tx) => {
    const [read] = await tx.select().from(complaintCases).where(eq(complaintCases.id, caseId));
    await transitionIn(tx, read!, action, agent, settings, Date.now());
  });
}

/** A case of this customer in progress, resolved by an agent: resolving queues its follow-up for the delay after. */
async function resolvedCase(customerId: string, fields: Parameters<typeof insertCase>[1] = {}) {
  const caseId = await insertCase(test.db, { status: 'in_progress', firstRespondedAt: Date.now(), customerId, contactConsent: true, contactChannel: 'email', ...fields });
  await act(caseId, 'resolve');
  return caseId;
}

async function jobOf(caseId: string, cycle = 0) {
  const [job] = await test.db.select().from(jobs).where(eq(jobs.dedupeKey, followUpKey(caseId, cycle)));
  return job!;
}

/** As if the delay had passed: the job is due now. Returns once it has run. */
async function delayPassed(caseId: string, cycle = 0) {
  await test.db.update(jobs).set({ runAt: 0 }).where(eq(jobs.dedupeKey, followUpKey(caseId, cycle)));
  worker.wake();
  await waitFor(`the follow-up of ${caseId} to run`, async () => (await jobOf(caseId, cycle)).status === 'done');
}

const caseRow = async (id: string) => (await test.db.select().from(complaintCases).where(eq(complaintCases.id, id)))[0]!;
const eventsOf = (id: string) =>
  test.db
    .select({ type: complaintEvents.type, actor: complaintEvents.actor, after: complaintEvents.after, body: complaintEvents.body })
    .from(complaintEvents)
    .where(eq(complaintEvents.caseId, id))
    .orderBy(complaintEvents.id);

describe('the follow-up survey', () => {
  it('goes out by email after the delay, once, and its answer sets the handling score and the outcome', async () => {
    // Ada agreed to follow-up contact by email, not to surveys: the follow-up purpose is what counts.
    const ada = await addCustomer(test, { name: 'Ada', email: 'ada@example.com', locale: 'en', consents: { email: ['follow_up'] }, preferredChannel: 'email' });
    const caseId = await resolvedCase(ada);
    const job = await jobOf(caseId);
    expect(job.runAt).toBeGreaterThan(Date.now() + 23 * hourMs);
    expect(job.payload).toEqual({ caseId, cycle: 0 });
    // Another follow-up due now runs first; Ada's, not yet due, is still waiting after it.
    const other = await addCustomer(test, { name: 'Other', email: 'other@example.com', consents: { email: ['follow_up'] } });
    const otherCase = await resolvedCase(other);
    await delayPassed(otherCase);
    expect((await jobOf(caseId)).status).toBe('pending');
    expect(await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.dedupeKey, followUpKey(caseId, 0)))).toEqual([]);

    await delayPassed(caseId);
    await waitFor('the follow-up email', () => smtp.received.some((mail) => mail.to.includes('ada@example.com')));
    const [invitation] = await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.dedupeKey, followUpKey(caseId, 0)));
    expect(invitation).toMatchObject({ campaignId: followUpCampaignId, delivery: 'email', skipReason: null, locale: 'en' });
    const mail = readMail(smtp.received.find((received) => received.to.includes('ada@example.com'))!);
    expect(mail.subject).toBe('How did we handle your complaint?');
    expect(mail.text).toContain(`${publicUrl}/i/${invitation!.token}`);
    expect((await caseRow(caseId)).followUpInvitationId).toBe(invitation!.id);

    // Running the job again (a retry after a crash) sends nothing more.
    await test.db.update(jobs).set({ status: 'pending', runAt: 0, attempts: 0 }).where(eq(jobs.dedupeKey, followUpKey(caseId, 0)));
    await delayPassed(caseId);
    expect((await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.customerId, ada))).length).toBe(1);

    // The personal link opens the follow-up survey, in both languages.
    const page = await test.app.request(`/i/${invitation!.token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('How did we handle your complaint?');
    expect(html).toContain('您对我们处理这次投诉的方式满意吗？');

    const answered = await test.app.request(`/api/public/invitations/${invitation!.token}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: randomUUID(), locale: 'en', answers: { handling_csat: 5, resolved: 'yes', buy_again: 4, comment: 'Quick and kind.' }, startedAt: Date.now() - 30_000 }),
    });
    expect(answered.status, await answered.clone().text()).toBe(201);
    expect(await caseRow(caseId)).toMatchObject({ handlingScore: 5, resolvedAnswer: 'yes', buyAgainScore: 4, outcome: 'resolved_quickly' });
    const events = await eventsOf(caseId);
    expect(events.filter((event) => event.type === 'follow_up_scheduled').map((event) => event.after)).toEqual([
      { cycle: 0, runAt: job.runAt },
      { followUpInvitationId: invitation!.id, delivery: 'email', cycle: 0, sent: true },
    ]);
    expect(events.find((event) => event.type === 'follow_up_answered')).toMatchObject({
      actor: 'customer',
      after: { handlingScore: 5, resolvedAnswer: 'yes', buyAgainScore: 4, cycle: 0 },
      body: 'Quick and kind.',
    });
  });

  it('goes out on the customer’s channel: a phone follow-up is called from the interviewers’ call list and keyed in, a postal one is among the letters', async () => {
    const zhou = await addCustomer(test, { name: '周', phone: '+86 138 0000 0002', consents: { phone: ['follow_up'] }, preferredChannel: 'phone' });
    const byPhone = await resolvedCase(zhou, { contactChannel: null });
    const sun = await addCustomer(test, { name: '孙', postalAddress: '上海市 世纪大道 100 号', consents: { post: ['follow_up'] } });
    const byPost = await resolvedCase(sun, { contactChannel: 'post' });
    await delayPassed(byPhone);
    await delayPassed(byPost);
    const invitations = await test.db
      .select({ customerId: campaignInvitations.customerId, delivery: campaignInvitations.delivery, skipReason: campaignInvitations.skipReason, callState: campaignInvitations.callState })
      .from(campaignInvitations)
      .where(eq(campaignInvitations.campaignId, followUpCampaignId));
    expect(invitations).toEqual(
      expect.arrayContaining([
        { customerId: zhou, delivery: 'phone', skipReason: null, callState: 'open' },
        { customerId: sun, delivery: 'post', skipReason: null, callState: null },
      ]),
    );
    const lists = await listCallCampaigns(test.db, Date.now());
    expect(lists.find((list) => list.id === followUpCampaignId)).toMatchObject({ open: 1, doNotCall: 0 });
    // An interviewer calls Zhou at 10:00 Shanghai time (inside the calling hours) and keys the answers in.
    await insertStaff(test.db, { id: 'interviewer-1', role: 'interviewer' });
    const tenInShanghai = Math.ceil((Date.now() - 2 * hourMs) / (24 * hourMs)) * 24 * hourMs + 2 * hourMs;
    const next = await claimNext(test.db, { campaignId: followUpCampaignId, interviewerId: 'interviewer-1', now: tenInShanghai });
    expect(next.none).toBe(false);
    const invitationId = (await caseRow(byPhone)).followUpInvitationId!;
    await recordOutcome(test.db, {
      invitationId,
      interviewerId: 'interviewer-1',
      now: tenInShanghai + 60_000,
      attemptId: randomUUID(),
      outcome: 'completed',
      answers: { handling_csat: 2, resolved: 'partly', buy_again: 3 },
      responseId: randomUUID(),
      locale: 'zh-CN',
      startedAt: tenInShanghai,
    });
    expect(await caseRow(byPhone)).toMatchObject({ handlingScore: 2, resolvedAnswer: 'partly', buyAgainScore: 3, outcome: 'unresolved' });
    expect((await caseRow(byPhone)).followUpInvitationId).not.toBeNull();
    expect((await caseRow(byPost)).followUpInvitationId).not.toBeNull();
    // Sun agreed to follow-up by post only: the letter is printed (and marked so) under that consent.
    const { stream } = await letterStream(test.db, { campaignId: followUpCampaignId, publicUrl, sender: 'Support', compress: false });
    expect((await new Response(stream).arrayBuffer()).byteLength).toBeGreaterThan(0);
    const [letter] = await test.db.select({ deliveredAt: campaignInvitations.deliveredAt }).from(campaignInvitations).where(eq(campaignInvitations.customerId, sun));
    expect(letter!.deliveredAt).not.toBeNull();
  });

  it('is cancelled by a reopen: the job of the earlier cycle sends nothing', async () => {
    const li = await addCustomer(test, { name: 'Li', email: 'li@example.com', consents: { email: ['follow_up'] } });
    const caseId = await resolvedCase(li);
    await act(caseId, 'reopen');
    expect((await caseRow(caseId)).reopenCount).toBe(1);
    await delayPassed(caseId);
    expect(await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.customerId, li))).toEqual([]);
    expect((await caseRow(caseId)).followUpInvitationId).toBeNull();
    // Resolving schedules it, reopening cancels it; the job then finds a new cycle and sends nothing.
    expect((await eventsOf(caseId)).filter((event) => event.type.startsWith('follow_up')).map((event) => event.type)).toEqual(['follow_up_scheduled', 'follow_up_cancelled']);
  });

  it('follows the contact rule: no follow-up consent, or no consent on the case, skips it with the reason on the case', async () => {
    const wang = await addCustomer(test, { name: '王芳', email: 'wang@example.com', locale: 'zh-CN', consents: { email: ['survey'] } });
    const noConsent = await resolvedCase(wang);
    const zhao = await addCustomer(test, { name: '赵', email: 'zhao@example.com', consents: { email: ['follow_up'] } });
    const declined = await resolvedCase(zhao, { contactConsent: false });
    const qian = await addCustomer(test, { name: '钱', email: 'qian@example.com', consents: { email: ['follow_up'] }, doNotContact: true });
    const doNotContact = await resolvedCase(qian);
    await delayPassed(noConsent);
    await delayPassed(declined);
    await delayPassed(doNotContact);

    for (const [caseId, reason] of [
      [noConsent, 'no_consent'],
      [declined, 'no_consent'],
      [doNotContact, 'do_not_contact'],
    ] as const) {
      const skipped = (await eventsOf(caseId)).filter((event) => event.type === 'follow_up_cancelled');
      expect(skipped).toEqual([{ type: 'follow_up_cancelled', actor: 'system', after: { followUpInvitationId: null, cycle: 0, skipped: reason }, body: null }]);
      expect((await caseRow(caseId)).followUpInvitationId).toBeNull();
    }
    const [skippedInvitation] = await test.db
      .select({ skipReason: campaignInvitations.skipReason, token: campaignInvitations.token })
      .from(campaignInvitations)
      .where(and(eq(campaignInvitations.customerId, wang), eq(campaignInvitations.campaignId, followUpCampaignId)));
    expect(skippedInvitation).toEqual({ skipReason: 'no_consent', token: null });
    expect(smtp.received).toEqual([]);
  });
});
