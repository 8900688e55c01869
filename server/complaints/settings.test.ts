import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ComplaintSettingsSchema, defaultComplaintSettings, severityFor, type ComplaintSettings } from './settings.ts';

type Lang = 'en' | 'zh-CN';
const issuesOf = (input: unknown, lang: Lang = 'en') => {
  const result = v.safeParse(ComplaintSettingsSchema, input, { lang });
  return result.success ? [] : result.issues.map((issue) => `${v.getDotPath(issue) ?? ''}: ${issue.message}`);
};
const base = () => defaultComplaintSettings('Asia/Shanghai');
const change = (edit: (value: ComplaintSettings & Record<string, any>) => void) => {
  const value = structuredClone(base()) as ComplaintSettings & Record<string, any>;
  edit(value);
  return value;
};

describe('default complaint settings', () => {
  it('are valid and match the documented defaults', () => {
    const value = base();
    expect(v.parse(ComplaintSettingsSchema, value)).toEqual(value);
    expect(value.categories.map((category) => `${category.key}:${category.label.en}:${category.label['zh-CN']}`)).toEqual([
      'product:Product:产品',
      'service:Service:服务',
      'delivery:Delivery:配送',
      'billing:Billing:账单',
      'staff_attitude:Staff attitude:员工态度',
      'other:Other:其他',
    ]);
    expect(value.calendar.week).toEqual([...Array(5).fill({ start: '09:00', end: '18:00' }), null, null]);
    expect(value.targets).toEqual({ firstResponseHours: 24, nextResponseHours: { minor: 24, major: 8 }, resolutionHours: { minor: 72, major: 40 } });
    expect([value.closeAfterDays, value.reopenWindowDays, value.followUpDelayHours]).toEqual([7, 14, 24]);
    expect(defaultComplaintSettings('Europe/London').calendar.timeZone).toBe('Europe/London');
  });
});

describe('the complaint settings schema', () => {
  const refused: [string, (value: ComplaintSettings & Record<string, any>) => void, string, Lang?][] = [
    ['two categories with one key', (s) => (s.categories[1]!.key = 'product'), 'categories: Each category key must be different; two categories share a key.'],
    ['a key with capitals', (s) => (s.categories[0]!.key = 'Product'), 'categories.0.key: A category key is 1 to 40 lower-case letters, digits or _, starting with a letter, e.g. staff_attitude.'],
    ['every category retired', (s) => s.categories.forEach((c) => (c.retired = true)), 'categories: Keep at least one category that is not retired, so new cases can be filed.'],
    ['a label without Chinese', (s) => (s.categories[0]!.label['zh-CN'] = ' '), 'categories.0.label.zh-CN: Chinese (zh-CN) text is required'],
    ['hours past 24:00', (s) => (s.calendar.week[0] = { start: '09:00', end: '24:30' }), 'calendar.week.0.end: A time of day is written HH:MM from 00:00 to 24:00, e.g. 09:00 or 24:00.'],
    ['a time written 9am', (s) => (s.calendar.week[1] = { start: '9am', end: '18:00' }), 'calendar.week.1.start: A time of day is written HH:MM from 00:00 to 24:00, e.g. 09:00 or 24:00.'],
    ['an end before the start', (s) => (s.calendar.week[2] = { start: '18:00', end: '09:00' }), 'calendar.week.2.end: The end of business hours must be after their start (use 24:00 for midnight).'],
    ['a six-day week', (s) => s.calendar.week.pop(), 'calendar.week: The week is a list of 7 days, Monday first.'],
    ['no open weekday', (s) => (s.calendar.week = Array(7).fill(null)), 'calendar.week: Open at least one weekday, or choose 24x7; otherwise no deadline could ever fall due.'],
    ['a holiday that does not exist', (s) => (s.calendar.holidays = ['2026-02-30']), 'calendar.holidays.0: A date is written YYYY-MM-DD and must exist, e.g. 2026-10-01.'],
    ['a holiday that is also worked', (s) => ((s.calendar.holidays = ['2026-10-10']), (s.calendar.extraWorkdays = ['2026-10-10'])), 'calendar.extraWorkdays: A date cannot be both a holiday and an extra workday; remove it from one list.'],
    ['an unknown time zone', (s) => (s.calendar.timeZone = 'Mars/Olympus'), 'calendar.timeZone: The time zone must be an IANA name such as Asia/Shanghai or Europe/London.'],
    ['a target of 0 hours', (s) => (s.targets.resolutionHours.major = 0), 'targets.resolutionHours.major: A target is a number of business hours greater than 0 and at most 8760 (a year), e.g. 24.'],
    ['a negative order value', (s) => (s.majorOrderValue = -1), 'majorOrderValue: The order value that makes a case major is a number of 0 or more, or empty for none.'],
    ['half a day to close', (s) => (s.closeAfterDays = 0.5), 'closeAfterDays: Days before a resolved case closes must be a whole number from 1 to 365.'],
    ['in Chinese', (s) => (s.calendar.week[2] = { start: '18:00', end: '09:00' }), 'calendar.week.2.end: 营业结束时间必须晚于开始时间（午夜请写 24:00）。', 'zh-CN'],
    ['in Chinese, a target', (s) => (s.targets.firstResponseHours = -3), 'targets.firstResponseHours: 时限是大于 0、不超过 8760（一年）的工作小时数，例如 24。', 'zh-CN'],
  ];
  it.each(refused)('refuses %s, saying what to do', (_, edit, issue, lang) => {
    expect(issuesOf(change(edit), lang ?? 'en')).toEqual([issue]);
  });

  it('accepts 24x7 with no weekday, hours to 24:00 and tidies date lists', () => {
    const value = change((s) => {
      s.calendar.alwaysOpen = true;
      s.calendar.week = Array(7).fill(null);
      s.calendar.week[5] = { start: '20:00', end: '24:00' };
      s.calendar.holidays = ['2026-10-02', '2026-10-01', '2026-10-02'];
      s.alertManagerIds = ['u1', 'u1', 'u2'];
      s.majorOrderValue = 5000;
    });
    const parsed = v.parse(ComplaintSettingsSchema, value);
    expect(parsed.calendar.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(parsed.alertManagerIds).toEqual(['u1', 'u2']);
  });
});

describe('severityFor', () => {
  const settings = change((s) => {
    s.categories.find((c) => c.key === 'billing')!.major = true;
    s.majorOrderValue = 5000;
  });
  const cases: [string, { category: string; orderValue: number | null; asked?: 'minor' | 'major' }, 'minor' | 'major'][] = [
    ['an ordinary case', { category: 'product', orderValue: 100 }, 'minor'],
    ['a major category', { category: 'billing', orderValue: null }, 'major'],
    ['an order value at the threshold', { category: 'product', orderValue: 5000 }, 'major'],
    ['an order value below it', { category: 'product', orderValue: 4999.99 }, 'minor'],
    ['asked for major', { category: 'product', orderValue: null, asked: 'major' }, 'major'],
    ['asked for minor in a major category', { category: 'billing', orderValue: null, asked: 'minor' }, 'major'],
    ['an unknown category', { category: 'gone', orderValue: null }, 'minor'],
  ];
  it.each(cases)('%s', (_, input, severity) => {
    expect(severityFor(settings, input)).toBe(severity);
  });

  it('ignores order value when no threshold is set', () => {
    expect(severityFor(base(), { category: 'product', orderValue: 1e9 })).toBe('minor');
  });
});
