// The deadline sweep: what happens to cases with time. Once per period (DEADLINE_SWEEP_SECONDS, a minute by
// default) one job, keyed by its period so any number of processes make it once, looks at the cases whose
// watch_at has come (complaint_cases_watch_idx): it records each at-risk or breach mark as an event (keyed by
// the mark, so it is recorded once), sets the case's alert, next watch time and missed deadlines, escalates
// it on a breach, and queues one mail per recipient, all in one transaction per batch. Each case's change is
// a compare-and-set on its version and watch_at, so of two sweeps at once only one acts on a case; the mails'
// Outbox ids come from the event's key and the recipient, so a mail is queued once however often it is tried.
// A process killed mid-batch leaves nothing behind: the batch is rolled back and the next run does it whole.
// The same run closes resolved cases the customer has not answered for closeAfterDays.
import { and, asc, eq, gt, isNotNull, like, lte, or, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Locale } from '../../surveys/definition.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { complaintCases, complaintEvents, settings as settingsTable, users } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { giveTurn } from '../jobs/paced.ts';
import { enqueue, periodicJob, periodKey, type DbOrTx, type JobHandler, type NewJob } from '../jobs/queue.ts';
import { queueMessagesIn, type NewMessage } from '../mail/mailer.ts';
import { businessMsBetween } from './calendar.ts';
import { alertsBetween, type CaseClock } from './deadlines.ts';
import { alertEmail, alertEventKey, alertMessageId, alertRecipients, alertTopic, recipientLocale, type StaffMember } from './notifications.ts';
import { systemActor, transitionIn } from './service.ts';
import { readComplaintSettings, type ComplaintSettings } from './settings.ts';
import { openCaseStatuses, type CaseDeadline, type DeadlineAlert } from './vocabulary.ts';

export const sweepKind = 'complaints.sweep';
const dayMs = 24 * 3600_000;
/** Cases looked at per write transaction. */
export const sweepBatchSize = 1000;

/** The period a moment falls in, as its start (epoch ms). */
export const periodStart = (at: number, periodMs: number) => Math.floor(at / periodMs) * periodMs;

/**
 * The run of one period, keyed by the period's start (fixed width, so keys sort by time): enqueued by every
 * process, made once. It runs at the start of its period.
 */
export function sweepJob(start: number): NewJob {
  return periodicJob(sweepKind, start);
}

/** Makes sure the current period's run exists (each process calls it when it starts); a second call adds nothing. */
export async function scheduleSweep(db: DbOrTx, periodMs: number, now = Date.now()): Promise<{ created: boolean }> {
  const { created } = await enqueue(db, sweepJob(periodStart(now, periodMs)));
  return { created };
}

/** The database's clock, which every process agrees on. */
async function databaseNow(db: Db): Promise<number> {
  const [row] = await db.all<{ now: number }>(sql`SELECT cast(unixepoch('subsec') * 1000 as integer) AS now`);
  return Number(row!.now);
}

// ---- At-risk and breach marks ----

const dueColumn: Record<CaseDeadline, keyof CaseClock> = {
  first_response: 'firstResponseDueAt',
  next_response: 'nextResponseDueAt',
  resolution: 'resolutionDueAt',
};

const dueCaseColumns = {
  id: complaintCases.id,
  version: complaintCases.version,
  status: complaintCases.status,
  reference: complaintCases.reference,
  category: complaintCases.category,
  severity: complaintCases.severity,
  locale: complaintCases.locale,
  assigneeId: complaintCases.assigneeId,
  escalated: complaintCases.escalated,
  alert: complaintCases.alert,
  watchAt: complaintCases.watchAt,
  pausedAt: complaintCases.pausedAt,
  deadlinesMissed: complaintCases.deadlinesMissed,
  firstResponseDueAt: complaintCases.firstResponseDueAt,
  firstResponseAtRiskAt: complaintCases.firstResponseAtRiskAt,
  nextResponseDueAt: complaintCases.nextResponseDueAt,
  nextResponseAtRiskAt: complaintCases.nextResponseAtRiskAt,
  resolutionDueAt: complaintCases.resolutionDueAt,
  resolutionAtRiskAt: complaintCases.resolutionAtRiskAt,
};
type DueCase = Pick<typeof complaintCases.$inferSelect, keyof typeof dueCaseColumns>;

type NewEvent = typeof complaintEvents.$inferInsert;

interface CasePlan {
  id: string;
  version: number;
  watchAtBefore: number;
  alert: DeadlineAlert | null;
  watchAt: number | null;
  deadlinesMissed: string[];
  escalated: boolean;
  events: NewEvent[];
  messages: NewMessage[];
}

export interface SweepContext {
  settings: ComplaintSettings;
  staff: StaffMember[];
  /** The language each staff member chose for the weekly summary, used when their account has none saved. */
  savedLocales: Map<string, Locale>;
  publicUrl: string;
}

const isOpen = (status: string) => (openCaseStatuses as readonly string[]).includes(status);

/** What one due case comes to at `now`: its new columns, its events and its mails. */
export function planCase(row: DueCase, now: number, context: SweepContext): CasePlan {
  const base = { id: row.id, version: row.version, watchAtBefore: row.watchAt! };
  // A case no longer worked, or paused, has no running clock: it is only taken off the sweep's list.
  if (!isOpen(row.status) || row.pausedAt !== null) {
    return { ...base, alert: row.alert, watchAt: null, deadlinesMissed: row.deadlinesMissed, escalated: row.escalated, events: [], messages: [] };
  }
  const clock: CaseClock = row;
  const result = alertsBetween(clock, row.watchAt! - 1, now);
  const breached = result.crossed.filter((mark) => mark.alert === 'breached');
  const deadlinesMissed = [...row.deadlinesMissed];
  for (const mark of breached) if (!deadlinesMissed.includes(mark.deadline)) deadlinesMissed.push(mark.deadline);
  const escalate = breached.length > 0 && !row.escalated;
  const events: NewEvent[] = [];
  const messages: NewMessage[] = [];
  const recipients = alertRecipients(context.staff, row.assigneeId, context.settings.alertManagerIds);
  const category = context.settings.categories.find((entry) => entry.key === row.category);
  for (const mark of result.crossed) {
    const dueAt = clock[dueColumn[mark.deadline]]!;
    const key = alertEventKey(row.id, mark.deadline, mark.alert, dueAt);
    events.push({
      caseId: row.id,
      type: mark.alert === 'at_risk' ? 'deadline_at_risk' : 'deadline_breached',
      actor: 'system',
      before: { alert: row.alert },
      after: { alert: mark.alert, deadline: mark.deadline, dueAt, atRiskAt: mark.alert === 'at_risk' ? mark.at : undefined },
      public: false,
      dedupeKey: key,
      at: now,
    });
    // A deadline whose at-risk and breach marks both passed since the last look is mailed about once, as breached.
    if (mark.alert === 'at_risk' && breached.some((other) => other.deadline === mark.deadline)) continue;
    const businessMs =
      mark.alert === 'at_risk' ? businessMsBetween(context.settings.calendar, now, dueAt) : businessMsBetween(context.settings.calendar, dueAt, now);
    const emails = new Map<Locale, { subject: string; text: string }>();
    for (const person of recipients) {
      const locale = recipientLocale(person, context.savedLocales.get(person.id), row.locale);
      let email = emails.get(locale);
      if (!email) {
        email = alertEmail({
          locale,
          caseId: row.id,
          reference: row.reference,
          severity: row.severity,
          category: category?.label[locale] ?? row.category,
          deadline: mark.deadline,
          alert: mark.alert,
          dueAt,
          businessMs,
          timeZone: context.settings.calendar.timeZone,
          escalated: escalate && mark.alert === 'breached',
          publicUrl: context.publicUrl,
        });
        emails.set(locale, email);
      }
      messages.push({ id: alertMessageId(key, person.id), to: person.email, topic: alertTopic(row.id, mark.alert), ...email });
    }
  }
  if (escalate) {
    events.push({
      caseId: row.id,
      type: 'escalated',
      actor: 'system',
      before: { escalated: false },
      after: { escalated: true, reason: 'deadline_breached', deadlines: breached.map((mark) => mark.deadline) },
      public: false,
      dedupeKey: `escalated:${row.id}:${alertEventKey(row.id, breached[0]!.deadline, 'breached', clock[dueColumn[breached[0]!.deadline]]!)}`,
      at: now,
    });
  }
  return { ...base, alert: result.alert, watchAt: result.watchAt, deadlinesMissed, escalated: row.escalated || escalate, events, messages };
}

/** Every staff account with its language, and the language each saved for the weekly summary; read once per run. */
export async function sweepContext(db: Db, publicUrl: string): Promise<SweepContext> {
  const [settings, staff, saved] = await Promise.all([
    readComplaintSettings(db),
    db.select({ id: users.id, email: users.email, role: users.role, active: users.active, locale: users.locale }).from(users),
    db.select({ key: settingsTable.key, value: settingsTable.value }).from(settingsTable).where(like(settingsTable.key, 'weekly_summary:%')),
  ]);
  const savedLocales = new Map<string, Locale>();
  for (const row of saved) {
    const parsed = v.safeParse(v.object({ locale: v.picklist(['zh-CN', 'en']) }), row.value);
    if (parsed.success) savedLocales.set(row.key.slice('weekly_summary:'.length), parsed.output.locale);
  }
  return { settings, staff, savedLocales, publicUrl };
}

/**
 * Writes a batch of plans: one compare-and-set UPDATE for all of them (a case changed since it was read
 * keeps its change and is left for the next look), then the events and mails of the cases this run won.
 */
async function applyPlans(tx: DbOrTx, plans: CasePlan[], now: number): Promise<CasePlan[]> {
  if (plans.length === 0) return [];
  // The rows go in as one JSON array that SQLite unpacks (json_each): a parameter per column of every row would
  // cost more to build than the writes themselves.
  const changes = plans.map((plan) => ({
    id: plan.id,
    version: plan.version,
    watchBefore: plan.watchAtBefore,
    alert: plan.alert,
    watchAt: plan.watchAt,
    missed: JSON.stringify(plan.deadlinesMissed),
    escalated: plan.escalated ? 1 : 0,
  }));
  const won = await tx.all<{ id: string }>(sql`
    UPDATE complaint_cases
    SET alert = v.alert, watch_at = v.watch_at, deadlines_missed = v.missed, escalated = v.escalated,
        version = complaint_cases.version + 1, updated_at = ${now}
    FROM (SELECT value ->> 'id' AS id, value ->> 'version' AS version, value ->> 'watchBefore' AS watch_before, value ->> 'alert' AS alert,
            value ->> 'watchAt' AS watch_at, value ->> 'missed' AS missed, value ->> 'escalated' AS escalated
          FROM json_each(${JSON.stringify(changes)})) AS v
    WHERE complaint_cases.id = v.id AND complaint_cases.version = v.version AND complaint_cases.watch_at = v.watch_before
    RETURNING complaint_cases.id AS id`);
  const ids = new Set(won.map((row) => row.id));
  const winners = plans.filter((plan) => ids.has(plan.id));
  const events = winners.flatMap((plan) => plan.events);
  for (let start = 0; start < events.length; start += 500) {
    const rows = events.slice(start, start + 500).map((event) => ({
      caseId: event.caseId,
      type: event.type,
      actor: event.actor,
      before: JSON.stringify(event.before),
      after: JSON.stringify(event.after),
      public: event.public ? 1 : 0,
      dedupeKey: event.dedupeKey,
      at: event.at,
    }));
    await tx.run(sql`INSERT INTO complaint_events (case_id, type, actor, before, after, public, dedupe_key, at)
      SELECT value ->> 'caseId', value ->> 'type', value ->> 'actor', value ->> 'before', value ->> 'after', value ->> 'public',
        value ->> 'dedupeKey', value ->> 'at'
      FROM json_each(${JSON.stringify(rows)}) WHERE true
      ON CONFLICT DO NOTHING`);
  }
  await queueMessagesIn(tx, winners.flatMap((plan) => plan.messages));
  return winners;
}

export interface SweepResult {
  /** Cases this run changed. */
  cases: number;
  /** Marks recorded (at risk and breached). */
  marks: number;
  escalated: number;
  messages: number;
}

/**
 * Looks at every case whose watch time has come by `now` (the database's clock when not given). `mailTo`, when
 * given, says which staff members this run may mail (the demo's made-up agents get none); everyone the alert
 * names otherwise.
 */
export async function sweepDeadlines(
  db: Db,
  input: { publicUrl: string; now?: number; batchSize?: number; signal?: AbortSignal; mailTo?: (person: StaffMember) => boolean },
): Promise<SweepResult> {
  const now = input.now ?? (await databaseNow(db));
  const context = await sweepContext(db, input.publicUrl);
  if (input.mailTo) context.staff = context.staff.filter(input.mailTo);
  const limit = input.batchSize ?? sweepBatchSize;
  const result: SweepResult = { cases: 0, marks: 0, escalated: 0, messages: 0 };
  let after: { watchAt: number; id: string } | null = null;
  for (;;) {
    input.signal?.throwIfAborted();
    const rows: DueCase[] = await db
      .select(dueCaseColumns)
      .from(complaintCases)
      .where(
        and(
          isNotNull(complaintCases.watchAt),
          lte(complaintCases.watchAt, now),
          // A resolved case's watch time is when it closes on its own: autoCloseResolved acts on it.
          sql`+${complaintCases.status} <> 'resolved'`,
          after
            ? or(gt(complaintCases.watchAt, after.watchAt), and(eq(complaintCases.watchAt, after.watchAt), gt(complaintCases.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(asc(complaintCases.watchAt), asc(complaintCases.id))
      .limit(limit);
    if (rows.length === 0) break;
    const last = rows.at(-1)!;
    after = { watchAt: last.watchAt!, id: last.id };
    const plans = rows.map((row) => planCase(row, now, context));
    const winners = await db.transaction((tx) => applyPlans(tx, plans, now));
    for (const plan of winners) {
      if (plan.events.length === 0) continue;
      result.cases += 1;
      result.marks += plan.events.filter((event) => event.type !== 'escalated').length;
      result.escalated += plan.events.filter((event) => event.type === 'escalated').length;
      result.messages += plan.messages.length;
    }
    if (rows.length < limit) break;
    await giveTurn();
  }
  return result;
}

// ---- Closing resolved cases nobody answered ----

/**
 * Closes the cases resolved at least closeAfterDays ago with no reply from the customer since, through the
 * workflow's auto_close (status closed, its event by the system, the recovery outcome brought up to date).
 * They are found by their watch time, which resolving set to the moment they close (complaint_cases_watch_idx),
 * at most `maxPerRun` a run, so a backlog (a long outage, a changed window) is worked off over several runs
 * while the process keeps answering. A case changed meanwhile is left for the next run. Returns how many it closed.
 */
export async function autoCloseResolved(db: Db, input: { now?: number; batchSize?: number; maxPerRun?: number } = {}): Promise<number> {
  const now = input.now ?? (await databaseNow(db));
  const settings = await readComplaintSettings(db);
  const cutoff = now - settings.closeAfterDays * dayMs;
  const limit = input.batchSize ?? 200;
  const maxPerRun = input.maxPerRun ?? 5_000;
  let closed = 0;
  let looked = 0;
  let after: { watchAt: number; id: string } | null = null;
  while (looked < maxPerRun) {
    const rows: { id: string; version: number; watchAt: number | null }[] = await db
      .select({ id: complaintCases.id, version: complaintCases.version, watchAt: complaintCases.watchAt })
      .from(complaintCases)
      .where(
        and(
          isNotNull(complaintCases.watchAt),
          lte(complaintCases.watchAt, now),
          sql`+${complaintCases.status} = 'resolved'`,
          lte(complaintCases.resolvedAt, cutoff),
          after
            ? or(gt(complaintCases.watchAt, after.watchAt), and(eq(complaintCases.watchAt, after.watchAt), gt(complaintCases.id, after.id)))
            : undefined,
          sql`NOT EXISTS (SELECT 1 FROM ${complaintEvents} e WHERE e.case_id = ${complaintCases.id} AND e.type = 'customer_replied' AND e.at > ${complaintCases.resolvedAt})`,
        ),
      )
      .orderBy(asc(complaintCases.watchAt), asc(complaintCases.id))
      .limit(Math.min(limit, maxPerRun - looked));
    if (rows.length === 0) break;
    looked += rows.length;
    const last = rows.at(-1)!;
    after = { watchAt: last.watchAt!, id: last.id };
    closed += await db.transaction(async (tx) => {
      let count = 0;
      for (const { id, version } of rows) {
        const [read] = await tx
          .select()
          .from(complaintCases)
          .where(and(eq(complaintCases.id, id), eq(complaintCases.version, version), eq(complaintCases.status, 'resolved')));
        if (!read) continue;
        try {
          await transitionIn(tx, read, 'auto_close', systemActor, settings, now);
          count += 1;
        } catch (error) {
          // Refused (the workflow's own reason) or changed meanwhile: nothing was written for it; the next run looks again.
          if (!(error instanceof DomainError)) throw error;
        }
      }
      return count;
    });
    if (rows.length < limit) break;
    await giveTurn();
  }
  return closed;
}

// ---- The job ----

const SweepPayload = v.object({ start: v.number() });

/** Old runs' finished job rows are removed as the chain goes on: a day of them is kept. */
async function pruneOldRuns(db: Db, start: number) {
  await db.run(
    sql`DELETE FROM jobs WHERE dedupe_key >= ${`${sweepKind}:`} AND dedupe_key < ${periodKey(sweepKind, start - dayMs)} AND status IN ('done', 'dead')`,
  );
}

/**
 * The sweep's job handler. A run first makes sure the next period's run exists, so a run that keeps failing
 * does not end the chain (and each process makes sure of the current one when it starts).
 */
export function sweepHandlers({ db, config }: { db: Db; config: Pick<Config, 'publicUrl' | 'deadlineSweepMs'> }): Record<string, JobHandler> {
  return {
    [sweepKind]: async (payload, context) => {
      const { start } = v.parse(SweepPayload, payload);
      const now = await databaseNow(db);
      await enqueue(db, sweepJob(Math.max(start, periodStart(now, config.deadlineSweepMs)) + config.deadlineSweepMs));
      await sweepDeadlines(db, { publicUrl: config.publicUrl, now, signal: context.signal });
      await autoCloseResolved(db, { now });
      await pruneOldRuns(db, start);
    },
  };
}
