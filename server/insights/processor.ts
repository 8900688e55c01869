// Keeps the aggregates current as responses arrive. Each batch reads the responses past the cursor (by
// rowid: SQLite hands out rowids in commit order, one writer at a time), judges their data quality, folds
// their answers into answer_cells and moment_stats, and moves the cursor, all in one write transaction
// that first checks the cursor is where it was read: two processes never fold a response in twice, and a
// crash between batches loses nothing (the next batch starts from the committed cursor).
import { createHash } from 'node:crypto';
import type { InValue, Row, Transaction } from '@libsql/client';
import { eq } from 'drizzle-orm';
import type { Answers } from '../../surveys/answers.ts';
import { startPacedWorker, type PacedWorker } from '../jobs/paced.ts';
import { bucketOf, dayOf } from '../../surveys/indices/periods.ts';
import { addObservation, decodeMoments, emptyMoments, encodeMoments, mergeMoments, type Moments } from '../../surveys/indices/moments.ts';
import {
  answersFingerprint,
  defaultQualityOptions,
  isDistinctive,
  isSpeeder,
  isStraightLiner,
  likelyDuplicates,
  qualityBits,
  type DuplicateCandidate,
} from '../../surveys/indices/quality.ts';
import type { Db } from '../db/client.ts';
import type { Tracer } from '../db/trace.ts';
import { insightState, surveyVersions } from '../db/schema.ts';
import { addCell, addValue, decodeCell, encodeCell, type CellStats } from './cells.ts';
import { itemValues, measuresOf, planOf, type VersionPlan } from './measures.ts';
import { basisOf, readInsightSettings } from './settings.ts';

const plans = new Map<string, VersionPlan>();

/** What a survey version measures; versions never change once published, so each is worked out once. */
export async function versionPlan(db: Db, versionId: string, surveyId: string): Promise<VersionPlan> {
  const known = plans.get(versionId);
  if (known) return known;
  const [version] = await db.select({ definition: surveyVersions.definition }).from(surveyVersions).where(eq(surveyVersions.id, versionId));
  if (!version) throw new Error(`survey version ${versionId} is missing`);
  const plan = planOf(surveyId, version.definition);
  plans.set(versionId, plan);
  return plan;
}

interface ResponseRow {
  rowid: number;
  surveyId: string;
  versionId: string;
  channel: string;
  answers: Answers;
  durationMs: number | null;
  submittedAt: number;
  customerId: string | null;
  tier: string;
  segment: string;
  region: string;
}

interface State {
  cursor: number;
  basis: string;
  timeZone: string;
  cutoffs: import('../../surveys/indices/expectation.ts').LevelCutoffs;
}

/** The processor's state, created on first use and reset (aggregates emptied) when the settings changed. */
async function currentState(db: Db): Promise<State> {
  const settings = await readInsightSettings(db);
  const basis = basisOf(settings);
  const [row] = await db.select().from(insightState).where(eq(insightState.id, 1));
  if (!row) {
    await db.insert(insightState).values({ id: 1, cursor: 0, timeZone: settings.timeZone, basis }).onConflictDoNothing();
    return currentState(db);
  }
  if (row.basis !== basis) {
    const tx = await db.$client.transaction('write');
    try {
      const moved = await tx.execute({
        sql: 'UPDATE insight_state SET cursor = 0, basis = ?, time_zone = ?, rebuilt_at = ?, updated_at = ? WHERE id = 1 AND basis = ?',
        args: [basis, settings.timeZone, Date.now(), Date.now(), row.basis],
      });
      if (moved.rowsAffected === 1) {
        for (const table of ['answer_cells', 'moment_stats', 'moment_item_sets', 'response_quality']) await tx.execute(`DELETE FROM ${table}`);
      }
      await tx.commit();
    } finally {
      tx.close();
    }
    return currentState(db);
  }
  return { cursor: row.cursor, basis, timeZone: settings.timeZone, cutoffs: settings.cutoffs };
}

// A response retention made anonymous has no customer: it keeps the tier, segment and region they had then.
async function readBatch(db: Db, cursor: number, limit: number): Promise<ResponseRow[]> {
  const result = await db.$client.execute({
    sql: `SELECT r.rowid, r.survey_id, r.version_id, r.channel, r.answers, r.duration_ms, r.submitted_at, r.customer_id,
                 coalesce(c.tier, r.tier), coalesce(c.segment, r.segment), coalesce(c.region, r.region)
          FROM responses r LEFT JOIN customers c ON c.id = r.customer_id
          WHERE r.rowid > ? ORDER BY r.rowid LIMIT ?`,
    args: [cursor, limit],
  });
  return result.rows.map((row) => ({
    rowid: Number(row[0]),
    surveyId: String(row[1]),
    versionId: String(row[2]),
    channel: String(row[3]),
    answers: JSON.parse(String(row[4])) as Answers,
    durationMs: row[5] === null ? null : Number(row[5]),
    submittedAt: Number(row[6]),
    customerId: row[7] === null ? null : String(row[7]),
    tier: row[8] === null ? '' : String(row[8]),
    segment: row[9] === null ? '' : String(row[9]),
    region: row[10] === null ? '' : String(row[10]),
  }));
}

const knownMedians = new Map<string, { median: number | null; at: number }>();
/** A median moves slowly: it is worked out again at most this often per survey, not on every batch. */
const medianTtlMs = 30_000;

async function recentMedian(db: Db, surveyId: string): Promise<number | null> {
  const known = knownMedians.get(surveyId);
  if (known && Date.now() - known.at < medianTtlMs && known.median !== null) return known.median;
  const median = await medianDuration(db, surveyId);
  knownMedians.set(surveyId, { median, at: Date.now() });
  return median;
}

/** The median duration of a survey's responses processed so far; null while too few are timed. */
async function medianDuration(db: Db, surveyId: string): Promise<number | null> {
  const counted = await db.$client.execute({
    sql: 'SELECT count(*) FROM response_quality WHERE survey_id = ? AND duration_ms > 0',
    args: [surveyId],
  });
  const timed = Number(counted.rows[0]![0]);
  if (timed < defaultQualityOptions.minTimedForMedian) return null;
  const middle = await db.$client.execute({
    sql: 'SELECT duration_ms FROM response_quality WHERE survey_id = ? AND duration_ms > 0 ORDER BY duration_ms LIMIT ? OFFSET ?',
    args: [surveyId, timed % 2 === 1 ? 1 : 2, (timed - 1) >> 1],
  });
  const values = middle.rows.map((row) => Number(row[0]));
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function fingerprintOf(surveyId: string, answers: Answers): string {
  return createHash('sha256').update(surveyId).update('\u0000').update(answersFingerprint(answers)).digest('base64url').slice(0, 16);
}

/**
 * Earlier responses that make these candidates duplicates: for each candidate that can be one, the earliest
 * earlier response with its customer and answers within its window (with any others at that same instant,
 * where the id breaks the tie). One is enough to flag a candidate, and any real earlier response added to
 * likelyDuplicates' input can only flag what the full history would flag, so this judges exactly as all of
 * them would, with one indexed look-up per candidate instead of every response that ever gave the same
 * answers (an O(n) read per batch that grew with the database and stalled the process).
 */
async function earlierMatches(db: Db, candidates: DuplicateCandidate[], options = defaultQualityOptions): Promise<DuplicateCandidate[]> {
  const wanted = candidates.filter((c) => c.customerId !== null || c.distinctive !== false);
  const found = new Map<string, DuplicateCandidate>();
  const perStatement = 500;
  for (let start = 0; start < wanted.length; start += perStatement) {
    const chunk = wanted.slice(start, start + perStatement);
    const result = await db.$client.execute({
      // (fingerprint, customer, since, until) per candidate; a plain SELECT, so it reads without taking the write turn.
      sql: `SELECT q.response_rowid, q.customer_id, q.submitted_at, q.fingerprint
            FROM (VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}) AS w
            JOIN response_quality q ON q.response_rowid = (
              SELECT e.response_rowid FROM response_quality e
              WHERE e.fingerprint = w.column1 AND e.customer_id IS w.column2 AND e.submitted_at BETWEEN w.column3 AND w.column4
              ORDER BY e.submitted_at LIMIT 1)`,
      args: chunk.flatMap((c) => [
        c.fingerprint,
        c.customerId,
        c.submittedAt - (c.customerId === null ? options.duplicateWindowMs : options.customerDuplicateWindowMs),
        c.submittedAt,
      ]),
    });
    for (const row of result.rows) {
      const match: DuplicateCandidate = {
        id: String(row[0]),
        customerId: row[1] === null ? null : String(row[1]),
        submittedAt: Number(row[2]),
        fingerprint: String(row[3]),
      };
      found.set(match.id, match);
    }
  }
  // The earliest match at the candidate's own instant: whether one precedes it depends on the ids, so take them all.
  const keyOf = (c: DuplicateCandidate) => `${c.customerId ?? ''}${separator}${c.fingerprint}${separator}${c.submittedAt}`;
  const matched = new Set([...found.values()].map(keyOf));
  for (const c of wanted) {
    if (!matched.has(keyOf(c))) continue;
    const result = await db.$client.execute({
      sql: 'SELECT response_rowid, customer_id, submitted_at, fingerprint FROM response_quality WHERE fingerprint = ? AND customer_id IS ? AND submitted_at = ?',
      args: [c.fingerprint, c.customerId, c.submittedAt],
    });
    for (const row of result.rows) {
      found.set(String(row[0]), { id: String(row[0]), customerId: row[1] === null ? null : String(row[1]), submittedAt: Number(row[2]), fingerprint: String(row[3]) });
    }
  }
  return [...found.values()];
}

const cellKeyColumns = ['survey_id', 'cube', 'grain', 'period', 'channel', 'segment', 'tier', 'region', 'flagged'];
const momentKeyColumns = ['survey_id', 'item_set', 'grain', 'period', 'channel', 'segment', 'flagged'];
const separator = '\u0001';

/** Folds a batch of responses into in-memory deltas, keyed like the tables. */
class Deltas {
  readonly cells = new Map<string, { key: (string | number)[]; stats: CellStats }>();
  readonly moments = new Map<string, { key: (string | number)[]; moments: Moments }>();
  readonly itemSets = new Map<string, { surveyId: string; items: string[] }>();

  add(row: ResponseRow, plan: VersionPlan, flags: number, timeZone: string, cutoffs: State['cutoffs']) {
    const flagged = flags === 0 ? 0 : 1;
    const day = dayOf(row.submittedAt, timeZone);
    const periods = [['d', day], ['w', bucketOf(day, 'week')], ['m', bucketOf(day, 'month')]] as const;
    const cubes = [
      ['c', '', '', ''],
      ['a', row.segment, '', ''],
      ['t', '', row.tier, ''],
      ['r', '', '', row.region],
    ] as const;
    const { whole, continuous } = measuresOf(plan, row.answers, cutoffs, flags);
    for (const [grain, period] of periods) {
      for (const [cube, segment, tier, region] of cubes) {
        const key = [row.surveyId, cube, grain, period, row.channel, segment, tier, region, flagged];
        const id = key.join(separator);
        let cell = this.cells.get(id);
        if (!cell) this.cells.set(id, (cell = { key, stats: {} }));
        for (const [measure, value] of whole) addValue(cell.stats, measure, value, true);
        for (const [measure, value] of continuous) addValue(cell.stats, measure, value, false);
      }
    }
    const values = itemValues(plan, row.answers);
    if (values) {
      this.itemSets.set(plan.itemSet, { surveyId: plan.surveyId, items: plan.items });
      for (const [grain, period] of periods) {
        const key = [row.surveyId, plan.itemSet, grain, period, row.channel, row.segment, flagged];
        const id = key.join(separator);
        let entry = this.moments.get(id);
        if (!entry) this.moments.set(id, (entry = { key, moments: emptyMoments(plan.items) }));
        addObservation(entry.moments, values);
      }
    }
  }
}

async function insertMany(tx: Transaction, head: string, columns: number, rows: InValue[][], tail = '') {
  const perStatement = Math.floor(30_000 / columns);
  const placeholder = `(${new Array(columns).fill('?').join(',')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await tx.execute({ sql: `${head} VALUES ${chunk.map(() => placeholder).join(',')} ${tail}`, args: chunk.flat() });
  }
}

/** The stored rows for these keys, by the keys joined: one statement per few thousand keys. */
async function existingRows(tx: Transaction, table: string, keyColumns: string[], valueColumns: string, keys: (string | number)[][]) {
  const found = new Map<string, Row>();
  const perStatement = Math.floor(30_000 / keyColumns.length);
  const placeholder = `(${new Array(keyColumns.length).fill('?').join(',')})`;
  for (let start = 0; start < keys.length; start += perStatement) {
    const chunk = keys.slice(start, start + perStatement);
    const result = await tx.execute({
      sql: `SELECT ${keyColumns.join(', ')}, ${valueColumns} FROM ${table} WHERE (${keyColumns.join(', ')}) IN (VALUES ${chunk.map(() => placeholder).join(',')})`,
      args: chunk.flat(),
    });
    for (const row of result.rows) found.set(keyColumns.map((_, i) => String(row[i])).join(separator), row);
  }
  return found;
}

async function write(tx: Transaction, deltas: Deltas, quality: InValue[][]) {
  const cells = [...deltas.cells.values()];
  const storedCells = await existingRows(tx, 'answer_cells', cellKeyColumns, 'stats', cells.map((cell) => cell.key));
  await insertMany(
    tx,
    `INSERT INTO answer_cells (${cellKeyColumns.join(', ')}, stats)`,
    cellKeyColumns.length + 1,
    cells.map(({ key, stats }) => {
      const before = storedCells.get(key.join(separator));
      if (before) addCell(stats, decodeCell(String(before[cellKeyColumns.length])));
      return [...key, encodeCell(stats)];
    }),
    `ON CONFLICT (${cellKeyColumns.join(', ')}) DO UPDATE SET stats = excluded.stats`,
  );

  const moments = [...deltas.moments.values()];
  const storedMoments = await existingRows(tx, 'moment_stats', momentKeyColumns, 'n, sums', moments.map((entry) => entry.key));
  await insertMany(
    tx,
    `INSERT OR REPLACE INTO moment_stats (${momentKeyColumns.join(', ')}, n, sums)`,
    momentKeyColumns.length + 2,
    moments.map(({ key, moments: delta }) => {
      const before = storedMoments.get(key.join(separator));
      if (before) {
        mergeMoments(delta, decodeMoments(delta.items, Number(before[momentKeyColumns.length]), new Uint8Array(before[momentKeyColumns.length + 1] as ArrayBuffer)));
      }
      return [...key, delta.n, encodeMoments(delta)];
    }),
  );
  await insertMany(
    tx,
    'INSERT OR IGNORE INTO moment_item_sets (signature, survey_id, items)',
    3,
    [...deltas.itemSets].map(([signature, { surveyId, items }]) => [signature, surveyId, JSON.stringify(items)]),
  );
  await insertMany(
    tx,
    'INSERT OR IGNORE INTO response_quality (response_rowid, survey_id, customer_id, submitted_at, duration_ms, fingerprint, flags)',
    7,
    quality,
  );
}

/**
 * Folds the next batch of responses into the aggregates. Returns how many were folded in: 0 when there were
 * none, or when another process folded the same batch first (then the next call goes on from there).
 */
export async function processBatch(db: Db, limit = 2000): Promise<number> {
  return (await foldBatch(db, limit)).folded;
}

/** A batch folded in: how many (0 for none, or when another process folded it first). */
async function foldBatch(db: Db, limit: number, tracer?: Tracer): Promise<{ folded: number }> {
  const started = performance.now();
  const state = await currentState(db);
  const rows = await readBatch(db, state.cursor, limit);
  if (rows.length === 0) return { folded: 0 };
  const readAt = performance.now();

  const rowPlans = await Promise.all(rows.map((row) => versionPlan(db, row.versionId, row.surveyId)));
  const medians = new Map<string, number | null>();
  for (const surveyId of new Set(rows.map((row) => row.surveyId))) medians.set(surveyId, await recentMedian(db, surveyId));

  const candidates: DuplicateCandidate[] = rows.map((row, index) => ({
    id: String(row.rowid),
    customerId: row.customerId,
    submittedAt: row.submittedAt,
    fingerprint: fingerprintOf(row.surveyId, row.answers),
    distinctive: isDistinctive(rowPlans[index]!.definition, row.answers),
  }));
  const earlier = await earlierMatches(db, candidates);
  const batchIds = new Set(rows.map((row) => String(row.rowid)));
  const duplicates = likelyDuplicates([...earlier.filter((c) => !batchIds.has(c.id)), ...candidates]);
  const checkedAt = performance.now();

  const deltas = new Deltas();
  const quality: InValue[][] = [];
  rows.forEach((row, index) => {
    const plan = rowPlans[index]!;
    let flags = 0;
    if (isSpeeder(row.durationMs, medians.get(row.surveyId) ?? null)) flags |= qualityBits.speeder;
    if (isStraightLiner(row.answers, plan.grids)) flags |= qualityBits.straight_liner;
    if (duplicates.has(String(row.rowid))) flags |= qualityBits.duplicate;
    deltas.add(row, plan, flags, state.timeZone, state.cutoffs);
    quality.push([row.rowid, row.surveyId, row.customerId, row.submittedAt, row.durationMs, candidates[index]!.fingerprint, flags]);
  });

  const next = rows[rows.length - 1]!.rowid;
  const computedAt = performance.now();
  const tx = await db.$client.transaction('write');
  try {
    const moved = await tx.execute({
      sql: 'UPDATE insight_state SET cursor = ?, updated_at = ? WHERE id = 1 AND cursor = ? AND basis = ?',
      args: [next, Date.now(), state.cursor, state.basis],
    });
    if (moved.rowsAffected !== 1) {
      await tx.rollback();
      return { folded: 0 };
    }
    await write(tx, deltas, quality);
    await tx.commit();
  } finally {
    tx.close();
  }
  if (tracer) {
    const end = performance.now();
    const r = (ms: number) => Math.round(ms * 10) / 10;
    tracer.record({ event: 'fold', rows: rows.length, ms: r(end - started), readMs: r(readAt - started), checkMs: r(checkedAt - readAt), computeMs: r(computedAt - checkedAt), writeMs: r(end - computedAt) });
  }
  return { folded: rows.length };
}

/** When the newest stored response was submitted (0 for none): one row, the last by rowid. */
async function lastArrival(db: Db): Promise<number> {
  const result = await db.$client.execute('SELECT submitted_at FROM responses ORDER BY rowid DESC LIMIT 1');
  return result.rows.length === 0 ? 0 : Number(result.rows[0]![0]);
}

/** Folds in every response there is now; returns how many. */
export async function catchUp(db: Db, options: { batchSize?: number; onProgress?: (done: number) => void } = {}): Promise<number> {
  let done = 0;
  for (;;) {
    const processed = await processBatch(db, options.batchSize ?? 5000);
    if (processed === 0) {
      // Another process may have taken the batch: stop only when nothing is left.
      if ((await pendingResponses(db)) === 0) return done;
      continue;
    }
    done += processed;
    options.onProgress?.(done);
  }
}

/** Empties the aggregates: the next batch starts over from the first response. */
export async function forgetAggregates(db: Db) {
  await db.update(insightState).set({ basis: '' }).where(eq(insightState.id, 1));
}

/** Responses not yet folded into the aggregates (of those submitted before an instant, when given). */
export async function pendingResponses(db: Db, submittedBefore?: number): Promise<number> {
  const [row] = await db.select({ cursor: insightState.cursor }).from(insightState).where(eq(insightState.id, 1));
  const result = await db.$client.execute(
    submittedBefore === undefined
      ? { sql: 'SELECT count(*) FROM responses WHERE rowid > ?', args: [row?.cursor ?? 0] }
      : { sql: 'SELECT count(*) FROM responses WHERE rowid > ? AND submitted_at < ?', args: [row?.cursor ?? 0, submittedBefore] },
  );
  return Number(result.rows[0]![0]);
}

export type InsightsProcessor = PacedWorker;

/**
 * Runs in every server process: folds new responses in as they arrive, checking every `intervalMs`, in steps
 * paced by startPacedWorker. A backlog (after a rebuild, or after a flood) is folded back to back; while answers
 * keep arriving (one stored in the last `arrivingMs`) and more are waiting than one fold takes, each fold is
 * followed by a rest, so the processor takes at most `busyShare` of the process while it is busy taking those
 * answers, however far behind it is: a customer's submission never waits long behind it, and the figures
 * catch up when the flood passes (the dashboard says how many are still to be counted).
 */
export function startInsightsProcessor(
  db: Db,
  options: {
    intervalMs?: number;
    busyShare?: number;
    stepMs?: number;
    minBatch?: number;
    maxBatch?: number;
    onProblem?: (text: string, error: unknown) => void;
    tracer?: Tracer;
  } = {},
): InsightsProcessor {
  const arrivingMs = 2_000;
  return startPacedWorker({
    ...options,
    step: async (batch) => (await foldBatch(db, batch, options.tracer)).folded,
    // More waiting while answers are still arriving: a flood, so go gently until it passes.
    rest: async () => Date.now() - (await lastArrival(db)) < arrivingMs,
    problem: 'Folding responses into the dashboard figures failed; retrying.',
  });
}
