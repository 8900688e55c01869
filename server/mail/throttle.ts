// Sending pace: at most `perSecond` messages a second from one process, evenly spaced, so a burst of
// thousands of invitations does not trip the SMTP server's own limits.
import { setTimeout as delay } from 'node:timers/promises';

/** When the next send may start: one interval after the previous one, and never in the past. */
export function nextSendAt(previousSendAt: number, nowMs: number, perSecond: number): number {
  return Math.max(nowMs, previousSendAt + 1000 / perSecond);
}

/** Resolves when it is this caller's turn to send; each call takes the next free turn. */
export function createThrottle(perSecond: number) {
  let previousSendAt = -Infinity;
  return async function waitTurn(signal?: AbortSignal): Promise<void> {
    const nowMs = Date.now();
    previousSendAt = nextSendAt(previousSendAt, nowMs, perSecond);
    if (previousSendAt > nowMs) await delay(previousSendAt - nowMs, undefined, { signal });
  };
}
