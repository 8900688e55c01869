import { describe, expect, it } from 'vitest';
import { comingRunDay, formatWeek, runInstant, summaryEmail, summaryWeek, type SummaryReport } from './summary-text.ts';
import type { MetricOption, PeriodFigure } from './types.ts';

const responsesMetric: MetricOption = { key: 'responses', kind: 'responses', label: { en: 'Responses', 'zh-CN': '回答数' } };
const csatMetric: MetricOption = { key: 'csat', kind: 'csat', label: { en: 'CSAT', 'zh-CN': '满意度 (CSAT)' } };

function figure(metric: MetricOption, now: [number | null, number, number | null, number | null], before: [number | null, number]): PeriodFigure {
  const [value, n, low, high] = now;
  const current = { value, n, low, high };
  const previous = { value: before[0], n: before[1], low: null, high: null };
  return { metric, current, previous, change: value === null || before[0] === null ? null : value - before[0] };
}

const week = { from: '2026-11-16', to: '2026-11-22' };
const url = 'https://survey.example.com/app/insights?from=2026-11-16&to=2026-11-22&flagged=exclude';

const busyWeek: SummaryReport = {
  week,
  previous: { from: '2026-11-09', to: '2026-11-15' },
  figures: [figure(responsesMetric, [1234, 1234, null, null], [1300, 1300]), figure(csatMetric, [71.25, 1200, 68.61, 73.74], [74.5, 1290])],
  surveys: [
    {
      id: 's1',
      title: { en: 'After <script>alert("x")</script> delivery', 'zh-CN': '送货后 <script>alert("x")</script>' },
      figures: [figure(responsesMetric, [1234, 1234, null, null], [1300, 1300]), figure(csatMetric, [71.25, 1200, 68.61, 73.74], [74.5, 1290])],
      dashboardUrl: `${url}&survey=s1`,
    },
  ],
  responseRates: [{ channel: 'mail', invited: 2000, completed: 500, rate: 0.25 }],
  flaggedLeftOut: 7,
  dashboardUrl: url,
};

const emptyWeek: SummaryReport = {
  ...busyWeek,
  figures: [figure(responsesMetric, [0, 0, null, null], [12, 12]), figure(csatMetric, [null, 0, null, null], [80, 12])],
  surveys: [],
  responseRates: [],
  flaggedLeftOut: 0,
};

describe('the weeks', () => {
  it('runs on the coming Monday at 08:00, or today when it is Monday before eight', () => {
    expect(comingRunDay('2026-11-23', 7 * 60 + 59)).toBe('2026-11-23');
    expect(comingRunDay('2026-11-23', 8 * 60)).toBe('2026-11-30');
    expect(comingRunDay('2026-11-25', 12 * 60)).toBe('2026-11-30');
    expect(comingRunDay('2026-11-29', 23 * 60)).toBe('2026-11-30');
    expect(comingRunDay('2026-12-31', 0)).toBe('2027-01-04');
  });

  it('covers Monday to Sunday before the run', () => {
    expect(summaryWeek('2026-11-30')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(summaryWeek('2027-01-04')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
  });

  it('finds 08:00 in the reporting time zone, summer time included', () => {
    expect(runInstant('2026-11-30', 'Asia/Shanghai')).toBe(Date.parse('2026-11-30T00:00:00Z'));
    expect(runInstant('2026-11-30', 'Europe/London')).toBe(Date.parse('2026-11-30T08:00:00Z'));
    expect(runInstant('2026-06-01', 'Europe/London')).toBe(Date.parse('2026-06-01T07:00:00Z'));
    expect(runInstant('2026-06-01', 'America/New_York')).toBe(Date.parse('2026-06-01T12:00:00Z'));
  });

  it('writes a week as people do in each language', () => {
    expect(formatWeek(week, 'en')).toBe('16–22 Nov 2026');
    expect(formatWeek(week, 'zh-CN')).toBe('2026年11月16日至22日');
    expect(formatWeek({ from: '2026-11-30', to: '2026-12-06' }, 'en')).toBe('30 Nov – 6 Dec 2026');
    expect(formatWeek({ from: '2026-11-30', to: '2026-12-06' }, 'zh-CN')).toBe('2026年11月30日至12月6日');
    expect(formatWeek({ from: '2026-12-28', to: '2027-01-03' }, 'en')).toBe('28 Dec 2026 – 3 Jan 2027');
    expect(formatWeek({ from: '2026-12-28', to: '2027-01-03' }, 'zh-CN')).toBe('2026年12月28日至2027年1月3日');
  });
});

describe('the summary email in English', () => {
  const email = summaryEmail(busyWeek, 'en');

  it('names the week in the subject', () => {
    expect(email.subject).toBe('Weekly satisfaction summary, 16–22 Nov 2026');
  });

  it('gives each figure with its interval, n and a signed change, numbers formatted for the language', () => {
    expect(email.text).toContain('- Responses: 1,234; week before 1,300; change -66');
    expect(email.text).toContain('- CSAT: 71.3 (95% interval 68.6 to 73.7), n = 1,200; week before 74.5, n = 1,290; change -3.3');
    expect(email.html).toContain('>71.3</td>');
    expect(email.html).toContain('>68.6 to 73.7</td>');
    expect(email.html).toContain('>-3.3</td>');
    expect(email.text).toContain('- Mail (email and post): 500 of 2,000 answered (25%)');
    expect(email.text).toContain('7 flagged responses');
  });

  it('links the dashboard with the same filter and says how to stop the emails', () => {
    expect(email.text).toContain(`See the figures on the dashboard: ${url}`);
    expect(email.html).toContain(`<a href="${url.replace(/&/g, '&#38;')}">`);
    expect(email.text).toContain('turn off “Send me the weekly summary” on the Insights dashboard');
    expect(email.html).toContain('turn off “Send me the weekly summary” on the Insights dashboard');
  });

  it('escapes survey titles in the HTML and leaves the plain text as written', () => {
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('After &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; delivery');
    expect(email.text).toContain('After <script>alert("x")</script> delivery');
  });

  it('still sends an empty week, saying there were no responses', () => {
    const empty = summaryEmail(emptyWeek, 'en');
    expect(empty.subject).toBe('Weekly satisfaction summary, 16–22 Nov 2026');
    expect(empty.text).toContain('No responses came in this week');
    expect(empty.html).toContain('No responses came in this week');
    expect(empty.text).not.toContain('CSAT');
    expect(empty.text).toContain('No responses were flagged');
    expect(empty.text).toContain(url);
  });
});

describe('the summary email in Chinese', () => {
  const email = summaryEmail(busyWeek, 'zh-CN');

  it('is written in Chinese throughout', () => {
    expect(email.subject).toBe('每周满意度摘要（2026年11月16日至22日）');
    expect(email.html).toContain('<html lang="zh-CN">');
    expect(email.text).toContain('- 回答数：1,234；前一周 1,300；变化 -66');
    expect(email.text).toContain('- 满意度 (CSAT)：71.3（95% 置信区间 68.6 至 73.7），样本量 1,200；前一周 74.5，样本量 1,290；变化 -3.3');
    expect(email.text).toContain('邮件（电子邮件和信件）：2,000 份邀请中 500 份已回答（25%）');
    expect(email.text).toContain('7 份被标记为数据质量可疑的回答');
    expect(email.text).toContain('关闭“每周给我发送摘要”');
    expect(email.text).not.toMatch(/week before|Responses/);
  });

  it('escapes the Chinese survey title in the HTML', () => {
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('送货后 &#60;script&#62;');
  });

  it('still sends an empty week, saying so', () => {
    const empty = summaryEmail(emptyWeek, 'zh-CN');
    expect(empty.text).toContain('本周没有收到回答');
    expect(empty.html).toContain('本周没有收到回答');
  });
});

it('writes a rise with a plus sign', () => {
  const rising = summaryEmail({ ...busyWeek, figures: [figure(responsesMetric, [10, 10, null, null], [4, 4])] }, 'en');
  expect(rising.text).toContain('- Responses: 10; week before 4; change +6');
});
