// Reading and writing CSV, pure and shared by the server (streamed uploads) and the staff app (the preview):
// encoding and delimiter detection, a reader fed a piece at a time, and a writer safe to open in a spreadsheet.

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

const QUOTE = 34;
const LF = 10;
const CR = 13;

const State = {
  FieldStart: 0,
  Unquoted: 1,
  Quoted: 2,
  /** A quote inside a quoted cell: the next character says whether it closed the cell or was doubled. */
  QuoteSeen: 3,
} as const;
type State = (typeof State)[keyof typeof State];

/** A record grew past the reader's limit: almost always a quote that never closes. */
export class CsvError extends Error {
  constructor(
    readonly rowNumber: number,
    readonly maxChars: number,
  ) {
    super(`row ${rowNumber} is longer than ${maxChars} characters`);
  }
}

/**
 * Turns text, given a piece at a time, into records of cells (RFC 4180: quoted cells may hold the
 * delimiter, doubled quotes and line breaks; CRLF, LF or CR end a record). Lenient where a spreadsheet is:
 * a quote inside an unquoted cell is kept as it is.
 */
export class CsvReader {
  readonly #delimiter: number;
  readonly #maxRecordChars: number;
  #state: State = State.FieldStart;
  #field = '';
  #record: string[] = [];
  #recordStarted = false;
  #recordChars = 0;
  #skipLf = false;
  #records = 0;

  constructor(delimiter: CsvDelimiter, options: { maxRecordChars?: number } = {}) {
    this.#delimiter = delimiter.charCodeAt(0);
    this.#maxRecordChars = options.maxRecordChars ?? 1_000_000;
  }

  /** Records completed by this piece of text; a record cut at the end waits for the next piece. */
  push(text: string): string[][] {
    const records: string[][] = [];
    const n = text.length;
    let i = 0;
    if (this.#skipLf && n > 0) {
      if (text.charCodeAt(0) === LF) i = 1;
      this.#skipLf = false;
    }
    while (i < n) {
      this.#recordStarted = true;
      if (this.#state === State.Quoted) {
        const close = text.indexOf('"', i);
        if (close === -1) {
          this.#append(text.slice(i));
          break;
        }
        this.#append(text.slice(i, close));
        this.#state = State.QuoteSeen;
        i = close + 1;
        continue;
      }
      if (this.#state === State.QuoteSeen) {
        if (text.charCodeAt(i) === QUOTE) {
          this.#append('"');
          this.#state = State.Quoted;
          i += 1;
          continue;
        }
        this.#state = State.Unquoted;
      }
      if (this.#state === State.FieldStart && text.charCodeAt(i) === QUOTE) {
        this.#state = State.Quoted;
        i += 1;
        continue;
      }
      let end = i;
      while (end < n) {
        const code = text.charCodeAt(end);
        if (code === this.#delimiter || code === LF || code === CR) break;
        end += 1;
      }
      this.#append(text.slice(i, end));
      this.#state = State.Unquoted;
      if (end === n) break;
      const stop = text.charCodeAt(end);
      this.#record.push(this.#field);
      this.#field = '';
      this.#state = State.FieldStart;
      i = end + 1;
      if (stop === this.#delimiter) continue;
      records.push(this.#endRecord());
      if (stop === CR) {
        if (i < n) {
          if (text.charCodeAt(i) === LF) i += 1;
        } else {
          this.#skipLf = true;
        }
      }
    }
    return records;
  }

  /** The last record, if the text did not end with a line break; `unclosedQuote` when a quoted cell never closed. */
  end(): { records: string[][]; unclosedQuote: boolean } {
    const unclosedQuote = this.#state === State.Quoted;
    if (!this.#recordStarted) return { records: [], unclosedQuote };
    this.#record.push(this.#field);
    return { records: [this.#endRecord()], unclosedQuote };
  }

  /** How many records have been completed so far. */
  get recordCount() {
    return this.#records;
  }

  #append(text: string) {
    this.#field += text;
    this.#recordChars += text.length;
    if (this.#recordChars > this.#maxRecordChars) {
      throw new CsvError(this.#records + 1, this.#maxRecordChars);
    }
  }

  #endRecord() {
    const record = this.#record;
    this.#record = [];
    this.#field = '';
    this.#state = State.FieldStart;
    this.#recordStarted = false;
    this.#recordChars = 0;
    this.#records += 1;
    return record;
  }
}

/** Reads a whole text at once (the preview, tests). */
export function parseCsv(text: string, delimiter: CsvDelimiter): string[][] {
  const reader = new CsvReader(delimiter);
  const records = reader.push(text);
  return records.concat(reader.end().records);
}

/**
 * One line of CSV (with its CRLF). A cell a spreadsheet would run as a formula (starting with = + - @, or a
 * tab or carriage return) gets a leading apostrophe, so opening a report cannot run what a file smuggled in.
 */
export function csvLine(cells: readonly string[], delimiter: CsvDelimiter = ','): string {
  return (
    cells
      .map((cell) => {
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
