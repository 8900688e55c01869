// The complaint figures from the facts of the cases and loop catches a filter selects: volumes, times in
// business hours (median and p90 with their 95% intervals), shares of deadlines met, the reopen rate, the
// handling score, the recovery-outcome mix and the detractors followed up. Pure: the caller reads the rows,
// and passes the business-time measure and the bucket of an instant, so the numbers are tested directly.
import type { LocalizedText } from '../../surveys/definition.ts';
import { addDays, dayOf, dayStart, type BucketUnit } from '../../surveys/indices/periods.ts';
import { incompleteBeta, meanEstimate, normalQuantile, wilsonInterval } from '../../surveys/indices/stats.ts';
import type { Estimate } from '../insights/types.ts';
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './calendar.ts';
import {
  caseChannels,
  caseSeverities,
  caseSources,
  type CaseChannel,
  type CaseSeverity,
  type CaseSource,
  type CaseStatus,
  type RecoveryOutcome,
  type SilentDetractorReason,
} from './vocabulary.ts';

const hourMs = 3_600_000;

// ---------------------------------------------------------------------------------------------------------
// Quantiles and their intervals.

/**
 * The q-quantile of sorted values, interpolated between the two nearest order statistics (Hyndman and Fan's
 * type 7, the default of R and numpy): the median of an even count is the mean of the middle two.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(n - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/** P(B ≤ k) for B ~ Binomial(n, q). */
function binomialCdf(k: number, n: number, q: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return incompleteBeta(1 - q, n - k, k + 1);
}

/**
 * A distribution-free 95% interval for the q-quantile: the order statistics X(l) and X(u) (1-based) with
 * P(l ≤ B < u) ≥ 0.95 for B ~ Binomial(n, q), each tail at most 2.5%. Null ends when n is too small for
 * an interval of that coverage (under 6 values for the median, under 36 for the upper end of p90).
 */
export function quantileInterval(sorted: ArrayLike<number>, q: number): { low: number | null; high: number | null } {
  const n = sorted.length;
  if (n === 0) return { low: null, high: null };
  // l: the largest rank with P(B ≤ l − 1) ≤ 2.5%; u: the smallest with P(B ≤ u − 1) ≥ 97.5%. The normal
  // approximation gives the start, exact binomial steps settle it.
  const centre = n * q;
  const spread = normalQuantile(0.975) * Math.sqrt(n * q * (1 - q));
  let l = Math.max(0, Math.floor(centre - spread));
  while (l > 0 && binomialCdf(l - 1, n, q) > 0.025) l--;
  while (l + 1 <= n && binomialCdf(l, n, q) <= 0.025) l++;
  let u = Math.min(n + 1, Math.ceil(centre + spread) + 1);
  while (u > 1 && binomialCdf(u - 2, n, q) >= 0.975) u--;
  while (u <= n && binomialCdf(u - 1, n, q) < 0.975) u++;
  return { low: l >= 1 ? sorted[l - 1]! : null, high: u <= n ? sorted[u - 1]! : null };
}

/** How long something took, in business hours: its median and 90th percentile with their 95% intervals. */
export interface DurationFigure {
  /** Cases the time is known for. */
  n: number;
  /** Cases in the selection still waiting for it (left out of the figures, which would otherwise look faster). */
  pending: number;
  median: Estimate;
  p90: Estimate;
}

/** The figure of durations in ms, reported in hours. */
export function durationFigure(durationsMs: readonly number[], pending: number): DurationFigure {
  const sorted = Float64Array.from(durationsMs, (ms) => ms / hourMs).sort();
  const at = (q: number): Estimate => ({ n: sorted.length, value: quantile(sorted, q), ...quantileInterval(sorted, q) });
  return { n: sorted.length, pending, median: at(0.5), p90: at(0.9) };
}

/** A share (0 to 1) of n with its Wilson interval. */
export function shareEstimate(successes: number, n: number): Estimate {
  if (n === 0) return { n, value: null, low: null, high: null };
  return { n, value: successes / n, ...wilsonInterval(successes, n) };
}

/**
 * A mean with its 95% t interval; given the answer scale, the interval is kept within it (as the NPS interval
 * is kept within ±100), so a handful of answers never shows a handling score below 1 or above 5.
 */
export function meanFigure(values: readonly number[], scale?: readonly [number, number]): Estimate {
  const estimate = meanEstimate(values);
  const within = (bound: number | null) => (bound === null || !scale ? bound : Math.min(scale[1], Math.max(scale[0], bound)));
  return { n: estimate.n, value: estimate.mean, low: within(estimate.low), high: within(estimate.high) };
}

/** The scale the handling question is answered on. */
const handlingScale = [1, 5] as const;

// ---------------------------------------------------------------------------------------------------------
// Business time, many times over.

/**
 * businessMsBetween for many pairs of instants within [from, to]: each local day's open interval and the
 * business time before it are found once (two calendar calls a day), then each pair costs two binary
 * searches instead of a walk over its days through Intl. Agrees with businessMsBetween exactly (the calendar
 * opens once a day, [start, end)); instants outside the span are measured by businessMsBetween itself.
 */
export function businessClock(calendar: BusinessCalendar, from: number, to: number): (start: number, end: number) => number {
  if (calendar.alwaysOpen) return (start, end) => Math.max(0, end - start);
  const zone = calendar.timeZone;
  const midnights: number[] = [];
  const opens: number[] = [];
  const widths: number[] = [];
  const before: number[] = [];
  let day = dayOf(from, zone);
  let midnight = dayStart(day, zone);
  let total = 0;
  while (midnight <= to) {
    const nextDay = addDays(day, 1);
    const next = dayStart(nextDay, zone);
    const width = businessMsBetween(calendar, midnight, next);
    midnights.push(midnight);
    widths.push(width);
    before.push(total);
    // The instant one business ms has passed, less that ms: where the day's hours begin.
    opens.push(width > 0 ? addBusinessMs(calendar, midnight, 1) - 1 : midnight);
    total += width;
    day = nextDay;
    midnight = next;
  }
  const first = midnights[0] ?? midnight;
  const end = midnight;
  const elapsed = (at: number) => {
    let low = 0;
    let high = midnights.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (midnights[middle]! <= at) low = middle;
      else high = middle - 1;
    }
    return before[low]! + Math.min(widths[low]!, Math.max(0, at - opens[low]!));
  };
  return (start, stop) => {
    if (!(stop > start)) return 0;
    if (start < first || stop >= end) return businessMsBetween(calendar, start, stop);
    return elapsed(stop) - elapsed(start);
  };
}

// ---------------------------------------------------------------------------------------------------------
// What is read from the database.

/** A case as the figures see it (times in epoch ms). */
export interface CaseFacts {
  createdAt: number;
  status: CaseStatus;
  source: CaseSource;
  channel: CaseChannel;
  category: string;
  severity: CaseSeverity;
  firstRespondedAt: number | null;
  resolvedAt: number | null;
  deadlinesMissed: readonly string[];
  reopenCount: number;
  handlingScore: number | null;
  outcome: RecoveryOutcome | null;
  customerLeft: boolean;
}

/** A survey answer a loop-closing rule caught, with its case's opening and first response when it has one. */
export interface CatchFacts {
  submittedAt: number;
  surveyId: string;
  ruleIds: readonly string[];
  caseId: string | null;
  silentReason: SilentDetractorReason | null;
  caseCreatedAt: number | null;
  caseFirstRespondedAt: number | null;
}

// ---------------------------------------------------------------------------------------------------------
// The report.

export interface CountRow {
  key: string;
  count: number;
  /** Of all cases in the selection (merged duplicates left out), 0 to 1. */
  share: number | null;
}

export interface RuleRow {
  surveyId: string;
  ruleId: string;
  /** The survey's title and the rule in words, for the label. */
  survey: LocalizedText;
  rule: LocalizedText;
  catches: number;
  cases: number;
  silent: number;
}

/** The recovery outcome as the TARP table's columns read it; customer_left is an unresolved case whose customer went. */
export const outcomeColumns = ['resolved_quickly', 'resolved', 'unresolved', 'customer_left'] as const;
export type OutcomeColumn = (typeof outcomeColumns)[number];

/** The published share who buy again for each column of the TARP table, per severity (0 to 1). */
export type TarpFigures = Record<CaseSeverity, { notComplained: number; notSatisfied: number; satisfied: number; satisfiedQuickly: number }>;

export interface OutcomeRow {
  severity: CaseSeverity;
  outcome: OutcomeColumn;
  count: number;
  /** Of the cases of this severity with an outcome, with its Wilson interval. */
  share: Estimate;
  /** The published share of such customers who buy again; null where the table has no column (the customer left). */
  published: number | null;
}

export interface TrendRow {
  /** First day of the week or month. */
  bucket: string;
  opened: number;
  firstResponse: Estimate;
  /** Finished cases opened in the bucket that met every deadline. */
  deadlinesMet: Estimate;
  handling: Estimate;
}

export interface ComplaintFigures {
  /** Cases opened in the selection, merged duplicates left out; those merged; those still open. */
  cases: number;
  merged: number;
  open: number;
  volume: { category: CountRow[]; channel: CountRow[]; severity: CountRow[]; source: CountRow[] };
  rules: RuleRow[];
  /** Business hours from opening to the first response, and to resolution (the latest, time waiting on the customer included). */
  firstResponse: DurationFigure;
  resolution: DurationFigure;
  /**
   * Shares of deadlines met, each over the cases whose deadline is decided: the first response (answered, or
   * missed), resolution (resolved, or missed), and every deadline of a finished case (resolved or closed).
   */
  deadlines: { firstResponse: Estimate; resolution: Estimate; all: Estimate };
  /** Cases resolved at least once that were reopened. */
  reopenRate: Estimate;
  /** The post-resolution survey's "satisfied with how it was handled", 1 to 5. */
  handling: Estimate;
  outcomes: OutcomeRow[];
  /** Cases of the selection with no outcome yet (still being worked). */
  outcomePending: number;
  followUp: {
    /** Survey answers caught by a loop-closing rule. */
    catches: number;
    /** Of them, those that opened a case (the rest are silent detractors, never contacted). */
    withCase: Estimate;
    silent: Record<SilentDetractorReason, number>;
    /** Business hours from the answer's case opening to its first response. */
    firstResponse: DurationFigure;
  };
  unit: BucketUnit;
  trend: TrendRow[];
}

export interface FigureInput {
  cases: readonly CaseFacts[];
  catches: readonly CatchFacts[];
  /** Business time between two instants on the complaint calendar, in ms. */
  businessMs: (from: number, to: number) => number;
  /** The first day of the bucket an instant falls in (reporting time zone). */
  bucketOf: (at: number) => string;
  unit: BucketUnit;
  /** Every bucket of the range, in order, so empty ones show as gaps. */
  buckets: readonly string[];
  categories: readonly string[];
  surveyTitle: (surveyId: string) => LocalizedText;
  ruleLabel: (surveyId: string, ruleId: string) => LocalizedText;
  tarp: TarpFigures;
}

const finished = (status: CaseStatus) => status === 'resolved' || status === 'closed';

/** Which outcome column a case falls in, or null while it has none. */
export function outcomeColumnOf(facts: Pick<CaseFacts, 'outcome' | 'customerLeft'>): OutcomeColumn | null {
  if (facts.customerLeft) return 'customer_left';
  return facts.outcome;
}

const publishedOf = (tarp: TarpFigures, severity: CaseSeverity, column: OutcomeColumn): number | null => {
  if (column === 'resolved_quickly') return tarp[severity].satisfiedQuickly;
  if (column === 'resolved') return tarp[severity].satisfied;
  if (column === 'unresolved') return tarp[severity].notSatisfied;
  return null;
};

interface Tally {
  firstResponse: number[];
  resolution: number[];
  firstPending: number;
  resolutionPending: number;
  firstDecided: number;
  firstMet: number;
  resolutionDecided: number;
  resolutionMet: number;
  finished: number;
  allMet: number;
  everResolved: number;
  reopened: number;
  handling: number[];
  opened: number;
}

const newTally = (): Tally => ({
  firstResponse: [], resolution: [], firstPending: 0, resolutionPending: 0, firstDecided: 0, firstMet: 0, resolutionDecided: 0,
  resolutionMet: 0, finished: 0, allMet: 0, everResolved: 0, reopened: 0, handling: [], opened: 0,
});

/** Adds a case, with its business time to first response and to resolution (null while not reached). */
function add(tally: Tally, facts: CaseFacts, firstMs: number | null, resolutionMs: number | null) {
  tally.opened++;
  const missedFirst = facts.deadlinesMissed.includes('first_response');
  const missedResolution = facts.deadlinesMissed.includes('resolution');
  if (firstMs !== null) tally.firstResponse.push(firstMs);
  else tally.firstPending++;
  if (facts.firstRespondedAt !== null || missedFirst) {
    tally.firstDecided++;
    if (!missedFirst) tally.firstMet++;
  }
  const done = finished(facts.status);
  if (resolutionMs !== null) tally.resolution.push(resolutionMs);
  else tally.resolutionPending++;
  if (done || missedResolution) {
    tally.resolutionDecided++;
    if (!missedResolution) tally.resolutionMet++;
  }
  if (done) {
    tally.finished++;
    if (facts.deadlinesMissed.length === 0) tally.allMet++;
  }
  if (facts.resolvedAt !== null || facts.reopenCount > 0) {
    tally.everResolved++;
    if (facts.reopenCount > 0) tally.reopened++;
  }
  if (facts.handlingScore !== null) tally.handling.push(facts.handlingScore);
}

/** The median of durations in ms, in hours, with its interval (the trend's points). */
function medianHours(durationsMs: readonly number[]): Estimate {
  const sorted = Float64Array.from(durationsMs, (ms) => ms / hourMs).sort();
  return { n: sorted.length, value: quantile(sorted, 0.5), ...quantileInterval(sorted, 0.5) };
}

function tallyCounts(keys: readonly string[], tally: Map<string, number>, total: number): CountRow[] {
  const order = [...keys, ...[...tally.keys()].filter((key) => !keys.includes(key))];
  return order.map((key) => {
    const count = tally.get(key) ?? 0;
    return { key, count, share: total === 0 ? null : count / total };
  });
}

export function complaintFigures(input: FigureInput): ComplaintFigures {
  const all = newTally();
  const byBucket = new Map<string, Tally>(input.buckets.map((bucket) => [bucket, newTally()]));
  const volume = { category: new Map<string, number>(), channel: new Map<string, number>(), severity: new Map<string, number>(), source: new Map<string, number>() };
  const bump = (tally: Map<string, number>, key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
  // Outcome counts by severity, then column.
  const outcomeCounts = caseSeverities.map(() => outcomeColumns.map(() => 0));
  let total = 0;
  let open = 0;
  let outcomePending = 0;
  for (const facts of input.cases) {
    if (facts.status === 'merged') continue;
    total++;
    if (!finished(facts.status)) open++;
    bump(volume.category, facts.category);
    bump(volume.channel, facts.channel);
    bump(volume.severity, facts.severity);
    bump(volume.source, facts.source);
    const firstMs = facts.firstRespondedAt !== null ? input.businessMs(facts.createdAt, facts.firstRespondedAt) : null;
    const resolutionMs = finished(facts.status) && facts.resolvedAt !== null ? input.businessMs(facts.createdAt, facts.resolvedAt) : null;
    add(all, facts, firstMs, resolutionMs);
    const bucket = byBucket.get(input.bucketOf(facts.createdAt));
    if (bucket) add(bucket, facts, firstMs, resolutionMs);
    const column = outcomeColumnOf(facts);
    if (column === null) outcomePending++;
    else outcomeCounts[caseSeverities.indexOf(facts.severity)]![outcomeColumns.indexOf(column)]!++;
  }

  const outcomes: OutcomeRow[] = caseSeverities.flatMap((severity, severityIndex) => {
    const row = outcomeCounts[severityIndex]!;
    const ofSeverity = row.reduce((sum, count) => sum + count, 0);
    return outcomeColumns.map((outcome, column) => ({
      severity,
      outcome,
      count: row[column]!,
      share: shareEstimate(row[column]!, ofSeverity),
      published: publishedOf(input.tarp, severity, outcome),
    }));
  });

  const rules = new Map<string, RuleRow>();
  const silent: Record<SilentDetractorReason, number> = { no_customer: 0, no_consent: 0 };
  const followUpTimes: number[] = [];
  let withCase = 0;
  let followUpPending = 0;
  for (const caught of input.catches) {
    if (caught.caseId !== null) {
      withCase++;
      if (caught.caseCreatedAt !== null && caught.caseFirstRespondedAt !== null) followUpTimes.push(input.businessMs(caught.caseCreatedAt, caught.caseFirstRespondedAt));
      else followUpPending++;
    } else if (caught.silentReason !== null) {
      silent[caught.silentReason]++;
    }
    for (const ruleId of new Set(caught.ruleIds)) {
      const key = `${caught.surveyId} ${ruleId}`;
      let row = rules.get(key);
      if (!row) rules.set(key, (row = { surveyId: caught.surveyId, ruleId, survey: input.surveyTitle(caught.surveyId), rule: input.ruleLabel(caught.surveyId, ruleId), catches: 0, cases: 0, silent: 0 }));
      row.catches++;
      if (caught.caseId !== null) row.cases++;
      else row.silent++;
    }
  }

  return {
    cases: total,
    merged: input.cases.length - total,
    open,
    volume: {
      category: tallyCounts(input.categories, volume.category, total),
      channel: tallyCounts(caseChannels, volume.channel, total),
      severity: tallyCounts(caseSeverities, volume.severity, total),
      source: tallyCounts(caseSources, volume.source, total),
    },
    rules: [...rules.values()].sort((a, b) => b.catches - a.catches || a.surveyId.localeCompare(b.surveyId) || a.ruleId.localeCompare(b.ruleId)),
    firstResponse: durationFigure(all.firstResponse, all.firstPending),
    resolution: durationFigure(all.resolution, all.resolutionPending),
    deadlines: {
      firstResponse: shareEstimate(all.firstMet, all.firstDecided),
      resolution: shareEstimate(all.resolutionMet, all.resolutionDecided),
      all: shareEstimate(all.allMet, all.finished),
    },
    reopenRate: shareEstimate(all.reopened, all.everResolved),
    handling: meanFigure(all.handling, handlingScale),
    outcomes,
    outcomePending,
    followUp: {
      catches: input.catches.length,
      withCase: shareEstimate(withCase, input.catches.length),
      silent,
      firstResponse: durationFigure(followUpTimes, followUpPending),
    },
    unit: input.unit,
    trend: [...byBucket].map(([bucket, tally]) => ({
      bucket,
      opened: tally.opened,
      firstResponse: medianHours(tally.firstResponse),
      deadlinesMet: shareEstimate(tally.allMet, tally.finished),
      handling: meanFigure(tally.handling, handlingScale),
    })),
  };
}
