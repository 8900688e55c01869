// After resolution: the follow-up survey. Resolving a case queues a `complaints.follow-up` job for
// followUpDelayHours later, one per resolution cycle; when it runs, and the case is still resolved or closed in
// that cycle (a reopen cancels it), the customer is invited to the post-resolution survey on their channel
// (email, post or phone) through the system's follow-up campaign, under the contact rule for the follow-up
// purpose. A case with no customer record, only the contact details given with the complaint, gets an email
// (when it carries consent and an address) linking its status page, where the same survey is answered. The
// invitation, or the reason there is none, is recorded on the case. The answer, given through the personal
// link, a keyed letter, a phone interview or the status page, sets the case's handling score, resolved answer
// and buy-again score, and brings its recovery outcome up to date.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Answers } from '../../surveys/answers.ts';
import type { Locale, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { templates } from '../../surveys/templates/index.ts';
import { audienceMemberColumns, inviteBatch } from '../campaigns/invitations.ts';
import type { InvitationDelivery, SkipReason } from '../campaigns/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { campaigns, complaintCases, complaintEvents, customers, dbNow, surveys, surveyVersions } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx, JobHandler } from '../jobs/queue.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { queueMessagesIn } from '../mail/mailer.ts';
import { writeResponses } from '../responses/intake.ts';
import { prepareResponse, surveyClosedError } from '../responses/service.ts';
import { caseAddress, followUpMessage, type CaseMailConfig } from './emails.ts';
import { wantsEmail } from './opening.ts';
import { refreshOutcome, type CaseRow } from './service.ts';

export const followUpKind = 'complaints.follow-up';

/** The system's follow-up survey and campaign: made once, on demand, with these ids whatever process makes them. */
export const followUpSurveyId = 'complaints-follow-up';
export const followUpCampaignId = 'complaints-follow-up';
export const followUpVersionId = 'complaints-follow-up-1';

/** The follow-up invitation of one resolution cycle: the job's dedupe key, and the invitation's. */
export const followUpKey = (caseId: string, cycle: number) => `${followUpKind}:${caseId}:${cycle}`;

/** The case and cycle of a follow-up invitation's dedupe key; null for any other invitation. */
export function followUpCycleOf(dedupeKey: string): { caseId: string; cycle: number } | null {
  const match = /^complaints\.follow-up:(.+):(\d+)$/.exec(dedupeKey);
  return match ? { caseId: match[1]!, cycle: Number(match[2]) } : null;
}

const invitationEmail = {
  subject: { en: 'How did we handle your complaint?', 'zh-CN': '请评价我们对您投诉的处理' },
  body: {
    en: 'Dear {{name}},\n\nYou recently told us about a problem, and we would like to know how well we dealt with it. Three short questions:\n\n{{link}}\n\nThis link is personal to you: please do not forward it.\n\nThank you.',
    'zh-CN': '尊敬的{{name}}：\n\n您最近向我们反映了一个问题，我们想了解您对处理情况的看法。只有三个简短的问题：\n\n{{link}}\n\n此链接为您专属，请勿转发。\n\n谢谢！',
  },
};

/**
 * The follow-up survey (the follow-up template, published) and its event campaign, running. Made in one
 * transaction with fixed ids the first time a follow-up is due, so two processes at once make one; later
 * calls find them. An admin may close the campaign: follow-ups are then skipped with that reason.
 */
export async function ensureFollowUpCampaign(db: DbOrTx): Promise<typeof campaigns.$inferSelect> {
  const [existing] = await db.select().from(campaigns).where(eq(campaigns.id, followUpCampaignId));
  if (existing) return existing;
  const definition: SurveyDefinition = structuredClone(templates['follow-up']);
  await db.transaction(async (tx) => {
    await tx
      .insert(surveys)
      // A slug of its own making, so a survey someone already linked as "complaint-follow-up" is never in the way.
      .values({ id: followUpSurveyId, slug: `complaint-follow-up-${randomBytes(3).toString('hex')}`, kind: 'follow_up', status: 'published', draft: definition, latestVersionId: followUpVersionId })
      .onConflictDoNothing();
    await tx.insert(surveyVersions).values({ id: followUpVersionId, surveyId: followUpSurveyId, version: 1, definition }).onConflictDoNothing();
    await tx
      .insert(campaigns)
      .values({
        id: followUpCampaignId,
        name: 'Complaint follow-up · 投诉处理回访',
        surveyId: followUpSurveyId,
        versionId: followUpVersionId,
        delivery: 'event',
        status: 'running',
        settings: {
          event: { delayHours: 0, eventTypes: [followUpKind] },
          email: invitationEmail,
          reminders: { afterDays: 3, max: 0 },
          phone: {
            maxAttempts: 3,
            callingHours: { start: '09:00', end: '20:00' },
            script: {
              en: 'Hello, this is a short call about the complaint you made to us recently, which we have resolved. May I ask you three quick questions about how we handled it?',
              'zh-CN': '您好，您最近向我们反映的问题已经处理完毕，想占用您一两分钟，就处理情况问您三个简短的问题，可以吗？',
            },
          },
          post: { doubleKeying: false },
        },
        launchedAt: dbNow,
      })
      .onConflictDoNothing();
  });
  const [made] = await db.select().from(campaigns).where(eq(campaigns.id, followUpCampaignId));
  return made!;
}

const FollowUpPayload = v.object({ caseId: v.string(), cycle: v.pipe(v.number(), v.integer(), v.minValue(0)) });

/** Why a case's follow-up was not sent, beyond the contact rule's own reasons. */
export type FollowUpSkip = SkipReason | 'no_customer' | 'campaign_closed';

export type FollowUpOutcome =
  | { status: 'invited'; invitationId: string; delivery: InvitationDelivery }
  /** No customer record: the survey is on the case's status page, its link emailed to the address on the case. */
  | { status: 'emailed'; messageId: string }
  | { status: 'skipped'; reason: FollowUpSkip }
  /** The case was reopened (or changed cycle), or the follow-up of this cycle was done before. */
  | { status: 'cancelled' | 'done before' };

const deliveries: Record<string, InvitationDelivery> = { email: 'email', phone: 'phone', post: 'post' };

/**
 * Sends the follow-up of a case's resolution cycle, if the case is still resolved or closed in that cycle.
 * Everything happens in one transaction: the check, the invitation under the contact rule (its email queued
 * by a job written alongside) or, for a case with no customer record, the email linking its status page, queued
 * in the Outbox; the case's followUpInvitationId and the event saying what happened.
 */
export async function sendFollowUp(db: Db, config: CaseMailConfig, input: { caseId: string; cycle: number }): Promise<FollowUpOutcome> {
  const campaign = await ensureFollowUpCampaign(db);
  return db.transaction(async (tx) => {
    // The first statement writes, so this transaction holds the write lock from its start.
    const [row] = await tx
      .update(complaintCases)
      .set({ updatedAt: sql`${complaintCases.updatedAt}` })
      .where(and(eq(complaintCases.id, input.caseId), eq(complaintCases.reopenCount, input.cycle), inArray(complaintCases.status, ['resolved', 'closed'])))
      .returning();
    if (!row) return { status: 'cancelled' as const };
    const key = followUpKey(input.caseId, input.cycle);
    const [done] = await tx.select({ id: complaintEvents.id }).from(complaintEvents).where(eq(complaintEvents.dedupeKey, `${key}:sent`));
    if (done) return { status: 'done before' as const };

    const [customer] = row.customerId ? await tx.select({ ...audienceMemberColumns, preferredChannel: customers.preferredChannel }).from(customers).where(eq(customers.id, row.customerId)) : [];
    const channel = row.contactChannel ?? customer?.preferredChannel ?? null;
    const delivery = channel ? deliveries[channel]! : null;
    let outcome: FollowUpOutcome;
    // Consent is read now, when the follow-up goes: a customer who asked on the status page not to be
    // contacted about the case since it was resolved gets nothing.
    if (!row.contactConsent) outcome = { status: 'skipped', reason: 'no_consent' };
    else if (!customer && !wantsEmail(row)) outcome = { status: 'skipped', reason: 'no_customer' };
    else if (campaign.status !== 'running') outcome = { status: 'skipped', reason: 'campaign_closed' };
    else if (!customer) {
      const to = await caseAddress(tx, row);
      if (!to) outcome = { status: 'skipped', reason: 'no_email' };
      else {
        const [messageId] = await queueMessagesIn(tx, [followUpMessage(row, to, config, input.cycle)]);
        outcome = { status: 'emailed', messageId: messageId! };
      }
    } else if (!delivery) outcome = { status: 'skipped', reason: 'no_preferred_channel' };
    else {
      const { preferredChannel: _preferred, ...member } = customer;
      const written = await inviteBatch(tx, {
        campaignId: campaign.id,
        delivery,
        purpose: 'follow_up',
        members: [{ customer: member, dedupeKey: key }],
        emailJobs: true,
      });
      const invitation = written[0];
      if (!invitation) outcome = { status: 'done before' };
      else if (invitation.skipReason) outcome = { status: 'skipped', reason: invitation.skipReason };
      else outcome = { status: 'invited', invitationId: invitation.id, delivery };
    }
    if (outcome.status !== 'invited' && outcome.status !== 'emailed' && outcome.status !== 'skipped') return outcome;

    if (outcome.status === 'invited') {
      await tx
        .update(complaintCases)
        .set({ followUpInvitationId: outcome.invitationId, version: sql`${complaintCases.version} + 1`, updatedAt: dbNow })
        .where(eq(complaintCases.id, input.caseId));
    }
    await tx.insert(complaintEvents).values({
      caseId: input.caseId,
      type: outcome.status === 'skipped' ? 'follow_up_cancelled' : 'follow_up_scheduled',
      actor: 'system',
      before: { followUpInvitationId: row.followUpInvitationId },
      after:
        outcome.status === 'invited'
          ? { followUpInvitationId: outcome.invitationId, delivery: outcome.delivery, cycle: input.cycle, sent: true }
          : outcome.status === 'emailed'
            ? { followUpInvitationId: row.followUpInvitationId, delivery: 'email', cycle: input.cycle, sent: true, statusPage: true, messageId: outcome.messageId }
            : { followUpInvitationId: row.followUpInvitationId, cycle: input.cycle, skipped: outcome.reason },
      public: false,
      dedupeKey: `${key}:sent`,
    });
    return outcome;
  });
}

/** The follow-up job's handler, for the worker of every server process. */
export function followUpHandlers({ db, config }: { db: Db; config: CaseMailConfig }): Record<string, JobHandler> {
  return {
    [followUpKind]: async (payload) => {
      await sendFollowUp(db, config, v.parse(FollowUpPayload, payload));
    },
  };
}

// ---- The answer ----

const resolvedAnswers = ['yes', 'partly', 'no'] as const;
const score = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5 ? value : null);

/** What a follow-up answer says about the case, from the template's questions. */
export function followUpFacts(answers: Answers): { handlingScore: number | null; resolvedAnswer: 'yes' | 'partly' | 'no' | null; buyAgainScore: number | null; comment: string | null } {
  const resolved = answers.resolved;
  const comment = answers.comment;
  return {
    handlingScore: score(answers.handling_csat),
    resolvedAnswer: typeof resolved === 'string' && (resolvedAnswers as readonly string[]).includes(resolved) ? (resolved as (typeof resolvedAnswers)[number]) : null,
    buyAgainScore: score(answers.buy_again),
    comment: typeof comment === 'string' && comment.trim() !== '' ? comment.trim() : null,
  };
}

/**
 * Called in the transaction that stores an answer through an invitation: when it is a case's current follow-up
 * invitation, the answer's scores go on the case with a `follow_up_answered` event, and the outcome is
 * refreshed. An answer to an earlier cycle's invitation (the case was reopened since) changes nothing.
 */
export async function recordFollowUpAnswer(tx: DbOrTx, invitation: { id: string; dedupeKey: string }, answers: Answers): Promise<boolean> {
  const cycle = followUpCycleOf(invitation.dedupeKey);
  if (!cycle) return false;
  const [row] = await tx.select({ followUpInvitationId: complaintCases.followUpInvitationId }).from(complaintCases).where(eq(complaintCases.id, cycle.caseId));
  if (!row || row.followUpInvitationId !== invitation.id) return false;
  await setFollowUpAnswer(tx, cycle, answers, {});
  return true;
}

/** Puts a follow-up answer's scores on the case, with its `follow_up_answered` event, and refreshes the outcome. */
async function setFollowUpAnswer(tx: DbOrTx, cycle: { caseId: string; cycle: number }, answers: Answers, extra: Record<string, unknown>): Promise<void> {
  const [row] = await tx
    .select({ handlingScore: complaintCases.handlingScore, resolvedAnswer: complaintCases.resolvedAnswer, buyAgainScore: complaintCases.buyAgainScore, customerId: complaintCases.customerId })
    .from(complaintCases)
    .where(eq(complaintCases.id, cycle.caseId));
  if (!row) return;
  const { comment, ...facts } = followUpFacts(answers);
  await tx
    .update(complaintCases)
    .set({ ...facts, version: sql`${complaintCases.version} + 1`, updatedAt: dbNow })
    .where(eq(complaintCases.id, cycle.caseId));
  await tx
    .insert(complaintEvents)
    .values({
      caseId: cycle.caseId,
      type: 'follow_up_answered',
      actor: 'customer',
      before: { handlingScore: row.handlingScore, resolvedAnswer: row.resolvedAnswer, buyAgainScore: row.buyAgainScore },
      after: { ...facts, cycle: cycle.cycle, ...extra },
      body: comment,
      public: false,
      dedupeKey: `${followUpKey(cycle.caseId, cycle.cycle)}:answered`,
    })
    .onConflictDoNothing({ target: complaintEvents.dedupeKey });
  // The handling score is part of the customer's loyalty (the recovery part).
  if (row.customerId) await markLoyaltyStale(tx, [row.customerId], 'case');
  await refreshOutcome(tx, cycle.caseId);
}

// ---- The survey on the status page, for a case with no customer record ----

/**
 * Where the follow-up of a case's current resolution cycle stands on its status page. 'open': the case has no
 * customer record, is resolved or closed, and this cycle's follow-up email went out (so after the delay, and
 * only with consent); 'answered': this cycle's answer is in; null: nothing to show. A reopen starts a new cycle,
 * and the next resolution's follow-up opens it again.
 */
export type PageFollowUp = 'open' | 'answered' | null;

type CaseOnPage = Pick<CaseRow, 'id' | 'status' | 'customerId' | 'reopenCount'>;

async function followUpMarks(db: DbOrTx, row: CaseOnPage) {
  const key = followUpKey(row.id, row.reopenCount);
  const marks = await db
    .select({ dedupeKey: complaintEvents.dedupeKey, after: complaintEvents.after })
    .from(complaintEvents)
    .where(inArray(complaintEvents.dedupeKey, [`${key}:sent`, `${key}:answered`]));
  const sent = marks.find((mark) => mark.dedupeKey === `${key}:sent`);
  return { sent: sent?.after?.statusPage === true, answered: marks.find((mark) => mark.dedupeKey === `${key}:answered`) ?? null };
}

export async function pageFollowUp(db: DbOrTx, row: CaseOnPage): Promise<PageFollowUp> {
  if (row.customerId !== null || (row.status !== 'resolved' && row.status !== 'closed')) return null;
  const marks = await followUpMarks(db, row);
  if (marks.answered) return 'answered';
  return marks.sent ? 'open' : null;
}

const notAsked = () =>
  new DomainError(
    'conflict',
    bilingual(
      'There is no survey to answer for this case now: it is asked once the case is resolved, after we have written to you about it.',
      '此案件目前没有需要填写的回访问卷：案件解决后，我们会发邮件邀请您填写。',
    ),
  );

const answeredBefore = () =>
  new DomainError('conflict', bilingual('You have already answered this survey for this case. Thank you.', '您已就此案件填写过回访问卷，谢谢。'));

/**
 * The follow-up answered on the status page: a response of the system's follow-up survey (web channel, no
 * customer, the case's reference in a hidden field) and the case's scores, event and outcome, in one
 * transaction. The page makes the response id, so a retry of the same answer is 'duplicate' and stores nothing
 * more; another answer in the same cycle is refused.
 */
export async function answerFollowUpOnPage(
  db: Db,
  item: CaseRow,
  input: { responseId: string; locale: Locale; answers: unknown; startedAt?: number | undefined },
): Promise<'stored' | 'duplicate'> {
  const response = await prepareResponse(db, {
    id: input.responseId,
    versionId: followUpVersionId,
    locale: input.locale,
    answers: input.answers,
    startedAt: input.startedAt,
    channel: 'web',
    customerId: null,
    campaignId: null,
    hidden: { case: item.reference },
  });
  return db.transaction(async (tx) => {
    // The first statement writes, so this transaction holds the write lock from its start.
    const [row] = await tx
      .update(complaintCases)
      .set({ updatedAt: sql`${complaintCases.updatedAt}` })
      .where(eq(complaintCases.id, item.id))
      .returning();
    if (!row) throw notAsked();
    const marks = await followUpMarks(tx, row);
    if (marks.answered) {
      if (marks.answered.after?.responseId === input.responseId) return 'duplicate' as const;
      throw answeredBefore();
    }
    if (row.customerId !== null || (row.status !== 'resolved' && row.status !== 'closed') || !marks.sent) throw notAsked();
    const [stored] = await writeResponses(tx, [response]);
    if (stored === 'closed') throw surveyClosedError();
    if (stored === 'duplicate') {
      throw new DomainError('conflict', bilingual('This response id is already used by another response.', '该回答编号已被另一份回答使用。'));
    }
    await setFollowUpAnswer(tx, { caseId: row.id, cycle: row.reopenCount }, response.answers as Answers, { responseId: response.id, via: 'status_page' });
    return 'stored' as const;
  });
}
