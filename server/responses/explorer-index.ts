// Keeps the responses explorer's index current: for each response, one row of response_facts (its survey,
// time, channel, customer segment, data-quality flags, and its answers coded one character a
// part, see rules.ts) and its comments in the full-text table response_search. Like the insights processor
// it follows responses by rowid behind a cursor moved in the same write transaction as the rows it adds, so
// several processes can run it and each response is indexed once. It indexes a response once the insights
// processor has judged its data quality (its flags are copied); existing responses are indexed the same way,
// from the first, when the server first runs after the migration (or at once by `npm run -s insights --
// catch-up`; `rebuild` starts the index over too).
import type { InValue, Transaction } from '@libsql/client';
import type { Answers } from '../../surveys/answers.ts';
import { startPacedWorker, type PacedWorker } from '../jobs/paced.ts';
import type { Db } from '../db/client.ts';
import { codesOf, commentsOf, withVersionSlots, type Slot } from './rules.ts';
import { frozenVersion } from './service.ts';

interface Pending {
  rowid: number;
  surveyId: string;
  versionId: string;
  channel: string;
  answers: Answers;
  submittedAt: number;
  /** The customer's segment when the response was indexed (as the dashboard counts it). */
  segment: string | null;
  flags: number;
}

async function cursorOf(db: Db): Promise<number> {
  const result = await db.$client.execute('SELECT cursor FROM explorer_state WHERE id = 1');
  if (result.rows.length > 0) return Number(result.rows[0]![0]);
  await db.$client.execute({ sql: 'INSERT OR IGNORE INTO explorer_state (id, cursor, updated_at) VALUES (1, 0, ?)', args: [Date.now()] });
  return 0;
}

/** How far the insights processor has judged responses: the index takes their flags, so it stays behind it. */
async function judgedThrough(db: Db): Promise<number> {
  const result = await db.$client.execute('SELECT cursor FROM insight_state WHERE id = 1');
  return result.rows.length === 0 ? 0 : Number(result.rows[0]![0]);
}

async function readPending(client: Pick<Transaction, 'execute'>, after: number, through: number, limit: number): Promise<Pending[]> {
  const result = await client.execute({
    // A response retention made anonymous has no customer: it keeps the segment they had then.
    sql: `SELECT r.rowid, r.survey_id, r.version_id, r.channel, r.answers, r.submitted_at, coalesce(c.segment, r.segment), q.flags
          FROM responses r
          LEFT JOIN customers c ON c.id = r.customer_id
          LEFT JOIN response_quality q ON q.response_rowid = r.rowid
          WHERE r.rowid > ? AND r.rowid <= ? ORDER BY r.rowid LIMIT ?`,
    args: [after, through, limit],
  });
  return result.rows.map((row) => ({
    rowid: Number(row[0]),
    surveyId: String(row[1]),
    versionId: String(row[2]),
    channel: String(row[3]),
    answers: JSON.parse(String(row[4])) as Answers,
    submittedAt: Number(row[5]),
    segment: row[6] === null || row[6] === '' ? null : String(row[6]),
    flags: row[7] === null ? 0 : Number(row[7]),
  }));
}

async function insertRows(tx: Transaction, head: string, columns: number, rows: InValue[][]) {
  const perStatement = Math.floor(30_000 / columns);
  const placeholder = `(${new Array(columns).fill('?').join(',')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await tx.execute({ sql: `${head} VALUES ${chunk.map(() => placeholder).join(',')}`, args: chunk.flat() });
  }
}

/**
 * Indexes the next responses (up to `limit`). Returns how many: 0 when none are waiting, or when another
 * process indexed the same ones first.
 */
export async function indexBatch(db: Db, limit = 2000): Promise<number> {
  const cursor = await cursorOf(db);
  const through = await judgedThrough(db);
  if (through <= cursor) return 0;
  const first = await readPending(db.$client, cursor, through, limit);
  if (first.length === 0) return 0;
  const last = first.at(-1)!.rowid;
  // The survey versions (frozen, never changed) are read before the write lock is taken.
  const versions = new Map<string, NonNullable<Awaited<ReturnType<typeof frozenVersion>>>>();
  for (const versionId of new Set(first.map((row) => row.versionId))) {
    const version = await frozenVersion(db, versionId);
    if (!version) throw new Error(`survey version ${versionId} is missing`);
    versions.set(versionId, version);
  }

  const tx = await db.$client.transaction('write');
  try {
    const moved = await tx.execute({
      sql: 'UPDATE explorer_state SET cursor = ?, updated_at = ? WHERE id = 1 AND cursor = ?',
      args: [last, Date.now(), cursor],
    });
    if (moved.rowsAffected !== 1) {
      await tx.rollback();
      return 0;
    }
    // The answers again, under the write lock: an erasure or a retention batch that committed since the first
    // read took words out (and found none of these in response_search to delete); what is indexed is what is
    // stored now.
    // (The same rows, or fewer: a response's survey version never changes.)
    const rows = await readPending(tx, cursor, last, limit);
    const surveyIds = [...new Set(rows.map((row) => row.surveyId))];
    const known = await tx.execute({
      sql: `SELECT survey_id, number, slots FROM explorer_surveys WHERE survey_id IN (${surveyIds.map(() => '?').join(',')})`,
      args: surveyIds,
    });
    const surveys = new Map<string, { number: number; slots: readonly Slot[]; changed: boolean; isNew: boolean }>(
      known.rows.map((row) => [String(row[0]), { number: Number(row[1]), slots: JSON.parse(String(row[2])) as Slot[], changed: false, isNew: false }]),
    );
    const highest = await tx.execute('SELECT coalesce(max(number), 0) FROM explorer_surveys');
    let nextNumber = Number(highest.rows[0]![0]) + 1;
    const facts: InValue[][] = [];
    const comments: InValue[][] = [];
    for (const row of rows) {
      const version = versions.get(row.versionId)!;
      let survey = surveys.get(row.surveyId);
      if (!survey) surveys.set(row.surveyId, (survey = { number: nextNumber++, slots: [], changed: true, isNew: true }));
      const slots = withVersionSlots(survey.slots, version.definition);
      if (slots !== survey.slots) {
        survey.slots = slots;
        survey.changed = true;
      }
      facts.push([survey.number, row.submittedAt, row.rowid, row.channel, row.segment, row.flags, codesOf(survey.slots, row.answers)]);
      const text = commentsOf(version.definition, row.answers);
      if (text !== '') comments.push([row.rowid, text]);
    }
    for (const [surveyId, survey] of surveys) {
      if (!survey.changed) continue;
      await tx.execute({
        sql: survey.isNew
          ? 'INSERT INTO explorer_surveys (slots, survey_id, number) VALUES (?, ?, ?)'
          : 'UPDATE explorer_surveys SET slots = ? WHERE survey_id = ? AND number = ?',
        args: [JSON.stringify(survey.slots), surveyId, survey.number],
      });
    }
    await insertRows(
      tx,
      'INSERT OR REPLACE INTO response_facts (survey_number, submitted_at, response_rowid, channel, segment, flags, codes)',
      7,
      facts,
    );
    if (comments.length > 0) await insertRows(tx, 'INSERT OR REPLACE INTO response_search (rowid, body)', 2, comments);
    await tx.commit();
  } finally {
    tx.close();
  }
  return first.length;
}

/**
 * Empties the index; the background work indexes every response again from the first. For a restored backup
 * or after a VACUUM, which may renumber the rowids the index refers to (as the dashboard's rebuild).
 */
export async function forgetExplorerIndex(db: Db) {
  const tx = await db.$client.transaction('write');
  try {
    for (const table of ['response_facts', 'response_search', 'explorer_surveys']) await tx.execute(`DELETE FROM ${table}`);
    await tx.execute({ sql: 'INSERT INTO explorer_state (id, cursor, updated_at) VALUES (1, 0, ?) ON CONFLICT (id) DO UPDATE SET cursor = 0, updated_at = excluded.updated_at', args: [Date.now()] });
    await tx.commit();
  } finally {
    tx.close();
  }
}

/** Indexes every response judged so far; returns how many. */
export async function catchUpExplorer(db: Db, options: { batchSize?: number; onProgress?: (done: number) => void } = {}): Promise<number> {
  let done = 0;
  for (;;) {
    const indexed = await indexBatch(db, options.batchSize ?? 5000);
    if (indexed === 0) {
      if ((await pendingForExplorer(db)) === 0) return done;
      // Another process took the batch, or the insights processor has not judged the next responses yet.
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    done += indexed;
    options.onProgress?.(done);
  }
}

/** Judged responses not yet in the explorer's index. */
async function pendingForExplorer(db: Db): Promise<number> {
  const cursor = await cursorOf(db);
  const through = await judgedThrough(db);
  if (through <= cursor) return 0;
  const result = await db.$client.execute({ sql: 'SELECT count(*) FROM responses WHERE rowid > ? AND rowid <= ?', args: [cursor, through] });
  return Number(result.rows[0]![0]);
}

/** A survey's responses not yet in the explorer's index (arrived in the last moments, or waiting for a backfill). */
export async function surveyPending(db: Db, surveyId: string): Promise<number> {
  const cursor = await cursorOf(db);
  // "+survey_id": walk the few rows past the cursor, not the survey's whole index.
  const result = await db.$client.execute({ sql: 'SELECT count(*) FROM responses WHERE rowid > ? AND +survey_id = ?', args: [cursor, surveyId] });
  return Number(result.rows[0]![0]);
}

export type ExplorerIndexer = PacedWorker;

/**
 * Runs in every server process beside the insights processor: indexes new responses as they are judged,
 * checking every `intervalMs`, in steps paced by startPacedWorker; while more are waiting it rests between
 * steps so that it takes at most `busyShare` of the process: submissions are answered between steps, and a
 * backlog (the responses stored before the upgrade) is indexed in the background.
 */
export function startExplorerIndexer(
  db: Db,
  options: { intervalMs?: number; stepMs?: number; busyShare?: number; minBatch?: number; maxBatch?: number; onProblem?: (text: string, error: unknown) => void } = {},
): ExplorerIndexer {
  return startPacedWorker({
    ...options,
    step: (batch) => indexBatch(db, batch),
    problem: 'Indexing responses for the explorer failed; retrying.',
  });
}
