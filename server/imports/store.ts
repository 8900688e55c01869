// What every import's tables are asked alike: its rejected rows, a page at a time.
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { pageAfterRow } from '../db/paging.ts';
import type { customerImportRejections, purchaseImportRejections } from '../db/schema.ts';

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
