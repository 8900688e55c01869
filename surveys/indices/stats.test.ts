import { describe, expect, it } from 'vitest';
import { seeded } from '../random.ts';
import {
  correlation,
  incompleteBeta,
  inverseIncompleteBeta,
  logGamma,
  meanEstimate,
  meanFromSums,
  normalCdf,
  normalQuantile,
  tQuantile,
  wilsonInterval,
  z95,
} from './stats.ts';

describe('tQuantile', () => {
  it('matches the tables for a two-sided 95% interval', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.5706, 4);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
    expect(tQuantile(0.975, 1e9)).toBeCloseTo(1.959964, 6);
  });

  it('matches more table values to seven digits', () => {
    const table: [p: number, df: number, t: number][] = [
      [0.975, 2, 4.3026527],
      [0.975, 3, 3.1824463],
      [0.975, 10, 2.2281389],
      [0.975, 100, 1.9839715],
      [0.975, 1000, 1.9623391],
      [0.995, 3, 5.8409093],
      [0.995, 1, 63.6567412],
      [0.95, 10, 1.8124611],
      [0.9, 2, 1.8856181],
      [0.6, 30, 0.2556054],
      [0.9995, 4, 8.6103016],
    ];
    for (const [p, df, t] of table) expect(tQuantile(p, df), `t(${p}, ${df})`).toBeCloseTo(t, 6);
  });

  it('is symmetric, 0 at the median, and approaches the normal as df grows', () => {
    expect(tQuantile(0.025, 5)).toBeCloseTo(-tQuantile(0.975, 5), 12);
    expect(tQuantile(0.5, 7)).toBe(0);
    let previous = Infinity;
    for (const df of [1, 2, 5, 20, 100, 1e4, 1e6, 1e8]) {
      const t = tQuantile(0.975, df);
      expect(t).toBeLessThan(previous);
      expect(t).toBeGreaterThan(z95);
      previous = t;
    }
  });

  it('inverts the t distribution function through the incomplete beta', () => {
    for (const df of [1.5, 3, 12, 250]) {
      for (const p of [0.6, 0.9, 0.99, 0.9999]) {
        const t = tQuantile(p, df);
        const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
        expect(1 - tail, `df ${df}, p ${p}`).toBeCloseTo(p, 12);
      }
    }
  });

  it('rejects impossible arguments', () => {
    expect(() => tQuantile(0.975, 0)).toThrow(/degrees of freedom/);
    expect(() => tQuantile(1.2, 3)).toThrow(/between 0 and 1/);
  });
});

describe('normal distribution', () => {
  it('has the well-known quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 10);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 8);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it('Φ and Φ⁻¹ invert each other', () => {
    for (const p of [1e-8, 0.01, 0.2, 0.5, 0.7, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
  });
});

describe('special functions', () => {
  it('logGamma gives ln((n − 1)!) and ln √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('incompleteBeta matches closed forms and its inverse', () => {
    expect(incompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12);
    expect(incompleteBeta(0.25, 1, 1)).toBeCloseTo(0.25, 14);
    expect(incompleteBeta(0, 2, 2)).toBe(0);
    expect(inverseIncompleteBeta(0.3483, 2, 3)).toBeCloseTo(0.3, 12);
  });
});

describe('wilsonInterval', () => {
  it('gives the textbook interval for 8 of 10', () => {
    const { low, high } = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
  });

  it('stays inside [0, 1] at the extremes and is empty without answers', () => {
    expect(wilsonInterval(0, 5).low).toBe(0);
    expect(wilsonInterval(5, 5).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: null, high: null });
  });
});

describe('meanEstimate', () => {
  it('gives mean, sd (n − 1) and a t interval', () => {
    const estimate = meanEstimate([2, 4, 6]);
    expect(estimate.n).toBe(3);
    expect(estimate.mean).toBe(4);
    expect(estimate.sd).toBeCloseTo(2, 14);
    expect(estimate.standardError).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(estimate.low).toBeCloseTo(4 - 4.302652729749464 * (2 / Math.sqrt(3)), 10);
    expect(estimate.high).toBeCloseTo(4 + 4.302652729749464 * (2 / Math.sqrt(3)), 10);
  });

  it('gives nulls, not NaN, for no value and no interval for one', () => {
    expect(meanEstimate([])).toEqual({ n: 0, mean: null, sd: null, standardError: null, low: null, high: null });
    expect(meanEstimate([5])).toEqual({ n: 1, mean: 5, sd: null, standardError: null, low: null, high: null });
  });
});

describe('meanFromSums', () => {
  const sums = (values: readonly number[]) =>
    [values.length, values.reduce((a, x) => a + x, 0), values.reduce((a, x) => a + x * x, 0)] as const;
  const expectSame = (actual: ReturnType<typeof meanEstimate>, expected: ReturnType<typeof meanEstimate>) => {
    expect(actual.n).toBe(expected.n);
    for (const key of ['mean', 'sd', 'standardError', 'low', 'high'] as const) {
      if (expected[key] === null) expect(actual[key], key).toBeNull();
      else expect(Math.abs(actual[key]! - expected[key]!), key).toBeLessThan(1e-9);
    }
  };

  it('equals meanEstimate of the values it was summed from', () => {
    const next = seeded(11);
    for (const size of [0, 1, 2, 3, 17, 250, 4000]) {
      const answers = Array.from({ length: size }, () => Math.floor(next() * 11));
      expectSame(meanFromSums(...sums(answers)), meanEstimate(answers));
      const ratios = Array.from({ length: size }, () => 0.5 + next() * 1.5);
      expectSame(meanFromSums(...sums(ratios)), meanEstimate(ratios));
    }
  });

  it('gives sd 0, not NaN, when rounding makes the sum of squares a hair too small', () => {
    const values = Array.from({ length: 3 }, () => 0.1);
    const [n, sum, squares] = sums(values);
    expect(squares - sum * (sum / n)).toBeLessThan(0);
    expect(meanFromSums(n, sum, squares)).toMatchObject({ n: 3, sd: 0, standardError: 0 });
  });

  it('rejects a count that is not a whole number', () => {
    expect(() => meanFromSums(-1, 0, 0)).toThrow('a count must be a whole number ≥ 0 (got -1)');
  });
});

describe('correlation', () => {
  it('uses the pairs where both values are present', () => {
    const { n, r } = correlation([1, 2, 3, null, 5, 4], [2, 4, 6, 1, 10, Number.NaN]);
    expect(n).toBe(4);
    expect(r).toBeCloseTo(1, 14);
    expect(correlation([1, 2, 3, 4], [4, 3, 2, 1]).r).toBeCloseTo(-1, 14);
    expect(correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).r).toBeCloseTo(0.8, 14);
  });

  it('is null with too few pairs or a constant variable', () => {
    expect(correlation([1, 2], [1, 2]).r).toBeNull();
    expect(correlation([3, 3, 3, 3], [1, 2, 3, 4]).r).toBeNull();
  });
});
