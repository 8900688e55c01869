// The loyalty figures on the big loyalty database (bench/loyalty-data.ts: 1,000,000 customers, 10,000,000
// purchases, complaint cases for a tenth): a real server answers GET /api/insights/loyalty for the last 90
// days, the last year, a segment, the at-risk list the other way round and two CSVs, while purchases keep
// arriving (a separate process writes batches as ingestion does: the purchases and the stale marks in one
// transaction) and a second server process works the loyalty updates they ask for. Each request's p50/p95 is
// printed beside the 200 ms limit, with the query plans of the
// statements the report runs (EXPLAIN QUERY PLAN): a full scan of a big table is named.
//
// The dashboard reads customer_loyalty and loyalty_changes. When the database has none yet, this bench places
// every customer by plain SQL from their purchases (a stand-in with the same shape and about the same mix of
// stages, at-risk and churn as a recompute gives, history rows spread over the three years), in a copy of the
// file (.bench/loyalty-dashboard-<customers>.db), so the loyalty engine's own bench keeps its untouched file.
//
// Runs alone: `node --import tsx bench/loyalty-dashboard.ts [--customers N]`.
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InStatement } from '@libsql/client';
import { createApp } from '../server/app.ts';
import { createSession } from '../server/accounts/service.ts';
import { hashPassword } from '../server/accounts/passwords.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { ensureCuts } from '../server/loyalty/recompute.ts';
import { purchases } from '../server/db/schema.ts';
import { loyaltyUpdateDue } from '../server/loyalty/updates.ts';
import { projectRoot } from './build.ts';
import { loyaltyBenchCustomerId, loyaltyBenchCustomers, loyaltyBenchDatabase } from './loyalty-data.ts';
import { benchServerEnv, freePort, onCleanup, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, printTable, type Cell } from './report.ts';

export const loyaltyDashboardTargetP95Ms = 200;
const repeats = 15;
/** Purchases arriving while the figures are read: batches of this many, this many batches a second. */
const arrivalBatch = 50;
const arrivalBatchesPerSecond = 10;
const dayMs = 86_400_000;
const benchAdmin = { email: 'bench-loyalty-dashboard@example.com', password: 'bench loyalty dashboard password' };

/** A deterministic spread 0 ≤ h < m from a counter column, different for each salt. */
const hash = (column: string, salt: number, m: number) => `((((${column}) + ${salt}) * 2654435761) % 4294967291 % ${m})`;

/**
 * Every customer placed from their purchases, as a recompute would leave them: RFM scores, window value in
 * CNY (USD at 7.1), a stage by tenure and purchases in the year, about one in twenty at risk with reasons,
 * churned when the last purchase is 180 days old (voiced when they complained), and a history of stage,
 * at-risk and churn moves. A stand-in for the engine's recompute, for reading speed only.
 */
function placementStatements(now: number): InStatement[] {
  const year = now - 365 * dayMs;
  const n = `CAST(substr(c.id, 25) AS INTEGER)`;
  return [
    { sql: 'DELETE FROM loyalty_changes', args: [] },
    { sql: 'DELETE FROM customer_loyalty', args: [] },
    {
      sql: `INSERT INTO customer_loyalty (customer_id, stage, stage_since, regular_since, at_risk, at_risk_reasons, churned, churned_at,
              recency, frequency, monetary, first_purchase_at, last_purchase_at, purchase_count, window_purchases, window_value,
              median_gap_days, computed_tier, score, parts, computed_at)
            SELECT c.id, stage, first, CASE WHEN stage IN ('regular', 'long_standing', 'loyal') THEN first + 60 * ${dayMs} END,
                   at_risk, CASE WHEN at_risk = 1 THEN (CASE h % 4 WHEN 0 THEN '["falling_recency","falling_frequency"]' WHEN 1 THEN '["unresolved_major_complaint"]'
                                                     WHEN 2 THEN '["overdue_purchase"]' ELSE '["low_attitude"]' END) ELSE '[]' END,
                   churned, CASE WHEN churned IS NOT NULL THEN last + 180 * ${dayMs} END,
                   CASE WHEN count > 0 THEN 1 + h % 5 END, CASE WHEN count > 0 THEN 1 + (h / 5) % 5 END, CASE WHEN count > 0 THEN 1 + (h / 25) % 5 END,
                   first, last, count, window_count, window_value, CASE WHEN count > 1 THEN (last - first) / ${dayMs} / (count - 1) END,
                   CASE WHEN h % 20 = 0 THEN 'vip' WHEN h % 20 < 4 THEN 'important' ELSE 'ordinary' END,
                   CASE WHEN c.objects_to_profiling = 0 AND count > 0 THEN 20 + h % 80 END, NULL, ${now}
              FROM (SELECT c.id, c.objects_to_profiling, ${hash(n, 71, 1000)} AS h, p.first, p.last, coalesce(p.count, 0) AS count,
                           coalesce(p.window_count, 0) AS window_count, coalesce(p.window_value, 0) AS window_value,
                           CASE WHEN p.count IS NULL THEN 'prospect' WHEN p.first > ${now - 90 * dayMs} THEN 'new'
                                WHEN coalesce(p.window_count, 0) < 2 THEN 'new'
                                WHEN p.first < ${now - 730 * dayMs} AND ${hash(n, 73, 10)} < 3 THEN (CASE WHEN ${hash(n, 79, 10)} < 3 THEN 'loyal' ELSE 'long_standing' END)
                                ELSE 'regular' END AS stage,
                           CASE WHEN p.count IS NOT NULL AND p.last >= ${now - 180 * dayMs} AND ${hash(n, 83, 20)} = 0 THEN 1 ELSE 0 END AS at_risk,
                           CASE WHEN p.last < ${now - 180 * dayMs} THEN (CASE WHEN EXISTS (SELECT 1 FROM complaint_cases k WHERE k.customer_id = c.id) THEN 'voiced' ELSE 'silent' END) END AS churned
                      FROM customers c
                      LEFT JOIN (SELECT customer_id, min(occurred_at) AS first, max(occurred_at) AS last, count(*) AS count,
                                        sum(occurred_at >= ${year}) AS window_count,
                                        sum(CASE WHEN occurred_at >= ${year} THEN amount_minor * (CASE currency WHEN 'USD' THEN 7.1 ELSE 1 END) ELSE 0 END) AS window_value
                                   FROM purchases WHERE amount_minor > 0 GROUP BY customer_id) p ON p.customer_id = c.id) c`,
      args: [],
    },
    // Their history: the first stage at the first purchase, regular some months later, the at-risk flag and
    // churn when they came. Ordered by time, as the engine appends them.
    {
      sql: `INSERT INTO loyalty_changes (customer_id, at, field, before, after, cause, reasons)
            SELECT customer_id, at, field, before, after, 'recompute', reasons FROM (
              SELECT customer_id, first_purchase_at AS at, 'stage' AS field, NULL AS before, 'new' AS after, '[]' AS reasons FROM customer_loyalty WHERE first_purchase_at IS NOT NULL
              UNION ALL
              SELECT customer_id, regular_since, 'stage', 'new', 'regular', '[]' FROM customer_loyalty WHERE regular_since IS NOT NULL
              UNION ALL
              SELECT customer_id, min(${now}, regular_since + 700 * ${dayMs}), 'stage', 'regular', stage, '[]' FROM customer_loyalty WHERE stage IN ('long_standing', 'loyal')
              UNION ALL
              SELECT customer_id, ${now} - (${hash('CAST(substr(customer_id, 25) AS INTEGER)', 89, 150)}) * ${dayMs}, 'at_risk', 'false', 'true', at_risk_reasons FROM customer_loyalty WHERE at_risk = 1
              UNION ALL
              SELECT customer_id, churned_at, 'churned', NULL, churned, '[]' FROM customer_loyalty WHERE churned IS NOT NULL
            ) ORDER BY at`,
      args: [],
    },
    // Tiers by value as the schedule keeps them (hand-set ones stay).
    { sql: `UPDATE customers SET tier = (SELECT computed_tier FROM customer_loyalty l WHERE l.customer_id = customers.id) WHERE tier_set_by_hand = 0`, args: [] },
  ];
}

export interface DashboardDatabase {
  path: string;
  databaseUrl: string;
  customers: number;
  purchases: number;
  placed: number;
  changes: number;
  /** Seconds placing the customers took; null when the kept copy had them. */
  placedS: number | null;
}

/** The copy of the big loyalty database the dashboard bench reads, with every customer placed. */
export async function dashboardDatabase(customers: number): Promise<DashboardDatabase> {
  const source = await loyaltyBenchDatabase({ customers });
  const path = join(projectRoot, `.bench/loyalty-dashboard-${customers}.db`);
  const databaseUrl = `file:${path}`;
  if (!existsSync(path)) copyFileSync(source.path, path);
  const db = await openDatabase(databaseUrl);
  try {
    await migrateDatabase(db);
    await db.$client.execute('PRAGMA journal_mode = WAL');
    await db.$client.execute('PRAGMA cache_size = -524288');
    const placed = Number((await db.$client.execute('SELECT count(*) FROM customer_loyalty')).rows[0]![0]);
    let placedS: number | null = null;
    if (placed < source.customers) {
      console.log(`  placing ${formatCount(source.customers)} customers in ${path} (once)…`);
      const started = performance.now();
      await db.$client.batch(placementStatements(Date.now()), 'write');
      await db.$client.execute('ANALYZE');
      await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      placedS = (performance.now() - started) / 1000;
    }
    // The cut points incremental updates work with (made once, as a first recompute would), so the arrivals'
    // updates are the per-customer kind from the start.
    await ensureCuts(db);
    if (!(await db.$client.execute({ sql: 'SELECT 1 FROM users WHERE email = ?', args: [benchAdmin.email] })).rows[0]) {
      await db.$client.execute({
        sql: `INSERT INTO users (id, email, name, role, password_hash) VALUES ('bench-loyalty-admin', ?, 'Bench admin', 'admin', ?)`,
        args: [benchAdmin.email, await hashPassword(benchAdmin.password)],
      });
    }
    const counts = (await db.$client.execute('SELECT (SELECT count(*) FROM customer_loyalty), (SELECT count(*) FROM loyalty_changes), (SELECT count(*) FROM purchases)')).rows[0]!;
    return { path, databaseUrl, customers: source.customers, purchases: Number(counts[2]), placed: Number(counts[0]), changes: Number(counts[1]), placedS };
  } finally {
    db.$client.close();
  }
}

interface Request {
  name: string;
  path: string;
}

const dayIn = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

function requests(now: number): Request[] {
  const to = dayIn(now);
  const last = (days: number) => `from=${dayIn(now - (days - 1) * dayMs)}&to=${to}`;
  return [
    { name: 'last 90 days', path: `/api/insights/loyalty?${last(90)}` },
    { name: 'last 12 months', path: `/api/insights/loyalty?${last(365)}` },
    { name: 'last 90 days, segment retail', path: `/api/insights/loyalty?${last(90)}&segment=retail` },
    { name: 'at-risk list lowest value first', path: `/api/insights/loyalty?${last(90)}&order=value_asc` },
    { name: 'CSV: our TARP table', path: `/api/insights/loyalty?${last(90)}&format=csv&chart=tarp` },
    { name: 'CSV: at-risk list', path: `/api/insights/loyalty?${last(90)}&format=csv&chart=at-risk` },
    // The same server's plainest answer, for what the purchases arriving (and the loyalty updates they
    // cause, in this process) cost every request.
    { name: 'baseline: GET /health', path: '/health' },
  ];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

export interface QueryPlan {
  name: string;
  statements: number;
  /** Plan lines that scan a big table (customers, purchases, loyalty tables, cases) without an index. */
  scans: string[];
  /** The slowest statement of the request, run alone, in ms, with its first words. */
  slowest: { ms: number; sql: string };
}

/** The statements each request runs, recorded from the database client, explained and timed one by one. */
async function plans(databaseUrl: string, list: readonly Request[]): Promise<QueryPlan[]> {
  const db = await openDatabase(databaseUrl);
  const app = createApp({ db, config: loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }) });
  const session = await createSession(db, 'bench-loyalty-admin');
  let recording: { sql: string; args: unknown }[] | null = null;
  const execute = db.$client.execute.bind(db.$client);
  (db.$client as { execute: unknown }).execute = (statement: InStatement, args?: unknown) => {
    const sql = typeof statement === 'string' ? statement : statement.sql;
    if (recording && /customer_loyalty|loyalty_changes|purchases|complaint_cases|customers/.test(sql)) {
      recording.push({ sql, args: typeof statement === 'string' ? (args ?? []) : (statement.args ?? []) });
    }
    return execute(statement as never, args as never);
  };
  const result: QueryPlan[] = [];
  for (const request of list.filter((each) => each.path.startsWith('/api/') && !each.path.includes('format=csv'))) {
    recording = [];
    const response = await app.request(request.path, { headers: { cookie: `sid=${session.token}` } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status}: ${body.slice(0, 300)}`);
    const statements = recording;
    recording = null;
    const scans: string[] = [];
    let slowest = { ms: 0, sql: '' };
    for (const statement of statements) {
      const plan = await execute({ sql: `EXPLAIN QUERY PLAN ${statement.sql}`, args: statement.args } as InStatement);
      for (const row of plan.rows) {
        const detail = String(row[3] ?? row.detail);
        if (/^SCAN (customers|purchases|customer_loyalty|loyalty_changes|complaint_cases)\b/.test(detail)) scans.push(detail);
      }
      const started = performance.now();
      await execute(statement as InStatement);
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { ms, sql: statement.sql.replace(/\s+/g, ' ').slice(0, 60) };
    }
    result.push({ name: request.name, statements: statements.length, scans, slowest });
  }
  db.$client.close();
  return result;
}

export interface LoyaltyDashboardRun {
  customers: number;
  purchases: number;
  placed: number;
  changes: number;
  placedS: number | null;
  databaseMb: number;
  arrived: number;
  arrivalFailures: number;
  rows: { name: string; first: number; p50: number; p95: number }[];
  plans: QueryPlan[];
  overallP95: number;
}

export async function measureLoyaltyDashboard(customers: number): Promise<LoyaltyDashboardRun> {
  const built = await dashboardDatabase(customers);
  const now = Date.now();
  const list = requests(now);
  const queryPlans = await plans(built.databaseUrl, list);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // As the README's "Running more than one process" has it for a busy shop: the process answering staff
  // requests works no jobs (WORKER=off), and a second process on the same file works them, the loyalty
  // updates the arriving purchases ask for among them. Both share the machine's cores.
  const env = { ...benchServerEnv({ port, databaseUrl: built.databaseUrl, logLevel: 'silent' }), WORKER: 'off' };
  const server = startNode('server/main.ts', { cwd: projectRoot, logPath: join(projectRoot, '.bench/loyalty-dashboard-server.log'), env });
  await waitForHttp(`${baseUrl}/health`, server, 120_000);
  const workerPort = await freePort();
  const worker = startNode('server/main.ts', {
    cwd: projectRoot,
    logPath: join(projectRoot, '.bench/loyalty-dashboard-worker.log'),
    env: benchServerEnv({ port: workerPort, databaseUrl: built.databaseUrl, logLevel: 'silent' }),
  });
  await waitForHttp(`http://127.0.0.1:${workerPort}/health`, worker, 300_000);
  const signIn = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(benchAdmin) });
  if (!signIn.ok) throw new Error(`signing in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}\n${server.logTail()}`);
    return performance.now() - started;
  };

  // Purchases keep arriving from a process of their own while the figures are read.
  const arrivals = startNode('bench/loyalty-dashboard.ts', {
    cwd: projectRoot,
    args: ['--arrivals', built.databaseUrl, String(customers)],
    env: {},
    logPath: join(projectRoot, '.bench/loyalty-dashboard-arrivals.log'),
  });
  onCleanup(() => arrivals.stop());
  await new Promise((resolve) => setTimeout(resolve, 2000));
  // The first request of each view reads the figures (nothing kept yet); the rest are answered from the
  // reading kept for a minute, the at-risk list read every time.
  const firsts = new Map<string, number>();
  for (const request of list) firsts.set(request.name, await get(request.path));
  const times = new Map(list.map((request) => [request.name, [] as number[]]));
  for (let round = 0; round < repeats; round++) {
    for (const request of list) times.get(request.name)!.push(await get(request.path));
  }
  arrivals.process.kill('SIGTERM');
  await arrivals.exited;
  const [arrived, failures] = (arrivals.logTail(1).match(/arrived (\d+) failed (\d+)/)?.slice(1) ?? ['0', '0']).map(Number);
  await server.stop();
  await worker.stop();

  const all = [...times].filter(([name]) => !name.startsWith('baseline')).flatMap(([, values]) => values);
  return {
    customers: built.customers,
    purchases: built.purchases,
    placed: built.placed,
    changes: built.changes,
    placedS: built.placedS,
    databaseMb: statSync(built.path).size / 1024 / 1024,
    arrived: arrived!,
    arrivalFailures: failures!,
    rows: [...times].map(([name, values]) => ({ name, first: firsts.get(name)!, p50: percentile(values, 50), p95: percentile(values, 95) })),
    plans: queryPlans,
    overallP95: percentile(all, 95),
  };
}

export function loyaltyDashboardPass(run: LoyaltyDashboardRun) {
  return run.rows.every((row) => row.name.startsWith('baseline') || row.p95 < loyaltyDashboardTargetP95Ms) && run.arrived > 0 && run.arrivalFailures === 0;
}

export function loyaltyDashboardTable(run: LoyaltyDashboardRun) {
  const plans = new Map(run.plans.map((plan) => [plan.name, plan]));
  const limit = `< ${loyaltyDashboardTargetP95Ms} ms`;
  const rows: Record<string, Cell>[] = run.rows.map((row) => {
    const plan = plans.get(row.name);
    return {
      request: row.name,
      'first (reads the figures)': formatMs(row.first),
      p50: formatMs(row.p50),
      p95: formatMs(row.p95),
      [limit]: row.p95 < loyaltyDashboardTargetP95Ms ? 'PASS' : 'MISS',
      'slowest statement alone': plan ? `${formatMs(plan.slowest.ms)} (${plan.slowest.sql}…)` : '',
      'full scans': plan ? (plan.scans.length === 0 ? 'none' : [...new Set(plan.scans)].join('; ')) : '',
    };
  });
  rows.push({ request: `all loyalty requests (${run.rows.length - 1} kinds × ${repeats})`, 'first (reads the figures)': '', p50: '', p95: formatMs(run.overallP95), [limit]: run.overallP95 < loyaltyDashboardTargetP95Ms ? 'PASS' : 'MISS', 'slowest statement alone': '', 'full scans': '' });
  printTable(
    `Loyalty figures on ${formatCount(run.customers)} customers, ${formatCount(run.purchases)} purchases (${formatCount(run.placed)} placed, ${formatCount(run.changes)} loyalty changes; ${run.databaseMb.toFixed(0)} MB file) while ${formatCount(run.arrived)} purchases arrived in batches of ${arrivalBatch} at ~${arrivalBatch * arrivalBatchesPerSecond}/s (${run.arrivalFailures} batches failed)`,
    rows,
  );
  if (run.placedS !== null) console.log(`  customers placed by INSERT … SELECT in ${run.placedS.toFixed(1)} s`);
}

/** The arrivals process: batches of purchases for customers all over the file, each with its stale marks, until stopped. */
async function arrive(databaseUrl: string, customers: number) {
  const db = await openDatabase(databaseUrl);
  await db.$client.execute('PRAGMA busy_timeout = 5000');
  let arrived = 0;
  let failed = 0;
  let running = true;
  const tag = Date.now().toString(36);
  process.on('SIGTERM', () => (running = false));
  for (let batch = 0; running; batch++) {
    const started = performance.now();
    const ids = Array.from({ length: arrivalBatch }, (_, k) => loyaltyBenchCustomerId(((batch * arrivalBatch + k) * 7919) % customers + 1));
    try {
      // The purchases and their update due in one write transaction, as ingestion writes them.
      await db.transaction(async (tx) => {
        const at = Date.now();
        await tx.insert(purchases).values(
          ids.map((customerId, k) => ({ customerId, orderId: `bench-arrival-${tag}-${batch}-${k}`, occurredAt: at, amountMinor: 1000 + k * 37, currency: 'CNY', channel: 'web', source: 'api' as const })),
        );
        await loyaltyUpdateDue(tx, at);
      });
      arrived += ids.length;
    } catch (error) {
      failed++;
      console.error(error);
    }
    const wait = 1000 / arrivalBatchesPerSecond - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  console.log(`arrived ${arrived} failed ${failed}`);
  db.$client.close();
}

if (startedAlone(import.meta.url)) {
  const { values } = parseArgs({ options: { customers: { type: 'string' }, arrivals: { type: 'string' } }, allowPositionals: true });
  if (values.arrivals) {
    const customers = Number(process.argv.at(-1));
    void arrive(values.arrivals, customers);
  } else {
    runAlone('loyalty-dashboard', async () => {
      const customers = Number(values.customers ?? loyaltyBenchCustomers);
      if (!Number.isInteger(customers) || customers < 1000 || customers % 2 !== 0) {
        console.error('--customers takes an even whole number of at least 1000, e.g. --customers 1000000');
        process.exit(1);
      }
      loyaltyDashboardTable(await measureLoyaltyDashboard(customers));
    });
  }
}
