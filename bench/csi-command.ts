// Whole commands, timed from outside as a user meets them:
// (1) `npm run -s csi` on a generated 100,000 × 24 CSV (the ECSI model of bench/pls.ts), against a plain
//     numpy estimate of the same model on the same file (bench/pls_reference.py): wall clock, one warm-up
//     then the median of 5, and the two estimates' path coefficients compared;
// (2) `npm start` from the command until /health answers 200: once after removing the build records (a
//     first build), then restarts with nothing changed.
// Runs alone with `node --import tsx bench/csi-command.ts`; bench/run.ts runs it as step 4b.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlsModelInput } from '../surveys/indices/pls-model.ts';
import { mobiModelPath } from '../surveys/indices/mobi-reference.ts';
import { projectRoot } from './build.ts';
import { generateAnswers } from './pls.ts';
import { freePort } from './processes.ts';
import { formatCount, formatMs, formatRatio, median, printTable } from './report.ts';

const respondents = 100_000;
const runs = 5;
export const csiCommandTargetRatio = 0.5;
export const restartTargetMs = 3_000;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function timedRun(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: null, stdout, stderr: String(error), ms: performance.now() - started }));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/**
 * One warm-up, then `runs` timed runs; the last run's output. Timed from a small process of their own
 * (bench/timed-runs.mjs): spawned from this one, which holds the generated data, each run would take
 * tens of milliseconds longer to start than it does from a shell.
 */
async function timedRuns(command: string, args: string[]) {
  const timer = await timedRun(process.execPath, [join(projectRoot, 'bench/timed-runs.mjs'), String(runs), command, ...args]);
  if (timer.code !== 0) return { failed: timer, runsMs: [], medianMs: Number.NaN, stdout: '' };
  const timed = JSON.parse(timer.stdout) as { code: number | null; runsMs: number[]; stdout: string; stderr: string };
  if (timed.code !== 0) return { failed: { ...timed, ms: Number.NaN }, runsMs: timed.runsMs, medianMs: Number.NaN, stdout: '' };
  return { failed: undefined, runsMs: timed.runsMs, medianMs: median(timed.runsMs), stdout: timed.stdout };
}

export interface CsiCommandFigure {
  respondents: number;
  items: number;
  fileBytes: number;
  ours: { runsMs: number[]; medianMs: number; iterations: number };
  /** Absent with the reason when python3 or numpy is not there. */
  numpy: { runsMs: number[]; medianMs: number; iterations: number } | { missing: string };
  /** Largest difference between the two estimates' path coefficients. */
  pathDifference: number | null;
  start: { firstBuildMs: number; restartsMs: number[]; restartMedianMs: number };
}

function writeCsv(folder: string) {
  const model = JSON.parse(readFileSync(mobiModelPath, 'utf8')) as PlsModelInput;
  const data = generateAnswers(model, respondents);
  const items = Object.keys(data.columns);
  const columns = items.map((item) => data.columns[item]!);
  const lines = [items.join(',')];
  for (let row = 0; row < data.rowCount; row++) lines.push(columns.map((column) => column[row]).join(','));
  const csv = join(folder, 'ecsi-100k.csv');
  const text = `${lines.join('\n')}\n`;
  writeFileSync(csv, text);
  const modelPath = join(folder, 'ecsi.model.json');
  writeFileSync(modelPath, JSON.stringify(model));
  return { csv, modelPath, items: items.length, bytes: Buffer.byteLength(text) };
}

/** `npm start` until /health answers 200, then a clean stop; the time to the first 200. */
async function timeStart(databaseUrl: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  // Its own process group, so that stopping npm stops the server it started too.
  const child = spawn('npm', ['start'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let ready: number | undefined;
  try {
    while (ready === undefined) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}) before /health answered:\n${output}`);
      if (performance.now() - started > 300_000) throw new Error(`npm start: no /health within 300 s:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
      if (response?.status === 200) ready = performance.now() - started;
      else await new Promise((wait) => setTimeout(wait, 20));
    }
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  return ready;
}

export async function measureCsiCommand(workDir: string): Promise<CsiCommandFigure> {
  const folder = join(workDir, 'csi-command');
  mkdirSync(folder, { recursive: true });
  try {
    const file = writeCsv(folder);
    const csiArgs = ['run', '-s', 'csi', '--', '--csv', file.csv, '--model', file.modelPath];
    // Built before timing (normally it is): the figure is the command as a user runs it again and again.
    const build = await timedRun(process.execPath, [join(projectRoot, 'scripts/build.mjs')]);
    if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);

    const ours = await timedRuns('npm', csiArgs);
    if (ours.failed) throw new Error(`npm run csi failed (${ours.failed.code}):\n${ours.failed.stderr}`);
    const ourResult = JSON.parse(ours.stdout) as { iterations: number; paths: Record<string, number> };

    let numpy: CsiCommandFigure['numpy'];
    let pathDifference: number | null = null;
    const reference = await timedRuns('python3', [join(projectRoot, 'bench/pls_reference.py'), '--csv', file.csv, '--model', file.modelPath]);
    if (reference.failed) {
      const reason = reference.failed.code === 3 ? 'numpy is not installed' : reference.failed.code === null ? 'python3 is not installed' : `the reference failed: ${reference.failed.stderr.trim().split('\n').at(-1)}`;
      numpy = { missing: reason };
    } else {
      const theirs = JSON.parse(reference.stdout) as { iterations: number; paths: Record<string, number> };
      numpy = { runsMs: reference.runsMs, medianMs: reference.medianMs, iterations: theirs.iterations };
      pathDifference = Math.max(...Object.entries(ourResult.paths).map(([path, value]) => Math.abs(value - (theirs.paths[path] ?? Number.NaN))));
    }

    const databaseUrl = `file:${join(folder, 'start.db')}`;
    // A first build: with no build records every output is built again.
    rmSync(join(projectRoot, 'dist/.build'), { recursive: true, force: true });
    const firstBuildMs = await timeStart(databaseUrl);
    const restartsMs: number[] = [];
    for (let run = 0; run < runs; run++) restartsMs.push(await timeStart(databaseUrl));

    return {
      respondents,
      items: file.items,
      fileBytes: file.bytes,
      ours: { runsMs: ours.runsMs, medianMs: ours.medianMs, iterations: ourResult.iterations },
      numpy,
      pathDifference,
      start: { firstBuildMs, restartsMs, restartMedianMs: median(restartsMs) },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function csiCommandTable(figure: CsiCommandFigure) {
  const numpy = 'missing' in figure.numpy ? undefined : figure.numpy;
  printTable(
    `4b. Whole commands: csi on ${formatCount(figure.respondents)} × ${figure.items} items (${(figure.fileBytes / 1e6).toFixed(1)} MB CSV), one warm-up then median of ${runs}; npm start to /health 200`,
    [
      {
        command: 'npm run -s csi -- --csv … --model …',
        runs: figure.ours.runsMs.map(formatMs).join(', '),
        median: formatMs(figure.ours.medianMs),
        'vs numpy': numpy ? formatRatio(figure.ours.medianMs / numpy.medianMs) : '-',
        target: `< ${formatRatio(csiCommandTargetRatio)} numpy`,
        note: `${figure.ours.iterations} iterations`,
      },
      {
        command: 'python3 bench/pls_reference.py (numpy)',
        runs: numpy ? numpy.runsMs.map(formatMs).join(', ') : '-',
        median: numpy ? formatMs(numpy.medianMs) : '-',
        'vs numpy': '',
        target: '',
        note: numpy
          ? `${numpy.iterations} iterations; paths differ by at most ${figure.pathDifference?.toExponential(1)}`
          : `not run: ${(figure.numpy as { missing: string }).missing}`,
      },
      {
        command: 'npm start, nothing changed',
        runs: figure.start.restartsMs.map(formatMs).join(', '),
        median: formatMs(figure.start.restartMedianMs),
        'vs numpy': '',
        target: `< ${formatMs(restartTargetMs)}`,
        note: '',
      },
      {
        command: 'npm start, first build',
        runs: formatMs(figure.start.firstBuildMs),
        median: '',
        'vs numpy': '',
        target: 'figure',
        note: 'every output built',
      },
    ],
  );
}

export function csiCommandPasses(figure: CsiCommandFigure) {
  return {
    csi: 'missing' in figure.numpy ? null : figure.ours.medianMs < csiCommandTargetRatio * figure.numpy.medianMs,
    restart: figure.start.restartMedianMs < restartTargetMs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figure = await measureCsiCommand(join(projectRoot, '.bench'));
  csiCommandTable(figure);
}
