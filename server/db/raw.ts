// Plain statements for the hot write paths. drizzle builds a statement value by value (a few microseconds each),
// so a batch of 1,000 purchases and their loyalty marks spent longer being built than being written. These
// write many rows with one prepared multi-row statement on the libSQL connection under a drizzle database or
// transaction, with each value converted as drizzle would (a JSON column stringified, a boolean as 0/1).
//
//   rawOf(tx) → { execute }
//   insertRows(tx, table, rows, { onConflict? }) → void
import type { InStatement, InValue, ResultSet, Transaction } from '@libsql/client';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../jobs/queue.ts';

/** The libSQL connection under a drizzle database or transaction. */
export function rawOf(tx: DbOrTx): { execute(statement: InStatement): Promise<ResultSet> } {
  if ('$client' in tx) return tx.$client;
  // drizzle's libSQL transaction keeps the libSQL transaction it runs in as session.tx.
  const raw = (tx as unknown as { session?: { tx?: Transaction } }).session?.tx;
  if (!raw) throw new Error('No libSQL transaction under this drizzle transaction.');
  return raw;
}

/** `?, ?, …` for `count` values. */
export const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** SQLite takes at most 32,766 values in one statement. */
const valuesPerStatement = 30_000;

/**
 * Inserts rows that all name the same columns (the first row's keys: the table's property names), in the
 * caller's transaction. `onConflict`: on a clash of the `target` column, sets every other column named to the
 * new row's value (`'all'`), or the columns given to the SQL expressions given.
 */
export async function insertRows<T extends SQLiteTable>(
  tx: DbOrTx,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: { onConflict?: { target: SQLiteColumn; set: 'all' | Record<string, string> } } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const keys = Object.keys(rows[0]!).filter((key) => columns[key]);
  const names = keys.map((key) => `"${columns[key]!.name}"`);
  const perStatement = Math.max(1, Math.floor(valuesPerStatement / keys.length));
  let conflict = '';
  if (options.onConflict) {
    const target = options.onConflict.target.name;
    const set =
      options.onConflict.set === 'all'
        ? keys.filter((key) => columns[key]!.name !== target).map((key) => `"${columns[key]!.name}" = excluded."${columns[key]!.name}"`)
        : Object.entries(options.onConflict.set).map(([column, expression]) => `"${column}" = ${expression}`);
    conflict = ` ON CONFLICT ("${target}") DO UPDATE SET ${set.join(', ')}`;
  }
  const raw = rawOf(tx);
  const row = `(${placeholders(keys.length)})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const args: InValue[] = [];
    for (const item of chunk) {
      const values = item as Record<string, unknown>;
      if (Object.keys(values).length !== keys.length) throw new Error(`insertRows(${getTableName(table)}): every row names the same columns as the first.`);
      for (const key of keys) {
        const value = values[key];
        args.push(value === undefined || value === null ? null : (columns[key]!.mapToDriverValue(value) as InValue));
      }
    }
    await raw.execute({
      sql: `INSERT INTO "${getTableName(table)}" (${names.join(', ')}) VALUES ${Array.from({ length: chunk.length }, () => row).join(', ')}${conflict}`,
      args,
    });
  }
}
