// The part of a CSV import every area shares: the uploaded file is read as it arrives, its encoding and delimiter
// told from its first bytes when not given, its header row read and its column mapping checked, then its rows
// handed to the area a batch at a time, so memory stays flat for any size of file and the progress written is
// always true. What a row means, and how a batch is checked and stored, is the area's (customers, purchases).
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { csvDecoder, CsvError, csvLine, CsvReader, detectDelimiter, detectEncoding, type CsvDelimiter, type CsvEncoding } from '../customers/csv.ts';
import { DomainError } from '../errors.ts';

/** Progress is written at least this often while a file arrives, even between full batches. */
const progressEveryMs = 1000;
/** Bytes looked at to tell UTF-8 from GB18030 when the encoding is not given. */
const detectionBytes = 64 * 1024;
/** A running import that has not moved for this long lost its upload or its process. */
export const staleImportMs = 2 * 60_000;

export const isBlankRow = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');

/** A row that could not be read at all. */
export interface Unreadable {
  ok: false;
  problems: LocalizedText[];
}

/** A row of the current batch: its number in the file, its cells, and what reading it gave. */
export interface BatchEntry<Reading> {
  rowNumber: number;
  cells: string[];
  reading: Reading | Unreadable;
}

/** The counts every import keeps; an area adds its own. */
export interface UploadTotals {
  processedBytes: number;
  read: number;
  rejected: number;
  blank: number;
}

/**
 * What an area's import says about itself. `retry` tells a person what importing the file again does, e.g.
 * "Import the file again; rows already imported are updated, not added twice."
 */
export interface ImportWords {
  retry: LocalizedText;
  /** The file has no header row. */
  empty: LocalizedText;
}

/** The error of a running import that stopped moving. */
const staleError = (words: ImportWords) =>
  bilingual(
    `The import stopped part way: the upload was cut off or the server restarted. ${words.retry.en}`,
    `导入中途停止：上传被中断或服务器已重启。${words.retry['zh-CN']}`,
  );

/** The columns every import's table has. */
export interface ImportRowBase {
  id: string;
  fileName: string;
  sizeBytes: number;
  encoding: CsvEncoding | null;
  delimiter: CsvDelimiter | null;
  header: string[] | null;
  mapping: (string | null)[] | null;
  status: 'waiting' | 'running' | 'done' | 'failed';
  processedBytes: number;
  error: LocalizedText | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** An import as the API answers it, with the area's counts; a running import that stopped moving shows as failed. */
export function importView<Rows>(row: ImportRowBase, words: ImportWords, rows: Rows, now = Date.now()) {
  const stale = row.status === 'running' && now - row.updatedAt > staleImportMs;
  return {
    id: row.id,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    encoding: row.encoding,
    delimiter: row.delimiter,
    header: row.header,
    mapping: row.mapping,
    status: stale ? ('failed' as const) : row.status,
    processedBytes: row.processedBytes,
    rows,
    error: stale ? staleError(words) : row.error,
    createdAt: new Date(row.createdAt).toISOString(),
    finishedAt: row.finishedAt === null ? null : new Date(row.finishedAt).toISOString(),
  };
}

export const notFound = () => new DomainError('not_found', bilingual('No such import.', '找不到该导入。'));

export const alreadyReceived = () =>
  new DomainError(
    'conflict',
    bilingual('This import already has its file. Start a new import to send another.', '该导入已收到文件。如需导入其他文件，请新建导入。'),
  );

const tooLarge = (maxBytes: number) =>
  new DomainError(
    'too_large',
    bilingual(
      `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB. Split it into smaller files and import each; rows already read were imported.`,
      `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB。请拆分为较小的文件分别导入；已读取的行已导入。`,
    ),
  );

/** The problem a person can act on, for a failure the file or the upload caused. */
function failureOf(error: unknown, words: ImportWords): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof CsvError) {
    return new DomainError(
      'bad_request',
      bilingual(
        `The import stopped at row ${error.rowNumber}: it is longer than ${error.maxChars} characters, so a quote is probably not closed. Fix the file and import it again.`,
        `导入在第 ${error.rowNumber} 行停止：该行超过 ${error.maxChars} 个字符，可能有引号未闭合。请修正文件后重新导入。`,
      ),
    );
  }
  if (error instanceof Error && /aborted|terminated|closed|ECONNRESET/i.test(error.message)) {
    return new DomainError(
      'bad_request',
      bilingual(`The upload stopped before the whole file arrived. ${words.retry.en}`, `文件未完整上传，上传已中断。${words.retry['zh-CN']}`),
    );
  }
  return null;
}

/**
 * Runs the reading of a claimed upload and records how it ended: done, or failed with a reason a person can act
 * on (a server fault is recorded as one and thrown as it was).
 */
export async function runUpload(
  words: ImportWords,
  read: () => Promise<void>,
  finish: (ending: { status: 'done' } | { status: 'failed'; error: LocalizedText }) => Promise<void>,
): Promise<void> {
  try {
    await read();
    await finish({ status: 'done' });
  } catch (error) {
    const known = failureOf(error, words);
    const serverFailure = bilingual(`The server failed while importing. ${words.retry.en}`, `服务器在导入时出错。${words.retry['zh-CN']}`);
    await finish({ status: 'failed', error: known?.text ?? serverFailure });
    throw known ?? error;
  }
}

/** Throws the mapping's problems, if any, as one error a person can act on. */
export function checkMapping(problems: LocalizedText[]): void {
  if (problems.length === 0) return;
  throw new DomainError(
    'bad_request',
    bilingual(problems.map((problem) => problem.en).join(' '), problems.map((problem) => problem['zh-CN']).join('')),
    { mapping: bilingual(problems[0]!.en, problems[0]!['zh-CN']) },
  );
}

export interface UploadReader<Mapping, Reading> {
  /** Rows written per transaction. */
  batchRows: number;
  words: ImportWords;
  /** Once the header is read: the mapping to use, recorded with what was found, and checked. */
  settle: (header: string[], found: { encoding: CsvEncoding; delimiter: CsvDelimiter }) => Promise<Mapping>;
  readRow: (cells: string[], mapping: Mapping, header: string[]) => Reading;
  /** Checks, writes and counts one batch (possibly empty: the progress is still written). */
  writeBatch: (file: { header: string[]; mapping: Mapping | null }, batch: BatchEntry<Reading>[]) => Promise<void>;
}

/** Reads an uploaded file to its end, handing its rows to the area a batch at a time. */
export async function readUpload<Mapping, Reading>(
  area: UploadReader<Mapping, Reading>,
  upload: { encoding: CsvEncoding | null; delimiter: CsvDelimiter | null; body: ReadableStream<Uint8Array>; maxBytes: number },
  totals: UploadTotals,
): Promise<void> {
  const reader = upload.body.getReader();
  const maxBytes = upload.maxBytes;
  let encoding = upload.encoding;
  let delimiter = upload.delimiter;
  let decoder: TextDecoder | null = null;
  let csv: CsvReader | null = null;
  let header: string[] | null = null;
  let mapping: Mapping | null = null;
  let batch: BatchEntry<Reading>[] = [];
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let lastWriteAt = Date.now();

  const flush = async () => {
    await area.writeBatch({ header: header ?? [], mapping }, batch);
    batch = [];
    lastWriteAt = Date.now();
  };

  const takeRecords = async (records: string[][], lastUnclosed = false) => {
    for (const [index, cells] of records.entries()) {
      const rowNumber = csv!.recordCount - records.length + index + 1;
      if (!header) {
        if (isBlankRow(cells)) continue;
        header = cells.map((cell) => cell.trim());
        mapping = await area.settle(header, { encoding: encoding!, delimiter: delimiter! });
        continue;
      }
      if (isBlankRow(cells)) {
        totals.blank += 1;
        continue;
      }
      totals.read += 1;
      const reading: Reading | Unreadable =
        lastUnclosed && index === records.length - 1
          ? { ok: false, problems: [bilingual('a quoted cell is never closed, so the rest of the file ran into it', '有一个带引号的单元格没有闭合，文件余下内容都并入了该单元格')] }
          : area.readRow(cells, mapping!, header);
      batch.push({ rowNumber, cells, reading });
      if (batch.length >= area.batchRows) await flush();
    }
  };

  const takeText = async (bytes: Uint8Array | undefined) => {
    encoding ??= detectEncoding(bytes ?? new Uint8Array());
    decoder ??= csvDecoder(encoding);
    let text: string;
    try {
      text = bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw new DomainError(
        'bad_request',
        bilingual(
          `The file is not valid ${encoding.toUpperCase()} text. Choose the other encoding, or save the file as "CSV UTF-8", and import it again.`,
          `文件不是有效的 ${encoding.toUpperCase()} 文本。请选择另一种编码，或将文件另存为 “CSV UTF-8” 后重新导入。`,
        ),
      );
    }
    if (!csv) {
      delimiter ??= detectDelimiter(text);
      csv = new CsvReader(delimiter);
    }
    await takeRecords(csv.push(text));
  };

  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    totals.processedBytes += value.byteLength;
    if (totals.processedBytes > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    if (!decoder) {
      // Hold the first bytes back until there are enough to tell the encoding and the delimiter.
      held.push(value);
      heldBytes += value.byteLength;
      if (heldBytes < detectionBytes) continue;
      const first = concat(held);
      held = [];
      await takeText(first);
    } else {
      await takeText(value);
    }
    if (batch.length > 0 && Date.now() - lastWriteAt >= progressEveryMs) await flush();
  }
  if (!decoder) await takeText(concat(held));
  await takeText(undefined);
  const { records, unclosedQuote } = csv!.end();
  await takeRecords(records, unclosedQuote);
  if (!header) throw new DomainError('bad_request', area.words.empty);
  await flush();
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * The rejected rows as CSV, streamed a page at a time: the row number, the reason in the reader's language,
 * then the row's cells under the file's own header, so the file can be corrected and imported again.
 */
export function rejectionCsv(
  header: string[] | null,
  locale: Locale,
  page: (after: number) => Promise<{ rejections: { rowNumber: number; reason: LocalizedText; cells: string[] }[]; nextAfter: number | null }>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const labels = locale === 'zh-CN' ? ['行号', '原因'] : ['row', 'reason'];
  let after = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // The BOM makes spreadsheet programs read the Chinese text as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine([...labels, ...(header ?? [])])}`));
        return;
      }
      const { rejections, nextAfter } = await page(after);
      controller.enqueue(encoder.encode(rejections.map((row) => csvLine([String(row.rowNumber), row.reason[locale], ...row.cells])).join('')));
      if (nextAfter === null) controller.close();
      else after = nextAfter;
    },
  });
}
