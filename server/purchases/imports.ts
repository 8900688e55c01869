// CSV imports of purchases, read like the customers' imports (customers/imports.ts): the file is read as it
// arrives, a batch of rows at a time; each batch is checked, written and counted in one write transaction that
// also marks the customers' loyalty stale, and every row not taken is kept with its reason. Unlike a batch sent
// to the API, a file is not all-or-nothing: good rows are stored, the others are listed to be corrected.
import { eq } from 'drizzle-orm';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { CsvDelimiter, CsvEncoding } from '../customers/csv.ts';
import { rejectionReason } from '../customers/rules.ts';
import type { Db } from '../db/client.ts';
import { customers, purchaseImportRejections, purchaseImports, purchases } from '../db/schema.ts';
import { columnName } from '../imports/mapping.ts';
import { claimImport, endImport, insertImport, rejectionPage } from '../imports/store.ts';
import { alreadyReceived, checkMapping, notFound, readUpload, rejectionCsv, runUpload, importView, type BatchEntry, type ImportWords, type UploadTotals } from '../imports/upload.ts';
import { readLoyaltySettings } from '../loyalty/settings.ts';
import {
  proposePurchaseMapping,
  purchaseMappingProblems,
  readPurchaseRow,
  type PurchaseColumnMapping,
  type PurchaseImportField,
  type PurchaseRowReading,
} from './rules.ts';
import { decidePurchases, storePurchases, type RefusedField } from './service.ts';

/** Rows written per transaction. */
const batchRows = 1000;

const words: ImportWords = {
  retry: bilingual(
    'Import the file again; purchases already imported are recognised by their order id, not counted twice.',
    '请重新导入该文件；已导入的购买记录会按订单编号识别，不会重复计算。',
  ),
  empty: bilingual('The file is empty: it needs a header row and at least one purchase.', '文件为空：需要一行表头和至少一条购买记录。'),
};

type ImportRow = typeof purchaseImports.$inferSelect;

function toImport(row: ImportRow) {
  const rows = { read: row.rowsRead, created: row.rowsCreated, unchanged: row.rowsUnchanged, rejected: row.rowsRejected, blank: row.rowsBlank };
  return importView(row, words, rows);
}
export type PurchaseImport = ReturnType<typeof toImport>;

export interface PurchaseImportSettings {
  fileName: string;
  sizeBytes: number;
  encoding?: CsvEncoding | undefined;
  delimiter?: CsvDelimiter | undefined;
  mapping?: PurchaseColumnMapping | undefined;
}

/** Records an import waiting for its file. */
export async function createImport(db: Db, input: PurchaseImportSettings & { createdBy: string }): Promise<PurchaseImport> {
  return getImport(db, await insertImport(db, purchaseImports, input));
}

export async function getImport(db: Db, id: string): Promise<PurchaseImport> {
  const [row] = await db.select().from(purchaseImports).where(eq(purchaseImports.id, id));
  if (!row) throw notFound();
  return toImport(row);
}

/** Rejected rows in file order, a page at a time after the row number `after`. */
export async function listRejections(db: Db, input: { importId: string; after: number; limit: number }) {
  await getImport(db, input.importId);
  return rejectionPage(db, purchaseImportRejections, input);
}

/** The first customers an import stored purchases for (at most 20), in the order the file named them. */
export async function importCustomers(db: Db, importId: string) {
  await getImport(db, importId);
  const first = db
    .selectDistinct({ customerId: purchases.customerId })
    .from(purchases)
    .where(eq(purchases.importId, importId))
    .limit(20)
    .as('first');
  const rows = await db
    .select({ id: customers.id, name: customers.name, externalId: customers.externalId })
    .from(first)
    .innerJoin(customers, eq(customers.id, first.customerId));
  return { customers: rows };
}

/** The rejected rows as CSV: the row number, the reason in the reader's language, then the row's own cells. */
export async function rejectionReport(db: Db, input: { importId: string; locale: Locale }): Promise<ReadableStream<Uint8Array>> {
  const found = await getImport(db, input.importId);
  return rejectionCsv(found.header, input.locale, (after) => listRejections(db, { importId: input.importId, after, limit: 1000 }));
}

type PurchaseEntry = BatchEntry<PurchaseRowReading>;

interface Totals extends UploadTotals {
  created: number;
  unchanged: number;
}

/**
 * Reads the uploaded file of a waiting import to its end: every row is stored, found unchanged, or rejected
 * with its reason. Only one upload is taken per import, whichever process receives it.
 */
export async function receiveFile(
  db: Db,
  input: { id: string; body: ReadableStream<Uint8Array>; maxBytes: number; declaredBytes?: number | undefined },
): Promise<PurchaseImport> {
  const row = await claimImport(db, purchaseImports, input);
  if (!row) {
    await getImport(db, input.id);
    throw alreadyReceived();
  }
  const totals: Totals = { processedBytes: 0, read: 0, created: 0, unchanged: 0, rejected: 0, blank: 0 };
  await runUpload(
    words,
    () =>
      readUpload(
        {
          batchRows,
          words,
          settle: (header, found) => settle(db, row, header, found),
          readRow: readPurchaseRow,
          writeBatch: (file, batch) => writeBatch(db, row.id, { header: file.header, mapping: file.mapping ?? [] }, batch, totals),
        },
        { encoding: row.encoding, delimiter: row.delimiter, body: input.body, maxBytes: input.maxBytes },
        totals,
      ),
    (ending) => endImport(db, purchaseImports, row.id, ending),
  );
  return getImport(db, row.id);
}

/** Once the header is read: the mapping to use (given, or proposed from the header), checked and recorded. */
async function settle(db: Db, row: ImportRow, header: string[], found: { encoding: CsvEncoding; delimiter: CsvDelimiter }) {
  const mapping = row.mapping ? (row.mapping as PurchaseColumnMapping) : proposePurchaseMapping(header);
  await db
    .update(purchaseImports)
    .set({ header, mapping, encoding: found.encoding, delimiter: found.delimiter, updatedAt: Date.now() })
    .where(eq(purchaseImports.id, row.id));
  checkMapping(purchaseMappingProblems(mapping, header.length));
  return mapping;
}

/** The import column a refusal is about. */
const columnOfField: Record<RefusedField, PurchaseImportField> = {
  orderId: 'order_id',
  customer: 'customer_external_id',
  occurredAt: 'occurred_at',
  amount: 'amount',
  currency: 'currency',
  refundOf: 'refund_of',
};

/** Checks, writes and counts one batch in one write transaction; the rows refused are kept with their reasons. */
async function writeBatch(db: Db, importId: string, file: { header: string[]; mapping: PurchaseColumnMapping }, batch: PurchaseEntry[], totals: Totals) {
  const now = Date.now();
  await db.transaction(async (tx) => {
    const readable = batch.flatMap((entry) => (entry.reading.ok ? [{ entry, item: entry.reading.item }] : []));
    const settings = await readLoyaltySettings(tx);
    const decisions = await decidePurchases(
      tx,
      readable.map((row) => row.item),
      { source: 'csv', importId, settings, now },
    );
    const refused = new Map<number, LocalizedText>();
    decisions.forEach((decision, index) => {
      if (decision.kind !== 'refused') return;
      const { entry, item } = readable[index]!;
      let field = columnOfField[decision.field];
      if (field === 'customer_external_id' && item.customer.externalId === undefined) field = 'customer_email';
      const column = columnName(field, file.mapping, file.header);
      refused.set(entry.rowNumber, bilingual(`"${column}": ${decision.problem.en}`, `“${column}”：${decision.problem['zh-CN']}`));
    });
    const fresh = decisions.flatMap((decision) => (decision.kind === 'new' ? [decision.row] : []));
    await storePurchases(tx, fresh, now);
    const rejections = batch.flatMap((entry) => {
      const problems = entry.reading.ok ? (refused.has(entry.rowNumber) ? [refused.get(entry.rowNumber)!] : []) : entry.reading.problems;
      return problems.length === 0 ? [] : [{ importId, rowNumber: entry.rowNumber, reason: rejectionReason(entry.rowNumber, problems), cells: entry.cells }];
    });
    for (let start = 0; start < rejections.length; start += 500) {
      await tx.insert(purchaseImportRejections).values(rejections.slice(start, start + 500));
    }
    totals.created += fresh.length;
    totals.unchanged += decisions.filter((decision) => decision.kind === 'same').length;
    totals.rejected += rejections.length;
    await tx
      .update(purchaseImports)
      .set({
        processedBytes: totals.processedBytes,
        rowsRead: totals.read,
        rowsCreated: totals.created,
        rowsUnchanged: totals.unchanged,
        rowsRejected: totals.rejected,
        rowsBlank: totals.blank,
        updatedAt: now,
      })
      .where(eq(purchaseImports.id, importId));
  });
}
