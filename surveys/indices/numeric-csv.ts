// A plain numeric CSV (UTF-8, comma separated, no quotes) read straight from its bytes into item columns,
// with no CSV library loaded: the quick path of `npm run csi`. Anything else goes to csv.ts's full reader.
import { momentsBuilder, type Moments } from './moments.ts';
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

/** Where the rows of a plain numeric CSV start: its bytes (no BOM), header and first row's offset and line. */
interface NumericCsvStart {
  bytes: Uint8Array;
  header: string[];
  at: number;
  line: number;
}

/**
 * The header of the usual file: UTF-8, no quotes, no NUL bytes, not blank. Undefined for any other file,
 * which parseCsv then reads and says what is wrong with.
 */
function numericCsvStart(input: Uint8Array): NumericCsvStart | undefined {
  const bytes = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;
  if (bytes.indexOf(QUOTE) >= 0 || bytes.indexOf(0) >= 0 || !bytes.some((byte) => byte < 0x80 && !isSpaceByte(byte))) return undefined;
  const decoder = new TextDecoder();
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
  skipBreaks();
  const header: string[] = [];
  for (;;) {
    let end = at;
    for (; end < bytes.length; end++) {
      const c = bytes[end];
      if (c === COMMA || c === LF || c === CR) break;
    }
    header.push(decoder.decode(bytes.subarray(at, end)));
    at = end;
    if (bytes[at] !== COMMA) break;
    at++;
  }
  skipBreaks();
  return { bytes, header, at, line };
}

/** The header row of the usual file (see readNumericCsv), or undefined for a file only parseCsv reads. */
export function numericCsvHeader(input: Uint8Array): string[] | undefined {
  return numericCsvStart(input)?.header;
}

/**
 * The usual file quickly, straight from its bytes (100,000 rows in tens of milliseconds instead of about a
 * second): UTF-8, no quotes, every row with the header's number of fields. Anything else (a quote, a ragged
 * row, NUL bytes, nothing but spaces) gives undefined, and parseCsv then reads the file and says what is wrong.
 * numericTable on the result gives what numericColumns gives on parseCsv's, the same numbers or the same error.
 */
export function readNumericCsv(input: Uint8Array): NumericCsv | undefined {
  const start = numericCsvStart(input);
  if (!start) return undefined;
  const { bytes, header } = start;
  const decoder = new TextDecoder();
  // Room for every line (counted by the native search); trimmed to the rows found.
  let capacity = 1;
  for (const breakByte of [LF, CR]) {
    for (let i = bytes.indexOf(breakByte, start.at); i >= 0; i = bytes.indexOf(breakByte, i + 1)) capacity++;
  }
  const values = header.map(() => new Float64Array(capacity));
  const columns: NumericCsv['columns'] = [...values];
  const rowCount = readNumericRows(bytes, start.at, start.line, values, (field, rowLine, from, to, row) => {
    const cell = decoder.decode(bytes.subarray(from, to));
    const parsed = cellValue(cell);
    if (parsed === undefined) {
      if (columns[field] === values[field]) columns[field] = { line: rowLine, cell: cell.trim() };
    } else values[field]![row] = parsed;
    return true;
  });
  if (rowCount === undefined) return undefined;
  return { header, rowCount, columns: columns.map((column) => (column instanceof Float64Array ? column.subarray(0, rowCount) : column)) };
}

/** Rows read at a time by readNumericMoments: its columns stay in cache while their products are added. */
const rowsPerBlock = 1024;

/**
 * The moments of `items` (named in the header) in one pass over the usual file, without keeping its rows:
 * the quick path of `npm run csi` for a file whose every row gives every item a whole number. Undefined
 * for any other file (a missing answer, a decimal, a ragged row, fewer than 3 rows, numbers so large that
 * the sums would not be exact), which then goes through readNumericCsv or parseCsv. The sums are exact, so
 * the covariance is what the column-by-column estimate gives, to rounding.
 */
export function readNumericMoments(input: Uint8Array, items: readonly string[]): Moments | undefined {
  const start = numericCsvStart(input);
  if (!start) return undefined;
  const columnOf = columnIndexes(start.header, items);
  if (columnOf.size !== items.length) return undefined;
  const values = start.header.map(() => new Float64Array(rowsPerBlock));
  const itemColumns = items.map((item) => values[columnOf.get(item)!]!);
  const isItem = start.header.map((_, index) => [...columnOf.values()].includes(index));
  const builder = momentsBuilder(items);
  let largest = 0;
  const rows = readNumericRows(
    start.bytes,
    start.at,
    start.line,
    values,
    (field) => !isItem[field],
    (count) => {
      for (const column of itemColumns) for (let r = 0; r < count; r++) if (column[r]! > largest) largest = column[r]!;
      builder.add(itemColumns, count);
    },
  );
  if (rows === undefined || rows < 3 || largest * largest * rows >= Number.MAX_SAFE_INTEGER) return undefined;
  return builder.finish();
}

/**
 * The rows of a numeric CSV from `start` (line `firstLine`): whole numbers of up to 15 digits are written
 * here, any other cell is handed to `otherCell`, which returns false to stop reading. Rows go into `values`
 * from index 0; with `blockFull`, each time the columns are full (and at the end) it is given the rows in
 * them and the next rows start again at 0. The row count, or undefined for a row whose field count is not
 * the header's or when `otherCell` stopped. One loop with its state in locals, since it runs once for
 * every byte of the file.
 */
function readNumericRows(
  bytes: Uint8Array,
  start: number,
  firstLine: number,
  values: Float64Array[],
  otherCell: (field: number, line: number, from: number, to: number, row: number) => boolean,
  blockFull?: (rows: number) => void,
): number | undefined {
  const length = bytes.length;
  const width = values.length;
  const capacity = values[0]?.length ?? 0;
  let at = start;
  let line = firstLine;
  let row = 0;
  let total = 0;
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
      if (digits > 15 || digits === 0) {
        if (!otherCell(field, line, at, end, row)) return undefined;
      } else values[field]![row] = value;
      field++;
      at = end;
      if (bytes[at] !== COMMA) break;
      at++;
    }
    if (field !== width) return undefined;
    row++;
    total++;
    if (blockFull && row === capacity) {
      blockFull(row);
      row = 0;
    }
    // Past the line break (CRLF, LF or CR) and any blank lines after it, counting lines.
    for (;;) {
      const c = bytes[at];
      if (c === LF) at++;
      else if (c === CR) at += bytes[at + 1] === LF ? 2 : 1;
      else break;
      line++;
    }
  }
  if (blockFull && row > 0) blockFull(row);
  return total;
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
