// The full loyalty recompute and `npm run -s loyalty -- recompute`: the command (compiled, as npm runs it) prints
// what it did and refuses bad arguments with its usage; killed with SIGKILL halfway it leaves every previous
// row, tier and change as they were, and the next run completes; an update that arrives while a recompute
// runs is not lost.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerLoyalty, customers, jobs, loyaltyChanges, loyaltyStale, purchases } from '../server/db/schema.ts';
import { readCuts } from '../server/loyalty/engine.ts';
import { recomputeHandlers, recomputeJobKind, recomputeLoyalty, RecomputeRunning, scheduleLoyaltyRecompute } from '../server/loyalty/recompute.ts';
import { defaultLoyaltySettings, saveLoyaltySettings } from '../server/loyalty/settings.ts';
import { drainStale } from '../server/loyalty/updater.ts';
import { foldNewPurchases } from '../server/loyalty/updates.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const repoRoot = join(import.meta.dirname, '..');
const launcher = join(repoRoot, 'scripts', 'run.mjs');
const dayMs = 86_400_000;

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), 'server'], { cwd: repoRoot, stdio: 'ignore' });
});

function loyalty(databaseUrl: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, 'loyalty', ...args], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let test: TestApp;
let ids: string[];
const now = Date.now();

beforeAll(async () => {
  test = await startTestApp();
  ids = Array.from({ length: 2000 }, (_, i) => `cust-${String(i).padStart(5, '0')}`);
  for (let start = 0; start < ids.length; start += 500) {
    await test.db.insert(customers).values(ids.slice(start, start + 500).map((id) => ({ id, name: `Customer ${id}` })));
  }
  // Each customer bought a few times; customer i spends more the higher i.
  const rows = ids.flatMap((customerId, i) =>
    Array.from({ length: 1 + (i % 4) }, (_, k) => ({
      customerId,
      orderId: `${customerId}-${k}`,
      occurredAt: now - (20 + k * 40 + (i % 30)) * dayMs,
      amountMinor: 1000 + i * 10,
      currency: 'CNY',
      source: 'api' as const,
    })),
  );
  for (let start = 0; start < rows.length; start += 500) await test.db.insert(purchases).values(rows.slice(start, start + 500));
  // The history is there before any run: nothing waits for an incremental update.
  await foldNewPurchases(test.db, { limit: rows.length });
  await test.db.delete(loyaltyStale);
}, 60_000);
afterAll(() => test?.close());

const snapshot = async () => ({
  rows: await test.db.select().from(customerLoyalty).orderBy(customerLoyalty.customerId),
  tiers: await test.db.select({ id: customers.id, tier: customers.tier }).from(customers).orderBy(customers.id),
  changes: await test.db.$count(loyaltyChanges),
  cuts: await readCuts(test.db),
});

describe('npm run -s loyalty -- recompute', () => {
  it('refuses a missing or unknown command, or a bad option, with its usage', async () => {
    for (const args of [[], ['recalculate'], ['recompute', '--chunk', 'ten'], ['recompute', '--fast']]) {
      const run = await loyalty(test.databaseUrl, ...args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toContain('usage: npm run -s loyalty -- recompute');
      expect(run.stdout).toBe('');
    }
    expect(await test.db.$count(customerLoyalty)).toBe(0);
  });

  it('works out every customer and prints what it did', async () => {
    const run = await loyalty(test.databaseUrl, 'recompute');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Recomputed the loyalty of 2,000 customers \(2,000 with purchases\) in \d+\.\d s\./);
    expect(run.stdout).toMatch(/stages: prospect 0, new \d/);
    expect(run.stdout).toMatch(/tiers by value: VIP [1-9]/);
    expect(await test.db.$count(customerLoyalty)).toBe(2000);
    // The biggest spender is VIP on record; the tier cut points are stored for the incremental updates.
    const [top] = await test.db.select({ tier: customers.tier }).from(customers).where(eq(customers.id, ids[1999]!));
    expect(top!.tier).toBe('vip');
    expect((await readCuts(test.db))!.customers).toBe(2000);
  });

  it('killed halfway leaves the previous scores in place, and the next run completes', { timeout: 120_000 }, async () => {
    // Settings that move every customer's score and stage: the next recompute would change every row.
    await saveLoyaltySettings(test.db, { ...defaultLoyaltySettings, stages: { ...defaultLoyaltySettings.stages, newTenureDays: 3000 }, tierShares: { vip: 10, important: 20 } }, 'test');
    const before = await snapshot();
    expect(before.rows.some((row) => row.stage !== 'new')).toBe(true);

    // Small rounds, so the run is still writing its shadow table when it is killed.
    const child = spawn(process.execPath, [launcher, 'loyalty', 'recompute', '--chunk', '100'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: test.databaseUrl, LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/worked out 500 of 2,000/.test(stderr)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`The recompute ended before it could be killed: ${stderr}`)));
    });
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    expect(await snapshot()).toEqual(before);

    // The lock the killed run held runs out; meanwhile a second run is told one is under way.
    await expect(recomputeLoyalty(test.db)).rejects.toThrow(RecomputeRunning);
    await test.db.run(sql`UPDATE settings SET value = json_set(value, '$.until', 0) WHERE key = 'loyalty.recompute.lock'`);
    const run = await loyalty(test.databaseUrl, 'recompute');
    expect(run.status).toBe(0);
    const after = await snapshot();
    expect(after.rows).toHaveLength(2000);
    expect(after.rows.every((row) => row.stage === 'new' && row.computedAt > before.rows[0]!.computedAt)).toBe(true);
    expect(after.changes).toBeGreaterThan(before.changes);
    expect(after.tiers.filter((row) => row.tier === 'vip').length).toBeLessThan(before.tiers.filter((row) => row.tier === 'vip').length);
    // No shadow table is left behind.
    const tables = await test.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE '%_next' OR name LIKE '%_old')`);
    expect(tables).toEqual([]);
    const indexes = await test.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer_loyalty' AND sql IS NOT NULL ORDER BY name`);
    expect(indexes.map((index) => index.name)).toEqual([
      'customer_loyalty_at_risk_idx',
      'customer_loyalty_overlays_idx',
      'customer_loyalty_stage_idx',
      'customer_loyalty_value_idx',
    ]);
  });

  it('keeps an update that arrives while it runs', async () => {
    const id = ids[0]!;
    let arrived = false;
    const report = await recomputeLoyalty(test.db, {
      chunkSize: 500,
      onProgress: async (line) => {
        if (arrived || !line.startsWith('worked out')) return;
        arrived = true;
        // Customer 0's row is in the shadow table already when a purchase of theirs arrives and an update takes it.
        await test.db.insert(purchases).values({ customerId: id, orderId: randomUUID(), occurredAt: Date.now() - 1000, amountMinor: 9_999_999, currency: 'CNY', source: 'api' });
        expect(await drainStale(test.db)).toBe(1);
      },
    });
    expect(arrived).toBe(true);
    expect(report.keptFromUpdates).toBe(1);
    const [row] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, id));
    expect(row!.windowValue).toBeGreaterThanOrEqual(9_999_999);
    // Marked again, so the next update applies the new cut points to it.
    expect(await test.db.select({ cause: loyaltyStale.cause }).from(loyaltyStale).where(eq(loyaltyStale.customerId, id))).toEqual([{ cause: 'recompute' }]);
  });
});

describe('the schedule', () => {
  const hourMs = 3_600_000;
  const context = { jobId: 'x', attempt: 1, maxAttempts: 3, isLastAttempt: false, signal: new AbortController().signal, completeIn: async () => true };

  it('one run per recomputeEveryHours, however many processes schedule it; a run schedules the next', async () => {
    await test.db.delete(jobs);
    const at = Date.UTC(2026, 11, 6, 10, 30);
    const first = await scheduleLoyaltyRecompute(test.db, at);
    const again = await scheduleLoyaltyRecompute(test.db, at + 60_000);
    expect(first).toEqual({ runAt: Date.UTC(2026, 11, 7), created: true });
    expect(again).toEqual({ runAt: first.runAt, created: false });
    // The run at that boundary: a recompute ran in the last half period, so it only schedules the next.
    const cutsBefore = await readCuts(test.db);
    await recomputeHandlers({ db: test.db })[recomputeJobKind]!({ start: first.runAt }, context);
    expect((await readCuts(test.db))!.computedAt).toBe(cutsBefore!.computedAt);
    const scheduled = await test.db.select({ runAt: jobs.runAt }).from(jobs).where(eq(jobs.kind, recomputeJobKind)).orderBy(jobs.runAt);
    expect(scheduled.map((job) => job.runAt)).toEqual([first.runAt, first.runAt + 24 * hourMs]);
  });

  it('a scheduled run with no recent recompute works everyone out; two at once make one run', async () => {
    const start = Date.now() + 30 * 24 * hourMs;
    const before = (await readCuts(test.db))!.computedAt;
    const runs = await Promise.allSettled([recomputeLoyalty(test.db), recomputeLoyalty(test.db)]);
    expect(runs.map((run) => run.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(runs.find((run) => run.status === 'rejected')).toMatchObject({ reason: expect.any(RecomputeRunning) });
    const afterOne = (await readCuts(test.db))!.computedAt;
    expect(afterOne).toBeGreaterThan(before);
    // Rows that came out the same were copied over as they were, with the new time.
    const fulfilled = runs.find((run) => run.status === 'fulfilled')!;
    expect(fulfilled.value.rewritten).toBeLessThan(2000);
    const rows = await test.db.select().from(customerLoyalty);
    expect(rows).toHaveLength(2000);
    expect(rows.every((row) => row.computedAt === afterOne)).toBe(true);
    await recomputeHandlers({ db: test.db })[recomputeJobKind]!({ start }, context);
    expect((await readCuts(test.db))!.computedAt).toBeGreaterThan(afterOne);
  });
});
