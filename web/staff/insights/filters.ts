// The dashboard's view (filter, metric, unit, split) to and from its URL query, so a view can be shared by
// link. The query uses the insights API's own parameter names, so the API URL is the page's query as it is.
// Pure: no I/O, no signals.
import {
  responseChannels,
  splits,
  type BucketUnit,
  type InsightFilter,
  type InsightOptions,
  type MetricKind,
  type MetricOption,
  type ResponseChannel,
  type Split,
} from '../../../server/insights/types.ts';

export const bucketUnits: readonly BucketUnit[] = ['day', 'week', 'month', 'quarter'];
/** Beyond this many days a day-by-day trend is refused by the API; weeks are used instead. */
export const maxDayBuckets = 92;

export interface DashboardView {
  filter: InsightFilter;
  metric: string;
  unit: BucketUnit;
  split: Split;
}

/** What a URL query reads as: one value, several (a repeated parameter), or none. */
export type QueryValues = Record<string, string | string[] | undefined>;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  const match = dayPattern.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function addDays(day: string, count: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + count)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export const rangePresets = ['30d', '90d', '12m', 'year'] as const;
export type RangePreset = (typeof rangePresets)[number];

/** The dates a preset stands for, ending today (in the reporting time zone). */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case '30d':
      return { from: addDays(today, -29), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case '12m': {
      const [year, month, day] = today.split('-').map(Number) as [number, number, number];
      const yearAgo = new Date(Date.UTC(year - 1, month - 1, day)).toISOString().slice(0, 10);
      return { from: addDays(yearAgo, 1), to: today };
    }
    case 'year':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** The preset the range is, if it is one. */
export function presetOf(range: { from: string; to: string }, today: string): RangePreset | null {
  return rangePresets.find((preset) => {
    const candidate = presetRange(preset, today);
    return candidate.from === range.from && candidate.to === range.to;
  }) ?? null;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((part) => part.trim());
}

function oneOf<T extends string>(options: readonly T[], value: string | undefined, fallback: T): T {
  return value !== undefined && (options as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The metrics a view can pick from: the survey's own with one survey chosen, else the cross-survey ones. */
export function metricChoices(options: Pick<InsightOptions, 'surveys' | 'metrics'>, surveyId: string | null): MetricOption[] {
  if (surveyId === null) return options.metrics;
  return options.surveys.find((survey) => survey.id === surveyId)?.metrics ?? options.metrics;
}

/** The figure shown when none (or one that does not exist) is asked for: the first that is not a count. */
export function defaultMetric(choices: readonly MetricOption[]): string {
  return (choices.find((metric) => metric.kind !== 'responses') ?? choices[0])?.key ?? 'responses';
}

/**
 * Reads the URL query into a view. Anything missing, malformed or not on offer falls back to its default:
 * the last 30 days, all surveys, channels and segments, flagged responses kept, the survey's own default
 * figure (its index where it has a model) or else the first that is not a count, weeks, no split.
 */
export function viewFromQuery(query: QueryValues, options: InsightOptions): DashboardView {
  const fallback = presetRange('30d', options.today);
  let from = first(query.from) ?? '';
  let to = first(query.to) ?? '';
  if (!isDay(from) || !isDay(to) || from > to) ({ from, to } = fallback);

  const surveyParam = first(query.survey);
  const surveyId = options.surveys.some((survey) => survey.id === surveyParam) ? surveyParam! : null;

  const offered = options.channels.length > 0 ? options.channels : responseChannels;
  const asked = all(query.channel);
  // An unknown channel makes the whole list unreliable; showing every channel is the safe reading.
  const channels = asked.every((channel) => (offered as readonly string[]).includes(channel))
    ? responseChannels.filter((channel) => asked.includes(channel))
    : [];

  const segmentParam = first(query.segment);
  const segment = segmentParam !== undefined && options.segments.includes(segmentParam) ? segmentParam : null;

  const choices = metricChoices(options, surveyId);
  const metricParam = first(query.metric);
  const survey = options.surveys.find((each) => each.id === surveyId);
  const metric = choices.some((choice) => choice.key === metricParam) ? metricParam! : (survey?.defaultMetric ?? defaultMetric(choices));

  let unit = oneOf(bucketUnits, first(query.unit), 'week');
  if (unit === 'day' && daysBetween(from, to) > maxDayBuckets) unit = 'week';
  let split = oneOf(splits, first(query.split), 'none');
  if (split === 'survey' && surveyId !== null) split = 'none';

  return {
    filter: { from, to, surveyId, channels, segment, excludeFlagged: first(query.flagged) === 'exclude' },
    metric,
    unit,
    split,
  };
}

/** The filter as API query values; what is "all" is left out. */
export function filterQuery(filter: InsightFilter): Record<string, string | undefined> {
  return {
    from: filter.from,
    to: filter.to,
    survey: filter.surveyId ?? undefined,
    channel: filter.channels.length > 0 ? filter.channels.join(',') : undefined,
    segment: filter.segment ?? undefined,
    flagged: filter.excludeFlagged ? 'exclude' : undefined,
  };
}

/** The view as query values; what is "all" or "none" is left out. Keys in a fixed order. */
export function queryOfView(view: DashboardView): Record<string, string | undefined> {
  return {
    ...filterQuery(view.filter),
    metric: view.metric,
    unit: view.unit,
    split: view.split === 'none' ? undefined : view.split,
  };
}

/** `?a=1&b=2` of the values given (undefined ones left out); '' when there are none. */
export function searchOf(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Turns one channel on or off, keeping the channel order fixed; all four on is the same as none. */
export function toggleChannel(channels: readonly ResponseChannel[], channel: ResponseChannel, on: boolean): ResponseChannel[] {
  const next = responseChannels.filter((each) => (each === channel ? on : channels.includes(each)));
  return next.length === responseChannels.length ? [] : next;
}

/** Whether a metric kind has a 95% interval worth drawing. */
export function hasInterval(kind: MetricKind): boolean {
  return kind !== 'responses' && kind !== 'acsi';
}
