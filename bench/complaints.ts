// The complaint queues and the case page on 1,000,000 cases (100,000 of them open) with a few history
// events each, made by plain SQL (INSERT … SELECT over a counter) into .bench/complaints-<N>.db and kept
// between runs. A real server answers every queue, each filter, a second page and the case page while new
// complaints keep arriving as complaint-form responses through the public API (startArrivals). Each request's
// p50/p95 is printed beside the 100 ms limit; every queue query's plan (EXPLAIN QUERY PLAN, taken from the
// statements the app really runs) says whether an index serves it.
// Runs alone: `node --import tsx bench/complaints.ts [--cases N]`.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { createApp } from '../server/app.ts';
import { hashPassword } from '../server/accounts/passwords.ts';
import { createSession } from '../server/accounts/service.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { surveys, surveyVersions } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { projectRoot } from './build.ts';
import { startArrivals } from './insights.ts';
import { benchServerEnv, freePort, onCleanup, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, printTable, type Cell } from './report.ts';

export const complaintsTargetP95Ms = 100;
const repeats = 15;
const arrivalsPerSecond = 20;
const agents = 20;
const customerCount = 50_000;
const complaintSlug = 'bench-complaints';
const dayMs = 86_400_000;

/** Sequential UUID-shaped ids, so a million inserts append to the primary-key index. */
const caseId = (column: string) => `printf('bc000000-0000-4000-a000-%012x', ${column})`;
const customerId = (column: string) => `printf('bc000000-0001-4000-a000-%012x', ${column})`;
const agentId = (column: string) => `printf('bench-agent-%02d', ${column})`;

/**
 * The customers the cases name: 1 in 20 VIP, among those with cases (case i names customer i % N + 1 when
 * i % 5 < 3). Written on every run, so a database made before the tiers were spread this way is corrected.
 */
const customersStatement: InStatement = {
  sql: `INSERT INTO customers (id, name, tier, segment, region, locale)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        SELECT ${customerId('i')}, 'Bench customer ' || i, CASE WHEN i % 20 = 1 THEN 'vip' WHEN i % 7 = 0 THEN 'important' ELSE 'ordinary' END,
               CASE i % 4 WHEN 0 THEN 'retail' WHEN 1 THEN 'small business' WHEN 2 THEN 'enterprise' ELSE 'public sector' END, 'East China', 'zh-CN'
        FROM n WHERE true
        ON CONFLICT (id) DO UPDATE SET tier = excluded.tier WHERE tier IS NOT excluded.tier`,
  args: [customerCount],
};

/** One million cases and their events in a few statements, the counter `i` running 1..N. */
function fillStatements(cases: number, now: number, surveyId: string, adminId: string): InStatement[] {
  const span = 730 * dayMs;
  // i % 10 = 0: open (100,000 of 1,000,000), spread over the four open statuses; otherwise finished: resolved
  // in the last week (older ones the sweep has closed), else closed, a few merged.
  const status = `CASE WHEN i % 10 = 0 THEN (CASE (i / 10) % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'acknowledged' WHEN 2 THEN 'in_progress' ELSE 'waiting' END)
                       WHEN i % 97 = 1 THEN 'merged' WHEN i > ${Math.floor(cases * 0.99)} THEN 'resolved' ELSE 'closed' END`;
  const created = `${now} - ${span} + i * ${Math.floor(span / cases)}`;
  const open = 'i % 10 = 0';
  return [
    {
      sql: `INSERT OR IGNORE INTO users (id, email, name, role, password_hash)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            SELECT ${agentId('i')}, 'bench-agent-' || i || '@example.com', 'Agent ' || i, 'support', 'x' FROM n`,
      args: [agents],
    },
    {
      sql: `INSERT INTO complaint_cases (
              id, number, reference, status, source, channel, category, severity, description, locale, customer_id, contact_consent,
              contact_channel, survey_id, assignee_id, alert, watch_at, paused_at, first_response_due_at, resolution_due_at,
              first_responded_at, resolved_at, closed_at, deadlines_missed, handling_score, outcome, customer_left, status_token, reply_token,
              version, created_at, updated_at, merged_into, reopen_count)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
                 c AS (SELECT i, ${status} AS status, ${created} AS created, (i * 2654435761) % 1000 AS h1, (i * 40503) % 1000 AS h2 FROM n)
            SELECT ${caseId('i')}, i, printf('C-%d-%06d', 2025 + i * 2 / ? , i), status,
                   CASE i % 4 WHEN 0 THEN 'form' WHEN 1 THEN 'survey_rule' WHEN 2 THEN 'agent' ELSE 'integration' END,
                   CASE (i / 3) % 7 WHEN 0 THEN 'web' WHEN 1 THEN 'onsite' WHEN 2 THEN 'mail' WHEN 3 THEN 'phone' WHEN 4 THEN 'email' WHEN 5 THEN 'in_person' ELSE 'integration' END,
                   CASE (i / 7) % 6 WHEN 0 THEN 'product' WHEN 1 THEN 'service' WHEN 2 THEN 'delivery' WHEN 3 THEN 'billing' WHEN 4 THEN 'staff_attitude' ELSE 'other' END,
                   CASE WHEN i % 7 = 3 THEN 'major' ELSE 'minor' END,
                   'Bench complaint ' || i || ': the delivery came late and the box was damaged.',
                   CASE WHEN i % 3 = 0 THEN 'en' ELSE 'zh-CN' END,
                   CASE WHEN i % 5 < 3 THEN ${customerId(`(i % ${customerCount}) + 1`)} END, 1, 'email',
                   CASE WHEN i % 4 IN (0, 1) THEN ? END,
                   CASE WHEN ${open} AND h1 < 100 THEN NULL WHEN ${open} AND h1 < 140 THEN ? ELSE ${agentId(`(h1 % ${agents}) + 1`)} END,
                   CASE WHEN ${open} AND status <> 'waiting' AND h2 < 50 THEN 'at_risk' WHEN ${open} AND status <> 'waiting' AND h2 < 100 THEN 'breached' END,
                   -- The sweeps so far have seen every mark passed; the next one is ahead (none while waiting).
                   CASE WHEN ${open} AND status <> 'waiting' THEN ${now} + ((i * 7) % 30 + 1) * ${dayMs}
                        WHEN status = 'resolved' THEN created + (i % 90 + 2) * 3600000 + 7 * ${dayMs} END,
                   CASE WHEN status = 'waiting' THEN created + 3600000 END,
                   CASE WHEN status = 'new' THEN created + 24 * 3600000 END,
                   CASE WHEN ${open} THEN created + 72 * 3600000 END,
                   CASE WHEN status <> 'new' THEN created + (i % 30) * 3600000 END,
                   CASE WHEN NOT ${open} THEN created + (i % 90 + 2) * 3600000 END,
                   CASE WHEN status = 'closed' THEN created + (i % 90 + 2 + 168) * 3600000 END,
                   CASE WHEN i % 13 = 0 THEN '["first_response"]' ELSE '[]' END,
                   CASE WHEN NOT ${open} AND i % 3 = 0 THEN 1 + i % 5 END,
                   CASE WHEN ${open} OR status = 'merged' THEN NULL WHEN i % 13 = 0 THEN 'unresolved' WHEN i % 3 = 0 THEN 'resolved_quickly' ELSE 'resolved' END,
                   0, printf('bst%012x', i), printf('brt%012x', i), 1, created, created,
                   CASE WHEN status = 'merged' THEN ${caseId('i - 1')} END, 0
            FROM c`,
      args: [cases, cases, surveyId, adminId],
    },
    {
      sql: `INSERT INTO complaint_events (case_id, type, actor, actor_id, actor_name, before, after, body, public, at)
            SELECT c.id,
                   CASE k.k WHEN 1 THEN 'opened' WHEN 2 THEN 'assigned' WHEN 3 THEN 'reply_sent' ELSE 'status_changed' END,
                   CASE k.k WHEN 1 THEN 'customer' ELSE 'staff' END,
                   CASE k.k WHEN 1 THEN NULL ELSE c.assignee_id END,
                   CASE k.k WHEN 1 THEN NULL ELSE 'Agent' END,
                   CASE k.k WHEN 4 THEN '{"status":"in_progress"}' END,
                   CASE k.k WHEN 2 THEN json_object('assigneeId', c.assignee_id) WHEN 4 THEN json_object('status', c.status) END,
                   CASE k.k WHEN 3 THEN 'Thank you for telling us; we are looking into it and will write again within a day.' END,
                   CASE k.k WHEN 2 THEN 0 ELSE 1 END,
                   c.created_at + k.k * 600000
            FROM complaint_cases c
            JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k
              ON k.k <= CASE WHEN c.status IN ('new') THEN 2 WHEN c.status IN ('acknowledged', 'in_progress', 'waiting') THEN 3 ELSE 4 END
            WHERE c.id LIKE 'bc000000-0000-%'
            ORDER BY c.id, k.k`,
      args: [],
    },
  ];
}

async function complaintSurvey(db: Db): Promise<{ id: string; versionId: string; definition: SurveyDefinition }> {
  let [row] = await db.select().from(surveys).where(eq(surveys.slug, complaintSlug));
  if (!row?.latestVersionId) {
    const id = row?.id ?? (await createSurvey(db, { templateId: 'complaint-form', slug: complaintSlug, createdBy: null })).id;
    await publish(db, { id, publishedBy: 'bench' });
    [row] = await db.select().from(surveys).where(eq(surveys.slug, complaintSlug));
  }
  const [version] = await db.select().from(surveyVersions).where(eq(surveyVersions.id, row!.latestVersionId!));
  return { id: row!.id, versionId: version!.id, definition: version!.definition };
}

const benchAdmin = { email: 'bench-complaints@example.com', password: 'bench complaints password' };

export interface ComplaintsDatabase {
  path: string;
  databaseUrl: string;
  cases: number;
  events: number;
  /** Seconds the INSERT … SELECT took; null when the kept file already had the cases. */
  generatedS: number | null;
  survey: { id: string; versionId: string; definition: SurveyDefinition };
}

/** The cases in .bench/complaints-<N>.db, made once and kept. */
export async function complaintsDatabase(cases: number): Promise<ComplaintsDatabase> {
  mkdirSync(join(projectRoot, '.bench'), { recursive: true });
  const path = join(projectRoot, `.bench/complaints-${cases}.db`);
  const databaseUrl = `file:${path}`;
  const fresh = !existsSync(path);
  const db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  await db.$client.execute('PRAGMA cache_size = -262144');
  await db.$client.execute('PRAGMA synchronous = NORMAL');
  const survey = await complaintSurvey(db);
  // The admin the server creates from ADMIN_EMAIL on its first start; made here so the fill can assign to it.
  const existing = await db.$client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [benchAdmin.email] });
  const adminId = existing.rows[0] ? String(existing.rows[0][0]) : 'bench-admin';
  if (!existing.rows[0]) {
    await db.$client.execute({
      sql: `INSERT INTO users (id, email, name, role, password_hash) VALUES (?, ?, 'Bench admin', 'admin', ?)`,
      args: [adminId, benchAdmin.email, await hashPassword(benchAdmin.password)],
    });
  }
  let generatedS: number | null = null;
  const had = Number((await db.$client.execute(`SELECT count(*) FROM complaint_cases WHERE id LIKE 'bc000000-0000-%'`)).rows[0]![0]);
  const retiered = (await db.$client.execute(customersStatement)).rowsAffected;
  if (had < cases) {
    if (had > 0) await db.$client.executeMultiple(`DELETE FROM complaint_events; DELETE FROM complaint_cases;`);
    const started = performance.now();
    await db.$client.batch(fillStatements(cases, Date.now(), survey.id, adminId), 'write');
    await db.$client.execute('ANALYZE');
    generatedS = (performance.now() - started) / 1000;
  } else if (retiered > 0) await db.$client.execute('ANALYZE');
  const counts = await db.$client.execute(`SELECT (SELECT count(*) FROM complaint_cases), (SELECT count(*) FROM complaint_events)`);
  db.$client.close();
  console.log(`  ${fresh ? 'made' : 'reused'} ${path}: ${formatCount(Number(counts.rows[0]![0]))} cases, ${formatCount(Number(counts.rows[0]![1]))} events${generatedS ? `, generated in ${generatedS.toFixed(1)} s` : ''}`);
  return { path, databaseUrl, cases: Number(counts.rows[0]![0]), events: Number(counts.rows[0]![1]), generatedS, survey };
}

interface Request {
  name: string;
  path: string;
}

function requests(surveyId: string): Request[] {
  const queue = (query: string) => `/api/complaints/cases?${query}&limit=50`;
  return [
    ...['mine', 'unassigned', 'at_risk', 'breached', 'waiting', 'all'].map((name) => ({ name: `queue ${name}`, path: queue(`queue=${name}`) })),
    { name: 'all, category delivery', path: queue('queue=all&category=delivery') },
    { name: 'all, major', path: queue('queue=all&severity=major') },
    { name: 'all, channel phone', path: queue('queue=all&channel=phone') },
    { name: 'all, one survey', path: queue(`queue=all&surveyId=${surveyId}`) },
    { name: 'all, VIP customers', path: queue('queue=all&tier=vip') },
    { name: 'all, status closed', path: queue('queue=all&status=closed') },
    { name: 'unassigned, major, delivery', path: queue('queue=unassigned&severity=major&category=delivery') },
    { name: 'all, a reference typed', path: queue(`q=${encodeURIComponent('C-2026-000123')}&queue=all`) },
  ];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

export interface QueryPlan {
  name: string;
  statements: number;
  /** Plan lines that read complaint_cases without an index, or sort every match in a temporary b-tree. */
  unindexed: string[];
}

/**
 * Every queue request's statements as the app runs them (the database client's calls, recorded), each
 * explained: an index-backed queue reads complaint_cases through an index and sorts nothing it has to
 * read in full.
 */
export async function queuePlans(databaseUrl: string, list: readonly Request[]): Promise<QueryPlan[]> {
  const db = await openDatabase(databaseUrl);
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const app = createApp({ db, config });
  const [admin] = (await db.$client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [benchAdmin.email] })).rows;
  const session = await createSession(db, String(admin![0]));
  let recording: { sql: string; args: unknown }[] | null = null;
  const execute = db.$client.execute.bind(db.$client);
  (db.$client as { execute: unknown }).execute = (statement: InStatement, args?: unknown) => {
    const sql = typeof statement === 'string' ? statement : statement.sql;
    if (recording && /complaint_(cases|events)/.test(sql)) recording.push({ sql, args: typeof statement === 'string' ? (args ?? []) : statement.args ?? [] });
    return execute(statement as never, args as never);
  };
  const plans: QueryPlan[] = [];
  for (const request of list) {
    recording = [];
    const response = await app.request(request.path, { headers: { cookie: `sid=${session.token}` } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status}: ${body.slice(0, 300)}`);
    const statements = recording;
    recording = null;
    const unindexed: string[] = [];
    for (const statement of statements) {
      const plan = await execute({ sql: `EXPLAIN QUERY PLAN ${statement.sql}`, args: statement.args } as InStatement);
      for (const row of plan.rows) {
        const detail = String(row[3] ?? row.detail);
        if (/^SCAN complaint_(cases|events)\b/.test(detail) && !/USING (COVERING )?INDEX/.test(detail)) unindexed.push(detail);
        if (/USE TEMP B-TREE FOR ORDER BY/.test(detail)) unindexed.push(detail);
      }
    }
    plans.push({ name: request.name, statements: statements.length, unindexed });
  }
  db.$client.close();
  return plans;
}

export interface ComplaintsRun {
  cases: number;
  events: number;
  generatedS: number | null;
  databaseMb: number;
  arrivals: number;
  arrivalFailures: number;
  casesArrived: number;
  rows: { name: string; p50: number; p95: number }[];
  plans: QueryPlan[];
  overallP95: number;
  /** The dashboard's complaint figures: cases in the range and the median of three requests. */
  figures: { days: number; cases: number; p50: number }[];
}

export async function measureComplaints(cases: number): Promise<ComplaintsRun> {
  const built = await complaintsDatabase(cases);
  const list = requests(built.survey.id);
  // The second page of the whole queue starts after the 50th newest case.
  const reader = await openDatabase(built.databaseUrl);
  const [fiftieth] = (await reader.$client.execute('SELECT created_at, id FROM complaint_cases ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 49')).rows;
  reader.$client.close();
  list.push({ name: 'all, second page', path: `/api/complaints/cases?queue=all&limit=50&before=${encodeURIComponent(`${fiftieth![0]}_${fiftieth![1]}`)}` });
  const caseIds = Array.from({ length: repeats }, (_, round) => `bc000000-0000-4000-a000-${(((round * 65_537) % built.cases) + 1).toString(16).padStart(12, '0')}`);
  const plans = await queuePlans(built.databaseUrl, [...list, { name: 'case page', path: `/api/complaints/cases/${caseIds[0]}` }]);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...benchServerEnv({ port, databaseUrl: built.databaseUrl, logLevel: 'silent' }), ADMIN_EMAIL: benchAdmin.email, ADMIN_PASSWORD: benchAdmin.password };
  const server = startNode('server/main.ts', { cwd: projectRoot, logPath: join(projectRoot, '.bench/complaints-server.log'), env });
  await waitForHttp(`${baseUrl}/health`, server, 60_000);
  const signIn = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(benchAdmin) });
  if (!signIn.ok) throw new Error(`signing in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } }).catch((error: unknown) => {
      throw new Error(`${path} failed: ${String(error)}\n${server.logTail()}`);
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
    return { ms: performance.now() - started, body };
  };

  // Case pages of cases all over the file, open ones and finished ones.
  const measured: Request[] = [...list];

  const before = await openDatabase(built.databaseUrl);
  const countNow = async () => Number((await before.$client.execute('SELECT count(*) FROM complaint_cases')).rows[0]![0]);
  const casesBefore = await countNow();

  // Complaints keep arriving as complaint-form responses while the queues are read.
  const arriving = startArrivals(baseUrl, { versionId: built.survey.versionId, definition: built.survey.definition }, arrivalsPerSecond);
  // A failed request must not leave the arrivals running (they would keep the process alive).
  onCleanup(() => arriving.stop().then(() => undefined));
  for (const request of measured) await get(request.path); // warm
  const times = new Map<string, number[]>([...measured.map((request) => [request.name, []] as [string, number[]]), ['case page', []]]);
  for (let round = 0; round < repeats; round++) {
    for (const request of measured) times.get(request.name)!.push((await get(request.path)).ms);
    times.get('case page')!.push((await get(`/api/complaints/cases/${caseIds[round]}`)).ms);
  }
  // The dashboard's complaint figures over the last 90 days and the last year, for the record (no limit set:
  // they are worked out from the cases themselves, see the README's "Complaint figures").
  const figures: ComplaintsRun['figures'] = [];
  for (const days of [90, 365]) {
    const to = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const from = new Date(Date.parse(to) - (days - 1) * dayMs).toISOString().slice(0, 10);
    const path = `/api/insights/complaints?from=${from}&to=${to}`;
    const report = JSON.parse((await get(path)).body) as { figures: { cases: number } };
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) runs.push((await get(path)).ms);
    figures.push({ days, cases: report.figures.cases, p50: percentile(runs, 50) });
  }
  const { stored: arrivals, failed: arrivalFailures } = await arriving.stop();
  const casesArrived = (await countNow()) - casesBefore;
  before.$client.close();
  await server.stop();

  const all = [...times.values()].flat();
  return {
    cases: built.cases,
    events: built.events,
    generatedS: built.generatedS,
    databaseMb: statSync(built.path).size / 1024 / 1024,
    arrivals,
    arrivalFailures,
    casesArrived,
    rows: [...times].map(([name, values]) => ({ name, p50: percentile(values, 50), p95: percentile(values, 95) })),
    plans,
    overallP95: percentile(all, 95),
    figures,
  };
}

export function complaintsPass(run: ComplaintsRun) {
  return run.rows.every((row) => row.p95 < complaintsTargetP95Ms) && run.plans.every((plan) => plan.unindexed.length === 0) && run.arrivalFailures === 0;
}

export function complaintsTable(run: ComplaintsRun) {
  const plans = new Map(run.plans.map((plan) => [plan.name, plan]));
  const rows: Record<string, Cell>[] = run.rows.map((row) => {
    const plan = plans.get(row.name);
    return {
      request: row.name,
      p50: formatMs(row.p50),
      p95: formatMs(row.p95),
      [`< ${complaintsTargetP95Ms} ms`]: row.p95 < complaintsTargetP95Ms ? 'PASS' : 'MISS',
      'query plan': plan ? (plan.unindexed.length === 0 ? `indexed (${plan.statements} statements)` : `NOT INDEXED: ${[...new Set(plan.unindexed)].join('; ')}`) : '',
    };
  });
  rows.push({ request: `all requests (${run.rows.length} kinds × ${repeats})`, p50: '', p95: formatMs(run.overallP95), [`< ${complaintsTargetP95Ms} ms`]: run.overallP95 < complaintsTargetP95Ms ? 'PASS' : 'MISS', 'query plan': '' });
  printTable(
    `Complaint queues and the case page on ${formatCount(run.cases)} cases (${formatCount(run.events)} events, ${run.databaseMb.toFixed(0)} MB file) while ${formatCount(run.arrivals)} complaint forms arrived at ~${arrivalsPerSecond}/s (${run.arrivalFailures} failed; ${formatCount(run.casesArrived)} cases opened meanwhile)`,
    rows,
  );
  for (const figure of run.figures) {
    console.log(`  dashboard complaint figures, last ${figure.days} days (${formatCount(figure.cases)} cases): ${formatMs(figure.p50)} (median of 3; no limit set)`);
  }
  if (run.generatedS !== null) console.log(`  cases and events generated by INSERT … SELECT in ${run.generatedS.toFixed(1)} s`);
}

/** How many cases a run alone works on: --cases, COMPLAINT_CASES, else a million. */
export function casesAsked(): number {
  const { values } = parseArgs({ options: { cases: { type: 'string' } } });
  const cases = Number(values.cases ?? process.env.COMPLAINT_CASES ?? 1_000_000);
  if (!Number.isInteger(cases) || cases < 1000) {
    console.error('--cases takes a whole number of at least 1000, e.g. --cases 1000000');
    process.exit(1);
  }
  return cases;
}

if (startedAlone(import.meta.url)) runAlone('complaints', async () => complaintsTable(await measureComplaints(casesAsked())));
