// The incremental update: the `loyalty.update` job folds the purchases stored since it last looked into marks,
// works through the customers marked stale (updates.ts) and brings each one's loyalty up to date with the cut
// points of the last full recompute.
//
//   loyaltyJobHandlers({ db }) → { 'loyalty.update': handler }
//   readStaleMarks(db, limit) → StaleMark[]
//   updateMarked(db, marks, options?) → { updated, skipped }
//   drainStale(db, options?) → customers updated
//
// Exactly once per mark, across processes: an update reads the marks, then the customers' facts, works out
// their loyalty, and in one write transaction removes the marks it read — only where each mark is still the
// one it read (DELETE … RETURNING) — and writes the customers whose mark it removed. A customer another process
// removed the mark of meanwhile is not written twice; a customer marked again after the read keeps the new
// mark (it moved forward), so the next round takes what arrived.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loyaltyStale } from '../db/schema.ts';
import { giveTurn, makeWayForRequests } from '../jobs/paced.ts';
import type { JobHandler } from '../jobs/queue.ts';
import { computeLoyalty, DefinitionCache, readCuts, readFacts, writeLoyalty, type LoyaltyCuts } from './engine.ts';
import { readLoyaltySettings } from './settings.ts';
import { foldNewPurchases, loyaltyUpdateJobKind, purchasesToFold } from './updates.ts';
import type { LoyaltyChangeCause } from './vocabulary.ts';
import { ensureCuts } from './recompute.ts';

export interface StaleMark {
  customerId: string;
  cause: LoyaltyChangeCause;
  markedAt: number;
}

/** Customers taken per round (one read, one write transaction): a round holds the process for about 0.1 s. */
export const staleBatchSize = 200;

export async function readStaleMarks(db: Db, limit = staleBatchSize): Promise<StaleMark[]> {
  return db.select().from(loyaltyStale).orderBy(loyaltyStale.markedAt).limit(limit);
}

/**
 * Updates the marked customers and removes their marks; a mark that moved on or went meanwhile is left alone
 * (skipped). With `cuts` given, those are used; otherwise the stored ones (made once if there are none).
 */
export async function updateMarked(
  db: Db,
  marks: readonly StaleMark[],
  options: { now?: number; cuts?: LoyaltyCuts; definitions?: DefinitionCache } = {},
): Promise<{ updated: number; skipped: number }> {
  if (marks.length === 0) return { updated: 0, skipped: 0 };
  const now = options.now ?? Date.now();
  const settings = await readLoyaltySettings(db);
  const cuts = options.cuts ?? (await readCuts(db)) ?? (await ensureCuts(db, now));
  const facts = await readFacts(db, { ids: marks.map((mark) => mark.customerId) }, settings, now, options.definitions);
  const byId = new Map(facts.map((fact) => [fact.customerId, fact]));
  const results = marks.flatMap((mark) => {
    const fact = byId.get(mark.customerId);
    return fact ? [computeLoyalty(fact, { now, settings, cuts, cause: mark.cause })] : [];
  });
  return db.transaction(async (tx) => {
    const pairs = sql.join(
      marks.map((mark) => sql`(${mark.customerId}, ${mark.markedAt})`),
      sql`, `,
    );
    const taken = await tx.all<{ customer_id: string }>(
      sql`DELETE FROM loyalty_stale WHERE (customer_id, marked_at) IN (VALUES ${pairs}) RETURNING customer_id`,
    );
    const mine = new Set(taken.map((row) => row.customer_id));
    const toWrite = results.filter((result) => mine.has(result.row.customerId));
    await writeLoyalty(tx, toWrite);
    return { updated: toWrite.length, skipped: marks.length - mine.size };
  });
}

/** Works through the marks until none is left, or until the marks read are being taken by another process. */
export async function drainStale(db: Db, options: { signal?: AbortSignal; now?: () => number } = {}): Promise<number> {
  const definitions = new DefinitionCache();
  let updated = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const started = performance.now();
    await foldNewPurchases(db, { now: options.now?.() });
    const marks = await readStaleMarks(db);
    if (marks.length === 0) return updated;
    const round = await updateMarked(db, marks, { now: options.now?.(), definitions });
    updated += round.updated;
    // Another process took every mark read: it works through the rest too.
    if (round.updated === 0 && round.skipped === marks.length) return updated;
    // A burst of arrivals (a full round): the requests bringing them are answered first, and their marks worked
    // through behind them. Otherwise the next round follows at once, so a single arrival is current within a second.
    if (marks.length === staleBatchSize) await makeWayForRequests(performance.now() - started);
    else await giveTurn();
  }
}

export function loyaltyJobHandlers({ db }: { db: Db }): Record<string, JobHandler> {
  return {
    [loyaltyUpdateJobKind]: async (_payload, context) => {
      for (;;) {
        await drainStale(db, { signal: context.signal });
        // The job is done only if no mark and no purchase to fold is waiting as it finishes, checked in the
        // transaction that marks it done: an arrival committed before it is seen here; one committed after finds
        // the job done and sets it to run again (loyaltyUpdateDue). So no arrival is left without a job to take it.
        const finished = await db.transaction(async (tx) => {
          const [waiting] = await tx.select({ customerId: loyaltyStale.customerId }).from(loyaltyStale).limit(1);
          if (waiting || (await purchasesToFold(tx))) return false;
          await context.completeIn(tx);
          return true;
        });
        if (finished) return;
      }
    },
  };
}
