import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessHoursOf, businessMsBetween, hasBusinessHours, subtractBusinessMs, type BusinessCalendar, type DayHours } from './calendar.ts';

const h = 3_600_000;
const nineToSix: DayHours = { start: '09:00', end: '18:00' };
const weekdays = (hours: DayHours): DayHours[] => [hours, hours, hours, hours, hours, null, null];

const shanghai: BusinessCalendar = { timeZone: 'Asia/Shanghai', alwaysOpen: false, week: weekdays(nineToSix), holidays: [], extraWorkdays: [] };
// A National Day week: Thursday 1 to Wednesday 7 October 2026 closed, Saturday 10 October worked instead (调休).
const nationalDay: BusinessCalendar = {
  ...shanghai,
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  extraWorkdays: ['2026-10-10'],
};
const newYork: BusinessCalendar = { timeZone: 'America/New_York', alwaysOpen: false, week: weekdays({ start: '09:00', end: '17:00' }), holidays: [], extraWorkdays: [] };
const newYorkEveryDay: BusinessCalendar = { ...newYork, week: Array(7).fill({ start: '00:00', end: '24:00' }) };
const alwaysOpen: BusinessCalendar = { ...shanghai, alwaysOpen: true };
// Saturday evenings 20:00 to midnight and weekdays 09:00–18:00.
const lateSaturday: BusinessCalendar = { ...shanghai, week: [...weekdays(nineToSix).slice(0, 5), { start: '20:00', end: '24:00' }, null] };

const t = Date.parse;

describe('addBusinessMs', () => {
  const cases: [string, BusinessCalendar, string, number, string][] = [
    // Hand-checked: Friday 17:00 leaves 1 h on Friday, 7 h more from Monday 09:00.
    ['Friday 17:00 + 8 h, Mon–Fri 09–18 Shanghai', shanghai, '2026-01-09T17:00+08:00', 8 * h, '2026-01-12T16:00+08:00'],
    ['ending exactly at closing time stays on that day', shanghai, '2026-01-09T17:00+08:00', 1 * h, '2026-01-09T18:00+08:00'],
    ['a whole day of nine hours from opening', shanghai, '2026-01-12T09:00+08:00', 9 * h, '2026-01-12T18:00+08:00'],
    ['24 business hours from Monday 10:00', shanghai, '2026-01-12T10:00+08:00', 24 * h, '2026-01-14T16:00+08:00'],
    ['start before opening counts from opening', shanghai, '2026-01-12T07:00+08:00', 2 * h, '2026-01-12T11:00+08:00'],
    ['start after closing counts from the next opening', shanghai, '2026-01-12T20:00+08:00', 2 * h, '2026-01-13T11:00+08:00'],
    ['start on Saturday counts from Monday', shanghai, '2026-01-10T10:00+08:00', 1 * h, '2026-01-12T10:00+08:00'],
    ['Wednesday before National Day: 1 h, then the holiday week, then Thursday 8 October', nationalDay, '2026-09-30T17:00+08:00', 8 * h, '2026-10-08T16:00+08:00'],
    ['24 h over the National Day week', nationalDay, '2026-09-30T10:00+08:00', 24 * h, '2026-10-09T16:00+08:00'],
    ['调休 Saturday is worked with Monday hours', nationalDay, '2026-10-09T17:00+08:00', 8 * h, '2026-10-10T16:00+08:00'],
    ['an ordinary Saturday is not', shanghai, '2026-10-09T17:00+08:00', 8 * h, '2026-10-12T16:00+08:00'],
    ['24x7 is wall time', alwaysOpen, '2026-01-09T17:00+08:00', 8 * h, '2026-01-10T01:00+08:00'],
    // New York moves to daylight time on Sunday 8 March 2026: Friday 16:00 EST + 2 h = Monday 10:00 EDT.
    ['New York over the spring change', newYork, '2026-03-06T16:00-05:00', 2 * h, '2026-03-09T10:00-04:00'],
    ['New York over the autumn change', newYork, '2026-10-30T16:00-04:00', 2 * h, '2026-11-02T10:00-05:00'],
    ['a 23-hour Sunday open all day in New York', newYorkEveryDay, '2026-03-08T00:00-05:00', 23 * h, '2026-03-09T00:00-04:00'],
    ['a 25-hour Sunday open all day in New York', newYorkEveryDay, '2026-11-01T00:00-04:00', 25 * h, '2026-11-02T00:00-05:00'],
    ['hours ending 24:00 end at midnight', lateSaturday, '2026-01-10T22:00+08:00', 2 * h, '2026-01-11T00:00+08:00'],
    ['hours ending 24:00 then Monday', lateSaturday, '2026-01-10T23:00+08:00', 1.5 * h, '2026-01-12T09:30+08:00'],
    ['no time to add', shanghai, '2026-01-10T10:00+08:00', 0, '2026-01-10T10:00+08:00'],
  ];
  it.each(cases)('%s', (_, calendar, from, ms, due) => {
    expect(new Date(addBusinessMs(calendar, t(from), ms)).toISOString()).toBe(new Date(t(due)).toISOString());
  });

  it('refuses a calendar with no open weekday instead of looping for ever', () => {
    const closed: BusinessCalendar = { ...shanghai, week: Array(7).fill(null) };
    expect(hasBusinessHours(closed)).toBe(false);
    expect(() => addBusinessMs(closed, t('2026-01-09T17:00+08:00'), h)).toThrow(/no open weekday/);
  });
});

describe('businessMsBetween', () => {
  const cases: [string, BusinessCalendar, string, string, number][] = [
    ['a pause from Friday 16:00 to Monday 10:00', shanghai, '2026-01-09T16:00+08:00', '2026-01-12T10:00+08:00', 3 * h],
    ['a whole week', shanghai, '2026-01-12T00:00+08:00', '2026-01-19T00:00+08:00', 45 * h],
    ['a weekend', shanghai, '2026-01-10T00:00+08:00', '2026-01-12T00:00+08:00', 0],
    ['the National Day week with its 调休 Saturday', nationalDay, '2026-09-28T00:00+08:00', '2026-10-12T00:00+08:00', 6 * 9 * h],
    ['within one day', shanghai, '2026-01-12T10:15+08:00', '2026-01-12T11:45+08:00', 1.5 * h],
    ['backwards is nothing', shanghai, '2026-01-12T11:00+08:00', '2026-01-12T10:00+08:00', 0],
    ['24x7', alwaysOpen, '2026-01-09T16:00+08:00', '2026-01-12T10:00+08:00', 66 * h],
    ['New York Friday 16:00 EST to Monday 10:00 EDT', newYork, '2026-03-06T16:00-05:00', '2026-03-09T10:00-04:00', 2 * h],
    ['the 23-hour Sunday', newYorkEveryDay, '2026-03-08T00:00-05:00', '2026-03-09T00:00-04:00', 23 * h],
    ['Saturday 20:00 to midnight', lateSaturday, '2026-01-10T12:00+08:00', '2026-01-11T12:00+08:00', 4 * h],
  ];
  it.each(cases)('%s', (_, calendar, from, to, ms) => {
    expect(businessMsBetween(calendar, t(from), t(to))).toBe(ms);
  });

  it('is the inverse of addBusinessMs', () => {
    const from = t('2026-09-29T11:17+08:00');
    for (const hours of [0.5, 3, 8, 9, 24, 40, 72, 200]) {
      expect(businessMsBetween(nationalDay, from, addBusinessMs(nationalDay, from, hours * h))).toBe(hours * h);
    }
  });
});

describe('subtractBusinessMs', () => {
  const cases: [string, BusinessCalendar, string, number, string][] = [
    // Hand-checked: Monday 10:00 has 1 h behind it that day, 1 h more back from Friday 18:00.
    ['Monday 10:00 − 2 h, Mon–Fri 09–18 Shanghai', shanghai, '2026-01-12T10:00+08:00', 2 * h, '2026-01-09T17:00+08:00'],
    ['back exactly to opening time stays on that day', shanghai, '2026-01-12T11:00+08:00', 2 * h, '2026-01-12T09:00+08:00'],
    ['from a Saturday counts back from Friday 18:00', shanghai, '2026-01-10T15:00+08:00', 1 * h, '2026-01-09T17:00+08:00'],
    ['from before opening counts back from the day before', shanghai, '2026-01-13T07:00+08:00', 2 * h, '2026-01-12T16:00+08:00'],
    ['24 business hours back from Wednesday 16:00', shanghai, '2026-01-14T16:00+08:00', 24 * h, '2026-01-12T10:00+08:00'],
    ['back over the National Day week', nationalDay, '2026-10-08T16:00+08:00', 8 * h, '2026-09-30T17:00+08:00'],
    ['调休 Saturday is worked with Monday hours', nationalDay, '2026-10-12T10:00+08:00', 2 * h, '2026-10-10T17:00+08:00'],
    ['24x7 is wall time', alwaysOpen, '2026-01-10T01:00+08:00', 8 * h, '2026-01-09T17:00+08:00'],
    ['New York back over the spring change', newYork, '2026-03-09T10:00-04:00', 2 * h, '2026-03-06T16:00-05:00'],
    ['New York back over the autumn change', newYork, '2026-11-02T10:00-05:00', 2 * h, '2026-10-30T16:00-04:00'],
  ];
  it.each(cases)('%s', (_, calendar, to, ms, from) => {
    expect(subtractBusinessMs(calendar, t(to), ms)).toBe(t(from));
  });

  it('is the latest instant with that much business time until `to`, on any day of the week', () => {
    const start = t('2026-09-26T00:00+08:00');
    for (let to = start; to < start + 21 * 24 * h; to += 7 * h + 13 * 60_000) {
      // 30 min, 8 h, 80% and all of 24 h, 80% and all of 72 h.
      for (const ms of [30, 480, 1152, 1440, 3456, 4320].map((minutes) => minutes * 60_000)) {
        const from = subtractBusinessMs(nationalDay, to, ms);
        expect(businessMsBetween(nationalDay, from, to)).toBe(ms);
        expect(businessMsBetween(nationalDay, from + 1, to)).toBe(ms - 1);
      }
    }
  });

  it('takes nothing for no time, and refuses a calendar with no open weekday or endless time', () => {
    expect(subtractBusinessMs(shanghai, t('2026-01-10T15:00+08:00'), 0)).toBe(t('2026-01-10T15:00+08:00'));
    expect(() => subtractBusinessMs({ ...shanghai, week: Array(7).fill(null) }, t('2026-01-09T17:00+08:00'), h)).toThrow(/no open weekday/);
    expect(() => subtractBusinessMs(shanghai, 0, Infinity)).toThrow(RangeError);
  });
});

describe('daylight-saving changes', () => {
  const sundayOnly = (timeZone: string, start: string, end: string): BusinessCalendar => ({
    timeZone,
    alwaysOpen: false,
    week: [null, null, null, null, null, null, { start, end }],
    holidays: [],
    extraWorkdays: [],
  });
  const cases: [string, BusinessCalendar, string, number][] = [
    // 02:30 does not exist in New York on 8 March 2026: the hours begin at 03:30 EDT.
    ['New York, opening inside the spring gap', sundayOnly('America/New_York', '02:30', '05:00'), '2026-03-08', 1.5 * h],
    // 01:30 happens twice on 1 November 2026: the first time, EDT; 03:00 is EST.
    ['New York, opening in the repeated autumn hour', sundayOnly('America/New_York', '01:30', '03:00'), '2026-11-01', 2.5 * h],
    ['London, opening inside the spring gap', sundayOnly('Europe/London', '01:30', '04:00'), '2026-03-29', 1.5 * h],
    ['London, opening in the repeated autumn hour', sundayOnly('Europe/London', '01:30', '03:00'), '2026-10-25', 2.5 * h],
  ];
  it.each(cases)('%s', (_, calendar, date, ms) => {
    const from = Date.parse(`${date}T00:00Z`) - 86_400_000;
    const to = from + 3 * 86_400_000;
    expect(businessMsBetween(calendar, from, to)).toBe(ms);
    expect(businessMsBetween(calendar, from, addBusinessMs(calendar, from, ms))).toBe(ms);
  });
});

describe('a date the time zone skipped', () => {
  it('has no hours: Samoa went from 29 to 31 December 2011', () => {
    const apia: BusinessCalendar = { timeZone: 'Pacific/Apia', alwaysOpen: false, week: Array(7).fill({ start: '09:00', end: '17:00' }), holidays: [], extraWorkdays: [] };
    const from = t('2011-12-29T00:00-10:00');
    const to = t('2012-01-01T00:00+14:00');
    expect(businessMsBetween(apia, from, to)).toBe(16 * h);
    expect(addBusinessMs(apia, from, 9 * h)).toBe(t('2011-12-31T10:00+14:00'));
  });
});

describe('a calendar edited in place', () => {
  it('is read again, not from what was prepared before', () => {
    const calendar: BusinessCalendar = structuredClone(shanghai);
    const friday = t('2026-01-09T17:00+08:00');
    expect(addBusinessMs(calendar, friday, 8 * h)).toBe(t('2026-01-12T16:00+08:00'));
    calendar.holidays.push('2026-01-12');
    expect(addBusinessMs(calendar, friday, 8 * h)).toBe(t('2026-01-13T16:00+08:00'));
    calendar.week[0] = { start: '10:00', end: '18:00' };
    calendar.holidays = [];
    expect(addBusinessMs(calendar, friday, 8 * h)).toBe(t('2026-01-12T17:00+08:00'));
  });

  it('refuses endless time instead of looping', () => {
    expect(() => addBusinessMs(shanghai, 0, Infinity)).toThrow(RangeError);
    expect(() => addBusinessMs(shanghai, Number.NaN, h)).toThrow(RangeError);
  });
});

describe('businessHoursOf', () => {
  it('applies holidays and extra workdays to a date', () => {
    expect(businessHoursOf(nationalDay, '2026-10-01')).toBeNull();
    expect(businessHoursOf(nationalDay, '2026-10-10')).toEqual(nineToSix);
    expect(businessHoursOf(nationalDay, '2026-10-11')).toBeNull();
    expect(businessHoursOf(nationalDay, '2026-10-12')).toEqual(nineToSix);
    expect(businessHoursOf(lateSaturday, '2026-01-10')).toEqual({ start: '20:00', end: '24:00' });
    expect(businessHoursOf(alwaysOpen, '2026-01-10')).toEqual({ start: '00:00', end: '24:00' });
  });
});
