// Checkpoints in a thread of their own. In WAL mode every commit appends the pages it changed to the log, and
// by default the commit that takes the log past 1,000 pages also copies the log back into the database file and
// syncs it (a checkpoint). The embedded database runs on the thread that calls it, so that commit held every
// request of the process while it wrote pages all over a large file: on 10 million purchases, 50 ms of every
// batch of 1,000. A server process instead turns those checkpoints off on its connections (the writes take
// `autocheckpointPragma()` with them, server/db/client.ts) and copies the log back here, on its own connection
// in a worker thread, a passive checkpoint every tenth of a second: it waits for no reader or writer.
//
// The log starts again from its beginning when a write begins with all of it copied. While writes never pause,
// the thread's copy never catches up with them at that moment, and the log would only grow (1.4 GB in a
// 20-second burst of purchases). So once it is longer than restartAtFrames pages and the thread has copied all
// but a little of it, the thread says so (in memory shared with the process, read without waiting for the event
// loop), and the process's next write copies what is left itself as it commits, so the write after it starts
// the log again.
//
//   startCheckpointer(path, { onProblem?, restartAtFrames? }) → Checkpointer
//   autocheckpointPragma(checkpointer) → the statement each write takes first
//
// Several processes on one file may each run one; a checkpoint already under way elsewhere is simply skipped.
// If the thread fails, the writes of the process go back to checking points themselves.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread copies the log back. */
export const checkpointEveryMs = 100;
/** Log pages (64 MB of 4 kB pages) past which the next write copies the rest itself, so the log starts again. */
export const restartAtFrames = 16_384;
/** ... once the thread has copied all of the log but at most this many pages (8 MB). */
const leftAtMostFrames = 2048;
/** SQLite's own default, which the writes go back to if the thread is gone. */
const defaultAutocheckpointPages = 1000;

export interface CheckpointOptions {
  onProblem?: (text: string, error?: unknown) => void;
  restartAtFrames?: number;
}

export interface Checkpointer {
  /** True while the thread is there to copy the log back. */
  readonly running: boolean;
  /** Passive checkpoints that copied at least one page, so far. */
  readonly checkpoints: number;
  /** True when the log is long: the next write copies the rest of it itself (read once, by that write). */
  takeLongLog(): boolean;
  stop(): Promise<void>;
}

// The thread's code: plain JavaScript, so it runs the same from the sources, the bundle and the tests.
const threadCode = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const state = new Int32Array(workerData.state);
const db = new Database(workerData.path, { timeout: 0 });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let timer;
const tick = () => {
  try {
    const row = passive.get();
    if (row) {
      if (row.checkpointed > 0) Atomics.add(state, 1, 1);
      // Long, and copied but for a little: a reader holding an old snapshot (a backup, a long report) keeps
      // the copy from catching up, and the commit must not then copy that backlog on the request thread.
      Atomics.store(state, 0, row.log >= workerData.restartAtFrames && row.log - row.checkpointed <= workerData.leftAtMostFrames ? 1 : 0);
    }
  } catch (error) {
    // A file being replaced or locked for a moment: the next tick tries again.
    if (!/busy|locked/i.test(String(error && error.message))) throw error;
  }
  timer = setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
tick();
`;

/** Starts the thread on the database file at `path` (WAL mode already set by the caller). */
export function startCheckpointer(
  path: string,
  options: CheckpointOptions = {},
): Checkpointer {
  const onProblem = options.onProblem ?? ((text: string, error?: unknown) => console.error(text, error ?? ''));
  const libsql = createRequire(import.meta.url).resolve('libsql');
  // [0]: 1 while the log is long; [1]: checkpoints that copied pages.
  const shared = new SharedArrayBuffer(8);
  const state = new Int32Array(shared);
  const worker = new Worker(threadCode, { eval: true, workerData: { libsql, path, state: shared, everyMs: checkpointEveryMs, restartAtFrames: options.restartAtFrames ?? restartAtFrames, leftAtMostFrames } });
  // The thread never keeps a process alive that has nothing else to do.
  worker.unref();
  let running = true;
  let stopping = false;

  worker.on('error', (error) => {
    running = false;
    onProblem('The checkpoint thread stopped; writes check points themselves again.', error);
  });
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', () => {
      if (running && !stopping) onProblem('The checkpoint thread ended; writes check points themselves again.');
      running = false;
      resolve();
    }),
  );
  return {
    get running() {
      return running;
    },
    get checkpoints() {
      return Atomics.load(state, 1);
    },
    takeLongLog() {
      return Atomics.exchange(state, 0, 0) === 1;
    },
    async stop() {
      if (!running) return;
      stopping = true;
      running = false;
      worker.postMessage('stop');
      // A thread stuck in a long checkpoint is not waited for past a second.
      const limit = setTimeout(() => void worker.terminate(), 1000);
      await exited;
      clearTimeout(limit);
    },
  };
}

/**
 * The statement each write of a process with a checkpointer takes first: off while the thread runs (but a
 * checkpoint as this write commits when the log is long), SQLite's own otherwise.
 */
export function autocheckpointPragma(checkpointer: Checkpointer): string {
  const pages = !checkpointer.running ? defaultAutocheckpointPages : checkpointer.takeLongLog() ? 1 : 0;
  return `PRAGMA wal_autocheckpoint = ${pages}`;
}
