// Background work that runs in every server process in steps sized by time. An embedded database runs each
// statement synchronously, so a step holds up the whole process (and every submission with it) while it
// works: each step is sized to take about `stepMs` (the batch follows the time a row took in the last one,
// between `minBatch` and `maxBatch`), and the process gets its turn between steps. While more is waiting,
// steps follow one another; when `rest()` says so (answers are arriving), each step is followed by a rest so
// the work takes at most `busyShare` of the process. When a step finds less than it asked for, the worker
// sleeps `intervalMs` and looks again.

export interface PacedWorker {
  stop(): Promise<void>;
}

export interface PacedWork {
  /** Does up to `batch` rows of work; returns how many it did. */
  step: (batch: number) => Promise<number>;
  /** Whether to rest after a full step; by default always. */
  rest?: () => Promise<boolean>;
  /** Said when a step throws; the worker tries again after `intervalMs`. */
  problem: string;
  onProblem?: (text: string, error: unknown) => void;
  intervalMs?: number;
  stepMs?: number;
  busyShare?: number;
  minBatch?: number;
  maxBatch?: number;
}

export function startPacedWorker(work: PacedWork): PacedWorker {
  const intervalMs = work.intervalMs ?? 500;
  const stepMs = work.stepMs ?? 15;
  const restPerBusy = 1 / (work.busyShare ?? 0.25) - 1;
  const minBatch = work.minBatch ?? 20;
  const maxBatch = work.maxBatch ?? 2000;
  let batch = Math.min(maxBatch, Math.max(minBatch, 100));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        while (!stopped) {
          const asked = batch;
          const started = performance.now();
          const done = await work.step(asked);
          const tookMs = performance.now() - started;
          if (done > 0) batch = Math.min(maxBatch, Math.max(minBatch, Math.round((stepMs * done) / Math.max(tookMs, 0.1))));
          if (done < asked) break;
          const rest = work.rest ? await work.rest() : true;
          await new Promise((resolve) => (rest ? setTimeout(resolve, tookMs * restPerBusy) : setImmediate(resolve)));
        }
      } catch (error) {
        work.onProblem?.(work.problem, error);
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Lets the process answer the requests waiting on it. An embedded database's statements finish without ever
 * going back to the event loop, so a long run of batches would otherwise hold every request until its end.
 */
export const giveTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---- Requests being answered ----
// The app counts the requests this process is answering (its first middleware, server/app.ts), so background
// work can leave the process to them while they arrive and take it back when they stop.

let answering = 0;
let idleWaiters: (() => void)[] = [];

/** Counts a request in for as long as it is being answered. */
export async function countedRequest(next: () => Promise<void>): Promise<void> {
  answering += 1;
  try {
    await next();
  } finally {
    answering -= 1;
    if (answering === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}

/** How many requests this process is answering right now. */
export const requestsBeingAnswered = () => answering;

/** Whether this process is answering a request right now. */
export const answeringRequests = () => answering > 0;

/** Resolves when this process answers no request, or after `limitMs` however busy it is. */
export function whenNoRequests(limitMs: number): Promise<void> {
  if (answering === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      idleWaiters = idleWaiters.filter((waiter) => waiter !== wake);
      resolve();
    }, limitMs);
    idleWaiters.push(wake);
  });
}

/**
 * Between two steps of background work that has more to do: while this process is answering requests, a rest
 * three times as long as the step took and then a wait until no request is being answered (each at most
 * `limitMs`), so arrivals are answered at full speed and the work goes on behind them, a step at least every
 * 2 × `limitMs`; with no request to answer, just a turn for whatever else waits.
 */
export async function makeWayForRequests(stepMs: number, limitMs = 2000): Promise<void> {
  if (!answeringRequests()) return giveTurn();
  await new Promise((resolve) => setTimeout(resolve, Math.min(limitMs, stepMs * 3)));
  await whenNoRequests(limitMs);
}
