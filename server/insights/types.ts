// The shapes the insights API answers with, shared by the server and the staff app. Types and word lists only.
import type { LocalizedText } from '../../surveys/definition.ts';
import type { BucketUnit, DayRange } from '../../surveys/indices/periods.ts';
import type { Quadrant } from '../../surveys/indices/drivers.ts';
import type { LevelCutoffs, SatisfactionLevel, WordOfMouth } from '../../surveys/indices/expectation.ts';

export type { BucketUnit, DayRange, LevelCutoffs, Quadrant, SatisfactionLevel, WordOfMouth };

export const responseChannels = ['phone', 'mail', 'onsite', 'web'] as const;
export type ResponseChannel = (typeof responseChannels)[number];

/** What a trend or a comparison is split by. */
export const splits = ['none', 'channel', 'survey', 'tier', 'segment', 'region'] as const;
export type Split = (typeof splits)[number];

/**
 * The filter every insights request takes, kept in the dashboard's URL. In a query string: from, to
 * (YYYY-MM-DD, inclusive, in the reporting time zone), survey (an id; absent for all surveys), channel
 * (repeatable or comma-separated; absent for all), segment, flagged=exclude to leave flagged responses out.
 */
export interface InsightFilter {
  from: string;
  to: string;
  surveyId: string | null;
  channels: ResponseChannel[];
  segment: string | null;
  excludeFlagged: boolean;
}

/**
 * Kinds of figure:
 * - responses: how many responses (no interval);
 * - csat: % of 4-5 on a 1-5 item, Wilson interval; nps: % 9-10 minus % 0-6, ± 1.96 SE; ces: mean 1-7, t interval;
 * - rating: a rating item's mean rescaled 0-100 from its scale, t interval;
 * - c: the expectation/experience index c = b/a, overall (importance-weighted) or of one attribute, t interval;
 * - acsi: a construct's 0-100 index from the survey's PLS model (no interval).
 */
export const metricKinds = ['responses', 'csat', 'nps', 'ces', 'rating', 'c', 'acsi'] as const;
export type MetricKind = (typeof metricKinds)[number];

/**
 * A figure the dashboard can draw. key: `responses`; `csat`, `nps`, `ces`, `c` (a survey's first item of the
 * kind, and across surveys each survey's first); `csat:<questionId>`, `nps:<questionId>`, `ces:<questionId>`,
 * `rating:<questionId>`; `c:<attribute>`; `acsi:<constructId>` (one survey only).
 */
export interface MetricOption {
  key: string;
  kind: MetricKind;
  label: LocalizedText;
}

/** One figure with its sample size and 95% interval (null ends where no interval applies or n is too small). */
export interface Estimate {
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface SurveyOption {
  id: string;
  title: LocalizedText;
  /** The survey's link name (/s/<slug>) and status, so surveys with the same title can be told apart. */
  slug: string;
  status: 'draft' | 'published' | 'closed';
  kind: 'satisfaction' | 'complaint' | 'follow_up';
  metrics: MetricOption[];
  /** The figure a view of this survey opens on: its index where it has a model, else its first figure that is not a count. */
  defaultMetric: string;
  /** Whether the survey has expectation/experience pairs, key drivers, an index model. */
  hasLevels: boolean;
  hasDrivers: boolean;
  hasModel: boolean;
}

/** GET /api/insights/options: what the filters and metric pickers offer. */
export interface InsightOptions {
  surveys: SurveyOption[];
  /** Metrics that work across all surveys. */
  metrics: MetricOption[];
  segments: string[];
  regions: string[];
  tiers: ('vip' | 'important' | 'ordinary')[];
  channels: ResponseChannel[];
  /** The reporting time zone days are counted in, and today's date there. */
  timeZone: string;
  today: string;
  /** The first and last day with responses; null on an empty database. */
  firstDay: string | null;
  lastDay: string | null;
}

export interface PeriodFigure {
  metric: MetricOption;
  current: Estimate;
  previous: Estimate;
  /** current − previous; null when either is unknown. */
  change: number | null;
}

export interface ResponseRate {
  channel: ResponseChannel;
  invited: number;
  completed: number;
  /** completed / invited, 0-1; null when nobody was invited. */
  rate: number | null;
}

/** GET /api/insights/overview: headline figures for the period and the one before it. */
export interface OverviewReport {
  filter: InsightFilter;
  previous: DayRange;
  figures: PeriodFigure[];
  /** Invitations sent in the period on each channel and how many of them were answered. */
  responseRates: ResponseRate[];
  /** Responses in the period carrying a data-quality flag (counted whatever the exclude switch says). */
  flagged: { speeder: number; straightLiner: number; duplicate: number; any: number; total: number };
  /** How far the aggregates have got: responses not yet folded in (normally 0 within a second or two). */
  pending: number;
}

export interface TrendPoint extends Estimate {
  /** First day of the bucket. */
  bucket: string;
}

export interface TrendSeries {
  /** The split value (a channel, survey id, tier, segment or region; '' for no value, 'all' without a split). */
  key: string;
  label: LocalizedText;
  points: TrendPoint[];
}

/** GET /api/insights/trend?metric=&unit=&split=: one series per split value, every bucket present. */
export interface TrendReport {
  filter: InsightFilter;
  metric: MetricOption;
  unit: BucketUnit;
  split: Split;
  buckets: string[];
  series: TrendSeries[];
}

export interface ComparisonRow {
  key: string;
  label: LocalizedText;
  current: Estimate;
  previous: Estimate;
  change: number | null;
}

/** GET /api/insights/compare?metric=&split=: this period against the one before, per split value. */
export interface ComparisonReport {
  filter: InsightFilter;
  previous: DayRange;
  metric: MetricOption;
  split: Split;
  rows: ComparisonRow[];
}

export interface DriverRow {
  /** The question id (or attribute key for expectation/experience pairs). */
  key: string;
  label: LocalizedText;
  /** Mean rating rescaled 0-100. */
  performance: number | null;
  /** Correlation with overall satisfaction, or the relative weight (share of R²). */
  importance: number | null;
  correlation: number | null;
  relativeWeightShare: number | null;
  quadrant: Quadrant | null;
}

/** GET /api/insights/drivers (one survey): importance against performance over complete responses. */
export interface DriversReport {
  filter: InsightFilter;
  /** The overall-satisfaction question the attributes are set against. */
  overall: { key: string; label: LocalizedText };
  importanceMeasure: 'correlation' | 'relative_weight';
  /** Responses that answered the overall question and every attribute. */
  n: number;
  rSquared: number | null;
  importanceSplit: number | null;
  performanceSplit: number | null;
  rows: DriverRow[];
}

export interface LevelRow {
  level: SatisfactionLevel;
  count: number;
  share: number | null;
  peoplePerCustomer: number;
  reach: number;
}

/** GET /api/insights/levels: the c = b/a index per attribute and overall, the three levels and their reach. */
export interface LevelsReport {
  filter: InsightFilter;
  attributes: ({ key: string; label: LocalizedText } & Estimate)[];
  overall: Estimate;
  cutoffs: LevelCutoffs;
  levels: LevelRow[];
  totalReach: number;
}

/** GET /api/insights/model (one survey with an index model): the PLS estimate drawn as a path diagram. */
export interface ModelReport {
  filter: InsightFilter;
  /** Responses that answered every item of the model (the estimate rests on these). */
  n: number;
  /** Null when the estimate could not be made (too few responses, no variance); `problem` says why. */
  estimate: {
    scheme: 'path' | 'centroid' | 'factorial';
    converged: boolean;
    iterations: number;
    constructs: { id: string; label: LocalizedText; index: number; rSquared: number | null }[];
    paths: { from: string; to: string; coefficient: number }[];
    items: { id: string; construct: string; label: LocalizedText; weight: number; loading: number }[];
  } | null;
  problem: LocalizedText | null;
}

/** GET/PUT /api/insights/settings (admins change them; changing the zone or cut-offs rebuilds the aggregates). */
export interface InsightSettings {
  timeZone: string;
  cutoffs: LevelCutoffs;
  wordOfMouth: WordOfMouth;
}

/** GET/PUT /api/insights/subscription: whether the signed-in manager gets the weekly summary email. */
export interface SubscriptionSettings {
  weeklySummary: boolean;
  /** The locale the summary is written in. */
  locale: 'zh-CN' | 'en';
}
