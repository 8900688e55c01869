// Retention: each kind of data kept for the period an admin set (retention-rules.ts), then made anonymous or
// erased by a daily run, one per day across every process (a job keyed by its day), in batches of one
// transaction each that give way to requests. A run cut short leaves whole batches behind: the rows still due
// are what its retry (or the next day's run) takes, so nothing is done twice. Customers under a legal hold keep
// all their rows. The preview the settings page shows and the run read the same selection (`parts`), so what
// the page says will go is what goes.
//
//   readRetentionSettings(db), saveRetentionSettings(db, settings, userId)
//   previewRetention(db, settings, now?) → per kind { count, oldest }
//   runRetention(db, { now?, start?, signal? }) → the run's record { start, startedAt, finishedAt, counts }
//   lastRetentionRun(db), nextRetentionRun(db)
//   retentionJobKind, scheduleRetention(db, now?), retentionHandlers({ db })
//
// Responses lose what erasure removes (privacy/erasure.ts clearRows: free-text answers, hidden fields, their
// words in the search index) and their link to the customer: the customer's tier, segment and region are kept
// on the row so the figures' splits stay, loyalty is marked for an update (the latest answers are no longer
// theirs), and quality flags and loop-closing catches lose the customer too; nothing that starts from the customer
// leads to them any more: the postal forms keyed for them go, the invitation keeps a mark that it was answered in
// place of the response's id, and a case opened from one no longer names it. Closed cases (once the customer can
// no longer reopen them by replying) and merged duplicates lose their description, contact details and
// correspondence (clearRows), and their status page, keeping what the complaint figures count.
import type { InValue } from '@libsql/client';
import { and, asc, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db/client.ts';
import { placeholders, rawOf } from '../db/raw.ts';
import { dbNow, jobs, settings } from '../db/schema.ts';
import { makeWayForRequests } from '../jobs/paced.ts';
import { enqueue, periodicJob, type DbOrTx, type JobHandler, type NewJob } from '../jobs/queue.ts';
import { readComplaintSettings } from '../complaints/settings.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { clearRows } from './erasure.ts';
import {
  cutoffOf,
  nextRunStart,
  retentionKinds,
  runStart,
  settingsFromSaved,
  type RetentionKind,
  type RetentionSettings,
} from './retention-rules.ts';

export const retentionSettingsKey = 'privacy.retention';
export const retentionRunKey = 'privacy.retention.run';
export const retentionJobKind = 'privacy.retention';
/** Rows per transaction. */
export const retentionBatch = 500;
const dayMs = 24 * 3600_000;

// ---- settings ----------------------------------------------------------------------------------------

/** The saved periods, kind by kind (settingsFromSaved); until an admin saves them, the defaults. */
export async function readRetentionSettings(db: DbOrTx): Promise<RetentionSettings> {
  const [saved] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, retentionSettingsKey));
  return settingsFromSaved(saved?.value);
}

/** Stores periods already checked against RetentionSettingsSchema. */
export async function saveRetentionSettings(db: DbOrTx, value: RetentionSettings, userId: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key: retentionSettingsKey, value, updatedBy: userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: userId, updatedAt: dbNow } });
}

// ---- what is due -------------------------------------------------------------------------------------

/** Rows whose customer is under a legal hold (`:held`, their ids as a JSON list) are never due. */
const notHeld = (column: string) => `(${column} IS NULL OR ${column} NOT IN (SELECT value FROM json_each(:held)))`;

// An import counts from its end; one never finished (its upload never came, or its process died) from its last move.
const finishedImport = (table: string) => `SELECT id FROM ${table} WHERE coalesce(finished_at, updated_at) < :cutoff`;

/** When a merged duplicate was merged (its own 'merged' event; the case is not changed after it). */
const mergedAt = `coalesce((SELECT max(e.at) FROM complaint_events e WHERE e.case_id = complaint_cases.id AND e.type = 'merged'), updated_at)`;

/** A case's age counts from its closing, or for a merged duplicate from the merge. */
const caseFinished = `(CASE WHEN status = 'merged' THEN ${mergedAt} ELSE closed_at END)`;

/**
 * Cases due: merged duplicates merged before the cut-off, and closed cases closed before it whose reopen window
 * (`:reopenCutoff`, the complaint settings' reopenWindowDays before the run) has passed too, so a reply of the
 * customer cannot bring an anonymous case back to life (after the window a reply opens a new, linked case). A
 * case made anonymous and then reopened by staff is due again once it is closed again.
 */
const caseDue = `(anonymised_at IS NULL OR (status = 'closed' AND closed_at > anonymised_at))
  AND ((status = 'merged' AND ${mergedAt} < :cutoff)
    OR (status = 'closed' AND closed_at < :cutoff AND max(closed_at, coalesce(resolved_at, 0)) < :reopenCutoff))`;

/**
 * One table's rows of a kind that are due: a condition over `:cutoff` (epoch ms), `:held` (the customers
 * under a legal hold) and `:reopenCutoff` (see caseDue), and the rows' age.
 */
interface Part {
  table: string;
  due: string;
  age: string;
}

/**
 * The rows of each kind due at the cut-offs. Rejected rows go with their import record, so they are due when
 * either period has passed since the import finished.
 */
export function parts(kind: RetentionKind): Part[] {
  switch (kind) {
    case 'responses':
      return [{ table: 'responses', due: `anonymised_at IS NULL AND submitted_at < :cutoff AND ${notHeld('customer_id')}`, age: 'submitted_at' }];
    case 'cases':
      return [{ table: 'complaint_cases', due: `${caseDue} AND ${notHeld('customer_id')}`, age: caseFinished }];
    case 'messages':
      return [{ table: 'outgoing_messages', due: `status IN ('sent', 'failed', 'skipped') AND created_at < :cutoff AND ${notHeld('customer_id')}`, age: 'created_at' }];
    case 'sessions':
      return [{ table: 'sessions', due: 'expires_at < :cutoff', age: 'expires_at' }];
    case 'imports':
      return [
        { table: 'customer_imports', due: `id IN (${finishedImport('customer_imports')})`, age: 'coalesce(finished_at, updated_at)' },
        { table: 'purchase_imports', due: `id IN (${finishedImport('purchase_imports')})`, age: 'coalesce(finished_at, updated_at)' },
      ];
    case 'rejections':
      return [
        {
          table: 'customer_import_rejections',
          due: `import_id IN (${finishedImport('customer_imports')})`,
          age: '(SELECT coalesce(finished_at, updated_at) FROM customer_imports i WHERE i.id = import_id)',
        },
        {
          table: 'purchase_import_rejections',
          due: `import_id IN (${finishedImport('purchase_imports')})`,
          age: '(SELECT coalesce(finished_at, updated_at) FROM purchase_imports i WHERE i.id = import_id)',
        },
      ];
    case 'accessLog':
      return [{ table: 'staff_reads', due: `at < :cutoff AND ${notHeld('customer_id')}`, age: 'at' }];
  }
}

/** Each kind's cut-off at `now` (null: kept). */
export function cutoffs(retention: RetentionSettings, now: number): Record<RetentionKind, number | null> {
  const result = Object.fromEntries(retentionKinds.map((kind) => [kind, cutoffOf(retention[kind], now)])) as Record<RetentionKind, number | null>;
  // An import record erased takes its rejected rows with it.
  const later = [result.rejections, result.imports].filter((cutoff): cutoff is number => cutoff !== null);
  result.rejections = later.length ? Math.max(...later) : null;
  return result;
}

/** The customers under a legal hold, as a JSON list (few: a hold is set by hand, one customer at a time). */
async function heldCustomers(db: DbOrTx): Promise<string> {
  const found = await rawOf(db).execute('SELECT id FROM customers WHERE legal_hold IS NOT NULL');
  return JSON.stringify(found.rows.map((row) => String(row[0])));
}

/** The end of the reopen window of a case finished before it, at `now`. */
async function reopenCutoffAt(db: DbOrTx, now: number): Promise<number> {
  const complaints = await readComplaintSettings(db);
  return now - complaints.reopenWindowDays * dayMs;
}

export interface DueCount {
  count: number;
  /** The oldest due row's time (epoch ms), null when none is due. */
  oldest: number | null;
}

/** How many rows of each kind the run at `now` would take, and the oldest among them. */
export async function previewRetention(db: DbOrTx, retention: RetentionSettings, now = Date.now()): Promise<Record<RetentionKind, DueCount>> {
  const at = cutoffs(retention, now);
  const held = await heldCustomers(db);
  const reopenCutoff = await reopenCutoffAt(db, now);
  const raw = rawOf(db);
  const result = {} as Record<RetentionKind, DueCount>;
  for (const kind of retentionKinds) {
    const cutoff = at[kind];
    const due: DueCount = { count: 0, oldest: null };
    if (cutoff !== null) {
      for (const part of parts(kind)) {
        const found = await raw.execute({ sql: `SELECT count(*), min(${part.age}) FROM ${part.table} WHERE ${part.due}`, args: { cutoff, held, reopenCutoff } });
        const count = found.rows[0]![0];
        const oldest = found.rows[0]![1];
        due.count += Number(count);
        if (oldest !== null && oldest !== undefined) due.oldest = due.oldest === null ? Number(oldest) : Math.min(due.oldest, Number(oldest));
      }
    }
    result[kind] = due;
  }
  return result;
}

// ---- the run -----------------------------------------------------------------------------------------

export interface RetentionRun {
  /** The day's run start (19:00 UTC) this run belongs to. */
  start: number;
  startedAt: number;
  finishedAt: number | null;
  /** Rows made anonymous or erased, per kind. */
  counts: Record<RetentionKind, number>;
}

const noCounts = () => Object.fromEntries(retentionKinds.map((kind) => [kind, 0])) as Record<RetentionKind, number>;

/** The latest run's record (the one still going, or the last finished), null before the first. */
export async function lastRetentionRun(db: DbOrTx): Promise<RetentionRun | null> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, retentionRunKey));
  return row ? (row.value as RetentionRun) : null;
}

async function writeRun(tx: DbOrTx, run: RetentionRun) {
  await tx
    .insert(settings)
    .values({ key: retentionRunKey, value: run, updatedBy: 'retention' })
    .onConflictDoUpdate({ target: settings.key, set: { value: run, updatedBy: 'retention', updatedAt: dbNow } });
}

/**
 * What an invitation whose response was made anonymous keeps in response_id: not null, so it still counts as
 * answered everywhere (its link is refused), but no response's id (those are UUIDs).
 */
export const answeredMark = `'anonymised:' || campaign_invitations.id`;

/** Does to the chosen rows of a part what retention does to them. */
async function apply(tx: DbOrTx, part: Part, rowids: number[], now: number) {
  const raw = rawOf(tx);
  const list = placeholders(rowids.length);
  const chosen = { where: `rowid IN (${list})`, args: rowids as InValue[] };
  switch (part.table) {
    case 'responses': {
      await clearRows(tx, 'responses', chosen);
      // Nothing leads from the customer to the answers any more: the postal forms keyed for them go (as with
      // erasure), the invitation keeps a mark that it was answered (so its link cannot be answered again) but
      // not the response's id, and a case opened from the response no longer names it.
      const theseIds = `SELECT id FROM responses WHERE rowid IN (${list})`;
      await raw.execute({ sql: `DELETE FROM postal_keyings WHERE invitation_id IN (SELECT id FROM campaign_invitations WHERE response_id IN (${theseIds}))`, args: rowids });
      await raw.execute({ sql: `UPDATE campaign_invitations SET response_id = ${answeredMark} WHERE response_id IN (${theseIds})`, args: rowids });
      await raw.execute({ sql: `UPDATE complaint_cases SET response_id = NULL WHERE response_id IN (${theseIds})`, args: rowids });
      const linked = await raw.execute({ sql: `SELECT DISTINCT customer_id FROM responses WHERE rowid IN (${list}) AND customer_id IS NOT NULL`, args: rowids });
      await raw.execute({ sql: `UPDATE response_quality SET customer_id = NULL WHERE response_rowid IN (${list})`, args: rowids });
      await raw.execute({ sql: `UPDATE loop_catches SET customer_id = NULL WHERE response_id IN (${theseIds})`, args: rowids });
      await raw.execute({
        sql: `UPDATE responses SET
                tier = (SELECT c.tier FROM customers c WHERE c.id = responses.customer_id),
                segment = (SELECT c.segment FROM customers c WHERE c.id = responses.customer_id),
                region = (SELECT c.region FROM customers c WHERE c.id = responses.customer_id),
                customer_id = NULL, anonymised_at = ?
              WHERE rowid IN (${list})`,
        args: [now, ...rowids],
      });
      // Loyalty reads a customer's latest answers: those that are no longer theirs change it.
      await markLoyaltyStale(tx, linked.rows.map((row) => String(row[0])), 'response');
      return;
    }
    case 'complaint_cases':
      await clearRows(tx, 'complaint_cases', chosen);
      // The customer's status page of an anonymous case shows nothing (as a revoked link), so nothing is added to it there.
      await raw.execute({
        sql: `UPDATE complaint_cases SET anonymised_at = ?, status_token_revoked_at = coalesce(status_token_revoked_at, ?) WHERE rowid IN (${list})`,
        args: [now, now, ...rowids],
      });
      return;
    case 'customer_imports':
    case 'purchase_imports': {
      const rejections = part.table === 'customer_imports' ? 'customer_import_rejections' : 'purchase_import_rejections';
      const ofThese = `import_id IN (SELECT id FROM ${part.table} WHERE rowid IN (${list}))`;
      await raw.execute({ sql: `DELETE FROM ${rejections} WHERE ${ofThese}`, args: rowids });
      if (part.table === 'customer_imports') await raw.execute({ sql: `DELETE FROM customer_import_consent_kept WHERE ${ofThese}`, args: rowids });
      await raw.execute({ sql: `DELETE FROM ${part.table} WHERE rowid IN (${list})`, args: rowids });
      return;
    }
    default:
      await raw.execute({ sql: `DELETE FROM ${part.table} WHERE rowid IN (${list})`, args: rowids });
  }
}

/**
 * Makes anonymous or erases every row due at `now`, kind by kind, a batch per transaction, each batch adding
 * its count to the run's record in the same transaction. A run of the same `start` cut short and run again
 * goes on from where it stopped, adding to the same record. Stops between batches when `signal` aborts.
 */
export async function runRetention(db: Db, options: { now?: number; start?: number; signal?: AbortSignal; batch?: number } = {}): Promise<RetentionRun> {
  const now = options.now ?? Date.now();
  const start = options.start ?? runStart(now);
  const batch = options.batch ?? retentionBatch;
  const retention = await readRetentionSettings(db);
  const at = cutoffs(retention, now);
  const earlier = await lastRetentionRun(db);
  let run: RetentionRun = earlier && earlier.start === start ? { ...earlier, finishedAt: null } : { start, startedAt: now, finishedAt: null, counts: noCounts() };
  await writeRun(db, run);
  for (const kind of retentionKinds) {
    const cutoff = at[kind];
    if (cutoff === null) continue;
    for (const part of parts(kind)) {
      for (;;) {
        if (options.signal?.aborted) return run;
        const started = performance.now();
        const done = await db.transaction(async (tx) => {
          // A hold set while the run goes on is honoured from the next batch.
          const held = await heldCustomers(tx);
          const reopenCutoff = await reopenCutoffAt(tx, now);
          const due = await rawOf(tx).execute({
            sql: `SELECT rowid FROM ${part.table} WHERE ${part.due} ORDER BY ${part.age} LIMIT :batch`,
            args: { cutoff, held, reopenCutoff, batch },
          });
          const rowids = due.rows.map((row) => Number(row[0]));
          if (rowids.length === 0) return 0;
          await apply(tx, part, rowids, now);
          run = { ...run, counts: { ...run.counts, [kind]: run.counts[kind] + rowids.length } };
          await writeRun(tx, run);
          return rowids.length;
        });
        if (done < batch) break;
        await makeWayForRequests(performance.now() - started);
      }
    }
  }
  run = { ...run, finishedAt: Date.now() };
  await writeRun(db, run);
  return run;
}

// ---- the daily job -----------------------------------------------------------------------------------

const RetentionPayload = v.object({ start: v.number() });

/** The run of one day, keyed by its start (fixed width, so keys sort by time): made once however many processes ask. */
export function retentionJob(start: number): NewJob {
  return periodicJob(retentionJobKind, start, 5);
}

/**
 * Makes sure the current day's run exists (each process calls it when it starts; a second call adds nothing):
 * a day whose run was missed, with every process down at its hour, runs at the next start.
 */
export async function scheduleRetention(db: DbOrTx, now = Date.now()): Promise<{ created: boolean }> {
  const { created } = await enqueue(db, retentionJob(runStart(now)));
  return { created };
}

/** When the next run is due: the pending run's time, or the next day's run if none is pending. */
export async function nextRetentionRun(db: DbOrTx, now = Date.now()): Promise<number> {
  const [pending] = await db
    .select({ runAt: jobs.runAt })
    .from(jobs)
    .where(and(eq(jobs.kind, retentionJobKind), sql`${jobs.status} IN ('pending', 'running')`))
    .orderBy(asc(jobs.runAt))
    .limit(1);
  return pending ? Math.max(pending.runAt, now) : nextRunStart(now);
}

export function retentionHandlers({ db }: { db: Db }): Record<string, JobHandler> {
  return {
    [retentionJobKind]: async (payload, context) => {
      const { start } = v.parse(RetentionPayload, payload);
      // The next day's run first, so a run that keeps failing does not end the chain.
      await enqueue(db, retentionJob(nextRunStart(Math.max(start, runStart(Date.now())))));
      await runRetention(db, { start, signal: context.signal });
      if (context.signal.aborted) throw new Error('The retention run was cut short; its retry goes on from where it stopped.');
    },
  };
}
