// Step 6f: a backup of the 1,000,000-response demo database (.bench/insights-<N>.db, the dashboard bench's) while
// answers arrive through the public API, and what it does to their latency. Three phases on one server: no backup
// (the baseline), `npm run backup` in a process of its own, and the scheduled backup inside the server process (its
// VACUUM INTO in a worker thread on a connection of its own). Answers arrive from four paced senders, ~100/s;
// each phase's figures are of the answers sent while it ran. Target: submission p99 < 50 ms during a backup.
// Runs alone: `node --import tsx bench/backup.ts [--responses N]`.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { backupName } from '../server/backups/rules.ts';
import { backupJob } from '../server/backups/service.ts';
import { openDatabase } from '../server/db/client.ts';
import { enqueue } from '../server/jobs/queue.ts';
import { projectRoot } from './build.ts';
import { benchDatabase, responsesAsked } from './insights.ts';
import { freePort, runAlone, runNode, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, printTable } from './report.ts';
import { newRunTag, responsePool, submissionBody, taggedId, type SurveyUnderTest } from './responses.ts';

export const backupTargetP99Ms = 50;
const senders = 4;
const pauseMs = 40;
const baselineMs = 15_000;
/** A server just started on a big file is slow at first (its caches fill); its first answers are not counted. */
const warmUpMs = 15_000;
const demoSlug = 'demo';

export interface BackupPhase {
  phase: string;
  /** The backup's own time and size; null for the baseline. */
  backupMs: number | null;
  backupBytes: number | null;
  answers: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
  /** When the slowest answer was sent, in seconds after the phase began, and how long the phase lasted. */
  slowestAtS: number;
  phaseS: number;
}

export interface BackupBench {
  responses: number;
  databaseMb: number;
  phases: BackupPhase[];
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Paced senders; each answer's send time and latency kept, so a phase takes the answers sent within it. */
function startSenders(baseUrl: string, survey: SurveyUnderTest) {
  const pool = responsePool(survey.definition, 200);
  const runTag = newRunTag();
  const sent: { at: number; ms: number; ok: boolean }[] = [];
  let arriving = true;
  const loops = Array.from({ length: senders }, async (_, n) => {
    for (let i = n; arriving; i += senders) {
      const body = submissionBody(survey, pool[i % pool.length]!)(taggedId(runTag), Date.now() - 90_000);
      const at = performance.now();
      let ok = false;
      try {
        const response = await fetch(`${baseUrl}/api/public/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        ok = response.status === 201;
      } catch {
        ok = false;
      }
      sent.push({ at, ms: performance.now() - at, ok });
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  return {
    between(from: number, to: number) {
      const within = sent.filter((answer) => answer.at >= from && answer.at < to);
      const times = within.filter((answer) => answer.ok).map((answer) => answer.ms);
      const slowest = within.reduce((worst, answer) => (answer.ms > worst.ms ? answer : worst), within[0]!);
      return {
        answers: within.length,
        failed: within.length - times.length,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        max: Math.max(...times),
        slowestAtS: (slowest.at - from) / 1000,
        phaseS: (to - from) / 1000,
      };
    },
    async stop() {
      arriving = false;
      await Promise.all(loops);
    },
  };
}

export async function measureBackup(workDir: string, responses: number): Promise<BackupBench> {
  const { path, databaseUrl, definitions, versionIds } = await benchDatabase(responses);
  const backupDir = join(workDir, 'backups');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logPath = join(projectRoot, '.bench/backup-server.log');
  // Scheduled backups on, once a year (so none falls in the run by itself); the bench asks for one below.
  const server = startNode('server/main.ts', {
    cwd: projectRoot,
    logPath,
    env: { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: 'off', BACKUP_DIR: backupDir, BACKUP_EVERY_HOURS: '8760', BACKUP_KEEP: '1' },
  });
  await waitForHttp(`${baseUrl}/health`, server, 120_000);
  const arrivals = startSenders(baseUrl, { versionId: versionIds[demoSlug]!, definition: definitions[demoSlug]! });
  const phases: BackupPhase[] = [];
  try {
    // Warm up, then the baseline.
    await new Promise((resolve) => setTimeout(resolve, warmUpMs));
    const baselineFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, baselineMs));
    phases.push({ phase: 'no backup', backupMs: null, backupBytes: null, ...arrivals.between(baselineFrom, performance.now()) });

    // `npm run backup` in a process of its own.
    const commandFile = join(workDir, 'command-backup.db');
    const commandFrom = performance.now();
    await runNode('server/cli/backup.ts', { cwd: projectRoot, args: ['--to', commandFile], env: { DATABASE_URL: databaseUrl }, logPath: join(workDir, 'backup-command.log'), timeoutMs: 600_000 });
    const commandTo = performance.now();
    phases.push({ phase: 'npm run backup (its own process)', backupMs: commandTo - commandFrom, backupBytes: statSync(commandFile).size, ...arrivals.between(commandFrom, commandTo) });
    rmSync(commandFile, { force: true });

    // The scheduled backup, in the server process: its job asked for now.
    const start = Date.now();
    const db = await openDatabase(databaseUrl);
    await enqueue(db, backupJob(start));
    db.$client.close();
    const scheduledFrom = performance.now();
    const written = join(backupDir, backupName('scheduled', start));
    const marker = `Scheduled backup written: ${written}`;
    while (!readFileSync(logPath, 'utf8').includes(marker)) {
      if (performance.now() - scheduledFrom > 600_000) throw new Error(`The scheduled backup did not finish within 10 minutes:\n${server.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const scheduledTo = performance.now();
    const line = readFileSync(logPath, 'utf8').split('\n').find((text) => text.includes(marker)) ?? '';
    const seconds = Number(/in ([\d.]+) s\)/.exec(line)?.[1] ?? Number.NaN);
    phases.push({
      phase: 'scheduled backup (in the server, worker thread)',
      backupMs: Number.isNaN(seconds) ? scheduledTo - scheduledFrom : seconds * 1000,
      backupBytes: existsSync(written) ? statSync(written).size : null,
      ...arrivals.between(scheduledFrom, scheduledTo),
    });
  } finally {
    await arrivals.stop();
    await server.stop();
    rmSync(backupDir, { recursive: true, force: true });
  }
  return { responses, databaseMb: statSync(path).size / 1e6, phases };
}

export const backupPasses = (bench: BackupBench) => bench.phases.every((phase) => phase.failed === 0 && phase.p99 < backupTargetP99Ms);

export function backupTable(bench: BackupBench) {
  printTable(
    `6f. Backups of the demo database (${formatCount(bench.responses)} responses, ${bench.databaseMb.toFixed(0)} MB) while answers arrive (${senders} paced senders, ~${Math.round((senders * 1000) / pauseMs)}/s)`,
    bench.phases.map((phase) => ({
      phase: phase.phase,
      'backup time': phase.backupMs === null ? '' : formatMs(phase.backupMs),
      'backup size': phase.backupBytes === null ? '' : `${(phase.backupBytes / 1e6).toFixed(0)} MB`,
      answers: formatCount(phase.answers),
      failed: formatCount(phase.failed),
      p50: formatMs(phase.p50),
      p99: formatMs(phase.p99),
      max: formatMs(phase.max),
      'slowest sent at': `${phase.slowestAtS.toFixed(1)} s of ${phase.phaseS.toFixed(1)} s`,
      [`p99 < ${backupTargetP99Ms} ms`]: phase.failed === 0 && phase.p99 < backupTargetP99Ms ? 'PASS' : 'MISS',
    })),
  );
}

if (startedAlone(import.meta.url)) {
  runAlone('backup', async (workDir) => {
    const bench = await measureBackup(workDir, responsesAsked());
    backupTable(bench);
  });
}
