// Opening cases: however a complaint arrives (a complaint form, a survey answer a loop-closing rule caught,
// an agent, an integration), it becomes a case here, inside the caller's write transaction, so a response
// and the case it opens are stored together or not at all. One batch costs a few statements, whatever its size.
import { randomUUID } from 'node:crypto';
import { and, inArray, sql } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { complaintCases } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { enqueueMany, type DbOrTx } from '../jobs/queue.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { startDeadline, watchAtOf, type CaseClock } from './deadlines.ts';
import { formatReference, newCaseToken } from './reference.ts';
import { severityFor, type ComplaintSettings } from './settings.ts';
import { actorFields, appendEvents, escalateIn, systemActor, type Actor, type CaseRow, type NewCaseEvent } from './store.ts';
import { openCaseStatuses, type CaseChannel, type CaseSeverity, type CaseSource } from './vocabulary.ts';

export interface CaseDraft {
  source: CaseSource;
  channel: CaseChannel;
  /** A key of settings.categories. */
  category: string;
  /** Asked for by whoever opens it; the category and the order value may still make it major. */
  severity?: CaseSeverity;
  description: string;
  desiredOutcome?: string | null;
  locale: 'zh-CN' | 'en';
  customerId?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  contactConsent: boolean;
  contactChannel?: 'email' | 'phone' | 'post' | null;
  responseId?: string | null;
  surveyId?: string | null;
  ruleIds?: string[] | null;
  apiKeyId?: string | null;
  externalId?: string | null;
  orderValue?: number | null;
  /** A case opened when the customer came back after the reopen window points at the earlier one. */
  previousCaseId?: string | null;
  actor: Actor;
}

export interface OpenedCase {
  id: string;
  reference: string;
  statusToken: string;
}

/** The job that queues a case's receipt email once the case is committed (it needs the public address). */
export const receiptJobKind = 'complaints.receipt';

/** Whether a case's customer agreed to hear from us by email about it (the address is checked again at sending). */
export function wantsEmail(draft: Pick<CaseDraft, 'contactConsent' | 'contactChannel' | 'contactEmail' | 'customerId'>): boolean {
  if (!draft.contactConsent) return false;
  if (draft.contactChannel !== undefined && draft.contactChannel !== null && draft.contactChannel !== 'email') return false;
  return Boolean(draft.contactEmail?.trim()) || Boolean(draft.customerId);
}

/** Why a category key cannot open a case, or null when it can. */
export function categoryProblem(settings: Pick<ComplaintSettings, 'categories'>, key: string) {
  const category = settings.categories.find((entry) => entry.key === key);
  if (!category) {
    const keys = settings.categories.filter((entry) => !entry.retired).map((entry) => entry.key).join(', ');
    return bilingual(`There is no complaint category "${key}". Use one of: ${keys}.`, `没有投诉类别“${key}”。可用的类别：${keys}。`);
  }
  if (category.retired) {
    return bilingual(`The complaint category "${key}" is retired; choose another.`, `投诉类别“${key}”已停用，请选择其他类别。`);
  }
  return null;
}

/** The year a case is opened in, in the reporting time zone, for its reference. */
function yearIn(timeZone: string, at: number): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}

function isTransaction(db: DbOrTx): boolean {
  return typeof (db as { rollback?: unknown }).rollback === 'function';
}

/**
 * Opens a case for each draft, in order, inside `tx` (given the database itself, it opens its own
 * transaction). Numbers come from the highest taken, read in the same write transaction: writes take turns,
 * so two processes opening at once never share one (and the unique index would refuse it). Each case gets
 * its reference, two unguessable tokens (status page, replies), its severity, the first-response and
 * resolution deadlines, an `opened` event, and, when the customer agreed to be emailed, a receipt email
 * queued with the status page link. A customer complaining again while an earlier case is open escalates it.
 */
export async function openCases(tx: DbOrTx, drafts: CaseDraft[], settings: ComplaintSettings, now?: number): Promise<OpenedCase[]> {
  if (drafts.length === 0) return [];
  if (!isTransaction(tx)) return (tx as Db).transaction((inner) => openCases(inner, drafts, settings, now));
  for (const draft of drafts) {
    const problem = categoryProblem(settings, draft.category);
    if (problem) throw new DomainError('bad_request', problem, { category: problem });
  }
  const [clock] = await tx.all<{ now: number; top: number }>(
    sql`SELECT cast(unixepoch('subsec') * 1000 as integer) AS now, coalesce(max(${complaintCases.number}), 0) AS top FROM ${complaintCases}`,
  );
  const at = now ?? Number(clock!.now);
  const top = Number(clock!.top);
  const year = yearIn(settings.calendar.timeZone, at);
  const firstResponse = startDeadline(settings.calendar, at, settings.targets.firstResponseHours);

  // Earlier open cases of the same customers, escalated below: they complained again, formally (a survey
  // answer a loop-closing rule caught is not a complaint the customer made).
  const customerIds = [...new Set(drafts.filter((draft) => draft.source !== 'survey_rule').map((draft) => draft.customerId).filter((id): id is string => Boolean(id)))];
  const earlier = customerIds.length
    ? await tx
        .select()
        .from(complaintCases)
        .where(and(inArray(complaintCases.customerId, customerIds), inArray(complaintCases.status, [...openCaseStatuses])))
    : [];

  const rows = drafts.map((draft, index) => {
    const severity = severityFor(settings, { category: draft.category, orderValue: draft.orderValue ?? null, ...(draft.severity ? { asked: draft.severity } : {}) });
    const resolution = startDeadline(settings.calendar, at, settings.targets.resolutionHours[severity]);
    const caseClock: CaseClock = {
      firstResponseDueAt: firstResponse.dueAt,
      firstResponseAtRiskAt: firstResponse.atRiskAt,
      nextResponseDueAt: null,
      nextResponseAtRiskAt: null,
      resolutionDueAt: resolution.dueAt,
      resolutionAtRiskAt: resolution.atRiskAt,
    };
    const number = top + index + 1;
    return {
      id: randomUUID(),
      number,
      reference: formatReference(year, number),
      status: 'new' as const,
      source: draft.source,
      channel: draft.channel,
      category: draft.category,
      severity,
      description: draft.description,
      desiredOutcome: draft.desiredOutcome ?? null,
      locale: draft.locale,
      customerId: draft.customerId ?? null,
      contactName: draft.contactName ?? null,
      contactEmail: draft.contactEmail?.trim() || null,
      contactPhone: draft.contactPhone ?? null,
      contactConsent: draft.contactConsent,
      contactChannel: draft.contactChannel ?? null,
      responseId: draft.responseId ?? null,
      surveyId: draft.surveyId ?? null,
      ruleIds: draft.ruleIds ?? null,
      apiKeyId: draft.apiKeyId ?? null,
      externalId: draft.externalId ?? null,
      orderValue: draft.orderValue ?? null,
      previousCaseId: draft.previousCaseId ?? null,
      ...caseClock,
      watchAt: watchAtOf(caseClock, at),
      statusToken: newCaseToken(),
      replyToken: newCaseToken(),
      openedBy: draft.actor.type === 'staff' ? draft.actor.id : null,
      createdAt: at,
      updatedAt: at,
    } satisfies typeof complaintCases.$inferInsert;
  });
  for (let start = 0; start < rows.length; start += 200) {
    await tx.insert(complaintCases).values(rows.slice(start, start + 200));
  }
  // A known customer's complaint moves their loyalty (no promotion while it is open).
  await markLoyaltyStale(tx, rows.flatMap((row) => (row.customerId ? [row.customerId] : [])), 'case');

  const events: NewCaseEvent[] = rows.map((row, index) => ({
    caseId: row.id,
    type: 'opened',
    ...actorFields(drafts[index]!.actor),
    after: {
      status: row.status,
      source: row.source,
      channel: row.channel,
      category: row.category,
      severity: row.severity,
      ...(row.previousCaseId ? { previousCaseId: row.previousCaseId } : {}),
    },
    public: true,
    at,
  }));
  await appendEvents(tx, events);

  const receipts = rows.filter((_, index) => wantsEmail(drafts[index]!));
  await enqueueMany(
    tx,
    receipts.map((row) => ({ kind: receiptJobKind, payload: { caseId: row.id }, dedupeKey: `${receiptJobKind}:${row.id}` })),
  );

  for (const previous of earlier as CaseRow[]) {
    const again = rows.find((row) => row.customerId === previous.customerId && row.source !== 'survey_rule')!;
    await escalateIn(tx, previous, systemActor, { reason: 'complained_again', at, detail: { caseId: again.id, reference: again.reference } });
  }

  return rows.map((row) => ({ id: row.id, reference: row.reference, statusToken: row.statusToken }));
}
