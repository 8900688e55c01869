// A customer's data rights on a large database (in process, libSQL file; rows made with plain SQL, recursive
// CTEs): RIGHTS_RESPONSES responses (1,000,000 unless set) from RIGHTS_CUSTOMERS customers (100,000 unless set),
// each with a complaint case in ten, plus one customer with 1,000 responses and 100 cases (3 events each).
// Measures (a) that customer's export, as JSON and as the zip, the whole work of GET /api/customers/:id/export
// (read, shape, serialise), median of 5; (b) one erasure run of 10,000 customers, as the job works it.
// Runs alone: `node --import tsx bench/data-rights.ts`.
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { exportCustomer, exportZip } from '../server/privacy/export.ts';
import { getErasureRun, startErasureRun, workErasureRun } from '../server/privacy/erasure-runs.ts';
import { onCleanup, runAlone, startedAlone } from './processes.ts';
import { formatCount, formatMs, median, printTable } from './report.ts';

export const exportLimitMs = 1_000;
export const erasureLimitMs = 60_000;
const heavyResponses = 1_000;
const heavyCases = 100;
const erasedCount = 10_000;

export interface DataRightsBench {
  responses: number;
  customers: number;
  generatedS: number;
  jsonMs: number[];
  zipMs: number[];
  jsonBytes: number;
  zipBytes: number;
  erasure: { customers: number; erased: number; ms: number };
}

async function generate(db: Db, responses: number, customerCount: number) {
  const definition = JSON.stringify({
    kind: 'satisfaction',
    title: { 'zh-CN': '满意度', en: 'Satisfaction' },
    questions: [
      { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐吗？', en: 'Recommend?' } },
      { id: 'sat', type: 'rating', required: true, scale: '1-5', title: { 'zh-CN': '满意吗？', en: 'Satisfied?' } },
      { id: 'why', type: 'text', required: false, maxLength: 1000, multiline: true, title: { 'zh-CN': '原因', en: 'Why?' } },
    ],
  });
  await db.run(sql`INSERT INTO surveys (id, slug, kind, status, draft, latest_version_id) VALUES ('s1', 'bench', 'satisfaction', 'published', ${definition}, 'v1')`);
  await db.run(sql`INSERT INTO survey_versions (id, survey_id, version, definition) VALUES ('v1', 's1', 1, ${definition})`);
  await db.run(sql`INSERT INTO customers (id, external_id, name, email, phone, segment, region)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${customerCount - 1})
    SELECT printf('cust-%07d', i), printf('EXT-%07d', i), printf('Customer %d', i), printf('c%d@example.com', i), printf('+86 138 %08d', i),
      CASE i % 3 WHEN 0 THEN 'retail' WHEN 1 THEN 'business' ELSE 'vip' END, CASE i % 4 WHEN 0 THEN 'east' WHEN 1 THEN 'north' WHEN 2 THEN 'south' ELSE 'west' END FROM n`);
  const now = Date.now();
  // The heavy customer is cust-0000000; everyone else shares the rest of the responses.
  await db.run(sql`INSERT INTO responses (id, survey_id, version_id, channel, locale, answers, submitted_at, duration_ms, customer_id)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${responses - 1})
    SELECT printf('resp-%08d', i), 's1', 'v1', CASE i % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'mail' ELSE 'phone' END, 'zh-CN',
      json_object('nps', i % 11, 'sat', 1 + i % 5, 'why', printf('Comment number %d from a customer', i)),
      ${now} - (i % 365) * 86400000 - i, 90000,
      CASE WHEN i < ${heavyResponses} THEN 'cust-0000000' ELSE printf('cust-%07d', 1 + (i % ${customerCount - 1})) END FROM n`);
  const cases = Math.floor(customerCount / 10) + heavyCases;
  await db.run(sql`INSERT INTO complaint_cases (id, number, reference, status, source, channel, category, severity, description, locale, customer_id,
      contact_name, contact_email, status_token, reply_token, created_at)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${cases - 1})
    SELECT printf('case-%07d', i), i + 1, printf('C-2026-%07d', i + 1), 'closed', 'agent', 'phone', 'delivery', 'minor', printf('Complaint %d: the parcel was late', i), 'zh-CN',
      CASE WHEN i < ${heavyCases} THEN 'cust-0000000' ELSE printf('cust-%07d', (i - ${heavyCases}) * 10 + 1) END,
      'A name', 'someone@example.com', printf('st-%d', i), printf('rt-%d', i), ${now} - i * 60000 FROM n`);
  await db.run(sql`INSERT INTO complaint_events (case_id, type, actor, body, public, at)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${cases * 3 - 1})
    SELECT printf('case-%07d', i / 3), CASE i % 3 WHEN 0 THEN 'opened' WHEN 1 THEN 'customer_replied' ELSE 'note' END,
      CASE i % 3 WHEN 1 THEN 'customer' ELSE 'staff' END, printf('Event %d of the case', i), i % 3 = 1, ${now} - i * 1000 FROM n`);
  await db.run(sql`ANALYZE`);
}

export async function measureDataRights(input: { workDir: string; responses?: number; customers?: number }): Promise<DataRightsBench> {
  const responses = input.responses ?? 1_000_000;
  const customerCount = input.customers ?? 100_000;
  const db = await openDatabase(`file:${join(input.workDir, 'data-rights.db')}`);
  onCleanup(() => db.$client.close());
  await migrateDatabase(db);
  const generating = performance.now();
  await generate(db, responses, customerCount);
  const generatedS = (performance.now() - generating) / 1000;

  const jsonMs: number[] = [];
  const zipMs: number[] = [];
  let jsonBytes = 0;
  let zipBytes = 0;
  for (let run = 0; run < 5; run += 1) {
    let started = performance.now();
    const document = await exportCustomer(db, 'cust-0000000');
    jsonBytes = JSON.stringify(document).length;
    jsonMs.push(performance.now() - started);
    started = performance.now();
    zipBytes = exportZip(await exportCustomer(db, 'cust-0000000')).byteLength;
    zipMs.push(performance.now() - started);
    if (document.responses.length !== heavyResponses || document.cases.length !== heavyCases) throw new Error('The export misses some of the customer’s data.');
  }

  // 10,000 customers spread over the table (every tenth), by our ids, in one request's run.
  const ids = Array.from({ length: erasedCount }, (_, index) => `cust-${String(1 + index * Math.floor((customerCount - 1) / erasedCount)).padStart(7, '0')}`);
  const started = performance.now();
  const run = await startErasureRun(db, { customerIds: ids, externalIds: [], reason: 'Bench', actor: { id: 'bench', name: 'Bench' } });
  await workErasureRun(db, run.id);
  const ms = performance.now() - started;
  const finished = await getErasureRun(db, run.id);
  return { responses, customers: customerCount, generatedS, jsonMs, zipMs, jsonBytes, zipBytes, erasure: { customers: ids.length, erased: finished.erased, ms } };
}

export const dataRightsPass = (bench: DataRightsBench) =>
  median(bench.jsonMs) < exportLimitMs && median(bench.zipMs) < exportLimitMs && bench.erasure.ms < erasureLimitMs && bench.erasure.erased === bench.erasure.customers;

export function dataRightsTable(bench: DataRightsBench, number = '10') {
  printTable(
    `${number}. A customer's data rights on ${formatCount(bench.responses)} responses from ${formatCount(bench.customers)} customers (in process, libSQL file; rows made by SQL in ${bench.generatedS.toFixed(0)} s)`,
    [
      { what: `export, JSON (${heavyResponses} responses, ${heavyCases} cases; ${(bench.jsonBytes / 1e6).toFixed(1)} MB)`, median: formatMs(median(bench.jsonMs)), slowest: formatMs(Math.max(...bench.jsonMs)), limit: `< ${formatMs(exportLimitMs)}` },
      { what: `export, CSVs in a zip (${(bench.zipBytes / 1e6).toFixed(1)} MB)`, median: formatMs(median(bench.zipMs)), slowest: formatMs(Math.max(...bench.zipMs)), limit: `< ${formatMs(exportLimitMs)}` },
      { what: `erasure of ${formatCount(bench.erasure.customers)} customers in one run (${formatCount(bench.erasure.erased)} erased)`, median: formatMs(bench.erasure.ms), slowest: '', limit: `< ${formatMs(erasureLimitMs)}` },
    ],
  );
}

if (startedAlone(import.meta.url)) {
  runAlone('data-rights', async (workDir) => {
    const bench = await measureDataRights({
      workDir,
      responses: process.env.RIGHTS_RESPONSES ? Number(process.env.RIGHTS_RESPONSES) : undefined,
      customers: process.env.RIGHTS_CUSTOMERS ? Number(process.env.RIGHTS_CUSTOMERS) : undefined,
    });
    dataRightsTable(bench);
    console.log(`  export under ${formatMs(exportLimitMs)} and erasure of 10,000 under ${formatMs(erasureLimitMs)}: ${dataRightsPass(bench) ? 'yes' : 'NO'}`);
  });
}
