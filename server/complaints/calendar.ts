// Business hours: when the company's deadlines run, in an IANA time zone, over weekdays, holidays and
// weekend days worked instead (调休). Pure; the time zone arithmetic is the runtime's (Intl), not ours.
//
//   type DayHours = { start: "09:00"; end: "18:00" | "24:00" } | null     (null: closed that weekday)
//   interface BusinessCalendar { timeZone; alwaysOpen; week: DayHours[7] (0 = Monday); holidays: "YYYY-MM-DD"[]; extraWorkdays: "YYYY-MM-DD"[] }
//   addBusinessMs(calendar, from: epoch ms, ms) → epoch ms      the earliest instant with `ms` of business time since `from`
//   subtractBusinessMs(calendar, to: epoch ms, ms) → epoch ms   the latest instant with `ms` of business time until `to`
//   businessMsBetween(calendar, from, to) → ms                   business time in [from, to); 0 when to <= from
//   businessHoursOf(calendar, date: "YYYY-MM-DD") → DayHours     the hours a local date is open (holidays, 调休 applied)
//   hasBusinessHours(calendar) → boolean                          false when no weekday is open (such a calendar is refused by the settings)
//
// A holiday closes a date whatever its weekday. An extra workday opens a date with Monday's hours (or, when
// Monday is closed, the first open weekday's). A holiday listed also as an extra workday stays closed.
// Hours are local wall-clock times; on a daylight-saving change a time that does not exist that day (02:30
// when clocks jump from 02:00 to 03:00) moves on by the length of the jump (03:30), and a time that happens
// twice is taken the first time (as Temporal's "compatible" choice). "24:00" is the next local midnight. With alwaysOpen, business time is wall time.
// Cost: a loop over the local days a deadline spans, never over minutes. Intl is asked about a zone's offset
// once per UTC hour (remembered), and a calendar remembers each day's open interval, so repeated calls for a
// batch of cases cost microseconds.
import { zoneOffset } from '../../surveys/time-zones.ts';

export type DayHours = { start: string; end: string } | null;

export interface BusinessCalendar {
  /** IANA name; the reporting time zone (insights settings) by default. */
  timeZone: string;
  /** 24x7: business time is wall time. */
  alwaysOpen: boolean;
  /** 7 entries, index 0 = Monday … 6 = Sunday. */
  week: DayHours[];
  /** "YYYY-MM-DD" local dates closed all day. */
  holidays: string[];
  /** "YYYY-MM-DD" weekend dates worked (调休), with Monday's hours. */
  extraWorkdays: string[];
}

const dayMs = 86_400_000;
const minuteMs = 60_000;

/** "HH:MM" (00:00 to 24:00) → minutes after midnight, or null when it is not such a time. */
export function minutesOf(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 1440 ? minutes : null;
}

/** "YYYY-MM-DD" → days since 1970-01-01, or null when it is not a real date. */
export function dayNumberOf(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / dayMs;
}

// ---- time zone offsets through Intl -------------------------------------------------------------------

const hourMs = 3_600_000;
const hourOffsets = new Map<string, Map<number, number>>();

/**
 * Local wall time minus UTC at an instant, in ms (Asia/Shanghai: +8 h). Remembered per UTC hour when the offset
 * is the same at both ends of that hour (offsets never change twice within an hour).
 */
function offsetAt(timeZone: string, at: number): number {
  let hours = hourOffsets.get(timeZone);
  if (!hours) hourOffsets.set(timeZone, (hours = new Map()));
  const hour = Math.floor(at / hourMs);
  const known = hours.get(hour);
  if (known !== undefined) return known;
  const offset = lookUpOffset(timeZone, at);
  const first = hour * hourMs;
  const last = first + hourMs - 1000;
  if ((at === first || lookUpOffset(timeZone, first) === offset) && (at === last || lookUpOffset(timeZone, last) === offset)) {
    if (hours.size > 20_000) hours.clear();
    hours.set(hour, offset);
  }
  return offset;
}

const lookUpOffset = (timeZone: string, at: number) => zoneOffset(at, timeZone);

/** The local date (days since 1970-01-01) an instant falls on. */
function localDayOf(timeZone: string, at: number): number {
  return Math.floor((at + offsetAt(timeZone, at)) / dayMs);
}

const instantCache = new Map<string, number>();
/** The instant a local wall time (day number + minutes, minutes may be 1440) happens in a zone. */
function instantOf(timeZone: string, dayNumber: number, minutes: number): number {
  const key = `${timeZone}|${dayNumber}|${minutes}`;
  const cached = instantCache.get(key);
  if (cached !== undefined) return cached;
  const wall = dayNumber * dayMs + minutes * minuteMs;
  // The offsets a day either side hold before and after any change of offset near this wall time.
  const before = offsetAt(timeZone, wall - dayMs);
  const after = offsetAt(timeZone, wall + dayMs);
  let at = wall - before;
  if (after !== before) {
    const early = offsetAt(timeZone, wall - before) === before;
    const late = offsetAt(timeZone, wall - after) === after;
    // Twice (clocks went back): the first time. Never (clocks jumped forward): moved on by the length of the jump.
    if (early && late) at = Math.min(wall - before, wall - after);
    else if (late) at = wall - after;
    else at = wall - before;
  }
  if (instantCache.size > 50_000) instantCache.clear();
  instantCache.set(key, at);
  return at;
}

// ---- the calendar's days ----------------------------------------------------------------------------

interface Prepared {
  /** The open interval of each local day visited, in epoch ms. */
  days: Map<number, [number, number] | null>;
  holidays: Set<number>;
  extraWorkdays: Set<number>;
  /** Minutes [start, end) per weekday, 0 = Monday; null when closed. */
  week: ([number, number] | null)[];
  extraHours: [number, number] | null;
  open: boolean;
}

const prepared = new WeakMap<BusinessCalendar, Prepared & { source: unknown[] }>();

/** What the prepared form was made from: a calendar edited in place (a list replaced or grown) is prepared again. */
function sourceOf(calendar: BusinessCalendar): unknown[] {
  return [calendar.week, ...calendar.week.flatMap((hours) => (hours ? [hours.start, hours.end] : [null])), calendar.holidays, calendar.holidays.length, calendar.extraWorkdays, calendar.extraWorkdays.length];
}

function prepare(calendar: BusinessCalendar): Prepared {
  const cached = prepared.get(calendar);
  if (cached) {
    const source = sourceOf(calendar);
    if (source.length === cached.source.length && source.every((item, index) => item === cached.source[index])) return cached;
  }
  const days = (list: string[]) => new Set(list.map(dayNumberOf).filter((day): day is number => day !== null));
  const week = Array.from({ length: 7 }, (_, index) => {
    const hours = calendar.week[index];
    if (!hours) return null;
    const start = minutesOf(hours.start);
    const end = minutesOf(hours.end);
    return start !== null && end !== null && end > start ? ([start, end] as [number, number]) : null;
  });
  const extraHours = week[0] ?? week.find((hours) => hours !== null) ?? null;
  const ready = {
    source: sourceOf(calendar),
    days: new Map<number, [number, number] | null>(),
    holidays: days(calendar.holidays),
    extraWorkdays: days(calendar.extraWorkdays),
    week,
    extraHours,
    open: extraHours !== null,
  };
  prepared.set(calendar, ready);
  return ready;
}

/** 1970-01-01 was a Thursday: index 3 with Monday = 0. */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

function minutesOn(ready: Prepared, dayNumber: number): [number, number] | null {
  if (ready.holidays.has(dayNumber)) return null;
  if (ready.extraWorkdays.has(dayNumber)) return ready.extraHours;
  return ready.week[weekdayOf(dayNumber)]!;
}

/** The open interval [start, end) of a local day in epoch ms, or null when closed. */
function intervalOn(calendar: BusinessCalendar, ready: Prepared, dayNumber: number): [number, number] | null {
  const known = ready.days.get(dayNumber);
  if (known !== undefined) return known;
  const minutes = minutesOn(ready, dayNumber);
  let interval: [number, number] | null = null;
  if (minutes) {
    const start = instantOf(calendar.timeZone, dayNumber, minutes[0]);
    const end = instantOf(calendar.timeZone, dayNumber, minutes[1]);
    // A local date a zone skipped (Pacific/Apia went from 29 to 31 December 2011) has no hours.
    if (end > start && localDayOf(calendar.timeZone, start) === dayNumber) interval = [start, end];
  }
  if (ready.days.size > 20_000) ready.days.clear();
  ready.days.set(dayNumber, interval);
  return interval;
}

/** The hours a local date is open, holidays and extra workdays applied; null when closed all day. */
export function businessHoursOf(calendar: BusinessCalendar, date: string): DayHours {
  if (calendar.alwaysOpen) return { start: '00:00', end: '24:00' };
  const day = dayNumberOf(date);
  if (day === null) return null;
  const minutes = minutesOn(prepare(calendar), day);
  if (!minutes) return null;
  const text = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { start: text(minutes[0]), end: text(minutes[1]) };
}

/** Whether business time ever passes on this calendar (alwaysOpen, or at least one weekday with hours). */
export function hasBusinessHours(calendar: BusinessCalendar): boolean {
  return calendar.alwaysOpen || prepare(calendar).open;
}

function requireOpen(calendar: BusinessCalendar, ready: Prepared) {
  if (!ready.open) throw new Error(`The business calendar in ${calendar.timeZone} has no open weekday, so no deadline can ever fall due.`);
}

/** The earliest instant at which `ms` of business time have passed since `from` (epoch ms). */
export function addBusinessMs(calendar: BusinessCalendar, from: number, ms: number): number {
  if (!Number.isFinite(from) || Number.isNaN(ms) || ms === Infinity) throw new RangeError(`Cannot add ${ms} ms of business time to ${from}.`);
  if (!(ms > 0)) return from;
  if (calendar.alwaysOpen) return from + ms;
  const ready = prepare(calendar);
  requireOpen(calendar, ready);
  let remaining = ms;
  let day = localDayOf(calendar.timeZone, from);
  for (;;) {
    const interval = intervalOn(calendar, ready, day);
    if (interval) {
      const start = Math.max(from, interval[0]);
      if (start < interval[1]) {
        const available = interval[1] - start;
        if (remaining <= available) return start + remaining;
        remaining -= available;
      }
    }
    day += 1;
  }
}

/**
 * The latest instant from which `ms` of business time have passed by `to` (epoch ms): how long ago, on this
 * calendar, something must have started to be `ms` of business time old at `to`. It falls in business hours
 * (at a day's opening when the time runs back exactly to it).
 */
export function subtractBusinessMs(calendar: BusinessCalendar, to: number, ms: number): number {
  if (!Number.isFinite(to) || Number.isNaN(ms) || ms === Infinity) throw new RangeError(`Cannot take ${ms} ms of business time from ${to}.`);
  if (!(ms > 0)) return to;
  if (calendar.alwaysOpen) return to - ms;
  const ready = prepare(calendar);
  requireOpen(calendar, ready);
  let remaining = ms;
  let day = localDayOf(calendar.timeZone, to);
  for (;;) {
    const interval = intervalOn(calendar, ready, day);
    if (interval) {
      const end = Math.min(to, interval[1]);
      if (end > interval[0]) {
        const available = end - interval[0];
        if (remaining <= available) return end - remaining;
        remaining -= available;
      }
    }
    day -= 1;
  }
}

/** Business time (ms) in [from, to); 0 when `to` is not after `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  if (calendar.alwaysOpen) return to - from;
  const ready = prepare(calendar);
  const first = localDayOf(calendar.timeZone, from);
  const last = localDayOf(calendar.timeZone, to);
  let total = 0;
  for (let day = first; day <= last; day += 1) {
    const interval = intervalOn(calendar, ready, day);
    if (!interval) continue;
    const start = Math.max(from, interval[0]);
    const end = Math.min(to, interval[1]);
    if (end > start) total += end - start;
  }
  return total;
}
