// CSV text (RFC 4180: comma separated, optional double quotes, "" for a quote) to item columns.
// Strict on purpose: a file that is not CSV fails with the line that shows it, instead of being misread.
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

export function parseCsv(input: string): Csv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes('\u0000')) throw new CsvError('this is not a CSV text file (it contains NUL bytes)');
  if (text.trim() === '') throw new CsvError('the CSV file is empty; it needs a header row of column names');

  const records: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= length) throw new CsvError(`line ${startLine}: a quoted field is never closed`);
          const quote = text.indexOf('"', i);
          if (quote === -1) throw new CsvError(`line ${startLine}: a quoted field is never closed`);
          const chunk = text.slice(i, quote);
          line += countNewlines(chunk);
          field += chunk;
          i = quote + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
        const after = text[i];
        if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
          throw new CsvError(`line ${line}: unexpected text after a closing quote; quote the whole field`);
        }
      } else {
        let end = i;
        while (end < length) {
          const c = text.charCodeAt(end);
          if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
          if (c === 34 /* " */) throw new CsvError(`line ${line}: a quote inside an unquoted field; quote the whole field`);
          end++;
        }
        field = text.slice(i, end);
        i = end;
      }
      fields.push(field);
      const c = text[i];
      if (c === ',') {
        i++;
        continue;
      }
      // The record ends at \r\n, \n, \r or the end of the text.
      if (c === '\r') i += text[i + 1] === '\n' ? 2 : 1;
      else if (c === '\n') i++;
      line++;
      endOfRecord = true;
    }
    if (fields.length === 1 && fields[0] === '') continue; // a blank line
    records.push(fields);
    lines.push(startLine);
  }

  const [header, ...rows] = records;
  if (!header) throw new CsvError('the CSV file is empty; it needs a header row of column names');
  lines.shift();
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw new CsvError(`line ${lines[r]} has ${row.length} fields but the header row has ${header.length}`);
    }
  });
  return { header, rows, lines };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The named columns as numbers. Other columns (a row id, an unnamed first column) are ignored. An empty
 * cell or NA is a missing answer (NaN); anything else must be a number.
 */
export function numericColumns(csv: Csv, names: readonly string[]): ItemTable {
  const columnOf = new Map<string, number>();
  csv.header.forEach((name, index) => {
    const key = name.trim();
    if (!names.includes(key)) return;
    if (columnOf.has(key)) throw new CsvError(`column "${key}" appears twice in the header row`);
    columnOf.set(key, index);
  });
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    const index = columnOf.get(name);
    if (index === undefined) throw new CsvError(`the CSV has no column "${name}"`);
    const values = new Float64Array(csv.rows.length);
    csv.rows.forEach((row, r) => {
      const cell = row[index]!.trim();
      if (cell === '' || cell === 'NA') values[r] = Number.NaN;
      else if (numberPattern.test(cell)) values[r] = Number(cell);
      else {
        throw new CsvError(
          `line ${csv.lines[r]}, column "${name}": ${JSON.stringify(cell)} is not a number (leave the cell empty for a missing answer)`,
        );
      }
    });
    columns[name] = values;
  }
  return { rowCount: csv.rows.length, columns };
}
