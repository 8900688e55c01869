// Keying in returned postal forms. Without double keying the answers are stored at once; with it, the first
// person's keying waits in postal_keyings until a different person keys the same form, and the response is
// stored only when both agree or the second person settles the differences.
import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { validateAnswers, type Answers } from '../../surveys/answers.ts';
import type { Locale, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { StaffUser } from '../accounts/service.ts';
import { alreadyAnswered, findInvitation, storeInvitedResponse } from '../campaigns/answers.ts';
import type { Db } from '../db/client.ts';
import { campaignInvitations, campaigns, customers, postalKeyings } from '../db/schema.ts';
import { DomainError, firstProblems, omittedText } from '../errors.ts';
import { frozenVersion, surveyClosedError } from '../responses/service.ts';
import { compareKeyings, type KeyingDifference } from './rules.ts';

/** first: nobody keyed it yet; second: keyed once by someone else; mine: keyed once by this person; answered: stored. */
export type KeyingState = 'first' | 'second' | 'mine' | 'answered';

export interface KeyingForm {
  invitationId: string;
  campaign: { id: string; name: string };
  customer: { id: string; name: string; contactName: string | null };
  locale: Locale;
  definition: SurveyDefinition;
  doubleKeying: boolean;
  state: KeyingState;
}

export type KeyingOutcome =
  | { status: 'stored' | 'duplicate'; responseId: string }
  | { status: 'first_keyed' }
  | { status: 'differences'; differences: KeyingDifference[] };

const notPostal = () =>
  new DomainError(
    'bad_request',
    bilingual(
      'This code belongs to an invitation that was not sent by post. Only printed forms are keyed in here.',
      '此编码对应的邀请不是邮寄的问卷。这里只能录入纸质问卷。',
    ),
  );

const sameKeyer = () =>
  new DomainError(
    'conflict',
    bilingual(
      'You keyed this form the first time. A different person must key it the second time; pass it to a colleague.',
      '此问卷的第一次录入是您完成的，第二次录入必须由另一个人完成，请交给同事录入。',
    ),
  );

const noFirstKeying = () =>
  new DomainError(
    'conflict',
    bilingual(
      'This form has not been keyed a first time, so there is nothing to settle. Key it in first.',
      '此问卷还没有第一次录入，没有需要核对的差异。请先录入。',
    ),
  );

const notDoubleKeyed = () =>
  new DomainError(
    'bad_request',
    bilingual('This campaign keys each form once; there is nothing to settle. Key it in as usual.', '此活动每份问卷只录入一次，没有需要核对的差异，请直接录入。'),
  );

/** The invitation behind a typed code, checked to be a printed form, with its survey version. */
async function postalForm(db: Db, code: string) {
  const found = await findInvitation(db, code);
  if (found.invitation.delivery !== 'post') throw notPostal();
  if (!found.campaign.versionId) throw surveyClosedError();
  const version = await frozenVersion(db, found.campaign.versionId);
  if (!version) throw surveyClosedError();
  return { ...found, definition: version.definition, doubleKeying: found.campaign.settings.post?.doubleKeying === true };
}

async function firstKeying(db: Db, invitationId: string) {
  const [row] = await db
    .select()
    .from(postalKeyings)
    .where(and(eq(postalKeyings.invitationId, invitationId), eq(postalKeyings.round, 1)));
  return row;
}

/** What the keying screen shows for a code: whose form, which questions, and where its keying stands. */
export async function openForm(db: Db, user: StaffUser, code: string): Promise<KeyingForm> {
  const form = await postalForm(db, code);
  const [customer] = await db
    .select({ name: customers.name, contactName: customers.contactName })
    .from(customers)
    .where(eq(customers.id, form.invitation.customerId));
  let state: KeyingState = 'first';
  if (form.invitation.responseId !== null) state = 'answered';
  else if (form.doubleKeying) {
    const first = await firstKeying(db, form.invitation.id);
    if (first) state = first.keyedBy === user.id ? 'mine' : 'second';
  }
  return {
    invitationId: form.invitation.id,
    campaign: { id: form.campaign.id, name: form.campaign.name },
    customer: { id: form.invitation.customerId, name: customer?.name ?? '', contactName: customer?.contactName ?? null },
    locale: form.invitation.locale,
    definition: form.definition,
    doubleKeying: form.doubleKeying,
    state,
  };
}

/** The answers checked against the form's version; problems are reported per question for the screen to show. */
function checkedAnswers(definition: SurveyDefinition, answers: unknown): Answers {
  const checked = validateAnswers(definition, answers);
  if (checked.ok) return checked.answers;
  const problems = Object.keys(checked.errors).length;
  const { shown, omitted } = firstProblems(checked.errors);
  const more = omittedText(omitted);
  throw new DomainError(
    'bad_request',
    bilingual(`${problems} answer(s) need correcting before the form can be stored.${more.en}`, `有 ${problems} 个回答需要更正后才能保存。${more['zh-CN']}`),
    shown,
    { questionErrors: shown, ...(omitted > 0 ? { moreProblems: omitted } : {}) },
  );
}

/** Stores the response through the invitation, with per-question errors as fields so the screen can show them. */
async function store(db: Db, user: StaffUser, invitationId: string, locale: Locale, responseId: string, answers: Answers) {
  try {
    return await storeInvitedResponse(db, { invitationId, responseId, answers, locale, interviewerId: user.id });
  } catch (error) {
    if (error instanceof DomainError && error.extra.questionErrors) {
      throw new DomainError(error.code, error.text, error.extra.questionErrors as Record<string, never>, error.extra);
    }
    throw error;
  }
}

/** One keying of a returned form, by whoever is signed in. */
export async function keyForm(db: Db, user: StaffUser, code: string, input: { answers: unknown; responseId: string }): Promise<KeyingOutcome> {
  const form = await postalForm(db, code);
  const { invitation } = form;
  // A retry of the keying that stored the response finds it stored.
  if (invitation.responseId === input.responseId) return { status: 'duplicate', responseId: input.responseId };
  const answers = checkedAnswers(form.definition, input.answers);
  if (!form.doubleKeying) {
    const status = await store(db, user, invitation.id, invitation.locale, input.responseId, answers);
    return { status, responseId: input.responseId };
  }
  if (invitation.responseId !== null) throw alreadyAnswered();

  const first = await firstKeying(db, invitation.id);
  if (!first) {
    const inserted = await db
      .insert(postalKeyings)
      .values({ invitationId: invitation.id, round: 1, keyedBy: user.id, answers })
      .onConflictDoNothing()
      .returning({ round: postalKeyings.round });
    if (inserted.length > 0) return { status: 'first_keyed' };
    // Someone else's first keying landed in between: this one becomes the second.
    return keyForm(db, user, code, input);
  }
  if (first.keyedBy === user.id) throw sameKeyer();

  const differences = compareKeyings(form.definition, first.answers, answers);
  if (differences.length > 0) return { status: 'differences', differences };
  return settle(db, user, form.invitation, input.responseId, answers);
}

/** The second keyer's settled answers after differences were shown: stored as the response. */
export async function resolveForm(db: Db, user: StaffUser, code: string, input: { answers: unknown; responseId: string }): Promise<KeyingOutcome> {
  const form = await postalForm(db, code);
  if (form.invitation.responseId === input.responseId) return { status: 'duplicate', responseId: input.responseId };
  if (!form.doubleKeying) throw notDoubleKeyed();
  const answers = checkedAnswers(form.definition, input.answers);
  const first = await firstKeying(db, form.invitation.id);
  if (!first) throw noFirstKeying();
  if (first.keyedBy === user.id) throw sameKeyer();
  return settle(db, user, form.invitation, input.responseId, answers);
}

/** Stores the agreed answers and keeps them as the second keying, so who confirmed the form is on record. */
async function settle(
  db: Db,
  user: StaffUser,
  invitation: { id: string; locale: Locale },
  responseId: string,
  answers: Answers,
): Promise<KeyingOutcome> {
  const status = await store(db, user, invitation.id, invitation.locale, responseId, answers);
  await db
    .insert(postalKeyings)
    .values({ invitationId: invitation.id, round: 2, keyedBy: user.id, answers })
    .onConflictDoNothing();
  return { status, responseId };
}

/** How far a postal campaign's returned forms have got: invited, printed, keyed once (waiting for a second keying) and stored. */
export async function keyingProgress(db: Db, campaignId: string) {
  const [campaign] = await db
    .select({ id: campaigns.id, name: campaigns.name, delivery: campaigns.delivery, settings: campaigns.settings })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!campaign) {
    throw new DomainError('not_found', bilingual('No campaign has this id. Open it from the campaign list.', '没有此编号的活动，请从活动列表中打开。'));
  }
  const postal = and(eq(campaignInvitations.campaignId, campaignId), eq(campaignInvitations.delivery, 'post'), isNotNull(campaignInvitations.token));
  const [counts] = await db
    .select({
      invited: count(),
      printed: count(campaignInvitations.deliveredAt),
      stored: count(campaignInvitations.responseId),
    })
    .from(campaignInvitations)
    .where(postal);
  const [waiting] = await db
    .select({ n: count() })
    .from(postalKeyings)
    .innerJoin(campaignInvitations, eq(campaignInvitations.id, postalKeyings.invitationId))
    .where(and(postal, eq(postalKeyings.round, 1), isNull(campaignInvitations.responseId)));
  return {
    campaign: { id: campaign.id, name: campaign.name, doubleKeying: campaign.settings.post?.doubleKeying === true },
    invited: counts?.invited ?? 0,
    printed: counts?.printed ?? 0,
    keyedOnce: waiting?.n ?? 0,
    stored: counts?.stored ?? 0,
  };
}
