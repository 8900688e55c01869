// The pure rules of phone interviews: what an outcome does to an invitation, the order of the call list,
// when a call can next be made, and local times in the customer's time zone. No I/O: the staff app uses
// the time-zone helpers too.
import { localMinutes, minutesOf, withinCallingHours } from '../campaigns/rules.ts';
import type { CallOutcome, CallState } from '../campaigns/vocabulary.ts';
import { zoneOffset } from '../../surveys/time-zones.ts';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

export const noAnswerRetryMs = 2 * hourMs;
export const busyRetryMs = 15 * minuteMs;
export const claimMs = 15 * minuteMs;
export const callbackHorizonMs = 30 * dayMs;

export interface CallingHours {
  start: string;
  end: string;
}

export interface PhoneSettings {
  maxAttempts: number;
  callingHours: CallingHours;
  script?: { en: string; 'zh-CN': string } | undefined;
}

export const defaultPhoneSettings: PhoneSettings = { maxAttempts: 5, callingHours: { start: '09:00', end: '20:00' } };

/** Outcomes where someone picked up and spoke: they count as delivered and started in the funnel. */
export const connectedOutcomes: readonly CallOutcome[] = ['completed', 'refused', 'callback'];

export interface AfterOutcome {
  callState: CallState;
  /** When the invitation may be called again; null once it is closed. */
  nextCallAt: number | null;
}

/**
 * Where an invitation stands after a call. `attempts` counts this call. A callback counts as an attempt,
 * but is honoured once even when it was the last one allowed: the customer asked for that call, so it is
 * made; only when it comes to no answer, busy or another callback past the limit are the attempts used up.
 */
export function afterOutcome(input: {
  outcome: CallOutcome;
  attempts: number;
  maxAttempts: number;
  now: number;
  callbackAt?: number | undefined;
}): AfterOutcome {
  const { outcome, attempts, maxAttempts, now } = input;
  switch (outcome) {
    case 'completed':
    case 'refused':
    case 'wrong_number':
      return { callState: outcome, nextCallAt: null };
    case 'no_answer':
    case 'busy':
      if (attempts >= maxAttempts) return { callState: 'attempts_used', nextCallAt: null };
      return { callState: 'open', nextCallAt: now + (outcome === 'busy' ? busyRetryMs : noAnswerRetryMs) };
    case 'callback':
      if (attempts > maxAttempts) return { callState: 'attempts_used', nextCallAt: null };
      return { callState: 'open', nextCallAt: input.callbackAt ?? now };
  }
}

/** Why a requested callback time cannot be taken, or null when it can. */
export function callbackProblem(callbackAt: number, now: number): 'past' | 'too_far' | null {
  if (callbackAt <= now) return 'past';
  if (callbackAt - now > callbackHorizonMs) return 'too_far';
  return null;
}

/** Whether the customer's local time is inside the calling hours; false when the time zone is unknown. */
export function insideCallingHours(now: number, timeZone: string, hours: CallingHours): boolean {
  try {
    return withinCallingHours(now, timeZone, hours);
  } catch {
    // An unknown time zone: nobody can tell the customer's local time, so they are not called.
    return false;
  }
}

/**
 * The first moment at or after `from` that falls inside the calling hours in this time zone (to the
 * minute), or null when the zone or the hours cannot be read.
 */
export function nextCallableAt(from: number, timeZone: string, hours: CallingHours): number | null {
  const start = minutesOf(hours.start);
  if (start === null || minutesOf(hours.end) === null) return null;
  if (insideCallingHours(from, timeZone, hours)) return from;
  let local: number;
  try {
    local = localMinutes(from, timeZone);
  } catch {
    return null;
  }
  const wholeMinute = from - (from % minuteMs);
  const candidate = wholeMinute + (((start - local + 1440) % 1440) || 1440) * minuteMs;
  // A daylight-saving change can move the local clock: step forward until the hours really open.
  for (let step = 0; step < 180; step++) {
    const at = candidate + (step - 60) * minuteMs;
    if (at >= from && insideCallingHours(at, timeZone, hours)) return at;
  }
  return null;
}

/** The open invitations of one time zone in a campaign, as the call list sees them. */
export interface ZoneQueue {
  timeZone: string;
  /** Open invitations not held by another interviewer. */
  open: number;
  /** The earliest nextCallAt among them. */
  firstDueAt: number;
}

export type NobodyReason = 'all_done' | 'in_progress' | 'outside_hours' | 'later';

/**
 * Why nobody can be called now and when someone can: all done; the due ones are being called by others;
 * the customers' calling hours have not begun; or the retries and callbacks are due later.
 */
export function whyNobody(zones: readonly ZoneQueue[], now: number, hours: CallingHours, heldByOthers: number) {
  const waiting = zones.filter((zone) => zone.open > 0);
  if (waiting.length === 0) {
    return { reason: (heldByOthers > 0 ? 'in_progress' : 'all_done') as NobodyReason, nextAt: null };
  }
  let nextAt: number | null = null;
  let reason: NobodyReason = 'later';
  for (const zone of waiting) {
    const due = Math.max(now, zone.firstDueAt);
    const at = nextCallableAt(due, zone.timeZone, hours);
    if (at === null) continue;
    if (nextAt === null || at < nextAt) {
      nextAt = at;
      reason = at > due ? 'outside_hours' : 'later';
    }
  }
  return { reason, nextAt };
}

/** The date and time a clock in this time zone shows at `at`, as a datetime-local value (YYYY-MM-DDTHH:MM). */
export function localDateTime(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** The instant a clock in this time zone shows a datetime-local value (YYYY-MM-DDTHH:MM); null if unreadable. */
export function instantOfLocal(value: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  try {
    // The zone's offset at the guess, then again at the corrected time in case a daylight change lies between.
    let at = asUtc - zoneOffset(asUtc, timeZone);
    at = asUtc - zoneOffset(at, timeZone);
    return at;
  } catch {
    return null;
  }
}

