// Answers given through an invitation: a personal link, a postal form keyed in, a phone interview. The
// invitation's token is single-use: the response row and the invitation's completion are written in one
// transaction, so an answer is stored once whatever the retries, and a second, different answer is refused.
// The case a complaint form or a loop-closing rule opens is written in that same transaction.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Answers } from '../../surveys/answers.ts';
import type { Locale } from '../../surveys/definition.ts';
import { recordFollowUpAnswer } from '../complaints/follow-up.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { campaignInvitations, campaigns, dbNow, responses, surveys } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { openResponseCases } from '../responses/cases.ts';
import { prepareResponse, surveyClosedError } from '../responses/service.ts';
import { normalizeCode } from './rules.ts';
import { responseChannelOf } from './vocabulary.ts';


export type Invitation = typeof campaignInvitations.$inferSelect;

export const unknownCode = () =>
  new DomainError(
    'not_found',
    bilingual(
      'No invitation has this code. Check it against the form or the link and try again.',
      '没有与此编码对应的邀请。请对照问卷或链接核对后重试。',
    ),
  );

export const alreadyAnswered = () =>
  new DomainError(
    'conflict',
    bilingual('This invitation has already been answered; each one takes one response.', '该邀请已经回答过；每个邀请只能回答一次。'),
  );

/** The invitation, its campaign and the survey's state, by the token a link carried or a person typed. */
export async function findInvitation(db: Db, code: string) {
  const token = normalizeCode(code);
  if (!token) throw unknownCode();
  const [row] = await db
    .select({ invitation: campaignInvitations, campaign: campaigns, surveyStatus: surveys.status, surveySlug: surveys.slug })
    .from(campaignInvitations)
    .innerJoin(campaigns, eq(campaigns.id, campaignInvitations.campaignId))
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(eq(campaignInvitations.token, token));
  if (!row) throw unknownCode();
  return row;
}

export interface InvitedAnswer {
  invitationId: string;
  /** Made by the answering device or screen, so a retry finds the same response. */
  responseId: string;
  answers: unknown;
  locale: Locale;
  startedAt?: number | undefined;
  /** The interviewer who keyed the answers in on a phone call. */
  interviewerId?: string | null;
  hidden?: Record<string, string> | undefined;
}

/** A write that belongs with the stored answer (e.g. the phone call that got it): both or neither. */
export type AlongWithAnswer = (tx: DbOrTx) => Promise<void>;

/**
 * Stores an answer through its invitation once. 'duplicate' when this same response was stored before
 * (a retry); a conflict error when the invitation was answered by another response. `alongWith` runs in the
 * same transaction, after the response is written.
 */
export async function storeInvitedResponse(db: Db, input: InvitedAnswer, alongWith?: AlongWithAnswer): Promise<'stored' | 'duplicate'> {
  const [row] = await db
    .select({ invitation: campaignInvitations, campaign: campaigns, surveyStatus: surveys.status })
    .from(campaignInvitations)
    .innerJoin(campaigns, eq(campaigns.id, campaignInvitations.campaignId))
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(eq(campaignInvitations.id, input.invitationId));
  if (!row || row.invitation.token === null) throw unknownCode();
  const { invitation, campaign } = row;
  if (invitation.responseId === input.responseId) return 'duplicate';
  if (invitation.responseId !== null) throw alreadyAnswered();
  if (campaign.status === 'closed' || row.surveyStatus !== 'published' || !campaign.versionId) throw surveyClosedError();

  const response = await prepareResponse(db, {
    id: input.responseId,
    versionId: campaign.versionId,
    locale: input.locale,
    answers: input.answers,
    startedAt: input.startedAt,
    channel: responseChannelOf[invitation.delivery],
    interviewerId: input.interviewerId ?? null,
    hidden: input.hidden,
    customerId: invitation.customerId,
    campaignId: campaign.id,
  });

  return db.transaction(async (tx) => {
    const claimed = await tx
      .update(campaignInvitations)
      .set({
        responseId: response.id,
        completedAt: dbNow,
        startedAt: sql`coalesce(${campaignInvitations.startedAt}, ${dbNow})`,
        openedAt: sql`coalesce(${campaignInvitations.openedAt}, ${dbNow})`,
      })
      .where(and(eq(campaignInvitations.id, invitation.id), isNull(campaignInvitations.responseId)))
      .returning({ id: campaignInvitations.id });
    if (claimed.length === 0) {
      const [now] = await tx
        .select({ responseId: campaignInvitations.responseId })
        .from(campaignInvitations)
        .where(eq(campaignInvitations.id, invitation.id));
      if (now?.responseId === response.id) return 'duplicate' as const;
      throw alreadyAnswered();
    }
    const { caseIntent, ...row } = response;
    const inserted = await tx
      .insert(responses)
      .values({ ...row, answers: row.answers as never })
      .onConflictDoNothing()
      .returning({ id: responses.id });
    if (inserted.length === 0) {
      // The id is taken by some other response: refuse, and the invitation stays open (rolled back).
      throw new DomainError(
        'conflict',
        bilingual('This response id is already used by another response.', '该回答编号已被另一份回答使用。'),
      );
    }
    // A complaint form's case, or a loop-closing catch, with the response or not at all.
    if (caseIntent) await openResponseCases(tx, [{ response, intent: caseIntent }]);
    // A complaint's follow-up survey answered: its scores go on the case, with the stored answer.
    await recordFollowUpAnswer(tx, invitation, response.answers as Answers);
    // A known customer's answer may move their attitude: their loyalty is brought up to date.
    if (response.customerId) await markLoyaltyStale(tx, [response.customerId], 'response');
    await alongWith?.(tx);
    return 'stored' as const;
  });
}
