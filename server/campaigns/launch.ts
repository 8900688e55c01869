// The background work of campaigns, run by whichever server process leases the job: making a launched
// campaign's invitations, queueing their emails, and the reminder rounds. Every step can run again after
// a crash without inviting, mailing or reminding anyone twice. Each email carries its customer, whose consent
// the send job checks again right before the message goes out.
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { LocalizedText } from '../../surveys/definition.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { campaignInvitations, campaigns, customers, surveys } from '../db/schema.ts';
import { enqueue, type JobContext, type JobHandler } from '../jobs/queue.ts';
import { queueMessages, recordSkipped } from '../mail/mailer.ts';
import { invitationEmail } from './email.ts';
import { defaultInvitationEmail } from './settings.ts';
import { audienceBatch, inviteBatch, inviteEmailJobKind, launchJobKind, remindJobKind } from './service.ts';
import type { CampaignSettings } from './vocabulary.ts';

const batchSize = 500;
const dayMs = 24 * 3600_000;

const LaunchPayload = v.object({ campaignId: v.string() });
const InviteEmailPayload = v.object({ campaignId: v.string(), invitationIds: v.optional(v.array(v.string())) });
const RemindPayload = v.object({ campaignId: v.string(), round: v.pipe(v.number(), v.integer(), v.minValue(1)) });

export const invitationTopic = (campaignId: string, invitationId: string) => `campaign:${campaignId}:invitation:${invitationId}`;
export const reminderTopic = (campaignId: string, round: number, invitationId: string) => `campaign:${campaignId}:reminder:${round}:${invitationId}`;

async function campaignWithTitle(db: Db, campaignId: string) {
  const [row] = await db
    .select({ campaign: campaigns, title: sql<string>`json_extract(${surveys.draft}, '$.title')` })
    .from(campaigns)
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(eq(campaigns.id, campaignId));
  return row ? { campaign: row.campaign, surveyTitle: JSON.parse(row.title) as LocalizedText } : undefined;
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
async function queueEmails(db: Db, list: CampaignEmail[]) {
  const contact = (customerId: string) => ({ customerId, purpose: 'survey' as const });
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
    );
    // Each message's id is made from its invitation's, so one statement records the whole batch.
    await db
      .update(campaignInvitations)
      .set({ messageId: sql`${invitationMessagePrefix} || ${campaignInvitations.id}` })
      .where(and(inArray(campaignInvitations.id, pending.map((row) => row.id)), isNull(campaignInvitations.messageId)));
  }
}

/** Makes a launching campaign's invitations, batch by batch through its audience, then sets it running. */
async function runLaunch(db: Db, config: Pick<Config, 'publicUrl'>, campaignId: string, context: JobContext) {
  const found = await campaignWithTitle(db, campaignId);
  if (!found || found.campaign.status !== 'launching') return;
  const { campaign } = found;
  const delivery = campaign.delivery as 'email' | 'post' | 'phone';
  let afterId = '';
  let audienceSize = 0;
  for (;;) {
    context.signal.throwIfAborted();
    const batch = await audienceBatch(db, campaign.audience ?? {}, afterId, batchSize);
    if (batch.length === 0) break;
    afterId = batch.at(-1)!.id;
    audienceSize += batch.length;
    const written = await inviteBatch(db, {
      campaignId,
      delivery,
      members: batch.map((customer) => ({ customer, dedupeKey: `${campaignId}:${customer.id}` })),
    });
    if (delivery === 'email') {
      const invited = written.filter((row) => row.token !== null).map((row) => row.id);
      if (invited.length > 0) await queueInvitationEmails(db, config, { campaignId, invitationIds: invited, signal: context.signal });
    }
  }
  // Invitations an earlier, interrupted run made but did not mail: on a rerun, one sweep finds each still without its email.
  if (delivery === 'email' && context.attempt > 1) await queueInvitationEmails(db, config, { campaignId, signal: context.signal });
  await db.transaction(async (tx) => {
    const started = await tx
      .update(campaigns)
      .set({ status: 'running', audienceSize })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.status, 'launching')))
      .returning({ launchedAt: campaigns.launchedAt });
    const reminders = campaign.settings.reminders;
    if (started.length === 1 && delivery === 'email' && reminders && reminders.max > 0) {
      await enqueue(tx, {
        kind: remindJobKind,
        payload: { campaignId, round: 1 },
        dedupeKey: `${remindJobKind}:${campaignId}:1`,
        runAt: (started[0]!.launchedAt ?? Date.now()) + reminders.afterDays * dayMs,
        maxAttempts: 10,
      });
    }
  });
}

/**
 * One reminder round: every email invitation not answered, not unsubscribed and with fewer reminders than
 * this round gets one; then the next round is scheduled, until the campaign's maximum or its closing.
 */
async function runReminders(db: Db, config: Pick<Config, 'publicUrl'>, campaignId: string, round: number, context: JobContext) {
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
    );
    await db
      .update(campaignInvitations)
      .set({ remindersSent: round, lastRemindedAt: Date.now() })
      .where(and(inArray(campaignInvitations.id, due.map((row) => row.id)), lt(campaignInvitations.remindersSent, round)));
  }
  if (round < reminders.max) {
    await enqueue(db, {
      kind: remindJobKind,
      payload: { campaignId, round: round + 1 },
      dedupeKey: `${remindJobKind}:${campaignId}:${round + 1}`,
      runAt: Date.now() + reminders.afterDays * dayMs,
      maxAttempts: 10,
    });
  }
}

/** The job handlers of campaigns, for the worker of every server process. */
export function campaignJobHandlers({ db, config }: { db: Db; config: Pick<Config, 'publicUrl'> }): Record<string, JobHandler> {
  return {
    [launchJobKind]: async (payload, context) => {
      const { campaignId } = v.parse(LaunchPayload, payload);
      await runLaunch(db, config, campaignId, context);
    },
    [inviteEmailJobKind]: async (payload, context) => {
      const { campaignId, invitationIds } = v.parse(InviteEmailPayload, payload);
      await queueInvitationEmails(db, config, { campaignId, invitationIds, signal: context.signal });
    },
    [remindJobKind]: async (payload, context) => {
      const { campaignId, round } = v.parse(RemindPayload, payload);
      await runReminders(db, config, campaignId, round, context);
    },
  };
}
