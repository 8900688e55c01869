// Campaign invitations: who a campaign invites under the contact rule (and the invitation history the
// rule reads), the invitations a campaign lists, their emails and the reminder rounds. Every step can run
// again after a crash without inviting, mailing or reminding anyone twice. Each email carries its customer,
// whose consent the send job checks again right before the message goes out.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNotNull, isNull, lt, max, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { campaignInvitations, campaigns, customers, outgoingMessages, surveys } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { enqueue, type DbOrTx, type JobContext, type JobHandler } from '../jobs/queue.ts';
import { customerFilter } from '../customers/service.ts';
import { queueMessages, recordSkipped } from '../mail/mailer.ts';
import { invitationEmail } from './email.ts';
import { contactDecision, contactPurposeOf, formatCode, tokenFromBytes, yearMs, type ContactHistory, type ContactSubject } from './rules.ts';
import type { ContactPurpose } from '../customers/vocabulary.ts';
import { campaignRow, getContactRule } from './service.ts';
import { defaultInvitationEmail } from './settings.ts';
import { contactSubjectColumns } from './subject.ts';
import type { InvitationRow, InvitationState } from './types.ts';
import type { Audience, CampaignSettings, InvitationDelivery, SkipReason } from './vocabulary.ts';

export const inviteEmailJobKind = 'campaign.invite-email';
export const remindJobKind = 'campaign.remind';

/** Invitations are made, mailed and reminded this many at a time. */
export const batchSize = 500;
const dayMs = 24 * 3600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// ---- Inviting under the contact rule ----

export interface AudienceMember extends ContactSubject {
  id: string;
  locale: Locale;
}

export const audienceMemberColumns = {
  id: customers.id,
  ...contactSubjectColumns,
  locale: customers.locale,
};

/**
 * The invitation history the contact rule reads, per customer: when each was last invited (skips do not
 * count) and how many letters each was sent in the year before `now`. Customers never invited are absent.
 */
export async function contactHistories(db: DbOrTx, customerIds: string[], now: number): Promise<Map<string, ContactHistory>> {
  const rows = await db
    .select({
      customerId: campaignInvitations.customerId,
      lastInvitedAt: max(campaignInvitations.invitedAt),
      postInLastYear: sql<number>`sum(case when ${campaignInvitations.delivery} = 'post' and ${campaignInvitations.invitedAt} >= ${now - yearMs} then 1 else 0 end)`.mapWith(Number),
    })
    .from(campaignInvitations)
    .where(and(inArray(campaignInvitations.customerId, customerIds), isNull(campaignInvitations.skipReason)))
    .groupBy(campaignInvitations.customerId);
  return new Map(rows.map((row) => [row.customerId, { lastInvitedAt: row.lastInvitedAt, postInLastYear: row.postInLastYear }]));
}

type NewInvitation = typeof campaignInvitations.$inferInsert;

/**
 * Invites a batch of customers to a campaign on one delivery, each by its dedupe key, under the contact
 * rule. The history is read and the invitations written in one write transaction, so two launches (or
 * events) at once cannot both invite a customer inside the rule's window. Keys already used are left as
 * they are. Returns the rows written.
 */
export async function inviteBatch(
  db: DbOrTx,
  input: {
    campaignId: string;
    delivery: InvitationDelivery;
    /** What the customer must have consented to on the channel; a survey unless said. */
    purpose?: ContactPurpose;
    members: { customer: AudienceMember; dedupeKey: string }[];
    /** Queue each new email invitation's message through its own job, written in the same transaction. */
    emailJobs?: boolean;
  },
) {
  if (input.members.length === 0) return [];
  return db.transaction(async (tx) => {
    const rule = await getContactRule(tx);
    const now = Date.now();
    const historyOf = await contactHistories(tx, input.members.map((member) => member.customer.id), now);
    const rows: NewInvitation[] = input.members.map(({ customer, dedupeKey }) => {
      const history = historyOf.get(customer.id) ?? { lastInvitedAt: null, postInLastYear: 0 };
      const decision = contactDecision(customer, input.delivery, history, rule, now, input.purpose ?? 'survey');
      const invited = decision.ok;
      return {
        id: randomUUID(),
        campaignId: input.campaignId,
        customerId: customer.id,
        dedupeKey,
        delivery: input.delivery,
        token: invited ? tokenFromBytes(randomBytes(10)) : null,
        skipReason: decision.ok ? null : decision.reason,
        locale: customer.locale,
        invitedAt: now,
        callState: invited && input.delivery === 'phone' ? 'open' : null,
        nextCallAt: invited && input.delivery === 'phone' ? now : null,
      };
    });
    // A token clash (80 random bits) fails the batch and its job retries; only a used dedupe key is skipped.
    const written = await tx
      .insert(campaignInvitations)
      .values(rows)
      .onConflictDoNothing({ target: campaignInvitations.dedupeKey })
      .returning({ id: campaignInvitations.id, token: campaignInvitations.token, delivery: campaignInvitations.delivery, skipReason: campaignInvitations.skipReason });
    if (input.emailJobs) {
      for (const row of written) {
        if (row.delivery !== 'email' || row.token === null) continue;
        await enqueue(tx, {
          kind: inviteEmailJobKind,
          payload: { campaignId: input.campaignId, invitationIds: [row.id] },
          dedupeKey: `${inviteEmailJobKind}:${row.id}`,
          maxAttempts: 10,
        });
      }
    }
    return written;
  });
}

/**
 * Invites one customer to a campaign on one channel (an integration's event), under the contact rule;
 * an email invitation is queued by a job. The same dedupe key again returns the first outcome.
 */
export async function inviteOne(
  db: Db,
  input: { campaignId: string; customerId: string; delivery: InvitationDelivery; dedupeKey: string },
): Promise<{ invitationId: string; skipReason: SkipReason | null }> {
  const campaign = await campaignRow(db, input.campaignId);
  if (campaign.status !== 'running') {
    throw new DomainError(
      'conflict',
      bilingual('The campaign is not running, so it invites nobody.', '该调查活动未在进行中，不会发出邀请。'),
      {},
      { status: campaign.status },
    );
  }
  const [customer] = await db.select(audienceMemberColumns).from(customers).where(eq(customers.id, input.customerId));
  if (!customer) throw new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));
  const members = [{ customer, dedupeKey: input.dedupeKey }];
  const written = await inviteBatch(db, { campaignId: input.campaignId, delivery: input.delivery, members, emailJobs: true });
  const [row] =
    written.length > 0
      ? written
      : await db
          .select({ id: campaignInvitations.id, skipReason: campaignInvitations.skipReason })
          .from(campaignInvitations)
          .where(eq(campaignInvitations.dedupeKey, input.dedupeKey));
  return { invitationId: row!.id, skipReason: row!.skipReason };
}

/** Customers in a campaign's audience after `afterId`, by id, a batch at a time. */
export async function audienceBatch(db: Db, audience: Audience, afterId: string, limit: number): Promise<AudienceMember[]> {
  return db
    .select(audienceMemberColumns)
    .from(customers)
    .where(and(customerFilter(audience), sql`${customers.id} > ${afterId}`))
    .orderBy(customers.id)
    .limit(limit);
}

// ---- Listing ----

const invitationStateFilter: Record<InvitationState, ReturnType<typeof isNotNull>> = {
  skipped: isNotNull(campaignInvitations.skipReason),
  invited: isNotNull(campaignInvitations.token),
  completed: isNotNull(campaignInvitations.completedAt),
};

/** A campaign's invitations newest first: who was invited, who was skipped and why, how far each got. */
export async function listInvitations(
  db: Db,
  input: { campaignId: string; state?: InvitationState | undefined; before?: string | undefined; limit: number },
): Promise<{ invitations: InvitationRow[]; nextBefore: string | null }> {
  await campaignRow(db, input.campaignId);
  const rows = await db
    .select({
      id: campaignInvitations.id,
      customerId: campaignInvitations.customerId,
      customerName: customers.name,
      delivery: campaignInvitations.delivery,
      skipReason: campaignInvitations.skipReason,
      token: campaignInvitations.token,
      invitedAt: campaignInvitations.invitedAt,
      deliveredAt: sql<number | null>`coalesce(${campaignInvitations.deliveredAt}, case when ${outgoingMessages.status} = 'sent' then ${outgoingMessages.sentAt} end)`,
      openedAt: campaignInvitations.openedAt,
      startedAt: campaignInvitations.startedAt,
      completedAt: campaignInvitations.completedAt,
      remindersSent: campaignInvitations.remindersSent,
      unsubscribedAt: campaignInvitations.unsubscribedAt,
      callState: campaignInvitations.callState,
      callAttempts: campaignInvitations.callAttempts,
    })
    .from(campaignInvitations)
    .innerJoin(customers, eq(customers.id, campaignInvitations.customerId))
    .leftJoin(outgoingMessages, eq(outgoingMessages.id, campaignInvitations.messageId))
    .where(
      and(
        eq(campaignInvitations.campaignId, input.campaignId),
        input.state ? invitationStateFilter[input.state] : undefined,
        olderThanCursor(campaignInvitations.invitedAt, campaignInvitations.id, input.before),
      ),
    )
    .orderBy(desc(campaignInvitations.invitedAt), desc(campaignInvitations.id))
    .limit(input.limit + 1);
  const { page, nextBefore } = pageOf(rows, input.limit, (row) => row.invitedAt);
  return {
    invitations: page.map(({ token, ...row }) => ({
      ...row,
      code: token === null ? null : formatCode(token),
      invitedAt: iso(row.invitedAt)!,
      deliveredAt: iso(row.deliveredAt === null ? null : Number(row.deliveredAt)),
      openedAt: iso(row.openedAt),
      startedAt: iso(row.startedAt),
      completedAt: iso(row.completedAt),
      unsubscribedAt: iso(row.unsubscribedAt),
    })),
    nextBefore,
  };
}

// ---- Emails and reminders ----

const InviteEmailPayload = v.object({ campaignId: v.string(), invitationIds: v.optional(v.array(v.string())) });
const RemindPayload = v.object({ campaignId: v.string(), round: v.pipe(v.number(), v.integer(), v.minValue(1)) });

export const invitationTopic = (campaignId: string, invitationId: string) => `campaign:${campaignId}:invitation:${invitationId}`;
export const reminderTopic = (campaignId: string, round: number, invitationId: string) => `campaign:${campaignId}:reminder:${round}:${invitationId}`;

/** A campaign with its survey's title, for the messages; undefined when there is no such campaign. */
export async function campaignWithTitle(db: Db, campaignId: string) {
  const [row] = await db
    .select({ campaign: campaigns, title: sql<string>`json_extract(${surveys.draft}, '$.title')`, surveyKind: surveys.kind })
    .from(campaigns)
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(eq(campaigns.id, campaignId));
  return row ? { campaign: row.campaign, surveyTitle: JSON.parse(row.title) as LocalizedText, purpose: contactPurposeOf(row.surveyKind) } : undefined;
}

/** Campaign messages have ids of their own making, so however often a job runs, each is queued once. */
const invitationMessagePrefix = 'invitation-';
const invitationMessageId = (invitationId: string) => `${invitationMessagePrefix}${invitationId}`;
const reminderMessageId = (round: number, invitationId: string) => `reminder-${round}-${invitationId}`;

const emailTemplate = (settings: CampaignSettings) => settings.email ?? defaultInvitationEmail;

const dueColumns = {
  id: campaignInvitations.id,
  customerId: campaignInvitations.customerId,
  token: campaignInvitations.token,
  locale: campaignInvitations.locale,
  email: customers.email,
  name: customers.name,
};

type CampaignEmail = ReturnType<typeof invitationEmail> & { id: string; customerId: string; email: string | null };

/**
 * Queues campaign emails, each carrying its customer so the send job checks the customer's consent again
 * right before sending. A customer with no email address any more is recorded as skipped at once.
 */
async function queueEmails(db: Db, list: CampaignEmail[], purpose: ContactPurpose) {
  const contact = (customerId: string) => ({ customerId, purpose });
  await recordSkipped(
    db,
    list
      .filter((row) => !row.email)
      .map((row) => ({ id: row.id, to: '', subject: row.subject, text: row.text, topic: row.topic, contact: contact(row.customerId), reason: 'no_email' as const })),
  );
  await queueMessages(
    db,
    list.filter((row) => row.email).map(({ customerId, email: _email, ...message }) => ({ ...message, contact: contact(customerId) })),
  );
}

/**
 * Queues the invitation email of every email invitation given (or, without ids, of the whole campaign)
 * that has none recorded yet, and records its message on the invitation. A run after one cut short finds
 * the messages that run queued already and records them without queueing them again.
 */
export async function queueInvitationEmails(
  db: Db,
  config: Pick<Config, 'publicUrl'>,
  input: { campaignId: string; invitationIds?: string[] | undefined; signal?: AbortSignal },
) {
  const found = await campaignWithTitle(db, input.campaignId);
  if (!found) return;
  const template = emailTemplate(found.campaign.settings);
  let afterId = '';
  for (;;) {
    input.signal?.throwIfAborted();
    const pending = await db
      .select(dueColumns)
      .from(campaignInvitations)
      .innerJoin(customers, eq(customers.id, campaignInvitations.customerId))
      .where(
        and(
          eq(campaignInvitations.campaignId, input.campaignId),
          input.invitationIds ? inArray(campaignInvitations.id, input.invitationIds) : undefined,
          eq(campaignInvitations.delivery, 'email'),
          isNull(campaignInvitations.messageId),
          sql`${campaignInvitations.token} is not null`,
          gt(campaignInvitations.id, afterId),
        ),
      )
      .orderBy(campaignInvitations.id)
      .limit(batchSize);
    if (pending.length === 0) return;
    afterId = pending.at(-1)!.id;
    await queueEmails(
      db,
      pending.map((row) => ({
        id: invitationMessageId(row.id),
        customerId: row.customerId,
        email: row.email,
        ...invitationEmail({
          kind: 'invitation',
          to: row.email ?? '',
          locale: row.locale,
          customerName: row.name,
          surveyTitle: found.surveyTitle,
          template,
          publicUrl: config.publicUrl,
          token: row.token!,
          topic: invitationTopic(input.campaignId, row.id),
        }),
      })),
      found.purpose,
    );
    // Each message's id is made from its invitation's, so one statement records the whole batch.
    await db
      .update(campaignInvitations)
      .set({ messageId: sql`${invitationMessagePrefix} || ${campaignInvitations.id}` })
      .where(and(inArray(campaignInvitations.id, pending.map((row) => row.id)), isNull(campaignInvitations.messageId)));
  }
}

/**
 * One reminder round: every email invitation not answered, not unsubscribed and with fewer reminders than
 * this round gets one; then the next round is scheduled, until the campaign's maximum or its closing.
 */
async function sendReminders(db: Db, config: Pick<Config, 'publicUrl'>, campaignId: string, round: number, context: JobContext) {
  const found = await campaignWithTitle(db, campaignId);
  if (!found || found.campaign.status !== 'running') return;
  const { campaign, surveyTitle } = found;
  const reminders = campaign.settings.reminders;
  if (!reminders || round > reminders.max) return;
  const template = emailTemplate(campaign.settings);
  let afterId = '';
  for (;;) {
    context.signal.throwIfAborted();
    const due = await db
      .select(dueColumns)
      .from(campaignInvitations)
      .innerJoin(customers, eq(customers.id, campaignInvitations.customerId))
      .where(
        and(
          eq(campaignInvitations.campaignId, campaignId),
          eq(campaignInvitations.delivery, 'email'),
          sql`${campaignInvitations.token} is not null`,
          isNull(campaignInvitations.completedAt),
          isNull(campaignInvitations.unsubscribedAt),
          lt(campaignInvitations.remindersSent, round),
          gt(campaignInvitations.id, afterId),
        ),
      )
      .orderBy(campaignInvitations.id)
      .limit(batchSize);
    if (due.length === 0) break;
    afterId = due.at(-1)!.id;
    // Every reminder due is queued; the send job skips, with the reason, a customer who withdrew since launch.
    await queueEmails(
      db,
      due.map((row) => ({
        id: reminderMessageId(round, row.id),
        customerId: row.customerId,
        email: row.email,
        ...invitationEmail({
          kind: 'reminder',
          to: row.email ?? '',
          locale: row.locale,
          customerName: row.name,
          surveyTitle,
          template,
          publicUrl: config.publicUrl,
          token: row.token!,
          topic: reminderTopic(campaignId, round, row.id),
        }),
      })),
      found.purpose,
    );
    await db
      .update(campaignInvitations)
      .set({ remindersSent: round, lastRemindedAt: Date.now() })
      .where(and(inArray(campaignInvitations.id, due.map((row) => row.id)), lt(campaignInvitations.remindersSent, round)));
  }
  if (round < reminders.max) await scheduleReminders(db, { campaignId, round: round + 1, after: Date.now(), afterDays: reminders.afterDays });
}

/** Schedules a reminder round `afterDays` days after `after` (once per campaign and round). */
export async function scheduleReminders(db: DbOrTx, input: { campaignId: string; round: number; after: number; afterDays: number }) {
  await enqueue(db, {
    kind: remindJobKind,
    payload: { campaignId: input.campaignId, round: input.round },
    dedupeKey: `${remindJobKind}:${input.campaignId}:${input.round}`,
    runAt: input.after + input.afterDays * dayMs,
    maxAttempts: 10,
  });
}

/** The job handlers of invitations: an event's invitation email, and the reminder rounds. */
export function invitationJobHandlers({ db, config }: { db: Db; config: Pick<Config, 'publicUrl'> }): Record<string, JobHandler> {
  return {
    [inviteEmailJobKind]: async (payload, context) => {
      const { campaignId, invitationIds } = v.parse(InviteEmailPayload, payload);
      await queueInvitationEmails(db, config, { campaignId, invitationIds, signal: context.signal });
    },
    [remindJobKind]: async (payload, context) => {
      const { campaignId, round } = v.parse(RemindPayload, payload);
      await sendReminders(db, config, campaignId, round, context);
    },
  };
}
