// The full recompute: every customer's loyalty worked out again from everything on record, with new cut points
// (RFM quintiles, tier values, the cohort gap) that the incremental updates then use. Run on a schedule
// (recomputeEveryHours, one run across processes), on demand (POST /api/loyalty/recompute) and by operators
// (`npm run -s loyalty -- recompute`).
//
//   recomputeLoyalty(db, options?) → RecomputeReport      throws RecomputeRunning when another is under way
//   ensureCuts(db, now) → LoyaltyCuts                      the stored cut points, made (without rows) if none
//   recomputeJobKind, scheduleLoyaltyRecompute(db, now?), recomputeHandlers({ db })
//
// All or nothing: the rows are written into a shadow table (customer_loyalty_next) and the changes into
// loyalty_changes_next, in many small transactions; then one transaction swaps the shadow in, records the
// changes, sets the customers' tiers and stores the cut points. A recompute killed before that transaction
// leaves every previous row, tier and cut point as it was (its half-made shadow is dropped by the next run); the
// swap itself is one SQLite transaction. Incremental updates keep running meanwhile: a customer whose row an
// update wrote after the recompute began keeps that row (it saw newer facts) and is marked stale, so the next
// update applies the new cut points to it; marks not yet worked stay in loyalty_stale. So nothing that
// arrives during a recompute is lost.
//
// One recompute at a time, across processes: a lease in the settings table (key loyalty.recompute.lock), held
// while the run renews it and taken over once it runs out (the holder died).
import { randomUUID } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { giveTurn } from '../jobs/paced.ts';
import { enqueue, periodicJob, type DbOrTx, type JobHandler, type NewJob } from '../jobs/queue.ts';
import type { CustomerTier } from '../customers/vocabulary.ts';
import {
  computeLoyalty,
  customerLoyaltyColumns,
  cutsFrom,
  DefinitionCache,
  readCuts,
  readFacts,
  readPurchases,
  saveCuts,
  type LoyaltyCuts,
  type LoyaltyResult,
  type LoyaltyRow,
  type PurchaseFacts,
} from './engine.ts';
import { readLoyaltySettings } from './settings.ts';
import { markLoyaltyStale, purchasesCoveredUpTo } from './updates.ts';
import { loyaltyStages, type LoyaltyStage } from './vocabulary.ts';

export const recomputeJobKind = 'loyalty.recompute';
const lockKey = 'loyalty.recompute.lock';
const lockLeaseMs = 120_000;
/** Customers read per round; each round is a handful of statements. */
export const defaultChunkSize = 20_000;
const shadowTable = 'customer_loyalty_next';
const shadowChanges = 'loyalty_changes_next';
const shadowTiers = 'loyalty_tiers_next';
const retiredTable = 'customer_loyalty_old';
const rowsPerInsert = 2_000;

export class RecomputeRunning extends DomainError {
  constructor(since: number | null) {
    const at = since ? new Date(since).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '';
    super(
      'conflict',
      bilingual(
        `A full loyalty recompute is already running${at ? ` (since ${at})` : ''}; wait for it to finish.`,
        `忠诚度全量重算正在进行${at ? `（开始于 ${at}）` : ''}，请等待其完成。`,
      ),
    );
  }
}

export interface RecomputeReport {
  customers: number;
  withPurchases: number;
  stages: Record<LoyaltyStage, number>;
  atRisk: number;
  churned: number;
  tiers: Record<CustomerTier, number>;
  /** Stage, tier, at-risk and churn moves recorded. */
  changes: number;
  /** Rows that came out different from the stored ones (the rest were copied as they were). */
  rewritten: number;
  /** Customers whose tier on record changed (hand-set tiers are left alone). */
  tiersSet: number;
  /** Customers an incremental update wrote while the recompute ran: their newer row was kept. */
  keptFromUpdates: number;
  cuts: LoyaltyCuts;
  readMs: number;
  writeMs: number;
  swapMs: number;
  totalMs: number;
}

// ---- the lock ------------------------------------------------------------------------------------------------

async function takeLock(db: Db, holder: string, now: number): Promise<void> {
  const value = JSON.stringify({ holder, since: now, until: now + lockLeaseMs });
  const taken = await db.$client.execute({
    sql: `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
          WHERE json_extract(settings.value, '$.until') < ?
          RETURNING key`,
    args: [lockKey, value, now, now],
  });
  if (taken.rows.length === 1) return;
  const current = await db.$client.execute({ sql: `SELECT json_extract(value, '$.since') AS since FROM settings WHERE key = ?`, args: [lockKey] });
  throw new RecomputeRunning(current.rows[0] ? Number(current.rows[0].since) : null);
}

async function renewLock(db: Db, holder: string): Promise<void> {
  const renewed = await db.$client.execute({
    sql: `UPDATE settings SET value = json_set(value, '$.until', ?) WHERE key = ? AND json_extract(value, '$.holder') = ? RETURNING key`,
    args: [Date.now() + lockLeaseMs, lockKey, holder],
  });
  if (renewed.rows.length !== 1) throw new Error('The recompute lost its lock (it stalled past its lease and another run took over).');
}

async function releaseLock(db: Db, holder: string): Promise<void> {
  await db.$client.execute({ sql: `DELETE FROM settings WHERE key = ? AND json_extract(value, '$.holder') = ?`, args: [lockKey, holder] });
}

/** True while some process holds the recompute lock. */
export async function recomputeRunning(db: Db, now = Date.now()): Promise<{ since: number } | null> {
  const rows = await db.$client.execute({
    sql: `SELECT json_extract(value, '$.since') AS since FROM settings WHERE key = ? AND json_extract(value, '$.until') >= ?`,
    args: [lockKey, now],
  });
  return rows.rows[0] ? { since: Number(rows.rows[0].since) } : null;
}

// ---- reading in rounds -----------------------------------------------------------------------------------------

/** The customers' ids in rounds of `size`, as [first, last] of each round. */
async function customerRounds(db: Db, size: number): Promise<[string, string][]> {
  const rounds: [string, string][] = [];
  let after = '';
  for (;;) {
    const result = await db.$client.execute({
      sql: `SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM (SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?)`,
      args: [after, size],
    });
    const row = result.rows[0]!;
    if (Number(row.n) === 0) return rounds;
    rounds.push([String(row.first), String(row.last)]);
    after = String(row.last);
  }
}

/** Pass one: every customer's purchase facts (the only read of the purchases), for the cut points. */
async function readAllPurchases(db: Db, rounds: readonly [string, string][], now: number, step: () => Promise<void>) {
  const settings = await readLoyaltySettings(db);
  const all = new Map<string, PurchaseFacts>();
  for (const [fromId, toId] of rounds) {
    const facts = await readPurchases(db, { fromId, toId }, settings, now);
    for (const [id, fact] of facts) all.set(id, fact);
    await step();
  }
  return all;
}

/** The stored cut points; when a recompute never ran, made from the purchases (no rows are written). */
export async function ensureCuts(db: Db, now = Date.now()): Promise<LoyaltyCuts> {
  const stored = await readCuts(db);
  if (stored) return stored;
  const settings = await readLoyaltySettings(db);
  const rounds = await customerRounds(db, defaultChunkSize);
  const purchases = await readAllPurchases(db, rounds, now, async () => {});
  const count = Number((await db.$client.execute('SELECT count(*) AS n FROM customers')).rows[0]!.n);
  const cuts = cutsFrom(purchases.values(), count, settings, now);
  // A recompute that finished meanwhile wins: its cut points are at least as good.
  if (!(await readCuts(db))) await saveCuts(db, cuts);
  return (await readCuts(db)) ?? cuts;
}

// ---- the shadow tables ------------------------------------------------------------------------------------------

const columnNames = Object.values(customerLoyaltyColumns);
const propertyNames = Object.keys(customerLoyaltyColumns) as (keyof LoyaltyRow)[];

async function makeShadow(db: Db): Promise<{ indexes: { name: string; sql: string }[] }> {
  const table = await db.$client.execute({ sql: `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'customer_loyalty'`, args: [] });
  const ddl = String(table.rows[0]!.sql);
  const indexes = await db.$client.execute({
    sql: `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer_loyalty' AND sql IS NOT NULL`,
    args: [],
  });
  // What a run killed earlier left behind goes first.
  await dropShadow(db);
  await db.$client.execute(`DROP TABLE IF EXISTS ${retiredTable}`);
  await db.$client.execute(ddl.replace(/^CREATE TABLE\s+(["`]?)customer_loyalty\1/i, `CREATE TABLE ${shadowTable}`));
  await db.$client.execute(
    `CREATE TABLE ${shadowChanges} (customer_id TEXT NOT NULL, at INTEGER NOT NULL, field TEXT NOT NULL, before TEXT, after TEXT, cause TEXT NOT NULL, reasons TEXT NOT NULL)`,
  );
  await db.$client.execute(`CREATE TABLE ${shadowTiers} (customer_id TEXT PRIMARY KEY, tier TEXT NOT NULL)`);
  return { indexes: indexes.rows.map((row) => ({ name: String(row.name), sql: String(row.sql) })) };
}

async function dropShadow(db: Db) {
  await db.$client.executeMultiple(`DROP TABLE IF EXISTS ${shadowTable}; DROP TABLE IF EXISTS ${shadowChanges}; DROP TABLE IF EXISTS ${shadowTiers};`);
}

const jsonValue = (value: unknown) => (value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : typeof value === 'boolean' ? Number(value) : value);

/** What of a row a recompute may change; computed_at aside, a row equal in all of these is copied as it is. */
const comparedProperties = propertyNames.filter((key) => key !== 'computedAt' && key !== 'customerId');
const comparable = (value: unknown) => (value !== null && typeof value === 'object' ? JSON.stringify(value) : value);

/** The row worked out is the stored one again (apart from when it was worked out). */
export function unchanged(row: LoyaltyRow, previous: LoyaltyRow | null): boolean {
  if (!previous) return false;
  return comparedProperties.every((key) => comparable(row[key]) === comparable(previous[key]));
}

/**
 * Writes a round's rows and changes into the shadow tables: the stored rows of the round's customers are copied
 * in SQLite (with the new computed_at), and only the rows that came out different are sent, each statement
 * taking its rows as one JSON array.
 */
async function writeShadow(db: Db, round: { fromId: string; toId: string; now: number }, results: readonly LoyaltyResult[], previous: ReadonlyMap<string, LoyaltyRow | null>) {
  const extract = columnNames.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ');
  const copied = columnNames.map((column) => (column === 'computed_at' ? String(Number(round.now)) : `l.${column}`)).join(', ');
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO ${shadowTable} (${columnNames.join(', ')})
            SELECT ${copied} FROM customer_loyalty l JOIN customers c ON c.id = l.customer_id WHERE l.customer_id BETWEEN ? AND ?`,
      args: [round.fromId, round.toId],
    },
  ];
  const different = results.filter((result) => !unchanged(result.row, previous.get(result.row.customerId) ?? null));
  for (let start = 0; start < different.length; start += rowsPerInsert) {
    const rows = different.slice(start, start + rowsPerInsert).map((result) => propertyNames.map((key) => jsonValue(result.row[key])));
    statements.push({ sql: `INSERT OR REPLACE INTO ${shadowTable} (${columnNames.join(', ')}) SELECT ${extract} FROM json_each(?)`, args: [JSON.stringify(rows)] });
  }
  for (let start = 0; start < results.length; start += rowsPerInsert) {
    const slice = results.slice(start, start + rowsPerInsert);
    const changes = slice.flatMap((result) => result.changes.map((change) => [change.customerId, change.at, change.field, change.before, change.after, change.cause, JSON.stringify(change.reasons ?? [])]));
    if (changes.length > 0) {
      statements.push({
        sql: `INSERT INTO ${shadowChanges} (customer_id, at, field, before, after, cause, reasons)
              SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                     json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]') FROM json_each(?)`,
        args: [JSON.stringify(changes)],
      });
    }
  }
  const tiers = results.flatMap((result) => (result.setTier ? [[result.row.customerId, result.setTier]] : []));
  if (tiers.length > 0) {
    statements.push({
      sql: `INSERT OR REPLACE INTO ${shadowTiers} (customer_id, tier) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`,
      args: [JSON.stringify(tiers)],
    });
  }
  if (statements.length > 0) await db.$client.batch(statements, 'write');
  return different.length;
}

/**
 * The one swap transaction: rows an incremental update wrote since `startedAt` are kept (and marked stale, to
 * take the new cut points), the shadow's changes are recorded, tiers set, the shadow becomes customer_loyalty
 * with the same indexes, and the cut points are stored. The previous table is dropped after it, in a
 * transaction of its own (a run killed in between leaves it for the next run to drop).
 */
async function swapIn(db: Db, startedAt: number, indexes: readonly { name: string; sql: string }[], cuts: LoyaltyCuts, coveredUpTo: number) {
  const swapped = await db.transaction(async (tx) => {
    const run = (text: string) => tx.run(sql.raw(text));
    const updatedSince = `SELECT customer_id FROM customer_loyalty WHERE computed_at > ${Number(startedAt)}`;
    const kept = (await tx.all<{ customer_id: string }>(sql.raw(updatedSince))).map((row) => row.customer_id);
    if (kept.length > 0) {
      await run(`INSERT OR REPLACE INTO ${shadowTable} SELECT * FROM customer_loyalty WHERE computed_at > ${Number(startedAt)}`);
      await run(`DELETE FROM ${shadowChanges} WHERE customer_id IN (${updatedSince})`);
      await run(`DELETE FROM ${shadowTiers} WHERE customer_id IN (${updatedSince})`);
      await markLoyaltyStale(tx, kept, 'recompute');
    }
    const changes = await tx.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${shadowChanges}`));
    await run(`INSERT INTO loyalty_changes (customer_id, at, field, before, after, cause, reasons)
               SELECT customer_id, at, field, before, after, cause, reasons FROM ${shadowChanges} ORDER BY rowid`);
    // A tier set by hand since the rows were worked out stays.
    const tiers = await tx.all<{ id: string }>(
      sql.raw(`UPDATE customers SET tier = t.tier FROM ${shadowTiers} t
               WHERE customers.id = t.customer_id AND customers.tier_set_by_hand = 0 AND customers.tier <> t.tier
               RETURNING customers.id`),
    );
    for (const index of indexes) await run(`DROP INDEX ${JSON.stringify(index.name)}`);
    await run(`ALTER TABLE customer_loyalty RENAME TO ${retiredTable}`);
    await run(`ALTER TABLE ${shadowTable} RENAME TO customer_loyalty`);
    for (const index of indexes) await run(index.sql);
    await run(`DROP TABLE ${shadowChanges}`);
    await run(`DROP TABLE ${shadowTiers}`);
    await saveCuts(tx, cuts);
    await purchasesCoveredUpTo(tx, coveredUpTo);
    return { kept: kept.length, changes: Number(changes[0]?.n ?? 0), tiersSet: tiers.length };
  });
  await db.$client.execute(`DROP TABLE IF EXISTS ${retiredTable}`);
  return swapped;
}

// ---- the recompute ------------------------------------------------------------------------------------------

export interface RecomputeOptions {
  now?: number;
  chunkSize?: number;
  /** A line about progress, for the command line; the run waits for a promise it returns. */
  onProgress?: (text: string) => void | Promise<void>;
  signal?: AbortSignal;
}

export async function recomputeLoyalty(db: Db, options: RecomputeOptions = {}): Promise<RecomputeReport> {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  const progress = options.onProgress ?? (() => {});
  const holder = randomUUID();
  await takeLock(db, holder, Date.now());
  let lastRenewal = Date.now();
  const step = async () => {
    options.signal?.throwIfAborted();
    if (Date.now() - lastRenewal > lockLeaseMs / 4) {
      await renewLock(db, holder);
      lastRenewal = Date.now();
    }
    await giveTurn();
  };
  try {
    const settings = await readLoyaltySettings(db);
    const { indexes } = await makeShadow(db);
    const rounds = await customerRounds(db, chunkSize);
    // Every purchase stored by now is read below: the incremental update need not fold them into marks again.
    const coveredUpTo = Number((await db.$client.execute('SELECT coalesce(max(id), 0) AS id FROM purchases')).rows[0]!.id);
    const purchases = await readAllPurchases(db, rounds, now, step);
    const customerCount = Number((await db.$client.execute('SELECT count(*) AS n FROM customers')).rows[0]!.n);
    const cuts = cutsFrom(purchases.values(), customerCount, settings, now);
    const readMs = performance.now() - started;
    await progress(`read the purchases of ${customerCount.toLocaleString('en')} customers (${purchases.size.toLocaleString('en')} with purchases) in ${(readMs / 1000).toFixed(1)} s`);

    const report = {
      stages: Object.fromEntries(loyaltyStages.map((stage) => [stage, 0])) as Record<LoyaltyStage, number>,
      tiers: { vip: 0, important: 0, ordinary: 0 } as Record<CustomerTier, number>,
      atRisk: 0,
      churned: 0,
      customers: 0,
    };
    const definitions = new DefinitionCache();
    let done = 0;
    let rewritten = 0;
    for (const [fromId, toId] of rounds) {
      const facts = await readFacts(db, { fromId, toId }, settings, now, definitions, purchases);
      const results = facts.map((fact) => computeLoyalty(fact, { now, settings, cuts, cause: 'recompute' }));
      for (const result of results) {
        report.customers++;
        report.stages[result.row.stage]++;
        if (result.row.computedTier) report.tiers[result.row.computedTier]++;
        if (result.row.atRisk) report.atRisk++;
        if (result.row.churned) report.churned++;
      }
      rewritten += await writeShadow(db, { fromId, toId, now }, results, new Map(facts.map((fact) => [fact.customerId, fact.previous])));
      done += facts.length;
      await progress(`worked out ${done.toLocaleString('en')} of ${customerCount.toLocaleString('en')} customers`);
      await step();
    }
    const writeMs = performance.now() - started - readMs;
    await renewLock(db, holder);
    const swapStarted = performance.now();
    const swapped = await swapIn(db, now, indexes, cuts, coveredUpTo);
    const swapMs = performance.now() - swapStarted;
    return {
      ...report,
      withPurchases: purchases.size,
      changes: swapped.changes,
      rewritten,
      tiersSet: swapped.tiersSet,
      keptFromUpdates: swapped.kept,
      cuts,
      readMs,
      writeMs,
      swapMs,
      totalMs: performance.now() - started,
    };
  } catch (error) {
    await dropShadow(db).catch(() => {});
    throw error;
  } finally {
    await releaseLock(db, holder).catch(() => {});
  }
}

// ---- the schedule ------------------------------------------------------------------------------------------

const hourMs = 3_600_000;
const RecomputePayload = v.object({ start: v.optional(v.number()), manual: v.optional(v.boolean()) });

/** The scheduled run at a period boundary, keyed by it: any number of processes make it once. */
export function recomputeJob(start: number): NewJob {
  return periodicJob(recomputeJobKind, start);
}

/** Makes sure the next scheduled run exists (each process calls it when it starts); a second call adds nothing. */
export async function scheduleLoyaltyRecompute(db: Db, now = Date.now()): Promise<{ runAt: number; created: boolean }> {
  const periodMs = (await readLoyaltySettings(db)).recomputeEveryHours * hourMs;
  const runAt = (Math.floor(now / periodMs) + 1) * periodMs;
  const { created } = await enqueue(db, recomputeJob(runAt));
  return { runAt, created };
}

/** Asks for a recompute now (POST /api/loyalty/recompute); one already waiting or running is answered instead. */
export async function requestRecompute(db: DbOrTx, now = Date.now()) {
  const second = Math.floor(now / 1000);
  return enqueue(db, { kind: recomputeJobKind, payload: { manual: true }, dedupeKey: `${recomputeJobKind}:manual:${second}`, runAt: now, maxAttempts: 1 });
}

export function recomputeHandlers({ db }: { db: Db }): Record<string, JobHandler> {
  return {
    [recomputeJobKind]: async (payload, context) => {
      const { start, manual } = v.parse(RecomputePayload, payload);
      if (!manual && start !== undefined) {
        // The next run first, so a run that keeps failing does not end the chain.
        await scheduleLoyaltyRecompute(db, Math.max(start, Date.now()));
        const periodMs = (await readLoyaltySettings(db)).recomputeEveryHours * hourMs;
        const cuts = await readCuts(db);
        // A recompute on demand in the last half period does for this one.
        if (cuts && cuts.computedAt > start - periodMs / 2) return;
      }
      try {
        await recomputeLoyalty(db, { signal: context.signal });
      } catch (error) {
        // Another process is recomputing right now: that run is this one.
        if (error instanceof RecomputeRunning) return;
        throw error;
      }
    },
  };
}
