// The deadlines a case runs under, as the staff app shows them: which one runs next, how much business time is
// left on it (or how far past it is), and whether it is on track, at risk or breached. The business time itself
// is measured by the calendar's rules (server/complaints/calendar.ts), passed in. Pure: no I/O, no signals.
import type { CaseDeadline, DeadlineAlert } from '../../../server/complaints/vocabulary.ts';

/** The clock columns of a case, as the API answers them (epoch ms, null when a deadline does not run). */
export interface ClockView {
  firstResponseDueAt: number | null;
  /** The 80% marks; a list row may leave them out (its `alert` says where the case stands). */
  firstResponseAtRiskAt?: number | null;
  nextResponseDueAt: number | null;
  nextResponseAtRiskAt?: number | null;
  resolutionDueAt: number | null;
  resolutionAtRiskAt?: number | null;
  /** Set while waiting on the customer: every deadline is paused from then. */
  pausedAt: number | null;
}

export interface RunningDeadline {
  deadline: CaseDeadline;
  dueAt: number;
  atRiskAt: number;
}

/** Business milliseconds from one instant to a later one. */
export type BusinessMeasure = (from: number, to: number) => number;

/** Every deadline that runs, the soonest first. */
export function runningDeadlines(clock: ClockView): RunningDeadline[] {
  const marks: [CaseDeadline, number | null, number | null | undefined][] = [
    ['first_response', clock.firstResponseDueAt, clock.firstResponseAtRiskAt],
    ['next_response', clock.nextResponseDueAt, clock.nextResponseAtRiskAt],
    ['resolution', clock.resolutionDueAt, clock.resolutionAtRiskAt],
  ];
  return marks
    .filter((mark): mark is [CaseDeadline, number, number | null | undefined] => mark[1] !== null)
    .map(([deadline, dueAt, atRiskAt]) => ({ deadline, dueAt, atRiskAt: atRiskAt ?? dueAt }))
    .sort((a, b) => a.dueAt - b.dueAt);
}

/** The deadline that falls first, or null when none runs. */
export function nextDeadline(clock: ClockView): RunningDeadline | null {
  return runningDeadlines(clock)[0] ?? null;
}

/** The instant the clock reads: now, or when the case was paused (a paused clock stands still). */
export function clockTime(clock: Pick<ClockView, 'pausedAt'>, now: number): number {
  return clock.pausedAt !== null && clock.pausedAt < now ? clock.pausedAt : now;
}

/** Where a deadline stands at an instant: null on track, at risk from its 80% mark, breached from its due time. */
export function alertAt(mark: RunningDeadline, at: number): DeadlineAlert | null {
  if (at >= mark.dueAt) return 'breached';
  if (at >= mark.atRiskAt) return 'at_risk';
  return null;
}

/** Business time left until the deadline (positive), or how far past it (negative), at an instant. */
export function businessTimeLeft(measure: BusinessMeasure, dueAt: number, at: number): number {
  return at <= dueAt ? measure(at, dueAt) : -measure(dueAt, at);
}

export interface DeadlineReading extends RunningDeadline {
  /** Business ms left (negative: past it). */
  left: number;
  alert: DeadlineAlert | null;
  paused: boolean;
}

const severity = { at_risk: 1, breached: 2 } as const;

/** The worse of two alerts. */
export function worseAlert(a: DeadlineAlert | null, b: DeadlineAlert | null): DeadlineAlert | null {
  if (a === null) return b;
  if (b === null) return a;
  return severity[a] >= severity[b] ? a : b;
}

/**
 * One deadline read at `now`, paused or not. `known` is the alert the server last recorded for the case (the
 * deadline sweep's), which counts when the marks were left out or the sweep saw more.
 */
export function readDeadline(measure: BusinessMeasure, clock: ClockView, mark: RunningDeadline, now: number, known: DeadlineAlert | null = null): DeadlineReading {
  const at = clockTime(clock, now);
  return { ...mark, left: businessTimeLeft(measure, mark.dueAt, at), alert: worseAlert(alertAt(mark, at), known), paused: clock.pausedAt !== null };
}

/** Hours and minutes of a duration, rounded to the minute (down while time is left, up once it is past). */
export function hoursAndMinutes(ms: number): { hours: number; minutes: number; past: boolean } {
  const past = ms < 0;
  const minutes = past ? Math.ceil(-ms / 60_000) : Math.floor(ms / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60, past };
}
