// A customer's data rights on the 1,000,000-response demo database (the dashboard bench's .bench/insights-<N>.db,
// copied so the demo stays as it was), through a server process over HTTP, as an admin does it:
// (a) the export of one customer with 1,000 responses and 100 cases (added to the copy), as JSON and as CSVs in a
//     zip: the whole GET /api/customers/:id/export, body received, median of 5 each;
// (b) 10,000 of the demo's customers erased in one request: POST /api/privacy/erasures, then its progress polled
//     (GET /api/privacy/erasures/:id) until the run says done, the time from the POST to that answer.
// Targets: export < 1 s; the erasure < 1 min. Runs alone: `node --import tsx bench/data-rights.ts [--responses N]`.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../server/accounts/passwords.ts';
import { openDatabase } from '../server/db/client.ts';
import { projectRoot } from './build.ts';
import { benchDatabase, responsesAsked } from './insights.ts';
import { benchServerEnv, freePort, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, median, printTable } from './report.ts';

export const exportLimitMs = 1_000;
export const erasureLimitMs = 60_000;
const heavyResponses = 1_000;
const heavyCases = 100;
const erasedCount = 10_000;
const heavyId = 'bench-heavy-customer';
const benchAdmin = { email: 'bench-rights@example.com', password: 'bench data rights password' };

export interface DataRightsBench {
  responses: number;
  customers: number;
  jsonMs: number[];
  zipMs: number[];
  jsonBytes: number;
  zipBytes: number;
  erasure: { customers: number; erased: number; ms: number; progressSeen: number[] };
}

/** Copies the demo database and adds what the bench needs: the customer with 1,000 responses and 100 cases, an admin. */
async function prepare(workDir: string, responses: number) {
  const demo = await benchDatabase(responses);
  const path = join(workDir, 'data-rights.db');
  copyFileSync(demo.path, path);
  if (existsSync(`${demo.path}-wal`)) copyFileSync(`${demo.path}-wal`, `${path}-wal`);
  const databaseUrl = `file:${path}`;
  const db = await openDatabase(databaseUrl);
  const run = (sql: string, args: (string | number)[] = []) => db.$client.execute({ sql, args });
  const columns = async (table: string) => (await run(`SELECT name FROM pragma_table_info('${table}')`)).rows.map((row) => String(row[0]));

  await run(`INSERT INTO users (id, email, name, role, password_hash) VALUES ('bench-rights-admin', ?, 'Bench admin', 'admin', ?)`, [
    benchAdmin.email,
    await hashPassword(benchAdmin.password),
  ]);
  await run(`INSERT INTO customers (id, external_id, name, email, phone, segment) VALUES (?, 'BENCH-HEAVY', 'Heavy Customer', 'heavy@example.com', '+86 138 0000 0000', 'retail')`, [heavyId]);
  // Their responses are copies of the demo's, on the demo's surveys.
  const responseColumns = (await columns('responses')).filter((name) => name !== 'id' && name !== 'customer_id');
  await run(
    `INSERT INTO responses (id, customer_id, ${responseColumns.join(', ')})
     SELECT 'bench-heavy-' || id, ?, ${responseColumns.join(', ')} FROM responses WHERE customer_id IS NOT NULL ORDER BY id LIMIT ${heavyResponses}`,
    [heavyId],
  );
  const [top] = (await run(`SELECT coalesce(max(number), 0) FROM complaint_cases`)).rows;
  const first = Number(top![0]) + 1;
  await run(
    `INSERT INTO complaint_cases (id, number, reference, status, source, channel, category, severity, description, locale, customer_id,
       contact_name, contact_email, status_token, reply_token, created_at)
     WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${heavyCases - 1})
     SELECT printf('bench-heavy-case-%03d', i), ${first} + i, printf('C-BENCH-%05d', i), 'closed', 'agent', 'phone', 'delivery', 'minor',
       printf('Complaint %d: the parcel was late and nobody called back', i), 'zh-CN', ?, 'Heavy Customer', 'heavy@example.com',
       printf('bench-st-%d', i), printf('bench-rt-%d', i), cast(unixepoch('subsec') * 1000 as integer) - i * 86400000 FROM n`,
    [heavyId],
  );
  await run(
    `INSERT INTO complaint_events (case_id, type, actor, body, public, at)
     WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${heavyCases * 3 - 1})
     SELECT printf('bench-heavy-case-%03d', i / 3), CASE i % 3 WHEN 0 THEN 'opened' WHEN 1 THEN 'customer_replied' ELSE 'note' END,
       CASE i % 3 WHEN 1 THEN 'customer' ELSE 'staff' END, printf('Event %d of the case', i), i % 3 = 1, cast(unixepoch('subsec') * 1000 as integer) - i * 1000 FROM n`,
  );
  // 10,000 of the demo's customers spread over the table, each with answers.
  const withAnswers = (await run(`SELECT id FROM customers WHERE id <> ? AND EXISTS (SELECT 1 FROM responses WHERE customer_id = customers.id) ORDER BY id`, [heavyId])).rows.map((row) => String(row[0]));
  const step = Math.max(1, Math.floor(withAnswers.length / erasedCount));
  const toErase = Array.from({ length: Math.min(erasedCount, withAnswers.length) }, (_, index) => withAnswers[index * step]!);
  const [counted] = (await run(`SELECT count(*) FROM customers`)).rows;
  db.$client.close();
  return { databaseUrl, toErase, customers: Number(counted![0]) };
}

export async function measureDataRights(input: { workDir: string; responses?: number }): Promise<DataRightsBench> {
  const responses = input.responses ?? 1_000_000;
  const { databaseUrl, toErase, customers } = await prepare(input.workDir, responses);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = startNode('server/main.ts', {
    cwd: projectRoot,
    logPath: join(projectRoot, '.bench/data-rights-server.log'),
    env: { ...benchServerEnv({ port, databaseUrl, logLevel: 'error' }), BACKUP_EVERY_HOURS: '0' },
  });
  await waitForHttp(`${baseUrl}/health`, server, 120_000);
  const signIn = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(benchAdmin) });
  if (!signIn.ok) throw new Error(`signing in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
    const body = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${new TextDecoder().decode(body).slice(0, 300)}\n${server.logTail()}`);
    return body;
  };

  const jsonMs: number[] = [];
  const zipMs: number[] = [];
  let jsonBytes = 0;
  let zipBytes = 0;
  for (let round = 0; round < 5; round += 1) {
    let started = performance.now();
    const json = await get(`/api/customers/${heavyId}/export?format=json`);
    jsonMs.push(performance.now() - started);
    jsonBytes = json.byteLength;
    const document = JSON.parse(new TextDecoder().decode(json)) as { responses: unknown[]; cases: unknown[] };
    if (document.responses.length !== heavyResponses || document.cases.length !== heavyCases) {
      throw new Error(`The export has ${document.responses.length} responses and ${document.cases.length} cases, not ${heavyResponses} and ${heavyCases}.`);
    }
    started = performance.now();
    zipBytes = (await get(`/api/customers/${heavyId}/export?format=zip`)).byteLength;
    zipMs.push(performance.now() - started);
  }

  const started = performance.now();
  const posted = await fetch(`${baseUrl}/api/privacy/erasures`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Bench: customers who asked to be forgotten', customerIds: toErase }),
  });
  if (posted.status !== 202) throw new Error(`POST /api/privacy/erasures answered ${posted.status}: ${await posted.text()}`);
  const { erasure } = (await posted.json()) as { erasure: { id: string } };
  const progressSeen: number[] = [];
  let finished: { status: string; erased: number; done: number; total: number };
  for (;;) {
    finished = (JSON.parse(new TextDecoder().decode(await get(`/api/privacy/erasures/${erasure.id}`))) as { erasure: typeof finished }).erasure;
    if (progressSeen.at(-1) !== finished.done) progressSeen.push(finished.done);
    if (finished.status === 'done') break;
    if (performance.now() - started > 10 * erasureLimitMs) throw new Error(`The erasure run did not finish in ${formatMs(10 * erasureLimitMs)}: ${JSON.stringify(finished)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const ms = performance.now() - started;
  await server.stop();
  return { responses, customers, jsonMs, zipMs, jsonBytes, zipBytes, erasure: { customers: toErase.length, erased: finished.erased, ms, progressSeen } };
}

export const dataRightsPass = (bench: DataRightsBench) =>
  median(bench.jsonMs) < exportLimitMs && median(bench.zipMs) < exportLimitMs && bench.erasure.ms < erasureLimitMs && bench.erasure.erased === bench.erasure.customers;

export function dataRightsTable(bench: DataRightsBench, number = '10') {
  const progress = bench.erasure.progressSeen;
  printTable(
    `${number}. A customer's data rights on the demo database (${formatCount(bench.responses)} responses, ${formatCount(bench.customers)} customers; a server process, over HTTP)`,
    [
      { what: `export, JSON (${heavyResponses} responses, ${heavyCases} cases; ${(bench.jsonBytes / 1e6).toFixed(1)} MB)`, median: formatMs(median(bench.jsonMs)), slowest: formatMs(Math.max(...bench.jsonMs)), limit: `< ${formatMs(exportLimitMs)}` },
      { what: `export, CSVs in a zip (${(bench.zipBytes / 1e6).toFixed(1)} MB)`, median: formatMs(median(bench.zipMs)), slowest: formatMs(Math.max(...bench.zipMs)), limit: `< ${formatMs(exportLimitMs)}` },
      {
        what: `erasure of ${formatCount(bench.erasure.customers)} customers in one request, POST to "done" (${formatCount(bench.erasure.erased)} erased; progress seen: ${progress.length} steps, ${progress.slice(0, 3).map(formatCount).join(', ')}${progress.length > 3 ? ', …' : ''})`,
        median: formatMs(bench.erasure.ms),
        slowest: '',
        limit: `< ${formatMs(erasureLimitMs)}`,
      },
    ],
  );
}

if (startedAlone(import.meta.url)) {
  runAlone('data-rights', async (workDir) => {
    const bench = await measureDataRights({ workDir, responses: responsesAsked() });
    dataRightsTable(bench);
    console.log(`  export under ${formatMs(exportLimitMs)} and erasure of 10,000 under ${formatMs(erasureLimitMs)}: ${dataRightsPass(bench) ? 'yes' : 'NO'}`);
  });
}
