import { describe, expect, it } from 'vitest';
import type { BusinessCalendar, DayHours } from './calendar.ts';
import { alertsBetween, shiftForPause, startDeadline, watchAtOf, type CaseClock } from './deadlines.ts';

const nineToSix: DayHours = { start: '09:00', end: '18:00' };
const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  week: [nineToSix, nineToSix, nineToSix, nineToSix, nineToSix, null, null],
  holidays: [],
  extraWorkdays: [],
};
const t = (text: string) => Date.parse(text);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const none: CaseClock = {
  firstResponseDueAt: null,
  firstResponseAtRiskAt: null,
  nextResponseDueAt: null,
  nextResponseAtRiskAt: null,
  resolutionDueAt: null,
  resolutionAtRiskAt: null,
};

describe('startDeadline', () => {
  const cases: [string, BusinessCalendar, string, number, string, string][] = [
    // 8 h: 1 h on Friday, 7 h on Monday. 80% = 6 h 24 min: 1 h Friday, 5 h 24 min Monday.
    ['Friday 17:00, 8 h', shanghai, '2026-01-09T17:00+08:00', 8, '2026-01-12T16:00+08:00', '2026-01-12T14:24+08:00'],
    // 24 h: 8 + 9 + 7. 80% = 19 h 12 min: 8 + 9 + 2 h 12 min.
    ['Monday 10:00, 24 h', shanghai, '2026-01-12T10:00+08:00', 24, '2026-01-14T16:00+08:00', '2026-01-14T11:12+08:00'],
    ['24x7, 24 h', { ...shanghai, alwaysOpen: true }, '2026-01-09T10:00+08:00', 24, '2026-01-10T10:00+08:00', '2026-01-10T05:12+08:00'],
    ['opened on a Sunday, 1 h', shanghai, '2026-01-11T15:00+08:00', 1, '2026-01-12T10:00+08:00', '2026-01-12T09:48+08:00'],
  ];
  it.each(cases)('%s', (_, calendar, from, hours, dueAt, atRiskAt) => {
    const mark = startDeadline(calendar, t(from), hours);
    expect({ dueAt: iso(mark.dueAt), atRiskAt: iso(mark.atRiskAt) }).toEqual({ dueAt: iso(t(dueAt)), atRiskAt: iso(t(atRiskAt)) });
  });
});

describe('shiftForPause', () => {
  const clock: CaseClock = {
    ...none,
    firstResponseAtRiskAt: t('2026-01-09T17:00+08:00'),
    firstResponseDueAt: t('2026-01-09T18:00+08:00'),
    resolutionAtRiskAt: t('2026-01-12T14:24+08:00'),
    resolutionDueAt: t('2026-01-12T16:00+08:00'),
  };

  it('keeps the business time each mark had left, over a weekend', () => {
    // Paused Friday 17:30, resumed Tuesday 10:00. Resolution had 0.5 + 7 h left: Tuesday 10:00 + 7.5 h = 17:30.
    const shifted = shiftForPause(shanghai, clock, t('2026-01-09T17:30+08:00'), t('2026-01-13T10:00+08:00'));
    expect(Object.fromEntries(Object.entries(shifted).map(([key, value]) => [key, iso(value)]))).toEqual({
      firstResponseAtRiskAt: iso(t('2026-01-09T17:00+08:00')), // reached before the pause: stays
      firstResponseDueAt: iso(t('2026-01-13T10:30+08:00')), // 30 min left
      nextResponseAtRiskAt: null,
      nextResponseDueAt: null,
      resolutionAtRiskAt: iso(t('2026-01-13T15:54+08:00')), // 0.5 h + 5 h 24 min left
      resolutionDueAt: iso(t('2026-01-13T17:30+08:00')),
    });
  });

  const unchanged: [string, string, string][] = [
    ['a pause that spans only the weekend', '2026-01-09T18:00+08:00', '2026-01-12T09:00+08:00'],
    ['a pause within a Saturday', '2026-01-10T10:00+08:00', '2026-01-10T15:00+08:00'],
    ['a resume before the pause', '2026-01-09T17:30+08:00', '2026-01-09T17:00+08:00'],
  ];
  it.each(unchanged)('moves nothing for %s', (_, pausedAt, resumedAt) => {
    expect(shiftForPause(shanghai, clock, t(pausedAt), t(resumedAt))).toEqual(clock);
  });
});

describe('alertsBetween and watchAtOf', () => {
  const clock: CaseClock = { ...none, firstResponseAtRiskAt: 100, firstResponseDueAt: 200, resolutionAtRiskAt: 300, resolutionDueAt: 400 };
  const cases: [string, number | null, number, { deadline: string; alert: string; at: number }[], string | null, number | null][] = [
    ['before any mark', null, 50, [], null, 100],
    ['never looked at, two marks passed', null, 250, [
      { deadline: 'first_response', alert: 'at_risk', at: 100 },
      { deadline: 'first_response', alert: 'breached', at: 200 },
    ], 'breached', 300],
    ['one more mark since the last look', 250, 350, [{ deadline: 'resolution', alert: 'at_risk', at: 300 }], 'breached', 400],
    ['a mark exactly now is reached', 250, 300, [{ deadline: 'resolution', alert: 'at_risk', at: 300 }], 'breached', 400],
    ['a mark exactly at the last look is not crossed again', 300, 300, [], 'breached', 400],
    ['everything passed', 400, 1000, [], 'breached', null],
  ];
  it.each(cases)('%s', (_, since, now, crossed, alert, watchAt) => {
    expect(alertsBetween(clock, since, now)).toEqual({ crossed, alert, watchAt });
  });

  it('is at risk only while no running deadline is breached', () => {
    const answered: CaseClock = { ...none, resolutionAtRiskAt: 300, resolutionDueAt: 400 };
    expect(alertsBetween(answered, 200, 350)).toEqual({ crossed: [{ deadline: 'resolution', alert: 'at_risk', at: 300 }], alert: 'at_risk', watchAt: 400 });
    expect(alertsBetween(none, null, 350)).toEqual({ crossed: [], alert: null, watchAt: null });
  });

  it('orders marks of different deadlines by time', () => {
    const both: CaseClock = { ...none, nextResponseAtRiskAt: 150, nextResponseDueAt: 180, resolutionAtRiskAt: 120, resolutionDueAt: 500 };
    expect(alertsBetween(both, null, 200).crossed.map((mark) => `${mark.deadline}:${mark.alert}`)).toEqual([
      'resolution:at_risk',
      'next_response:at_risk',
      'next_response:breached',
    ]);
    expect(watchAtOf(both, 200)).toBe(500);
    expect(watchAtOf(both, 0)).toBe(120);
  });
});
