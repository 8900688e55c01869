import { describe, expect, it } from 'vitest';
import { seeded } from '../../surveys/random.ts';
import { businessMsBetween, type BusinessCalendar } from './calendar.ts';
import { businessClock, complaintFigures, durationFigure, meanFigure, quantile, quantileInterval, shareEstimate, type CaseFacts, type CatchFacts, type FigureInput } from './figure-stats.ts';

const hour = 3_600_000;

/** P(B ≤ k), B ~ Binomial(n, q), summed term by term: the reference for the interval's ranks. */
function binomialCdf(k: number, n: number, q: number) {
  let sum = 0;
  let term = (1 - q) ** n;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (q / (1 - q));
  }
  return sum;
}

/** The ranks the interval should pick, found by trying every pair. */
function referenceRanks(n: number, q: number) {
  let l = 0;
  for (let rank = 1; rank <= n; rank++) if (binomialCdf(rank - 1, n, q) <= 0.025) l = rank;
  let u = n + 1;
  for (let rank = n; rank >= 1; rank--) if (binomialCdf(rank - 1, n, q) >= 0.975) u = rank;
  return { l, u };
}

describe('quantiles', () => {
  it.each([
    [[5], 0.5, 5],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9, 90],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
    [[], 0.5, null],
  ])('of %j at %d is %d (type 7, as numpy)', (values, q, expected) => {
    const value = quantile(values, q);
    if (expected === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expected, 10);
  });

  it('has the textbook interval for the median of 10: the 2nd and 9th values', () => {
    const values = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
    expect(quantileInterval(values, 0.5)).toEqual({ low: 20, high: 90 });
  });

  it('has no interval where n is too small for 95%: 5 values for the median, 35 for the upper end of p90', () => {
    expect(quantileInterval([1, 2, 3, 4, 5], 0.5)).toEqual({ low: null, high: null });
    expect(quantileInterval([1, 2, 3, 4, 5, 6], 0.5)).toEqual({ low: 1, high: 6 });
    const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(quantileInterval(ranks(35), 0.9).high).toBeNull();
    expect(quantileInterval(ranks(36), 0.9).high).toBe(36);
  });

  it.each([7, 20, 51, 200, 300])('picks the ranks an exhaustive binomial search picks, n = %d', (n) => {
    const values = Array.from({ length: n }, (_, i) => i + 1);
    for (const q of [0.5, 0.9]) {
      const { l, u } = referenceRanks(n, q);
      expect(quantileInterval(values, q)).toEqual({ low: l >= 1 ? l : null, high: u <= n ? u : null });
    }
  });

  it('reports durations in hours with the count still pending', () => {
    const figure = durationFigure([hour, 3 * hour, 2 * hour], 4);
    expect(figure).toMatchObject({ n: 3, pending: 4, median: { n: 3, value: 2 }, p90: { n: 3, value: 2.8 } });
  });

  it('keeps a mean\'s interval within its scale, as the NPS interval is kept within ±100', () => {
    // Two answers, 1 and 4: the t interval is 2.5 ± 19.06, far past both ends of a 1-5 scale.
    expect(meanFigure([1, 4], [1, 5])).toEqual({ n: 2, value: 2.5, low: 1, high: 5 });
    const wide = meanFigure([1, 4]);
    expect(wide.low).toBeLessThan(-10);
    // An interval inside the scale is left as it is.
    const narrow = meanFigure([4, 4, 5, 5, 4, 5, 4, 5, 4, 5, 4, 5], [1, 5]);
    expect(narrow.low).toBeGreaterThan(4);
    expect(narrow.high).toBeLessThan(5);
  });

  it('gives shares a Wilson interval and none for nobody', () => {
    const share = shareEstimate(8, 10);
    expect(share.value).toBe(0.8);
    expect(share.low).toBeCloseTo(0.4902, 3);
    expect(share.high).toBeCloseTo(0.9433, 3);
    expect(shareEstimate(0, 0)).toEqual({ n: 0, value: null, low: null, high: null });
  });
});

const base: CaseFacts = {
  createdAt: Date.UTC(2026, 10, 2, 1), // a Monday, 09:00 in Shanghai
  status: 'new',
  source: 'form',
  channel: 'web',
  category: 'product',
  severity: 'minor',
  firstRespondedAt: null,
  resolvedAt: null,
  deadlinesMissed: [],
  reopenCount: 0,
  handlingScore: null,
  outcome: null,
  customerLeft: false,
};

const tarp = { minor: { notComplained: 0.37, notSatisfied: 0.46, satisfied: 0.7, satisfiedQuickly: 0.95 }, major: { notComplained: 0.09, notSatisfied: 0.19, satisfied: 0.54, satisfiedQuickly: 0.82 } };

function input(cases: CaseFacts[], catches: CatchFacts[] = []): FigureInput {
  return {
    cases,
    catches,
    // Wall time halved stands in for a business calendar: the figures must use it, not wall time.
    businessMs: (from, to) => (to - from) / 2,
    bucketOf: (at) => (at < Date.UTC(2026, 10, 9) ? '2026-11-02' : '2026-11-09'),
    unit: 'week',
    buckets: ['2026-11-02', '2026-11-09'],
    categories: ['product', 'service', 'delivery'],
    surveyTitle: (id) => ({ en: `Survey ${id}`, 'zh-CN': `问卷 ${id}` }),
    ruleLabel: (_, id) => ({ en: `rule ${id}`, 'zh-CN': `规则 ${id}` }),
    tarp,
  };
}

describe('the complaint figures of a handful of cases', () => {
  const t0 = base.createdAt;
  const cases: CaseFacts[] = [
    // Answered after 4 wall hours (2 business), resolved after 20 (10), met everything, handled 5: quickly.
    { ...base, status: 'closed', firstRespondedAt: t0 + 4 * hour, resolvedAt: t0 + 20 * hour, handlingScore: 5, outcome: 'resolved_quickly' },
    // Missed the first response, answered after 60 (30), resolved after 100 (50), reopened once, handled 3.
    { ...base, status: 'resolved', severity: 'major', category: 'service', channel: 'phone', firstRespondedAt: t0 + 60 * hour, resolvedAt: t0 + 100 * hour, deadlinesMissed: ['first_response'], reopenCount: 1, handlingScore: 3, outcome: 'resolved' },
    // Still open, answered after 8 (4).
    { ...base, status: 'in_progress', category: 'delivery', channel: 'email', source: 'agent', firstRespondedAt: t0 + 8 * hour },
    // Open, missed resolution, never answered.
    { ...base, status: 'waiting', severity: 'major', deadlinesMissed: ['resolution', 'first_response'], createdAt: Date.UTC(2026, 10, 10) },
    // The customer left.
    { ...base, status: 'closed', firstRespondedAt: t0 + 2 * hour, resolvedAt: t0 + 10 * hour, handlingScore: 1, outcome: 'unresolved', customerLeft: true, createdAt: Date.UTC(2026, 10, 10) },
    // A merged duplicate counts nowhere but in `merged`.
    { ...base, status: 'merged', category: 'product', firstRespondedAt: t0 + hour },
  ];
  const catches: CatchFacts[] = [
    { submittedAt: t0, surveyId: 's1', ruleIds: ['nps-low', 'contact-me'], caseId: 'c1', silentReason: null, caseCreatedAt: t0, caseFirstRespondedAt: t0 + 6 * hour },
    { submittedAt: t0, surveyId: 's1', ruleIds: ['nps-low'], caseId: null, silentReason: 'no_consent', caseCreatedAt: null, caseFirstRespondedAt: null },
    { submittedAt: t0, surveyId: 's1', ruleIds: ['nps-low'], caseId: null, silentReason: 'no_customer', caseCreatedAt: null, caseFirstRespondedAt: null },
    { submittedAt: t0, surveyId: 's2', ruleIds: ['csat-low'], caseId: 'c2', silentReason: null, caseCreatedAt: t0, caseFirstRespondedAt: null },
  ];
  const report = complaintFigures(input(cases, catches));

  it('counts volume by category, channel, severity and source, merged duplicates apart', () => {
    expect(report.cases).toBe(5);
    expect(report.merged).toBe(1);
    expect(report.open).toBe(2);
    expect(report.volume.category).toEqual([
      { key: 'product', count: 3, share: 0.6 },
      { key: 'service', count: 1, share: 0.2 },
      { key: 'delivery', count: 1, share: 0.2 },
    ]);
    expect(report.volume.channel.find((row) => row.key === 'web')?.count).toBe(3);
    expect(report.volume.channel.find((row) => row.key === 'integration')?.count).toBe(0);
    expect(report.volume.severity).toEqual([{ key: 'minor', count: 3, share: 0.6 }, { key: 'major', count: 2, share: 0.4 }]);
    expect(report.volume.source.find((row) => row.key === 'agent')?.count).toBe(1);
  });

  it('measures times in business hours, leaving cases still waiting out but counting them', () => {
    // First responses (business): 2, 30, 4, 1 → median 3.
    expect(report.firstResponse).toMatchObject({ n: 4, pending: 1, median: { value: 3 } });
    // Resolutions of finished cases: 10, 50, 5 → median 10.
    expect(report.resolution).toMatchObject({ n: 3, pending: 2, median: { value: 10 } });
  });

  it('shares deadlines met over the cases where each is decided', () => {
    // First response decided for 5 (4 answered + 1 missed unanswered); met by 3.
    expect(report.deadlines.firstResponse).toMatchObject({ n: 5, value: 3 / 5 });
    // Resolution decided for the 3 finished and the 1 that missed it; met by 3.
    expect(report.deadlines.resolution).toMatchObject({ n: 4, value: 3 / 4 });
    // Every deadline: of the 3 finished, 2 missed nothing.
    expect(report.deadlines.all).toMatchObject({ n: 3, value: 2 / 3 });
  });

  it('has the reopen rate over cases resolved at least once, and the handling mean with its interval', () => {
    expect(report.reopenRate).toMatchObject({ n: 3, value: 1 / 3 });
    expect(report.handling.n).toBe(3);
    expect(report.handling.value).toBe(3);
    // t(0.975, 2) = 4.303; sd 2; se 2/√3: 3 ± 4.97, which says no more than the 1-5 scale itself.
    expect(report.handling.low).toBe(1);
    expect(report.handling.high).toBe(5);
  });

  it('sets the outcome mix per severity beside the published TARP figures', () => {
    const cell = (severity: string, outcome: string) => report.outcomes.find((row) => row.severity === severity && row.outcome === outcome)!;
    expect(cell('minor', 'resolved_quickly')).toMatchObject({ count: 1, share: { n: 2, value: 0.5 }, published: 0.95 });
    expect(cell('minor', 'customer_left')).toMatchObject({ count: 1, published: null });
    expect(cell('major', 'resolved')).toMatchObject({ count: 1, share: { n: 1, value: 1 }, published: 0.54 });
    expect(cell('major', 'unresolved')).toMatchObject({ count: 0, published: 0.19 });
    expect(report.outcomePending).toBe(2);
  });

  it('follows the detractors up: caught, with a case, silent by reason, and how fast', () => {
    expect(report.followUp.catches).toBe(4);
    expect(report.followUp.withCase).toMatchObject({ n: 4, value: 0.5 });
    expect(report.followUp.silent).toEqual({ no_customer: 1, no_consent: 1 });
    expect(report.followUp.firstResponse).toMatchObject({ n: 1, pending: 1, median: { value: 3 } });
    expect(report.rules).toEqual([
      { surveyId: 's1', ruleId: 'nps-low', survey: { en: 'Survey s1', 'zh-CN': '问卷 s1' }, rule: { en: 'rule nps-low', 'zh-CN': '规则 nps-low' }, catches: 3, cases: 1, silent: 2 },
      { surveyId: 's1', ruleId: 'contact-me', survey: { en: 'Survey s1', 'zh-CN': '问卷 s1' }, rule: { en: 'rule contact-me', 'zh-CN': '规则 contact-me' }, catches: 1, cases: 1, silent: 0 },
      { surveyId: 's2', ruleId: 'csat-low', survey: { en: 'Survey s2', 'zh-CN': '问卷 s2' }, rule: { en: 'rule csat-low', 'zh-CN': '规则 csat-low' }, catches: 1, cases: 1, silent: 0 },
    ]);
  });

  it('trends by bucket, every bucket present', () => {
    expect(report.trend.map((row) => [row.bucket, row.opened])).toEqual([['2026-11-02', 3], ['2026-11-09', 2]]);
    expect(report.trend[0]!.firstResponse).toMatchObject({ n: 3, value: 4 });
    expect(report.trend[1]!.deadlinesMet).toMatchObject({ n: 1, value: 1 });
    const empty = complaintFigures(input([]));
    expect(empty.trend.map((row) => row.opened)).toEqual([0, 0]);
    expect(empty.handling).toEqual({ n: 0, value: null, low: null, high: null });
    expect(empty.firstResponse.median.value).toBeNull();
  });
});

describe('business time for many pairs', () => {
  const week = (start: string, end: string) => [...Array(5).fill({ start, end }), null, null];
  const calendars: [string, BusinessCalendar][] = [
    ['Shanghai, Mon–Fri 09:00–18:00, National Day week off, a Saturday worked', {
      timeZone: 'Asia/Shanghai', alwaysOpen: false, week: week('09:00', '18:00'),
      holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], extraWorkdays: ['2026-10-10'],
    }],
    ['London over the clock change, Mon–Sat 08:30–24:00', {
      timeZone: 'Europe/London', alwaysOpen: false, week: [...Array(6).fill({ start: '08:30', end: '24:00' }), null], holidays: [], extraWorkdays: [],
    }],
    ['24×7', { timeZone: 'Asia/Shanghai', alwaysOpen: true, week: week('09:00', '18:00'), holidays: [], extraWorkdays: [] }],
  ];

  it.each(calendars)('agrees with businessMsBetween to the ms: %s', (_, calendar) => {
    const from = Date.UTC(2026, 8, 20);
    const to = Date.UTC(2026, 10, 10);
    const clock = businessClock(calendar, from, to);
    const random = seeded(11);
    for (let i = 0; i < 400; i++) {
      const start = from + Math.floor(random() * (to - from));
      // Within a few hours, a few days, or weeks.
      const span = [6 * hour, 5 * 24 * hour, 30 * 24 * hour][i % 3]!;
      const end = Math.min(to, start + Math.floor(random() * span));
      expect(clock(start, end)).toBe(businessMsBetween(calendar, start, end));
    }
    // Outside the span it asks the calendar itself.
    expect(clock(from - 48 * hour, to + 48 * hour)).toBe(businessMsBetween(calendar, from - 48 * hour, to + 48 * hour));
    expect(clock(to, from)).toBe(0);
  });
});
