// Phone interviews: the call lists of running phone campaigns, claiming the next customer to call, and
// recording what each call came to. Every verb takes `now`, so calling hours and retries can be tested.
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Locale } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { storeInvitedResponse } from '../campaigns/answers.ts';
import { contactPermission, contactPurposeOf } from '../campaigns/rules.ts';
import type { ContactPurpose } from '../customers/vocabulary.ts';
import { contactSubjectColumns } from '../campaigns/subject.ts';
import type { CallOutcome, CallState, CampaignSettings } from '../campaigns/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { callAttempts, campaignInvitations, campaigns, customers, surveys } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { frozenVersion } from '../responses/service.ts';
import {
  afterOutcome,
  callbackProblem,
  claimMs,
  connectedOutcomes,
  defaultPhoneSettings,
  insideCallingHours,
  localDateTime,
  whyNobody,
  type PhoneSettings,
  type ZoneQueue,
} from './rules.ts';

const ci = campaignInvitations;

export function phoneSettingsOf(settings: CampaignSettings): PhoneSettings {
  const phone = settings.phone;
  return {
    maxAttempts: phone?.maxAttempts ?? defaultPhoneSettings.maxAttempts,
    callingHours: phone?.callingHours ?? defaultPhoneSettings.callingHours,
    script: phone?.script,
  };
}

const noSuchCampaign = () =>
  new DomainError('not_found', bilingual('No phone campaign has this id.', '没有这个电话调查活动。'));

const notRunning = () =>
  new DomainError(
    'conflict',
    bilingual('This campaign is not running, so nobody is to be called for it.', '该调查活动未在进行中，无需为其拨打电话。'),
  );

const noSuchCall = () =>
  new DomainError('not_found', bilingual('No phone invitation has this id.', '没有这个电话邀请。'));

const notYourCall = () =>
  new DomainError(
    'conflict',
    bilingual(
      'This customer is not assigned to you now (another interviewer took them, or the call was already recorded). Take the next customer.',
      '该客户当前未分配给您（可能已被其他访问员接手，或通话结果已记录）。请接听下一位客户。',
    ),
  );

const callClosed = () =>
  new DomainError(
    'conflict',
    bilingual('This customer is no longer on the call list.', '该客户已不在拨打名单中。'),
  );

/** Open, reachable, not yet answered: the invitations a call list is made of. */
const openCall = (campaignId: string) =>
  and(eq(ci.campaignId, campaignId), eq(ci.callState, 'open'), isNotNull(ci.token), isNull(ci.responseId));

const freeAt = (now: number) => or(isNull(ci.claimedUntil), lte(ci.claimedUntil, now));

// The invitation waits for the time the customer asked to be called back.
const isCallback = sql<number>`exists (select 1 from ${callAttempts} where ${callAttempts.invitationId} = ${ci.id} and ${callAttempts.outcome} = 'callback' and ${callAttempts.callbackAt} = ${ci.nextCallAt})`;

async function runningPhoneCampaign(db: Db, campaignId: string) {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign || (campaign.delivery !== 'phone' && campaign.delivery !== 'event')) throw noSuchCampaign();
  if (campaign.status !== 'running') throw notRunning();
  return campaign;
}

/**
 * Closes, as soon as a campaign's list is read, the invitations nobody should call: customers who must not be
 * called, and invitations already answered (an interview whose outcome was cut off after its answers were stored).
 */
async function closeFinishedCalls(db: Db, campaignId: string) {
  await db
    .update(ci)
    .set({ callState: 'completed', claimedBy: null, claimedUntil: null })
    .where(and(eq(ci.campaignId, campaignId), eq(ci.callState, 'open'), isNotNull(ci.responseId)));
  await db
    .update(ci)
    .set({ callState: 'do_not_call', claimedBy: null, claimedUntil: null })
    .where(
      and(
        eq(ci.campaignId, campaignId),
        eq(ci.callState, 'open'),
        inArray(
          ci.customerId,
          db.select({ id: customers.id }).from(customers).where(or(eq(customers.doNotCall, true), eq(customers.doNotContact, true))),
        ),
      ),
    );
}

/** The open invitations of a campaign by the customers' time zones (few rows: one per zone). */
async function zoneQueues(db: Db, campaignId: string, interviewerId: string, now: number) {
  const free = sql`(${ci.claimedUntil} is null or ${ci.claimedUntil} <= ${now} or ${ci.claimedBy} = ${interviewerId})`;
  const rows = await db
    .select({
      timeZone: customers.timeZone,
      open: sql<number>`coalesce(sum(case when ${free} then 1 else 0 end), 0)`,
      firstDueAt: sql<number | null>`min(case when ${free} then coalesce(${ci.nextCallAt}, 0) end)`,
      held: sql<number>`coalesce(sum(case when ${free} then 0 else 1 end), 0)`,
    })
    .from(ci)
    .innerJoin(customers, eq(customers.id, ci.customerId))
    .where(openCall(campaignId))
    .groupBy(customers.timeZone);
  return rows.map((row) => ({ ...row, open: Number(row.open), held: Number(row.held), firstDueAt: Number(row.firstDueAt ?? 0) }));
}

export interface CallCampaignSummary {
  id: string;
  name: string;
  surveyTitle: { en: string; 'zh-CN': string } | null;
  callingHours: { start: string; end: string };
  maxAttempts: number;
  /** Still to call (open, whatever the time). */
  open: number;
  /** Open, due, inside the customer's calling hours, not held by another interviewer, and callable by the contact rule. */
  dueNow: number;
  completed: number;
  refused: number;
  wrongNumber: number;
  attemptsUsed: number;
  doNotCall: number;
}

/** The running phone campaigns with what is left to call and what can be called now. */
export async function listCallCampaigns(db: Db, now: number): Promise<CallCampaignSummary[]> {
  const running = await db
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.status, 'running'),
        // Event campaigns (e.g. the follow-up after a complaint) call the customers whose channel is the phone.
        or(
          eq(campaigns.delivery, 'phone'),
          and(eq(campaigns.delivery, 'event'), sql`exists (select 1 from ${ci} where ${ci.campaignId} = ${campaigns.id} and ${ci.delivery} = 'phone')`),
        ),
      ),
    )
    .orderBy(desc(campaigns.launchedAt), asc(campaigns.name));
  if (running.length === 0) return [];
  const due = sql`${ci.callState} = 'open' and ${ci.responseId} is null and coalesce(${ci.nextCallAt}, 0) <= ${now} and (${ci.claimedUntil} is null or ${ci.claimedUntil} <= ${now})`;
  // Whether a number is there, as the contact rule reads it; grouping by it (and by the other fields the rule
  // reads) lets the one rule decide per group who may be called, without reading every customer.
  const hasPhone = sql<number>`trim(coalesce(${customers.phone}, '')) <> ''`;
  const counts = await db
    .select({
      campaignId: ci.campaignId,
      timeZone: customers.timeZone,
      callState: ci.callState,
      consents: customers.consents,
      doNotContact: customers.doNotContact,
      doNotCall: customers.doNotCall,
      hasPhone,
      total: sql<number>`count(*)`,
      due: sql<number>`coalesce(sum(case when ${due} then 1 else 0 end), 0)`,
    })
    .from(ci)
    .innerJoin(customers, eq(customers.id, ci.customerId))
    .where(and(inArray(ci.campaignId, running.map((campaign) => campaign.id)), isNotNull(ci.token)))
    .groupBy(ci.campaignId, customers.timeZone, ci.callState, customers.consents, customers.doNotContact, customers.doNotCall, hasPhone);
  const callable = (row: (typeof counts)[number], purpose: ContactPurpose) =>
    contactPermission({ ...row, phone: row.hasPhone ? 'on file' : null, email: null, postalAddress: null }, 'phone', purpose).ok;

  return Promise.all(
    running.map(async (campaign) => {
      const settings = phoneSettingsOf(campaign.settings);
      const version = campaign.versionId ? await frozenVersion(db, campaign.versionId) : undefined;
      const purpose = contactPurposeOf(version?.definition.kind ?? 'satisfaction');
      const byState = (state: CallState) =>
        counts
          .filter((row) => row.campaignId === campaign.id && row.callState === state)
          .reduce((sum, row) => sum + Number(row.total), 0);
      const dueNow = counts
        .filter((row) => row.campaignId === campaign.id && row.callState === 'open')
        .filter((row) => insideCallingHours(now, row.timeZone, settings.callingHours) && callable(row, purpose))
        .reduce((sum, row) => sum + Number(row.due), 0);
      return {
        id: campaign.id,
        name: campaign.name,
        surveyTitle: version?.definition.title ?? null,
        callingHours: settings.callingHours,
        maxAttempts: settings.maxAttempts,
        open: byState('open'),
        dueNow,
        completed: byState('completed'),
        refused: byState('refused'),
        wrongNumber: byState('wrong_number'),
        attemptsUsed: byState('attempts_used'),
        doNotCall: byState('do_not_call'),
      };
    }),
  );
}

/** The next customer is the interviewer's until this time, renewed while the call screen is open. */
function claimUntil(now: number) {
  return now + claimMs;
}

/** One try at claiming the first free candidate; null when another interviewer took it in between. */
async function claimFirst(db: Db, campaignId: string, interviewerId: string, zones: string[], now: number) {
  const [candidate] = await db
    .select({ id: ci.id })
    .from(ci)
    .innerJoin(customers, eq(customers.id, ci.customerId))
    .where(
      and(
        openCall(campaignId),
        sql`coalesce(${ci.nextCallAt}, 0) <= ${now}`,
        freeAt(now),
        inArray(customers.timeZone, zones),
        eq(customers.doNotCall, false),
        eq(customers.doNotContact, false),
      ),
    )
    .orderBy(desc(isCallback), sql`case when ${isCallback} then ${ci.nextCallAt} end`, asc(ci.callAttempts), sql`coalesce(${ci.nextCallAt}, 0)`, asc(ci.id))
    .limit(1);
  if (!candidate) return { found: false as const };
  // The claim itself is one conditional write: of two interviewers racing for this row, one wins.
  const [claimed] = await db
    .update(ci)
    .set({ claimedBy: interviewerId, claimedUntil: claimUntil(now) })
    .where(and(eq(ci.id, candidate.id), eq(ci.callState, 'open'), freeAt(now)))
    .returning({ id: ci.id });
  return { found: true as const, id: claimed?.id ?? null };
}

export type NextCall =
  | { none: false; call: Awaited<ReturnType<typeof callSheet>> }
  | { none: true; reason: ReturnType<typeof whyNobody>['reason']; nextAt: string | null };

/**
 * Claims the next customer of a campaign for this interviewer: one already held is given back first (a
 * reloaded page), then the first free, due customer whose local time is inside the calling hours.
 */
export async function claimNext(db: Db, input: { campaignId: string; interviewerId: string; now: number }): Promise<NextCall> {
  const { campaignId, interviewerId, now } = input;
  const campaign = await runningPhoneCampaign(db, campaignId);
  const settings = phoneSettingsOf(campaign.settings);
  await closeFinishedCalls(db, campaignId);

  const [held] = await db
    .update(ci)
    .set({ claimedUntil: claimUntil(now) })
    .where(and(openCall(campaignId), eq(ci.claimedBy, interviewerId), sql`${ci.claimedUntil} > ${now}`))
    .returning({ id: ci.id });
  if (held && (await stillCallable(db, held.id))) return { none: false, call: await callSheet(db, held.id, now) };

  const zones = await zoneQueues(db, campaignId, interviewerId, now);
  const callable = zones.filter((zone) => insideCallingHours(now, zone.timeZone, settings.callingHours)).map((zone) => zone.timeZone);
  if (callable.length > 0) {
    // Races lost to other interviewers are tried a few times; a customer closed as no longer callable is not
    // a lost race, and each such one leaves the list, so the loop ends.
    for (let racesLost = 0; racesLost < 5; ) {
      const claim = await claimFirst(db, campaignId, interviewerId, callable, now);
      if (!claim.found) break;
      if (!claim.id) racesLost++;
      else if (await stillCallable(db, claim.id)) return { none: false, call: await callSheet(db, claim.id, now) };
    }
  }
  const queues: ZoneQueue[] = zones.map(({ timeZone, open, firstDueAt }) => ({ timeZone, open, firstDueAt }));
  const heldByOthers = zones.reduce((sum, zone) => sum + zone.held, 0);
  const why = whyNobody(queues, now, settings.callingHours, heldByOthers);
  return { none: true, reason: why.reason, nextAt: why.nextAt === null ? null : new Date(why.nextAt).toISOString() };
}

/**
 * Whether the customer of a claimed invitation may still be called, by the one contact rule on the customer's
 * current row (do-not-contact, do-not-call, phone consent for the campaign's purpose, a phone number). One who may not is
 * closed as not to be called, before any interviewer sees them.
 */
async function stillCallable(db: Db, invitationId: string): Promise<boolean> {
  const [row] = await db
    .select({ ...contactSubjectColumns, surveyKind: surveys.kind })
    .from(ci)
    .innerJoin(customers, eq(customers.id, ci.customerId))
    .innerJoin(campaigns, eq(campaigns.id, ci.campaignId))
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(eq(ci.id, invitationId));
  if (row && contactPermission(row, 'phone', contactPurposeOf(row.surveyKind)).ok) return true;
  await db.update(ci).set({ callState: 'do_not_call', claimedBy: null, claimedUntil: null }).where(and(eq(ci.id, invitationId), eq(ci.callState, 'open')));
  return false;
}

/** Everything the call screen shows for one claimed invitation. */
async function callSheet(db: Db, invitationId: string, now: number) {
  const [row] = await db
    .select({ invitation: ci, customer: customers, campaign: campaigns })
    .from(ci)
    .innerJoin(customers, eq(customers.id, ci.customerId))
    .innerJoin(campaigns, eq(campaigns.id, ci.campaignId))
    .where(eq(ci.id, invitationId));
  if (!row) throw noSuchCall();
  const { invitation, customer, campaign } = row;
  const settings = phoneSettingsOf(campaign.settings);
  const version = campaign.versionId ? await frozenVersion(db, campaign.versionId) : undefined;
  if (!version) throw notRunning();
  const lastOutcomes = await db
    .select({ outcome: callAttempts.outcome, at: callAttempts.at, callbackAt: callAttempts.callbackAt, note: callAttempts.note })
    .from(callAttempts)
    .where(eq(callAttempts.invitationId, invitation.id))
    .orderBy(desc(callAttempts.at), desc(callAttempts.id))
    .limit(5);
  let localTime: string | null = null;
  try {
    localTime = localDateTime(now, customer.timeZone).slice(11);
  } catch {
    localTime = null;
  }
  return {
    campaign: { id: campaign.id, name: campaign.name, maxAttempts: settings.maxAttempts },
    invitation: {
      id: invitation.id,
      attempts: invitation.callAttempts,
      claimedUntil: new Date(invitation.claimedUntil ?? now).toISOString(),
      lastOutcomes: lastOutcomes.map((attempt) => ({
        outcome: attempt.outcome,
        at: new Date(attempt.at).toISOString(),
        callbackAt: attempt.callbackAt === null ? null : new Date(attempt.callbackAt).toISOString(),
        note: attempt.note,
      })),
    },
    customer: {
      id: customer.id,
      name: customer.name,
      contactName: customer.contactName,
      phone: customer.phone,
      locale: invitation.locale,
      timeZone: customer.timeZone,
      localTime,
    },
    script: settings.script ?? null,
    versionId: version.id,
    version: version.version,
    definition: version.definition,
    callingHours: settings.callingHours,
  };
}

export type CallSheet = Awaited<ReturnType<typeof callSheet>>;

/** Keeps a claimed customer the interviewer's for another claim period while the call goes on. */
export async function renewClaim(db: Db, input: { invitationId: string; interviewerId: string; now: number }) {
  const [renewed] = await db
    .update(ci)
    .set({ claimedUntil: claimUntil(input.now) })
    .where(and(eq(ci.id, input.invitationId), eq(ci.claimedBy, input.interviewerId), eq(ci.callState, 'open')))
    .returning({ claimedUntil: ci.claimedUntil });
  if (!renewed) throw notYourCall();
  return { claimedUntil: new Date(renewed.claimedUntil!).toISOString() };
}

export interface OutcomeInput {
  invitationId: string;
  interviewerId: string;
  now: number;
  /** Made by the call screen for this outcome, so a retried request records the call once. */
  attemptId: string;
  outcome: CallOutcome;
  callbackAt?: number | undefined;
  note?: string | undefined;
  answers?: unknown;
  responseId?: string | undefined;
  locale?: Locale | undefined;
  startedAt?: number | undefined;
}

async function callState(db: Db, invitationId: string) {
  const [row] = await db
    .select({ id: ci.id, callState: ci.callState, attempts: ci.callAttempts, nextCallAt: ci.nextCallAt })
    .from(ci)
    .where(eq(ci.id, invitationId));
  if (!row) throw noSuchCall();
  return { ...row, nextCallAt: row.nextCallAt === null ? null : new Date(row.nextCallAt).toISOString() };
}

/**
 * Records what a call came to: one call_attempts row, the attempt counted, the invitation moved on by the
 * rules and released. A completed call stores the answers through the invitation first; a retried request
 * (same attemptId) changes nothing and answers as the first did.
 */
export async function recordOutcome(db: Db, input: OutcomeInput) {
  const [earlier] = await db.select().from(callAttempts).where(eq(callAttempts.id, input.attemptId));
  if (earlier) {
    if (earlier.invitationId !== input.invitationId || earlier.interviewerId !== input.interviewerId) {
      throw new DomainError(
        'conflict',
        bilingual('This attempt id is already used for another call.', '该通话编号已被另一次通话使用。'),
      );
    }
    return { result: 'duplicate' as const, invitation: await callState(db, input.invitationId) };
  }

  const [row] = await db
    .select({ invitation: ci, campaign: campaigns })
    .from(ci)
    .innerJoin(campaigns, eq(campaigns.id, ci.campaignId))
    .where(eq(ci.id, input.invitationId));
  if (!row || row.invitation.delivery !== 'phone') throw noSuchCall();
  const { invitation, campaign } = row;
  if (invitation.claimedBy !== input.interviewerId) throw notYourCall();
  if (invitation.callState !== 'open') throw callClosed();

  const problem = checkOutcome(input);
  if (problem) throw problem;

  const attempts = invitation.callAttempts + 1;
  const next = afterOutcome({
    outcome: input.outcome,
    attempts,
    maxAttempts: phoneSettingsOf(campaign.settings).maxAttempts,
    now: input.now,
    callbackAt: input.callbackAt,
  });
  const connected = connectedOutcomes.includes(input.outcome);

  /** The call's record and the invitation's next state; with a completed call, in the answer's transaction. */
  async function recordCall(tx: DbOrTx): Promise<'recorded' | 'duplicate'> {
    const inserted = await tx
      .insert(callAttempts)
      .values({
        id: input.attemptId,
        invitationId: invitation.id,
        interviewerId: input.interviewerId,
        outcome: input.outcome,
        callbackAt: input.outcome === 'callback' ? (input.callbackAt ?? null) : null,
        note: input.note ?? null,
        at: input.now,
      })
      .onConflictDoNothing()
      .returning({ id: callAttempts.id });
    if (inserted.length === 0) return 'duplicate';
    const moved = await tx
      .update(ci)
      .set({
        callAttempts: attempts,
        callState: next.callState,
        nextCallAt: next.nextCallAt,
        claimedBy: null,
        claimedUntil: null,
        ...(connected
          ? {
              deliveredAt: sql`coalesce(${ci.deliveredAt}, ${input.now})`,
              startedAt: sql`coalesce(${ci.startedAt}, ${input.now})`,
            }
          : {}),
      })
      .where(
        and(
          eq(ci.id, invitation.id),
          eq(ci.claimedBy, input.interviewerId),
          eq(ci.callState, 'open'),
          eq(ci.callAttempts, invitation.callAttempts),
        ),
      )
      .returning({ id: ci.id });
    // Another request moved the invitation meanwhile: this one is refused and its attempt row rolled back.
    if (moved.length === 0) throw notYourCall();
    return 'recorded';
  }

  let result: 'recorded' | 'duplicate';
  if (input.outcome === 'completed') {
    let recorded: 'recorded' | 'duplicate' = 'duplicate';
    await storeInvitedResponse(
      db,
      {
        invitationId: invitation.id,
        responseId: input.responseId!,
        answers: input.answers,
        locale: input.locale ?? invitation.locale,
        startedAt: input.startedAt,
        interviewerId: input.interviewerId,
      },
      async (tx) => {
        recorded = await recordCall(tx);
      },
    );
    result = recorded;
  } else {
    result = await db.transaction(recordCall);
  }
  return { result, invitation: await callState(db, invitation.id) };
}

function checkOutcome(input: OutcomeInput): DomainError | null {
  if (input.outcome === 'callback') {
    if (input.callbackAt === undefined) {
      return new DomainError(
        'bad_request',
        bilingual('Say when to call back ("callbackAt").', '请填写回拨时间（"callbackAt"）。'),
        { callbackAt: bilingual('Choose the time to call back.', '请选择回拨时间。') },
      );
    }
    const problem = callbackProblem(input.callbackAt, input.now);
    if (problem === 'past') {
      const text = bilingual('The callback time has already passed; choose a time in the future.', '回拨时间已过，请选择将来的时间。');
      return new DomainError('bad_request', text, { callbackAt: text });
    }
    if (problem === 'too_far') {
      const text = bilingual('Choose a callback time within the next 30 days.', '请选择 30 天以内的回拨时间。');
      return new DomainError('bad_request', text, { callbackAt: text });
    }
  }
  if (input.outcome === 'completed' && (input.answers === undefined || input.responseId === undefined)) {
    return new DomainError(
      'bad_request',
      bilingual(
        'A completed call needs the answers and a response id; key in the answers and submit them.',
        '完成的通话需要提交答案和回答编号；请录入答案后提交。',
      ),
    );
  }
  return null;
}
