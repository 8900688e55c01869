import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numericColumns, parseCsv } from './csv.ts';
import {
  mobiCsvPath,
  mobiIndices,
  mobiLoadings,
  mobiModelPath,
  mobiPaths,
  mobiRSquared,
  mobiWeights,
} from './mobi-reference.ts';
import { momentsFromTable } from './moments.ts';
import { constructScores, estimatePls, estimatePlsFromMoments, itemTable, PlsError, type ItemTable, type PlsResult } from './pls.ts';
import type { PlsModelInput } from './pls-model.ts';

// The ECSI mobi data and model, read from ../shared/fixtures/pls/ beside the repository.
const model: PlsModelInput = JSON.parse(readFileSync(mobiModelPath, 'utf8'));
const items = Object.values(model.constructs).flat();
const mobi = numericColumns(parseCsv(readFileSync(mobiCsvPath, 'utf8')), items);

function expectWithin(actual: Record<string, number>, expected: Record<string, number>, tolerance = 1e-4) {
  for (const [key, published] of Object.entries(expected)) {
    const value = actual[key];
    expect(value, `${key} is missing`).toBeTypeOf('number');
    expect(Math.abs(value! - published), `${key}: got ${value}, published ${published}`).toBeLessThan(tolerance);
  }
}

const pathsOf = (result: PlsResult) =>
  Object.fromEntries(result.paths.map((path) => [`${path.from}->${path.to}`, path.coefficient]));
const weightsOf = (result: PlsResult) => Object.fromEntries(Object.entries(result.items).map(([item, x]) => [item, x.weight]));
const loadingsOf = (result: PlsResult) => Object.fromEntries(Object.entries(result.items).map(([item, x]) => [item, x.loading]));

/** A copy of the table with `change` applied to each column. */
function mapColumns(table: ItemTable, change: (name: string, column: Float64Array) => Float64Array): ItemTable {
  return {
    rowCount: table.rowCount,
    columns: Object.fromEntries(Object.entries(table.columns).map(([name, column]) => [name, change(name, column)])),
  };
}

function maxDifference(a: Record<string, number>, b: Record<string, number>): number {
  return Math.max(...Object.keys(a).map((key) => Math.abs(a[key]! - b[key]!)));
}

describe('estimatePls on the ECSI mobi data (path weighting)', () => {
  const result = estimatePls(mobi, model);

  it('converges', () => {
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeGreaterThan(1);
    expect(result.iterations).toBeLessThan(300);
    expect(result).toMatchObject({ scheme: 'path', scaled: true, missing: 'mean', respondents: 250, droppedRespondents: 0, imputedAnswers: 0 });
  });

  it('reproduces every published path coefficient', () => {
    expect(result.paths.map((path) => `${path.from}->${path.to}`)).toEqual(Object.keys(mobiPaths));
    expectWithin(pathsOf(result), mobiPaths);
  });

  it('reproduces every published R²', () => {
    expect(Object.keys(result.rSquared).sort()).toEqual(Object.keys(mobiRSquared).sort());
    expectWithin(result.rSquared, mobiRSquared);
  });

  it('reproduces every published outer weight, and CUSCO alone weighs 1', () => {
    expectWithin(weightsOf(result), { ...mobiWeights, CUSCO: 1 });
  });

  it('reproduces the published loadings', () => {
    expectWithin(loadingsOf(result), mobiLoadings);
  });

  it('reproduces the seven 0-100 indices', () => {
    expectWithin(result.indices, mobiIndices);
  });

  it('gives construct scores with mean 0 and sd 1 whose correlations with the items are the loadings', () => {
    const scores = constructScores(mobi, result);
    const satisfaction = scores.Satisfaction!;
    const n = satisfaction.length;
    const mean = satisfaction.reduce((sum, x) => sum + x, 0) / n;
    const sd = Math.sqrt(satisfaction.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
    expect(mean).toBeCloseTo(0, 12);
    expect(sd).toBeCloseTo(1, 12);
    const cusa1 = mobi.columns.CUSA1!;
    const itemMean = cusa1.reduce((sum, x) => sum + x, 0) / n;
    let cross = 0;
    let squares = 0;
    for (let r = 0; r < n; r++) {
      cross += (cusa1[r]! - itemMean) * satisfaction[r]!;
      squares += (cusa1[r]! - itemMean) ** 2;
    }
    expect(cross / Math.sqrt(squares * (n - 1))).toBeCloseTo(result.items.CUSA1!.loading, 12);
  });
});

describe('estimatePls: centroid and factorial schemes', () => {
  const path = estimatePls(mobi, model);
  for (const scheme of ['centroid', 'factorial'] as const) {
    it(`${scheme} converges to sensible numbers slightly different from path weighting`, () => {
      const result = estimatePls(mobi, model, { scheme });
      expect(result.scheme).toBe(scheme);
      expect(result.converged).toBe(true);
      for (const r2 of Object.values(result.rSquared)) {
        expect(r2).toBeGreaterThan(0);
        expect(r2).toBeLessThan(1);
      }
      const difference = Math.max(
        maxDifference(pathsOf(result), pathsOf(path)),
        maxDifference(weightsOf(result), weightsOf(path)),
      );
      expect(difference).toBeGreaterThan(1e-6);
      expect(difference).toBeLessThan(0.05);
      for (const [name, index] of Object.entries(result.indices)) expect(Math.abs(index - path.indices[name]!)).toBeLessThan(1);
    });
  }

  it('takes the scheme from the model when no option overrides it', () => {
    expect(estimatePls(mobi, { ...model, scheme: 'factorial' }).scheme).toBe('factorial');
  });
});

describe('estimatePls: scaling', () => {
  it('does not depend on the units of standardised items', () => {
    const stretched = mapColumns(mobi, (name, column) => (name === 'CUSA2' ? column.map((x) => 10 * x + 3) : column));
    const result = estimatePls(stretched, model);
    expect(maxDifference(pathsOf(result), mobiPaths)).toBeLessThan(1e-4);
    // The index is on the items' scale, so only the stretched construct's index moves.
    expect(result.indices.Loyalty).toBeCloseTo(estimatePls(mobi, model).indices.Loyalty!, 10);
  });

  it('with unscaled items, weights act on raw items: equal spreads give the standardised result / sd', () => {
    const standardised = mapColumns(mobi, (_, column) => {
      const n = column.length;
      const mean = column.reduce((sum, x) => sum + x, 0) / n;
      const sd = Math.sqrt(column.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
      return column.map((x) => 5 + (2 * (x - mean)) / sd); // every item: sd 2
    });
    const unscaled = estimatePls(standardised, { ...model, scaled: false });
    expect(unscaled.scaled).toBe(false);
    expect(maxDifference(pathsOf(unscaled), mobiPaths)).toBeLessThan(1e-4);
    for (const [item, weight] of Object.entries(mobiWeights)) expect(unscaled.items[item]!.weight).toBeCloseTo(weight / 2, 5);
    expectWithin(loadingsOf(unscaled), mobiLoadings);
  });

  it('with unscaled items of different spreads still converges with R² in (0, 1)', () => {
    const result = estimatePls(mobi, { ...model, scaled: false });
    expect(result.converged).toBe(true);
    for (const r2 of Object.values(result.rSquared)) expect(r2 > 0 && r2 < 1).toBe(true);
    for (const index of Object.values(result.indices)) expect(index > 0 && index < 100).toBe(true);
  });
});

describe('estimatePls: missing answers', () => {
  // Blank some answers: every 7th respondent's CUSA2, every 11th respondent's IMAG1 and PERQ3.
  const holes = mapColumns(mobi, (name, column) =>
    column.map((x, r) =>
      (name === 'CUSA2' && r % 7 === 0) || ((name === 'IMAG1' || name === 'PERQ3') && r % 11 === 0) ? Number.NaN : x,
    ),
  );
  const blanks = Math.ceil(250 / 7) + 2 * Math.ceil(250 / 11);

  it('by default fills a missing answer with its item mean', () => {
    const filled = mapColumns(holes, (_, column) => {
      const present = column.filter((x) => !Number.isNaN(x));
      const mean = present.reduce((sum, x) => sum + x, 0) / present.length;
      return column.map((x) => (Number.isNaN(x) ? mean : x));
    });
    const imputed = estimatePls(holes, model);
    const explicit = estimatePls(filled, model);
    expect(imputed).toMatchObject({ missing: 'mean', respondents: 250, droppedRespondents: 0, imputedAnswers: blanks });
    expect(maxDifference(pathsOf(imputed), pathsOf(explicit))).toBeLessThan(1e-12);
    expect(maxDifference(weightsOf(imputed), weightsOf(explicit))).toBeLessThan(1e-12);
    expect(maxDifference(imputed.indices, explicit.indices)).toBeLessThan(1e-10);
    expect(maxDifference(pathsOf(imputed), mobiPaths)).toBeLessThan(0.05);
  });

  it('listwise leaves out every respondent missing any item', () => {
    const keep = Array.from({ length: 250 }, (_, r) => r % 7 !== 0 && r % 11 !== 0);
    const complete = mapColumns(holes, (_, column) => column.filter((_, r) => keep[r]));
    const kept = keep.filter(Boolean).length;
    const listwise = estimatePls(holes, model, { missing: 'listwise' });
    const explicit = estimatePls({ rowCount: kept, columns: complete.columns }, model);
    expect(listwise).toMatchObject({ missing: 'listwise', respondents: kept, droppedRespondents: 250 - kept, imputedAnswers: 0 });
    expect(maxDifference(pathsOf(listwise), pathsOf(explicit))).toBeLessThan(1e-12);
    expect(maxDifference(listwise.indices, explicit.indices)).toBeLessThan(1e-10);
    const scores = constructScores(holes, listwise);
    expect(Number.isNaN(scores.Satisfaction![0]!)).toBe(true);
    expect(Number.isNaN(scores.Satisfaction![1]!)).toBe(false);
  });

  it('itemTable turns null and undefined into missing answers', () => {
    const table = itemTable({ a: [1, null, 3], b: [undefined, 2, 3] });
    expect(table.rowCount).toBe(3);
    expect([...table.columns.a!]).toEqual([1, Number.NaN, 3]);
    expect([...table.columns.b!]).toEqual([Number.NaN, 2, 3]);
    expect(() => itemTable({ a: [1, 2], b: [1] })).toThrow('column "b" has 1 rows but "a" has 2');
  });
});

describe('estimatePls: data and models it cannot use', () => {
  it('names the construct of a cycle and an item missing from the data', () => {
    expect(() => estimatePls(mobi, { ...model, paths: [...model.paths, ['Loyalty', 'Image']] })).toThrow(
      /cycle Image -> Expectation -> .*Loyalty -> Image/,
    );
    const { CUSA3: _dropped, ...columns } = mobi.columns;
    expect(() => estimatePls({ rowCount: 250, columns }, model)).toThrow(
      new PlsError('item "CUSA3" of construct "Satisfaction" is not a column of the data'),
    );
  });

  it('names an item that never varies', () => {
    const flat = mapColumns(mobi, (name, column) => (name === 'PERV1' ? column.map(() => 7) : column));
    expect(() => estimatePls(flat, model)).toThrow('item "PERV1" has the same answer from every respondent');
  });

  it('needs at least 3 respondents', () => {
    const two = mapColumns(mobi, (_, column) => column.slice(0, 2));
    expect(() => estimatePls({ rowCount: 2, columns: two.columns }, model)).toThrow('PLS needs at least 3 respondents (got 2)');
  });

  it('stops at maxIterations and says it did not converge', () => {
    const result = estimatePls(mobi, model, { maxIterations: 2 });
    expect(result).toMatchObject({ iterations: 2, converged: false });
  });
});

/** Every number of two results within `tolerance`, and the same counts and flags. */
function expectSameResult(actual: PlsResult, expected: PlsResult, tolerance = 1e-9) {
  const { paths, rSquared, items: itemResults, indices, ...rest } = expected;
  expect({ ...actual, paths: undefined, rSquared: undefined, items: undefined, indices: undefined }).toEqual({
    ...rest,
    paths: undefined,
    rSquared: undefined,
    items: undefined,
    indices: undefined,
  });
  expect(actual.paths.map((path) => `${path.from}->${path.to}`)).toEqual(paths.map((path) => `${path.from}->${path.to}`));
  expect(maxDifference(pathsOf(actual), pathsOf(expected))).toBeLessThan(tolerance);
  expect(Object.keys(actual.rSquared)).toEqual(Object.keys(rSquared));
  expect(maxDifference(actual.rSquared, rSquared)).toBeLessThan(tolerance);
  expect(Object.keys(actual.items)).toEqual(Object.keys(itemResults));
  for (const [item, expectedItem] of Object.entries(itemResults)) {
    const actualItem = actual.items[item]!;
    expect(actualItem.construct).toBe(expectedItem.construct);
    for (const key of ['mean', 'sd', 'weight', 'loading'] as const) {
      expect(Math.abs(actualItem[key] - expectedItem[key]), `${item} ${key}`).toBeLessThan(tolerance);
    }
  }
  expect(maxDifference(actual.indices, indices)).toBeLessThan(tolerance);
}

describe('estimatePlsFromMoments', () => {
  const moments = momentsFromTable(mobi, items);

  it('reproduces the published mobi results from the moments alone (path weighting)', () => {
    const result = estimatePlsFromMoments(moments, model);
    expect(result).toMatchObject({ scheme: 'path', missing: 'listwise', converged: true });
    expect(result).toMatchObject({ respondents: 250, droppedRespondents: 0, imputedAnswers: 0 });
    expectWithin(pathsOf(result), mobiPaths);
    expectWithin(result.rSquared, mobiRSquared);
    expectWithin(weightsOf(result), { ...mobiWeights, CUSCO: 1 });
    expectWithin(loadingsOf(result), mobiLoadings);
    expectWithin(result.indices, mobiIndices);
    expectSameResult(result, estimatePls(mobi, model, { missing: 'listwise' }));
  });

  for (const scheme of ['centroid', 'factorial'] as const) {
    it(`equals estimatePls listwise under the ${scheme} scheme`, () => {
      expectSameResult(estimatePlsFromMoments(moments, model, { scheme }), estimatePls(mobi, model, { scheme, missing: 'listwise' }));
    });
  }

  it('equals estimatePls listwise on unscaled items', () => {
    const unscaled = { ...model, scaled: false };
    expectSameResult(estimatePlsFromMoments(moments, unscaled), estimatePls(mobi, unscaled, { missing: 'listwise' }));
  });

  it('equals estimatePls listwise on data with missing answers, counting only the complete respondents', () => {
    const holes = mapColumns(mobi, (name, column) =>
      column.map((x, r) => ((name === 'CUSL2' && r % 5 === 0) || (name === 'PERQ6' && r % 13 === 2) ? Number.NaN : x)),
    );
    const listwise = estimatePls(holes, model, { missing: 'listwise' });
    expect(listwise.droppedRespondents).toBeGreaterThan(0);
    const result = estimatePlsFromMoments(momentsFromTable(holes, items), model);
    expect(result.respondents).toBe(listwise.respondents);
    expectSameResult(result, { ...listwise, droppedRespondents: 0 });
  });

  it('uses only the model\'s items from moments kept over more, in the model\'s order', () => {
    const reversed = momentsFromTable(mobi, [...items].reverse());
    expectSameResult(estimatePlsFromMoments(reversed, model), estimatePls(mobi, model, { missing: 'listwise' }));
  });

  it('says what to change for too few respondents, a flat item or an item it has no moments for', () => {
    const few = momentsFromTable({ rowCount: 2, columns: mapColumns(mobi, (_, column) => column.slice(0, 2)).columns }, items);
    expect(() => estimatePlsFromMoments(few, model)).toThrow(
      new PlsError('PLS needs at least 3 respondents with every item answered (got 2)'),
    );
    const flat = momentsFromTable(mapColumns(mobi, (name, column) => (name === 'PERV1' ? column.map(() => 7) : column)), items);
    expect(() => estimatePlsFromMoments(flat, model)).toThrow('item "PERV1" has the same answer from every respondent');
    const withoutCusa3 = momentsFromTable(mobi, items.filter((item) => item !== 'CUSA3'));
    expect(() => estimatePlsFromMoments(withoutCusa3, model)).toThrow(
      'item "CUSA3" of construct "Satisfaction" is not a column of the data',
    );
  });
});
