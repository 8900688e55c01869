// A timing trace of what holds a server process up, written as one JSON line per event when LOG_LEVEL is
// debug: each write's wait for its turn and how long it held it (and the event loop, since an embedded write
// is synchronous), event-loop stalls and garbage-collection pauses. bench/submissions-alone.ts
// --trace lines these up with the slow requests of a load run.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export type TraceEvent =
  | { event: 'write'; what: string; waitMs: number; holdMs: number; blockedMs: number; statements: number; slowest: string }
  | { event: 'read'; what: string; ms: number }
  | { event: 'fold'; rows: number; ms: number; readMs: number; checkMs: number; computeMs: number; writeMs: number }
  | { event: 'stall'; ms: number }
  | { event: 'loop'; p50Ms: number; p99Ms: number; maxMs: number }
  | { event: 'gc'; kind: string; ms: number };

export interface Tracer {
  record(event: TraceEvent): void;
  stop(): void;
}

/** Writes events as JSON lines with the wall-clock end time `at` (epoch ms); stalls from `stallMs` on. */
export function startTracer(write: (line: string) => void = (line) => process.stdout.write(line + '\n'), stallMs = 20): Tracer {
  const record = (event: TraceEvent) => write(JSON.stringify({ at: Math.round(performance.timeOrigin + performance.now()), ...event }));
  const round = (ms: number) => Math.round(ms * 10) / 10;

  // A timer that fires late by more than stallMs marks a stall that ended when it fired.
  const tickMs = 10;
  let expected = performance.now() + tickMs;
  const ticker = setInterval(() => {
    const late = performance.now() - expected;
    if (late >= stallMs) record({ event: 'stall', ms: round(late + tickMs) });
    expected = performance.now() + tickMs;
  }, tickMs);
  ticker.unref();

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const summary = setInterval(() => {
    record({ event: 'loop', p50Ms: round(delay.percentile(50) / 1e6), p99Ms: round(delay.percentile(99) / 1e6), maxMs: round(delay.max / 1e6) });
    delay.reset();
  }, 1000);
  summary.unref();

  const gcKinds: Record<number, string> = { 1: 'scavenge', 2: 'mark-sweep-compact', 4: 'incremental', 8: 'weak-callbacks', 16: 'minor-mark-sweep' };
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind ?? 0;
      if (entry.duration >= 1) record({ event: 'gc', kind: gcKinds[kind] ?? String(kind), ms: round(entry.duration) });
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  return {
    record,
    stop() {
      clearInterval(ticker);
      clearInterval(summary);
      delay.disable();
      gc.disconnect();
    },
  };
}
