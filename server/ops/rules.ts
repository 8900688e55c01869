// Pure rules of the operations endpoints: what makes the process ready, and how a request is named in logs and metrics.

/** A due job waiting this long while no job is being worked, or a lease run out this long ago: the queue is stuck. */
export const queueStuckAfterMs = 5 * 60_000;

export interface QueueFacts {
  /** Since when the longest-waiting due job has waited (epoch ms: when it fell due, or was enqueued if later), or null when none is due. */
  oldestDueAt: number | null;
  /** Jobs being worked under a lease that has not run out. */
  runningLive: number;
  /** When the longest-expired lease of a job still marked running ran out (epoch ms), or null. */
  oldestExpiredLeaseAt: number | null;
}

export interface Check {
  ok: boolean;
  /** What was found, in words an operator acts on. */
  detail: string;
}

/**
 * The queue is stuck when due work waits and nothing is being worked (no process leases jobs), or when a job
 * holds a lease that ran out long ago (no process takes expired leases back). A long queue being worked at
 * its pace (mail at MAIL_PER_SECOND) is behind, not stuck.
 */
export function queueCheck(facts: QueueFacts, now: number, stuckAfterMs = queueStuckAfterMs): Check {
  const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min`;
  if (facts.oldestExpiredLeaseAt !== null && now - facts.oldestExpiredLeaseAt >= stuckAfterMs) {
    return {
      ok: false,
      detail: `A running job's lease ran out ${minutes(now - facts.oldestExpiredLeaseAt)} ago and no process has taken it back: is any process running with WORKER=on?`,
    };
  }
  if (facts.oldestDueAt !== null && facts.runningLive === 0 && now - facts.oldestDueAt >= stuckAfterMs) {
    return {
      ok: false,
      detail: `Jobs have been due for ${minutes(now - facts.oldestDueAt)} and no process is working any: is any process running with WORKER=on?`,
    };
  }
  const waiting = facts.oldestDueAt === null ? 'no job due' : `the oldest due job waiting ${Math.max(0, Math.round((now - facts.oldestDueAt) / 1000))} s`;
  return { ok: true, detail: `${waiting}, ${facts.runningLive} running` };
}

export interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations of the journal the database has not applied (drizzle records each by its journal time). */
export function missingMigrations(journal: readonly JournalEntry[], appliedTimes: readonly number[]): string[] {
  const applied = new Set(appliedTimes);
  return journal.filter((entry) => !applied.has(entry.when)).map((entry) => entry.tag);
}

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A request's method as a label: any other word a client sends counts as OTHER, so labels stay few. */
export const methodLabel = (method: string) => (knownMethods.has(method) ? method : 'OTHER');
