// How an arrival (a purchase, a response, a case outcome) asks for a customer's loyalty to be brought up to
// date, and makes sure an update job is due within the second. However many arrivals and processes, one job per
// second runs, and it takes every mark there is.
//   - A response or a case marks its customer stale in its own transaction (loyalty_stale).
//   - A purchase marks nothing: purchases arrive by the thousand a second, and a mark per purchase was a sixth
//     of storing it. The update folds the purchases stored since it last looked (by their ascending id, from
//     the cursor `loyalty.purchases.folded` in settings) into marks itself, in one write transaction that moves
//     the cursor, so each purchase is folded once across processes.
//
//   markLoyaltyStale(tx, customerIds, cause, now?) → void
//   loyaltyUpdateDue(tx, now?) → void                after storing purchases
//   foldNewPurchases(db, { limit?, now? }) → purchases folded into marks
//   purchasesCoveredUpTo(tx, id) → after a full recompute read them
//   customersWaitingForUpdate(db) → ids marked or with a purchase not yet folded
//   countCustomersWaitingForUpdate(db) → how many of them (for the metrics)
//   loyaltyUpdateJobKind                            the job the loyalty engine handles
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { insertRows, rawOf } from '../db/raw.ts';
import { loyaltyStale } from '../db/schema.ts';
import { enqueueMany, type DbOrTx } from '../jobs/queue.ts';
import type { LoyaltyChangeCause } from './vocabulary.ts';

export const loyaltyUpdateJobKind = 'loyalty.update';
/** The settings key of the last purchase id folded into marks (migration 0020 starts it at the purchases then stored). */
export const purchasesFoldedKey = 'loyalty.purchases.folded';
/** Purchases folded into marks per round of the update. */
export const purchasesPerFold = 2000;

// A mark made again always moves forward, even within the same millisecond, so an update that read the earlier
// mark can tell it is not the one it took.
const markMovesForward = { cause: 'excluded.cause', marked_at: 'max(excluded.marked_at, loyalty_stale.marked_at + 1)' };

/** Marks customers for an update, in the caller's transaction, and makes sure an update job is due. */
export async function markLoyaltyStale(tx: DbOrTx, customerIds: readonly string[], cause: LoyaltyChangeCause, now = Date.now()): Promise<void> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return;
  await insertRows(
    tx,
    loyaltyStale,
    unique.map((customerId) => ({ customerId, cause, markedAt: now })),
    { onConflict: { target: loyaltyStale.customerId, set: markMovesForward } },
  );
  await loyaltyUpdateDue(tx, now);
}

/** Makes sure an update job is due within the second, in the caller's transaction (after storing purchases, say). */
export async function loyaltyUpdateDue(tx: DbOrTx, now = Date.now()): Promise<void> {
  const second = Math.floor(now / 1000);
  // The second's job may have run already (an earlier arrival in the same second): it is set to run again.
  // A job still running takes the arrival in its own last look (updater.ts checks as it finishes).
  await enqueueMany(tx, [{ kind: loyaltyUpdateJobKind, payload: { second }, dedupeKey: `${loyaltyUpdateJobKind}:${second}`, runAt: now }], { rerunFinished: true });
}

const cursorOf = async (tx: DbOrTx) => {
  const result = await rawOf(tx).execute({ sql: `SELECT value FROM settings WHERE key = ?`, args: [purchasesFoldedKey] });
  return result.rows.length ? Number(JSON.parse(String(result.rows[0]![0]))) : 0;
};

/** Whether a purchase is stored that no update has folded into marks yet. */
export async function purchasesToFold(tx: DbOrTx): Promise<boolean> {
  const result = await rawOf(tx).execute({ sql: `SELECT 1 FROM purchases WHERE id > ? LIMIT 1`, args: [await cursorOf(tx)] });
  return result.rows.length > 0;
}

/**
 * Marks the customers of the next purchases stored since the cursor (at most `limit`) and moves the cursor past
 * them, in one write transaction. Returns how many purchases it folded.
 */
export async function foldNewPurchases(db: Db, options: { limit?: number; now?: number } = {}): Promise<number> {
  const limit = options.limit ?? purchasesPerFold;
  const now = options.now ?? Date.now();
  // A look outside the write lock first: most rounds find nothing to fold.
  const from = await cursorOf(db);
  const next = await db.$client.execute({ sql: `SELECT 1 FROM purchases WHERE id > ? LIMIT 1`, args: [from] });
  if (next.rows.length === 0) return 0;
  return db.transaction(async (tx) => {
    const raw = rawOf(tx);
    const cursor = await cursorOf(tx);
    const range = await raw.execute({
      sql: `SELECT max(id), count(*) FROM (SELECT id FROM purchases WHERE id > ? ORDER BY id LIMIT ?)`,
      args: [cursor, limit],
    });
    const upTo = range.rows[0]![0];
    if (upTo === null || upTo === undefined) return 0;
    await raw.execute({
      sql: `INSERT INTO loyalty_stale (customer_id, cause, marked_at)
            SELECT customer_id, 'purchase', ? FROM purchases WHERE id > ? AND id <= ?
            ON CONFLICT (customer_id) DO UPDATE SET ${Object.entries(markMovesForward).map(([column, value]) => `${column} = ${value}`).join(', ')}`,
      args: [now, cursor, upTo],
    });
    await tx.run(
      sql`INSERT INTO settings (key, value, updated_by, updated_at) VALUES (${purchasesFoldedKey}, ${JSON.stringify(Number(upTo))}, 'loyalty', ${now})
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    return Number(range.rows[0]![1]);
  });
}

/**
 * A full recompute read every purchase up to `id`: the cursor moves past them if it is behind, in the caller's
 * transaction, so the update does not fold them again (a bulk load, the demo, a first recompute).
 */
export async function purchasesCoveredUpTo(tx: DbOrTx, id: number, now = Date.now()): Promise<void> {
  await tx.run(
    sql`INSERT INTO settings (key, value, updated_by, updated_at) VALUES (${purchasesFoldedKey}, ${JSON.stringify(id)}, 'loyalty', ${now})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE CAST(settings.value AS INTEGER) < ${id}`,
  );
}

/** How many customers wait for an update (customersWaitingForUpdate, counted without listing them). */
export async function countCustomersWaitingForUpdate(db: DbOrTx): Promise<number> {
  const result = await rawOf(db).execute({
    sql: `SELECT count(*) FROM (SELECT customer_id FROM loyalty_stale UNION SELECT customer_id FROM purchases WHERE id > ?)`,
    args: [await cursorOf(db)],
  });
  return Number(result.rows[0]![0]);
}

/** The customers waiting for an update: marked stale, or with a purchase no update has folded yet. */
export async function customersWaitingForUpdate(db: DbOrTx): Promise<string[]> {
  const result = await rawOf(db).execute({
    sql: `SELECT customer_id FROM loyalty_stale UNION SELECT customer_id FROM purchases WHERE id > ? ORDER BY 1`,
    args: [await cursorOf(db)],
  });
  return result.rows.map((row) => String(row[0]));
}
