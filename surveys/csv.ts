// Reading CSV records with csv-parse (its browser ESM build, so the same code runs in Node and in the staff app),
// shared by the customer import (server/customers/csv.ts, lenient and fed a piece at a time) and the indices
// CLI (surveys/indices/csv.ts, strict). Each caller chooses its options and turns csv-parse's errors into its own.
import { CsvError as CsvParseError, parse, type InfoRecord, type Options } from 'csv-parse/browser/esm/sync';

export { CsvParseError };
export type CsvOptions = Options;

/** The record delimiters a spreadsheet may write, even mixed in one file; CRLF first so it is one break, not two. */
export const recordDelimiters = ['\r\n', '\n', '\r'];

/** One record csv-parse read, and where it ended. */
export interface ReadRecord {
  cells: string[];
  /** The UTF-8 offset just past the record and its line break. */
  end: number;
}

/**
 * Runs csv-parse over UTF-8 text and collects the records it reads, with where each ends. When csv-parse stops
 * on an error, the records read before it are still there: `error` says why it stopped.
 */
export function readRecords(bytes: Uint8Array, options: CsvOptions): { records: ReadRecord[]; error: CsvParseError | null } {
  const records: ReadRecord[] = [];
  try {
    parse(bytes, {
      ...options,
      on_record: (cells: string[], context: InfoRecord) => {
        records.push({ cells, end: context.bytes });
        return null;
      },
    });
    return { records, error: null };
  } catch (error) {
    if (error instanceof CsvParseError) return { records, error };
    throw error;
  }
}

