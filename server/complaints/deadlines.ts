// Deadlines over a business calendar: when each falls due, its at-risk mark at 80% of the business time,
// moving them on for a pause, and which marks the deadline sweep has to act on. Pure.
//
//   interface DeadlineTargets { firstResponseHours; nextResponseHours: Record<CaseSeverity, number>; resolutionHours: Record<CaseSeverity, number> }
//   atRiskShare = 0.8
//   interface DeadlineMark { dueAt; atRiskAt }
//   startDeadline(calendar, from, hours) → DeadlineMark
//   interface CaseClock { firstResponseDueAt; firstResponseAtRiskAt; nextResponseDueAt; nextResponseAtRiskAt; resolutionDueAt; resolutionAtRiskAt: number | null }
//   shiftForPause(calendar, clock, pausedAt, resumedAt) → CaseClock
//   alertsBetween(clock, since: number | null, now) → { crossed: { deadline, alert, at }[]; alert; watchAt }
//   watchAtOf(clock, now) → number | null
//   clockMarks(clock) → { deadline, alert, at }[]     every running mark, in time order
//
// A mark "is reached" at its instant: at_risk when now >= atRiskAt, breached when now >= dueAt.
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './calendar.ts';
import type { CaseDeadline, CaseSeverity, DeadlineAlert } from './vocabulary.ts';

export interface DeadlineTargets {
  firstResponseHours: number;
  nextResponseHours: Record<CaseSeverity, number>;
  resolutionHours: Record<CaseSeverity, number>;
}

/** A deadline is at risk once this share of its business time has passed; breached at all of it. */
export const atRiskShare = 0.8;

export interface DeadlineMark {
  dueAt: number;
  atRiskAt: number;
}

/** The columns of complaint_cases that hold the clock (epoch ms; null when that deadline is not running). */
export interface CaseClock {
  firstResponseDueAt: number | null;
  firstResponseAtRiskAt: number | null;
  nextResponseDueAt: number | null;
  nextResponseAtRiskAt: number | null;
  resolutionDueAt: number | null;
  resolutionAtRiskAt: number | null;
}

export interface CrossedMark {
  deadline: CaseDeadline;
  alert: DeadlineAlert;
  at: number;
}

const hourMs = 3_600_000;

/** A deadline of `hours` business hours started at `from`, with its at-risk mark at 80% of that business time. */
export function startDeadline(calendar: BusinessCalendar, from: number, hours: number): DeadlineMark {
  const ms = Math.round(hours * hourMs);
  return {
    dueAt: addBusinessMs(calendar, from, ms),
    atRiskAt: addBusinessMs(calendar, from, Math.round(ms * atRiskShare)),
  };
}

const fields: [CaseDeadline, keyof CaseClock, keyof CaseClock][] = [
  ['first_response', 'firstResponseDueAt', 'firstResponseAtRiskAt'],
  ['next_response', 'nextResponseDueAt', 'nextResponseAtRiskAt'],
  ['resolution', 'resolutionDueAt', 'resolutionAtRiskAt'],
];

/**
 * After a pause (waiting on the customer) from pausedAt to resumedAt, every mark still ahead at pausedAt keeps
 * the business time it had left: it moves later by the business time the pause took. A mark already reached
 * when the pause began stays where it is (it has been alerted on). Nulls stay null.
 */
export function shiftForPause(calendar: BusinessCalendar, clock: CaseClock, pausedAt: number, resumedAt: number): CaseClock {
  if (!(resumedAt > pausedAt)) return { ...clock };
  const shift = (at: number | null) => (at === null || at <= pausedAt ? at : addBusinessMs(calendar, resumedAt, businessMsBetween(calendar, pausedAt, at)));
  return {
    firstResponseDueAt: shift(clock.firstResponseDueAt),
    firstResponseAtRiskAt: shift(clock.firstResponseAtRiskAt),
    nextResponseDueAt: shift(clock.nextResponseDueAt),
    nextResponseAtRiskAt: shift(clock.nextResponseAtRiskAt),
    resolutionDueAt: shift(clock.resolutionDueAt),
    resolutionAtRiskAt: shift(clock.resolutionAtRiskAt),
  };
}

/** Every running mark of a clock, earliest first (at_risk before breached at the same instant). */
export function clockMarks(clock: CaseClock): CrossedMark[] {
  const marks: CrossedMark[] = [];
  for (const [deadline, due, atRisk] of fields) {
    const atRiskAt = clock[atRisk];
    const dueAt = clock[due];
    if (atRiskAt !== null) marks.push({ deadline, alert: 'at_risk', at: atRiskAt });
    if (dueAt !== null) marks.push({ deadline, alert: 'breached', at: dueAt });
  }
  return marks.sort((a, b) => a.at - b.at || (a.alert === b.alert ? 0 : a.alert === 'at_risk' ? -1 : 1));
}

/** The earliest running mark after `now`: when the sweep must look at the case next; null when none is ahead. */
export function watchAtOf(clock: CaseClock, now: number): number | null {
  let next: number | null = null;
  for (const [, due, atRisk] of fields) {
    for (const at of [clock[atRisk], clock[due]]) if (at !== null && at > now && (next === null || at < next)) next = at;
  }
  return next;
}

/**
 * What the sweep does at `now` for a case it last looked at `since` (null: never): the marks reached in
 * (since, now] in time order (a deadline whose at-risk and breach marks both passed while nobody looked gives
 * both; the caller may send only the breach), the worst alert any running deadline is at now, and the next
 * instant to look.
 */
export function alertsBetween(
  clock: CaseClock,
  since: number | null,
  now: number,
): { crossed: CrossedMark[]; alert: DeadlineAlert | null; watchAt: number | null } {
  const marks = clockMarks(clock);
  const crossed = marks.filter((mark) => mark.at <= now && (since === null || mark.at > since));
  let alert: DeadlineAlert | null = null;
  for (const mark of marks) {
    if (mark.at > now) continue;
    if (mark.alert === 'breached') alert = 'breached';
    else if (alert === null) alert = 'at_risk';
  }
  return { crossed, alert, watchAt: watchAtOf(clock, now) };
}
