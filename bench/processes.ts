// Child processes and clean-up for the bench: every child and temp folder is registered and undone
// on any exit, including a failure or Ctrl-C part way through.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Undo = () => void | Promise<void>;
const undoStack: Undo[] = [];

/** Register something to undo at the end; undone last-registered first. */
export function onCleanup(undo: Undo) {
  undoStack.push(undo);
}

const cleanupStepLimitMs = 10_000;

export async function cleanupAll() {
  while (undoStack.length > 0) {
    const undo = undoStack.pop()!;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A step that hangs (a browser that was already killed, say) must not keep the rest from running.
      await Promise.race([
        undo(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), cleanupStepLimitMs))),
      ]);
    } catch (error) {
      console.error(`clean-up step failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Removes a folder even when the process is ending synchronously (signals, uncaught errors). */
export function removeOnCleanup(path: string) {
  onCleanup(() => rmSync(path, { recursive: true, force: true }));
}

/** True in the module the command line started (`node --import tsx bench/x.ts`), false when imported. */
export function startedAlone(moduleUrl: string): boolean {
  return moduleUrl === pathToFileURL(process.argv[1] ?? '').href;
}

/**
 * Runs one benchmark on its own, in a temporary folder `satisfaction-<name>-bench-…`: everything registered for
 * clean-up is undone when it ends, fails, or is stopped with Ctrl-C or SIGTERM; a failure is printed and exits 1.
 */
export function runAlone(name: string, measure: (workDir: string) => Promise<void>): void {
  const workDir = mkdtempSync(join(tmpdir(), `satisfaction-${name}-bench-`));
  removeOnCleanup(workDir);
  const stop = () => void cleanupAll().then(() => process.exit(130));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  measure(workDir).then(
    () => cleanupAll(),
    async (error: unknown) => {
      console.error(error);
      await cleanupAll();
      process.exitCode = 1;
    },
  );
}

/** The per-address limit bench servers run with: on, but above what one load generator sends in a minute. */
export const benchRateLimitPerMinute = 1_000_000;

/**
 * The environment a bench server starts with: loopback on `port`, its own database, an admin account, and
 * the per-address limit on but never reached (benchRateLimitPerMinute).
 */
export function benchServerEnv(options: { port: number; databaseUrl: string; logLevel?: string }): Record<string, string> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  return {
    PORT: String(options.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATABASE_URL: options.databaseUrl,
    ADMIN_EMAIL: 'bench-admin@example.com',
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    LOG_LEVEL: options.logLevel ?? 'error',
    RATE_LIMIT_PER_MINUTE: String(benchRateLimitPerMinute),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Child {
  process: ChildProcess;
  logPath: string;
  exited: Promise<number | null>;
  /** The last lines the child wrote, for error messages. */
  logTail: (lines?: number) => string;
  stop: (graceMs?: number) => Promise<void>;
}

/** Starts `node --import tsx <script>` with its output in a log file; it is stopped at clean-up. */
/** The server and the demo run compiled, as in production (scripts/run.mjs builds what changed first). */
const compiledCommands: Record<string, string> = { 'server/main.ts': 'start', 'server/cli/demo.ts': 'demo' };

export function startNode(script: string, options: { args?: string[]; env: Record<string, string>; logPath: string; cwd: string }): Child {
  const log = createWriteStream(options.logPath);
  const command = compiledCommands[script];
  const nodeArgs = command ? ['scripts/run.mjs', command] : ['--import', 'tsx', script];
  // BENCH_CPU_PROFILE=<folder> writes a V8 CPU profile of every child there as it exits (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, ...nodeArgs, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.on('error', () => resolve(null));
  });
  const logTail = (lines = 20) => {
    try {
      return readFileSync(options.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  // A profiled child needs the time to write its profile.
  const stop = async (graceMs = profile.length ? 30_000 : 5000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    }
    if (!log.writableEnded) log.end();
  };
  onCleanup(() => stop(2000));
  // A synchronous exit (signal handler) cannot await; make sure the child does not outlive us.
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { process: child, logPath: options.logPath, exited, logTail, stop };
}

/** Runs a node script to completion within a time limit; throws with its output when it fails. */
export async function runNode(
  script: string,
  options: { args?: string[]; env: Record<string, string>; logPath: string; cwd: string; timeoutMs: number },
): Promise<string> {
  const child = startNode(script, options);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  await child.stop();
  const output = child.logTail(200);
  if (code !== 0) throw new Error(`${script} failed (exit ${code}):\n${child.logTail()}`);
  return output;
}

/** CPU time (user + system) a process has used so far, from /proc; undefined where there is none. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticksPerSecond = 100;
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return undefined;
  }
}

/** Polls a URL until it answers 2xx, the child exits, or the time runs out. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited (code ${exitCode}) before answering:\n${child.logTail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.logTail()}`);
}
