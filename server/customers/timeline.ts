// A customer's timeline: purchases, responses, invitations, messages, calls and follow-ups, complaint cases and
// their resolutions, exports of their data, and the moves of their loyalty stage, tier, at-risk flag and churn, newest first, a page at a
// time. Each source is read through its (customer, time) index from the cursor down and stops after a page's
// worth of rows, so a customer with thousands of purchases costs a page, not the whole history.
//
//   customerTimeline(db, { customerId, before?, limit, withResponses }) → { items, nextBefore }
//   timelineQueries(db, customerId, cursor, limit, withResponses)      the queries themselves (the tests explain them)
import { and, desc, eq, isNotNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import {
  callAttempts,
  campaignInvitations,
  campaigns,
  complaintCases,
  customers,
  followUps,
  loyaltyChanges,
  outgoingMessages,
  privacyRequests,
  purchases,
  responses,
  surveyVersions,
  users,
} from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { amountOf } from './loyalty-view.ts';

/** The sources, in the order items of the same millisecond are listed (the rank is part of the cursor). */
export const timelineSources = ['loyalty', 'purchase', 'case_resolved', 'case', 'response', 'invitation', 'message', 'call', 'follow_up', 'data_request'] as const;
export type TimelineSource = (typeof timelineSources)[number];

/** Where a page ends: the last item's time, its source's rank and its row id. */
export interface TimelineCursor {
  at: number;
  rank: number;
  rowid: number;
}

/** "<time>_<rank>_<rowid>", as nextBefore gives it; null when it is not one. */
export function parseTimelineCursor(text: string | undefined): TimelineCursor | null {
  const found = text?.match(/^(\d{1,15})_(\d)_(\d{1,18})$/);
  if (!found) return null;
  const rank = Number(found[2]);
  return rank < timelineSources.length ? { at: Number(found[1]), rank, rowid: Number(found[3]) } : null;
}

export const formatTimelineCursor = (cursor: TimelineCursor) => `${cursor.at}_${cursor.rank}_${cursor.rowid}`;

/**
 * The rows of a source that come after the cursor, in the order at DESC, rank ASC, rowid DESC. Written as a
 * range on the time (at <= t) so the source's (customer, time) index serves it.
 */
function belowCursor(time: SQLiteColumn, rowid: SQL, rank: number, cursor: TimelineCursor | null): SQL | undefined {
  if (!cursor) return undefined;
  if (rank < cursor.rank) return lt(time, cursor.at);
  if (rank > cursor.rank) return lte(time, cursor.at);
  return and(lte(time, cursor.at), or(lt(time, cursor.at), sql`${rowid} < ${cursor.rowid}`));
}

const rankOf = (source: TimelineSource) => timelineSources.indexOf(source);
const rowidOf = (table: string) => sql<number>`${sql.identifier(table)}.rowid`;
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** The query of every source, each newest first from the cursor, limited to `limit` rows. */
export function timelineQueries(db: Db, customerId: string, cursor: TimelineCursor | null, limit: number, withResponses: boolean) {
  const page = <T extends { limit: (n: number) => unknown }>(query: T) => query.limit(limit) as ReturnType<T['limit']>;
  const loyaltyRowid = rowidOf('loyalty_changes');
  const purchaseRowid = rowidOf('purchases');
  const caseRowid = rowidOf('complaint_cases');
  const responseRowid = rowidOf('responses');
  const invitationRowid = rowidOf('campaign_invitations');
  const messageRowid = rowidOf('outgoing_messages');
  const callRowid = rowidOf('call_attempts');
  const followUpRowid = rowidOf('follow_ups');
  const requestRowid = rowidOf('privacy_requests');
  return {
    loyalty: page(
      db
        .select({ rowid: loyaltyRowid, at: loyaltyChanges.at, field: loyaltyChanges.field, before: loyaltyChanges.before, after: loyaltyChanges.after, cause: loyaltyChanges.cause, reasons: loyaltyChanges.reasons })
        .from(loyaltyChanges)
        .where(and(eq(loyaltyChanges.customerId, customerId), belowCursor(loyaltyChanges.at, loyaltyRowid, rankOf('loyalty'), cursor)))
        .orderBy(desc(loyaltyChanges.at), desc(loyaltyRowid)),
    ),
    purchase: page(
      db
        .select({
          rowid: purchaseRowid,
          at: purchases.occurredAt,
          orderId: purchases.orderId,
          refundOf: purchases.refundOf,
          amountMinor: purchases.amountMinor,
          currency: purchases.currency,
          channel: purchases.channel,
          source: purchases.source,
        })
        .from(purchases)
        .where(and(eq(purchases.customerId, customerId), belowCursor(purchases.occurredAt, purchaseRowid, rankOf('purchase'), cursor)))
        .orderBy(desc(purchases.occurredAt), desc(purchaseRowid)),
    ),
    case_resolved: page(
      db
        .select({
          rowid: caseRowid,
          at: complaintCases.resolvedAt,
          caseId: complaintCases.id,
          reference: complaintCases.reference,
          severity: complaintCases.severity,
          status: complaintCases.status,
          outcome: complaintCases.outcome,
          customerLeft: complaintCases.customerLeft,
        })
        .from(complaintCases)
        .where(
          and(
            eq(complaintCases.customerId, customerId),
            isNotNull(complaintCases.resolvedAt),
            belowCursor(complaintCases.resolvedAt, caseRowid, rankOf('case_resolved'), cursor),
          ),
        )
        .orderBy(desc(complaintCases.resolvedAt), desc(caseRowid)),
    ),
    case: page(
      db
        .select({
          rowid: caseRowid,
          at: complaintCases.createdAt,
          caseId: complaintCases.id,
          reference: complaintCases.reference,
          category: complaintCases.category,
          channel: complaintCases.channel,
          severity: complaintCases.severity,
          status: complaintCases.status,
          outcome: complaintCases.outcome,
        })
        .from(complaintCases)
        .where(and(eq(complaintCases.customerId, customerId), belowCursor(complaintCases.createdAt, caseRowid, rankOf('case'), cursor)))
        .orderBy(desc(complaintCases.createdAt), desc(caseRowid)),
    ),
    response: withResponses
      ? page(
          db
            .select({
              rowid: responseRowid,
              at: responses.submittedAt,
              responseId: responses.id,
              surveyId: responses.surveyId,
              surveyTitle: sql<LocalizedText>`json_extract(${surveyVersions.definition}, '$.title')`.mapWith((title: string) => JSON.parse(title) as LocalizedText),
              channel: responses.channel,
            })
            .from(responses)
            .innerJoin(surveyVersions, eq(surveyVersions.id, responses.versionId))
            .where(and(eq(responses.customerId, customerId), belowCursor(responses.submittedAt, responseRowid, rankOf('response'), cursor)))
            .orderBy(desc(responses.submittedAt), desc(responseRowid)),
        )
      : null,
    invitation: page(
      db
        .select({
          rowid: invitationRowid,
          at: campaignInvitations.invitedAt,
          invitationId: campaignInvitations.id,
          campaignId: campaignInvitations.campaignId,
          campaignName: campaigns.name,
          delivery: campaignInvitations.delivery,
          skipReason: campaignInvitations.skipReason,
          completedAt: campaignInvitations.completedAt,
        })
        .from(campaignInvitations)
        .innerJoin(campaigns, eq(campaigns.id, campaignInvitations.campaignId))
        .where(and(eq(campaignInvitations.customerId, customerId), belowCursor(campaignInvitations.invitedAt, invitationRowid, rankOf('invitation'), cursor)))
        .orderBy(desc(campaignInvitations.invitedAt), desc(invitationRowid)),
    ),
    message: page(
      db
        .select({
          rowid: messageRowid,
          at: outgoingMessages.createdAt,
          messageId: outgoingMessages.id,
          subject: outgoingMessages.subject,
          status: outgoingMessages.status,
          skipReason: outgoingMessages.skipReason,
          purpose: outgoingMessages.purpose,
          sentAt: outgoingMessages.sentAt,
        })
        .from(outgoingMessages)
        .where(and(eq(outgoingMessages.customerId, customerId), belowCursor(outgoingMessages.createdAt, messageRowid, rankOf('message'), cursor)))
        .orderBy(desc(outgoingMessages.createdAt), desc(messageRowid)),
    ),
    // Calls hang off the customer's invitations (a handful per customer): read through both indexes, then sorted.
    call: page(
      db
        .select({
          rowid: callRowid,
          at: callAttempts.at,
          outcome: callAttempts.outcome,
          campaignId: campaignInvitations.campaignId,
          campaignName: campaigns.name,
          interviewerName: users.name,
        })
        .from(campaignInvitations)
        .innerJoin(callAttempts, eq(callAttempts.invitationId, campaignInvitations.id))
        .innerJoin(campaigns, eq(campaigns.id, campaignInvitations.campaignId))
        .leftJoin(users, eq(users.id, callAttempts.interviewerId))
        .where(and(eq(campaignInvitations.customerId, customerId), belowCursor(callAttempts.at, callRowid, rankOf('call'), cursor)))
        .orderBy(desc(callAttempts.at), desc(callRowid)),
    ),
    follow_up: page(
      db
        .select({
          rowid: followUpRowid,
          at: followUps.createdAt,
          followUpKind: followUps.kind,
          channel: followUps.channel,
          status: followUps.status,
          skipReason: followUps.skipReason,
          outcome: followUps.outcome,
          dueAt: followUps.dueAt,
          assigneeName: users.name,
        })
        .from(followUps)
        .leftJoin(users, eq(users.id, followUps.assigneeId))
        .where(and(eq(followUps.customerId, customerId), belowCursor(followUps.createdAt, followUpRowid, rankOf('follow_up'), cursor)))
        .orderBy(desc(followUps.createdAt), desc(followUpRowid)),
    ),
    // Exports and erasures of the customer's data (privacy/), with who asked.
    data_request: page(
      db
        .select({ rowid: requestRowid, at: privacyRequests.at, requestKind: privacyRequests.kind, format: privacyRequests.format, actorName: privacyRequests.actorName })
        .from(privacyRequests)
        .where(and(eq(privacyRequests.customerId, customerId), belowCursor(privacyRequests.at, requestRowid, rankOf('data_request'), cursor)))
        .orderBy(desc(privacyRequests.at), desc(requestRowid)),
    ),
  };
}

type Queries = ReturnType<typeof timelineQueries>;
type Row<K extends TimelineSource> = Awaited<NonNullable<Queries[K]>>[number];

/** One entry of the timeline: what happened, when, and the cursor key that places it. */
export type TimelineItem = { at: string; key: string } & (
  | { kind: 'loyalty'; field: Row<'loyalty'>['field']; before: string | null; after: string | null; cause: Row<'loyalty'>['cause']; reasons: string[] }
  | { kind: 'purchase'; orderId: string; refundOf: string | null; amount: string; currency: string; channel: string | null; source: Row<'purchase'>['source'] }
  | { kind: 'case_resolved'; caseId: string; reference: string; severity: Row<'case'>['severity']; status: Row<'case'>['status']; outcome: Row<'case'>['outcome']; customerLeft: boolean }
  | { kind: 'case'; caseId: string; reference: string; category: string; channel: Row<'case'>['channel']; severity: Row<'case'>['severity']; status: Row<'case'>['status']; outcome: Row<'case'>['outcome'] }
  | { kind: 'response'; responseId: string; surveyId: string; surveyTitle: LocalizedText; channel: Row<'response'>['channel'] }
  | { kind: 'invitation'; invitationId: string; campaignId: string; campaignName: string; delivery: Row<'invitation'>['delivery']; skipReason: Row<'invitation'>['skipReason']; completedAt: string | null }
  | { kind: 'message'; messageId: string; subject: string; status: Row<'message'>['status']; skipReason: Row<'message'>['skipReason']; purpose: Row<'message'>['purpose']; sentAt: string | null }
  | { kind: 'call'; outcome: Row<'call'>['outcome']; campaignId: string; campaignName: string; interviewerName: string | null }
  | {
      kind: 'follow_up';
      followUpKind: Row<'follow_up'>['followUpKind'];
      channel: Row<'follow_up'>['channel'];
      status: Row<'follow_up'>['status'];
      skipReason: Row<'follow_up'>['skipReason'];
      outcome: Row<'follow_up'>['outcome'];
      dueAt: string;
      assigneeName: string | null;
    }
  | { kind: 'data_request'; requestKind: Row<'data_request'>['requestKind']; format: Row<'data_request'>['format']; actorName: string | null }
);

interface Placed {
  cursor: TimelineCursor;
  item: TimelineItem;
}

function placed(source: TimelineSource, row: { rowid: number; at: number | null }, item: Record<string, unknown>): Placed {
  const cursor = { at: row.at!, rank: rankOf(source), rowid: row.rowid };
  const { rowid: _rowid, at: _at, ...fields } = item;
  return { cursor, item: { kind: source, at: iso(row.at)!, key: formatTimelineCursor(cursor), ...fields } as TimelineItem };
}

/** Newest first; of two at the same time, the lower rank, then the higher row id. */
const newestFirst = (a: Placed, b: Placed) => b.cursor.at - a.cursor.at || a.cursor.rank - b.cursor.rank || b.cursor.rowid - a.cursor.rowid;

/**
 * A page of the customer's timeline below `before` (a previous page's nextBefore). Responses are left out for
 * readers who may not read answers (support agents: see customers/routes.ts).
 */
export async function customerTimeline(db: Db, input: { customerId: string; before?: string | undefined; limit: number; withResponses: boolean }) {
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
  if (!customer) throw new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));
  const cursor = parseTimelineCursor(input.before);
  const queries = timelineQueries(db, input.customerId, cursor, input.limit + 1, input.withResponses);
  const [loyalty, bought, resolved, opened, answered, invited, messages, calls, followed, requested] = await Promise.all([
    queries.loyalty,
    queries.purchase,
    queries.case_resolved,
    queries.case,
    queries.response ?? Promise.resolve([]),
    queries.invitation,
    queries.message,
    queries.call,
    queries.follow_up,
    queries.data_request,
  ]);
  const all: Placed[] = [
    ...loyalty.map((row) => placed('loyalty', row, row)),
    ...bought.map(({ amountMinor, ...row }) => placed('purchase', row, { ...row, amount: amountOf(amountMinor, row.currency) })),
    ...resolved.map((row) => placed('case_resolved', row, row)),
    ...opened.map((row) => placed('case', row, row)),
    ...answered.map((row) => placed('response', row, row)),
    ...invited.map((row) => placed('invitation', row, { ...row, completedAt: iso(row.completedAt) })),
    ...messages.map((row) => placed('message', row, { ...row, sentAt: iso(row.sentAt) })),
    ...calls.map((row) => placed('call', row, row)),
    ...followed.map((row) => placed('follow_up', row, { ...row, dueAt: iso(row.dueAt) })),
    ...requested.map((row) => placed('data_request', row, row)),
  ].sort(newestFirst);
  const page = all.slice(0, input.limit);
  return {
    items: page.map((entry) => entry.item),
    nextBefore: all.length > input.limit && page.length > 0 ? formatTimelineCursor(page.at(-1)!.cursor) : null,
  };
}
export type TimelinePage = Awaited<ReturnType<typeof customerTimeline>>;
