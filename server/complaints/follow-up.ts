// After resolution: the follow-up survey. Resolving a case queues a `complaints.follow-up` job for
// followUpDelayHours later, one per resolution cycle; when it runs, and the case is still resolved or closed in
// that cycle (a reopen cancels it), the customer is invited to the post-resolution survey on their channel
// (email, post or phone) through the system's follow-up campaign, under the contact rule for the follow-up
// purpose. The invitation, or the reason there is none, is recorded on the case. The answer, given through
// the personal link, a keyed letter or a phone interview, sets the case's handling score, resolved answer
// and buy-again score, and brings its recovery outcome up to date.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Answers } from '../../surveys/answers.ts';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { templates } from '../../surveys/templates/index.ts';
import { audienceMemberColumns, inviteBatch } from '../campaigns/invitations.ts';
import type { InvitationDelivery, SkipReason } from '../campaigns/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { campaigns, complaintCases, complaintEvents, customers, dbNow, surveys, surveyVersions } from '../db/schema.ts';
import type { DbOrTx, JobHandler } from '../jobs/queue.ts';
import { refreshOutcome } from './service.ts';

export const followUpKind = 'complaints.follow-up';

/** The system's follow-up survey and campaign: made once, on demand, with these ids whatever process makes them. */
export const followUpSurveyId = 'complaints-follow-up';
export const followUpCampaignId = 'complaints-follow-up';
const followUpVersionId = 'complaints-follow-up-1';

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
  | { status: 'skipped'; reason: FollowUpSkip }
  /** The case was reopened (or changed cycle), or the follow-up of this cycle was done before. */
  | { status: 'cancelled' | 'done before' };

const deliveries: Record<string, InvitationDelivery> = { email: 'email', phone: 'phone', post: 'post' };

/**
 * Sends the follow-up of a case's resolution cycle, if the case is still resolved or closed in that cycle.
 * Everything happens in one transaction: the check, the invitation under the contact rule (its email queued
 * by a job written alongside), the case's followUpInvitationId and the event saying what happened.
 */
export async function sendFollowUp(db: Db, input: { caseId: string; cycle: number }): Promise<FollowUpOutcome> {
  const campaign = await ensureFollowUpCampaign(db);
  return db.transaction(async (tx) => {
    // The first statement writes, so this transaction holds the write lock from its start.
    const [row] = await tx
      .update(complaintCases)
      .set({ updatedAt: sql`${complaintCases.updatedAt}` })
      .where(and(eq(complaintCases.id, input.caseId), eq(complaintCases.reopenCount, input.cycle), inArray(complaintCases.status, ['resolved', 'closed'])))
      .returning({
        customerId: complaintCases.customerId,
        contactChannel: complaintCases.contactChannel,
        contactConsent: complaintCases.contactConsent,
        followUpInvitationId: complaintCases.followUpInvitationId,
      });
    if (!row) return { status: 'cancelled' as const };
    const key = followUpKey(input.caseId, input.cycle);
    const [done] = await tx.select({ id: complaintEvents.id }).from(complaintEvents).where(eq(complaintEvents.dedupeKey, `${key}:sent`));
    if (done) return { status: 'done before' as const };

    const [customer] = row.customerId ? await tx.select({ ...audienceMemberColumns, preferredChannel: customers.preferredChannel }).from(customers).where(eq(customers.id, row.customerId)) : [];
    const channel = row.contactChannel ?? customer?.preferredChannel ?? null;
    const delivery = channel ? deliveries[channel]! : null;
    let outcome: FollowUpOutcome;
    if (!customer) outcome = { status: 'skipped', reason: 'no_customer' };
    else if (!row.contactConsent) outcome = { status: 'skipped', reason: 'no_consent' };
    else if (campaign.status !== 'running') outcome = { status: 'skipped', reason: 'campaign_closed' };
    else if (!delivery) outcome = { status: 'skipped', reason: 'no_preferred_channel' };
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
    if (outcome.status !== 'invited' && outcome.status !== 'skipped') return outcome;

    if (outcome.status === 'invited') {
      await tx
        .update(complaintCases)
        .set({ followUpInvitationId: outcome.invitationId, version: sql`${complaintCases.version} + 1`, updatedAt: dbNow })
        .where(eq(complaintCases.id, input.caseId));
    }
    await tx.insert(complaintEvents).values({
      caseId: input.caseId,
      type: outcome.status === 'invited' ? 'follow_up_scheduled' : 'follow_up_cancelled',
      actor: 'system',
      before: { followUpInvitationId: row.followUpInvitationId },
      after:
        outcome.status === 'invited'
          ? { followUpInvitationId: outcome.invitationId, delivery: outcome.delivery, cycle: input.cycle, sent: true }
          : { followUpInvitationId: row.followUpInvitationId, cycle: input.cycle, skipped: outcome.reason },
      public: false,
      dedupeKey: `${key}:sent`,
    });
    return outcome;
  });
}

/** The follow-up job's handler, for the worker of every server process. */
export function followUpHandlers({ db }: { db: Db }): Record<string, JobHandler> {
  return {
    [followUpKind]: async (payload) => {
      await sendFollowUp(db, v.parse(FollowUpPayload, payload));
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
  const [row] = await tx
    .select({
      followUpInvitationId: complaintCases.followUpInvitationId,
      handlingScore: complaintCases.handlingScore,
      resolvedAnswer: complaintCases.resolvedAnswer,
      buyAgainScore: complaintCases.buyAgainScore,
    })
    .from(complaintCases)
    .where(eq(complaintCases.id, cycle.caseId));
  if (!row || row.followUpInvitationId !== invitation.id) return false;
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
      after: { ...facts, cycle: cycle.cycle },
      body: comment,
      public: false,
      dedupeKey: `${followUpKey(cycle.caseId, cycle.cycle)}:answered`,
    })
    .onConflictDoNothing({ target: complaintEvents.dedupeKey });
  await refreshOutcome(tx, cycle.caseId);
  return true;
}
