// The textbook satisfaction index c = b / a (experience over expectation), per attribute and overall,
// the three levels of satisfaction and the word of mouth they imply.
import { isPresent, meanEstimate, type MeanEstimate } from './stats.ts';

/** One attribute's answer: expectation a, experience b on the same scale, optional stated importance. */
export interface ExpectationPair {
  expectation: number;
  experience: number;
  importance?: number | null | undefined;
}

/** One response: its pairs keyed by attribute (product, service, …); a missing attribute is unanswered. */
export type PairsByAttribute = Readonly<Record<string, ExpectationPair | null | undefined>>;

export interface Scale {
  min: number;
  max: number;
}

export type SatisfactionLevel = 'dissatisfied' | 'satisfied' | 'highly_satisfied';
export const satisfactionLevels: readonly SatisfactionLevel[] = ['dissatisfied', 'satisfied', 'highly_satisfied'];

/** c below `dissatisfiedBelow` is dissatisfied, above `highlySatisfiedAbove` highly satisfied. */
export interface LevelCutoffs {
  dissatisfiedBelow: number;
  highlySatisfiedAbove: number;
}
export const defaultCutoffs: LevelCutoffs = { dissatisfiedBelow: 0.9, highlySatisfiedAbove: 1.1 };

/** How many people a customer at each level tells (the practice's figures: 22, 8, 10 or more). */
export type WordOfMouth = Record<SatisfactionLevel, number>;
export const defaultWordOfMouth: WordOfMouth = { dissatisfied: 22, satisfied: 8, highly_satisfied: 10 };

export interface ExpectationOptions {
  /** Scale of expectation and experience, e.g. { min: 1, max: 7 } or { min: 0, max: 10 }. */
  scale: Scale;
  /** Scale of stated importance; defaults to `scale`. */
  importanceScale?: Scale;
  /** Report order of the attributes; defaults to the order they first appear. */
  attributes?: readonly string[];
  cutoffs?: Partial<LevelCutoffs>;
  wordOfMouth?: Partial<WordOfMouth>;
}

export interface AttributeRatio extends MeanEstimate {
  attribute: string;
  /** Pairs left out because the expectation was 0: c = b / 0 has no value. */
  excludedZeroExpectation: number;
}

export interface LevelCount {
  level: SatisfactionLevel;
  count: number;
  /** count / n, from 0 to 1; null when no response has an index. */
  share: number | null;
  peoplePerCustomer: number;
  /** count × peoplePerCustomer. */
  reach: number;
}

export interface ExpectationReport {
  attributes: AttributeRatio[];
  /** Each response's importance-weighted index, in input order; null when it has no usable pair. */
  perResponse: (number | null)[];
  /** Mean of the per-response indices, with n and a 95% t interval. */
  overall: MeanEstimate;
  cutoffs: LevelCutoffs;
  levels: LevelCount[];
  /** People reached by word of mouth over all levels. */
  totalReach: number;
}

// Ratios like 0.8 + 0.1 land a hair off 0.9; within this distance of a cut-off a ratio counts as on it.
const cutoffTolerance = 1e-12;

/**
 * The satisfaction index c = b / a for every pair, summarised per attribute and per response.
 *
 * - a = 0 (possible on a 0-10 scale) has no ratio: that pair is left out of the attribute's mean and of
 *   the response's index, and counted in `excludedZeroExpectation`.
 * - A response's index is the mean of its ratios weighted by stated importance. An attribute answered
 *   without importance takes the mean importance the same response gave its other attributes; when the
 *   response stated none (or only zeros) every attribute weighs the same.
 * - Levels and reach are counted over responses that have an index.
 */
export function expectationIndex(responses: readonly PairsByAttribute[], options: ExpectationOptions): ExpectationReport {
  const { scale } = options;
  const importanceScale = options.importanceScale ?? scale;
  checkScale(scale, 'the expectation/experience scale');
  checkScale(importanceScale, 'the importance scale');
  const cutoffs: LevelCutoffs = { ...defaultCutoffs, ...options.cutoffs };
  if (!(cutoffs.dissatisfiedBelow <= cutoffs.highlySatisfiedAbove)) {
    throw new RangeError(
      `the dissatisfied cut-off (${cutoffs.dissatisfiedBelow}) must not be above the highly satisfied cut-off (${cutoffs.highlySatisfiedAbove})`,
    );
  }
  const wordOfMouth: WordOfMouth = { ...defaultWordOfMouth, ...options.wordOfMouth };

  const order = [...(options.attributes ?? [])];
  const ratiosByAttribute = new Map<string, number[]>(order.map((attribute) => [attribute, []]));
  const excluded = new Map<string, number>();
  const perResponse: (number | null)[] = [];

  responses.forEach((response, index) => {
    const ratios: number[] = [];
    const importances: (number | null)[] = [];
    for (const [attribute, pair] of Object.entries(response)) {
      if (pair === null || pair === undefined) continue;
      const where = `response ${index + 1}, attribute "${attribute}"`;
      checkOnScale(pair.expectation, scale, `${where}: expectation`);
      checkOnScale(pair.experience, scale, `${where}: experience`);
      const importance = isPresent(pair.importance) ? pair.importance : null;
      if (importance !== null) checkOnScale(importance, importanceScale, `${where}: importance`);
      let list = ratiosByAttribute.get(attribute);
      if (!list) {
        if (options.attributes) continue; // only the attributes asked for
        list = [];
        ratiosByAttribute.set(attribute, list);
        order.push(attribute);
      }
      if (pair.expectation === 0) {
        excluded.set(attribute, (excluded.get(attribute) ?? 0) + 1);
        continue;
      }
      const ratio = pair.experience / pair.expectation;
      list.push(ratio);
      ratios.push(ratio);
      importances.push(importance);
    }
    perResponse.push(weightedIndex(ratios, importances));
  });

  const attributes = order.map((attribute) => ({
    attribute,
    ...meanEstimate(ratiosByAttribute.get(attribute) ?? []),
    excludedZeroExpectation: excluded.get(attribute) ?? 0,
  }));
  const indices = perResponse.filter(isPresent);
  const counts: Record<SatisfactionLevel, number> = { dissatisfied: 0, satisfied: 0, highly_satisfied: 0 };
  for (const c of indices) counts[satisfactionLevel(c, cutoffs)]++;
  const { levels, totalReach } = levelsFromCounts(counts, wordOfMouth);
  return { attributes, perResponse, overall: meanEstimate(indices), cutoffs, levels, totalReach };
}

/** The levels, their shares and word-of-mouth reach from how many responses fell in each level. */
export function levelsFromCounts(
  counts: Record<SatisfactionLevel, number>,
  wordOfMouth: WordOfMouth,
): { levels: LevelCount[]; totalReach: number } {
  let n = 0;
  for (const level of satisfactionLevels) {
    const count = counts[level];
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`the count of "${level}" responses must be a whole number ≥ 0 (got ${count})`);
    }
    n += count;
  }
  const levels = satisfactionLevels.map((level) => ({
    level,
    count: counts[level],
    share: n === 0 ? null : counts[level] / n,
    peoplePerCustomer: wordOfMouth[level],
    reach: counts[level] * wordOfMouth[level],
  }));
  return { levels, totalReach: levels.reduce((sum, level) => sum + level.reach, 0) };
}

/** The level of one index value: c < 0.9 dissatisfied, 0.9 ≤ c ≤ 1.1 satisfied, c > 1.1 highly satisfied. */
export function satisfactionLevel(c: number, cutoffs: LevelCutoffs = defaultCutoffs): SatisfactionLevel {
  if (c < cutoffs.dissatisfiedBelow - cutoffTolerance) return 'dissatisfied';
  if (c > cutoffs.highlySatisfiedAbove + cutoffTolerance) return 'highly_satisfied';
  return 'satisfied';
}

function weightedIndex(ratios: readonly number[], importances: readonly (number | null)[]): number | null {
  if (ratios.length === 0) return null;
  const stated = importances.filter(isPresent);
  const fallback = stated.length === 0 ? 1 : stated.reduce((sum, value) => sum + value, 0) / stated.length;
  const useEqual = fallback === 0; // no importance stated, or all stated as 0: nothing to weigh by
  let weighted = 0;
  let totalWeight = 0;
  ratios.forEach((ratio, i) => {
    const weight = useEqual ? 1 : (importances[i] ?? fallback);
    weighted += weight * ratio;
    totalWeight += weight;
  });
  return weighted / totalWeight;
}

function checkScale(scale: Scale, name: string): void {
  if (!(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.min >= 0 && scale.max > scale.min)) {
    throw new RangeError(`${name} must run from a number ≥ 0 up to a larger one (got ${scale.min} to ${scale.max})`);
  }
}

function checkOnScale(value: number, scale: Scale, what: string): void {
  if (!(Number.isFinite(value) && value >= scale.min && value <= scale.max)) {
    throw new RangeError(`${what} must be from ${scale.min} to ${scale.max} (got ${value})`);
  }
}
