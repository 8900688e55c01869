import { describe, expect, it } from 'vitest';
import { seeded } from '../random.ts';
import {
  addObservation,
  covarianceFromMoments,
  decodeMoments,
  emptyMoments,
  encodeMoments,
  mergeMoments,
  momentsFromTable,
  productIndex,
  subsetMoments,
  type Moments,
} from './moments.ts';
import { itemTable } from './pls.ts';

const items = ['overall', 'delivery', 'price', 'staff'];

/** Answers 1-10 that move together a little, with some left blank. */
function answers(seed: number, rows: number, blankShare = 0) {
  const next = seeded(seed);
  const columns: Record<string, (number | null)[]> = Object.fromEntries(items.map((item) => [item, []]));
  for (let r = 0; r < rows; r++) {
    const mood = next() * 6;
    for (const item of items) columns[item]!.push(next() < blankShare ? null : 1 + Math.floor(mood + next() * 4));
  }
  return itemTable(columns);
}

function expectSameMoments(actual: Moments, expected: Moments) {
  expect(actual.items).toEqual(expected.items);
  expect(actual.n).toBe(expected.n);
  expect([...actual.sums]).toEqual([...expected.sums]);
  expect([...actual.products]).toEqual([...expected.products]);
}

describe('moments', () => {
  it('hold the sums and the upper triangle of cross-products row by row', () => {
    const moments = emptyMoments(['a', 'b', 'c']);
    addObservation(moments, [1, 2, 3]);
    addObservation(moments, [4, 5, 6]);
    expect(moments.n).toBe(2);
    expect([...moments.sums]).toEqual([5, 7, 9]);
    // (a,a) (a,b) (a,c) (b,b) (b,c) (c,c)
    expect([...moments.products]).toEqual([17, 22, 27, 29, 36, 45]);
    expect(productIndex(3, 1, 2)).toBe(4);
  });

  it('of two halves merged equal the moments of the whole', () => {
    const whole = answers(1, 301);
    const half = (from: number, to: number) =>
      itemTable(Object.fromEntries(items.map((item) => [item, whole.columns[item]!.slice(from, to)])));
    const merged = mergeMoments(momentsFromTable(half(0, 150), items), momentsFromTable(half(150, 301), items));
    expectSameMoments(merged, momentsFromTable(whole, items));
    expect(merged.n).toBe(301);
  });

  it('skip every row missing one of the items (listwise)', () => {
    const table = answers(2, 200, 0.05);
    const moments = momentsFromTable(table, items);
    const complete = Array.from({ length: 200 }, (_, r) => items.every((item) => !Number.isNaN(table.columns[item]![r]!)));
    const expected = emptyMoments(items);
    complete.forEach((keep, r) => keep && addObservation(expected, items.map((item) => table.columns[item]![r]!)));
    expect(expected.n).toBeLessThan(200);
    expectSameMoments(moments, expected);
  });

  it('survive the stored blob: k sums then the products, little-endian float64', () => {
    const moments = momentsFromTable(answers(3, 120), items);
    const bytes = encodeMoments(moments);
    expect(bytes.byteLength).toBe((4 + 10) * 8);
    const view = new DataView(bytes.buffer);
    expect(view.getFloat64(0, true)).toBe(moments.sums[0]);
    expect(view.getFloat64(4 * 8, true)).toBe(moments.products[0]);
    expectSameMoments(decodeMoments(items, moments.n, bytes), moments);
    // A database driver hands back a view into a larger buffer.
    const padded = new Uint8Array(bytes.byteLength + 16);
    padded.set(bytes, 8);
    expectSameMoments(decodeMoments(items, moments.n, padded.subarray(8, 8 + bytes.byteLength)), moments);
  });

  it('refuse a blob that does not fit the item list, and merging different items', () => {
    const moments = momentsFromTable(answers(3, 20), items);
    expect(() => decodeMoments(items.slice(0, 3), moments.n, encodeMoments(moments))).toThrow(
      'moments of 3 items take 72 bytes (got 112); the item list does not match the stored cell',
    );
    expect(() => mergeMoments(moments, emptyMoments(['overall', 'price', 'delivery', 'staff']))).toThrow(/different items/);
    expect(() => emptyMoments(['a', 'b', 'a'])).toThrow('item "a" is listed twice; list each item once');
  });

  it('of a subset, in any order, equal the moments built over those items from the same rows', () => {
    const table = answers(4, 150);
    const subset = subsetMoments(momentsFromTable(table, items), ['staff', 'overall', 'price']);
    expectSameMoments(subset, momentsFromTable(table, ['staff', 'overall', 'price']));
    expect(() => subsetMoments(subset, ['delivery'])).toThrow('item "delivery" is not among the moments\' items (staff, overall, price)');
  });

  it('give the means and the n − 1 covariance of the rows', () => {
    const table = answers(5, 500);
    const { means, covariance } = covarianceFromMoments(momentsFromTable(table, items));
    const columns = items.map((item) => table.columns[item]!);
    const n = 500;
    columns.forEach((x, i) => {
      const meanX = x.reduce((sum, value) => sum + value, 0) / n;
      expect(Math.abs(means[i]! - meanX)).toBeLessThan(1e-12);
      columns.forEach((y, j) => {
        const meanY = y.reduce((sum, value) => sum + value, 0) / n;
        let cross = 0;
        for (let r = 0; r < n; r++) cross += (x[r]! - meanX) * (y[r]! - meanY);
        expect(Math.abs(covariance[i * 4 + j]! - cross / (n - 1))).toBeLessThan(1e-12);
      });
    });
    expect(() => covarianceFromMoments(emptyMoments(items))).toThrow('a covariance needs at least 2 complete responses (got 0)');
  });
});

describe('covarianceFromMoments on values that do not vary', () => {
  it('gives variance 0 where Σx² − (Σx)²/n leaves only rounding', () => {
    const moments = emptyMoments(['share', 'score']);
    for (let r = 0; r < 35; r++) addObservation(moments, [0.1, r % 5]);
    const { covariance } = covarianceFromMoments(moments);
    expect(moments.products[0]! - moments.sums[0]! ** 2 / 35).not.toBe(0);
    expect(covariance[0]).toBe(0);
    expect(covariance[3]).toBeCloseTo(70 / 34, 12);
  });
});
