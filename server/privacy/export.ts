// Everything about one customer, as one JSON document and as CSVs in a zip (GDPR Art. 15 and 20, PIPL Art.
// 45): the record, consents and their history, responses with their questions, invitations, calls and mail,
// complaint cases with their history, purchases, loyalty and its moves, follow-ups, and the customer's earlier
// exports and erasures. Each part is read through its (customer, …) index; the request itself is recorded.
//
//   exportCustomer(db, customerId)               → CustomerExport
//   exportZip(document)                          → the zip's bytes, one CSV per part and the whole JSON
//   recordExport(db, customerId, format, actor)  the export, on the customer's history
import { asc, eq, inArray } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import type { LocalizedText } from '../../surveys/definition.ts';
import { answerLabel } from '../../surveys/answers.ts';
import type { Db } from '../db/client.ts';
import {
  callAttempts,
  campaignInvitations,
  campaigns,
  complaintCases,
  complaintEvents,
  consentChanges,
  customerLoyalty,
  followUps,
  integrationEvents,
  loyaltyChanges,
  outgoingMessages,
  privacyRequests,
  purchases,
  responses,
  surveyVersions,
  users,
  type exportFormats,
} from '../db/schema.ts';
import { csvLine } from '../customers/csv.ts';
import { getCustomer } from '../customers/service.ts';
import { catalogue } from './catalogue.ts';
import { readRetentionSettings } from './retention.ts';
import { retentionActions, retentionKinds } from './retention-rules.ts';

export type ExportFormat = (typeof exportFormats)[number];

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** Epoch-ms columns of a row turned into ISO times, so a person can read the document. */
function withTimes<T extends Record<string, unknown>>(row: T, timeColumns: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const column of timeColumns) if (typeof out[column] === 'number' || out[column] === null) out[column] = iso(out[column] as number | null);
  return out as T;
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

export async function exportCustomer(db: Db, customerId: string) {
  const customer = await getCustomer(db, customerId);
  const retention = await readRetentionSettings(db);
  const [consentRows, responseRows, invitationRows, callRows, messageRows, caseRows, purchaseRows, loyaltyRows, moveRows, followUpRows, eventRows, requestRows] =
    await Promise.all([
      db
        .select({
          fact: consentChanges.fact,
          oldValue: consentChanges.oldValue,
          newValue: consentChanges.newValue,
          source: consentChanges.source,
          customerRequest: consentChanges.customerRequest,
          actorName: consentChanges.actorName,
          note: consentChanges.note,
          changedAt: consentChanges.changedAt,
        })
        .from(consentChanges)
        .where(eq(consentChanges.customerId, customerId))
        .orderBy(asc(consentChanges.id)),
      db
        .select({
          id: responses.id,
          versionId: responses.versionId,
          channel: responses.channel,
          locale: responses.locale,
          answers: responses.answers,
          startedAt: responses.startedAt,
          submittedAt: responses.submittedAt,
          campaignId: responses.campaignId,
          hiddenFields: responses.hiddenFields,
        })
        .from(responses)
        .where(eq(responses.customerId, customerId))
        .orderBy(asc(responses.submittedAt), asc(responses.id)),
      db
        .select({
          id: campaignInvitations.id,
          campaign: campaigns.name,
          delivery: campaignInvitations.delivery,
          skipReason: campaignInvitations.skipReason,
          locale: campaignInvitations.locale,
          invitedAt: campaignInvitations.invitedAt,
          deliveredAt: campaignInvitations.deliveredAt,
          openedAt: campaignInvitations.openedAt,
          startedAt: campaignInvitations.startedAt,
          completedAt: campaignInvitations.completedAt,
          remindersSent: campaignInvitations.remindersSent,
          unsubscribedAt: campaignInvitations.unsubscribedAt,
          callAttempts: campaignInvitations.callAttempts,
        })
        .from(campaignInvitations)
        .innerJoin(campaigns, eq(campaigns.id, campaignInvitations.campaignId))
        .where(eq(campaignInvitations.customerId, customerId))
        .orderBy(asc(campaignInvitations.invitedAt)),
      db
        .select({ invitationId: callAttempts.invitationId, outcome: callAttempts.outcome, callbackAt: callAttempts.callbackAt, note: callAttempts.note, interviewer: users.name, at: callAttempts.at })
        .from(campaignInvitations)
        .innerJoin(callAttempts, eq(callAttempts.invitationId, campaignInvitations.id))
        .leftJoin(users, eq(users.id, callAttempts.interviewerId))
        .where(eq(campaignInvitations.customerId, customerId))
        .orderBy(asc(callAttempts.at)),
      db
        .select({
          id: outgoingMessages.id,
          toAddress: outgoingMessages.toAddress,
          subject: outgoingMessages.subject,
          text: outgoingMessages.text,
          purpose: outgoingMessages.purpose,
          status: outgoingMessages.status,
          skipReason: outgoingMessages.skipReason,
          createdAt: outgoingMessages.createdAt,
          sentAt: outgoingMessages.sentAt,
        })
        .from(outgoingMessages)
        .where(eq(outgoingMessages.customerId, customerId))
        .orderBy(asc(outgoingMessages.createdAt)),
      db
        .select({
          id: complaintCases.id,
          reference: complaintCases.reference,
          status: complaintCases.status,
          source: complaintCases.source,
          channel: complaintCases.channel,
          category: complaintCases.category,
          severity: complaintCases.severity,
          description: complaintCases.description,
          desiredOutcome: complaintCases.desiredOutcome,
          contactName: complaintCases.contactName,
          contactEmail: complaintCases.contactEmail,
          contactPhone: complaintCases.contactPhone,
          contactConsent: complaintCases.contactConsent,
          outcome: complaintCases.outcome,
          customerConfirmed: complaintCases.customerConfirmed,
          handlingScore: complaintCases.handlingScore,
          resolvedAnswer: complaintCases.resolvedAnswer,
          buyAgainScore: complaintCases.buyAgainScore,
          createdAt: complaintCases.createdAt,
          firstRespondedAt: complaintCases.firstRespondedAt,
          resolvedAt: complaintCases.resolvedAt,
          closedAt: complaintCases.closedAt,
        })
        .from(complaintCases)
        .where(eq(complaintCases.customerId, customerId))
        .orderBy(asc(complaintCases.createdAt)),
      db
        .select({
          orderId: purchases.orderId,
          refundOf: purchases.refundOf,
          occurredAt: purchases.occurredAt,
          amountMinor: purchases.amountMinor,
          currency: purchases.currency,
          channel: purchases.channel,
          source: purchases.source,
        })
        .from(purchases)
        .where(eq(purchases.customerId, customerId))
        .orderBy(asc(purchases.occurredAt), asc(purchases.id)),
      db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, customerId)),
      db
        .select({ at: loyaltyChanges.at, field: loyaltyChanges.field, before: loyaltyChanges.before, after: loyaltyChanges.after, cause: loyaltyChanges.cause, reasons: loyaltyChanges.reasons })
        .from(loyaltyChanges)
        .where(eq(loyaltyChanges.customerId, customerId))
        .orderBy(asc(loyaltyChanges.at), asc(loyaltyChanges.id)),
      db
        .select({
          kind: followUps.kind,
          channel: followUps.channel,
          status: followUps.status,
          skipReason: followUps.skipReason,
          outcome: followUps.outcome,
          note: followUps.note,
          dueAt: followUps.dueAt,
          workedAt: followUps.workedAt,
          createdAt: followUps.createdAt,
        })
        .from(followUps)
        .where(eq(followUps.customerId, customerId))
        .orderBy(asc(followUps.createdAt)),
      db
        .select({ type: integrationEvents.type, externalId: integrationEvents.externalId, occurredAt: integrationEvents.occurredAt, status: integrationEvents.status, createdAt: integrationEvents.createdAt })
        .from(integrationEvents)
        .where(eq(integrationEvents.customerId, customerId))
        .orderBy(asc(integrationEvents.occurredAt)),
      db
        .select({ kind: privacyRequests.kind, format: privacyRequests.format, actorName: privacyRequests.actorName, at: privacyRequests.at })
        .from(privacyRequests)
        .where(eq(privacyRequests.customerId, customerId))
        .orderBy(asc(privacyRequests.id)),
    ]);

  // Each survey version's questions once, however many responses answered it.
  const versionIds = [...new Set(responseRows.map((row) => row.versionId))];
  const versions = versionIds.length
    ? await db.select({ id: surveyVersions.id, version: surveyVersions.version, definition: surveyVersions.definition }).from(surveyVersions).where(inArray(surveyVersions.id, versionIds))
    : [];
  const versionById = new Map(versions.map((row) => [row.id, row]));

  const caseIds = caseRows.map((row) => row.id);
  const caseEvents = caseIds.length
    ? await db
        .select({
          caseId: complaintEvents.caseId,
          type: complaintEvents.type,
          actor: complaintEvents.actor,
          actorName: complaintEvents.actorName,
          body: complaintEvents.body,
          public: complaintEvents.public,
          before: complaintEvents.before,
          after: complaintEvents.after,
          at: complaintEvents.at,
        })
        .from(complaintEvents)
        .where(inArray(complaintEvents.caseId, caseIds))
        .orderBy(asc(complaintEvents.caseId), asc(complaintEvents.id))
    : [];
  const eventsByCase = groupBy(caseEvents, (event) => event.caseId);
  const callsByInvitation = groupBy(callRows, (call) => call.invitationId);

  const { consents, ...profile } = customer;
  return {
    exportedAt: new Date().toISOString(),
    customer: profile,
    consents,
    consentHistory: consentRows.map((row) => withTimes(row, ['changedAt'])),
    responses: responseRows.map(({ versionId, answers, ...row }) => {
      const version = versionById.get(versionId);
      const questions = version?.definition.questions ?? [];
      return {
        ...withTimes(row, ['startedAt', 'submittedAt']),
        survey: (version?.definition.title ?? null) as LocalizedText | null,
        surveyVersion: version?.version ?? null,
        answers: questions
          .filter((question) => answers[question.id] !== undefined)
          .map((question) => ({
            questionId: question.id,
            question: question.title,
            answer: answers[question.id],
            label: { en: answerLabel(question, answers[question.id], 'en'), 'zh-CN': answerLabel(question, answers[question.id], 'zh-CN') },
          })),
      };
    }),
    invitations: invitationRows.map((row) => ({
      ...withTimes(row, ['invitedAt', 'deliveredAt', 'openedAt', 'startedAt', 'completedAt', 'unsubscribedAt']),
      calls: (callsByInvitation.get(row.id) ?? []).map(({ invitationId: _id, ...call }) => withTimes(call, ['callbackAt', 'at'])),
    })),
    messages: messageRows.map((row) => withTimes(row, ['createdAt', 'sentAt'])),
    cases: caseRows.map((row) => ({
      ...withTimes(row, ['createdAt', 'firstRespondedAt', 'resolvedAt', 'closedAt']),
      events: (eventsByCase.get(row.id) ?? []).map(({ caseId: _id, ...event }) => withTimes(event, ['at'])),
    })),
    purchases: purchaseRows.map((row) => withTimes(row, ['occurredAt'])),
    loyalty: loyaltyRows[0]
      ? withTimes(
          (({ customerId: _id, ...rest }) => rest)(loyaltyRows[0]),
          ['stageSince', 'regularSince', 'churnedAt', 'firstPurchaseAt', 'lastPurchaseAt', 'computedAt'],
        )
      : null,
    loyaltyChanges: moveRows.map((row) => withTimes(row, ['at'])),
    followUps: followUpRows.map((row) => withTimes(row, ['dueAt', 'workedAt', 'createdAt'])),
    integrationEvents: eventRows.map((row) => withTimes(row, ['occurredAt', 'createdAt'])),
    dataRequests: requestRows.map((row) => withTimes(row, ['at'])),
    /** Where this data is kept and why (server/privacy/catalogue.ts). */
    purposes: Object.fromEntries(catalogue.map((entry) => [entry.table, entry.purpose])),
    /**
     * How long each kind of data is kept (GDPR Art. 15(1)(d)), as the admins set it (privacy/retention.ts), and
     * what happens to it then: made anonymous, or erased. "keep": no period.
     */
    storagePeriods: retentionKinds.map((kind) => ({ kind, ...retention[kind], afterwards: retentionActions[kind] })),
  };
}
export type CustomerExport = Awaited<ReturnType<typeof exportCustomer>>;

/** A cell of a CSV: objects (localized texts, answers, lists) as JSON, nothing as empty. */
function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Rows of objects as one CSV, the columns the union of their keys in first-seen order. */
export function tableCsv(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  // A UTF-8 byte order mark, so spreadsheet programs read Chinese text as it is.
  return '\uFEFF' + csvLine(columns) + rows.map((row) => csvLine(columns.map((column) => cell(row[column])))).join('');
}

/** The CSV files of an export, by file name. */
export function exportCsvFiles(document: CustomerExport): Record<string, string> {
  const { responses: answered, invitations, cases } = document;
  return {
    'customer.csv': tableCsv([{ ...document.customer, consents: document.consents }]),
    'consent_history.csv': tableCsv(document.consentHistory),
    'responses.csv': tableCsv(answered.map(({ answers: _answers, ...row }) => row)),
    'answers.csv': tableCsv(
      answered.flatMap((response) =>
        response.answers.map((answer) => ({
          responseId: response.id,
          submittedAt: response.submittedAt,
          questionId: answer.questionId,
          questionEn: answer.question.en,
          questionZh: answer.question['zh-CN'],
          answer: answer.answer,
          labelEn: answer.label.en,
          labelZh: answer.label['zh-CN'],
        })),
      ),
    ),
    'invitations.csv': tableCsv(invitations.map(({ calls: _calls, ...row }) => row)),
    'calls.csv': tableCsv(invitations.flatMap((invitation) => invitation.calls.map((call) => ({ invitationId: invitation.id, ...call })))),
    'messages.csv': tableCsv(document.messages),
    'cases.csv': tableCsv(cases.map(({ events: _events, ...row }) => row)),
    'case_events.csv': tableCsv(cases.flatMap((complaint) => complaint.events.map((event) => ({ reference: complaint.reference, ...event })))),
    'purchases.csv': tableCsv(document.purchases),
    'loyalty.csv': tableCsv(document.loyalty ? [document.loyalty] : []),
    'loyalty_changes.csv': tableCsv(document.loyaltyChanges),
    'follow_ups.csv': tableCsv(document.followUps),
    'integration_events.csv': tableCsv(document.integrationEvents),
    'data_requests.csv': tableCsv(document.dataRequests),
    'storage_periods.csv': tableCsv(document.storagePeriods),
  };
}

/** The zip: one CSV per part, and the whole document as JSON beside them. */
export function exportZip(document: CustomerExport): Uint8Array {
  const files = Object.fromEntries(Object.entries(exportCsvFiles(document)).map(([name, text]) => [name, strToU8(text)]));
  files['customer.json'] = strToU8(JSON.stringify(document, null, 2));
  return zipSync(files, { level: 6 });
}

export async function recordExport(db: Db, customerId: string, format: ExportFormat, actor: { id: string; name: string }) {
  await db.insert(privacyRequests).values({ customerId, kind: 'export', format, actorId: actor.id, actorName: actor.name });
}
