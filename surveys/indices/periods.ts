// Time on the dashboard: days in a reporting time zone, rolled up into weeks, months and quarters, and the
// period before a chosen one. Pure; days are "YYYY-MM-DD" strings, the unit aggregates
// are kept in.
import { zoneOffset } from '../time-zones.ts';

export const bucketUnits = ['day', 'week', 'month', 'quarter'] as const;
export type BucketUnit = (typeof bucketUnits)[number];

const dayMs = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const recentDays = new Map<string, string>();
// Every zone's offset from UTC is a whole number of quarter hours, so all instants in one quarter hour
// fall on the same local day: formatting once per quarter hour serves a million responses.
const quarterHourMs = 900_000;

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayOf(epochMs: number, timeZone: string): string {
  const key = `${timeZone} ${Math.floor(epochMs / quarterHourMs)}`;
  const known = recentDays.get(key);
  if (known !== undefined) return known;
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const day = formatter.format(epochMs);
  if (recentDays.size >= 100_000) recentDays.clear();
  recentDays.set(key, day);
  return day;
}

function toUtc(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, date);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * dayMs);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / dayMs);
}

/** The first day of the bucket a day falls in: weeks start on Monday (ISO), quarters in Jan, Apr, Jul, Oct. */
export function bucketOf(day: string, unit: BucketUnit): string {
  switch (unit) {
    case 'day':
      return day;
    case 'week': {
      const weekday = (new Date(toUtc(day)).getUTCDay() + 6) % 7;
      return addDays(day, -weekday);
    }
    case 'month':
      return `${day.slice(0, 7)}-01`;
    case 'quarter': {
      const month = Number(day.slice(5, 7));
      const first = month - ((month - 1) % 3);
      return `${day.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
    }
  }
}

/** Every bucket start from the bucket of `from` to that of `to`, so empty buckets show as gaps, not as nothing. */
export function bucketsBetween(from: string, to: string, unit: BucketUnit): string[] {
  const last = bucketOf(to, unit);
  const starts: string[] = [];
  for (let start = bucketOf(from, unit); start <= last; start = nextBucket(start, unit)) starts.push(start);
  return starts;
}

function nextBucket(start: string, unit: BucketUnit): string {
  if (unit === 'day') return addDays(start, 1);
  if (unit === 'week') return addDays(start, 7);
  const months = unit === 'month' ? 1 : 3;
  const year = Number(start.slice(0, 4));
  const month = Number(start.slice(5, 7)) - 1 + months;
  return `${year + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
}

export interface DayRange {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/** The range of the same length that ends the day before this one starts. */
export function previousPeriod(range: DayRange): DayRange {
  const length = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

/** The instant a calendar day begins in a time zone, in epoch ms. */
export function dayStart(day: string, timeZone: string): number {
  const midnightUtc = toUtc(day);
  const first = midnightUtc - zoneOffset(midnightUtc, timeZone);
  // Once more at the guessed instant, in case a clock change lies between the two.
  return midnightUtc - zoneOffset(first, timeZone);
}
