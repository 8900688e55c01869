// The catalogue covers the schema: a table that points at a customer or holds a way to reach a person cannot be
// added without saying here what it holds and what erasure does to it.
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../db/schema.ts';
import { catalogue, catalogueEntry, contactColumnPattern, erasedColumns, staffTables } from './catalogue.ts';

const tables = (Object.values(schema) as unknown[])
  .filter((value): value is SQLiteTable => value instanceof SQLiteTable)
  .map((table) => getTableConfig(table));
const columnsOf = (name: string) => tables.find((table) => table.name === name)?.columns.map((column) => column.name);

describe('the catalogue of personal data', () => {
  it('has every table with a customer id, an email, a phone or an address', () => {
    const holding = tables
      .filter((table) => table.columns.some((column) => column.name === 'customer_id' || contactColumnPattern.test(column.name)))
      .map((table) => table.name);
    expect(holding.length).toBeGreaterThan(10);
    const missing = holding.filter((name) => !catalogueEntry(name) && !(name in staffTables));
    expect(missing).toEqual([]);
  });

  it('has every table whose rows point at a catalogued row', () => {
    const through = catalogue.flatMap((entry) => (entry.link && 'through' in entry.link ? [entry.link.through] : []));
    for (const name of through) expect(catalogueEntry(name), name).toBeDefined();
  });

  it('names only tables and columns that exist', () => {
    for (const entry of catalogue.filter((entry) => !entry.outsideSchema)) {
      const columns = columnsOf(entry.table);
      expect(columns, entry.table).toBeDefined();
      for (const column of [...Object.keys(entry.personal), ...Object.keys(entry.personalWhere?.columns ?? {})]) expect(columns, `${entry.table}.${column}`).toContain(column);
      if (entry.link) expect(columns, `${entry.table} link`).toContain(entry.link.column);
      if (entry.link && 'through' in entry.link && entry.link.throughColumn !== 'rowid') expect(columnsOf(entry.link.through)).toContain(entry.link.throughColumn);
    }
    for (const name of Object.keys(staffTables)) expect(columnsOf(name), name).toBeDefined();
  });

  it('clears every contact column of a table erasure anonymises, and never a column the figures read', () => {
    for (const entry of catalogue.filter((entry) => !entry.outsideSchema)) {
      const contact = (columnsOf(entry.table) ?? []).filter((column) => contactColumnPattern.test(column));
      if (entry.erasure === 'keep') expect(contact, entry.table).toEqual([]);
      if (entry.erasure === 'anonymise') for (const column of contact) expect(erasedColumns(entry.table), entry.table).toContain(column);
    }
    expect(erasedColumns('customers')).not.toContain('segment');
    expect(erasedColumns('complaint_cases')).not.toContain('severity');
  });

  it('lists each table once', () => {
    const names = catalogue.map((entry) => entry.table);
    expect(new Set(names).size).toBe(names.length);
  });
});
