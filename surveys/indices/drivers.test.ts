import { describe, expect, it } from 'vitest';
import { seeded } from '../random.ts';
import {
  keyDrivers,
  keyDriversFromMoments,
  quadrantOf,
  relativeWeights,
  relativeWeightsFromCorrelations,
  type DriverReport,
} from './drivers.ts';
import { solve, squareMatrix } from './linalg.ts';
import { momentsFromTable } from './moments.ts';
import { itemTable } from './pls.ts';
import { correlation } from './stats.ts';

const clamp = (x: number) => Math.min(10, Math.max(1, Math.round(x)));

function survey(n: number) {
  const next = seeded(42);
  const noise = () => next() + next() + next() - 1.5;
  const overall: number[] = [];
  const attributes = { delivery: [] as number[], price: [] as number[], packaging: [] as number[], website: [] as number[] };
  for (let i = 0; i < n; i++) {
    const latent = 5.5 + 3 * noise();
    overall.push(clamp(latent + noise()));
    attributes.delivery.push(clamp(latent + 1.5 + noise())); // matters, rated well
    attributes.price.push(clamp(latent - 2 + noise())); // matters, rated poorly
    attributes.packaging.push(clamp(3 + 2 * noise())); // does not matter, rated poorly
    attributes.website.push(clamp(8 + 2 * noise())); // does not matter, rated well
  }
  return { overall, attributes, scale: { min: 1, max: 10 } };
}

describe('keyDrivers', () => {
  it('places each attribute in its importance-performance quadrant', () => {
    const report = keyDrivers(survey(400));
    expect(Object.fromEntries(report.attributes.map((a) => [a.attribute, a.quadrant]))).toEqual({
      delivery: 'keep_up',
      price: 'concentrate_here',
      packaging: 'low_priority',
      website: 'possible_overkill',
    });
    expect(report.importanceMeasure).toBe('correlation');
  });

  it('uses the correlation with overall satisfaction and performance rescaled 0-100', () => {
    const input = survey(400);
    const report = keyDrivers(input);
    const delivery = report.attributes[0]!;
    expect(delivery.correlation).toBeCloseTo(correlation(input.attributes.delivery, input.overall).r!, 14);
    const mean = input.attributes.delivery.reduce((sum, x) => sum + x, 0) / 400;
    expect(delivery.performance).toBeCloseTo(((mean - 1) / 9) * 100, 12);
    expect(delivery.n).toBe(400);
    expect(report.importanceSplit).toBeCloseTo(report.attributes.reduce((sum, a) => sum + a.correlation!, 0) / 4, 14);
  });

  it('can rank by relative weight; the weights sum to R²', () => {
    const report = keyDrivers(survey(400), { importance: 'relative_weight' });
    expect(report.importanceMeasure).toBe('relative_weight');
    const sum = report.attributes.reduce((total, a) => total + a.relativeWeight!, 0);
    expect(sum).toBeCloseTo(report.rSquared!, 12);
    expect(report.attributes.reduce((total, a) => total + a.relativeWeightShare!, 0)).toBeCloseTo(1, 12);
    expect(report.attributes.map((a) => a.quadrant)).toEqual(['keep_up', 'concentrate_here', 'low_priority', 'possible_overkill']);
  });

  it('keeps correlations pairwise and relative weights listwise under missing answers', () => {
    const input = survey(100);
    const price: (number | null)[] = [...input.attributes.price];
    price[3] = null;
    const overall: (number | null)[] = [...input.overall];
    overall[7] = null;
    const report = keyDrivers({ ...input, overall, attributes: { ...input.attributes, price } });
    expect(report.attributes[1]).toMatchObject({ attribute: 'price', n: 99, correlationN: 98 });
    expect(report.attributes[0]).toMatchObject({ attribute: 'delivery', n: 100, correlationN: 99 });
    expect(report.relativeWeightN).toBe(98);
  });

  it('leaves an attribute nobody rated without a quadrant', () => {
    const report = keyDrivers({ overall: [1, 2, 3, 4], attributes: { a: [1, 2, 4, 3], b: [null, null, null, null] }, scale: { min: 1, max: 5 } });
    expect(report.attributes[1]).toMatchObject({ n: 0, performance: null, correlation: null, quadrant: null });
    expect(report.attributes[0]!.quadrant).toBe('keep_up');
    expect(report.rSquared).toBeNull();
  });

  it('counts a tie with the split as high', () => {
    expect(quadrantOf(0.5, 50, 0.5, 50)).toBe('keep_up');
    expect(quadrantOf(0.4, 50, 0.5, 50)).toBe('possible_overkill');
    expect(quadrantOf(0.5, 49, 0.5, 50)).toBe('concentrate_here');
    expect(quadrantOf(0.4, 49, 0.5, 50)).toBe('low_priority');
  });
});

describe('relativeWeights', () => {
  it('equals each squared correlation when the predictors are uncorrelated', () => {
    const x1 = [1, -1, 1, -1, 1, -1, 1, -1];
    const x2 = [1, 1, -1, -1, 1, 1, -1, -1];
    const y = [3.1, -1.2, 1.05, -2.9, 2.8, -0.7, 0.9, -3.3];
    const result = relativeWeights(y, [x1, x2])!;
    expect(result.weights[0]).toBeCloseTo(correlation(x1, y).r! ** 2, 12);
    expect(result.weights[1]).toBeCloseTo(correlation(x2, y).r! ** 2, 12);
  });

  it('shares out the R² of the regression on correlated predictors', () => {
    const next = seeded(7);
    const x1: number[] = [];
    const x2: number[] = [];
    const x3: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const a = next();
      const b = next() + 0.6 * a;
      const c = next() - 0.3 * b;
      x1.push(a);
      x2.push(b);
      x3.push(c);
      y.push(0.5 * a + b + 0.2 * c + next());
    }
    const result = relativeWeights(y, [x1, x2, x3])!;
    const r = (u: number[], v: number[]) => correlation(u, v).r!;
    const rxx = squareMatrix(3, [1, r(x1, x2), r(x1, x3), r(x1, x2), 1, r(x2, x3), r(x1, x3), r(x2, x3), 1]);
    const rxy = [r(x1, y), r(x2, y), r(x3, y)];
    const beta = solve(rxx, rxy)!;
    const rSquared = beta.reduce((sum, b, i) => sum + b * rxy[i]!, 0);
    expect(result.rSquared).toBeCloseTo(rSquared, 12);
    expect(result.weights.reduce((sum, w) => sum + w, 0)).toBeCloseTo(rSquared, 12);
    expect(result.weights.every((w) => w >= 0)).toBe(true);
    expect(result.weights[1]).toBeGreaterThan(result.weights[0]!);
  });

  it('is null with fewer complete responses than predictors + 2', () => {
    expect(relativeWeights([1, 2, 3], [[1, 2, 3], [3, 1, 2]])).toBeNull();
    expect(relativeWeightsFromCorrelations(squareMatrix(3, [1, 0.5, 0.2, 0.5, 1, 0.1, 0.2, 0.1, 1]), 3)).toBeNull();
  });

  it('from a correlation matrix alone equal R² shared by squared correlations when predictors are uncorrelated', () => {
    const result = relativeWeightsFromCorrelations(squareMatrix(3, [1, 0.6, 0.3, 0.6, 1, 0, 0.3, 0, 1]), 100)!;
    expect(result.n).toBe(100);
    expect(result.weights[0]).toBeCloseTo(0.36, 12);
    expect(result.weights[1]).toBeCloseTo(0.09, 12);
    expect(result.rSquared).toBeCloseTo(0.45, 12);
  });
});

describe('keyDriversFromMoments', () => {
  const names = ['delivery', 'price', 'packaging', 'website'];
  const momentsOf = (input: ReturnType<typeof survey>) =>
    momentsFromTable(itemTable({ overall: input.overall, ...input.attributes }), ['overall', ...names]);

  function expectSameReport(actual: DriverReport, expected: DriverReport) {
    const close = (a: number | null, b: number | null, what: string) => {
      if (b === null) expect(a, what).toBeNull();
      else expect(Math.abs(a! - b), what).toBeLessThan(1e-9);
    };
    expect(actual.importanceMeasure).toBe(expected.importanceMeasure);
    expect(actual.relativeWeightN).toBe(expected.relativeWeightN);
    close(actual.rSquared, expected.rSquared, 'rSquared');
    close(actual.importanceSplit, expected.importanceSplit, 'importanceSplit');
    close(actual.performanceSplit, expected.performanceSplit, 'performanceSplit');
    expect(actual.attributes.map((a) => [a.attribute, a.n, a.correlationN, a.quadrant])).toEqual(
      expected.attributes.map((a) => [a.attribute, a.n, a.correlationN, a.quadrant]),
    );
    actual.attributes.forEach((a, i) => {
      const b = expected.attributes[i]!;
      for (const key of ['performance', 'correlation', 'relativeWeight', 'relativeWeightShare', 'importance'] as const) {
        close(a[key], b[key], `${a.attribute} ${key}`);
      }
    });
  }

  for (const importance of ['correlation', 'relative_weight'] as const) {
    it(`equals keyDrivers on the same complete responses, ranked by ${importance}`, () => {
      const input = survey(400);
      const fromMoments = keyDriversFromMoments(momentsOf(input), 'overall', names, input.scale, { importance });
      expectSameReport(fromMoments, keyDrivers(input, { importance }));
      expect(fromMoments.relativeWeightN).toBe(400);
      expect(fromMoments.attributes.map((a) => a.quadrant)).toEqual(['keep_up', 'concentrate_here', 'low_priority', 'possible_overkill']);
    });
  }

  it('takes the attributes asked for, in that order, from moments kept over more items', () => {
    const input = survey(200);
    const { delivery, website } = input.attributes;
    const expected = keyDrivers({ overall: input.overall, attributes: { website, delivery }, scale: input.scale });
    expectSameReport(keyDriversFromMoments(momentsOf(input), 'overall', ['website', 'delivery'], input.scale), expected);
  });

  it('leaves correlations and relative weights out where keyDrivers does: too few responses, a flat item', () => {
    const small = survey(2);
    expectSameReport(keyDriversFromMoments(momentsOf(small), 'overall', names, small.scale), keyDrivers(small));
    const none = survey(0);
    expectSameReport(keyDriversFromMoments(momentsOf(none), 'overall', names, none.scale), keyDrivers(none));
    const input = survey(50);
    const flat = { ...input, attributes: { ...input.attributes, packaging: input.attributes.packaging.map(() => 4) } };
    const report = keyDriversFromMoments(momentsOf(flat), 'overall', names, flat.scale);
    expect(report.attributes[2]).toMatchObject({ attribute: 'packaging', correlation: null, quadrant: null });
    expect(report.rSquared).toBeNull();
    expectSameReport(report, keyDrivers(flat));
  });
});
