// CSV imports of purchases, read like the customers' imports (customers/imports.ts): the file is read as it
// arrives, a batch of rows at a time; each batch is checked, written and counted in one write transaction that
// also marks the customers' loyalty stale, and every row not taken is kept with its reason. Unlike a batch sent
// to the API, a file is not all-or-nothing: good rows are stored, the others are listed to be corrected.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { csvDecoder, CsvError, csvLine, CsvReader, detectDelimiter, detectEncoding, type CsvDelimiter, type CsvEncoding } from '../customers/csv.ts';
import { rejectionReason } from '../customers/rules.ts';
import type { Db } from '../db/client.ts';
import { pageAfterRow } from '../db/paging.ts';
import { customers, purchaseImportRejections, purchaseImports, purchases } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { readLoyaltySettings } from '../loyalty/settings.ts';
import {
  isBlankRow,
  proposePurchaseMapping,
  purchaseColumnName,
  purchaseMappingProblems,
  readPurchaseRow,
  type PurchaseColumnMapping,
  type PurchaseImportField,
  type PurchaseRowReading,
} from './rules.ts';
import { decidePurchases, storePurchases, type RefusedField } from './service.ts';

/** Rows written per transaction. */
const batchRows = 1000;
/** Progress is written at least this often while a file arrives, even between full batches. */
const progressEveryMs = 1000;
/** Bytes looked at to tell UTF-8 from GB18030 when the encoding is not given. */
const detectionBytes = 64 * 1024;
/** A running import that has not moved for this long lost its upload or its process. */
export const staleImportMs = 2 * 60_000;

type ImportRow = typeof purchaseImports.$inferSelect;

function toImport(row: ImportRow, now = Date.now()) {
  const stale = row.status === 'running' && now - row.updatedAt > staleImportMs;
  return {
    id: row.id,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    encoding: row.encoding,
    delimiter: row.delimiter,
    header: row.header,
    mapping: row.mapping,
    status: stale ? ('failed' as const) : row.status,
    processedBytes: row.processedBytes,
    rows: { read: row.rowsRead, created: row.rowsCreated, unchanged: row.rowsUnchanged, rejected: row.rowsRejected, blank: row.rowsBlank },
    error: stale
      ? bilingual(
          'The import stopped part way: the upload was cut off or the server restarted. Import the file again; purchases already imported are recognised by their order id, not counted twice.',
          '导入中途停止：上传被中断或服务器已重启。请重新导入该文件；已导入的购买记录会按订单编号识别，不会重复计算。',
        )
      : row.error,
    createdAt: new Date(row.createdAt).toISOString(),
    finishedAt: row.finishedAt === null ? null : new Date(row.finishedAt).toISOString(),
  };
}
export type PurchaseImport = ReturnType<typeof toImport>;

const notFound = () => new DomainError('not_found', bilingual('No such import.', '找不到该导入。'));

export interface PurchaseImportSettings {
  fileName: string;
  sizeBytes: number;
  encoding?: CsvEncoding | undefined;
  delimiter?: CsvDelimiter | undefined;
  mapping?: PurchaseColumnMapping | undefined;
}

/** Records an import waiting for its file. */
export async function createImport(db: Db, input: PurchaseImportSettings & { createdBy: string }): Promise<PurchaseImport> {
  const id = randomUUID();
  await db.insert(purchaseImports).values({
    id,
    createdBy: input.createdBy,
    fileName: input.fileName,
    sizeBytes: input.sizeBytes,
    encoding: input.encoding ?? null,
    delimiter: input.delimiter ?? null,
    mapping: input.mapping ?? null,
  });
  return getImport(db, id);
}

export async function getImport(db: Db, id: string): Promise<PurchaseImport> {
  const [row] = await db.select().from(purchaseImports).where(eq(purchaseImports.id, id));
  if (!row) throw notFound();
  return toImport(row);
}

/** Rejected rows in file order, a page at a time after the row number `after`. */
export async function listRejections(db: Db, input: { importId: string; after: number; limit: number }) {
  await getImport(db, input.importId);
  const rows = await db
    .select({ rowNumber: purchaseImportRejections.rowNumber, reason: purchaseImportRejections.reason, cells: purchaseImportRejections.cells })
    .from(purchaseImportRejections)
    .where(and(eq(purchaseImportRejections.importId, input.importId), gt(purchaseImportRejections.rowNumber, input.after)))
    .orderBy(asc(purchaseImportRejections.rowNumber))
    .limit(input.limit + 1);
  const { page, nextAfter } = pageAfterRow(rows, input.limit);
  return { rejections: page, nextAfter };
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
  const encoder = new TextEncoder();
  const labels = input.locale === 'zh-CN' ? ['行号', '原因'] : ['row', 'reason'];
  let after = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine([...labels, ...(found.header ?? [])])}`));
        return;
      }
      const { rejections, nextAfter } = await listRejections(db, { importId: input.importId, after, limit: 1000 });
      controller.enqueue(encoder.encode(rejections.map((row) => csvLine([String(row.rowNumber), row.reason[input.locale], ...row.cells])).join('')));
      if (nextAfter === null) controller.close();
      else after = nextAfter;
    },
  });
}

interface BatchEntry {
  rowNumber: number;
  cells: string[];
  reading: PurchaseRowReading;
}

interface Totals {
  processedBytes: number;
  read: number;
  created: number;
  unchanged: number;
  rejected: number;
  blank: number;
}

const tooLarge = (maxBytes: number) =>
  new DomainError(
    'too_large',
    bilingual(
      `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB. Split it into smaller files and import each; rows already read were imported.`,
      `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB。请拆分为较小的文件分别导入；已读取的行已导入。`,
    ),
  );

const serverFailure = bilingual(
  'The server failed while importing. Import the file again; purchases already imported are recognised by their order id, not counted twice.',
  '服务器在导入时出错。请重新导入该文件；已导入的购买记录会按订单编号识别，不会重复计算。',
);

function failureOf(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof CsvError) {
    return new DomainError(
      'bad_request',
      bilingual(
        `The import stopped at row ${error.rowNumber}: it is longer than ${error.maxChars} characters, so a quote is probably not closed. Fix the file and import it again.`,
        `导入在第 ${error.rowNumber} 行停止：该行超过 ${error.maxChars} 个字符，可能有引号未闭合。请修正文件后重新导入。`,
      ),
    );
  }
  if (error instanceof Error && /aborted|terminated|closed|ECONNRESET/i.test(error.message)) {
    return new DomainError(
      'bad_request',
      bilingual(
        'The upload stopped before the whole file arrived. Import the file again; purchases already imported are recognised by their order id, not counted twice.',
        '文件未完整上传，上传已中断。请重新导入该文件；已导入的购买记录会按订单编号识别，不会重复计算。',
      ),
    );
  }
  return null;
}

/**
 * Reads the uploaded file of a waiting import to its end: every row is stored, found unchanged, or rejected
 * with its reason. Only one upload is taken per import, whichever process receives it.
 */
export async function receiveFile(
  db: Db,
  input: { id: string; body: ReadableStream<Uint8Array>; maxBytes: number; declaredBytes?: number },
): Promise<PurchaseImport> {
  const claimed = await db
    .update(purchaseImports)
    .set({ status: 'running', updatedAt: Date.now(), ...(input.declaredBytes === undefined ? {} : { sizeBytes: input.declaredBytes }) })
    .where(and(eq(purchaseImports.id, input.id), eq(purchaseImports.status, 'waiting')))
    .returning();
  const row = claimed[0];
  if (!row) {
    await getImport(db, input.id);
    throw new DomainError(
      'conflict',
      bilingual('This import already has its file. Start a new import to send another.', '该导入已收到文件。如需导入其他文件，请新建导入。'),
    );
  }
  try {
    await readUpload(db, row, input.body, input.maxBytes);
    await db.update(purchaseImports).set({ status: 'done', updatedAt: Date.now(), finishedAt: Date.now() }).where(eq(purchaseImports.id, row.id));
  } catch (error) {
    const known = failureOf(error);
    await db
      .update(purchaseImports)
      .set({ status: 'failed', error: known?.text ?? serverFailure, updatedAt: Date.now(), finishedAt: Date.now() })
      .where(eq(purchaseImports.id, row.id));
    throw known ?? error;
  }
  return getImport(db, row.id);
}

async function readUpload(db: Db, row: ImportRow, body: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = body.getReader();
  const totals: Totals = { processedBytes: 0, read: 0, created: 0, unchanged: 0, rejected: 0, blank: 0 };
  let encoding = row.encoding;
  let delimiter = row.delimiter;
  let decoder: TextDecoder | null = null;
  let csv: CsvReader | null = null;
  let header: string[] | null = null;
  let mapping: PurchaseColumnMapping | null = null;
  let batch: BatchEntry[] = [];
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let lastWriteAt = Date.now();

  const flush = async () => {
    await writeBatch(db, row.id, { header: header ?? [], mapping: mapping ?? [] }, batch, totals);
    batch = [];
    lastWriteAt = Date.now();
  };

  const takeRecords = async (records: string[][], lastUnclosed = false) => {
    for (const [index, cells] of records.entries()) {
      const rowNumber = csv!.recordCount - records.length + index + 1;
      if (!header) {
        if (isBlankRow(cells)) continue;
        header = cells.map((cell) => cell.trim());
        mapping = await settle(db, row, header, { encoding: encoding!, delimiter: delimiter! });
        continue;
      }
      if (isBlankRow(cells)) {
        totals.blank += 1;
        continue;
      }
      totals.read += 1;
      const reading: PurchaseRowReading =
        lastUnclosed && index === records.length - 1
          ? { ok: false, problems: [bilingual('a quoted cell is never closed, so the rest of the file ran into it', '有一个带引号的单元格没有闭合，文件余下内容都并入了该单元格')] }
          : readPurchaseRow(cells, mapping!, header);
      batch.push({ rowNumber, cells, reading });
      if (batch.length >= batchRows) await flush();
    }
  };

  const takeText = async (bytes: Uint8Array | undefined) => {
    encoding ??= detectEncoding(bytes ?? new Uint8Array());
    decoder ??= csvDecoder(encoding);
    let text: string;
    try {
      text = bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw new DomainError(
        'bad_request',
        bilingual(
          `The file is not valid ${encoding.toUpperCase()} text. Choose the other encoding, or save the file as "CSV UTF-8", and import it again.`,
          `文件不是有效的 ${encoding.toUpperCase()} 文本。请选择另一种编码，或将文件另存为 “CSV UTF-8” 后重新导入。`,
        ),
      );
    }
    if (!csv) {
      delimiter ??= detectDelimiter(text);
      csv = new CsvReader(delimiter);
    }
    await takeRecords(csv.push(text));
  };

  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    totals.processedBytes += value.byteLength;
    if (totals.processedBytes > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    if (!decoder) {
      held.push(value);
      heldBytes += value.byteLength;
      if (heldBytes < detectionBytes) continue;
      const first = concat(held);
      held = [];
      await takeText(first);
    } else {
      await takeText(value);
    }
    if (batch.length > 0 && Date.now() - lastWriteAt >= progressEveryMs) await flush();
  }
  if (!decoder) await takeText(concat(held));
  await takeText(undefined);
  const { records, unclosedQuote } = csv!.end();
  await takeRecords(records, unclosedQuote);
  if (!header) {
    throw new DomainError('bad_request', bilingual('The file is empty: it needs a header row and at least one purchase.', '文件为空：需要一行表头和至少一条购买记录。'));
  }
  await flush();
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/** Once the header is read: the mapping to use (given, or proposed from the header), checked and recorded. */
async function settle(db: Db, row: ImportRow, header: string[], found: { encoding: CsvEncoding; delimiter: CsvDelimiter }) {
  const mapping = row.mapping ? (row.mapping as PurchaseColumnMapping) : proposePurchaseMapping(header);
  await db
    .update(purchaseImports)
    .set({ header, mapping, encoding: found.encoding, delimiter: found.delimiter, updatedAt: Date.now() })
    .where(eq(purchaseImports.id, row.id));
  const problems = purchaseMappingProblems(mapping, header.length);
  if (problems.length > 0) {
    throw new DomainError(
      'bad_request',
      bilingual(problems.map((problem) => problem.en).join(' '), problems.map((problem) => problem['zh-CN']).join('')),
      { mapping: bilingual(problems[0]!.en, problems[0]!['zh-CN']) },
    );
  }
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
async function writeBatch(db: Db, importId: string, file: { header: string[]; mapping: PurchaseColumnMapping }, batch: BatchEntry[], totals: Totals) {
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
      const column = purchaseColumnName(field, file.mapping, file.header);
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
