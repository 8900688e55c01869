// Reading and writing CSV, pure and shared by the server (streamed uploads) and the staff app (the preview):
// encoding and delimiter detection, a reader fed a piece at a time over csv-parse, and a writer safe to open in a
// spreadsheet.

import { readRecords, recordDelimiters, type CsvOptions } from '../../surveys/csv.ts';

export type CsvEncoding = 'utf-8' | 'gb18030';
export type CsvDelimiter = ',' | '\t';

/** Valid UTF-8 (a BOM included) is UTF-8; anything else is taken for GB18030, which Chinese Excel saves. */
export function detectEncoding(sample: Uint8Array): CsvEncoding {
  try {
    // stream: a multi-byte character cut off at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Tab when the first line has at least as many tabs as commas (and some), else comma. */
export function detectDelimiter(text: string): CsvDelimiter {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const tabs = firstLine.split('\t').length - 1;
  const commas = firstLine.split(',').length - 1;
  return tabs > 0 && tabs >= commas ? '\t' : ',';
}

/** A decoder for an upload; undecodable bytes throw rather than turning into replacement characters. */
export function csvDecoder(encoding: CsvEncoding) {
  // The UTF-8 decoder drops a leading BOM by itself.
  return new TextDecoder(encoding, { fatal: true });
}

/** A record grew past the reader's limit: almost always a quote that never closes. */
export class CsvError extends Error {
  constructor(
    readonly rowNumber: number,
    readonly maxChars: number,
  ) {
    super(`row ${rowNumber} is longer than ${maxChars} characters`);
  }
}

const LF = 10;
const CR = 13;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Turns text, given a piece at a time, into records of cells (RFC 4180: quoted cells may hold the
 * delimiter, doubled quotes and line breaks; CRLF, LF or CR end a record), parsed by csv-parse. Lenient where a
 * spreadsheet is: a quote inside an unquoted cell is kept as it is, and rows may differ in length.
 * Only the record cut off at the end of a piece is held until the next piece arrives.
 */
export class CsvReader {
  readonly #options: CsvOptions;
  readonly #maxRecordChars: number;
  /** UTF-8 text not yet read into complete records: the start of a record the next piece finishes. */
  #pending = new Uint8Array();
  #records = 0;

  constructor(delimiter: CsvDelimiter, options: { maxRecordChars?: number } = {}) {
    this.#options = { delimiter, record_delimiter: recordDelimiters, relax_quotes: true, relax_column_count: true };
    this.#maxRecordChars = options.maxRecordChars ?? 1_000_000;
  }

  /** Records completed by this piece of text; a record cut at the end waits for the next piece. */
  push(text: string): string[][] {
    const pending = this.#join(text);
    if (pending.length === 0) return [];
    // A quote still open at the end of the piece only means the cell goes on in the next one.
    const { records, error } = readRecords(pending, this.#options);
    if (error && error.code !== 'CSV_QUOTE_NOT_CLOSED') throw error;
    let read = 0;
    const done: string[][] = [];
    for (const [index, record] of records.entries()) {
      // The last record is complete only once its line break came, and a CR at the very end may be half of a CRLF.
      const lastByte = pending[record.end - 1];
      if (index === records.length - 1 && !error && (record.end === pending.length ? lastByte !== LF : lastByte !== CR && lastByte !== LF)) break;
      this.#count(pending.subarray(read, record.end));
      done.push(record.cells);
      read = record.end;
    }
    this.#pending = pending.slice(read);
    if (this.#tooLong(this.#pending)) throw new CsvError(this.#records + 1, this.#maxRecordChars);
    return done;
  }

  /** The last record, if the text did not end with a line break; `unclosedQuote` when a quoted cell never closed. */
  end(): { records: string[][]; unclosedQuote: boolean } {
    const pending = this.#pending;
    this.#pending = new Uint8Array();
    if (pending.length === 0) return { records: [], unclosedQuote: false };
    let { records, error } = readRecords(pending, this.#options);
    const unclosedQuote = error?.code === 'CSV_QUOTE_NOT_CLOSED';
    // A quoted cell that never closed runs to the end of the file: close it, so the row can be shown and rejected.
    if (unclosedQuote) ({ records, error } = readRecords(this.#join('"', pending), this.#options));
    if (error) throw error;
    let read = 0;
    for (const record of records) {
      this.#count(pending.subarray(read, Math.min(record.end, pending.length)));
      read = record.end;
    }
    return { records: records.map((record) => record.cells), unclosedQuote };
  }

  /** How many records have been completed so far. */
  get recordCount() {
    return this.#records;
  }

  #join(text: string, before = this.#pending): Uint8Array {
    const bytes = encoder.encode(text);
    if (before.length === 0) return bytes;
    const joined = new Uint8Array(before.length + bytes.length);
    joined.set(before);
    joined.set(bytes, before.length);
    return joined;
  }

  #count(raw: Uint8Array) {
    this.#records += 1;
    if (this.#tooLong(raw)) throw new CsvError(this.#records, this.#maxRecordChars);
  }

  /** UTF-8 never takes fewer bytes than characters, so only a long run of bytes needs counting. */
  #tooLong(raw: Uint8Array) {
    return raw.length > this.#maxRecordChars + 2 && decoder.decode(raw).replace(/\r?\n$|\r$/, '').length > this.#maxRecordChars;
  }
}

/** Reads a whole text at once (the preview, tests). */
export function parseCsv(text: string, delimiter: CsvDelimiter): string[][] {
  const reader = new CsvReader(delimiter);
  const records = reader.push(text);
  return records.concat(reader.end().records);
}

/**
 * One line of CSV (with its CRLF). A text cell a spreadsheet would run as a formula (starting with = + - @,
 * or a tab or carriage return) gets a leading apostrophe, so opening a report cannot run what a file
 * smuggled in. Numbers are written as numbers: a figure of −12.5 stays a number a spreadsheet can sum.
 */
export function csvLine(cells: readonly (string | number)[], delimiter: CsvDelimiter = ','): string {
  return (
    cells
      .map((cell) => {
        if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
        const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
        return /["\r\n]|^\s|\s$/.test(safe) || safe.includes(delimiter) ? `"${safe.replace(/"/g, '""')}"` : safe;
      })
      .join(delimiter) + '\r\n'
  );
}

/** Undoes csvLine's apostrophe, so a corrected report can be imported again. */
export function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
