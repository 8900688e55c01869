// How an arrival (a purchase, a response, a case outcome) asks for a customer's loyalty to be brought up to
// date: it marks the customer stale in its own transaction and makes sure an update job is due within the
// second. However many arrivals and processes, one job per second runs, and it takes every mark there is.
//
//   markLoyaltyStale(tx, customerIds, cause, now?) → void
//   loyaltyUpdateJobKind                          the job the loyalty engine handles
import { sql } from 'drizzle-orm';
import { loyaltyStale } from '../db/schema.ts';
import { enqueueMany, type DbOrTx } from '../jobs/queue.ts';
import type { LoyaltyChangeCause } from './vocabulary.ts';

export const loyaltyUpdateJobKind = 'loyalty.update';

/** Marks customers for an update, in the caller's transaction, and makes sure an update job is due. */
export async function markLoyaltyStale(tx: DbOrTx, customerIds: readonly string[], cause: LoyaltyChangeCause, now = Date.now()): Promise<void> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return;
  for (let start = 0; start < unique.length; start += 500) {
    await tx
      .insert(loyaltyStale)
      .values(unique.slice(start, start + 500).map((customerId) => ({ customerId, cause, markedAt: now })))
      // A mark made again always moves forward, even within the same millisecond, so an update that read the
      // earlier mark can tell it is not the one it took.
      .onConflictDoUpdate({
        target: loyaltyStale.customerId,
        set: { cause: sql`excluded.cause`, markedAt: sql`max(excluded.marked_at, ${loyaltyStale.markedAt} + 1)` },
      });
  }
  const second = Math.floor(now / 1000);
  // The second's job may have run already (an earlier arrival in the same second): it is set to run again.
  // A job still running takes the mark in its own last look (updater.ts checks for marks as it finishes).
  await enqueueMany(tx, [{ kind: loyaltyUpdateJobKind, payload: { second }, dedupeKey: `${loyaltyUpdateJobKind}:${second}`, runAt: now }], { rerunFinished: true });
}
