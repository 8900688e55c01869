// The launch of a campaign, run by whichever server process leases the job: its invitations are made batch
// by batch through the audience (invitations.ts), email ones are mailed as they are made, and the campaign
// is set running with its first reminder round scheduled. A rerun after a crash invites and mails nobody twice.
import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { campaigns } from '../db/schema.ts';
import type { JobContext, JobHandler } from '../jobs/queue.ts';
import { audienceBatch, batchSize, campaignWithTitle, invitationJobHandlers, inviteBatch, queueInvitationEmails, scheduleReminders } from './invitations.ts';
import { launchJobKind } from './service.ts';

const LaunchPayload = v.object({ campaignId: v.string() });

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
      purpose: found.purpose,
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
      await scheduleReminders(tx, { campaignId, round: 1, after: started[0]!.launchedAt ?? Date.now(), afterDays: reminders.afterDays });
    }
  });
}

/** The job handlers of campaigns (the launch, and the invitations' emails and reminders), for the worker of every server process. */
export function campaignJobHandlers({ db, config }: { db: Db; config: Pick<Config, 'publicUrl'> }): Record<string, JobHandler> {
  return {
    [launchJobKind]: async (payload, context) => {
      const { campaignId } = v.parse(LaunchPayload, payload);
      await runLaunch(db, config, campaignId, context);
    },
    ...invitationJobHandlers({ db, config }),
  };
}
