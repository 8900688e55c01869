import { describe, expect, it } from 'vitest';
import { defaultWordOfMouth, expectationIndex, levelsFromCounts, satisfactionLevel, type PairsByAttribute } from './expectation.ts';
import { tQuantile } from './stats.ts';

const tenPoint = { scale: { min: 0, max: 10 } };

const responses: PairsByAttribute[] = [
  { product: { expectation: 8, experience: 8 }, service: { expectation: 10, experience: 9 } }, // 1, 0.9
  { product: { expectation: 5, experience: 10 }, service: { expectation: 0, experience: 5 } }, // 2, excluded
  { product: { expectation: 10, experience: 7 }, service: { expectation: 10, experience: 10 } }, // 0.7, 1
];

describe('expectationIndex: c = b / a', () => {
  it('averages the ratio per attribute with n and a t interval', () => {
    const report = expectationIndex(responses, tenPoint);
    const [product, service] = report.attributes;
    expect(product).toMatchObject({ attribute: 'product', n: 3, excludedZeroExpectation: 0 });
    expect(product!.mean).toBeCloseTo((1 + 2 + 0.7) / 3, 14);
    const sd = Math.sqrt(((1 - 3.7 / 3) ** 2 + (2 - 3.7 / 3) ** 2 + (0.7 - 3.7 / 3) ** 2) / 2);
    expect(product!.sd).toBeCloseTo(sd, 14);
    expect(product!.high! - product!.mean!).toBeCloseTo(tQuantile(0.975, 2) * (sd / Math.sqrt(3)), 12);
    expect(service).toMatchObject({ attribute: 'service', n: 2, excludedZeroExpectation: 1 });
    expect(service!.mean).toBeCloseTo(0.95, 14);
  });

  it('leaves a pair with expectation 0 out of the attribute and of the response index', () => {
    const report = expectationIndex(responses, tenPoint);
    expect(report.perResponse[1]).toBe(2); // only product counts
    const onlyZero = expectationIndex([{ service: { expectation: 0, experience: 3 } }], tenPoint);
    expect(onlyZero.perResponse).toEqual([null]);
    expect(onlyZero.attributes[0]).toMatchObject({ n: 0, mean: null, excludedZeroExpectation: 1 });
    expect(onlyZero.overall.n).toBe(0);
  });

  it('gives each response an equally weighted index when no importance is stated', () => {
    const report = expectationIndex(responses, tenPoint);
    expect(report.perResponse[0]).toBeCloseTo(0.95, 14);
    expect(report.perResponse[2]).toBeCloseTo(0.85, 14);
    expect(report.overall.n).toBe(3);
    expect(report.overall.mean).toBeCloseTo((0.95 + 2 + 0.85) / 3, 14);
    expect(report.overall.low).not.toBeNull();
  });

  it('weights by stated importance, filling a missing importance with the response mean', () => {
    const weighted = expectationIndex(
      [{ product: { expectation: 8, experience: 8, importance: 9 }, service: { expectation: 10, experience: 5, importance: 3 } }],
      tenPoint,
    );
    expect(weighted.perResponse[0]).toBeCloseTo((9 * 1 + 3 * 0.5) / 12, 14);
    const partly = expectationIndex(
      [
        {
          product: { expectation: 8, experience: 8, importance: 9 },
          service: { expectation: 10, experience: 5, importance: 3 },
          customer_care: { expectation: 5, experience: 5 },
        },
      ],
      tenPoint,
    );
    expect(partly.perResponse[0]).toBeCloseTo((9 * 1 + 3 * 0.5 + 6 * 1) / 18, 14);
    const allZero = expectationIndex(
      [{ product: { expectation: 8, experience: 8, importance: 0 }, service: { expectation: 10, experience: 5, importance: 0 } }],
      tenPoint,
    );
    expect(allZero.perResponse[0]).toBeCloseTo(0.75, 14);
  });

  it('counts the three levels with their shares and word-of-mouth reach', () => {
    const report = expectationIndex(responses, tenPoint);
    expect(report.cutoffs).toEqual({ dissatisfiedBelow: 0.9, highlySatisfiedAbove: 1.1 });
    expect(report.levels).toEqual([
      { level: 'dissatisfied', count: 1, share: 1 / 3, peoplePerCustomer: 22, reach: 22 },
      { level: 'satisfied', count: 1, share: 1 / 3, peoplePerCustomer: 8, reach: 8 },
      { level: 'highly_satisfied', count: 1, share: 1 / 3, peoplePerCustomer: 10, reach: 10 },
    ]);
    expect(report.totalReach).toBe(40);
  });

  it('takes configured cut-offs and word of mouth', () => {
    const report = expectationIndex(responses, {
      ...tenPoint,
      cutoffs: { dissatisfiedBelow: 0.8, highlySatisfiedAbove: 2 },
      wordOfMouth: { dissatisfied: 11, highly_satisfied: 15 },
    });
    expect(report.levels.map((level) => [level.count, level.reach])).toEqual([[0, 0], [3, 24], [0, 0]]);
    expect(report.totalReach).toBe(24);
  });

  it('puts the cut-offs themselves in satisfied, even after rounding', () => {
    expect(satisfactionLevel(0.9)).toBe('satisfied');
    expect(satisfactionLevel(1.1)).toBe('satisfied');
    expect(satisfactionLevel(0.8 + 0.1)).toBe('satisfied');
    expect(satisfactionLevel(0.89)).toBe('dissatisfied');
    expect(satisfactionLevel(1.1000001)).toBe('highly_satisfied');
  });

  it('reports attributes in the order asked, and only those', () => {
    const report = expectationIndex(responses, { ...tenPoint, attributes: ['service', 'company_image'] });
    expect(report.attributes.map((a) => [a.attribute, a.n])).toEqual([['service', 2], ['company_image', 0]]);
    expect(report.perResponse[0]).toBeCloseTo(0.9, 14);
  });

  it('gives n = 0 and nulls, not NaN, for no responses', () => {
    const report = expectationIndex([], tenPoint);
    expect(report.overall).toEqual({ n: 0, mean: null, sd: null, standardError: null, low: null, high: null });
    expect(report.levels.every((level) => level.count === 0 && level.share === null)).toBe(true);
    expect(report.totalReach).toBe(0);
  });

  it('rejects answers off the scale and crossed cut-offs', () => {
    expect(() => expectationIndex([{ product: { expectation: 8, experience: 6 } }], { scale: { min: 1, max: 7 } })).toThrow(
      'response 1, attribute "product": expectation must be from 1 to 7 (got 8)',
    );
    expect(() => expectationIndex([], { ...tenPoint, cutoffs: { dissatisfiedBelow: 1.2 } })).toThrow(/must not be above/);
  });
});

describe('levelsFromCounts', () => {
  it('gives the same levels and reach as expectationIndex from the counts alone', () => {
    const report = expectationIndex(responses, tenPoint);
    const counts = { dissatisfied: 1, satisfied: 1, highly_satisfied: 1 };
    expect(levelsFromCounts(counts, defaultWordOfMouth)).toEqual({ levels: report.levels, totalReach: report.totalReach });
  });

  it('shares out pre-aggregated counts with configured word of mouth', () => {
    const { levels, totalReach } = levelsFromCounts(
      { dissatisfied: 30, satisfied: 50, highly_satisfied: 20 },
      { dissatisfied: 20, satisfied: 5, highly_satisfied: 12 },
    );
    expect(levels.map((level) => [level.level, level.share, level.reach])).toEqual([
      ['dissatisfied', 0.3, 600],
      ['satisfied', 0.5, 250],
      ['highly_satisfied', 0.2, 240],
    ]);
    expect(totalReach).toBe(1090);
  });

  it('has null shares without responses and rejects a count that is not a whole number', () => {
    const { levels } = levelsFromCounts({ dissatisfied: 0, satisfied: 0, highly_satisfied: 0 }, defaultWordOfMouth);
    expect(levels.every((level) => level.share === null)).toBe(true);
    expect(() => levelsFromCounts({ dissatisfied: 1.5, satisfied: 0, highly_satisfied: 0 }, defaultWordOfMouth)).toThrow(
      'the count of "dissatisfied" responses must be a whole number ≥ 0 (got 1.5)',
    );
  });
});
