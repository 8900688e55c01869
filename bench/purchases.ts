// Purchase ingestion through the real HTTP API: POST /api/v1/purchases in batches of 1,000 from a few
// concurrent callers, into a copy of the loyalty bench's database (bench/loyalty-data.ts: 1,000,000 customers
// and 10,000,000 purchases), so the loyalty bench finds its own file as it left it. Reports purchases stored
// per second (target ≥ 10,000), every batch's latency, and the storage a purchase takes: its table and index
// pages (dbstat) per row, and the file's growth per purchase ingested.
// Runs alone: `node --import tsx bench/purchases.ts [--customers N] [--purchases N] [--batches N]` (build first);
// with --customers or --purchases it fills a database of its own (.bench/purchases-<C>-<P>.db) instead.
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { hashSecret } from '../server/integrations/keys.ts';
import { projectRoot } from './build.ts';
import { loyaltyBenchDatabase } from './loyalty-data.ts';
import { loadavg } from 'node:os';
import { benchServerEnv, freePort, processCpuMs, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, formatRate, printTable } from './report.ts';

export const purchasesTargetPerSecond = 10_000;
export const defaultBenchCustomers = 1_000_000;
/** Purchases already in the loyalty bench's database before ingestion. */
export const defaultBenchPurchases = 10_000_000;
const batchSize = 1_000;
const callers = 4;
const warmUpBatches = 8;
const dayMs = 86_400_000;
const secret = 'sk_benchpurchasesbenchpurchasesbench00';

const customerId = (column: string) => `printf('bp000000-0001-4000-a000-%012x', ${column})`;

export interface PurchasesDatabase {
  path: string;
  databaseUrl: string;
  customers: number;
  purchases: number;
  generatedS: number | null;
  /** The caller's id of customer number i (1…customers). */
  externalId: (i: number) => string;
}

/** The bench's API key, in a database about to be measured. */
async function addBenchKey(databaseUrl: string) {
  const db = await openDatabase(databaseUrl);
  try {
    await db.$client.execute({
      sql: `INSERT OR IGNORE INTO api_keys (id, name, prefix, key_hash, created_by) VALUES ('bench-purchases', 'Bench', ?, ?, 'bench')`,
      args: [secret.slice(0, 8), hashSecret(secret)],
    });
  } finally {
    db.$client.close();
  }
}

/** A fresh copy of the loyalty bench's database (made on first use and kept by bench/loyalty-data.ts). */
async function loyaltyDatabaseCopy(): Promise<PurchasesDatabase> {
  const source = await loyaltyBenchDatabase();
  const settle = await openDatabase(source.databaseUrl);
  await settle.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  settle.$client.close();
  const path = join(projectRoot, '.bench/purchases-ingest.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  copyFileSync(source.path, path);
  // The copy's 4 GB reach the disk before the clock starts, not while the ingestion's own writes wait on it.
  const copied = openSync(path, 'r+');
  fsyncSync(copied);
  closeSync(copied);
  const databaseUrl = `file:${path}`;
  await addBenchKey(databaseUrl);
  console.log(`  copied it to ${path} to ingest into`);
  return {
    path,
    databaseUrl,
    customers: source.customers,
    purchases: source.purchases,
    generatedS: null,
    // bench/loyalty-data.ts names customer i by 'LB' and i in 12 hex digits.
    externalId: (i) => `LB${i.toString(16).padStart(12, '0')}`,
  };
}

/** The customers and purchases in .bench/purchases-<C>-<P>.db, made once and kept; the bench's API key in it. */
export async function purchasesDatabase(customerCount: number, purchaseCount: number): Promise<PurchasesDatabase> {
  mkdirSync(join(projectRoot, '.bench'), { recursive: true });
  const path = join(projectRoot, `.bench/purchases-${customerCount}-${purchaseCount}.db`);
  const databaseUrl = `file:${path}`;
  const fresh = !existsSync(path);
  const db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  await db.$client.execute('PRAGMA cache_size = -262144');
  await db.$client.execute('PRAGMA synchronous = NORMAL');
  const count = async (sql: string) => Number((await db.$client.execute(sql)).rows[0]![0]);
  let generatedS: number | null = null;
  const started = performance.now();
  if ((await count(`SELECT count(*) FROM customers WHERE id LIKE 'bp000000-0001-%'`)) < customerCount) {
    await db.$client.execute({
      sql: `INSERT OR IGNORE INTO customers (id, external_id, name, segment, region, locale)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            SELECT ${customerId('i')}, printf('BC%07d', i), 'Bench customer ' || i,
                   CASE i % 4 WHEN 0 THEN 'retail' WHEN 1 THEN 'small business' WHEN 2 THEN 'enterprise' ELSE 'public sector' END, 'East China', 'zh-CN'
            FROM n`,
      args: [customerCount],
    });
    generatedS = 0;
  }
  const had = await count(`SELECT count(*) FROM purchases WHERE source = 'demo'`);
  if (had < purchaseCount) {
    // Two years of purchases, customer by a multiplicative hash so each has a few, amounts 10.00-2,009.99 CNY,
    // one in 50 a refund of the purchase before it. Order ids ascend, so the unique index is appended to.
    const now = Date.now();
    await db.$client.execute({
      sql: `INSERT INTO purchases (order_id, customer_id, refund_of, occurred_at, amount_minor, currency, channel, source, created_at)
            WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            SELECT printf('BO%09d', i),
                   ${customerId(`(((i - (i % 50 = 0)) * 2654435761) % ${customerCount}) + 1`)},
                   CASE WHEN i % 50 = 0 THEN printf('BO%09d', i - 1) END,
                   ${now} - ${730 * dayMs} + i * ${Math.floor((730 * dayMs) / purchaseCount)},
                   CASE WHEN i % 50 = 0 THEN -1000 ELSE 1000 + (i * 7919) % 200000 END,
                   'CNY', CASE i % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'store' ELSE 'app' END, 'demo', ${now}
            FROM n`,
      args: [had + 1, purchaseCount],
    });
    await db.$client.execute('ANALYZE');
    generatedS = (performance.now() - started) / 1000;
  }
  const customers = await count('SELECT count(*) FROM customers');
  const purchases = await count('SELECT count(*) FROM purchases');
  db.$client.close();
  await addBenchKey(databaseUrl);
  console.log(
    `  ${fresh ? 'made' : 'reused'} ${path}: ${formatCount(customers)} customers, ${formatCount(purchases)} purchases${generatedS !== null ? `, generated in ${generatedS.toFixed(1)} s` : ''}`,
  );
  return { path, databaseUrl, customers, purchases, generatedS, externalId: (i) => `BC${String(i).padStart(7, '0')}` };
}

/** Storage of the purchases table and its indexes: pages by dbstat, per purchase row. */
async function storage(databaseUrl: string) {
  const db = await openDatabase(databaseUrl);
  const rows = await db.$client.execute(
    `SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'purchases') GROUP BY name ORDER BY bytes DESC`,
  );
  const purchases = Number((await db.$client.execute('SELECT count(*) FROM purchases')).rows[0]![0]);
  db.$client.close();
  return { purchases, objects: rows.rows.map((row) => ({ name: String(row.name), bytes: Number(row.bytes) })) };
}

export interface PurchasesRun {
  customers: number;
  purchasesBefore: number;
  generatedS: number | null;
  ingested: number;
  batches: number;
  callers: number;
  elapsedMs: number;
  perSecond: number;
  batchP50: number;
  batchP95: number;
  failures: number;
  /** CPU time the server process used while ingesting (user + system), from /proc. */
  serverCpuMs: number | null;
  /** The machine's 1-minute load average when the run started: the CPU is shared. */
  loadAverage: number;
  fileBytesBefore: number;
  fileBytesAfter: number;
  /** The largest the write-ahead log grew during the burst, in bytes. */
  largestWal: number;
  /** The loyalty updates behind the burst: customers waiting when it ended, and how soon they were all current. */
  catchUp: { waitingAtEnd: number; waitingAfter: number; afterMs: number };
  storage: { purchases: number; objects: { name: string; bytes: number }[] };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/** The file and its write-ahead log: what the database takes on disk right now. */
const fileBytes = (path: string) => statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

/** How long after a burst the loyalty updates take to bring every customer it reached up to date (at most catchUpLimitMs). */
const catchUpLimitMs = 240_000;

async function loyaltyCatchUp(databaseUrl: string): Promise<PurchasesRun['catchUp']> {
  const db = await openDatabase(databaseUrl);
  try {
    const waiting = async () => {
      const result = await db.$client.execute(
        `SELECT (SELECT count(*) FROM loyalty_stale) + (SELECT count(*) FROM purchases WHERE id > (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'loyalty.purchases.folded'))`,
      );
      return Number(result.rows[0]![0]);
    };
    const started = performance.now();
    const waitingAtEnd = await waiting();
    let left = waitingAtEnd;
    while (left > 0 && performance.now() - started < catchUpLimitMs) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      left = await waiting();
    }
    return { waitingAtEnd, waitingAfter: left, afterMs: performance.now() - started };
  } finally {
    db.$client.close();
  }
}

export async function measurePurchases(options: { customers?: number; purchases?: number; batches?: number } = {}): Promise<PurchasesRun> {
  const built =
    options.customers === undefined && options.purchases === undefined
      ? await loyaltyDatabaseCopy()
      : await purchasesDatabase(options.customers ?? defaultBenchCustomers, options.purchases ?? defaultBenchPurchases);
  const batches = options.batches ?? 200;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = startNode('server/main.ts', {
    cwd: projectRoot,
    logPath: join(projectRoot, '.bench/purchases-server.log'),
    env: benchServerEnv({ port, databaseUrl: built.databaseUrl, logLevel: 'silent' }),
  });
  try {
    await waitForHttp(`${baseUrl}/health`, server, 60_000);
    const run = `${Date.now().toString(36)}`;
    let next = 0;
    const batchBody = () => {
      const start = next;
      next += batchSize;
      const at = Date.now() - 3_600_000;
      return JSON.stringify({
        purchases: Array.from({ length: batchSize }, (_, k) => {
          const i = start + k;
          return {
            orderId: `BI-${run}-${i}`,
            customer: built.externalId(((i * 48_271) % built.customers) + 1),
            occurredAt: new Date(at + i).toISOString(),
            amount: `${(i % 5000) + 1}.${String(i % 100).padStart(2, '0')}`,
            currency: 'CNY',
            channel: i % 2 ? 'web' : 'store',
          };
        }),
      });
    };
    const send = async (body: string) => {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/v1/purchases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { created?: number; error?: string };
      if (response.status !== 201 || answer.created !== batchSize) throw new Error(`a batch answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}\n${server.logTail()}`);
      return performance.now() - started;
    };
    for (let warm = 0; warm < warmUpBatches; warm++) await send(batchBody());
    const fileBytesBefore = fileBytes(built.path);
    // The bodies are made before the clock starts, so the figure is the server's, not the caller's JSON.
    const bodies = Array.from({ length: batches }, batchBody);
    const times: number[] = [];
    let failures = 0;
    let taken = 0;
    const loadBefore = loadavg()[0]!;
    const cpuBefore = processCpuMs(server.process.pid);
    const started = performance.now();
    // The write-ahead log's size while the burst goes on: checkpoints (a thread of the server's) keep it short.
    let largestWal = 0;
    const walSampler = setInterval(() => {
      if (existsSync(`${built.path}-wal`)) largestWal = Math.max(largestWal, statSync(`${built.path}-wal`).size);
    }, 100);
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (taken < bodies.length) {
          const body = bodies[taken++]!;
          try {
            times.push(await send(body));
          } catch (error) {
            failures += 1;
            if (failures === 1) console.error(error);
          }
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    clearInterval(walSampler);
    const cpuAfter = processCpuMs(server.process.pid);
    const catchUp = await loyaltyCatchUp(built.databaseUrl);
    await server.stop();
    const ingested = (batches - failures) * batchSize;
    return {
      customers: built.customers,
      purchasesBefore: built.purchases,
      generatedS: built.generatedS,
      ingested,
      batches,
      callers,
      elapsedMs,
      perSecond: ingested / (elapsedMs / 1000),
      batchP50: percentile(times, 50),
      batchP95: percentile(times, 95),
      failures,
      serverCpuMs: cpuBefore === undefined || cpuAfter === undefined ? null : cpuAfter - cpuBefore,
      loadAverage: loadBefore,
      fileBytesBefore,
      fileBytesAfter: fileBytes(built.path),
      largestWal,
      catchUp,
      storage: await storage(built.databaseUrl),
    };
  } finally {
    await server.stop();
  }
}

export function purchasesPass(run: PurchasesRun) {
  return run.failures === 0 && run.perSecond >= purchasesTargetPerSecond;
}

/** Bytes of table and index pages per purchase row. */
export const bytesPerPurchase = (run: PurchasesRun) => run.storage.objects.reduce((sum, object) => sum + object.bytes, 0) / run.storage.purchases;

export function purchasesTable(run: PurchasesRun) {
  printTable(`Purchase ingestion through POST /api/v1/purchases, batches of ${formatCount(batchSize)} from ${run.callers} callers`, [
    { figure: 'customers in the database', value: formatCount(run.customers) },
    { figure: 'purchases before the run', value: `${formatCount(run.purchasesBefore)}${run.generatedS !== null ? ` (generated in ${run.generatedS.toFixed(0)} s)` : ''}` },
    { figure: 'purchases ingested', value: `${formatCount(run.ingested)} in ${formatCount(run.batches)} batches${run.failures ? `, ${run.failures} failed` : ''}` },
    { figure: 'elapsed', value: formatMs(run.elapsedMs) },
    { figure: 'purchases stored per second', value: `${formatRate(run.perSecond)} (target ≥ ${formatCount(purchasesTargetPerSecond)})` },
    {
      figure: 'server CPU per 1,000 purchases (purchases per CPU-second)',
      value: run.serverCpuMs === null ? '-' : `${formatMs(run.serverCpuMs / (run.ingested / 1000))} (${formatRate(run.ingested / (run.serverCpuMs / 1000))})`,
    },
    { figure: 'load average at the start (2 cores, shared)', value: run.loadAverage.toFixed(2) },
    { figure: 'one batch, p50 / p95', value: `${formatMs(run.batchP50)} / ${formatMs(run.batchP95)}` },
    {
      figure: 'loyalty updates behind the burst (marks and purchases to fold)',
      value:
        run.catchUp.waitingAfter === 0
          ? `${formatCount(run.catchUp.waitingAtEnd)} waiting at its end, all current ${formatMs(run.catchUp.afterMs)} later (${formatRate(run.catchUp.waitingAtEnd / (run.catchUp.afterMs / 1000))})`
          : `${formatCount(run.catchUp.waitingAtEnd)} waiting at its end, ${formatCount(run.catchUp.waitingAfter)} still after ${formatMs(run.catchUp.afterMs)}`,
    },
    { figure: 'largest write-ahead log during the burst', value: `${(run.largestWal / 1024 / 1024).toFixed(1)} MB` },
    { figure: 'file growth per purchase ingested', value: `${((run.fileBytesAfter - run.fileBytesBefore) / run.ingested).toFixed(0)} B` },
    { figure: 'table + index pages per purchase (dbstat)', value: `${bytesPerPurchase(run).toFixed(0)} B over ${formatCount(run.storage.purchases)} purchases` },
  ]);
  printTable(
    'Storage of purchases, by table and index (dbstat)',
    run.storage.objects.map((object) => ({
      object: object.name,
      MB: (object.bytes / 1024 / 1024).toFixed(1),
      'B per purchase': (object.bytes / run.storage.purchases).toFixed(1),
    })),
  );
}

if (startedAlone(import.meta.url)) {
  const { values } = parseArgs({ options: { customers: { type: 'string' }, purchases: { type: 'string' }, batches: { type: 'string' } } });
  runAlone('purchases', async () => {
    const run = await measurePurchases({
      customers: values.customers ? Number(values.customers) : undefined,
      purchases: values.purchases ? Number(values.purchases) : undefined,
      batches: values.batches ? Number(values.batches) : undefined,
    });
    purchasesTable(run);
  });
}
