// Loyalty on 1,000,000 customers and 10,000,000 purchases (bench/loyalty-data.ts, kept in .bench/):
// (1) the whole `npm run -s loyalty -- recompute` command, timed from outside (the server build made first, so
//     the figure is the command itself), against the 3-minute limit;
// (2) an incremental update: a purchase arrives at a running server and the customer's row in customer_loyalty
//     shows it. Each purchase goes through POST /api/v1/purchases when the server has that route; otherwise it
//     is written the way the purchase intake writes it (the purchase and its stale mark in one transaction).
//     The bench then reads the customer_loyalty row straight from the database every 10 ms until it shows the
//     purchase: the figure is from the purchase's answer (or commit) to the row, against the 1-second limit.
// Runs alone: `node --import tsx bench/loyalty.ts [--customers N]`; bench/run.ts runs it as step 9.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../server/db/client.ts';
import { createApiKey } from '../server/integrations/keys.ts';
import { loyaltyUpdateDue } from '../server/loyalty/updates.ts';
import { projectRoot } from './build.ts';
import { loyaltyBenchCustomerId, loyaltyBenchCustomers, loyaltyBenchDatabase, loyaltyBenchExternalId } from './loyalty-data.ts';
import { benchServerEnv, freePort, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, printTable, type Cell } from './report.ts';

export const recomputeLimitMs = 180_000;
export const incrementalLimitMs = 1_000;
const purchasesMeasured = 30;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function timedRun(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: null, stdout, stderr: String(error), ms: performance.now() - started }));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

export interface LoyaltyRun {
  customers: number;
  purchases: number;
  recompute: { ms: number; code: number | null; summary: string };
  incremental: { via: 'api' | 'direct'; times: number[]; p50: number; p95: number; max: number };
}

async function rowShows(db: Db, customerId: string, orderAt: number): Promise<boolean> {
  const result = await db.$client.execute({ sql: 'SELECT last_purchase_at FROM customer_loyalty WHERE customer_id = ?', args: [customerId] });
  return Number(result.rows[0]?.last_purchase_at ?? 0) >= orderAt;
}

export async function measureLoyalty(customers = loyaltyBenchCustomers): Promise<LoyaltyRun> {
  const built = await loyaltyBenchDatabase({ customers });
  // The command builds what changed before it runs; built now, so the timing is the recompute itself.
  execFileSync(process.execPath, [join(projectRoot, 'scripts', 'build.mjs'), 'server'], { cwd: projectRoot, stdio: 'ignore' });
  console.log('  running npm run -s loyalty -- recompute (minutes)…');
  const finished = await timedRun([join(projectRoot, 'scripts', 'run.mjs'), 'loyalty', 'recompute'], { ...process.env, DATABASE_URL: built.databaseUrl, LOG_LEVEL: 'silent' });
  if (finished.code !== 0) throw new Error(`npm run -s loyalty -- recompute failed (${finished.code}):\n${finished.stderr.slice(-2000)}`);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = startNode('server/main.ts', { cwd: projectRoot, logPath: join(projectRoot, '.bench/loyalty-server.log'), env: benchServerEnv({ port, databaseUrl: built.databaseUrl, logLevel: 'error' }) });
  // A first start on the file runs the hourly follow-up plan over every customer, which keeps the server busy
  // for minutes; the updates are measured on a server at rest, once no due job is waiting or running.
  await waitForHttp(`${baseUrl}/health`, server, 900_000);
  const db = await openDatabase(built.databaseUrl);
  const settling = performance.now();
  for (;;) {
    const busy = await db.$client.execute({
      sql: `SELECT count(*) AS n FROM jobs WHERE kind <> 'loyalty.update' AND (status = 'running' OR (status = 'pending' AND run_at <= ?))`,
      args: [Date.now()],
    });
    if (Number(busy.rows[0]!.n) === 0) break;
    if (performance.now() - settling > 900_000) throw new Error(`the server's background jobs were still busy after 15 minutes\n${server.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const settledS = (performance.now() - settling) / 1000;
  if (settledS > 5) console.log(`  waited ${settledS.toFixed(0)} s for the server's background jobs (the follow-up plan) to finish`);
  const times: number[] = [];
  let via: 'api' | 'direct' = 'direct';
  try {
    const [admin] = (await db.$client.execute(`SELECT id FROM users WHERE role = 'admin' LIMIT 1`)).rows;
    const { secret } = await createApiKey(db, { name: `loyalty bench ${new Date().toISOString()}`, createdBy: String(admin![0]) });
    const probe = await fetch(`${baseUrl}/api/v1/purchases`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: '{}' });
    via = probe.status === 404 ? 'direct' : 'api';
    for (let round = 0; round < purchasesMeasured + 3; round++) {
      const i = ((round * 48_271) % built.customers) + 1;
      const customerId = loyaltyBenchCustomerId(i);
      const at = Date.now() - 1000;
      const orderId = `loyalty-bench-${randomUUID()}`;
      let sent: number;
      if (via === 'api') {
        const response = await fetch(`${baseUrl}/api/v1/purchases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ orderId, customer: loyaltyBenchExternalId(i), occurredAt: new Date(at).toISOString(), amount: '123.45', currency: 'CNY', channel: 'web' }),
        });
        const answer = await response.text();
        if (response.status !== 201) throw new Error(`POST /api/v1/purchases answered ${response.status}: ${answer.slice(0, 300)}`);
        sent = performance.now();
      } else {
        await db.transaction(async (tx) => {
          await tx.run(sql`INSERT INTO purchases (customer_id, order_id, occurred_at, amount_minor, currency, channel, source) VALUES (${customerId}, ${orderId}, ${at}, 12345, 'CNY', 'web', 'api')`);
          await loyaltyUpdateDue(tx);
        });
        sent = performance.now();
      }
      const giveUpAt = sent + 30_000;
      while (!(await rowShows(db, customerId, at))) {
        if (performance.now() > giveUpAt) throw new Error(`customer ${customerId}'s loyalty did not show the purchase within 30 s\n${server.logTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The first rounds warm the server (plans, the settings and cut points read once).
      if (round >= 3) times.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  } finally {
    db.$client.close();
    await server.stop();
  }
  const summary = finished.stdout.trim().split('\n')[0] ?? '';
  return {
    customers: built.customers,
    purchases: built.purchases,
    recompute: { ms: finished.ms, code: finished.code, summary },
    incremental: { via, times, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) },
  };
}

export function loyaltyPasses(run: LoyaltyRun) {
  return run.recompute.ms < recomputeLimitMs && run.incremental.p95 < incrementalLimitMs;
}

export function loyaltyTable(run: LoyaltyRun) {
  const rows: Record<string, Cell>[] = [
    {
      measure: 'npm run -s loyalty -- recompute (whole command, from outside)',
      figure: `${(run.recompute.ms / 1000).toFixed(1)} s`,
      limit: `< ${recomputeLimitMs / 1000} s`,
      result: run.recompute.ms < recomputeLimitMs ? 'PASS' : 'MISS',
    },
    {
      measure: `purchase ${run.incremental.via === 'api' ? 'answered by POST /api/v1/purchases' : 'committed with its stale mark'} → customer_loyalty row shows it (p50 / p95 / max of ${run.incremental.times.length})`,
      figure: `${formatMs(run.incremental.p50)} / ${formatMs(run.incremental.p95)} / ${formatMs(run.incremental.max)}`,
      limit: `< ${formatMs(incrementalLimitMs)}`,
      result: run.incremental.p95 < incrementalLimitMs ? 'PASS' : 'MISS',
    },
  ];
  printTable(`Loyalty on ${formatCount(run.customers)} customers and ${formatCount(run.purchases)} purchases`, rows);
  console.log(`  ${run.recompute.summary}`);
  console.log('  the update is read from the customer_loyalty row in the database every 10 ms (the row GET /api/customers/:id shows as `loyalty`)');
}

if (startedAlone(import.meta.url)) {
  runAlone('loyalty', async () => {
    const { values } = parseArgs({ options: { customers: { type: 'string' } } });
    const customers = Number(values.customers ?? loyaltyBenchCustomers);
    if (!Number.isInteger(customers) || customers < 1000 || customers % 2 !== 0) {
      console.error('--customers takes an even whole number of at least 1000, e.g. --customers 1000000');
      process.exit(1);
    }
    loyaltyTable(await measureLoyalty(customers));
  });
}
