// The industry's standard single-item figures: CSAT, NPS and CES, each with its n and a 95% interval.
// Unanswered entries (null, undefined) are skipped; an answer off the item's scale is a programming error
// upstream (answers are validated on the way in), so it throws rather than being quietly dropped.
import { estimateFromDeviations, isPresent, wilsonInterval } from './stats.ts';

export type Ratings = readonly (number | null | undefined)[];

/** CSAT: the percentage of 4 and 5 on a 1-5 item, with a Wilson 95% interval in percent. */
export interface CsatFigure {
  n: number;
  satisfied: number;
  /** 0-100; null when n = 0. */
  percent: number | null;
  low: number | null;
  high: number | null;
}

/** NPS: % promoters (9-10) minus % detractors (0-6), from −100 to 100. */
export interface NpsFigure {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  score: number | null;
  /** 100·√(((p + d) − (p − d)²)/n), with p and d the promoter and detractor shares. */
  standardError: number | null;
  /** score ± 1.96·SE, clamped to [−100, 100]. */
  low: number | null;
  high: number | null;
}

/** CES: the mean effort on 1-7 with a Student t 95% interval (null below two answers). */
export interface CesFigure {
  n: number;
  mean: number | null;
  sd: number | null;
  standardError: number | null;
  low: number | null;
  high: number | null;
}

/**
 * How many answered each value: `counts[v]` for v from 0 to 10, the layout of pre-aggregated answers
 * (h0..h10). Shorter arrays count the missing values as 0.
 */
export type AnswerCounts = ArrayLike<number>;

export function csat(ratings: Ratings): CsatFigure {
  return csatFromCounts(tally(ratings, 'CSAT', 1, 5));
}

export function csatFromCounts(counts: AnswerCounts): CsatFigure {
  checkCounts(counts, 'CSAT', 1, 5);
  const n = total(counts, 1, 5);
  const satisfied = total(counts, 4, 5);
  if (n === 0) return { n, satisfied, percent: null, low: null, high: null };
  const interval = wilsonInterval(satisfied, n);
  return { n, satisfied, percent: (100 * satisfied) / n, low: 100 * interval.low!, high: 100 * interval.high! };
}

export function nps(ratings: Ratings): NpsFigure {
  return npsFromCounts(tally(ratings, 'NPS', 0, 10));
}

export function npsFromCounts(counts: AnswerCounts): NpsFigure {
  checkCounts(counts, 'NPS', 0, 10);
  const promoters = total(counts, 9, 10);
  const detractors = total(counts, 0, 6);
  const passives = total(counts, 7, 8);
  const n = promoters + passives + detractors;
  if (n === 0) {
    return { n, promoters, passives, detractors, score: null, standardError: null, low: null, high: null };
  }
  const p = promoters / n;
  const d = detractors / n;
  const score = 100 * (p - d);
  // Variance of the per-answer score (+1, 0, −1): E[X²] − E[X]²; floored at 0 against rounding.
  const standardError = 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
  return {
    n,
    promoters,
    passives,
    detractors,
    score,
    standardError,
    low: Math.max(-100, score - 1.96 * standardError),
    high: Math.min(100, score + 1.96 * standardError),
  };
}

export function ces(ratings: Ratings): CesFigure {
  return cesFromCounts(tally(ratings, 'CES', 1, 7));
}

export function cesFromCounts(counts: AnswerCounts): CesFigure {
  checkCounts(counts, 'CES', 1, 7);
  const n = total(counts, 1, 7);
  let sum = 0;
  for (let value = 1; value <= 7; value++) sum += value * (counts[value] ?? 0);
  const mean = sum / n;
  // The values are known, so the deviations are taken from the mean directly (no Σx² − (Σx)²/n).
  let squares = 0;
  for (let value = 1; value <= 7; value++) squares += (counts[value] ?? 0) * (value - mean) ** 2;
  const { mean: estimatedMean, sd, standardError, low, high } = estimateFromDeviations(n, mean, squares);
  return { n, mean: estimatedMean, sd, standardError, low, high };
}

/** Counts of each answer 0-10; an answer off the item's scale throws. */
function tally(ratings: Ratings, name: string, min: number, max: number): Float64Array {
  const counts = new Float64Array(11);
  for (const rating of ratings) {
    if (!isPresent(rating)) continue;
    if (!Number.isInteger(rating) || rating < min || rating > max) throw offScale(name, min, max, rating);
    counts[rating]!++;
  }
  return counts;
}

function checkCounts(counts: AnswerCounts, name: string, min: number, max: number): void {
  for (let value = 0; value < counts.length; value++) {
    const count = counts[value]!;
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`${name} counts must be whole numbers ≥ 0 (got ${count} for answer ${value})`);
    }
    if (count > 0 && (value < min || value > max)) throw offScale(name, min, max, value);
  }
}

function offScale(name: string, min: number, max: number, rating: number): RangeError {
  return new RangeError(`${name} answers must be whole numbers from ${min} to ${max} (got ${rating})`);
}

function total(counts: AnswerCounts, from: number, to: number): number {
  let sum = 0;
  for (let value = from; value <= to; value++) sum += counts[value] ?? 0;
  return sum;
}
