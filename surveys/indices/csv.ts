// CSV text (RFC 4180: comma separated, optional double quotes, "" for a quote; parsed by csv-parse) to item columns.
// Strict on purpose: a file that is not CSV fails with the line that shows it, instead of being misread.
import { readRecords, recordDelimiters, type CsvOptions } from '../csv.ts';
import type { ItemTable } from './pls.ts';
import { cellValue, columnIndexes, CR, CsvError, LF, notANumber } from './numeric-csv.ts';

export { CsvError, numericTable, readNumericCsv, type NumericCsv } from './numeric-csv.ts';

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

