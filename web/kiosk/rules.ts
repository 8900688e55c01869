// The kiosk device's rules with no I/O: what a reply means for a queued answer, how long to wait before
// sending again, and where an idle form stands.
import { retryDelayMs as backoffDelay } from '../../server/jobs/backoff.ts';

/** sent: the server has it (stored or duplicate); retry: try again later; refused: the server will never take it as is. */
export type Delivery = 'sent' | 'retry' | 'refused';

/** What an HTTP status (or no reply at all) means for an answer waiting in the outbox. */
export function deliveryOf(status: number | 'network-error'): Delivery {
  if (status === 'network-error') return 'retry';
  if (status === 200 || status === 201) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status >= 400) return 'refused';
  // A redirect or another odd reply (a captive portal, a proxy) is not a confirmation.
  return 'retry';
}

const firstRetryMs = 2_000;
const maxRetryMs = 60_000;

/** Exponential backoff after `failures` failed attempts in a row: 2 s, 4 s, 8 s … at most a minute (the job queue's, at its top). */
export function retryDelayMs(failures: number): number {
  return backoffDelay(failures, { baseMs: firstRetryMs, maxMs: maxRetryMs }, 1);
}

export type IdlePhase = { kind: 'active' } | { kind: 'warning'; secondsLeft: number } | { kind: 'reset' };

/** Seconds of visible countdown before an idle form resets: a tenth of the idle time, from 2 to 10. */
export function countdownSeconds(idleSeconds: number): number {
  return Math.min(10, Math.max(2, Math.round(idleSeconds / 10)), Math.max(1, idleSeconds - 1));
}

/** Where a partly filled form stands after `idleMs` without a touch. */
export function idlePhase(idleMs: number, idleSeconds: number): IdlePhase {
  const limitMs = idleSeconds * 1000;
  if (idleMs >= limitMs) return { kind: 'reset' };
  const warnMs = limitMs - countdownSeconds(idleSeconds) * 1000;
  if (idleMs < warnMs) return { kind: 'active' };
  return { kind: 'warning', secondsLeft: Math.ceil((limitMs - idleMs) / 1000) };
}
