// WAL checkpoints in the background. SQLite copies the write-ahead log back into the database file when it
// passes 1,000 pages, inside the commit of whichever write crossed the line; an embedded write runs on the
// process's only thread, so every request waited for that copy and its fsync. A worker thread with its own
// connection checkpoints a few times a second instead (PASSIVE: it never waits for or blocks a reader or a
// writer), so the log stays short and the commits that answer customers stay small. The writers' own
// autocheckpoint stays on as a safety net should this thread fall behind.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Tracer } from './trace.ts';

const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.path);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
setInterval(() => {
  const started = performance.now();
  try {
    const result = checkpoint.get();
    if (workerData.report && result.log > 0) {
      parentPort.postMessage({ ms: performance.now() - started, walPages: result.log, movedPages: result.checkpointed, busy: result.busy === 1 });
    }
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
}, workerData.everyMs);
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Checkpoints the database file at `path` every `everyMs` from a worker thread. */
export function startCheckpointer(
  path: string,
  options: { everyMs?: number; tracer?: Tracer | undefined; onProblem?: (text: string) => void } = {},
): Checkpointer {
  const libsql = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(workerCode, { eval: true, workerData: { path, libsql, everyMs: options.everyMs ?? 200, report: options.tracer !== undefined } });
  let problemShown = false;
  worker.on('message', (message: { ms: number; walPages: number; movedPages: number; busy: boolean } | { error: string }) => {
    if ('error' in message) {
      // A failing checkpoint is not urgent (the writers' autocheckpoint still bounds the log): say it once.
      if (!problemShown) options.onProblem?.(`Background WAL checkpoint failed: ${message.error}`);
      problemShown = true;
      return;
    }
    options.tracer?.record({ event: 'checkpoint', mode: 'passive', ...message, ms: Math.round(message.ms * 10) / 10 });
  });
  worker.on('error', (error) => options.onProblem?.(`Background WAL checkpoints stopped: ${error.message}`));
  // It never keeps the process alive (unref after the listeners, which would take a reference again).
  worker.unref();
  return {
    async stop() {
      await worker.terminate();
    },
  };
}
