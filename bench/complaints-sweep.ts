// The complaint deadline sweep on 1,000,000 cases of which 100,000 are open: one run of sweepDeadlines (the
// job's work: find the due cases through complaint_cases_watch_idx, record the at-risk and breach marks,
// escalate the breaches, queue one mail per recipient in the Outbox with its send job), in process, on a
// libSQL file. The cases are made with plain SQL (a recursive CTE), not through the service.
// Due in each run: DUE_PER_RUN open cases (half crossing their at-risk mark, half breaching), which is more than
// a minute's sweep meets at 100,000 open cases (about 100 marks a minute on 24–72-hour deadlines); a second
// table row measures a backlog ten times that, as after an outage, for information.
// Runs alone: `node --import tsx bench/complaints-sweep.ts [--runs N]`.
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { sweepDeadlines } from '../server/complaints/sweep.ts';
import { readComplaintSettings, saveComplaintSettings } from '../server/complaints/settings.ts';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { onCleanup, runAlone, startedAlone } from './processes.ts';
import { formatCount, formatMs, median, printTable } from './report.ts';

export const sweepLimitMs = 1_000;
const totalCases = 1_000_000;
/** One case in ten is open. */
const openEvery = 10;
const duePerRun = 1_000;
const backlog = 10_000;
const agents = 40;
const managers = 3;
const hourMs = 3_600_000;

export interface SweepRun {
  due: number;
  ms: number;
  cases: number;
  marks: number;
  escalated: number;
  messages: number;
}

export interface SweepBench {
  cases: number;
  open: number;
  generatedS: number;
  runs: SweepRun[];
  backlog: SweepRun;
}

async function generate(db: Db, now: number) {
  await db.run(sql`INSERT INTO users (id, email, name, role, password_hash)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${agents - 1})
    SELECT printf('agent-%02d', i), printf('agent-%02d@example.com', i), printf('Agent %d', i), 'support', 'x' FROM n`);
  await db.run(sql`INSERT INTO users (id, email, name, role, password_hash)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${managers - 1})
    SELECT printf('manager-%d', i), printf('manager-%d@example.com', i), printf('Manager %d', i), 'manager', 'x' FROM n`);
  await db.run(sql`INSERT INTO settings (key, value) VALUES ('weekly_summary:manager-0', '{"weeklySummary":false,"locale":"en"}')`);
  // Open cases carry clocks whose marks lie ahead (watch_at from a minute to ~3 days on); closed ones none.
  await db.run(sql`INSERT INTO complaint_cases (id, number, reference, status, source, channel, category, severity, description, locale,
      assignee_id, first_responded_at, resolution_due_at, resolution_at_risk_at, watch_at, resolved_at, closed_at, outcome,
      status_token, reply_token, created_at, updated_at)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${totalCases - 1})
    SELECT printf('case-%07d', i), i + 1, printf('C-2026-%07d', i + 1),
      CASE WHEN i % ${openEvery} = 0 THEN 'in_progress' ELSE 'closed' END,
      'agent', 'phone', CASE i % 6 WHEN 0 THEN 'product' WHEN 1 THEN 'service' WHEN 2 THEN 'delivery' WHEN 3 THEN 'billing' WHEN 4 THEN 'staff_attitude' ELSE 'other' END,
      CASE WHEN i % 7 = 0 THEN 'major' ELSE 'minor' END, 'A complaint', CASE WHEN i % 2 = 0 THEN 'zh-CN' ELSE 'en' END,
      printf('agent-%02d', i % ${agents}), ${now} - 3600000,
      CASE WHEN i % ${openEvery} = 0 THEN ${now} + 60000 + (i * 7919) % (72 * 3600000) + 3600000 END,
      CASE WHEN i % ${openEvery} = 0 THEN ${now} + 60000 + (i * 7919) % (72 * 3600000) END,
      CASE WHEN i % ${openEvery} = 0 THEN ${now} + 60000 + (i * 7919) % (72 * 3600000) END,
      CASE WHEN i % ${openEvery} = 0 THEN NULL ELSE ${now} - 30 * 86400000 END,
      CASE WHEN i % ${openEvery} = 0 THEN NULL ELSE ${now} - 20 * 86400000 END,
      CASE WHEN i % ${openEvery} = 0 THEN NULL ELSE 'resolved' END,
      printf('s%07d', i), printf('r%07d', i), ${now} - 40 * 86400000, ${now} - 40 * 86400000
    FROM n`);
}

/**
 * Makes `count` open cases due at `now`: the first half have just crossed their at-risk mark, the second half
 * their deadline (the at-risk mark mailed before). Cases are spread over the open ones.
 */
async function makeDue(db: Db, now: number, count: number, round: number) {
  const stride = Math.floor(totalCases / openEvery / count);
  const picked = sql`SELECT printf('case-%07d', ((j * ${stride} + ${round}) % ${totalCases / openEvery}) * ${openEvery}) FROM m`;
  const cte = sql`WITH RECURSIVE m(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM m WHERE j < ${count - 1})`;
  await db.run(sql`UPDATE complaint_cases SET alert = NULL, escalated = 0, deadlines_missed = '[]',
      resolution_at_risk_at = ${now} - 30000 - (number % 1000), resolution_due_at = ${now} + 2 * ${hourMs}, watch_at = ${now} - 30000 - (number % 1000)
    WHERE id IN (${cte} ${picked} LIMIT ${Math.floor(count / 2)})`);
  await db.run(sql`UPDATE complaint_cases SET alert = 'at_risk', escalated = 0, deadlines_missed = '[]',
      resolution_at_risk_at = ${now} - 3 * ${hourMs}, resolution_due_at = ${now} - 30000 - (number % 1000), watch_at = ${now} - 30000 - (number % 1000)
    WHERE id IN (${cte} ${picked} LIMIT -1 OFFSET ${Math.floor(count / 2)})`);
}

async function countOf(db: Db, query: ReturnType<typeof sql>) {
  const [row] = await db.all<{ n: number }>(query);
  return Number(row!.n);
}

async function oneSweep(db: Db, count: number, round: number): Promise<SweepRun> {
  const now = Date.now();
  await makeDue(db, now, count, round);
  const due = await countOf(db, sql`SELECT count(*) AS n FROM complaint_cases WHERE watch_at <= ${now}`);
  const started = performance.now();
  const result = await sweepDeadlines(db, { publicUrl: 'https://cs.example.com', now });
  const ms = performance.now() - started;
  return { due, ms, ...result };
}

export async function measureComplaintsSweep(input: { workDir: string; runs?: number }): Promise<SweepBench> {
  const path = join(input.workDir, 'complaints-sweep.db');
  const db = await openDatabase(`file:${path}`);
  onCleanup(() => db.$client.close());
  await migrateDatabase(db);
  const settings = await readComplaintSettings(db);
  await saveComplaintSettings(db, { ...settings, calendar: { ...settings.calendar, alwaysOpen: true } }, 'bench');
  const generating = performance.now();
  await generate(db, Date.now());
  await db.run(sql`ANALYZE`);
  const generatedS = (performance.now() - generating) / 1000;
  const open = await countOf(db, sql`SELECT count(*) AS n FROM complaint_cases WHERE status = 'in_progress'`);
  const cases = await countOf(db, sql`SELECT count(*) AS n FROM complaint_cases`);
  const runs: SweepRun[] = [];
  for (let round = 0; round < (input.runs ?? 5); round += 1) runs.push(await oneSweep(db, duePerRun, round + 1));
  const backlogRun = await oneSweep(db, backlog, 0);
  return { cases, open, generatedS, runs, backlog: backlogRun };
}

export const complaintsSweepMedianMs = (bench: SweepBench) => median(bench.runs.map((run) => run.ms));
export const complaintsSweepPasses = (bench: SweepBench) =>
  complaintsSweepMedianMs(bench) < sweepLimitMs && bench.runs.every((run) => run.cases === run.due && run.messages === run.due * (managers + 1));

export function complaintsSweepTable(bench: SweepBench, number = '8') {
  const row = (what: string, run: SweepRun, limit: string) => ({
    sweep: what,
    'cases due': formatCount(run.due),
    'marks recorded': formatCount(run.marks),
    escalated: formatCount(run.escalated),
    'mails queued': formatCount(run.messages),
    time: formatMs(run.ms),
    limit,
  });
  printTable(
    `${number}. Complaint deadline sweep on ${formatCount(bench.cases)} cases, ${formatCount(bench.open)} open (in process, libSQL file; cases made by SQL in ${bench.generatedS.toFixed(0)} s)`,
    [
      ...bench.runs.map((run, index) => row(`run ${index + 1}`, run, `< ${formatMs(sweepLimitMs)}`)),
      { ...row('median', { ...bench.runs[0]!, ms: complaintsSweepMedianMs(bench) }, `< ${formatMs(sweepLimitMs)}`), 'cases due': '', 'marks recorded': '', escalated: '', 'mails queued': '' },
      row('backlog (after an outage)', bench.backlog, 'none set'),
    ],
  );
}

if (startedAlone(import.meta.url)) {
  const at = process.argv.indexOf('--runs');
  runAlone('complaints-sweep', async (workDir) => {
    const bench = await measureComplaintsSweep({ workDir, runs: at > 0 ? Number(process.argv[at + 1]) : undefined });
    complaintsSweepTable(bench);
    console.log(`  one sweep under ${formatMs(sweepLimitMs)} (median): ${complaintsSweepPasses(bench) ? 'yes' : 'NO'}`);
  });
}
