// The post-resolution survey end to end: the follow-up job a resolve queues, run by a worker as a server process
// would, invites the customer through the system follow-up campaign on their channel under the contact rule
// for follow-up; the email reaches a real SMTP server; the answer through the personal link goes on the case.
// Time is moved by writing the job's due time into the past.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followUpCampaignId, followUpKey, followUpSurveyId, followUpVersionId } from '../server/complaints/follow-up.ts';
import { followUpHandlers } from '../server/complaints/follow-up.ts';
import { readComplaintSettings } from '../server/complaints/settings.ts';
import { newCaseToken } from '../server/complaints/reference.ts';
import { campaignInvitations, complaintCases, complaintEvents, jobs, outgoingMessages, responses } from '../server/db/schema.ts';
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
const replyDomain = 'support.example.com';

let test: TestApp;
let smtp: TestSmtp;
let mailer: Mailer;
let worker: Worker;

beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
  mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Support <support@example.com>', perSecond: 1000 });
  worker = startCampaignWorker(test, { ...mailer.handlers, ...followUpHandlers({ db: test.db, config: { publicUrl, replyDomain } }) }, 'follow-up-test');
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

describe('the follow-up survey of a case with contact details only', () => {
  /** A complaint answered on the open web link: no customer record, an email typed in and consent ticked. */
  async function contactOnlyCase(fields: Parameters<typeof insertCase>[1] = {}) {
    const statusToken = newCaseToken();
    const caseId = await insertCase(test.db, {
      status: 'in_progress',
      firstRespondedAt: Date.now(),
      source: 'form',
      channel: 'web',
      locale: 'zh-CN',
      contactName: '陈静',
      contactEmail: 'chen.jing@example.net',
      contactConsent: true,
      contactChannel: null,
      statusToken,
      replyToken: newCaseToken(),
      ...fields,
    });
    return { caseId, statusToken };
  }

  const post = (path: string, body: unknown) =>
    test.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-locale': 'en' }, body: JSON.stringify(body) });
  const answer = (token: string, id: string, answers: Record<string, unknown>) => post(`/api/public/cases/${token}/follow-up`, { id, locale: 'zh-CN', answers });
  const view = async (token: string) => (await test.app.request(`/api/public/cases/${token}`)).json();
  const page = async (token: string) => (await test.app.request(`/c/${token}`)).text();
  const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));
  const answeredEvents = async (caseId: string) => (await eventsOf(caseId)).filter((event) => event.type === 'follow_up_answered');

  it('is emailed after the delay with a link to the status page, whose answer goes on the case once per resolution cycle', async () => {
    const { caseId, statusToken } = await contactOnlyCase();
    // Not offered before the case is resolved.
    expect((await view(statusToken)).followUp).toBeNull();
    expect((await answer(statusToken, randomUUID(), { handling_csat: 5, resolved: 'yes', buy_again: 5 })).status).toBe(409);

    await act(caseId, 'resolve');
    // Resolved, but the delay has not passed: nothing sent, nothing offered yet.
    expect((await jobOf(caseId)).status).toBe('pending');
    expect((await view(statusToken)).followUp).toBeNull();
    expect(await page(statusToken)).not.toContain('data-testid="follow-up-form"');
    const early = await answer(statusToken, randomUUID(), { handling_csat: 5, resolved: 'yes', buy_again: 5 });
    expect(early.status).toBe(409);
    expect((await early.json()).error).toContain('no survey to answer');

    await delayPassed(caseId);
    await waitFor('the follow-up email', () => mailsTo('chen.jing@example.net').length === 1);
    const row = await caseRow(caseId);
    const received = mailsTo('chen.jing@example.net')[0]!;
    const mail = readMail(received);
    expect(mail.subject).toBe(`[${row.reference}] 请评价我们对您投诉的处理`);
    expect(mail.text).toContain(`${publicUrl}/c/${statusToken}#follow-up`);
    expect(mail.text).toContain('陈静，您好');
    expect(received.headers['reply-to']).toBe(`reply+${row.replyToken}@${replyDomain}`);
    expect((await eventsOf(caseId)).filter((event) => event.type === 'follow_up_scheduled').at(-1)!.after).toMatchObject({ cycle: 0, sent: true, statusPage: true, delivery: 'email' });
    // A retried job sends nothing more.
    await test.db.update(jobs).set({ status: 'pending', runAt: 0, attempts: 0 }).where(eq(jobs.dedupeKey, followUpKey(caseId, 0)));
    await delayPassed(caseId);
    expect(await test.db.select({ id: outgoingMessages.id }).from(outgoingMessages).where(eq(outgoingMessages.toAddress, 'chen.jing@example.net'))).toHaveLength(1);

    // The page now asks the three questions; answers that do not fit the survey are refused, naming them.
    expect((await view(statusToken)).followUp).toBe('open');
    expect(await page(statusToken)).toContain('data-testid="follow-up-form"');
    const wrong = await answer(statusToken, randomUUID(), { handling_csat: 9, resolved: 'maybe' });
    expect(wrong.status).toBe(400);
    expect(Object.keys((await wrong.json()).questionErrors ?? {})).toEqual(expect.arrayContaining(['handling_csat', 'resolved', 'buy_again']));
    expect(await test.db.select().from(responses)).toEqual([]);

    const id = randomUUID();
    const first = await answer(statusToken, id, { handling_csat: 4, resolved: 'partly', buy_again: 3, comment: '处理得还算及时。' });
    expect(first.status, await first.clone().text()).toBe(201);
    expect(await caseRow(caseId)).toMatchObject({ handlingScore: 4, resolvedAnswer: 'partly', buyAgainScore: 3, outcome: 'resolved' });
    // The same answer sent again (a retry) stores nothing more; another answer in this cycle is refused.
    const again = await answer(statusToken, id, { handling_csat: 4, resolved: 'partly', buy_again: 3, comment: '处理得还算及时。' });
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('duplicate');
    expect((await answer(statusToken, randomUUID(), { handling_csat: 1, resolved: 'no', buy_again: 1 })).status).toBe(409);
    expect(await caseRow(caseId)).toMatchObject({ handlingScore: 4, resolvedAnswer: 'partly', buyAgainScore: 3 });

    const stored = await test.db.select().from(responses);
    expect(stored).toEqual([
      expect.objectContaining({
        id,
        surveyId: followUpSurveyId,
        versionId: followUpVersionId,
        channel: 'web',
        locale: 'zh-CN',
        customerId: null,
        hiddenFields: { case: row.reference },
        answers: { handling_csat: 4, resolved: 'partly', buy_again: 3, comment: '处理得还算及时。' },
      }),
    ]);
    expect(await answeredEvents(caseId)).toEqual([
      { type: 'follow_up_answered', actor: 'customer', after: { handlingScore: 4, resolvedAnswer: 'partly', buyAgainScore: 3, cycle: 0, responseId: id, via: 'status_page' }, body: '处理得还算及时。' },
    ]);
    expect((await view(statusToken)).followUp).toBe('answered');
    const answeredPage = await page(statusToken);
    expect(answeredPage).not.toContain('data-testid="follow-up-form"');
    expect(answeredPage).toContain('感谢您帮助我们改进。');

    // Reopened and resolved again: a new cycle, offered again after its own delay, answered once more.
    await act(caseId, 'reopen');
    expect((await view(statusToken)).followUp).toBeNull();
    await act(caseId, 'resolve');
    expect((await view(statusToken)).followUp).toBeNull();
    await delayPassed(caseId, 1);
    await waitFor('the second cycle’s email', () => mailsTo('chen.jing@example.net').length === 2);
    expect((await view(statusToken)).followUp).toBe('open');
    const second = await answer(statusToken, randomUUID(), { handling_csat: 2, resolved: 'no', buy_again: 2 });
    expect(second.status).toBe(201);
    expect(await caseRow(caseId)).toMatchObject({ handlingScore: 2, resolvedAnswer: 'no', buyAgainScore: 2, outcome: 'unresolved' });
    expect((await answeredEvents(caseId)).map((event) => (event.after as { cycle: number }).cycle)).toEqual([0, 1]);
    expect(await test.db.select().from(responses)).toHaveLength(2);
  });

  it('is not sent when the customer asked on the status page to stop being contacted, nor without consent or an address', async () => {
    const { caseId, statusToken } = await contactOnlyCase({ locale: 'en', contactEmail: 'stop@example.net' });
    await act(caseId, 'resolve');
    expect(await page(statusToken)).toContain('Stop contacting me about this case');
    const stopped = await post(`/api/public/cases/${statusToken}/contact-consent`, { consent: false });
    expect(stopped.status).toBe(200);
    expect((await caseRow(caseId)).contactConsent).toBe(false);
    expect((await view(statusToken)).history.map((entry: { kind: string }) => entry.kind)).toContain('contact_stopped');
    expect(await page(statusToken)).not.toContain('Stop contacting me about this case');
    // Asked again: nothing more happens.
    expect((await post(`/api/public/cases/${statusToken}/contact-consent`, { consent: false })).status).toBe(200);
    expect((await eventsOf(caseId)).filter((event) => event.type === 'fields_changed')).toEqual([
      { type: 'fields_changed', actor: 'customer', after: { contactConsent: false }, body: null },
    ]);

    const declined = await contactOnlyCase({ locale: 'en', contactEmail: 'declined@example.net', contactConsent: false });
    const phoneOnly = await contactOnlyCase({ locale: 'en', contactEmail: null, contactPhone: '+86 138 0000 0009', contactChannel: 'phone' });
    await act(declined.caseId, 'resolve');
    await act(phoneOnly.caseId, 'resolve');
    await delayPassed(caseId);
    await delayPassed(declined.caseId);
    await delayPassed(phoneOnly.caseId);
    for (const [id, reason] of [
      [caseId, 'no_consent'],
      [declined.caseId, 'no_consent'],
      [phoneOnly.caseId, 'no_customer'],
    ] as const) {
      expect((await eventsOf(id)).filter((event) => event.type === 'follow_up_cancelled').map((event) => event.after)).toEqual([{ followUpInvitationId: null, cycle: 0, skipped: reason }]);
    }
    expect((await view(statusToken)).followUp).toBeNull();
    expect((await answer(statusToken, randomUUID(), { handling_csat: 5, resolved: 'yes', buy_again: 5 })).status).toBe(409);
    expect(await test.db.select().from(outgoingMessages)).toEqual([]);
    expect(smtp.received).toEqual([]);
  });

  it('does not send the follow-up email still waiting in the Outbox once the customer asks to stop', async () => {
    // No process can send mail (no SMTP): the follow-up waits in the Outbox, held.
    await worker.stop();
    mailer.close();
    mailer = createMailer({ db: test.db, smtpUrl: undefined, mailFrom: 'Support <support@example.com>', perSecond: 1000 });
    worker = startCampaignWorker(test, { ...mailer.handlers, ...followUpHandlers({ db: test.db, config: { publicUrl, replyDomain } }) }, 'follow-up-test-no-smtp');
    const { caseId, statusToken } = await contactOnlyCase({ locale: 'en', contactEmail: 'held@example.net' });
    await act(caseId, 'resolve');
    await delayPassed(caseId);
    const [held] = await test.db.select({ status: outgoingMessages.status }).from(outgoingMessages).where(eq(outgoingMessages.toAddress, 'held@example.net'));
    expect(held?.status).toBe('held');
    expect((await post(`/api/public/cases/${statusToken}/contact-consent`, { consent: false })).status).toBe(200);
    const [after] = await test.db.select({ status: outgoingMessages.status, skipReason: outgoingMessages.skipReason }).from(outgoingMessages).where(eq(outgoingMessages.toAddress, 'held@example.net'));
    expect(after).toEqual({ status: 'skipped', skipReason: 'no_consent' });
  });
});
