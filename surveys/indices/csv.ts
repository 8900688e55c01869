// CSV text (RFC 4180: comma separated, optional double quotes, "" for a quote; parsed by csv-parse) to item columns.
// Strict on purpose: a file that is not CSV fails with the line that shows it, instead of being misread.
import { readRecords, recordDelimiters, type CsvOptions } from '../csv.ts';
import type { ItemTable } from './pls.ts';

export class CsvError extends Error {
  override name = 'CsvError';
}

export interface Csv {
  header: string[];
  rows: string[][];
  /** The 1-based line each row starts on, for messages. */
  lines: number[];
}

const strict: CsvOptions = { record_delimiter: recordDelimiters, skip_empty_lines: true, relax_column_count: true };

export function parseCsv(input: string): Csv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes('\u0000')) throw new CsvError('this is not a CSV text file (it contains NUL bytes)');
  if (text.trim() === '') throw new CsvError('the CSV file is empty; it needs a header row of column names');

  const bytes = new TextEncoder().encode(text);
  const lineAt = lineCounter(bytes);
  const { records, error } = readRecords(bytes, strict);
  // A record starts past the line break of the one before it and any blank lines after that.
  const startLine = (offset: number) => {
    while (bytes[offset] === LF || bytes[offset] === CR) offset++;
    return lineAt(offset);
  };
  const lines = records.map((_, r) => startLine(r === 0 ? 0 : records[r - 1]!.end));
  if (error) {
    const at = typeof error.bytes === 'number' ? lineAt(error.bytes) : error.lines;
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        throw new CsvError(`line ${startLine(records.at(-1)?.end ?? 0)}: a quoted field is never closed`);
      case 'INVALID_OPENING_QUOTE':
        throw new CsvError(`line ${at}: a quote inside an unquoted field; quote the whole field`);
      case 'CSV_INVALID_CLOSING_QUOTE':
        throw new CsvError(`line ${at}: unexpected text after a closing quote; quote the whole field`);
      default:
        throw new CsvError(`line ${at}: ${error.message}`);
    }
  }

  const [header, ...rows] = records.map((record) => record.cells);
  if (!header) throw new CsvError('the CSV file is empty; it needs a header row of column names');
  lines.shift();
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw new CsvError(`line ${lines[r]} has ${row.length} fields but the header row has ${header.length}`);
    }
  });
  return { header, rows, lines };
}

const LF = 10;
const CR = 13;

/** The 1-based line of a UTF-8 offset (CRLF, LF or CR end a line), for offsets asked in increasing order. */
function lineCounter(bytes: Uint8Array) {
  let line = 1;
  let at = 0;
  return (offset: number) => {
    if (offset < at) {
      line = 1;
      at = 0;
    }
    for (; at < offset && at < bytes.length; at++) {
      if (bytes[at] === LF || (bytes[at] === CR && bytes[at + 1] !== LF)) line++;
    }
    return line;
  };
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The named columns as numbers. Other columns (a row id, an unnamed first column) are ignored. An empty
 * cell or NA is a missing answer (NaN); anything else must be a number.
 */
export function numericColumns(csv: Csv, names: readonly string[]): ItemTable {
  const columnOf = columnIndexes(csv.header, names);
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    const index = columnOf.get(name);
    if (index === undefined) throw new CsvError(`the CSV has no column "${name}"`);
    const values = new Float64Array(csv.rows.length);
    csv.rows.forEach((row, r) => {
      const value = cellValue(row[index]!);
      if (value === undefined) throw notANumber(csv.lines[r]!, name, row[index]!.trim());
      values[r] = value;
    });
    columns[name] = values;
  }
  return { rowCount: csv.rows.length, columns };
}

/** The header column of each name (names match trimmed), refusing a name that appears twice. */
function columnIndexes(header: readonly string[], names: readonly string[]): Map<string, number> {
  const columnOf = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim();
    if (!names.includes(key)) return;
    if (columnOf.has(key)) throw new CsvError(`column "${key}" appears twice in the header row`);
    columnOf.set(key, index);
  });
  return columnOf;
}

/** A cell's number: NaN for an empty cell or NA (a missing answer), undefined when it is not a number. */
function cellValue(text: string): number | undefined {
  const cell = text.trim();
  if (cell === '' || cell === 'NA') return Number.NaN;
  return numberPattern.test(cell) ? Number(cell) : undefined;
}

const notANumber = (line: number, name: string, cell: string) =>
  new CsvError(`line ${line}, column "${name}": ${JSON.stringify(cell)} is not a number (leave the cell empty for a missing answer)`);

/** A CSV read straight into numbers by readNumericCsv, without keeping its cells. */
export interface NumericCsv {
  header: string[];
  rowCount: number;
  /** Each header column's values, or the first of its cells that is not a number (trimmed) and its line. */
  columns: (Float64Array | { line: number; cell: string })[];
}

const COMMA = 44;
const ZERO = 48;
const NINE = 57;

/**
 * The usual file quickly (100,000 rows in tens of milliseconds instead of about a second): no quotes, every
 * row with the header's number of fields. Anything else (a quote, a ragged row, NUL bytes, no header) gives
 * undefined, and parseCsv then reads the file and says what is wrong. numericTable on the result gives what
 * numericColumns gives on parseCsv's, the same numbers or the same error.
 */
export function readNumericCsv(input: string): NumericCsv | undefined {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes('"') || text.includes('\u0000') || text.trim() === '') return undefined;
  const length = text.length;
  let at = 0;
  let line = 1;
  // Past line breaks (CRLF, LF or CR) and the blank lines among them, counting lines.
  const skipBreaks = () => {
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === LF) at++;
      else if (c === CR) at += text.charCodeAt(at + 1) === LF ? 2 : 1;
      else return;
      line++;
    }
  };
  const fieldEnd = (from: number) => {
    let end = from;
    for (; end < length; end++) {
      const c = text.charCodeAt(end);
      if (c === COMMA || c === LF || c === CR) break;
    }
    return end;
  };

  skipBreaks();
  const header: string[] = [];
  for (;;) {
    const end = fieldEnd(at);
    header.push(text.slice(at, end));
    at = end;
    if (text.charCodeAt(at) !== COMMA) break;
    at++;
  }
  skipBreaks();

  // Room for every line; trimmed to the rows found.
  let capacity = 1;
  for (let i = at; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) capacity++;
  }
  const width = header.length;
  const values = header.map(() => new Float64Array(capacity));
  const columns: NumericCsv['columns'] = [...values];
  let rowCount = 0;
  while (at < length) {
    let field = 0;
    for (;;) {
      if (field === width) return undefined;
      // Whole numbers of up to 15 digits are read here; any other cell as numericColumns reads it.
      let value = 0;
      let digits = 0;
      let end = at;
      for (; end < length; end++) {
        const c = text.charCodeAt(end);
        if (c >= ZERO && c <= NINE) {
          value = value * 10 + (c - ZERO);
          digits++;
        } else if (c === COMMA || c === LF || c === CR) break;
        else digits = 16;
      }
      const column = values[field]!;
      if (digits > 15 || digits === 0) {
        const cell = text.slice(at, end);
        const parsed = cellValue(cell);
        if (parsed === undefined) {
          if (columns[field] === column) columns[field] = { line, cell: cell.trim() };
        } else column[rowCount] = parsed;
      } else column[rowCount] = value;
      field++;
      at = end;
      if (text.charCodeAt(at) !== COMMA) break;
      at++;
    }
    if (field !== width) return undefined;
    rowCount++;
    skipBreaks();
  }
  return { header, rowCount, columns: columns.map((column) => (column instanceof Float64Array ? column.subarray(0, rowCount) : column)) };
}

/** The named columns of a NumericCsv: what numericColumns does for parseCsv's result. */
export function numericTable(csv: NumericCsv, names: readonly string[]): ItemTable {
  const columnOf = columnIndexes(csv.header, names);
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    const index = columnOf.get(name);
    if (index === undefined) throw new CsvError(`the CSV has no column "${name}"`);
    const column = csv.columns[index]!;
    if (!(column instanceof Float64Array)) throw notANumber(column.line, name, column.cell);
    columns[name] = column;
  }
  return { rowCount: csv.rowCount, columns };
}
