// When a failed job runs again: exponential backoff with jitter, so jobs that failed together
// (an SMTP server that was down) do not all come back in the same instant.

export interface Backoff {
  /** Delay after the first failure, before jitter. */
  baseMs: number;
  /** No delay grows beyond this. */
  maxMs: number;
}

export const defaultBackoff: Backoff = { baseMs: 5_000, maxMs: 3_600_000 };

/**
 * Delay before the next attempt after `attempt` attempts have failed (attempt ≥ 1): base·2^(attempt-1),
 * capped at maxMs, of which the upper half is random ("equal jitter"): the delay never drops below half
 * the exponential step, and never exceeds it. `random` is a number in [0, 1).
 */
export function retryDelayMs(attempt: number, backoff: Backoff = defaultBackoff, random: number = Math.random()): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const jitter = Math.min(Math.max(random, 0), 1);
  return Math.round(step / 2 + (step / 2) * jitter);
}
