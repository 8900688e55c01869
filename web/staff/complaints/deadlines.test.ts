import { describe, expect, test } from 'vitest';
import { alertAt, businessTimeLeft, clockTime, hoursAndMinutes, nextDeadline, readDeadline, runningDeadlines, worseAlert, type ClockView } from './deadlines.ts';

const hour = 3_600_000;
const none: ClockView = {
  firstResponseDueAt: null,
  firstResponseAtRiskAt: null,
  nextResponseDueAt: null,
  nextResponseAtRiskAt: null,
  resolutionDueAt: null,
  resolutionAtRiskAt: null,
  pausedAt: null,
};
/** Wall time as business time, for the cases where the calendar is not the point. */
const wall = (from: number, to: number) => to - from;
/** Business hours 09:00–18:00 every day (UTC), counted hour by hour, enough to tell business from wall time. */
const daytime = (from: number, to: number) => {
  let total = 0;
  for (let at = from; at < to; at = Math.min(to, Math.floor(at / hour) * hour + hour)) {
    const next = Math.min(to, Math.floor(at / hour) * hour + hour);
    const h = new Date(at).getUTCHours();
    if (h >= 9 && h < 18) total += next - at;
  }
  return total;
};

describe('which deadline runs next', () => {
  test('none when no deadline runs', () => {
    expect(nextDeadline(none)).toBeNull();
  });

  test('the soonest of the running ones, the others after it', () => {
    const clock = { ...none, firstResponseDueAt: 30 * hour, firstResponseAtRiskAt: 25 * hour, resolutionDueAt: 72 * hour, resolutionAtRiskAt: 60 * hour, nextResponseDueAt: 10 * hour, nextResponseAtRiskAt: 8 * hour };
    expect(runningDeadlines(clock).map((mark) => mark.deadline)).toEqual(['next_response', 'first_response', 'resolution']);
    expect(nextDeadline(clock)).toEqual({ deadline: 'next_response', dueAt: 10 * hour, atRiskAt: 8 * hour });
  });

  test('a deadline without its 80% mark is at risk only when due', () => {
    expect(nextDeadline({ ...none, resolutionDueAt: 5 })).toEqual({ deadline: 'resolution', dueAt: 5, atRiskAt: 5 });
  });
});

describe('where a deadline stands', () => {
  const mark = { deadline: 'first_response' as const, dueAt: 10 * hour, atRiskAt: 8 * hour };
  test.each([
    [0, null],
    [8 * hour - 1, null],
    [8 * hour, 'at_risk'],
    [10 * hour - 1, 'at_risk'],
    [10 * hour, 'breached'],
    [50 * hour, 'breached'],
  ])('at %d ms: %s', (at, alert) => {
    expect(alertAt(mark, at)).toBe(alert);
  });

  test('time left is business time, and negative once past', () => {
    const nine = Date.UTC(2026, 11, 7, 9);
    // From 17:00 to 10:00 next day: one business hour today, one tomorrow.
    expect(businessTimeLeft(daytime, nine + 25 * hour, nine + 8 * hour)).toBe(2 * hour);
    expect(businessTimeLeft(daytime, nine + 8 * hour, nine + 25 * hour)).toBe(-2 * hour);
    expect(businessTimeLeft(wall, 5, 5)).toBe(0);
  });

  test('a paused clock stands still at the pause', () => {
    const clock = { ...none, pausedAt: 3 * hour, resolutionDueAt: 10 * hour, resolutionAtRiskAt: 8 * hour };
    expect(clockTime(clock, 9 * hour)).toBe(3 * hour);
    const reading = readDeadline(wall, clock, nextDeadline(clock)!, 20 * hour);
    expect(reading).toMatchObject({ deadline: 'resolution', left: 7 * hour, alert: null, paused: true });
    expect(readDeadline(wall, { ...clock, pausedAt: null }, nextDeadline(clock)!, 9 * hour)).toMatchObject({ left: hour, alert: 'at_risk', paused: false });
  });
});

describe('the alert the server recorded', () => {
  test('the worse of the two counts', () => {
    expect(worseAlert(null, null)).toBeNull();
    expect(worseAlert('at_risk', null)).toBe('at_risk');
    expect(worseAlert(null, 'breached')).toBe('breached');
    expect(worseAlert('breached', 'at_risk')).toBe('breached');
  });

  test('a list row without its 80% marks is at risk when the sweep says so', () => {
    const row = { ...none, resolutionDueAt: 10 * hour };
    expect(readDeadline(wall, row, nextDeadline(row)!, 9 * hour).alert).toBeNull();
    expect(readDeadline(wall, row, nextDeadline(row)!, 9 * hour, 'at_risk').alert).toBe('at_risk');
    // The clock still knows a deadline is past even before the sweep has run.
    expect(readDeadline(wall, row, nextDeadline(row)!, 11 * hour, 'at_risk').alert).toBe('breached');
  });
});

describe('hours and minutes', () => {
  test.each([
    [0, { hours: 0, minutes: 0, past: false }],
    [59_999, { hours: 0, minutes: 0, past: false }],
    [(2 * 60 + 5) * 60_000 + 59_000, { hours: 2, minutes: 5, past: false }],
    [30 * hour, { hours: 30, minutes: 0, past: false }],
    [-1, { hours: 0, minutes: 1, past: true }],
    [-(hour + 60_000), { hours: 1, minutes: 1, past: true }],
  ])('%d ms', (ms, expected) => {
    expect(hoursAndMinutes(ms)).toEqual(expected);
  });
});
