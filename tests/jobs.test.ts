import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/client.ts';
import { jobs } from '../server/db/schema.ts';
import {
  completeJob,
  enqueue,
  enqueueMany,
  failJob,
  leaseJobs,
  renewLease,
  startWorker,
  type JobContext,
  type JobHandler,
  type Worker,
  type WorkerOptions,
} from '../server/jobs/queue.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';

let test: TestApp;
const workers: Worker[] = [];
const extraClients: Db[] = [];
const gates: { open(): void }[] = [];

beforeEach(async () => {
  test = await startTestApp();
});
afterEach(async () => {
  // A failed test may leave a handler waiting; let it finish so stopping its worker does not hang.
  for (const left of gates.splice(0)) left.open();
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  for (const client of extraClients.splice(0)) client.$client.close();
  test.close();
});

function worker(options: Partial<WorkerOptions> & Pick<WorkerOptions, 'handlers'>) {
  const started = startWorker({
    db: test.db,
    processId: `test-${workers.length + 1}`,
    pollMs: 20,
    leaseMs: 5_000,
    backoff: { baseMs: 10, maxMs: 50 },
    onProblem: () => {},
    ...options,
  });
  workers.push(started);
  return started;
}

async function job(id: string) {
  const [row] = await test.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

async function dbNow(db: Db = test.db) {
  const row = await db.get<{ now: number }>(sql`SELECT cast(unixepoch('subsec') * 1000 as integer) AS now`);
  return row.now;
}

/** A handler that waits until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const contexts: JobContext[] = [];
  const handler: JobHandler = async (_payload, context) => {
    contexts.push(context);
    await Promise.race([
      opened,
      new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true })),
    ]);
  };
  const made = { handler, open, contexts };
  gates.push(made);
  return made;
}

describe('enqueue', () => {
  it('makes one job per dedupe key', async () => {
    const first = await enqueue(test.db, { kind: 'report', payload: { n: 1 }, dedupeKey: 'report:7' });
    const again = await enqueue(test.db, { kind: 'report', payload: { n: 2 }, dedupeKey: 'report:7' });
    const other = await enqueue(test.db, { kind: 'report', payload: { n: 3 } });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(other.created).toBe(true);
    expect(await test.db.select().from(jobs)).toHaveLength(2);
    expect((await job(first.id)).payload).toEqual({ n: 1 });

    expect(await enqueueMany(test.db, [{ kind: 'report', payload: {}, dedupeKey: 'report:7' }, { kind: 'report', payload: {}, dedupeKey: 'report:8' }])).toBe(1);
  });

  it('runs a finished job again only when asked to, and leaves a pending one alone', async () => {
    const { id } = await enqueue(test.db, { kind: 'report', payload: { n: 1 }, dedupeKey: 'k' });
    expect(await enqueueMany(test.db, [{ kind: 'report', payload: { n: 2 }, dedupeKey: 'k' }], { rerunFinished: true })).toBe(0);
    await test.db.update(jobs).set({ status: 'done', attempts: 1 }).where(eq(jobs.id, id));
    expect(await enqueueMany(test.db, [{ kind: 'report', payload: { n: 2 }, dedupeKey: 'k' }])).toBe(0);
    expect((await job(id)).status).toBe('done');
    expect(await enqueueMany(test.db, [{ kind: 'report', payload: { n: 2 }, dedupeKey: 'k' }], { rerunFinished: true })).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'pending', attempts: 0, payload: { n: 2 } });
  });
});

describe('leasing', () => {
  it('gives each due job to one holder, even when two database connections lease at once', async () => {
    const other = await openDatabase(test.databaseUrl);
    extraClients.push(other);
    await enqueueMany(test.db, Array.from({ length: 60 }, (_, n) => ({ kind: 'work', payload: { n } })));
    await enqueue(test.db, { kind: 'work', payload: { later: true }, runAt: Date.now() + 3_600_000 });
    await enqueue(test.db, { kind: 'unknown-here', payload: {} });

    const taken = new Map<string, string>();
    for (;;) {
      const [a, b] = await Promise.all([
        leaseJobs(test.db, { processId: 'a', kinds: ['work'], limit: 7, leaseMs: 60_000 }),
        leaseJobs(other, { processId: 'b', kinds: ['work'], limit: 7, leaseMs: 60_000 }),
      ]);
      if (a.length + b.length === 0) break;
      for (const leased of [...a, ...b]) {
        expect(taken.has(leased.id), `job ${leased.id} leased twice`).toBe(false);
        taken.set(leased.id, leased.leasedBy!);
        expect(leased).toMatchObject({ status: 'running', attempts: 1 });
      }
    }
    expect(taken.size).toBe(60);
    const left = await test.db.select({ kind: jobs.kind, status: jobs.status }).from(jobs).where(eq(jobs.status, 'pending'));
    expect(left.map((row) => row.kind).sort()).toEqual(['unknown-here', 'work']);
  });

  it('takes back a job whose lease ran out; the stalled holder can no longer finish or fail it', async () => {
    const { id } = await enqueue(test.db, { kind: 'work', payload: {} });
    const [stalled] = await leaseJobs(test.db, { processId: 'stalled', kinds: ['work'], limit: 1, leaseMs: 50 });
    expect(stalled).toMatchObject({ id, leasedBy: 'stalled', attempts: 1 });

    const ran: number[] = [];
    const running = worker({ handlers: { work: async (_payload, context) => void ran.push(context.attempt) } });
    await waitFor('the job to be taken back and finished', async () => (await job(id)).status === 'done');
    expect(ran).toEqual([2]);
    expect(await job(id)).toMatchObject({ leasedBy: running.processId, attempts: 2 });
    expect(await completeJob(test.db, stalled!)).toBe(false);
    expect(await failJob(test.db, stalled!, 'too late')).toBe('lost');
    expect((await job(id)).status).toBe('done');
  });

  it('keeps a process that leases its own job again from finishing it with the lease that ran out', async () => {
    const { id } = await enqueue(test.db, { kind: 'work', payload: {} });
    const [first] = await leaseJobs(test.db, { processId: 'same', kinds: ['work'], limit: 1, leaseMs: 1 });
    expect(first).toMatchObject({ id, leasedBy: 'same', attempts: 1 });
    const [second] = await waitFor('the same process to lease the job again', async () => {
      const taken = await leaseJobs(test.db, { processId: 'same', kinds: ['work'], limit: 1, leaseMs: 60_000 });
      return taken.length > 0 && taken;
    });
    // Same id and same holder: only the attempt tells the old lease from the new one.
    expect(second).toMatchObject({ id, leasedBy: 'same', attempts: 2 });
    expect(await renewLease(test.db, first!, 60_000)).toBe(false);
    expect(await completeJob(test.db, first!)).toBe(false);
    expect(await failJob(test.db, first!, 'from the old lease')).toBe('lost');
    expect(await job(id)).toMatchObject({ status: 'running', attempts: 2, lastError: null });
    expect(await completeJob(test.db, second!)).toBe(true);
    expect((await job(id)).status).toBe('done');
  });

  it('sets aside as dead a job whose lease ran out on its last attempt', async () => {
    const { id } = await enqueue(test.db, { kind: 'work', payload: {}, maxAttempts: 1 });
    await leaseJobs(test.db, { processId: 'crashed', kinds: ['work'], limit: 1, leaseMs: 1 });
    const ran: string[] = [];
    worker({ handlers: { work: async () => void ran.push('ran') } });
    await waitFor('the job to be dead', async () => (await job(id)).status === 'dead');
    expect(ran).toEqual([]);
    expect((await job(id)).lastError).toMatch(/lease ran out on the last attempt/);
  });

  it('renews the lease of a long job, so no other process takes it', async () => {
    const { id } = await enqueue(test.db, { kind: 'slow', payload: {} });
    const slow = gate();
    const holder = worker({ handlers: { slow: slow.handler }, leaseMs: 300 });
    await waitFor('the job to start', () => slow.contexts.length === 1);
    const firstLeaseUntil = (await job(id)).leaseUntil!;

    const rival = gate();
    worker({ handlers: { slow: rival.handler }, leaseMs: 300 });
    // Wait until the first lease would have run out twice over while the rival kept polling.
    await waitFor('the first lease to have run out', async () => (await dbNow()) > firstLeaseUntil + 300, { withinMs: 5_000 });

    const during = await job(id);
    expect(during).toMatchObject({ status: 'running', leasedBy: holder.processId, attempts: 1 });
    expect(during.leaseUntil!).toBeGreaterThan(firstLeaseUntil);
    expect(rival.contexts).toHaveLength(0);

    slow.open();
    await waitFor('the job to finish', async () => (await job(id)).status === 'done');
    expect(slow.contexts).toHaveLength(1);
    expect(rival.contexts).toHaveLength(0);
  });

  it('aborts the handler when the lease is lost', async () => {
    const { id } = await enqueue(test.db, { kind: 'slow', payload: {} });
    const slow = gate();
    worker({ handlers: { slow: slow.handler }, leaseMs: 150 });
    await waitFor('the job to start', () => slow.contexts.length === 1);
    await test.db.update(jobs).set({ leasedBy: 'someone-else' }).where(eq(jobs.id, id));
    await waitFor('the handler to be told', () => slow.contexts[0]!.signal.aborted);
    expect(String(slow.contexts[0]!.signal.reason)).toMatch(/Lost the lease/);
    // The new holder's record stands.
    expect(await job(id)).toMatchObject({ status: 'running', leasedBy: 'someone-else' });
  });
});

describe('the worker', () => {
  it('runs due jobs with their payload and marks them done', async () => {
    const seen: unknown[] = [];
    const { id } = await enqueue(test.db, { kind: 'greet', payload: { name: 'Li' } });
    const running = worker({ handlers: { greet: async (payload, context) => void seen.push([payload, context.attempt, context.isLastAttempt]) } });
    await waitFor('the job to finish', async () => (await job(id)).status === 'done');
    expect(seen).toEqual([[{ name: 'Li' }, 1, false]]);
    expect(await job(id)).toMatchObject({ attempts: 1, leasedBy: running.processId, lastError: null });
    expect((await job(id)).finishedAt).toBeGreaterThan(0);
  });

  it('lets a handler finish its job in its own transaction, with its last write', async () => {
    const { id } = await enqueue(test.db, { kind: 'record', payload: {} });
    const problems: string[] = [];
    worker({
      onProblem: (message) => problems.push(message),
      handlers: {
        record: async (_payload, context) => {
          await test.db.transaction(async (tx) => {
            await tx.run(sql`CREATE TABLE IF NOT EXISTS handled (job_id TEXT PRIMARY KEY)`);
            await tx.run(sql`INSERT INTO handled (job_id) VALUES (${context.jobId})`);
            expect(await context.completeIn(tx)).toBe(true);
          });
        },
      },
    });
    await waitFor('the job to finish', async () => (await job(id)).status === 'done');
    expect(await test.db.all(sql`SELECT job_id FROM handled`)).toEqual([{ job_id: id }]);
    expect(problems).toEqual([]);
  });

  it('retries a failing job after a backoff delay, then finishes it', async () => {
    const { id } = await enqueue(test.db, { kind: 'flaky', payload: {} });
    const failedAt: number[] = [];
    const runAtAfterFailure: number[] = [];
    worker({
      backoff: { baseMs: 200, maxMs: 1000 },
      handlers: {
        flaky: async (_payload, context) => {
          if (context.attempt > 1) runAtAfterFailure.push((await job(id)).runAt);
          if (context.attempt < 3) {
            failedAt.push(Date.now());
            throw new Error(`SMTP said no (attempt ${context.attempt})`);
          }
        },
      },
    });
    await waitFor('the job to finish', async () => (await job(id)).status === 'done');
    expect(await job(id)).toMatchObject({ attempts: 3, lastError: 'SMTP said no (attempt 2)' });
    // First retry waits at least half of 200 ms, the second at least half of 400 ms.
    expect(runAtAfterFailure[0]! - failedAt[0]!).toBeGreaterThanOrEqual(100);
    expect(runAtAfterFailure[1]! - failedAt[1]!).toBeGreaterThanOrEqual(200);
  });

  it('moves a job to dead after its last attempt, keeping the last error', async () => {
    const { id } = await enqueue(test.db, { kind: 'broken', payload: {}, maxAttempts: 3 });
    const attempts: [number, boolean][] = [];
    worker({
      handlers: {
        broken: async (_payload, context) => {
          attempts.push([context.attempt, context.isLastAttempt]);
          throw new Error(`refused ${context.attempt}`);
        },
      },
    });
    await waitFor('the job to be dead', async () => (await job(id)).status === 'dead');
    expect(attempts).toEqual([[1, false], [2, false], [3, true]]);
    expect(await job(id)).toMatchObject({ attempts: 3, lastError: 'refused 3' });
  });

  it('drains the jobs in flight when stopped, and takes no new ones', async () => {
    const slow = gate();
    const { id } = await enqueue(test.db, { kind: 'slow', payload: {} });
    const running = worker({ handlers: { slow: slow.handler } });
    await waitFor('the job to start', () => slow.contexts.length === 1);
    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await enqueue(test.db, { kind: 'slow', payload: { second: true } });
    await new Promise((tick) => setTimeout(tick, 100));
    expect(stopped).toBe(false);
    slow.open();
    await stopping;
    expect((await job(id)).status).toBe('done');
    expect(slow.contexts).toHaveLength(1);
    expect((await test.db.select().from(jobs).where(eq(jobs.status, 'pending'))).length).toBe(1);
  });
});

describe('a stopping worker told to cut jobs short', () => {
  it('stops a job that is still running, and hands it back to the queue with its attempt not counted', async () => {
    const slow = gate();
    const { id } = await enqueue(test.db, { kind: 'slow', payload: {} });
    const running = worker({ handlers: { slow: slow.handler } });
    await waitFor('the job to start', () => slow.contexts.length === 1);
    expect(await job(id)).toMatchObject({ status: 'running', attempts: 1 });
    await running.stop({ cutShortAfterMs: 50 });
    expect(slow.contexts[0]!.signal.aborted).toBe(true);
    const after = await job(id);
    expect(after).toMatchObject({ status: 'pending', attempts: 0, leaseUntil: null, lastError: null });
    expect(after.runAt).toBeLessThanOrEqual(Date.now());
  });

  it('lets a job that ends in time finish as usual', async () => {
    const slow = gate();
    const { id } = await enqueue(test.db, { kind: 'slow', payload: {} });
    const running = worker({ handlers: { slow: slow.handler } });
    await waitFor('the job to start', () => slow.contexts.length === 1);
    const stopping = running.stop({ cutShortAfterMs: 60_000 });
    slow.open();
    await stopping;
    expect((await job(id)).status).toBe('done');
  });
});

describe('jobs API', () => {
  async function deadJob(kind = 'broken') {
    const { id } = await enqueue(test.db, { kind, payload: { to: 'x' } });
    await test.db.update(jobs).set({ status: 'dead', attempts: 5, lastError: 'boom' }).where(eq(jobs.id, id));
    return id;
  }

  it('lists jobs by status for admins, a page at a time', async () => {
    const admin = await signedInAs(test, 'admin');
    const dead = [await deadJob(), await deadJob(), await deadJob()];
    await enqueue(test.db, { kind: 'fine', payload: {} });

    const first = await admin.request('GET', '/api/jobs?status=dead&limit=2');
    expect(first.status).toBe(200);
    const page1 = await first.json();
    expect(page1.jobs).toHaveLength(2);
    expect(page1.jobs[0]).toMatchObject({ status: 'dead', lastError: 'boom', payload: { to: 'x' } });
    const page2 = await (await admin.request('GET', `/api/jobs?status=dead&limit=2&before=${page1.nextBefore}`)).json();
    expect(page2.nextBefore).toBeNull();
    expect([...page1.jobs, ...page2.jobs].map((row: { id: string }) => row.id).sort()).toEqual(dead.sort());

    const pending = await (await admin.request('GET', '/api/jobs?status=pending')).json();
    expect(pending.jobs.map((row: { kind: string }) => row.kind)).toEqual(['fine']);
    expect((await (await admin.request('GET', '/api/jobs')).json()).jobs).toHaveLength(4);
  });

  it('refuses a bad query in the reader’s language', async () => {
    const admin = await signedInAs(test, 'admin');
    const bad = await admin.request('GET', '/api/jobs?status=stuck', undefined, { 'x-locale': 'zh-CN' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields.status).toBe('"status" 必须是 pending、running、done、dead 之一。');
    const badLimit = await admin.request('GET', '/api/jobs?limit=5000');
    expect(badLimit.status).toBe(400);
    expect((await badLimit.json()).fields.limit).toMatch(/from 1 to 200/);
  });

  it('puts a dead job back to run with all its attempts', async () => {
    const admin = await signedInAs(test, 'admin');
    const id = await deadJob('again');
    const response = await admin.request('POST', `/api/jobs/${id}/retry`);
    expect(response.status).toBe(200);
    expect((await response.json()).job).toMatchObject({ id, status: 'pending', attempts: 0, finishedAt: null });

    const ran: number[] = [];
    worker({ handlers: { again: async (_payload, context) => void ran.push(context.attempt) } });
    await waitFor('the retried job to finish', async () => (await job(id)).status === 'done');
    expect(ran).toEqual([1]);
  });

  it('retries only dead jobs, and says why not in both languages', async () => {
    const admin = await signedInAs(test, 'admin');
    const { id } = await enqueue(test.db, { kind: 'fine', payload: {} });
    const english = await admin.request('POST', `/api/jobs/${id}/retry`);
    expect(english.status).toBe(409);
    expect(await english.json()).toMatchObject({ code: 'conflict', error: 'Only a dead job can be retried; this one is pending.', status: 'pending' });
    const chinese = await admin.request('POST', `/api/jobs/${id}/retry`, undefined, { 'x-locale': 'zh-CN' });
    expect((await chinese.json()).error).toBe('只有失败终止的任务才能重试；该任务当前状态为「等待中」。');

    const missing = await admin.request('POST', '/api/jobs/nope/retry', undefined, { 'accept-language': 'zh-CN' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBe('找不到该任务。');
  });

  it('is for admins only', async () => {
    const id = await deadJob();
    for (const role of ['manager', 'support', 'interviewer'] as const) {
      const staff = await signedInAs(test, role);
      const list = await staff.request('GET', '/api/jobs', undefined, { 'x-locale': 'zh-CN' });
      expect(list.status).toBe(403);
      expect((await list.json()).error).toBe('您的角色无权执行此操作，请联系管理员。');
      expect((await staff.request('POST', `/api/jobs/${id}/retry`)).status).toBe(403);
    }
    expect((await test.app.request('/api/jobs')).status).toBe(401);
    const admin = await signedInAs(test, 'admin');
    const noToken = await test.app.request(`/api/jobs/${id}/retry`, { method: 'POST', headers: { cookie: admin.cookie } });
    expect(noToken.status).toBe(403);
    expect((await job(id)).status).toBe('dead');
  });
});
