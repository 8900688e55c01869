// Complaint cases as staff and customers work them. Every change reads the case, checks the workflow
// (workflow.ts), writes the case with a compare on its version and appends its events, all in one
// transaction: of two agents changing the same case at once one wins and the other is told (409), and the
// history always matches the case. Mail a change sends (a reply) is queued in that same transaction too.
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Role } from '../accounts/service.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { complaintCases, complaintEvents, complaintMacros, customers, isOpenCase, outgoingMessages, users } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { enqueue, type DbOrTx } from '../jobs/queue.ts';
import { maskCase, maskCustomer, maskName, maskText, worksOnCase } from '../privacy/masking.ts';
import { queueMessagesIn } from '../mail/mailer.ts';
import { alertsBetween, shiftForPause, startDeadline, watchAtOf, type CaseClock } from './deadlines.ts';
import { caseAddress, replyMessage, type CaseMailConfig } from './emails.ts';
import { categoryProblem, openCases, type CaseDraft } from './opening.ts';
import { newCaseToken, parseReference } from './reference.ts';
import { recoveryOutcome } from './recovery.ts';
import { readComplaintSettings, severityFor, type ComplaintSettings } from './settings.ts';
import { actorFields, appendEvents, changeCase, customerActor, staleCaseText, systemActor, type Actor, type CaseEventRow, type CaseRow, type EscalationReason, type NewCaseEvent } from './store.ts';
import { openCaseStatuses, type CaseChannel, type CaseQueue, type CaseSeverity, type CaseStatus } from './vocabulary.ts';
import { autoCloseAt, nextState, type CaseAction, type StaffTransition, type WorkflowEffect } from './workflow.ts';

export type { CaseRow, CaseEventRow } from './store.ts';
export { escalateIn, systemActor, type Actor } from './store.ts';

/** The job that sends the post-resolution survey for one resolution cycle. */
export const followUpJobKind = 'complaints.follow-up';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** The signed-in staff member a verb acts for. */
export interface StaffViewer {
  id: string;
  name: string;
  role: Role;
}

/** Roles that work cases and may see a customer's personal data on them. */
export const caseWorkerRoles = ['admin', 'manager', 'support'] as const satisfies readonly Role[];
const seesPersonalData = (role: Role) => (caseWorkerRoles as readonly Role[]).includes(role);

/** Statuses whose cases still belong to an agent: deactivating the agent needs them moved first. */
export const assignedStatuses = [...openCaseStatuses, 'resolved'] as const satisfies readonly CaseStatus[];

const staffActor = (viewer: StaffViewer): Actor => ({ type: 'staff', id: viewer.id, name: viewer.name });

const noSuchCase = () => new DomainError('not_found', bilingual('No such case. It may have been removed, or the link is wrong.', '找不到该案件，可能链接有误。'));

/** The database clock, so processes agree on when things happened. */
async function dbTime(db: DbOrTx): Promise<number> {
  const [row] = await db.all<{ now: number }>(sql`SELECT cast(unixepoch('subsec') * 1000 as integer) AS now`);
  return Number(row!.now);
}

async function readCase(db: DbOrTx, id: string): Promise<CaseRow> {
  const [row] = await db.select().from(complaintCases).where(eq(complaintCases.id, id));
  if (!row) throw noSuchCase();
  return row;
}

function checkVersion(row: CaseRow, version: number | undefined) {
  if (version !== undefined && row.version !== version) {
    throw new DomainError('conflict', staleCaseText, {}, { stale: true });
  }
}

function clockOf(row: CaseClock): CaseClock {
  return {
    firstResponseDueAt: row.firstResponseDueAt,
    firstResponseAtRiskAt: row.firstResponseAtRiskAt,
    nextResponseDueAt: row.nextResponseDueAt,
    nextResponseAtRiskAt: row.nextResponseAtRiskAt,
    resolutionDueAt: row.resolutionDueAt,
    resolutionAtRiskAt: row.resolutionAtRiskAt,
  };
}

const stoppedClock: CaseClock = {
  firstResponseDueAt: null,
  firstResponseAtRiskAt: null,
  nextResponseDueAt: null,
  nextResponseAtRiskAt: null,
  resolutionDueAt: null,
  resolutionAtRiskAt: null,
};

export interface TransitionExtra {
  /** Why an escalation happened (escalate). */
  reason?: EscalationReason;
  /** Makes a repeated call one event (a sweep's deadline mark). */
  dedupeKey?: string | null;
  /** The surviving case a merge points at. */
  mergedInto?: { id: string; reference: string };
  /** Text recorded with the change (the customer's comment on confirming). */
  body?: string | null;
}

/**
 * Takes one workflow action on a case inside the caller's transaction: the status, the clock, the events
 * and the follow-up job, then the recovery outcome when it may have changed. `read` is the case as last read
 * in this transaction; a case changed meanwhile answers 409. Refused actions answer 409 with the reason.
 * The deadline sweep calls it for auto_close and escalate.
 */
export async function transitionIn(
  tx: DbOrTx,
  read: CaseRow,
  action: CaseAction,
  actor: Actor,
  settings: ComplaintSettings,
  now: number,
  extra: TransitionExtra = {},
): Promise<{ row: CaseRow; effects: WorkflowEffect[] }> {
  const result = nextState(read, action, {
    now,
    by: actor.type === 'integration' ? 'system' : actor.type,
    reopenWindowDays: settings.reopenWindowDays,
    closeAfterDays: settings.closeAfterDays,
  });
  if (!result.ok) throw new DomainError('conflict', result.reason, {}, { refused: action });
  const calendar = settings.calendar;
  const set: Partial<CaseRow> = {};
  const events: NewCaseEvent[] = [];
  const base = { caseId: read.id, ...actorFields(actor), at: now };
  let clock = clockOf(read);
  let clockChanged = false;
  let pausedAt = read.pausedAt;
  let refresh = false;
  let scheduleFollowUp = false;
  for (const effect of result.effects) {
    switch (effect) {
      case 'first_response_met':
        set.firstRespondedAt = read.firstRespondedAt ?? now;
        clock = { ...clock, firstResponseDueAt: null, firstResponseAtRiskAt: null };
        clockChanged = true;
        break;
      case 'next_response_started': {
        const mark = startDeadline(calendar, now, settings.targets.nextResponseHours[read.severity]);
        clock = { ...clock, nextResponseDueAt: mark.dueAt, nextResponseAtRiskAt: mark.atRiskAt };
        clockChanged = true;
        break;
      }
      case 'next_response_met':
        clock = { ...clock, nextResponseDueAt: null, nextResponseAtRiskAt: null };
        clockChanged = true;
        break;
      case 'clock_paused':
        set.pausedAt = pausedAt = now;
        break;
      case 'clock_resumed':
        if (read.pausedAt !== null) clock = shiftForPause(calendar, clock, read.pausedAt, now);
        set.pausedAt = pausedAt = null;
        clockChanged = true;
        break;
      case 'clocks_stopped':
        clock = stoppedClock;
        set.pausedAt = pausedAt = null;
        clockChanged = true;
        break;
      case 'reopened': {
        const resolution = startDeadline(calendar, now, settings.targets.resolutionHours[read.severity]);
        clock = { ...clock, resolutionDueAt: resolution.dueAt, resolutionAtRiskAt: resolution.atRiskAt };
        clockChanged = true;
        Object.assign(set, { reopenCount: read.reopenCount + 1, resolvedAt: null, closedAt: null, alert: null });
        if (!('customerConfirmed' in set)) set.customerConfirmed = null;
        events.push({
          ...base,
          type: 'reopened',
          public: true,
          before: { status: read.status, resolvedAt: read.resolvedAt, closedAt: read.closedAt, reopenCount: read.reopenCount },
          after: { status: result.status, reopenCount: read.reopenCount + 1 },
        });
        break;
      }
      case 'resolved_at_set':
        set.resolvedAt = now;
        break;
      case 'closed_at_set':
        set.closedAt = now;
        break;
      case 'follow_up_scheduled':
        scheduleFollowUp = true;
        break;
      case 'follow_up_cancelled':
        // Only a case resolved in this cycle had one scheduled.
        if (read.resolvedAt !== null) events.push({ ...base, type: 'follow_up_cancelled', after: { cycle: read.reopenCount } });
        break;
      case 'escalated':
        set.escalated = true;
        events.push({ ...base, type: 'escalated', before: { escalated: false }, after: { escalated: true, reason: extra.reason ?? 'by_hand' }, dedupeKey: extra.dedupeKey ?? null });
        break;
      case 'customer_left':
        set.customerLeft = true;
        events.push({ ...base, type: 'customer_left', before: { customerLeft: false }, after: { customerLeft: true } });
        break;
      case 'confirmed_resolved':
      case 'confirmed_unresolved': {
        const resolved = effect === 'confirmed_resolved';
        set.customerConfirmed = resolved;
        events.push({ ...base, type: 'customer_confirmed', public: true, before: { customerConfirmed: read.customerConfirmed }, after: { customerConfirmed: resolved }, body: extra.body ?? null });
        break;
      }
      case 'linked_case_opened':
        break;
      case 'outcome_refreshed':
        refresh = true;
        break;
    }
  }
  if (result.status !== read.status) {
    set.status = result.status;
    events.unshift({ ...base, type: 'status_changed', public: true, before: { status: read.status }, after: { status: result.status } });
  }
  if (result.status === 'merged' && extra.mergedInto) {
    set.mergedInto = extra.mergedInto.id;
    events.push({ ...base, type: 'merged', public: true, before: { mergedInto: null }, after: { mergedInto: extra.mergedInto.id, reference: extra.mergedInto.reference } });
  }
  if (clockChanged) Object.assign(set, clock);
  Object.assign(set, watchFields(read, result.status, clock, pausedAt, set.resolvedAt ?? read.resolvedAt, settings, now));

  let row = await changeCase(tx, read, { ...set, updatedAt: now });
  if (scheduleFollowUp) {
    const cycle = row.reopenCount;
    const runAt = now + settings.followUpDelayHours * hourMs;
    await enqueue(tx, { kind: followUpJobKind, payload: { caseId: row.id, cycle }, dedupeKey: `${followUpJobKind}:${row.id}:${cycle}`, runAt });
    events.push({ ...base, type: 'follow_up_scheduled', after: { cycle, runAt } });
  }
  await appendEvents(tx, events);
  if (refresh) row = await refreshOutcomeOf(tx, row, now);
  return { row, effects: result.effects };
}

/**
 * When the sweep looks at the case next and the worst alert now. A mark already due and not yet swept keeps
 * its time, so the sweep still records it; a resolved case is looked at again when it is due to close.
 */
function watchFields(read: CaseRow, status: CaseStatus, clock: CaseClock, pausedAt: number | null, resolvedAt: number | null, settings: ComplaintSettings, now: number) {
  if (status === 'resolved') return { watchAt: autoCloseAt(resolvedAt ?? now, settings.closeAfterDays), alert: null };
  if (status === 'closed' || status === 'merged') return { watchAt: null, alert: null };
  if (pausedAt !== null) return { watchAt: null };
  const unswept = read.watchAt !== null && read.watchAt <= now && read.status !== 'resolved' && read.pausedAt === null ? read.watchAt : null;
  return { watchAt: unswept ?? watchAtOf(clock, now), alert: alertsBetween(clock, null, now).alert };
}

/**
 * A case closed without the customer's word on it: no answer on the status page and none in the follow-up
 * survey. (A customer who said it is not resolved counts as unresolved by that answer itself.)
 */
function closedWithoutConfirmation(row: CaseRow): boolean {
  return row.status === 'closed' && row.customerConfirmed === null && row.resolvedAnswer === null && row.handlingScore === null;
}

async function refreshOutcomeOf(tx: DbOrTx, row: CaseRow, now: number): Promise<CaseRow> {
  const reopens = row.reopenCount === 0
    ? []
    : await tx
        .select({ before: complaintEvents.before, at: complaintEvents.at })
        .from(complaintEvents)
        .where(and(eq(complaintEvents.caseId, row.id), eq(complaintEvents.type, 'reopened')));
  const reopenedWithin14Days = reopens.some((event) => {
    const finishedAt = Number(event.before?.resolvedAt ?? event.before?.closedAt ?? Number.NaN);
    return event.at - finishedAt <= 14 * dayMs;
  });
  const outcome = recoveryOutcome({
    status: row.status,
    severity: row.severity,
    deadlinesMissed: row.deadlinesMissed,
    handlingScore: row.handlingScore,
    reopenCount: row.reopenCount,
    reopenedWithin14Days,
    customerConfirmed: row.customerConfirmed,
    closedWithoutConfirmation: closedWithoutConfirmation(row),
    resolvedAnswer: row.resolvedAnswer,
    customerLeft: row.customerLeft,
  });
  if (outcome === row.outcome) return row;
  const changed = await changeCase(tx, row, { outcome, updatedAt: now });
  await appendEvents(tx, [{ caseId: row.id, type: 'outcome_changed', ...actorFields(systemActor), before: { outcome: row.outcome }, after: { outcome }, at: now }]);
  return changed;
}

/** Recomputes a case's recovery outcome (recovery.ts) inside the caller's transaction, with an event when it changes. */
export async function refreshOutcome(tx: DbOrTx, caseId: string): Promise<void> {
  const row = await readCase(tx, caseId);
  await refreshOutcomeOf(tx, row, await dbTime(tx));
}

// ---------------------------------------------------------------------------------------------------------
// Reading cases

/** The customer's status page: the case behind a token, or null when the token is unknown or revoked. */
export async function caseByStatusToken(db: DbOrTx, token: string): Promise<CaseRow | null> {
  if (!token) return null;
  const [row] = await db.select().from(complaintCases).where(eq(complaintCases.statusToken, token));
  return row && row.statusTokenRevokedAt === null ? row : null;
}

/** The case a reply address (reply+<token>@…) belongs to, or null. */
export async function caseByReplyToken(db: DbOrTx, token: string): Promise<CaseRow | null> {
  if (!token) return null;
  const [row] = await db.select().from(complaintCases).where(eq(complaintCases.replyToken, token));
  return row ?? null;
}

const assignees = alias(users, 'assignee');

const summaryColumns = {
  id: complaintCases.id,
  reference: complaintCases.reference,
  status: complaintCases.status,
  source: complaintCases.source,
  channel: complaintCases.channel,
  category: complaintCases.category,
  severity: complaintCases.severity,
  escalated: complaintCases.escalated,
  alert: complaintCases.alert,
  assigneeId: complaintCases.assigneeId,
  assigneeName: assignees.name,
  surveyId: complaintCases.surveyId,
  firstResponseDueAt: complaintCases.firstResponseDueAt,
  nextResponseDueAt: complaintCases.nextResponseDueAt,
  resolutionDueAt: complaintCases.resolutionDueAt,
  pausedAt: complaintCases.pausedAt,
  reopenCount: complaintCases.reopenCount,
  outcome: complaintCases.outcome,
  customerId: complaintCases.customerId,
  customerName: customers.name,
  customerTier: customers.tier,
  contactName: complaintCases.contactName,
  description: complaintCases.description,
  version: complaintCases.version,
  createdAt: complaintCases.createdAt,
  updatedAt: complaintCases.updatedAt,
};

export interface QueueQuery {
  queue: CaseQueue;
  category?: string | undefined;
  severity?: CaseSeverity | undefined;
  channel?: CaseChannel | undefined;
  surveyId?: string | undefined;
  tier?: 'vip' | 'important' | 'ordinary' | undefined;
  status?: CaseStatus | undefined;
  /** One staff member's cases (any queue). */
  assigneeId?: string | undefined;
  q?: string | undefined;
  before?: string | undefined;
  limit: number;
}


/**
 * A queue page, newest first. Interviewers see only the cases they logged. The customer's name and contact
 * name are left out (null) for roles that may not see personal data, and so is searching by them.
 */
export async function listQueue(db: Db, viewer: StaffViewer, query: QueueQuery) {
  const personal = seesPersonalData(viewer.role);
  const conditions: (SQL | undefined)[] = [];
  switch (query.queue) {
    case 'mine':
      conditions.push(eq(complaintCases.assigneeId, viewer.id), isOpenCase(complaintCases.status));
      break;
    case 'unassigned':
      conditions.push(isNull(complaintCases.assigneeId), isOpenCase(complaintCases.status));
      break;
    case 'at_risk':
    case 'breached':
      conditions.push(eq(complaintCases.alert, query.queue), isOpenCase(complaintCases.status));
      break;
    case 'waiting':
      conditions.push(eq(complaintCases.status, 'waiting'));
      break;
    case 'all':
      break;
  }
  if (!personal) conditions.push(eq(complaintCases.openedBy, viewer.id));
  if (query.category) conditions.push(eq(complaintCases.category, query.category));
  if (query.severity) conditions.push(eq(complaintCases.severity, query.severity));
  if (query.channel) conditions.push(eq(complaintCases.channel, query.channel));
  if (query.surveyId) conditions.push(eq(complaintCases.surveyId, query.surveyId));
  if (query.status) conditions.push(eq(complaintCases.status, query.status));
  if (query.assigneeId) conditions.push(eq(complaintCases.assigneeId, query.assigneeId));
  // Looked up per case as the newest are read, so the page stops at its limit instead of sorting every
  // case of every customer in the tier.
  if (query.tier) conditions.push(sql`(SELECT case_customer.tier FROM ${customers} AS case_customer WHERE case_customer.id = ${complaintCases.customerId}) = ${query.tier}`);
  const text = query.q?.trim();
  if (text) {
    const reference = parseReference(text);
    if (reference) conditions.push(eq(complaintCases.reference, reference));
    else {
      const pattern = `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      const matches = (column: Parameters<typeof like>[0]) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
      conditions.push(
        personal
          ? or(matches(complaintCases.description), matches(complaintCases.contactName), matches(complaintCases.contactEmail), matches(complaintCases.contactPhone), matches(customers.name))
          : matches(complaintCases.description),
      );
    }
  }
  conditions.push(olderThanCursor(complaintCases.createdAt, complaintCases.id, query.before));
  const rows = await db
    .select(summaryColumns)
    .from(complaintCases)
    .leftJoin(assignees, eq(assignees.id, complaintCases.assigneeId))
    .leftJoin(customers, eq(customers.id, complaintCases.customerId))
    .where(and(...conditions))
    .orderBy(desc(complaintCases.createdAt), desc(complaintCases.id))
    .limit(query.limit + 1);
  const { page, nextBefore } = pageOf(rows, query.limit, (row) => row.createdAt);
  return {
    cases: page.map((row) => {
      if (!personal) return { ...row, customerName: null, contactName: null, personal: false };
      // A support agent sees in full the cases they work; the others' contact details and text masked.
      if (worksOnCase(viewer, row)) return { ...row, personal: true };
      return { ...maskCase(row), customerName: maskName(row.customerName), personal: false };
    }),
    nextBefore,
  };
}

/** The fields of a case that say who the customer is and how to reach them. */
const personalFields = new Set(['contactName', 'contactEmail', 'contactPhone', 'customerId']);

/** An event's before or after without personal data, for roles that may not see it. */
function withoutPersonalData(fields: Record<string, unknown> | null): Record<string, unknown> | null {
  if (fields === null) return null;
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !personalFields.has(key)));
}

/** An event's before or after with personal data masked and the customer's own words withheld, as a case's own are. */
function withoutWords(fields: Record<string, unknown> | null): Record<string, unknown> | null {
  return fields === null ? null : maskCase(fields as Parameters<typeof maskCase>[0]);
}

/**
 * A case as one staff member may see it: the one presenter of every case the staff routes answer with (the case
 * page, and each change made to a case), so a change never shows more than reading the case would. The tokens of
 * the customer's status page and reply address are never in it. A support agent sees in full the cases they
 * work (privacy/masking.ts, judged on the case as it now is); another agent's case has its contact details,
 * description and desired outcome masked; roles that may not see personal data get no contact details.
 * `personal` says whether it was shown in full (the routes record that as a read).
 */
export function caseFor(viewer: StaffViewer, row: CaseRow) {
  const personal = seesPersonalData(viewer.role);
  const masked = personal && !worksOnCase(viewer, row);
  const { statusToken: _status, replyToken: _reply, ...item } = row;
  return {
    ...(masked ? maskCase(item) : item),
    ...(personal ? {} : { contactName: null, contactEmail: null, contactPhone: null }),
    personal: personal && !masked,
  };
}

/** A case's events as one staff member may see them, masked as caseFor masks the case they belong to. */
export function eventsFor(viewer: StaffViewer, item: CaseRow, rows: CaseEventRow[]): CaseEventRow[] {
  if (!seesPersonalData(viewer.role)) return rows.map((event) => ({ ...event, before: withoutPersonalData(event.before), after: withoutPersonalData(event.after) }));
  if (!worksOnCase(viewer, item)) return rows.map((event) => ({ ...event, body: maskText(event.body), before: withoutWords(event.before), after: withoutWords(event.after) }));
  return rows;
}

/** A case with its history. Interviewers see only the cases they logged, and never personal data. */
export async function getCase(db: Db, viewer: StaffViewer, id: string) {
  const [found] = await db
    .select({ item: complaintCases, assigneeName: assignees.name, customer: { id: customers.id, name: customers.name, email: customers.email, phone: customers.phone, tier: customers.tier } })
    .from(complaintCases)
    .leftJoin(assignees, eq(assignees.id, complaintCases.assigneeId))
    .leftJoin(customers, eq(customers.id, complaintCases.customerId))
    .where(eq(complaintCases.id, id));
  if (!found) throw noSuchCase();
  const personal = seesPersonalData(viewer.role);
  if (!personal && found.item.openedBy !== viewer.id) throw noSuchCase();
  const rows = await db.select().from(complaintEvents).where(eq(complaintEvents.caseId, id)).orderBy(asc(complaintEvents.id));
  const linkedIds = [found.item.mergedInto, found.item.previousCaseId].filter((value): value is string => value !== null);
  const linked = linkedIds.length
    ? await db.select({ id: complaintCases.id, reference: complaintCases.reference }).from(complaintCases).where(inArray(complaintCases.id, linkedIds))
    : [];
  const referenceOf = (caseId: string | null) => (caseId === null ? null : (linked.find((row) => row.id === caseId)?.reference ?? null));
  const duplicates = await db
    .select({ id: complaintCases.id, reference: complaintCases.reference })
    .from(complaintCases)
    .where(eq(complaintCases.mergedInto, id));
  const item = caseFor(viewer, found.item);
  return {
    case: {
      ...item,
      assigneeName: found.assigneeName,
      customer: personal && found.customer?.id ? (item.personal ? found.customer : maskCustomer(found.customer)) : null,
      mergedIntoReference: referenceOf(found.item.mergedInto),
      previousCaseReference: referenceOf(found.item.previousCaseId),
      duplicates,
    },
    events: eventsFor(viewer, found.item, rows),
  };
}

/** Who cases can be assigned to: active support agents, managers and admins, with their open cases counted. */
export async function listAgents(db: Db) {
  const open = db
    .select({ assigneeId: complaintCases.assigneeId, n: count().as('n') })
    .from(complaintCases)
    .where(isOpenCase(complaintCases.status))
    .groupBy(complaintCases.assigneeId)
    .as('open');
  const rows = await db
    .select({ id: users.id, name: users.name, role: users.role, openCases: sql<number>`coalesce(${open.n}, 0)` })
    .from(users)
    .leftJoin(open, eq(open.assigneeId, users.id))
    .where(and(eq(users.active, true), inArray(users.role, [...caseWorkerRoles])))
    .orderBy(asc(users.name));
  return rows.map((row) => ({ ...row, openCases: Number(row.openCases) }));
}

// ---------------------------------------------------------------------------------------------------------
// Changing cases

/** Reads the case and the database clock, then runs `work` in one write transaction. */
async function withCase<T>(db: Db, id: string, work: (tx: DbOrTx, row: CaseRow, now: number) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const row = await readCase(tx, id);
    return work(tx, row, await dbTime(tx));
  });
}

/** Logs a case an agent or an interviewer took by phone, email or in person. */
export interface LoggedCase {
  channel: CaseChannel;
  category: string;
  severity?: CaseSeverity | undefined;
  description: string;
  desiredOutcome?: string | null | undefined;
  locale: 'zh-CN' | 'en';
  customerId?: string | null | undefined;
  contactName?: string | null | undefined;
  contactEmail?: string | null | undefined;
  contactPhone?: string | null | undefined;
  contactConsent: boolean;
  contactChannel?: 'email' | 'phone' | 'post' | null | undefined;
  orderValue?: number | null | undefined;
}

export async function logCase(db: Db, viewer: StaffViewer, input: LoggedCase) {
  const settings = await readComplaintSettings(db);
  const problem = categoryProblem(settings, input.category);
  if (problem) throw new DomainError('bad_request', problem, { category: problem });
  if (input.customerId) {
    const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
    if (!customer) {
      const text = bilingual('No customer with this id. Pick the customer again, or enter the contact details instead.', '没有这个客户，请重新选择客户，或改为填写联系方式。');
      throw new DomainError('bad_request', text, { customerId: text });
    }
  }
  const draft: CaseDraft = {
    source: 'agent',
    channel: input.channel,
    category: input.category,
    ...(input.severity ? { severity: input.severity } : {}),
    description: input.description,
    desiredOutcome: input.desiredOutcome ?? null,
    locale: input.locale,
    customerId: input.customerId ?? null,
    contactName: input.contactName ?? null,
    contactEmail: input.contactEmail ?? null,
    contactPhone: input.contactPhone ?? null,
    contactConsent: input.contactConsent,
    contactChannel: input.contactChannel ?? null,
    orderValue: input.orderValue ?? null,
    actor: staffActor(viewer),
  };
  const [opened] = await openCases(db, [draft], settings);
  return { id: opened!.id, reference: opened!.reference };
}

/** Takes a workflow action an agent chose on the case page. */
export async function transition(db: Db, viewer: StaffViewer, id: string, input: { action: StaffTransition; version: number }) {
  const settings = await readComplaintSettings(db);
  return withCase(db, id, async (tx, read, now) => {
    checkVersion(read, input.version);
    const { row } = await transitionIn(tx, read, input.action, staffActor(viewer), settings, now, input.action === 'escalate' ? { reason: 'by_hand' } : {});
    return caseFor(viewer, row);
  });
}

async function activeAgent(db: DbOrTx, userId: string, field = 'assigneeId') {
  const [user] = await db.select({ id: users.id, name: users.name, role: users.role, active: users.active }).from(users).where(eq(users.id, userId));
  if (!user || !user.active || !(caseWorkerRoles as readonly Role[]).includes(user.role)) {
    const text = bilingual(
      'Cases can be assigned only to an active support agent, manager or admin. Pick someone from the list.',
      '案件只能分配给在职的客服、经理或管理员，请从列表中选择。',
    );
    throw new DomainError('bad_request', text, { [field]: text });
  }
  return user;
}

async function assignIn(tx: DbOrTx, read: CaseRow, assignee: { id: string; name: string } | null, actor: Actor, settings: ComplaintSettings, now: number) {
  const decision = nextState(read, 'assign', { now, by: actor.type === 'integration' ? 'system' : actor.type, reopenWindowDays: settings.reopenWindowDays, closeAfterDays: settings.closeAfterDays });
  if (!decision.ok) throw new DomainError('conflict', decision.reason, {}, { refused: 'assign' });
  if (read.assigneeId === (assignee?.id ?? null)) return read;
  const changed = await changeCase(tx, read, { assigneeId: assignee?.id ?? null, updatedAt: now });
  await appendEvents(tx, [
    {
      caseId: read.id,
      type: 'assigned',
      ...actorFields(actor),
      before: { assigneeId: read.assigneeId },
      after: { assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null },
      at: now,
    },
  ]);
  return changed;
}

/** Assigns a case (null: back to unassigned). */
export async function assign(db: Db, viewer: StaffViewer, id: string, input: { assigneeId: string | null; version: number }) {
  const settings = await readComplaintSettings(db);
  return withCase(db, id, async (tx, read, now) => {
    checkVersion(read, input.version);
    const assignee = input.assigneeId === null ? null : await activeAgent(tx, input.assigneeId);
    return caseFor(viewer, await assignIn(tx, read, assignee, staffActor(viewer), settings, now));
  });
}

/** Assigns many cases from a queue at once; closed, merged or unknown cases are skipped with the reason. */
export async function bulkAssign(db: Db, viewer: StaffViewer, input: { ids: string[]; assigneeId: string | null }) {
  const settings = await readComplaintSettings(db);
  return db.transaction(async (tx) => {
    const assignee = input.assigneeId === null ? null : await activeAgent(tx, input.assigneeId);
    const now = await dbTime(tx);
    const rows = await tx.select().from(complaintCases).where(inArray(complaintCases.id, input.ids));
    const skipped: { id: string; reason: LocalizedText }[] = [];
    let assigned = 0;
    for (const id of input.ids) {
      const read = rows.find((row) => row.id === id);
      if (!read) {
        skipped.push({ id, reason: noSuchCase().text });
        continue;
      }
      const decision = nextState(read, 'assign', { now, by: 'staff', reopenWindowDays: settings.reopenWindowDays, closeAfterDays: settings.closeAfterDays });
      if (!decision.ok) {
        skipped.push({ id, reason: decision.reason });
        continue;
      }
      await assignIn(tx, read, assignee, staffActor(viewer), settings, now);
      assigned += 1;
    }
    return { assigned, skipped };
  });
}

/**
 * Moves every case a departing agent still holds (not closed or merged) to the agents given, round robin
 * in the order the cases were opened. Returns how many moved to whom.
 */
export async function reassignAll(db: Db, viewer: StaffViewer, input: { fromUserId: string; toUserIds: string[] }) {
  if (input.toUserIds.includes(input.fromUserId)) {
    const text = bilingual('Move the cases to someone other than the agent they are taken from.', '请把案件转给原负责人以外的人。');
    throw new DomainError('bad_request', text, { toUserIds: text });
  }
  const settings = await readComplaintSettings(db);
  return db.transaction(async (tx) => {
    const targets = [];
    for (const id of [...new Set(input.toUserIds)]) targets.push(await activeAgent(tx, id, 'toUserIds'));
    const now = await dbTime(tx);
    const rows = await tx
      .select()
      .from(complaintCases)
      .where(and(eq(complaintCases.assigneeId, input.fromUserId), inArray(complaintCases.status, [...assignedStatuses])))
      .orderBy(asc(complaintCases.createdAt), asc(complaintCases.id));
    const moved: Record<string, number> = Object.fromEntries(targets.map((target) => [target.id, 0]));
    for (const [index, read] of rows.entries()) {
      const target = targets[index % targets.length]!;
      await assignIn(tx, read, target, staffActor(viewer), settings, now);
      moved[target.id]! += 1;
    }
    return { moved: rows.length, to: moved };
  });
}

/** How many cases not yet closed are assigned to a staff member (deactivating them waits until none are). */
export async function assignedCaseCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(complaintCases)
    .where(and(eq(complaintCases.assigneeId, userId), inArray(complaintCases.status, [...assignedStatuses])));
  return row?.n ?? 0;
}

/** An internal note: staff only, never shown to the customer. Notes change nothing else, so they need no version. */
export async function addNote(db: Db, viewer: StaffViewer, id: string, input: { body: string }) {
  return withCase(db, id, async (tx, read, now) => {
    const [event] = await tx
      .insert(complaintEvents)
      .values({ caseId: read.id, type: 'note', ...actorFields(staffActor(viewer)), body: input.body, public: false, at: now })
      .returning();
    return eventsFor(viewer, read, [event!])[0]!;
  });
}

const deactivatedText = bilingual(
  'Your account is deactivated, so you can no longer reply to customers. Ask an admin to reactivate it, or hand the case to a colleague.',
  '您的账号已停用，不能再回复客户。请联系管理员重新启用，或把案件交给同事。',
);

/**
 * Replies to the customer by email: the reply is an event and an Outbox message written together, so a crash
 * loses both or neither, and the send job's key keeps it from going twice. In the case's language, with the
 * reference in the subject and the case's reply address as Reply-To. A customer on record is checked for
 * consent again when the message is sent.
 */
export async function reply(db: Db, config: CaseMailConfig, viewer: StaffViewer, id: string, input: { body: string; version: number }) {
  const settings = await readComplaintSettings(db);
  return withCase(db, id, async (tx, read, now) => {
    const [agent] = await tx.select({ active: users.active }).from(users).where(eq(users.id, viewer.id));
    if (!agent?.active) throw new DomainError('conflict', deactivatedText);
    checkVersion(read, input.version);
    // The workflow first: a closed or merged case refuses with its reason before anything else is said.
    const decision = nextState(read, 'reply', { now, by: 'staff', reopenWindowDays: settings.reopenWindowDays, closeAfterDays: settings.closeAfterDays });
    if (!decision.ok) throw new DomainError('conflict', decision.reason, {}, { refused: 'reply' });
    if (!read.contactConsent || (read.contactChannel !== null && read.contactChannel !== 'email')) {
      throw new DomainError(
        'conflict',
        read.contactConsent
          ? bilingual(
              `The customer asked to be contacted by ${read.contactChannel === 'phone' ? 'phone' : 'post'}, not by email. Contact them that way and add a note of what was said.`,
              `客户要求通过${read.contactChannel === 'phone' ? '电话' : '邮寄'}联系，而不是电子邮件。请按此方式联系，并添加备注记录沟通内容。`,
            )
          : bilingual(
              'The customer did not agree to be contacted about this complaint, so no email can be sent. Add a note instead.',
              '客户未同意就此投诉被联系，不能发送邮件。请改为添加备注。',
            ),
      );
    }
    const to = await caseAddress(tx, read);
    if (!to) {
      throw new DomainError(
        'conflict',
        bilingual('This case has no email address to reply to. Add one to the contact details, or contact the customer another way and add a note.', '此案件没有可回复的电子邮件地址。请在联系方式中补充，或以其他方式联系客户并添加备注。'),
      );
    }
    const { row } = await transitionIn(tx, read, 'reply', staffActor(viewer), settings, now);
    const messageId = `complaint-reply-${randomUUID()}`;
    await queueMessagesIn(tx, [replyMessage(row, to, config, { messageId, body: input.body })]);
    const [event] = await tx
      .insert(complaintEvents)
      .values({ caseId: row.id, type: 'reply_sent', ...actorFields(staffActor(viewer)), body: input.body, public: true, messageId, at: now })
      .returning();
    return { case: caseFor(viewer, row), event: eventsFor(viewer, row, [event!])[0]! };
  });
}

/** Merges a duplicate into the case that carries on; the duplicate points at it and its history stays. */
export async function merge(db: Db, viewer: StaffViewer, id: string, input: { intoId: string; version: number }) {
  const settings = await readComplaintSettings(db);
  return withCase(db, id, async (tx, read, now) => {
    checkVersion(read, input.version);
    // An agent may type the reference a caller reads out instead of picking the case.
    const reference = parseReference(input.intoId);
    const [into] = await tx
      .select()
      .from(complaintCases)
      .where(reference ? eq(complaintCases.reference, reference) : eq(complaintCases.id, input.intoId));
    if (!into) {
      const text = bilingual('The case to merge into does not exist. Check its reference.', '要合并到的案件不存在，请核对编号。');
      throw new DomainError('bad_request', text, { intoId: text });
    }
    if (into.id === read.id) {
      const text = bilingual('A case cannot be merged into itself. Pick the case that carries on.', '案件不能合并到自身，请选择保留的案件。');
      throw new DomainError('bad_request', text, { intoId: text });
    }
    if (into.status === 'merged') {
      throw new DomainError(
        'conflict',
        bilingual(`${into.reference} was itself merged into another case; merge into that one instead.`, `${into.reference} 本身已合并到另一个案件，请改为合并到那个案件。`),
      );
    }
    const actor = staffActor(viewer);
    const { row } = await transitionIn(tx, read, 'merge', actor, settings, now, { mergedInto: { id: into.id, reference: into.reference } });
    const survivor = await changeCase(tx, into, { updatedAt: now });
    await appendEvents(tx, [{ caseId: into.id, type: 'merged', ...actorFields(actor), after: { duplicateId: read.id, duplicateReference: read.reference }, at: now }]);
    return { case: caseFor(viewer, row), into: caseFor(viewer, survivor) };
  });
}

/**
 * Replaces the customer's status page link (a link that leaked, say): the old one then shows nothing, the
 * same as a link that never existed, and the next email to the customer carries the new one.
 */
export async function renewStatusLink(db: Db, viewer: StaffViewer, id: string, input: { version: number }) {
  return withCase(db, id, async (tx, read, now) => {
    checkVersion(read, input.version);
    const row = await changeCase(tx, read, { statusToken: newCaseToken(), statusTokenRevokedAt: null, updatedAt: now });
    await appendEvents(tx, [{ caseId: read.id, type: 'status_link_revoked', ...actorFields(staffActor(viewer)), at: now }]);
    return caseFor(viewer, row);
  });
}

export interface CaseFields {
  category?: string | undefined;
  severity?: CaseSeverity | undefined;
  description?: string | undefined;
  desiredOutcome?: string | null | undefined;
  contactName?: string | null | undefined;
  contactEmail?: string | null | undefined;
  contactPhone?: string | null | undefined;
  contactConsent?: boolean | undefined;
  contactChannel?: 'email' | 'phone' | 'post' | null | undefined;
  orderValue?: number | null | undefined;
}

/**
 * Edits a case's details, recording what they were and became. A severity change restarts the resolution
 * deadline (and a running next-response one) on the new severity's targets, from when the case was opened.
 */
export async function editFields(db: Db, viewer: StaffViewer, id: string, input: CaseFields & { version: number }) {
  const settings = await readComplaintSettings(db);
  return withCase(db, id, async (tx, read, now) => {
    checkVersion(read, input.version);
    if (read.status === 'merged' || read.status === 'closed') {
      const decision = nextState(read, 'assign', { now, by: 'staff', reopenWindowDays: settings.reopenWindowDays, closeAfterDays: settings.closeAfterDays });
      if (!decision.ok) throw new DomainError('conflict', decision.reason);
    }
    const { version: _version, ...fields } = input;
    if (fields.category !== undefined) {
      const problem = fields.category === read.category ? null : categoryProblem(settings, fields.category);
      if (problem) throw new DomainError('bad_request', problem, { category: problem });
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<CaseRow> = {};
    for (const [key, value] of Object.entries(fields) as [keyof CaseFields, unknown][]) {
      if (value === undefined || read[key] === value) continue;
      before[key] = read[key];
      after[key] = value;
      (set as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(after).length === 0) return caseFor(viewer, read);
    // Category and order value may make the case major by rule; the agent's own call stands when given.
    if (set.category !== undefined || set.orderValue !== undefined || set.severity !== undefined) {
      const severity = severityFor(settings, {
        category: set.category ?? read.category,
        orderValue: set.orderValue !== undefined ? set.orderValue : read.orderValue,
        asked: set.severity ?? read.severity,
      });
      if (severity !== read.severity) {
        before.severity = read.severity;
        after.severity = set.severity = severity;
        if (read.resolutionDueAt !== null) {
          const resolution = startDeadline(settings.calendar, read.reopenCount === 0 ? read.createdAt : now, settings.targets.resolutionHours[severity]);
          set.resolutionDueAt = resolution.dueAt;
          set.resolutionAtRiskAt = resolution.atRiskAt;
        }
        if (read.nextResponseDueAt !== null) {
          const next = startDeadline(settings.calendar, now, settings.targets.nextResponseHours[severity]);
          set.nextResponseDueAt = next.dueAt;
          set.nextResponseAtRiskAt = next.atRiskAt;
        }
        const clock = clockOf({ ...read, ...set });
        Object.assign(set, watchFields(read, read.status, clock, read.pausedAt, read.resolvedAt, settings, now));
      } else if (set.severity !== undefined) {
        delete set.severity;
        delete before.severity;
        delete after.severity;
      }
    }
    const row = await changeCase(tx, read, { ...set, updatedAt: now });
    await appendEvents(tx, [{ caseId: read.id, type: 'fields_changed', ...actorFields(staffActor(viewer)), before, after, at: now }]);
    return caseFor(viewer, row);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The customer's side: replies by email or on the status page, and confirming a resolution

/** Follows a merged duplicate to the case that carries on (a few hops at most). */
async function survivorOf(tx: DbOrTx, row: CaseRow): Promise<CaseRow> {
  let current = row;
  for (let hop = 0; hop < 10 && current.status === 'merged' && current.mergedInto; hop++) current = await readCase(tx, current.mergedInto);
  return current;
}

/**
 * Records a customer's reply. It resumes a case waiting on them and starts the next-response deadline;
 * within the reopen window it reopens a resolved or closed case; after it, a new case linked to this one is
 * opened with the reply. A reply to a merged duplicate goes to the case that carries on. The same dedupeKey
 * (an inbound Message-ID) twice records it once.
 */
export async function recordCustomerReply(
  db: Db,
  input: { caseId: string; body: string; via: 'email' | 'status_page'; dedupeKey?: string },
): Promise<{ caseId: string; reopened: boolean; newCaseId?: string }> {
  const settings = await readComplaintSettings(db);
  return db.transaction(async (tx) => {
    const now = await dbTime(tx);
    const read = await survivorOf(tx, await readCase(tx, input.caseId));
    if (input.dedupeKey) {
      const [seen] = await tx.select({ caseId: complaintEvents.caseId }).from(complaintEvents).where(eq(complaintEvents.dedupeKey, input.dedupeKey));
      if (seen) return { caseId: seen.caseId, reopened: false };
    }
    const replied = (caseId: string): NewCaseEvent => ({
      caseId,
      type: 'customer_replied',
      ...actorFields(customerActor),
      body: input.body,
      public: true,
      after: { via: input.via },
      dedupeKey: input.dedupeKey ?? null,
      at: now,
    });
    const decision = nextState(read, 'customer_reply', { now, by: 'customer', reopenWindowDays: settings.reopenWindowDays, closeAfterDays: settings.closeAfterDays });
    if (decision.ok && decision.effects.includes('linked_case_opened')) {
      const [opened] = await openCases(
        tx,
        [
          {
            source: read.source,
            channel: input.via === 'email' ? 'email' : 'web',
            category: categoryProblem(settings, read.category) ? (settings.categories.find((entry) => !entry.retired)?.key ?? read.category) : read.category,
            description: input.body,
            desiredOutcome: read.desiredOutcome,
            locale: read.locale,
            customerId: read.customerId,
            contactName: read.contactName,
            contactEmail: read.contactEmail,
            contactPhone: read.contactPhone,
            contactConsent: read.contactConsent,
            contactChannel: read.contactChannel,
            surveyId: read.surveyId,
            orderValue: read.orderValue,
            previousCaseId: read.id,
            actor: customerActor,
          },
        ],
        settings,
        now,
      );
      await appendEvents(tx, [replied(opened!.id)]);
      return { caseId: read.id, reopened: false, newCaseId: opened!.id };
    }
    const { effects } = await transitionIn(tx, read, 'customer_reply', customerActor, settings, now);
    await appendEvents(tx, [replied(read.id)]);
    return { caseId: read.id, reopened: effects.includes('reopened') };
  });
}

/** The customer's answer on the status page: resolved (closes it) or not resolved (reopens it within the window). */
export async function confirmByCustomer(db: Db, input: { caseId: string; resolved: boolean; comment?: string }): Promise<void> {
  const settings = await readComplaintSettings(db);
  await withCase(db, input.caseId, async (tx, read, now) => {
    const comment = input.comment?.trim() || null;
    await transitionIn(tx, read, input.resolved ? 'customer_confirm' : 'customer_reject', customerActor, settings, now, { body: comment });
  });
}

/**
 * The customer's "stop contacting me about this case" on the status page: the case's contact consent is
 * withdrawn, with an event the page shows, and its email still waiting in the Outbox is not sent. Replies by
 * email and the follow-up survey check the consent when they go; a second call changes nothing.
 */
export async function withdrawContactByCustomer(db: Db, input: { caseId: string }): Promise<void> {
  await withCase(db, input.caseId, async (tx, read, now) => {
    if (!read.contactConsent) return;
    await changeCase(tx, read, { contactConsent: false, updatedAt: now });
    await appendEvents(tx, [
      { caseId: read.id, type: 'fields_changed', ...actorFields(customerActor), before: { contactConsent: true }, after: { contactConsent: false }, public: true, at: now },
    ]);
    await tx
      .update(outgoingMessages)
      .set({ status: 'skipped', skipReason: 'no_consent', error: null })
      .where(and(like(outgoingMessages.topic, `complaints/${read.id}/%`), inArray(outgoingMessages.status, ['held', 'sending'])));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Macros: saved replies in both languages

const noSuchMacro = () => new DomainError('not_found', bilingual('No such saved reply; it may have been deleted. Reload the list.', '找不到该快捷回复，可能已被删除，请刷新列表。'));

export async function listMacros(db: Db) {
  return db.select().from(complaintMacros).orderBy(asc(complaintMacros.createdAt), asc(complaintMacros.id));
}

export async function createMacro(db: Db, viewer: StaffViewer, input: { name: LocalizedText; body: LocalizedText }) {
  const [row] = await db.insert(complaintMacros).values({ id: randomUUID(), ...input, createdBy: viewer.id }).returning();
  return row!;
}

export async function updateMacro(db: Db, id: string, input: { name: LocalizedText; body: LocalizedText }) {
  const [row] = await db
    .update(complaintMacros)
    .set({ ...input, updatedAt: sql`cast(unixepoch('subsec') * 1000 as integer)` })
    .where(eq(complaintMacros.id, id))
    .returning();
  if (!row) throw noSuchMacro();
  return row;
}

export async function deleteMacro(db: Db, id: string) {
  const rows = await db.delete(complaintMacros).where(eq(complaintMacros.id, id)).returning({ id: complaintMacros.id });
  if (rows.length === 0) throw noSuchMacro();
}
