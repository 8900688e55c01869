// The job that turns a reported event into an invitation once its time has come: on the customer's preferred
// channel, subject to the contact rule (applied by the campaign's inviteOne).
import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { inviteOne } from '../campaigns/invitations.ts';
import type { Db } from '../db/client.ts';
import { campaigns, customers, integrationEvents } from '../db/schema.ts';
import type { JobHandler } from '../jobs/queue.ts';
import { eventSkipBeforeInviting, invitationDeliveryFor } from './rules.ts';
import { integrationEventKind } from './service.ts';

const EventJob = v.object({ eventId: v.string() });

/** Invites for one scheduled event; an event already invited or skipped is left as it is. */
export async function inviteForEvent(db: Db, eventId: string): Promise<'invited' | 'skipped' | 'done before'> {
  const [row] = await db
    .select({ event: integrationEvents, preferredChannel: customers.preferredChannel, campaignStatus: campaigns.status })
    .from(integrationEvents)
    .innerJoin(customers, eq(customers.id, integrationEvents.customerId))
    .innerJoin(campaigns, eq(campaigns.id, integrationEvents.campaignId))
    .where(eq(integrationEvents.id, eventId));
  if (!row || row.event.status !== 'scheduled') return 'done before';

  const delivery = invitationDeliveryFor(row.preferredChannel);
  const skippedAtOnce = eventSkipBeforeInviting({ campaignStatus: row.campaignStatus, delivery });
  let outcome: { status: 'invited' | 'skipped'; invitationId: string | null; skipReason: (typeof integrationEvents.$inferInsert)['skipReason'] };
  if (skippedAtOnce !== null || delivery === null) {
    outcome = { status: 'skipped', invitationId: null, skipReason: skippedAtOnce };
  } else {
    // The dedupe key makes a retry after a crash find the invitation made the first time.
    const invitation = await inviteOne(db, {
      campaignId: row.event.campaignId,
      customerId: row.event.customerId,
      delivery,
      dedupeKey: `event:${eventId}`,
    });
    outcome = { status: invitation.skipReason ? 'skipped' : 'invited', invitationId: invitation.invitationId, skipReason: invitation.skipReason };
  }
  await db
    .update(integrationEvents)
    .set(outcome)
    .where(and(eq(integrationEvents.id, eventId), eq(integrationEvents.status, 'scheduled')));
  return outcome.status;
}

/** The job handlers a server process registers for event invitations. */
export function integrationHandlers(db: Db): Record<string, JobHandler> {
  return {
    [integrationEventKind]: async (payload) => {
      await inviteForEvent(db, v.parse(EventJob, payload).eventId);
    },
  };
}
