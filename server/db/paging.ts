// Keyset paging, newest first: a page is read with limit + 1 rows, and the next page starts below the
// cursor "<time>_<id>" of the page's last row, so rows added meanwhile never shift a page.
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Rows older than the cursor a previous page returned (ties on time broken by id); everything without one. */
export function olderThanCursor(time: SQLiteColumn, id: SQLiteColumn, before: string | undefined): SQL | undefined {
  const cursor = before?.match(/^(\d+)_(.+)$/);
  if (!cursor) return undefined;
  return or(lt(time, Number(cursor[1])), and(eq(time, Number(cursor[1])), lt(id, cursor[2]!)));
}

/** The page out of limit + 1 rows, and the next page's cursor (null at the end). */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, timeOf: (row: T) => number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextBefore: rows.length > limit && last ? `${timeOf(last)}_${last.id}` : null };
}

/** In row-number order (a file's rows): the page out of limit + 1 rows, and the row number the next page starts after (null at the end). */
export function pageAfterRow<T extends { rowNumber: number }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextAfter: rows.length > limit && last ? last.rowNumber : null };
}
