// What /ready checks and what /metrics reports, read from the database with statements that stay cheap on a
// large database: each walks an index over the few rows it needs (due and running jobs), or counts one index.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import { pendingResponses } from '../insights/processor.ts';
import { countCustomersWaitingForUpdate } from '../loyalty/updates.ts';
import { mailSendKind } from '../mail/mailer.ts';
import { migrationsFolder } from '../paths.ts';
import { missingMigrations, queueCheck, type Check, type JournalEntry } from './rules.ts';

const dbNowMs = `cast(unixepoch('subsec') * 1000 as integer)`;

let journal: JournalEntry[] | undefined;
/** The migrations this build carries (migrations/meta/_journal.json), read once. */
function journalEntries(): JournalEntry[] {
  journal ??= (JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
  return journal;
}

export interface Readiness {
  ready: boolean;
  checks: { database: Check; migrations: Check; queue: Check };
}

export async function readiness(db: Db): Promise<Readiness> {
  try {
    await db.$client.execute('SELECT 1');
  } catch (error) {
    const unchecked = { ok: false, detail: 'Not checked: the database cannot be reached.' };
    return {
      ready: false,
      checks: {
        database: { ok: false, detail: `The database cannot be reached: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}` },
        migrations: unchecked,
        queue: unchecked,
      },
    };
  }
  const [migrations, queue] = await Promise.all([migrationsCheck(db), queueReadiness(db)]);
  return { ready: migrations.ok && queue.ok, checks: { database: { ok: true, detail: 'reachable' }, migrations, queue } };
}

async function migrationsCheck(db: Db): Promise<Check> {
  const entries = journalEntries();
  let applied: number[];
  try {
    const result = await db.$client.execute('SELECT created_at FROM __drizzle_migrations');
    applied = result.rows.map((row) => Number(row[0]));
  } catch {
    applied = [];
  }
  const missing = missingMigrations(entries, applied);
  return missing.length === 0
    ? { ok: true, detail: `all ${entries.length} applied` }
    : {
        ok: false,
        detail: `${missing.length} of ${entries.length} migrations not applied (${missing.join(', ')}): a server process applies them as it starts; restart one of this version.`,
      };
}

async function queueReadiness(db: Db): Promise<Check> {
  const result = await db.$client.execute(
    // Mail waits for a process with SMTP_URL, which may be none by choice (the Outbox says so): it is not a stuck queue.
    // A queue whose workers are gone is seen by the other kinds, which fall due every second or minute.
    // A job enqueued to run at a time already past (an event's invitation) has waited since it was enqueued. The
    // first thousand due jobs in line are looked at, so the check stays cheap however long the queue.
    `SELECT (SELECT min(max(run_at, created_at)) FROM (SELECT run_at, created_at FROM jobs
              WHERE status = 'pending' AND kind <> '${mailSendKind}' AND run_at <= ${dbNowMs} ORDER BY run_at LIMIT 1000)),
            (SELECT count(*) FROM jobs WHERE status = 'running' AND lease_until > ${dbNowMs}),
            (SELECT min(lease_until) FROM jobs WHERE status = 'running' AND lease_until <= ${dbNowMs}),
            ${dbNowMs}`,
  );
  const row = result.rows[0]!;
  const [oldestDueAt, runningLive, oldestExpiredLeaseAt, now] = [row[0], row[1], row[2], row[3]];
  return queueCheck(
    {
      oldestDueAt: oldestDueAt === null ? null : Number(oldestDueAt),
      runningLive: Number(runningLive),
      oldestExpiredLeaseAt: oldestExpiredLeaseAt === null ? null : Number(oldestExpiredLeaseAt),
    },
    Number(now),
  );
}

export interface ScrapeFacts {
  /** Pending and running jobs by kind, with how long the due job first in line has waited (seconds, 0 when none is due). */
  jobs: { kind: string; pending: number; running: number; oldestDueAgeSeconds: number }[];
  deadJobs: number;
  /** Outgoing messages still to send (held, sending) or failed, by status. */
  mail: { status: string; count: number }[];
  insightsWaiting: number;
  loyaltyWaiting: number;
}

export async function scrapeFacts(db: Db): Promise<ScrapeFacts> {
  const [jobRows, dead, mail, insightsWaiting, loyaltyWaiting] = await Promise.all([
    // Counted from jobs_kind_idx alone (status, kind, run_at); one row per kind is read, the job first in line,
    // whose wait runs from when it fell due or, enqueued to run at a time already past, from when it was enqueued.
    db.$client.execute(
      `SELECT status, kind, count(*),
              (SELECT max(first.run_at, first.created_at) FROM jobs AS first
                WHERE first.status = 'pending' AND first.kind = queued.kind AND first.run_at <= ${dbNowMs} ORDER BY first.run_at LIMIT 1),
              ${dbNowMs}
         FROM jobs AS queued WHERE status IN ('pending', 'running') GROUP BY status, kind`,
    ),
    db.$client.execute(`SELECT count(*) FROM jobs WHERE status = 'dead'`),
    // Messages still to send or failed, from outgoing_messages_status_idx; sent and skipped ones, which only grow,
    // are counted by each process as it sends (satisfaction_mail_outcomes_total).
    db.$client.execute(`SELECT status, count(*) FROM outgoing_messages WHERE status IN ('held', 'sending', 'failed') GROUP BY status`),
    pendingResponses(db),
    countCustomersWaitingForUpdate(db),
  ]);
  const byKind = new Map<string, ScrapeFacts['jobs'][number]>();
  for (const row of jobRows.rows) {
    const kind = String(row[1]);
    const entry = byKind.get(kind) ?? { kind, pending: 0, running: 0, oldestDueAgeSeconds: 0 };
    if (row[0] === 'pending') {
      entry.pending = Number(row[2]);
      entry.oldestDueAgeSeconds = row[3] === null ? 0 : Math.max(0, (Number(row[4]) - Number(row[3])) / 1000);
    } else {
      entry.running = Number(row[2]);
    }
    byKind.set(kind, entry);
  }
  return {
    jobs: [...byKind.values()],
    deadJobs: Number(dead.rows[0]![0]),
    mail: mail.rows.map((row) => ({ status: String(row[0]), count: Number(row[1]) })),
    insightsWaiting,
    loyaltyWaiting,
  };
}
