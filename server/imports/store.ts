// What every import's tables are asked alike: the import recorded, claimed for its upload and ended, and its
// rejected rows, a page at a time.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { LocalizedText } from '../../surveys/definition.ts';
import type { CsvDelimiter, CsvEncoding } from '../customers/csv.ts';
import type { Db } from '../db/client.ts';
import { pageAfterRow } from '../db/paging.ts';
import type { customerImportRejections, customerImports, purchaseImportRejections, purchaseImports } from '../db/schema.ts';

/** A table of the rows an import did not take, with why and their cells. */
type RejectionTable = typeof customerImportRejections | typeof purchaseImportRejections;

/** Rejected rows in file order, a page at a time after the row number `after`. */
export async function rejectionPage(db: Db, table: RejectionTable, input: { importId: string; after: number; limit: number }) {
  const rows = await db
    .select({ rowNumber: table.rowNumber, reason: table.reason, cells: table.cells })
    .from(table)
    .where(and(eq(table.importId, input.importId), gt(table.rowNumber, input.after)))
    .orderBy(asc(table.rowNumber))
    .limit(input.limit + 1);
  const { page, nextAfter } = pageAfterRow(rows, input.limit);
  return { rejections: page, nextAfter };
}

/** A table of imports, one row per file. */
type ImportTable = typeof customerImports | typeof purchaseImports;

/** Records an import waiting for its file; its id. */
export async function insertImport(
  db: Db,
  table: ImportTable,
  input: {
    createdBy: string;
    fileName: string;
    sizeBytes: number;
    encoding?: CsvEncoding | undefined;
    delimiter?: CsvDelimiter | undefined;
    mapping?: (string | null)[] | undefined;
  },
): Promise<string> {
  const id = randomUUID();
  await db.insert(table).values({
    id,
    createdBy: input.createdBy,
    fileName: input.fileName,
    sizeBytes: input.sizeBytes,
    encoding: input.encoding ?? null,
    delimiter: input.delimiter ?? null,
    mapping: input.mapping ?? null,
  });
  return id;
}

/** Takes a waiting import for the upload that arrived: only one is taken, whichever process receives it. */
export async function claimImport<Table extends ImportTable>(
  db: Db,
  table: Table,
  input: { id: string; declaredBytes?: number | undefined },
): Promise<Table['$inferSelect'] | undefined> {
  const imports = table as ImportTable;
  const claimed = await db
    .update(imports)
    .set({ status: 'running', updatedAt: Date.now(), ...(input.declaredBytes === undefined ? {} : { sizeBytes: input.declaredBytes }) })
    .where(and(eq(imports.id, input.id), eq(imports.status, 'waiting')))
    .returning();
  return claimed[0] as Table['$inferSelect'] | undefined;
}

/** Records how an import's upload ended. */
export async function endImport(
  db: Db,
  table: ImportTable,
  id: string,
  ending: { status: 'done' } | { status: 'failed'; error: LocalizedText },
): Promise<void> {
  await db
    .update(table)
    .set({ ...ending, updatedAt: Date.now(), finishedAt: Date.now() })
    .where(eq(table.id, id));
}
