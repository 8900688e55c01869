// Background jobs kept in the database, shared by every server process. A process leases due jobs with
// one UPDATE, so two processes never hold the same job; a lease that runs out (its process died or
// stalled) is taken back by whoever looks next. Times come from the database's clock, not each process's.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { dbNow, jobs } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { defaultBackoff, retryDelayMs, type Backoff } from './backoff.ts';

export type Job = typeof jobs.$inferSelect;
export type JobStatus = Job['status'];
export const jobStatuses = ['pending', 'running', 'done', 'dead'] as const satisfies readonly JobStatus[];
/** The database, or a transaction on it: enqueueing inside the caller's transaction makes both or neither. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];
/** Who holds a job and for which attempt; every write a worker makes about its job checks all three. */
export type Lease = Pick<Job, 'id' | 'leasedBy' | 'attempts'>;

export interface NewJob {
  kind: string;
  payload: unknown;
  /** Epoch ms; now when absent. */
  runAt?: number;
  /** Enqueueing the same key again does not make a second job. */
  dedupeKey?: string;
  maxAttempts?: number;
}

const rowsPerStatement = 500;
const maxErrorLength = 2000;

function jobRow(job: NewJob) {
  return {
    id: randomUUID(),
    kind: job.kind,
    payload: job.payload,
    dedupeKey: job.dedupeKey ?? null,
    runAt: job.runAt ?? dbNow,
    maxAttempts: job.maxAttempts ?? 5,
  };
}

/** A scheduled job's key for the period starting at `start`: fixed width, so keys sort by time. */
export const periodKey = (kind: string, start: number) => `${kind}:${String(start).padStart(15, '0')}`;

/**
 * The run of one period of a scheduled job (a sweep, a recompute, a backup), keyed by the period's start: any
 * number of processes asking for it make it once. It runs at the start of its period; each run schedules the next.
 */
export function periodicJob(kind: string, start: number, maxAttempts = 3): NewJob {
  return { kind, payload: { start }, dedupeKey: periodKey(kind, start), runAt: start, maxAttempts };
}

/** Adds one job; with a dedupeKey already used, returns that job instead. */
export async function enqueue(db: DbOrTx, job: NewJob): Promise<{ id: string; created: boolean }> {
  const [created] = await db.insert(jobs).values(jobRow(job)).onConflictDoNothing().returning({ id: jobs.id });
  if (created) return { id: created.id, created: true };
  const [existing] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.dedupeKey, job.dedupeKey!));
  return { id: existing!.id, created: false };
}

/**
 * Adds many jobs, a few hundred per statement. With `rerunFinished`, a job whose dedupeKey already exists
 * and which is done or dead is set to run again from its first attempt; pending and running ones are left
 * alone. Returns how many jobs were added or set to run again.
 */
export async function enqueueMany(db: DbOrTx, list: NewJob[], options: { rerunFinished?: boolean } = {}): Promise<number> {
  let changed = 0;
  for (let start = 0; start < list.length; start += rowsPerStatement) {
    const insert = db.insert(jobs).values(list.slice(start, start + rowsPerStatement).map(jobRow));
    const rows = options.rerunFinished
      ? await insert
          .onConflictDoUpdate({
            target: jobs.dedupeKey,
            set: {
              status: 'pending',
              payload: sql`excluded.payload`,
              runAt: sql`excluded.run_at`,
              maxAttempts: sql`excluded.max_attempts`,
              attempts: 0,
              leaseUntil: null,
              finishedAt: null,
            },
            setWhere: inArray(jobs.status, ['done', 'dead']),
          })
          .returning({ id: jobs.id })
      : await insert.onConflictDoNothing().returning({ id: jobs.id });
    changed += rows.length;
  }
  return changed;
}

/**
 * Leases up to `limit` due jobs of these kinds for `leaseMs`, counting an attempt on each: pending jobs
 * whose time has come, and running jobs whose lease ran out. One statement, so it is atomic against every
 * other process; the outer WHERE repeats the checks so a row changed meanwhile is never taken.
 */
export async function leaseJobs(
  db: Db,
  input: { processId: string; kinds: string[]; limit: number; leaseMs: number },
): Promise<Job[]> {
  if (input.limit <= 0 || input.kinds.length === 0) return [];
  const kinds = sql.join(input.kinds.map((kind) => sql`${kind}`), sql`, `);
  // Each branch walks jobs_due_idx in run_at order and stops at `limit`, so a long queue is never sorted.
  const due = sql`(SELECT id FROM (
      SELECT * FROM (SELECT id, run_at FROM jobs WHERE status = 'pending' AND run_at <= ${dbNow} AND kind IN (${kinds}) ORDER BY run_at LIMIT ${input.limit})
      UNION ALL
      SELECT * FROM (SELECT id, run_at FROM jobs WHERE status = 'running' AND lease_until < ${dbNow} AND attempts < max_attempts AND kind IN (${kinds}) ORDER BY run_at LIMIT ${input.limit})
    ) ORDER BY run_at LIMIT ${input.limit})`;
  return db
    .update(jobs)
    .set({
      status: 'running',
      leasedBy: input.processId,
      leaseUntil: sql`${dbNow} + ${input.leaseMs}`,
      attempts: sql`${jobs.attempts} + 1`,
    })
    .where(
      and(
        sql`${jobs.id} IN ${due}`,
        // The unary + keeps SQLite from answering these through jobs_due_idx, which would walk every due job
        // (a long queue) instead of looking up the few ids chosen above by their primary key.
        sql`((+${jobs.status} = 'pending' AND +${jobs.runAt} <= ${dbNow})
          OR (+${jobs.status} = 'running' AND ${jobs.leaseUntil} < ${dbNow} AND ${jobs.attempts} < ${jobs.maxAttempts}))`,
      ),
    )
    .returning();
}

/** Running jobs whose lease ran out on their last attempt are dead: they would only stall a process again. */
export async function buryExpired(db: Db): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({
      status: 'dead',
      finishedAt: dbNow,
      lastError: sql`coalesce(${jobs.lastError} || char(10), '') || ${'The lease ran out on the last attempt: the process running it stopped or stalled.'}`,
    })
    .where(and(eq(jobs.status, 'running'), lt(jobs.leaseUntil, dbNow), sql`${jobs.attempts} >= ${jobs.maxAttempts}`))
    .returning({ id: jobs.id });
  return rows.length;
}

function held(lease: Lease) {
  return and(eq(jobs.id, lease.id), eq(jobs.status, 'running'), eq(jobs.leasedBy, lease.leasedBy!), eq(jobs.attempts, lease.attempts));
}

/** Extends a lease still held; false when it was lost (it ran out and another process took the job). */
export async function renewLease(db: Db, lease: Lease, leaseMs: number): Promise<boolean> {
  const rows = await db.update(jobs).set({ leaseUntil: sql`${dbNow} + ${leaseMs}` }).where(held(lease)).returning({ id: jobs.id });
  return rows.length === 1;
}

/** Marks a job done (inside the caller's transaction, if given one); false when the lease was lost meanwhile. */
export async function completeJob(db: DbOrTx, lease: Lease): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: 'done', finishedAt: dbNow, leaseUntil: null })
    .where(held(lease))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/**
 * Hands a job back to the queue, due now, without counting the attempt: its process is stopping and cut it
 * short. False when the lease was lost meanwhile.
 */
export async function releaseJob(db: Db, lease: Lease): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: 'pending', runAt: dbNow, leaseUntil: null, attempts: sql`${jobs.attempts} - 1` })
    .where(held(lease))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/**
 * Records a failed attempt: the job runs again after a backoff delay, or is dead after its last attempt.
 * 'lost' when the lease was lost meanwhile (the other holder's outcome stands).
 */
export async function failJob(
  db: Db,
  lease: Lease & Pick<Job, 'maxAttempts'>,
  error: string,
  backoff: Backoff = defaultBackoff,
): Promise<'retry' | 'dead' | 'lost'> {
  const dead = lease.attempts >= lease.maxAttempts;
  const rows = await db
    .update(jobs)
    .set(
      dead
        ? { status: 'dead', lastError: error.slice(0, maxErrorLength), finishedAt: dbNow, leaseUntil: null }
        : {
            status: 'pending',
            lastError: error.slice(0, maxErrorLength),
            runAt: sql`${dbNow} + ${retryDelayMs(lease.attempts, backoff)}`,
            leaseUntil: null,
          },
    )
    .where(held(lease))
    .returning({ id: jobs.id });
  if (rows.length === 0) return 'lost';
  return dead ? 'dead' : 'retry';
}

/** Jobs newest first, `before` being the `nextBefore` of the previous page. */
export async function listJobs(
  db: Db,
  input: { status?: JobStatus | undefined; kind?: string | undefined; before?: string | undefined; limit: number },
) {
  const rows = await db
    .select()
    .from(jobs)
    .where(
      and(
        input.status ? eq(jobs.status, input.status) : undefined,
        input.kind ? eq(jobs.kind, input.kind) : undefined,
        olderThanCursor(jobs.createdAt, jobs.id, input.before),
      ),
    )
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(input.limit + 1);
  const { page, nextBefore } = pageOf(rows, input.limit, (row) => row.createdAt);
  return { jobs: page, nextBefore };
}

/** Puts a dead job back to run now, with all its attempts again. */
export async function retryDeadJob(db: Db, id: string): Promise<Job> {
  const [row] = await db
    .update(jobs)
    .set({ status: 'pending', attempts: 0, runAt: dbNow, finishedAt: null, leaseUntil: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'dead')))
    .returning();
  if (row) return row;
  const [existing] = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id));
  if (!existing) throw new DomainError('not_found', bilingual('No such job.', '找不到该任务。'));
  throw new DomainError(
    'conflict',
    bilingual(
      `Only a dead job can be retried; this one is ${existing.status}.`,
      `只有失败终止的任务才能重试；该任务当前状态为「${statusNames[existing.status]}」。`,
    ),
    {},
    { status: existing.status },
  );
}

const statusNames: Record<JobStatus, string> = { pending: '等待中', running: '运行中', done: '已完成', dead: '失败终止' };

export interface JobContext {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** A failure now makes the job dead. */
  isLastAttempt: boolean;
  /** Aborts when this process lost the lease (another may now run the job) or is told to give up. */
  signal: AbortSignal;
  /**
   * Marks the job done inside the handler's own transaction, so its last write and the job's completion
   * commit together (one commit instead of two); false when the lease was lost meanwhile.
   */
  completeIn(tx: DbOrTx): Promise<boolean>;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export interface WorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** How often to look for due jobs when the queue seemed empty. */
  pollMs?: number;
  /** How long a lease lasts; it is renewed every third of this while the job runs. */
  leaseMs?: number;
  /** Names this process in leases; unique per process. */
  processId: string;
  backoff?: Backoff;
  /** Problems the worker cannot hand to anyone: the database refusing a lease, a lost lease. */
  onProblem?: (message: string, error?: unknown) => void;
}

export interface Worker {
  readonly processId: string;
  /** Look for due jobs now rather than at the next poll. */
  wake(): void;
  /**
   * Takes no new jobs, waits for the running ones to finish, then resolves. With `cutShortAfterMs`, jobs still
   * running then are told to stop (their signal aborts); a job that stops for it goes back to the queue with
   * its attempt not counted, for another process (or this one's next start) to run.
   */
  stop(options?: { cutShortAfterMs?: number }): Promise<void>;
  /** Jobs this worker is running now. */
  running(): number;
}

class LeaseLostError extends Error {}
class WorkerStoppingError extends Error {}

function describeError(error: unknown) {
  return error instanceof Error ? error.message || error.name : String(error);
}

export function startWorker(options: WorkerOptions): Worker {
  const { db, handlers, processId } = options;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const backoff = options.backoff ?? defaultBackoff;
  const onProblem = options.onProblem ?? ((message, error) => console.error(message, error ?? ''));
  const kinds = Object.keys(handlers);
  const running = new Map<string, Promise<void>>();
  const controllers = new Map<string, AbortController>();
  let lastBurialAt = 0;
  let stopping = false;
  let wakeRequested = false;
  let endSleep: (() => void) | null = null;

  function wake() {
    wakeRequested = true;
    endSleep?.();
  }

  function sleep(ms: number) {
    if (wakeRequested) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        endSleep = null;
        resolve();
      }
      endSleep = finish;
    });
  }

  async function run(job: Job) {
    const controller = new AbortController();
    controllers.set(job.id, controller);
    const renewal = setInterval(() => {
      renewLease(db, job, leaseMs).then(
        (stillHeld) => {
          if (!stillHeld && !controller.signal.aborted) controller.abort(new LeaseLostError(`Lost the lease on job ${job.id}.`));
        },
        (error: unknown) => onProblem(`Could not renew the lease on job ${job.id}`, error),
      );
    }, Math.max(1, Math.floor(leaseMs / 3)));
    let completedByHandler = false;
    const context: JobContext = {
      jobId: job.id,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      isLastAttempt: job.attempts >= job.maxAttempts,
      signal: controller.signal,
      async completeIn(tx) {
        completedByHandler = await completeJob(tx, job);
        return completedByHandler;
      },
    };
    let failure: unknown = null;
    try {
      await handlers[job.kind]!(job.payload, context);
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(renewal);
      controllers.delete(job.id);
    }
    if (failure !== null && controller.signal.reason instanceof WorkerStoppingError) {
      if (!(await releaseJob(db, job))) onProblem(`Job ${job.id} (${job.kind}) was cut short after its lease was lost.`);
      return;
    }
    if (failure === null) {
      if (!completedByHandler && !(await completeJob(db, job))) onProblem(`Job ${job.id} (${job.kind}) finished after its lease was lost.`);
      return;
    }
    const outcome = await failJob(db, job, describeError(failure), backoff);
    if (outcome === 'lost') onProblem(`Job ${job.id} (${job.kind}) failed after its lease was lost`, failure);
  }

  /** Leases what fits; true when the queue may hold more due jobs than were taken. */
  async function fill(): Promise<boolean> {
    const free = concurrency - running.size;
    if (free <= 0) return false;
    if (Date.now() - lastBurialAt >= pollMs) {
      lastBurialAt = Date.now();
      await buryExpired(db);
    }
    const leased = await leaseJobs(db, { processId, kinds, limit: free, leaseMs });
    for (const job of leased) {
      const done = run(job)
        .catch((error: unknown) => onProblem(`Could not record the outcome of job ${job.id}`, error))
        .finally(() => {
          running.delete(job.id);
          wake();
        });
      running.set(job.id, done);
    }
    return leased.length === free;
  }

  const loop = (async () => {
    while (!stopping) {
      wakeRequested = false;
      let more = false;
      try {
        more = await fill();
      } catch (error) {
        onProblem('Could not lease jobs', error);
      }
      if (stopping) break;
      if (!more || running.size >= concurrency) await sleep(pollMs);
    }
  })();

  return {
    processId,
    wake,
    running: () => running.size,
    async stop(stopOptions = {}) {
      stopping = true;
      wake();
      const cutShort =
        stopOptions.cutShortAfterMs === undefined
          ? undefined
          : setTimeout(() => {
              for (const [id, controller] of controllers) controller.abort(new WorkerStoppingError(`The process is stopping: job ${id} goes back to the queue.`));
            }, stopOptions.cutShortAfterMs);
      await loop;
      while (running.size > 0) await Promise.allSettled([...running.values()]);
      clearTimeout(cutShort);
    },
  };
}
