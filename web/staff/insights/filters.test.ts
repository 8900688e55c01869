import { describe, expect, test } from 'vitest';
import type { InsightOptions, MetricOption } from '../../../server/insights/types.ts';
import {
  addDays,
  daysBetween,
  defaultMetric,
  isDay,
  presetOf,
  presetRange,
  queryOfView,
  searchOf,
  toggleChannel,
  viewFromQuery,
  type DashboardView,
} from './filters.ts';

const text = (en: string) => ({ en, 'zh-CN': en });
const metric = (key: string, kind: MetricOption['kind']): MetricOption => ({ key, kind, label: text(key) });

const options: InsightOptions = {
  surveys: [
    {
      id: 's1',
      title: text('Service'),
      slug: 'service',
      status: 'published',
      kind: 'satisfaction',
      metrics: [metric('responses', 'responses'), metric('nps', 'nps'), metric('rating:q2', 'rating')],
      defaultMetric: 'rating:q2',
      hasLevels: true,
      hasDrivers: true,
      hasModel: false,
    },
  ],
  metrics: [metric('responses', 'responses'), metric('csat', 'csat'), metric('nps', 'nps')],
  segments: ['retail', 'wholesale'],
  regions: ['north'],
  tiers: ['vip', 'important', 'ordinary'],
  channels: ['phone', 'mail', 'onsite', 'web'],
  timeZone: 'Asia/Shanghai',
  today: '2026-11-23',
  firstDay: '2026-08-01',
  lastDay: '2026-11-23',
};

const defaults: DashboardView = {
  filter: { from: '2026-10-25', to: '2026-11-23', surveyId: null, channels: [], segment: null, excludeFlagged: false },
  metric: 'csat',
  unit: 'week',
  split: 'none',
};

describe('dates', () => {
  test('a day is a real calendar date written YYYY-MM-DD', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-2-1')).toBe(false);
    expect(isDay('yesterday')).toBe(false);
  });

  test('days are added across month and year ends, and counted inclusively', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-11-23', '2026-11-23')).toBe(1);
    expect(daysBetween('2026-10-25', '2026-11-23')).toBe(30);
  });

  test('presets end today and are recognised again from their dates', () => {
    expect(presetRange('30d', '2026-11-23')).toEqual({ from: '2026-10-25', to: '2026-11-23' });
    expect(presetRange('90d', '2026-11-23')).toEqual({ from: '2026-08-26', to: '2026-11-23' });
    expect(presetRange('12m', '2026-11-23')).toEqual({ from: '2025-11-24', to: '2026-11-23' });
    expect(presetRange('year', '2026-11-23')).toEqual({ from: '2026-01-01', to: '2026-11-23' });
    expect(presetOf({ from: '2026-08-26', to: '2026-11-23' }, '2026-11-23')).toBe('90d');
    expect(presetOf({ from: '2026-08-27', to: '2026-11-23' }, '2026-11-23')).toBeNull();
  });
});

describe('the view in the URL', () => {
  test('an empty query is the default view: last 30 days, everything, the first figure that is not a count', () => {
    expect(viewFromQuery({}, options)).toEqual(defaults);
  });

  test('a full query is read back exactly', () => {
    const query = {
      from: '2026-08-26',
      to: '2026-11-23',
      survey: 's1',
      channel: 'phone,web',
      segment: 'retail',
      flagged: 'exclude',
      metric: 'rating:q2',
      unit: 'month',
      split: 'channel',
    };
    const view = viewFromQuery(query, options);
    expect(view).toEqual({
      filter: { from: '2026-08-26', to: '2026-11-23', surveyId: 's1', channels: ['phone', 'web'], segment: 'retail', excludeFlagged: true },
      metric: 'rating:q2',
      unit: 'month',
      split: 'channel',
    });
    expect(queryOfView(view)).toEqual(query);
    expect(viewFromQuery(queryOfView(view), options)).toEqual(view);
  });

  test('repeated channel parameters count like a comma-separated list, in the fixed channel order', () => {
    expect(viewFromQuery({ channel: ['web', 'mail'] }, options).filter.channels).toEqual(['mail', 'web']);
  });

  test('values that are malformed or not on offer fall back to their defaults', () => {
    const view = viewFromQuery(
      {
        from: '2026-13-01',
        to: '2026-11-23',
        survey: 'gone',
        channel: 'fax,web',
        segment: 'nobody',
        flagged: 'yes',
        metric: 'rating:q2',
        unit: 'fortnight',
        split: 'colour',
      },
      options,
    );
    // rating:q2 is only offered with survey s1, which this view does not have.
    expect(view).toEqual(defaults);
  });

  test('a range that runs backwards is replaced by the default range', () => {
    expect(viewFromQuery({ from: '2026-11-20', to: '2026-11-01' }, options).filter).toMatchObject({ from: '2026-10-25', to: '2026-11-23' });
  });

  test('days give way to weeks beyond 92 days, and a survey split needs all surveys', () => {
    expect(viewFromQuery({ from: '2026-01-01', to: '2026-11-23', unit: 'day' }, options).unit).toBe('week');
    expect(viewFromQuery({ from: '2026-10-01', to: '2026-11-23', unit: 'day' }, options).unit).toBe('day');
    expect(viewFromQuery({ survey: 's1', split: 'survey' }, options).split).toBe('none');
    expect(viewFromQuery({ split: 'survey' }, options).split).toBe('survey');
  });

  test('the query leaves out what means "all", so short links stay short', () => {
    expect(searchOf(queryOfView(defaults))).toBe('?from=2026-10-25&to=2026-11-23&metric=csat&unit=week');
  });

  test('the default figure is the first that is not a count, or the count when nothing else is offered', () => {
    expect(defaultMetric([metric('responses', 'responses'), metric('nps', 'nps')])).toBe('nps');
    expect(defaultMetric([metric('responses', 'responses')])).toBe('responses');
    expect(defaultMetric([])).toBe('responses');
  });

  test('a survey opens on its own default figure (its index where it has a model), and a figure it offers is kept', () => {
    expect(viewFromQuery({ survey: 's1' }, options).metric).toBe('rating:q2');
    expect(viewFromQuery({ survey: 's1', metric: 'csat' }, options).metric).toBe('rating:q2');
    expect(viewFromQuery({ survey: 's1', metric: 'nps' }, options).metric).toBe('nps');
  });
});

describe('channels', () => {
  test('ticking every channel is the same as ticking none', () => {
    expect(toggleChannel([], 'web', true)).toEqual(['web']);
    expect(toggleChannel(['web'], 'phone', true)).toEqual(['phone', 'web']);
    expect(toggleChannel(['phone', 'mail', 'web'], 'onsite', true)).toEqual([]);
    expect(toggleChannel(['phone', 'web'], 'web', false)).toEqual(['phone']);
  });
});
