// Which aggregate rows answer a date range: whole months from month rows, whole weeks from week rows,
// the days left over from day rows, so a year costs a few dozen rows per cell instead of 365. Pure.
import { addDays, bucketOf, type BucketUnit, type DayRange } from '../../surveys/indices/periods.ts';

export type Grain = 'd' | 'w' | 'm';

/** Rows of one grain whose period starts from `from` to `to` (inclusive). */
export interface Span {
  grain: Grain;
  from: string;
  to: string;
}

function lastDayOfMonth(day: string): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function days(from: string, to: string): Span[] {
  return from <= to ? [{ grain: 'd', from, to }] : [];
}

function weeks(range: DayRange): Span[] {
  const first = bucketOf(range.from, 'week') === range.from ? range.from : addDays(bucketOf(range.from, 'week'), 7);
  const lastStart = addDays(bucketOf(addDays(range.to, 1), 'week'), -7); // the last week ending by `to`
  if (first > lastStart) return days(range.from, range.to);
  return [...days(range.from, addDays(first, -1)), { grain: 'w', from: first, to: lastStart }, ...days(addDays(lastStart, 7), range.to)];
}

/**
 * The spans that cover the range exactly, none crossing a bucket of `unit`: for day buckets days only, for
 * weeks whole weeks and edge days, for months, quarters (and totals) whole months, with weeks and days at
 * the edges.
 */
export function cover(range: DayRange, unit: BucketUnit): Span[] {
  if (range.from > range.to) return [];
  if (unit === 'day') return days(range.from, range.to);
  if (unit === 'week') return weeks(range);
  const firstMonth = bucketOf(range.from, 'month') === range.from ? range.from : addDays(lastDayOfMonth(range.from), 1);
  const lastMonthEnd = lastDayOfMonth(range.to) === range.to ? range.to : addDays(bucketOf(range.to, 'month'), -1);
  if (firstMonth > lastMonthEnd) {
    // Within one month, or across one month's end: weeks must not straddle it.
    const boundary = bucketOf(range.to, 'month');
    if (boundary <= range.from) return weeks(range);
    return [...weeks({ from: range.from, to: addDays(boundary, -1) }), ...weeks({ from: boundary, to: range.to })];
  }
  return [
    ...(range.from < firstMonth ? weeks({ from: range.from, to: addDays(firstMonth, -1) }) : []),
    { grain: 'm', from: firstMonth, to: bucketOf(lastMonthEnd, 'month') },
    ...(lastMonthEnd < range.to ? weeks({ from: addDays(lastMonthEnd, 1), to: range.to }) : []),
  ];
}

/** How many days a day-bucket trend may span: beyond it, weeks read better and cost far less. */
export const maxDayBuckets = 92;
