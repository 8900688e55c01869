import { describe, expect, it } from 'vitest';
import { tierCuts, tierOf } from './tiers.ts';

const shares = { vip: 50, important: 30 };
const tiersOf = (values: number[], s = shares) => {
  const cuts = tierCuts(values, s);
  return values.map((value) => tierOf(value, cuts));
};

describe('tiers by share of value', () => {
  const cases: [string, number[], string[]][] = [
    ['the customer crossing the 50% line is VIP; the next up to 80% important', [100, 50, 30, 20], ['vip', 'important', 'important', 'ordinary']],
    [
      'the textbook pyramid: 5% of customers hold half the value',
      [500, ...Array(3).fill(100), ...Array(16).fill(12.5)],
      ['vip', 'important', 'important', 'important', ...Array(16).fill('ordinary')],
    ],
    ['ties share a tier: equal values straddling the VIP line are all VIP', [60, 60, 60, 20], ['vip', 'vip', 'vip', 'ordinary']],
    ['ties share a tier: equal values straddling the important line are all important', [50, 10, 10, 10, 10, 10], ['vip', 'important', 'important', 'important', 'important', 'important']],
    ['everyone equal: all VIP (nobody holds less than anyone)', [10, 10, 10, 10], ['vip', 'vip', 'vip', 'vip']],
    ['one customer holding it all: VIP, nobody important', [1000, 0, 0], ['vip', 'ordinary', 'ordinary']],
    ['no value or only refunds: ordinary', [0, -20, 0], ['ordinary', 'ordinary', 'ordinary']],
    ['refunds do not count towards the total', [100, 80, -500, 20], ['vip', 'important', 'ordinary', 'ordinary']],
    ['order does not matter', [20, 30, 100, 50], ['ordinary', 'important', 'vip', 'important']],
  ];
  it.each(cases)('%s', (_, values, expected) => {
    expect(tiersOf(values)).toEqual(expected);
  });

  it('follows the shares in the settings', () => {
    const values = [40, 30, 20, 10];
    expect(tiersOf(values, { vip: 50, important: 30 })).toEqual(['vip', 'vip', 'important', 'ordinary']);
    expect(tiersOf(values, { vip: 20, important: 40 })).toEqual(['vip', 'important', 'ordinary', 'ordinary']);
    expect(tiersOf(values, { vip: 20, important: 60 })).toEqual(['vip', 'important', 'important', 'ordinary']);
  });

  it('the cuts are value thresholds, so a value between customers lands by comparison', () => {
    const cuts = tierCuts([100, 50, 30, 20], shares);
    expect(cuts).toEqual({ vipFrom: 100, importantFrom: 30 });
    expect([150, 99, 30, 29].map((value) => tierOf(value, cuts))).toEqual(['vip', 'important', 'important', 'ordinary']);
  });

  it('with no customers nobody reaches a tier', () => {
    expect(tierCuts([], shares)).toEqual({ vipFrom: Infinity, importantFrom: Infinity });
  });

  it('on many customers, VIP holds at least the share and without its smallest member less than it', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const values = Array.from({ length: 20_000 }, () => Math.round(1000 / (0.01 + random())));
    const cuts = tierCuts(values, shares);
    const total = values.reduce((a, b) => a + b, 0);
    const vip = values.filter((v) => tierOf(v, cuts) === 'vip');
    const vipValue = vip.reduce((a, b) => a + b, 0);
    const smallestRun = vip.filter((v) => v === cuts.vipFrom).reduce((a, b) => a + b, 0);
    expect(vipValue).toBeGreaterThanOrEqual(total * 0.5);
    expect(vipValue - smallestRun).toBeLessThan(total * 0.5);
  });
});
