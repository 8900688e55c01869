import { describe, expect, test } from 'vitest';
import { describeChange, escapeHtml, fitLabel, formatBucket, formatEstimate, formatN, formatRange, formatRate, shortLabels } from './format.ts';

describe('numbers', () => {
  test('an estimate is its value and its interval, to the places its kind uses', () => {
    expect(formatEstimate({ n: 120, value: 72.44, low: 70.06, high: 74.61 }, 'csat', 'en')).toBe('72.4 (70.1–74.6)');
    expect(formatEstimate({ n: 120, value: 1.0349, low: 0.98, high: 1.09 }, 'c', 'zh-CN')).toBe('1.03 (0.98–1.09)');
    expect(formatEstimate({ n: 1234, value: 1234, low: null, high: null }, 'responses', 'en')).toBe('1,234');
    expect(formatEstimate({ n: 0, value: null, low: null, high: null }, 'nps', 'en', '—')).toBe('—');
  });

  test('n and rates are grouped and written per locale', () => {
    expect(formatN(1234, 'en')).toBe('n = 1,234');
    expect(formatN(1234, 'zh-CN')).toBe('n = 1,234');
    expect(formatRate(0.425, 'en')).toBe('42.5%');
    expect(formatRate(null, 'en', '—')).toBe('—');
  });

  test('a change says its direction and carries its sign; what rounds to nothing is no change', () => {
    expect(describeChange(2.06, 'csat', 'en')).toEqual({ direction: 'up', text: '+2.1' });
    expect(describeChange(-0.4, 'nps', 'en')).toEqual({ direction: 'down', text: '-0.4' });
    expect(describeChange(0.001, 'csat', 'en')).toEqual({ direction: 'same', text: '0.0' });
    expect(describeChange(null, 'csat', 'en', '—')).toEqual({ direction: 'unknown', text: '—' });
  });
});

describe('dates', () => {
  test('buckets are labelled by their unit in either language', () => {
    expect(formatBucket('2026-10-01', 'quarter', 'en')).toBe('Q4 2026');
    expect(formatBucket('2026-10-01', 'quarter', 'zh-CN')).toBe('2026年第4季度');
    expect(formatBucket('2026-11-01', 'month', 'zh-CN')).toBe('2026年11月');
    expect(formatBucket('2026-11-23', 'week', 'en')).toBe('Nov 23');
    expect(formatRange({ from: '2026-10-25', to: '2026-11-23' }, 'en')).toBe('Oct 25, 2026 – Nov 23, 2026');
  });
});

test('tooltip text is escaped, as ECharts renders it as HTML', () => {
  expect(escapeHtml('<img src=x onerror="1">&')).toBe('&#60;img src=x onerror=&#34;1&#34;&#62;&#38;');
});

test('a label is cut to fit its box, a Chinese character counting as two letters', () => {
  expect(fitLabel('Customer satisfaction', 24)).toBe('Customer satisfaction');
  expect(fitLabel('Customer expectations of the service', 24)).toBe('Customer expectations o…');
  expect(fitLabel('顾客对服务质量的总体期望与感受', 24)).toBe('顾客对服务质量的总体期…');
});

describe('short labels', () => {
  test('leave out a leading clause labels share, and stay apart', () => {
    const en = [
      'Before you became our customer, what did you expect the overall quality of our products and services to be?',
      'Before you became our customer, how well did you expect us to meet your personal needs?',
      'Before you became our customer, how often did you expect things to go wrong?',
      'Overall, how would you rate the quality of our products and services?',
      'Price',
    ];
    const short = shortLabels(en, 24);
    expect(short).toEqual(['What did you expect the…', 'How well did you expect…', 'How often did you expec…', 'Overall, how would you…', 'Price']);
    const zh = ['在成为我们的客户之前，您预期我们产品和服务的总体质量如何？', '在成为我们的客户之前，您预期我们能在多大程度上满足您的个人需求？', '在成为我们的客户之前，您预期出问题的频率如何？'];
    expect(new Set(shortLabels(zh, 24)).size).toBe(3);
    expect(shortLabels(zh, 24).every((label) => !label.startsWith('在成为'))).toBe(true);
  });

  test('number labels that are still alike', () => {
    expect(shortLabels(['Speed of delivery to the door', 'Speed of delivery to the shop'], 14)).toEqual(['Speed of d… 1', 'Speed of d… 2']);
  });
});
