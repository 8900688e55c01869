// A plain numeric CSV (UTF-8, comma separated, no quotes) read straight from its bytes into item columns,
// with no CSV library loaded: the quick path of `npm run csi`. Anything else goes to csv.ts's full reader.
import type { ItemTable } from './pls.ts';

export class CsvError extends Error {
  override name = 'CsvError';
}

export const LF = 10;
export const CR = 13;

export const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The header column of each name (names match trimmed), refusing a name that appears twice. */
export function columnIndexes(header: readonly string[], names: readonly string[]): Map<string, number> {
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
export function cellValue(text: string): number | undefined {
  const cell = text.trim();
  if (cell === '' || cell === 'NA') return Number.NaN;
  return numberPattern.test(cell) ? Number(cell) : undefined;
}

export const notANumber = (line: number, name: string, cell: string) =>
  new CsvError(`line ${line}, column "${name}": ${JSON.stringify(cell)} is not a number (leave the cell empty for a missing answer)`);

/** A CSV read straight into numbers by readNumericCsv, without keeping its cells. */
export interface NumericCsv {
  header: string[];
  rowCount: number;
  /** Each header column's values, or the first of its cells that is not a number (trimmed) and its line. */
  columns: (Float64Array | { line: number; cell: string })[];
}

const COMMA = 44;
const QUOTE = 34;
/** What String.prototype.trim takes away, among single bytes: space, tab, line breaks, vertical tab, form feed. */
const isSpaceByte = (byte: number) => byte === 32 || (byte >= 9 && byte <= 13);
const ZERO = 48;
const NINE = 57;

/**
 * The usual file quickly, straight from its bytes (100,000 rows in tens of milliseconds instead of about a
 * second): UTF-8, no quotes, every row with the header's number of fields. Anything else (a quote, a ragged
 * row, NUL bytes, nothing but spaces) gives undefined, and parseCsv then reads the file and says what is wrong.
 * numericTable on the result gives what numericColumns gives on parseCsv's, the same numbers or the same error.
 */
export function readNumericCsv(input: Uint8Array): NumericCsv | undefined {
  const bytes = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;
  if (bytes.indexOf(QUOTE) >= 0 || bytes.indexOf(0) >= 0 || !bytes.some((byte) => byte < 0x80 && !isSpaceByte(byte))) return undefined;
  const decoder = new TextDecoder();
  const textOf = (from: number, to: number) => decoder.decode(bytes.subarray(from, to));
  const length = bytes.length;
  let at = 0;
  let line = 1;
  // Past line breaks (CRLF, LF or CR) and the blank lines among them, counting lines.
  const skipBreaks = () => {
    for (;;) {
      const c = bytes[at];
      if (c === LF) at++;
      else if (c === CR) at += bytes[at + 1] === LF ? 2 : 1;
      else return;
      line++;
    }
  };
  const fieldEnd = (from: number) => {
    let end = from;
    for (; end < length; end++) {
      const c = bytes[end];
      if (c === COMMA || c === LF || c === CR) break;
    }
    return end;
  };

  skipBreaks();
  const header: string[] = [];
  for (;;) {
    const end = fieldEnd(at);
    header.push(textOf(at, end));
    at = end;
    if (bytes[at] !== COMMA) break;
    at++;
  }
  skipBreaks();

  // Room for every line (counted by the native search); trimmed to the rows found.
  let capacity = 1;
  for (const breakByte of [LF, CR]) {
    for (let i = bytes.indexOf(breakByte, at); i >= 0; i = bytes.indexOf(breakByte, i + 1)) capacity++;
  }
  const width = header.length;
  const values = header.map(() => new Float64Array(capacity));
  const columns: NumericCsv['columns'] = [...values];
  const rowCount = readNumericRows(bytes, at, line, values, (field, rowLine, from, to, row) => {
    const cell = textOf(from, to);
    const parsed = cellValue(cell);
    if (parsed === undefined) {
      if (columns[field] === values[field]) columns[field] = { line: rowLine, cell: cell.trim() };
    } else values[field]![row] = parsed;
  });
  if (rowCount === undefined) return undefined;
  return { header, rowCount, columns: columns.map((column) => (column instanceof Float64Array ? column.subarray(0, rowCount) : column)) };
}

/**
 * The rows of readNumericCsv from `start` (line `firstLine`): whole numbers of up to 15 digits are written
 * here, any other cell is handed to `otherCell`. The row count, or undefined for a row whose field count is
 * not the header's. One loop with its state in locals, since it runs once for every byte of the file.
 */
function readNumericRows(
  bytes: Uint8Array,
  start: number,
  firstLine: number,
  values: Float64Array[],
  otherCell: (field: number, line: number, from: number, to: number, row: number) => void,
): number | undefined {
  const length = bytes.length;
  const width = values.length;
  let at = start;
  let line = firstLine;
  let row = 0;
  while (at < length) {
    let field = 0;
    for (;;) {
      if (field === width) return undefined;
      let value = 0;
      let digits = 0;
      let end = at;
      for (; end < length; end++) {
        const c = bytes[end]!;
        if (c >= ZERO && c <= NINE) {
          value = value * 10 + (c - ZERO);
          digits++;
        } else if (c === COMMA || c === LF || c === CR) break;
        else digits = 16;
      }
      if (digits > 15 || digits === 0) otherCell(field, line, at, end, row);
      else values[field]![row] = value;
      field++;
      at = end;
      if (bytes[at] !== COMMA) break;
      at++;
    }
    if (field !== width) return undefined;
    row++;
    // Past the line break (CRLF, LF or CR) and any blank lines after it, counting lines.
    for (;;) {
      const c = bytes[at];
      if (c === LF) at++;
      else if (c === CR) at += bytes[at + 1] === LF ? 2 : 1;
      else break;
      line++;
    }
  }
  return row;
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
