import { describe, expect, it } from 'vitest';
import { quintileOfMidRank, rfmCuts, rfmScores, type RfmRow } from './rfm.ts';

const day = 86_400_000;
const row = (lastPurchaseDay: number, purchases: number, value: number): RfmRow => ({ lastPurchaseAt: lastPurchaseDay * day, purchases, value });
const scoresOf = (rows: RfmRow[]) => {
  const cuts = rfmCuts(rows);
  return rows.map((r) => rfmScores(r, cuts));
};

describe('rfm quintiles', () => {
  it('without ties, each fifth of the customers gets one score', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, i + 1, (i + 1) * 100));
    expect(scoresOf(rows).map((s) => s.frequency)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(scoresOf(rows).map((s) => s.monetary)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('recency: the newest last purchase scores 5, the oldest 1', () => {
    const rows = [row(100, 1, 1), row(10, 1, 1), row(50, 1, 1), row(90, 1, 1), row(30, 1, 1)];
    expect(scoresOf(rows).map((s) => s.recency)).toEqual([5, 1, 3, 4, 2]);
  });

  const tieCases: [string, number[], number[]][] = [
    ['60% bought once: all score 2 (their middle is at 30%)', [1, 1, 1, 1, 1, 1, 2, 2, 3, 5], [2, 2, 2, 2, 2, 2, 4, 4, 5, 5]],
    ['a tie across the 40% line shares the score of its middle', [1, 2, 3, 4, 4, 6, 7, 8, 9, 10], [1, 1, 2, 3, 3, 3, 4, 4, 5, 5]],
    ['everyone equal: all score 3', [4, 4, 4, 4, 4], [3, 3, 3, 3, 3]],
    ['one customer alone: 3', [7], [3]],
    ['the top half tied: 4', [1, 1, 1, 9, 9, 9], [2, 2, 2, 4, 4, 4]],
    ['two customers: 2 and 4', [1, 2], [2, 4]],
  ];
  it.each(tieCases)('ties share a score: %s', (_, purchases, expected) => {
    const rows = purchases.map((p, i) => row(i, p, 100));
    expect(scoresOf(rows).map((s) => s.frequency)).toEqual(expected);
  });

  it('scores a value not in the population by the cuts (monotonic, 1 to 5)', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, 1, (i + 1) * 100));
    const cuts = rfmCuts(rows);
    expect(cuts.monetary).toEqual([300, 500, 700, 900]);
    expect([0, 299, 300, 650, 10_000].map((value) => rfmScores(row(0, 1, value), cuts).monetary)).toEqual([1, 1, 2, 3, 5]);
  });

  it('refunds make values negative; they still rank', () => {
    const rows = [row(1, 1, -500), row(2, 1, 0), row(3, 1, 200), row(4, 1, 300), row(5, 1, 900)];
    expect(scoresOf(rows).map((s) => s.monetary)).toEqual([1, 2, 3, 4, 5]);
  });

  it('with no customers every cut is out of reach', () => {
    const cuts = rfmCuts([]);
    expect(cuts.frequency).toEqual([Infinity, Infinity, Infinity, Infinity]);
    expect(rfmScores(row(1, 3, 100), cuts)).toEqual({ recency: 1, frequency: 1, monetary: 1 });
  });

  it('the cuts agree with the mid-rank rule on a large random population', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const rows = Array.from({ length: 5000 }, () => row(Math.floor(random() * 365), 1 + Math.floor(random() * random() * 12), Math.floor(random() * 50) * 1000));
    const cuts = rfmCuts(rows);
    const values = rows.map((r) => r.purchases);
    for (const r of rows.slice(0, 500)) {
      const below = values.filter((v) => v < r.purchases).length;
      const equal = values.filter((v) => v === r.purchases).length;
      expect(rfmScores(r, cuts).frequency).toBe(quintileOfMidRank(below, equal, values.length));
    }
  });
});
