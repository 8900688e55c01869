// Public submissions alone, for working on their latency: starts the server on a temporary database,
// creates /s/demo, warms up, then sends a long measured run and prints p50/p99/max, the rate, and how far
// the dashboard's aggregates lag behind at the end (and how long they take to catch up).
// Usage: node --import tsx bench/submissions-alone.ts [--requests N] [--connections N] [--trace] [--runs N] [--loop-rules]
//   --loop-rules  only the comparison of npm run bench's step 2c: intake with three loop-closing rules against none
//   --trace   the server runs with LOG_LEVEL=debug (server/db/trace.ts) and the slow requests are lined up
//             with what the server was doing at the time: writes and their turns, event-loop stalls, GC.
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from './build.ts';
import { benchServerEnv, cleanupAll, freePort, removeOnCleanup, runNode, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, formatRate, printTable } from './report.ts';
import { checkIdempotentSubmission, runSubmissionLoad, waitForCatchUp, type CatchUp, type SubmissionRun } from './submissions.ts';
import { openDatabase } from '../server/db/client.ts';
import { demoSlug } from '../server/cli/demo.ts';
import { findPublicSurvey } from '../server/responses/service.ts';
import { loopRuleIntakePasses, loopRuleIntakeTable, measureLoopRuleIntake } from './loop-rules.ts';

const { values: options } = parseArgs({
  options: {
    requests: { type: 'string', default: '76605' },
    connections: { type: 'string', default: '64' },
    'warm-up': { type: 'string', default: '3' },
    runs: { type: 'string', default: '1' },
    trace: { type: 'boolean', default: false },
    'loop-rules': { type: 'boolean', default: false },
  },
});
const requests = Number(options.requests);
const connections = Number(options.connections);
const warmUpS = Number(options['warm-up']);
/** A request slower than this is "slow" in the trace report. */
const slowMs = 50;

interface TraceLine {
  at: number;
  event: string;
  what?: string;
  waitMs?: number;
  holdMs?: number;
  blockedMs?: number;
  ms?: number;
  kind?: string;
  [key: string]: unknown;
}

/** Slow requests grouped into episodes, each with the server events that overlap it. */
function traceReport(serverLog: string, timelinePath: string) {
  const events: TraceLine[] = readFileSync(serverLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"at":'))
    .map((line) => JSON.parse(line) as TraceLine);
  const timeline = JSON.parse(readFileSync(timelinePath, 'utf8')) as number[];
  const answers: { start: number; end: number; ms: number }[] = [];
  for (let i = 0; i < timeline.length; i += 2) answers.push({ start: timeline[i]! - timeline[i + 1]!, end: timeline[i]!, ms: timeline[i + 1]! });
  const runStart = Math.min(...answers.map((a) => a.start));
  const runEnd = Math.max(...answers.map((a) => a.end));
  const during = events.filter((e) => e.at >= runStart && e.at <= runEnd);

  // What held the write turn during the run, by kind of write.
  const byWhat = new Map<string, { count: number; hold: number[]; wait: number[]; blocked: number }>();
  for (const e of during.filter((e) => e.event === 'write')) {
    const what = e.what!.replace(/\s+/g, ' ').replace(/\(.*$/, '').slice(0, 40);
    let entry = byWhat.get(what);
    if (!entry) byWhat.set(what, (entry = { count: 0, hold: [], wait: [], blocked: 0 }));
    entry.count++;
    entry.hold.push(e.holdMs!);
    entry.wait.push(e.waitMs!);
    entry.blocked += e.blockedMs!;
  }
  const pct = (list: number[], p: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
  };
  const runMs = runEnd - runStart;
  printTable(
    `Writes during the measured run (${formatMs(runMs)}), by statement`,
    [...byWhat].sort((a, b) => b[1].blocked - a[1].blocked).map(([what, e]) => ({
      write: what,
      count: formatCount(e.count),
      'hold p50': formatMs(pct(e.hold, 0.5)),
      'hold p99': formatMs(pct(e.hold, 0.99)),
      'hold max': formatMs(Math.max(...e.hold)),
      'wait p99': formatMs(pct(e.wait, 0.99)),
      'wait max': formatMs(Math.max(...e.wait)),
      'event loop blocked': `${formatMs(e.blocked)} (${((e.blocked / runMs) * 100).toFixed(1)}%)`,
    })),
  );
  const stalls = during.filter((e) => e.event === 'stall');
  const gcs = during.filter((e) => e.event === 'gc');
  const loops = during.filter((e) => e.event === 'loop');
  printTable('Event loop and GC during the run', [
    {
      'stalls ≥ 20 ms': formatCount(stalls.length),
      'stall max': formatMs(Math.max(0, ...stalls.map((e) => e.ms!))),
      'stalls ≥ 100 ms': formatCount(stalls.filter((e) => e.ms! >= 100).length),
      'loop delay p99 (worst second)': formatMs(Math.max(0, ...loops.map((e) => Number(e.p99Ms)))),
      'GC pauses': formatCount(gcs.length),
      'GC total': formatMs(gcs.reduce((sum, e) => sum + e.ms!, 0)),
      'GC max': `${formatMs(Math.max(0, ...gcs.map((e) => e.ms!)))} ${gcs.sort((a, b) => b.ms! - a.ms!)[0]?.kind ?? ''}`,
    },
  ]);

  const commits = during.filter((e) => e.event === 'write' && String(e.slowest).endsWith('commit')).map((e) => Number.parseFloat(String(e.slowest)));
  printTable('Commits during the run', [
    {
      'transaction commits': formatCount(commits.length),
      'commit p99': formatMs(pct(commits, 0.99)),
      'commit max': formatMs(Math.max(0, ...commits)),
    },
  ]);
  const folds = during.filter((e) => e.event === 'fold');
  const reads = during.filter((e) => e.event === 'read');
  printTable('Aggregates folded during the run (each fold: read, checks, compute in JS, write transaction)', [
    {
      folds: formatCount(folds.length),
      rows: formatCount(folds.reduce((sum, e) => sum + Number(e.rows), 0)),
      'rows per fold max': formatCount(Math.max(0, ...folds.map((e) => Number(e.rows)))),
      'fold max': formatMs(Math.max(0, ...folds.map((e) => e.ms!))),
      'read max': formatMs(Math.max(0, ...folds.map((e) => Number(e.readMs)))),
      'checks max': formatMs(Math.max(0, ...folds.map((e) => Number(e.checkMs)))),
      'compute max': formatMs(Math.max(0, ...folds.map((e) => Number(e.computeMs)))),
      'write max': formatMs(Math.max(0, ...folds.map((e) => Number(e.writeMs)))),
      'reads ≥ 5 ms': formatCount(reads.length),
      'read max ': `${formatMs(Math.max(0, ...reads.map((e) => e.ms!)))} ${[...reads].sort((a, b) => b.ms! - a.ms!)[0]?.what ?? ''}`,
    },
  ]);

  // Episodes: slow answers whose intervals overlap, merged.
  const slow = answers.filter((a) => a.ms >= slowMs).sort((a, b) => a.start - b.start);
  const episodes: { start: number; end: number; count: number; maxMs: number }[] = [];
  for (const a of slow) {
    const last = episodes.at(-1);
    if (last && a.start <= last.end) {
      last.end = Math.max(last.end, a.end);
      last.count++;
      last.maxMs = Math.max(last.maxMs, a.ms);
    } else episodes.push({ start: a.start, end: a.end, count: 1, maxMs: a.ms });
  }
  console.log(`\n${formatCount(slow.length)} of ${formatCount(answers.length)} answers took ≥ ${slowMs} ms, in ${episodes.length} episodes; the worst, with what the server did meanwhile:`);
  for (const episode of [...episodes].sort((a, b) => b.maxMs - a.maxMs).slice(0, 8)) {
    const inside = events.filter((e) => {
      const begin = e.at - (e.event === 'write' ? e.holdMs! : e.ms ?? 0);
      return e.event !== 'loop' && e.at >= episode.start && begin <= episode.end;
    });
    const writes = inside.filter((e) => e.event === 'write');
    const big = [...writes].sort((a, b) => b.holdMs! - a.holdMs!).slice(0, 4);
    console.log(
      `  +${((episode.start - runStart) / 1000).toFixed(2)} s for ${formatMs(episode.end - episode.start)}: ${episode.count} slow answers, worst ${formatMs(episode.maxMs)}; ` +
        `${writes.length} writes held ${formatMs(writes.reduce((s, e) => s + e.holdMs!, 0))} in all`,
    );
    for (const e of big) console.log(`      write  ${formatMs(e.holdMs!).padStart(8)} held, ${formatMs(e.blockedMs!)} blocking, waited ${formatMs(e.waitMs!)}: ${e.what!.replace(/\s+/g, ' ')}; slowest ${String(e.slowest)}`);
    for (const e of inside.filter((e) => ['stall', 'read', 'fold'].includes(e.event) || (e.event === 'gc' && e.ms! >= 10))) {
      const detail = e.event === 'read' ? e.what : e.event === 'gc' ? e.kind : e.event === 'stall' ? '' : JSON.stringify(e);
      console.log(`      ${e.event.padEnd(6)} ${formatMs(e.ms ?? 0).padStart(8)} ${detail}`);
    }
  }
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'satisfaction-submissions-'));
  removeOnCleanup(workDir);
  console.log(`Submissions alone on ${cpus().length} cores, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; files in ${workDir}`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const databaseUrl = `file:${join(workDir, 'bench.db')}`;
  const serverEnv = benchServerEnv({ port, databaseUrl, logLevel: options.trace ? 'debug' : 'error' });
  const serverLog = join(workDir, 'server.log');
  const server = startNode('server/main.ts', { env: serverEnv, logPath: serverLog, cwd: projectRoot });
  await waitForHttp(`${baseUrl}/health`, server, 30_000);
  await runNode('server/cli/demo.ts', { args: ['--responses', '300'], env: serverEnv, logPath: join(workDir, 'demo.log'), cwd: projectRoot, timeoutMs: 60_000 });
  const db = await openDatabase(databaseUrl);
  const found = await findPublicSurvey(db, demoSlug);
  db.$client.close();
  if (found.state !== 'open') throw new Error(`/s/${demoSlug} is not open (${found.state})`);
  const survey = { versionId: found.versionId, definition: found.definition };
  await checkIdempotentSubmission(baseUrl, survey);
  await waitForCatchUp(databaseUrl);

  const common = { baseUrl, databaseUrl, survey, connections, workDir, cwd: projectRoot, serverPid: server.process.pid };
  if (options['loop-rules']) {
    const warmUp = await runSubmissionLoad({ ...common, label: 'warm-up', stopAfter: { durationS: warmUpS } });
    const result = await measureLoopRuleIntake({ ...common, warmRate: warmUp.answeredPerSecond });
    await server.stop();
    loopRuleIntakeTable(result);
    console.log(loopRuleIntakePasses(result) ? 'PASS' : 'MISS');
    return;
  }
  const rows: Record<string, string>[] = [];
  const show = (label: string, run: SubmissionRun, catchUp?: CatchUp) => {
    rows.push({
      run: label,
      requests: formatCount(run.sent),
      '201 = rows': run.statusCounts['201'] === run.sent && run.storedRows === run.sent && run.non2xx === 0 ? 'yes' : `no (${run.statusCounts['201'] ?? 0} × 201, ${run.storedRows} rows, ${run.non2xx} non-2xx)`,
      rate: formatRate(run.answeredPerSecond),
      p50: formatMs(run.latencyMs.p50),
      p99: formatMs(run.latencyMs.p99),
      max: formatMs(run.latencyMs.max),
      'to fold at end': catchUp ? formatCount(catchUp.pendingAtEnd) : '',
      'caught up after': catchUp ? (catchUp.catchUpMs === null ? 'not within 3 min' : formatMs(catchUp.catchUpMs)) : '',
      'load avg': loadavg()[0]!.toFixed(2),
    });
  };
  for (let index = 1; index <= Number(options.runs); index++) {
    const warmUp = await runSubmissionLoad({ ...common, label: `warm-up-${index}`, stopAfter: { durationS: warmUpS } });
    show(`warm-up ${index} (${warmUpS} s)`, warmUp);
    const timelinePath = join(workDir, `timeline-${index}.json`);
    const measured = await runSubmissionLoad({
      ...common,
      label: `measured-${index}`,
      stopAfter: { amount: requests, capS: 120 },
      ...(options.trace ? { timelinePath } : {}),
    });
    const catchUp = await waitForCatchUp(databaseUrl);
    show(`measured ${index}`, measured, catchUp);
    if (options.trace) traceReport(serverLog, timelinePath);
  }
  await server.stop();
  printTable(`POST /api/public/responses, ${connections} connections`, rows);
}

let finishing = false;
async function finish(code: number) {
  if (finishing) return;
  finishing = true;
  await cleanupAll();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void finish(130));
main().then(
  () => finish(0),
  (error: unknown) => {
    if (!finishing) console.error(`\nThe run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void finish(1);
  },
);
