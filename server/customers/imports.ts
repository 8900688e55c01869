// CSV imports of customers. The file is read as it arrives, a batch of rows at a time: each batch is matched,
// written and counted in one transaction, and every rejected row is kept with its reason, so memory stays
// flat for any size of file and the progress in the database is always true.
import { randomUUID } from 'node:crypto';
import type { InStatement, InValue, Transaction } from '@libsql/client';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { pageAfterRow } from '../db/paging.ts';
import { customerImportConsentKept, customerImportRejections, customerImports, customers } from '../db/schema.ts';
import { decideConsent, factValue, initialChanges, stateOf, withdrawnByCustomer, type ConsentState } from './consent.ts';
import { changeRows, changesStatement, keptReason, latestChangesOf, latestChangesStatement } from './consent-history.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { listOwners, tierChange } from './service.ts';
import type { CsvDelimiter, CsvEncoding } from './csv.ts';
import { columnName } from '../imports/mapping.ts';
import { claimImport, endImport, insertImport, rejectionPage } from '../imports/store.ts';
import { alreadyReceived, checkMapping, notFound, readUpload, rejectionCsv, runUpload, importView, type BatchEntry, type ImportWords, type UploadTotals } from '../imports/upload.ts';
import {
  cellProblem,
  mappingProblems,
  proposeMapping,
  readRow,
  rejectionReason,
  type ColumnMapping,
  type CustomerPatch,
  type ImportField,
} from './rules.ts';
import type { ConsentFact, Consents, CustomerTier } from './vocabulary.ts';
import { erasedAmong, erasedCustomerText } from '../privacy/erasure.ts';

/** Rows written per transaction. */
const batchRows = 500;

const words: ImportWords = {
  retry: bilingual('Import the file again; rows already imported are updated, not added twice.', '请重新导入该文件；已导入的行会被更新，不会重复添加。'),
  empty: bilingual('The file is empty: it needs a header row and at least one customer.', '文件为空：需要一行表头和至少一位客户。'),
};

type ImportRow = typeof customerImports.$inferSelect;

function toImport(row: ImportRow) {
  const rows = {
    read: row.rowsRead,
    created: row.rowsCreated,
    updated: row.rowsUpdated,
    rejected: row.rowsRejected,
    blank: row.rowsBlank,
    consentKept: row.rowsConsentKept,
  };
  return importView(row, words, rows);
}
export type CustomerImport = ReturnType<typeof toImport>;

export interface ImportSettings {
  fileName: string;
  sizeBytes: number;
  /** Detected from the file when not given. */
  encoding?: CsvEncoding | undefined;
  delimiter?: CsvDelimiter | undefined;
  /** Proposed from the header when not given. */
  mapping?: ColumnMapping | undefined;
}

/** Records an import waiting for its file. */
export async function createImport(db: Db, input: ImportSettings & { createdBy: string }): Promise<CustomerImport> {
  return getImport(db, await insertImport(db, customerImports, input));
}

export async function getImport(db: Db, id: string): Promise<CustomerImport> {
  const [row] = await db.select().from(customerImports).where(eq(customerImports.id, id));
  if (!row) throw notFound();
  return toImport(row);
}

/** Rejected rows in file order, a page at a time after the row number `after`. */
export async function listRejections(db: Db, input: { importId: string; after: number; limit: number }) {
  await getImport(db, input.importId);
  return rejectionPage(db, customerImportRejections, input);
}

/**
 * The rows that asked to give back consent the customer had withdrawn themselves, in file order, a page at a
 * time after the row number `after`: the rest of each row was imported, that consent stayed withdrawn.
 */
export async function listConsentKept(db: Db, input: { importId: string; after: number; limit: number }) {
  await getImport(db, input.importId);
  const rows = await db
    .select({
      rowNumber: customerImportConsentKept.rowNumber,
      customerId: customerImportConsentKept.customerId,
      customerName: customers.name,
      facts: customerImportConsentKept.facts,
    })
    .from(customerImportConsentKept)
    .innerJoin(customers, eq(customers.id, customerImportConsentKept.customerId))
    .where(and(eq(customerImportConsentKept.importId, input.importId), gt(customerImportConsentKept.rowNumber, input.after)))
    .orderBy(asc(customerImportConsentKept.rowNumber))
    .limit(input.limit + 1);
  const { page, nextAfter } = pageAfterRow(rows, input.limit);
  return { rows: page.map((row) => ({ ...row, reasons: row.facts.map(keptReason) })), nextAfter };
}

/**
 * The rejected rows as CSV: the row number, the reason in the reader's language, then the row's cells under the
 * file's own header, so the file can be corrected and imported again.
 */
export async function rejectionReport(db: Db, input: { importId: string; locale: Locale }): Promise<ReadableStream<Uint8Array>> {
  const found = await getImport(db, input.importId);
  return rejectionCsv(found.header, input.locale, (after) => listRejections(db, { importId: input.importId, after, limit: 1000 }));
}

type CustomerEntry = BatchEntry<ReturnType<typeof readRow>>;

interface Totals extends UploadTotals {
  created: number;
  updated: number;
  consentKept: number;
}

/**
 * Reads the uploaded file of a waiting import to its end: every row is imported, or rejected with its reason.
 * Only one upload is taken per import, whichever process receives it.
 */
export async function receiveFile(
  db: Db,
  input: { id: string; body: ReadableStream<Uint8Array>; maxBytes: number; declaredBytes?: number | undefined },
): Promise<CustomerImport> {
  const row = await claimImport(db, customerImports, input);
  if (!row) {
    await getImport(db, input.id);
    throw alreadyReceived();
  }
  const totals: Totals = { processedBytes: 0, read: 0, created: 0, updated: 0, rejected: 0, blank: 0, consentKept: 0 };
  let owners: Map<string, string> | null = null;
  await runUpload(
    words,
    () =>
      readUpload(
        {
          batchRows,
          words,
          settle: (header, found) => settle(db, row, header, found),
          readRow,
          writeBatch: async (file, batch) => {
            owners ??= await ownersByEmail(db);
            await writeBatch(db, { id: row.id, fileName: row.fileName }, { header: file.header, mapping: file.mapping ?? [], owners }, batch, totals);
          },
        },
        { encoding: row.encoding, delimiter: row.delimiter, body: input.body, maxBytes: input.maxBytes },
        totals,
      ),
    (ending) => endImport(db, customerImports, row.id, ending),
  );
  return getImport(db, row.id);
}

/** Once the header is read: the mapping to use (given, or proposed from the header), checked and recorded. */
async function settle(db: Db, row: ImportRow, header: string[], found: { encoding: CsvEncoding; delimiter: CsvDelimiter }) {
  const mapping = row.mapping ? (row.mapping as ColumnMapping) : proposeMapping(header);
  await db
    .update(customerImports)
    .set({ header, mapping, encoding: found.encoding, delimiter: found.delimiter, updatedAt: Date.now() })
    .where(eq(customerImports.id, row.id));
  checkMapping(mappingProblems(mapping, header.length));
  return mapping;
}

/** A customer as far as matching needs to know it. */
interface Known {
  id: string;
  externalId: string | null;
  email: string | null;
  kind: string;
  name: string | null;
  contactName: string | null;
  /** Its tier, and whether it was set by hand, as the rows of this batch leave them so far. */
  tier: CustomerTier;
  tierSetByHand: boolean;
  /** Its consent fields as the rows of this batch leave them so far. */
  consent: ConsentState;
}

const customerColumns = [
  'external_id', 'kind', 'name', 'contact_name', 'email', 'phone', 'postal_address', 'locale', 'time_zone',
  'region', 'segment', 'industry', 'tier', 'owner_id',
] as const;
/** Fields the table never leaves empty: in an update, '' stands for "not given". */
const requiredKeys = new Set<keyof CustomerPatch>(['kind', 'name', 'locale', 'timeZone', 'tier']);
const patchKeys = [
  'externalId', 'kind', 'name', 'contactName', 'email', 'phone', 'postalAddress', 'locale', 'timeZone',
  'region', 'segment', 'industry', 'tier',
] as const satisfies readonly (keyof CustomerPatch)[];

const upsertColumnCount = customerColumns.length + 8;

/**
 * One statement for a whole batch, new customers and updates alike, applied in row order: a row for an existing
 * id updates it. In an update, a field the row does not give arrives as '' (text) or NULL (optional text), and
 * keeps what the customer has. The consent fields arrive whole, as the consent rule decided them. A tier the row
 * gives is set by hand (tier_set_by_hand 1); a row without one leaves the mark as it was.
 */
const upsertSql = (rows: number) => `INSERT INTO customers (id, ${customerColumns.join(', ')}, consents, do_not_contact, do_not_call, objects_to_profiling, tier_set_by_hand, created_at, updated_at)
  VALUES ${Array.from({ length: rows }, () => `(${Array.from({ length: upsertColumnCount }, () => '?').join(', ')})`).join(', ')}
  ON CONFLICT (id) DO UPDATE SET
  ${customerColumns.map((column) => `${column} = coalesce(nullif(excluded.${column}, ''), customers.${column})`).join(', ')},
  consents = excluded.consents,
  do_not_contact = excluded.do_not_contact,
  do_not_call = excluded.do_not_call,
  objects_to_profiling = excluded.objects_to_profiling,
  tier_set_by_hand = max(excluded.tier_set_by_hand, customers.tier_set_by_hand),
  updated_at = excluded.updated_at`;

const noConsent: ConsentState = { consents: {}, doNotContact: false, doNotCall: false, objectsToProfiling: false };

/** History rows per statement: nine values each, well under SQLite's limit of variables. */
const changesPerStatement = 2000;

/** What a row asks the consent fields to become: the channels it names replace theirs, flags it gives replace theirs. */
function proposedConsent(current: ConsentState, patch: CustomerPatch): ConsentState {
  return {
    consents: { ...current.consents, ...patch.consents },
    doNotContact: patch.doNotContact ?? current.doNotContact,
    doNotCall: patch.doNotCall ?? current.doNotCall,
    objectsToProfiling: patch.objectsToProfiling ?? current.objectsToProfiling,
  };
}

/**
 * Matches, writes and counts one batch in one write transaction: a row updates the customer with its external
 * id, else the one with its email, else creates one; rows in the same batch see each other, so a file that
 * names a customer twice updates it twice rather than adding it twice. Consent the customer withdrew themselves
 * is kept withdrawn (the rest of the row is taken, and the row is listed); every consent change is recorded.
 */
async function writeBatch(
  db: Db,
  importRow: { id: string; fileName: string },
  file: ImportFile,
  batch: CustomerEntry[],
  totals: Totals,
): Promise<void> {
  const profilingMoved = new Set<string>();
  const tx = await db.$client.transaction('write');
  try {
    const good = batch.flatMap((entry) => (entry.reading.ok ? [entry.reading.patch] : []));
    const importId = importRow.id;
    const actor = { source: 'import' as const, actorId: importId, actorName: importRow.fileName };
    const byExternalId = new Map<string, Known>();
    const byEmail = new Map<string, Known>();
    const found = await findKnown(tx, good);
    // An erased customer is not brought back: their external id or email, sent again, is refused (privacy/erasure.ts).
    const erasedIds = await erasedAmong(tx, 'external', good.flatMap((patch) => (patch.externalId === undefined ? [] : [patch.externalId])));
    const erasedEmails = await erasedAmong(tx, 'email', good.flatMap((patch) => (patch.email === undefined ? [] : [patch.email])));
    for (const known of found) {
      if (known.externalId !== null) byExternalId.set(known.externalId, known);
      if (known.email !== null) byEmail.set(known.email, known);
    }
    const latest = found.length === 0 ? new Map() : latestChangesOf(await tx.execute(latestChangesStatement(found.map((known) => known.id))));
    const changes: ReturnType<typeof changeRows> = [];
    const kept: { rowNumber: number; customerId: string; facts: ConsentFact[] }[] = [];
    const column = (field: ImportField) => columnName(field, file.mapping, file.header);
    const statements: InStatement[] = [];
    const upserts: InValue[][] = [];
    const rejections: { rowNumber: number; reason: LocalizedText; cells: string[] }[] = [];
    const tierChanges: ReturnType<typeof tierChange>[] = [];
    const now = Date.now();
    for (const entry of batch) {
      const problems = entry.reading.ok ? [] : entry.reading.problems;
      if (entry.reading.ok) {
        const patch = entry.reading.patch;
        const ownerId = patch.ownerEmail === undefined ? null : (file.owners.get(patch.ownerEmail) ?? null);
        const erasedKey = patch.externalId !== undefined && erasedIds.has(patch.externalId) ? patch.externalId : patch.email !== undefined && erasedEmails.has(patch.email) ? patch.email : undefined;
        const outcome =
          erasedKey !== undefined
            ? { problem: erasedCustomerText(erasedKey) }
            : patch.ownerEmail !== undefined && ownerId === null
              ? { problem: cellProblem(column('owner'), unknownOwner, patch.ownerEmail) }
              : match(patch, byExternalId, byEmail, column);
        if ('problem' in outcome) {
          problems.push(outcome.problem);
        } else if (outcome.target) {
          const target = outcome.target;
          const decision = decideConsent({
            current: target.consent,
            proposed: proposedConsent(target.consent, patch),
            source: 'import',
            heldByCustomer: withdrawnByCustomer(latest.get(target.id) ?? []),
          });
          target.consent = decision.next;
          changes.push(...changeRows(target.id, decision.changes, actor));
          if (decision.kept.length > 0) kept.push({ rowNumber: entry.rowNumber, customerId: target.id, facts: decision.kept });
          upserts.push([
            target.id,
            ...patchKeys.map((key) => patch[key] ?? (requiredKeys.has(key) ? '' : null)),
            ownerId,
            JSON.stringify(decision.next.consents),
            decision.next.doNotContact ? 1 : 0,
            decision.next.doNotCall ? 1 : 0,
            decision.next.objectsToProfiling ? 1 : 0,
            patch.tier === undefined ? 0 : 1,
            now,
            now,
          ]);
          if (patch.tier !== undefined && (patch.tier !== target.tier || !target.tierSetByHand)) {
            tierChanges.push(tierChange(target.id, { before: target.tier, after: patch.tier, byHand: true, cause: 'import', at: now }));
            target.tier = patch.tier;
            target.tierSetByHand = true;
          }
          if (decision.changes.some((change) => change.fact === 'objects_to_profiling')) profilingMoved.add(target.id);
          if (patch.email !== undefined && patch.email !== target.email) {
            if (target.email !== null) byEmail.delete(target.email);
            byEmail.set(patch.email, target);
          }
          if (patch.externalId !== undefined) byExternalId.set(patch.externalId, target);
          Object.assign(target, {
            externalId: patch.externalId ?? target.externalId,
            email: patch.email ?? target.email,
            kind: patch.kind ?? target.kind,
            contactName: patch.contactName ?? target.contactName,
          });
          totals.updated += 1;
        } else {
          const given = proposedConsent(noConsent, patch);
          const consent = stateOf((fact) => factValue(given, fact));
          const created: Known = {
            id: randomUUID(),
            externalId: patch.externalId ?? null,
            email: patch.email ?? null,
            kind: patch.kind ?? 'individual',
            name: patch.name ?? null,
            contactName: patch.contactName ?? null,
            tier: patch.tier ?? 'ordinary',
            tierSetByHand: patch.tier !== undefined,
            consent,
          };
          changes.push(...changeRows(created.id, initialChanges(consent, { source: 'import' }), actor));
          upserts.push([
            created.id,
            created.externalId,
            created.kind,
            patch.name!,
            created.contactName,
            created.email,
            patch.phone ?? null,
            patch.postalAddress ?? null,
            patch.locale ?? 'zh-CN',
            patch.timeZone ?? 'Asia/Shanghai',
            patch.region ?? null,
            patch.segment ?? null,
            patch.industry ?? null,
            patch.tier ?? 'ordinary',
            ownerId,
            JSON.stringify(consent.consents),
            consent.doNotContact ? 1 : 0,
            consent.doNotCall ? 1 : 0,
            consent.objectsToProfiling ? 1 : 0,
            patch.tier === undefined ? 0 : 1,
            now,
            now,
          ]);
          if (patch.tier !== undefined) tierChanges.push(tierChange(created.id, { before: null, after: patch.tier, byHand: true, cause: 'import', at: now }));
          if (created.externalId !== null) byExternalId.set(created.externalId, created);
          if (created.email !== null) byEmail.set(created.email, created);
          totals.created += 1;
        }
      }
      if (problems.length > 0) rejections.push({ rowNumber: entry.rowNumber, reason: rejectionReason(entry.rowNumber, problems), cells: entry.cells });
    }
    if (upserts.length > 0) statements.push({ sql: upsertSql(upserts.length), args: upserts.flat() });
    for (let start = 0; start < changes.length; start += changesPerStatement) {
      statements.push(changesStatement(changes.slice(start, start + changesPerStatement)));
    }
    if (kept.length > 0) {
      statements.push({
        sql: `INSERT INTO customer_import_consent_kept (import_id, row_number, customer_id, facts) VALUES ${kept.map(() => '(?, ?, ?, ?)').join(', ')}`,
        args: kept.flatMap((row) => [importId, row.rowNumber, row.customerId, JSON.stringify(row.facts)]),
      });
      totals.consentKept += kept.length;
    }
    if (tierChanges.length > 0) {
      statements.push({
        sql: `INSERT INTO loyalty_changes (customer_id, at, field, before, after, cause, reasons) VALUES ${tierChanges.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        args: tierChanges.flatMap((change) => [change.customerId, change.at, change.field, change.before ?? null, change.after ?? null, change.cause, JSON.stringify(change.reasons ?? [])]),
      });
    }
    if (rejections.length > 0) {
      statements.push({
        sql: `INSERT INTO customer_import_rejections (import_id, row_number, reason, cells) VALUES ${rejections.map(() => '(?, ?, ?, ?)').join(', ')}`,
        args: rejections.flatMap((rejection) => [importId, rejection.rowNumber, JSON.stringify(rejection.reason), JSON.stringify(rejection.cells)]),
      });
      totals.rejected += rejections.length;
    }
    statements.push({
      sql: `UPDATE customer_imports SET processed_bytes = ?, rows_read = ?, rows_created = ?, rows_updated = ?, rows_rejected = ?, rows_blank = ?, rows_consent_kept = ?, updated_at = ? WHERE id = ?`,
      args: [totals.processedBytes, totals.read, totals.created, totals.updated, totals.rejected, totals.blank, totals.consentKept, now, importId],
    });
    await tx.batch(statements);
    await tx.commit();
  } finally {
    tx.close();
  }
  // An objection to profiling that moved asks the loyalty engine to drop (or bring back) the score.
  if (profilingMoved.size > 0) await db.transaction((marking) => markLoyaltyStale(marking, [...profilingMoved], 'import'));
}

/** What every batch of one file reads by: its header, the mapping, and the active staff who may own customers, by email. */
interface ImportFile {
  header: string[];
  mapping: ColumnMapping;
  owners: Map<string, string>;
}

const unknownOwner = bilingual(
  'is not the email of an active admin, manager or support agent',
  '不是在职管理员、经理或客服的电子邮件',
);

async function ownersByEmail(db: Db): Promise<Map<string, string>> {
  return new Map((await listOwners(db)).map((owner) => [owner.email.toLowerCase(), owner.id]));
}

/** The customers a batch's external ids and emails name. */
async function findKnown(tx: Transaction, patches: CustomerPatch[]): Promise<Known[]> {
  const externalIds = [...new Set(patches.flatMap((patch) => (patch.externalId === undefined ? [] : [patch.externalId])))];
  const emails = [...new Set(patches.flatMap((patch) => (patch.email === undefined ? [] : [patch.email])))];
  if (externalIds.length === 0 && emails.length === 0) return [];
  const marks = (values: string[]) => values.map(() => '?').join(', ') || 'NULL';
  // Two lookups, one per unique index; an OR of both would scan the table.
  const columns =
    'SELECT id, external_id, email, kind, name, contact_name, tier, tier_set_by_hand, consents, do_not_contact, do_not_call, objects_to_profiling FROM customers';
  const result = await tx.execute({
    sql: `${columns} WHERE external_id IN (${marks(externalIds)}) UNION ${columns} WHERE email IN (${marks(emails)})`,
    args: [...externalIds, ...emails],
  });
  return result.rows.map((found) => ({
    id: String(found.id),
    externalId: found.external_id === null ? null : String(found.external_id),
    email: found.email === null ? null : String(found.email),
    kind: String(found.kind),
    name: found.name === null ? null : String(found.name),
    contactName: found.contact_name === null ? null : String(found.contact_name),
    tier: String(found.tier) as CustomerTier,
    tierSetByHand: Number(found.tier_set_by_hand) === 1,
    consent: {
      consents: JSON.parse(String(found.consents)) as Consents,
      doNotContact: Number(found.do_not_contact) === 1,
      doNotCall: Number(found.do_not_call) === 1,
      objectsToProfiling: Number(found.objects_to_profiling) === 1,
    },
  }));
}

/** Which customer a row updates (none: it creates one), or why it can do neither. */
function match(
  patch: CustomerPatch,
  byExternalId: Map<string, Known>,
  byEmail: Map<string, Known>,
  column: (field: ImportField) => string,
): { target: Known | null } | { problem: LocalizedText } {
  let target = patch.externalId === undefined ? undefined : byExternalId.get(patch.externalId);
  const emailOwner = patch.email === undefined ? undefined : byEmail.get(patch.email);
  if (emailOwner && emailOwner !== target) {
    // The email belongs to someone else: the row's own customer (found by external id), or a different one.
    if (target || (emailOwner.externalId !== null && patch.externalId !== undefined)) {
      const owner = emailOwner.externalId ?? emailOwner.name ?? emailOwner.id;
      return {
        problem: cellProblem(
          column('email'),
          bilingual(`already belongs to another customer (${owner})`, `已属于另一位客户（${owner}）`),
          patch.email,
        ),
      };
    }
    target = emailOwner;
  }
  const kind = patch.kind ?? target?.kind ?? 'individual';
  const contactName = patch.contactName ?? target?.contactName;
  if (kind === 'enterprise' && !contactName) {
    return { problem: cellProblem(column('contact_name'), bilingual('is empty; an enterprise needs a contact person', '为空；企业客户需要联系人')) };
  }
  if (!target && patch.name === undefined) {
    return { problem: cellProblem(column('name'), bilingual('is empty; a new customer needs a name', '为空；新客户需要名称')) };
  }
  return { target: target ?? null };
}
