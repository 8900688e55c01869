// The weekly summary email: every Monday at 08:00 in the reporting time zone, each manager or admin who
// opted in gets last week's headline figures against the week before. One job per week, keyed by its
// Monday, so any number of processes schedule it once; each run schedules the next, and its messages carry
// ids made from the week and the reader, so a run retried after a crash queues nothing twice.
import { and, asc, eq, inArray } from 'drizzle-orm';
import * as v from 'valibot';
import type { Locale } from '../../surveys/definition.ts';
import { addDays, dayOf, dayStart, previousPeriod, type DayRange } from '../../surveys/indices/periods.ts';
import { localMinutes } from '../campaigns/rules.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { enqueue, type JobHandler, type NewJob } from '../jobs/queue.ts';
import { queueMessages, type NewMessage } from '../mail/mailer.ts';
import { pendingResponses } from './processor.ts';
import { insightContext } from './filter.ts';
import { overview } from './reports.ts';
import { readInsightSettings, readSubscription } from './settings.ts';
import { comingRunDay, runInstant, summaryEmail, summaryWeek, type SummaryReport } from './summary-text.ts';
import type { InsightFilter } from './types.ts';

export const weeklySummaryKind = 'insights.weekly-summary';

const Payload = v.object({ runDay: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)) });

/** The run due on a Monday, at 08:00 in the time zone; its key names the Monday. Its retries span hours, long enough for a rebuild. */
export function weeklySummaryJob(runDay: string, timeZone: string): NewJob {
  return { kind: weeklySummaryKind, payload: { runDay }, dedupeKey: `${weeklySummaryKind}:${runDay}`, runAt: runInstant(runDay, timeZone), maxAttempts: 12 };
}

/** Makes sure the coming Monday's run exists (called when a process starts); a second call adds nothing. */
export async function scheduleWeeklySummary(db: Db, now = Date.now()): Promise<{ runDay: string; created: boolean }> {
  const { timeZone } = await readInsightSettings(db);
  const runDay = comingRunDay(dayOf(now, timeZone), localMinutes(now, timeZone));
  const { created } = await enqueue(db, weeklySummaryJob(runDay, timeZone));
  return { runDay, created };
}

const dashboardUrl = (publicUrl: string, week: DayRange, surveyId: string | null) =>
  `${publicUrl.replace(/\/$/, '')}/app/insights?${new URLSearchParams({ from: week.from, to: week.to, ...(surveyId ? { survey: surveyId } : {}), flagged: 'exclude' })}`;

/** A week's figures across all surveys and per survey that had responses, flagged responses left out. */
export async function weeklySummaryReport(db: Db, week: DayRange, publicUrl: string): Promise<SummaryReport> {
  const context = await insightContext(db);
  const filter: InsightFilter = { ...week, surveyId: null, channels: [], segment: null, excludeFlagged: true };
  const all = await overview(context, filter);
  const surveys: SummaryReport['surveys'] = [];
  for (const survey of context.surveys) {
    const report = await overview(context, { ...filter, surveyId: survey.id });
    const responses = report.figures.find((figure) => figure.metric.kind === 'responses')?.current.value ?? 0;
    if (responses === 0) continue;
    surveys.push({ id: survey.id, title: survey.definition.title, figures: report.figures, dashboardUrl: dashboardUrl(publicUrl, week, survey.id) });
  }
  return {
    week,
    previous: previousPeriod(week),
    figures: all.figures,
    surveys,
    responseRates: all.responseRates,
    flaggedLeftOut: all.flagged.any,
    dashboardUrl: dashboardUrl(publicUrl, week, null),
  };
}

/** Active managers and admins who asked for the summary, with the language they chose. */
async function subscribers(db: Db): Promise<{ id: string; email: string; locale: Locale }[]> {
  const staff = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ['manager', 'admin'])))
    .orderBy(asc(users.id));
  const out = [];
  for (const person of staff) {
    const subscription = await readSubscription(db, person.id, 'zh-CN');
    if (subscription.weeklySummary) out.push({ ...person, locale: subscription.locale });
  }
  return out;
}

/** The message id of one reader's summary of one week: the same on every attempt of the run. */
export const summaryMessageId = (week: DayRange, userId: string) => `weekly-summary-${week.from}-${userId}`;

/** The run of a Monday: schedules the next one, then queues this week's emails. Returns how many were queued. */
export async function sendWeeklySummary(db: Db, config: Pick<Config, 'publicUrl'>, runDay: string, now = Date.now()): Promise<number> {
  // The next run is scheduled first, so a run that keeps failing does not end the weekly chain.
  const { timeZone } = await readInsightSettings(db);
  const nextDay = addDays(runDay, 7);
  const overdue = runInstant(nextDay, timeZone) <= now;
  await enqueue(db, weeklySummaryJob(overdue ? comingRunDay(dayOf(now, timeZone), localMinutes(now, timeZone)) : nextDay, timeZone));
  // A run held up past the next Monday (every process was down) leaves the old week to that one.
  if (overdue) return 0;

  const readers = await subscribers(db);
  if (readers.length === 0) return 0;
  const week = summaryWeek(runDay);
  // The processor every server runs counts responses in; after a rebuild it may still be at last week's.
  const waiting = await pendingResponses(db, dayStart(addDays(week.to, 1), timeZone));
  if (waiting > 0) throw new Error(`the week's responses are still being counted (${waiting} to go); the summary waits for them`);
  const report = await weeklySummaryReport(db, week, config.publicUrl);
  const emails = new Map<Locale, ReturnType<typeof summaryEmail>>();
  const messages: NewMessage[] = readers.map((reader) => {
    let email = emails.get(reader.locale);
    if (!email) emails.set(reader.locale, (email = summaryEmail(report, reader.locale)));
    return { id: summaryMessageId(week, reader.id), to: reader.email, ...email, topic: `${weeklySummaryKind}:${week.from}` };
  });
  await queueMessages(db, messages);
  return messages.length;
}

/** The job handler of the weekly summary, for the worker of every server process. */
export function weeklySummaryHandlers({ db, config }: { db: Db; config: Pick<Config, 'publicUrl'> }): Record<string, JobHandler> {
  return {
    [weeklySummaryKind]: async (payload) => {
      const { runDay } = v.parse(Payload, payload);
      await sendWeeklySummary(db, config, runDay);
    },
  };
}
