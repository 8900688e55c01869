// Erasing many customers at once (POST /api/privacy/erasures): the customers named by internal or external id
// are resolved when the run is made, then a job erases them a batch at a time, each batch and the run's progress
// committed together, so a run picked up again after its process died goes on where it stopped and erases no one
// twice. Between batches it gives way to requests this process is answering.
//
//   startErasureRun(db, { customerIds, externalIds, reason, actor }) → run
//   getErasureRun(db, id) → run with its progress
//   erasureRunHandlers({ db }) → the job
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { customers, dbNow, erasureRuns } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { makeWayForRequests } from '../jobs/paced.ts';
import { enqueue, type JobHandler } from '../jobs/queue.ts';
import { erasedAmong, eraseInTransaction, type ErasureInput } from './erasure.ts';

export const erasureRunJobKind = 'privacy.erasure_run';
/** Customers erased in one transaction. */
export const erasureBatchSize = 500;
const lookupBatch = 5000;

type RunRow = typeof erasureRuns.$inferSelect;

export function toErasureRun(row: RunRow) {
  const { customerIds, ...rest } = row;
  return {
    ...rest,
    total: customerIds.length,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    finishedAt: row.finishedAt === null ? null : new Date(row.finishedAt).toISOString(),
  };
}
export type ErasureRun = ReturnType<typeof toErasureRun>;

/**
 * The internal ids of the customers named, in the order given; how many keys named no one; and how many external
 * ids named a customer erased before (their record no longer carries it, its hash is kept).
 */
async function resolveCustomers(db: Db, customerIds: readonly string[], externalIds: readonly string[]) {
  const ids: string[] = [];
  const seen = new Set<string>();
  let unknown = 0;
  const notFoundExternal: string[] = [];
  const take = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  };
  for (const [keys, column] of [
    [customerIds, customers.id],
    [externalIds, customers.externalId],
  ] as const) {
    for (let start = 0; start < keys.length; start += lookupBatch) {
      const batch = keys.slice(start, start + lookupBatch);
      const rows = await db.select({ id: customers.id, key: column }).from(customers).where(inArray(column, batch));
      const byKey = new Map(rows.map((row) => [row.key, row.id]));
      for (const key of batch) {
        const id = byKey.get(key);
        if (id !== undefined) take(id);
        else if (column === customers.externalId) notFoundExternal.push(key);
        else unknown += 1;
      }
    }
  }
  const erasedBefore = (await erasedAmong(db, 'external', [...new Set(notFoundExternal)])).size;
  return { ids, unknown: unknown + new Set(notFoundExternal).size - erasedBefore, erasedBefore };
}

export async function startErasureRun(
  db: Db,
  input: { customerIds: readonly string[]; externalIds: readonly string[]; reason: string; actor: ErasureInput['actor'] },
): Promise<ErasureRun> {
  const { ids, unknown, erasedBefore } = await resolveCustomers(db, input.customerIds, input.externalIds);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx
      .insert(erasureRuns)
      .values({ id, reason: input.reason, actorId: input.actor.id, actorName: input.actor.name, customerIds: ids, unknown, alreadyErased: erasedBefore });
    await enqueue(tx, { kind: erasureRunJobKind, payload: { runId: id }, dedupeKey: `erasure_run:${id}`, maxAttempts: 10 });
  });
  return getErasureRun(db, id);
}

export async function getErasureRun(db: Db, id: string): Promise<ErasureRun> {
  const [row] = await db.select().from(erasureRuns).where(eq(erasureRuns.id, id));
  if (!row) throw new DomainError('not_found', bilingual('No such erasure.', '找不到该删除任务。'));
  return toErasureRun(row);
}

/** Works a run to its end from where it stands; each batch commits with the run's progress. */
export async function workErasureRun(db: Db, runId: string, options: { signal?: AbortSignal } = {}) {
  const [row] = await db.select().from(erasureRuns).where(eq(erasureRuns.id, runId));
  if (!row || row.status === 'done') return;
  const input = { reason: row.reason, actor: { id: row.actorId ?? '', name: row.actorName ?? '' } };
  let done = row.done;
  while (done < row.customerIds.length) {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const batch = row.customerIds.slice(done, done + erasureBatchSize);
    done = await db.transaction(async (tx) => {
      // The progress read again in the transaction: a batch another process committed meanwhile is not redone.
      const [current] = await tx.select({ done: erasureRuns.done }).from(erasureRuns).where(eq(erasureRuns.id, runId));
      if (current!.done !== done) return current!.done;
      const result = await eraseInTransaction(tx, batch, input);
      await tx
        .update(erasureRuns)
        .set({
          status: 'running',
          done: sql`${erasureRuns.done} + ${batch.length}`,
          erased: sql`${erasureRuns.erased} + ${result.erased.length}`,
          alreadyErased: sql`${erasureRuns.alreadyErased} + ${result.alreadyErased.length + result.missing.length}`,
          updatedAt: dbNow,
        })
        .where(eq(erasureRuns.id, runId));
      // Customers under a legal hold, appended one by one (holds are rare).
      for (const held of result.held) {
        await tx.update(erasureRuns).set({ held: sql`json_insert(${erasureRuns.held}, ${'$[#]'}, json(${JSON.stringify(held)}))` }).where(eq(erasureRuns.id, runId));
      }
      return done + batch.length;
    });
    await makeWayForRequests(performance.now() - started);
  }
  await db.update(erasureRuns).set({ status: 'done', finishedAt: dbNow, updatedAt: dbNow }).where(eq(erasureRuns.id, runId));
}

const RunPayload = v.object({ runId: v.string() });

export function erasureRunHandlers({ db }: { db: Db }): Record<string, JobHandler> {
  return {
    [erasureRunJobKind]: async (payload, context) => {
      const { runId } = v.parse(RunPayload, payload);
      await workErasureRun(db, runId, { signal: context.signal });
    },
  };
}
