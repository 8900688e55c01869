import { describe, expect, it } from 'vitest';
import { seeded } from '../random.ts';
import { meanEstimate } from './stats.ts';
import { ces, cesFromCounts, csat, csatFromCounts, nps, npsFromCounts, type Ratings } from './metrics.ts';

describe('csat', () => {
  it('is the share of 4 and 5 with a Wilson interval, in percent', () => {
    const figure = csat([5, 4, 4, 5, 3, 5, 4, 2, 5, 4]);
    expect(figure.n).toBe(10);
    expect(figure.satisfied).toBe(8);
    expect(figure.percent).toBe(80);
    expect(figure.low).toBeCloseTo(49.02, 2);
    expect(figure.high).toBeCloseTo(94.33, 2);
  });

  it('skips unanswered entries', () => {
    expect(csat([5, null, undefined, 1])).toMatchObject({ n: 2, satisfied: 1, percent: 50 });
  });

  it('gives n = 0 and nulls without answers', () => {
    expect(csat([])).toEqual({ n: 0, satisfied: 0, percent: null, low: null, high: null });
  });

  it('rejects an answer off the 1-5 scale', () => {
    expect(() => csat([6])).toThrow('CSAT answers must be whole numbers from 1 to 5 (got 6)');
    expect(() => csat([4.5])).toThrow(/got 4.5/);
  });
});

describe('nps', () => {
  it('is % promoters minus % detractors with SE 100·√(((p + d) − (p − d)²)/n)', () => {
    const figure = nps([10, 9, 8, 7, 6, 0, 10, 9, 5, 3]);
    expect(figure).toMatchObject({ n: 10, promoters: 4, passives: 2, detractors: 4, score: 0 });
    expect(figure.standardError).toBeCloseTo(100 * Math.sqrt(0.08), 12);
    expect(figure.low).toBeCloseTo(-1.96 * 100 * Math.sqrt(0.08), 12);
    expect(figure.high).toBeCloseTo(1.96 * 100 * Math.sqrt(0.08), 12);
  });

  it('computes an asymmetric case', () => {
    // p = 0.5, d = 0.25: score 25, SE = 100·√((0.75 − 0.0625)/8)
    const figure = nps([9, 10, 9, 10, 7, 8, 6, 2]);
    expect(figure.score).toBe(25);
    expect(figure.standardError).toBeCloseTo(100 * Math.sqrt(0.6875 / 8), 12);
  });

  it('clamps the interval to [−100, 100]', () => {
    const figure = nps([10, 10, 10, 9, 9, 9, 10, 10, 9, 8]);
    expect(figure.score).toBe(90);
    expect(figure.high).toBe(100);
    expect(figure.low).toBeCloseTo(90 - 1.96 * 100 * Math.sqrt(0.09 / 10), 12);
    expect(nps([0, 0, 1, 6]).low).toBe(-100);
  });

  it('gives n = 0 and nulls without answers', () => {
    expect(nps([null])).toEqual({
      n: 0, promoters: 0, passives: 0, detractors: 0, score: null, standardError: null, low: null, high: null,
    });
  });

  it('rejects an answer off the 0-10 scale', () => {
    expect(() => nps([11])).toThrow('NPS answers must be whole numbers from 0 to 10 (got 11)');
  });
});

describe('ces', () => {
  it('is the mean effort with a Student t interval', () => {
    const figure = ces([2, 4, 6]);
    expect(figure).toMatchObject({ n: 3, mean: 4 });
    expect(figure.sd).toBeCloseTo(2, 14);
    const half = 4.302652729749464 * (2 / Math.sqrt(3));
    expect(figure.low).toBeCloseTo(4 - half, 10);
    expect(figure.high).toBeCloseTo(4 + half, 10);
  });

  it('has a mean but no interval from one answer, and nulls from none', () => {
    expect(ces([5])).toEqual({ n: 1, mean: 5, sd: null, standardError: null, low: null, high: null });
    expect(ces([])).toEqual({ n: 0, mean: null, sd: null, standardError: null, low: null, high: null });
  });

  it('rejects an answer off the 1-7 scale', () => {
    expect(() => ces([0])).toThrow('CES answers must be whole numbers from 1 to 7 (got 0)');
  });
});

describe('figures from answer counts (h0..h10)', () => {
  const countsOf = (ratings: Ratings) => {
    const counts = new Array<number>(11).fill(0);
    for (const rating of ratings) if (rating !== null && rating !== undefined) counts[rating]!++;
    return counts;
  };
  const expectClose = (actual: object, expected: object) => {
    const want = expected as Record<string, number | null>;
    const got = actual as Record<string, number | null>;
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [key, value] of Object.entries(want)) {
      if (value === null) expect(got[key], key).toBeNull();
      else expect(Math.abs(got[key]! - value), key).toBeLessThan(1e-9);
    }
  };
  const answers = (seed: number, size: number, min: number, max: number): Ratings => {
    const next = seeded(seed);
    return Array.from({ length: size }, () => (next() < 0.1 ? null : min + Math.floor(next() * (max - min + 1))));
  };

  it('give the same CSAT, NPS and CES as the answers they count', () => {
    for (const [seed, size] of [[1, 0], [2, 1], [3, 2], [4, 9], [5, 300], [6, 5000]] as const) {
      const fivePoint = answers(seed, size, 1, 5);
      expectClose(csatFromCounts(countsOf(fivePoint)), csat(fivePoint));
      const elevenPoint = answers(seed + 100, size, 0, 10);
      expectClose(npsFromCounts(countsOf(elevenPoint)), nps(elevenPoint));
      const sevenPoint = answers(seed + 200, size, 1, 7);
      expectClose(cesFromCounts(countsOf(sevenPoint)), ces(sevenPoint));
      // ces itself goes through the counts, so also check against the two-pass estimate on the answers
      const { n, mean, sd, standardError, low, high } = meanEstimate(sevenPoint.filter((x): x is number => x !== null));
      expectClose(cesFromCounts(countsOf(sevenPoint)), { n, mean, sd, standardError, low, high });
    }
  });

  it('reject a count of an answer off the scale, and counts that are not whole numbers', () => {
    expect(() => csatFromCounts([1, 0, 0, 0, 3, 2, 0, 0, 0, 0, 0])).toThrow('CSAT answers must be whole numbers from 1 to 5 (got 0)');
    expect(() => cesFromCounts([0, 1, 0, 0, 0, 0, 0, 0, 4, 0, 0])).toThrow('CES answers must be whole numbers from 1 to 7 (got 8)');
    expect(() => npsFromCounts([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toThrow('NPS answers must be whole numbers from 0 to 10 (got 11)');
    expect(() => npsFromCounts([0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow('NPS counts must be whole numbers ≥ 0 (got -1 for answer 1)');
  });

  it('accept zero counts off the scale', () => {
    expect(csatFromCounts([0, 2, 0, 0, 1, 1, 0, 0, 0, 0, 0])).toMatchObject({ n: 4, satisfied: 2, percent: 50 });
  });
});
