import { describe, expect, it } from 'vitest';
import { addDays, bucketOf, bucketsBetween, dayOf, dayStart, daysBetween, previousPeriod } from './periods.ts';

describe('reporting days', () => {
  it('takes the day in the reporting time zone', () => {
    const lateUtc = Date.UTC(2026, 10, 23, 17, 30); // 01:30 on the 24th in Shanghai
    expect(dayOf(lateUtc, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(dayOf(lateUtc, 'Europe/London')).toBe('2026-11-23');
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
  });
});

describe('buckets', () => {
  it('starts weeks on Monday, months on the 1st, quarters in Jan/Apr/Jul/Oct', () => {
    expect(bucketOf('2026-11-23', 'week')).toBe('2026-11-23'); // a Monday
    expect(bucketOf('2026-11-29', 'week')).toBe('2026-11-23'); // the Sunday after
    expect(bucketOf('2027-01-01', 'week')).toBe('2026-12-28');
    expect(bucketOf('2026-11-23', 'month')).toBe('2026-11-01');
    expect(bucketOf('2026-11-23', 'quarter')).toBe('2026-10-01');
    expect(bucketOf('2026-03-31', 'quarter')).toBe('2026-01-01');
    expect(bucketOf('2026-11-23', 'day')).toBe('2026-11-23');
  });

  it('lists every bucket in a range, empty ones included', () => {
    expect(bucketsBetween('2026-11-20', '2026-11-23', 'day')).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);
    expect(bucketsBetween('2026-11-15', '2027-02-03', 'month')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
    expect(bucketsBetween('2026-05-15', '2027-01-03', 'quarter')).toEqual(['2026-04-01', '2026-07-01', '2026-10-01', '2027-01-01']);
    expect(bucketsBetween('2026-11-18', '2026-12-01', 'week')).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
  });
});

describe('period comparison', () => {
  it('takes the same number of days just before', () => {
    expect(previousPeriod({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: '2026-10-02', to: '2026-10-31' });
    expect(previousPeriod({ from: '2026-11-23', to: '2026-11-23' })).toEqual({ from: '2026-11-22', to: '2026-11-22' });
  });
});

describe('dayStart', () => {
  it('is local midnight, across a clock change too', () => {
    expect(new Date(dayStart('2026-11-23', 'Asia/Shanghai')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(new Date(dayStart('2026-03-29', 'Europe/London')).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(new Date(dayStart('2026-03-30', 'Europe/London')).toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(dayOf(dayStart('2026-07-01', 'America/New_York'), 'America/New_York')).toBe('2026-07-01');
    expect(dayOf(dayStart('2026-07-01', 'America/New_York') - 1, 'America/New_York')).toBe('2026-06-30');
  });
});
