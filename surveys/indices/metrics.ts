// The industry's standard single-item figures: CSAT, NPS and CES, each with its n and a 95% interval.
// Unanswered entries (null, undefined) are skipped; an answer off the item's scale is a programming error
// upstream (answers are validated on the way in), so it throws rather than being quietly dropped.
import { isPresent, meanEstimate, wilsonInterval } from './stats.ts';

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

export function csat(ratings: Ratings): CsatFigure {
  const answered = onScale(ratings, 'CSAT', 1, 5);
  const n = answered.length;
  const satisfied = answered.filter((rating) => rating >= 4).length;
  if (n === 0) return { n, satisfied, percent: null, low: null, high: null };
  const interval = wilsonInterval(satisfied, n);
  return { n, satisfied, percent: (100 * satisfied) / n, low: 100 * interval.low!, high: 100 * interval.high! };
}

export function nps(ratings: Ratings): NpsFigure {
  const answered = onScale(ratings, 'NPS', 0, 10);
  const n = answered.length;
  const promoters = answered.filter((rating) => rating >= 9).length;
  const detractors = answered.filter((rating) => rating <= 6).length;
  const passives = n - promoters - detractors;
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
  const { n, mean, sd, standardError, low, high } = meanEstimate(onScale(ratings, 'CES', 1, 7));
  return { n, mean, sd, standardError, low, high };
}

function onScale(ratings: Ratings, name: string, min: number, max: number): number[] {
  const answered: number[] = [];
  for (const rating of ratings) {
    if (!isPresent(rating)) continue;
    if (!Number.isInteger(rating) || rating < min || rating > max) {
      throw new RangeError(`${name} answers must be whole numbers from ${min} to ${max} (got ${rating})`);
    }
    answered.push(rating);
  }
  return answered;
}
