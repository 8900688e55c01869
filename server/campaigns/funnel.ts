// How far campaigns have got: counts of the invitations' times, worked out by the database in one query.
import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignInvitations, campaigns, outgoingMessages, responses } from '../db/schema.ts';
import type { Funnel, FunnelRow } from './types.ts';

// An email counts as delivered once the SMTP server accepted it; post and phone set deliveredAt themselves.
const deliveredCount = sql<number>`sum(case when ${campaignInvitations.deliveredAt} is not null or ${outgoingMessages.status} = 'sent' then 1 else 0 end)`.mapWith(Number);

const funnelColumns = {
  audience: count(),
  skipped: count(campaignInvitations.skipReason),
  invited: count(campaignInvitations.token),
  delivered: deliveredCount,
  opened: count(campaignInvitations.openedAt),
  started: count(campaignInvitations.startedAt),
  completed: count(campaignInvitations.completedAt),
};

type Counts = Omit<Funnel, 'responseRate'>;

export const emptyFunnel: Funnel = { audience: 0, skipped: 0, invited: 0, delivered: 0, opened: 0, started: 0, completed: 0, responseRate: null };

function withRate(counts: Counts): Funnel {
  return { ...counts, delivered: counts.delivered ?? 0, responseRate: counts.invited === 0 ? null : counts.completed / counts.invited };
}

/** The funnel of each campaign given, by id; a campaign with no invitations yet has an empty one. */
export async function campaignFunnels(db: Db, campaignIds: string[]): Promise<Map<string, Funnel>> {
  const funnels = new Map<string, Funnel>();
  if (campaignIds.length === 0) return funnels;
  const rows = await db
    .select({ campaignId: campaignInvitations.campaignId, ...funnelColumns })
    .from(campaignInvitations)
    .leftJoin(outgoingMessages, eq(outgoingMessages.id, campaignInvitations.messageId))
    .where(inArray(campaignInvitations.campaignId, campaignIds))
    .groupBy(campaignInvitations.campaignId);
  for (const { campaignId, ...counts } of rows) funnels.set(campaignId, withRate(counts));
  return funnels;
}

/**
 * One row per survey channel: mail by email, mail by post and phone from invitations; onsite (kiosk) and
 * web (the open link) from responses, which is all those channels know.
 */
export async function channelFunnel(db: Db, surveyId?: string): Promise<FunnelRow[]> {
  const bySurvey: SQL | undefined = surveyId ? eq(campaigns.surveyId, surveyId) : undefined;
  const invited = await db
    .select({ delivery: campaignInvitations.delivery, ...funnelColumns })
    .from(campaignInvitations)
    .innerJoin(campaigns, eq(campaigns.id, campaignInvitations.campaignId))
    .leftJoin(outgoingMessages, eq(outgoingMessages.id, campaignInvitations.messageId))
    .where(bySurvey)
    .groupBy(campaignInvitations.delivery);
  const answered = await db
    .select({ channel: responses.channel, completed: count() })
    .from(responses)
    .where(and(inArray(responses.channel, ['onsite', 'web']), surveyId ? eq(responses.surveyId, surveyId) : undefined))
    .groupBy(responses.channel);
  const invitedRow = (channel: FunnelRow['channel'], delivery: 'email' | 'post' | 'phone'): FunnelRow => {
    const found = invited.find((row) => row.delivery === delivery);
    const { delivery: _delivery, ...counts } = found ?? { delivery, ...emptyFunnel };
    return { channel, delivery, ...withRate(counts) };
  };
  const answeredRow = (channel: 'onsite' | 'web', delivery: 'kiosk' | null): FunnelRow => ({
    channel,
    delivery,
    audience: null,
    skipped: null,
    invited: null,
    delivered: null,
    opened: null,
    started: null,
    completed: answered.find((row) => row.channel === channel)?.completed ?? 0,
    responseRate: null,
  });
  return [invitedRow('mail', 'email'), invitedRow('mail', 'post'), invitedRow('phone', 'phone'), answeredRow('onsite', 'kiosk'), answeredRow('web', null)];
}
