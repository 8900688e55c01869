// The dashboard's figures, read from the aggregates (never from raw answers): each request sums a few
// hundred pre-aggregated rows per cell and turns them into figures with the index engine.
import * as v from 'valibot';
import { scaleOf, type Scale } from '../../surveys/answers.ts';
import type { LocalizedText, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { plsModelOf } from '../../surveys/index-model.ts';
import { keyDriversFromMoments } from '../../surveys/indices/drivers.ts';
import { levelsFromCounts, satisfactionLevels } from '../../surveys/indices/expectation.ts';
import { cesFromCounts, csatFromCounts, npsFromCounts } from '../../surveys/indices/metrics.ts';
import { decodeMoments, emptyMoments, mergeMoments, subsetMoments, type Moments } from '../../surveys/indices/moments.ts';
import {
  addDays,
  bucketOf,
  bucketsBetween,
  dayOf,
  dayStart,
  daysBetween,
  previousPeriod,
  type BucketUnit,
  type DayRange,
} from '../../surveys/indices/periods.ts';
import { estimatePlsFromMoments, PlsError } from '../../surveys/indices/pls.ts';
import { meanFromSums } from '../../surveys/indices/stats.ts';
import { responseChannelOf } from '../campaigns/vocabulary.ts';
import { customerTiers } from '../customers/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { addStat, countsOf, decodeCell, newStat, type CellStats, type Stat } from './cells.ts';
import { countMeasure, crossSurveyMetrics, defaultMetricOf, firstOfKind, indexMeasure, levelMeasure, metricsOf, targetConstruct, type VersionPlan } from './measures.ts';
import { cover, maxDayBuckets, type Span } from './plan.ts';
import { qualityBits } from '../../surveys/indices/quality.ts';
import { pendingResponses, versionPlan } from './processor.ts';
import { readInsightSettings } from './settings.ts';
import {
  responseChannels,
  splits,
  type ComparisonReport,
  type DriversReport,
  type Estimate,
  type InsightFilter,
  type InsightOptions,
  type InsightSettings,
  type LevelsReport,
  type MetricOption,
  type ModelReport,
  type OverviewReport,
  type ResponseChannel,
  type Split,
  type TrendReport,
  type TrendSeries,
} from './types.ts';

// ---------------------------------------------------------------------------------------------------------
// The surveys the dashboard knows: published ones, read by their latest version.

interface SurveyContext {
  id: string;
  slug: string;
  status: 'draft' | 'published' | 'closed';
  kind: 'satisfaction' | 'complaint' | 'follow_up';
  definition: SurveyDefinition;
  plan: VersionPlan;
}

async function publishedSurveys(db: Db): Promise<SurveyContext[]> {
  const rows = await db.$client.execute(
    'SELECT id, kind, latest_version_id, slug, status FROM surveys WHERE latest_version_id IS NOT NULL ORDER BY created_at',
  );
  const surveys: SurveyContext[] = [];
  for (const row of rows.rows) {
    const [id, kind, versionId] = [String(row[0]), String(row[1]) as SurveyContext['kind'], String(row[2])];
    const plan = await versionPlan(db, versionId, id);
    surveys.push({ id, slug: String(row[3]), status: String(row[4]) as SurveyContext['status'], kind, definition: plan.definition, plan });
  }
  return surveys;
}

// ---------------------------------------------------------------------------------------------------------
// The filter, from the query string.

const dayText = message('Dates are written YYYY-MM-DD, e.g. 2026-11-01.', '日期格式为 YYYY-MM-DD，例如 2026-11-01。');
const Day = v.pipe(
  v.string(dayText),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, dayText),
  v.check((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), dayText),
);
const channelText = message('Channels are phone, mail, onsite or web, separated by commas.', '渠道只能是 phone、mail、onsite 或 web，用逗号分隔。');

export const FilterQuery = v.object({
  from: v.optional(Day),
  to: v.optional(Day),
  survey: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64))),
  channel: v.optional(
    v.pipe(
      v.string(channelText),
      v.transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean)),
      v.array(v.picklist(responseChannels, channelText)),
    ),
  ),
  segment: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  flagged: v.optional(v.picklist(['include', 'exclude'], message('flagged is include or exclude.', 'flagged 只能是 include 或 exclude。'))),
});
export type FilterInput = v.InferOutput<typeof FilterQuery>;

export const metricKeyText = message('Choose a figure the survey offers (see /api/insights/options).', '请选择该问卷提供的指标（见 /api/insights/options）。');
export const unitText = message('The unit is day, week, month or quarter.', '时间单位只能是 day、week、month 或 quarter。');
export const splitText = message(`The split is one of ${splits.join(', ')}.`, `拆分方式只能是 ${splits.join('、')} 之一。`);

const maxRangeDays = 5 * 366;

/** The filter with its defaults (the last 90 days), checked against the surveys there are. */
export function resolveFilter(input: FilterInput, today: string, surveys: readonly SurveyContext[]): InsightFilter {
  const to = input.to ?? today;
  const from = input.from ?? addDays(to, -89);
  if (from > to) throw new DomainError('bad_request', bilingual('The start date is after the end date.', '开始日期晚于结束日期。'));
  if (daysBetween(from, to) >= maxRangeDays) {
    throw new DomainError('bad_request', bilingual('Choose a range of at most five years.', '请选择不超过五年的时间范围。'));
  }
  const surveyId = input.survey || null;
  if (surveyId && !surveys.some((survey) => survey.id === surveyId)) {
    throw new DomainError('bad_request', bilingual('No published survey has that id.', '没有该编号的已发布问卷。'));
  }
  return {
    from,
    to,
    surveyId,
    channels: [...new Set(input.channel ?? [])],
    segment: input.segment || null,
    excludeFlagged: input.flagged === 'exclude',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading aggregates.

const splitColumn: Record<Split, { cube: 'a' | 't' | 'r'; column: string | null }> = {
  none: { cube: 'a', column: null },
  channel: { cube: 'a', column: 'channel' },
  segment: { cube: 'a', column: 'segment' },
  survey: { cube: 'a', column: 'survey_id' },
  tier: { cube: 't', column: 'tier' },
  region: { cube: 'r', column: 'region' },
};

interface StatRow {
  split: string;
  period: string;
  stat: Stat;
}

function filterSql(filter: InsightFilter, withSegment: boolean): { sql: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  if (filter.channels.length > 0) {
    parts.push(`channel IN (${filter.channels.map(() => '?').join(',')})`);
    args.push(...filter.channels);
  }
  if (filter.segment !== null && withSegment) {
    parts.push('segment = ?');
    args.push(filter.segment);
  }
  if (filter.excludeFlagged) parts.push('flagged = 0');
  return { sql: parts.map((part) => ` AND ${part}`).join(''), args };
}

interface CellRow {
  split: string;
  period: string;
  stats: CellStats;
}

/** The cells of one survey over the spans, with the split's column; read once per request and survey. */
function readCells(context: InsightContext, surveyId: string, split: Split, spans: readonly Span[], filter: InsightFilter): Promise<CellRow[]> {
  const { column } = splitColumn[split];
  // Without a segment to filter or split by, the cube without segments answers with a sixth of the rows.
  const cube = splitColumn[split].cube === 'a' && split !== 'segment' && filter.segment === null ? 'c' : splitColumn[split].cube;
  if ((cube === 't' || cube === 'r') && filter.segment !== null) {
    bad(
      'Tier and region splits cover all segments: clear the segment filter, or split by channel, survey or segment.',
      '按客户类型或地区拆分时涵盖全部细分：请清除细分筛选，或改为按渠道、问卷或细分拆分。',
    );
  }
  const memoKey = JSON.stringify([surveyId, split, spans, filter.channels, filter.segment, filter.excludeFlagged]);
  const known = context.cells.get(memoKey);
  if (known) return known;
  const reading = (async () => {
    const where = filterSql(filter, cube === 'a');
    const out: CellRow[] = [];
    for (const span of spans) {
      const result = await context.db.$client.execute({
        sql: `SELECT ${column ?? "''"}, period, stats FROM answer_cells
              WHERE survey_id = ? AND cube = ? AND grain = ? AND period BETWEEN ? AND ?${where.sql}`,
        args: [surveyId, cube, span.grain, span.from, span.to, ...where.args],
      });
      for (const row of result.rows) out.push({ split: String(row[0] ?? ''), period: String(row[1]), stats: decodeCell(String(row[2])) });
    }
    return out;
  })();
  context.cells.set(memoKey, reading);
  return reading;
}

/** Sums of one measure of one survey over the spans, per period and split value. */
async function readStats(context: InsightContext, surveyId: string, measure: string, split: Split, spans: readonly Span[], filter: InsightFilter): Promise<StatRow[]> {
  const out: StatRow[] = [];
  for (const cell of await readCells(context, surveyId, split, spans, filter)) {
    const stat = cell.stats[measure];
    if (stat) out.push({ split: cell.split, period: cell.period, stat });
  }
  return out;
}

interface MomentRow {
  split: string;
  period: string;
  moments: Moments;
}

/** The moment rows of a survey's item set over the spans (channel and segment splits only). */
async function readMoments(db: Db, survey: SurveyContext, split: Split, spans: readonly Span[], filter: InsightFilter): Promise<MomentRow[]> {
  const column = split === 'channel' || split === 'segment' ? split : null;
  const where = filterSql(filter, true);
  const out: MomentRow[] = [];
  for (const span of spans) {
    const result = await db.$client.execute({
      sql: `SELECT ${column ?? "''"}, period, n, sums FROM moment_stats
            WHERE survey_id = ? AND item_set = ? AND grain = ? AND period BETWEEN ? AND ?${where.sql}`,
      args: [survey.id, survey.plan.itemSet, span.grain, span.from, span.to, ...where.args],
    });
    for (const row of result.rows) {
      out.push({
        split: String(row[0] ?? ''),
        period: String(row[1]),
        moments: decodeMoments(survey.plan.items, Number(row[2]), new Uint8Array(row[3] as ArrayBuffer)),
      });
    }
  }
  return out;
}

function mergedMoments(survey: SurveyContext, rows: readonly MomentRow[]): Moments {
  const total = emptyMoments(survey.plan.items);
  for (const row of rows) mergeMoments(total, row.moments);
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// Metrics: which measure each survey reads, and how its sums become a figure.

interface MetricRead {
  survey: SurveyContext;
  measure: string;
  scale: Scale | null;
}

interface ResolvedMetric {
  option: MetricOption;
  reads: MetricRead[];
  /** For acsi: the construct. */
  construct: string | null;
}

function bad(en: string, zh: string): never {
  throw new DomainError('bad_request', bilingual(en, zh));
}

export function resolveMetric(key: string, surveys: readonly SurveyContext[], filter: InsightFilter): ResolvedMetric {
  const chosen = filter.surveyId ? surveys.filter((survey) => survey.id === filter.surveyId) : [...surveys];
  const [kind, detail] = key.includes(':') ? (key.split(/:(.*)/s, 2) as [string, string]) : [key, null];
  const options = filter.surveyId ? metricsOf(chosen[0]!.definition) : crossSurveyMetrics;
  const option = options.find((metric) => metric.key === key) ?? crossSurveyMetrics.find((metric) => metric.key === key);
  if (!option) bad('Choose a figure the survey offers (see /api/insights/options).', '请选择该问卷提供的指标（见 /api/insights/options）。');
  if (kind === 'responses') return { option, reads: chosen.map((survey) => ({ survey, measure: countMeasure, scale: null })), construct: null };
  if (kind === 'acsi') return { option, reads: chosen.map((survey) => ({ survey, measure: '', scale: null })), construct: detail };
  if (kind === 'c') {
    const measure = detail === null ? indexMeasure : `c:${detail}`;
    return { option, reads: chosen.filter((survey) => survey.plan.pairs.length > 0).map((survey) => ({ survey, measure, scale: null })), construct: null };
  }
  const reads: MetricRead[] = [];
  for (const survey of chosen) {
    const id = detail ?? (kind === 'csat' || kind === 'nps' || kind === 'ces' ? firstOfKind(survey.definition, kind) : null);
    const question = survey.definition.questions.find((candidate) => candidate.id === id);
    if (question) reads.push({ survey, measure: question.id, scale: scaleOf(question) });
  }
  return { option, reads, construct: null };
}

const noEstimate = (n: number): Estimate => ({ n, value: null, low: null, high: null });

/** The figure of a metric from summed answers. */
export function estimateOf(kind: MetricOption['kind'], stat: Readonly<Stat>, scale: Scale | null): Estimate {
  const [n, sum, sumsq] = stat as [number, number, number];
  switch (kind) {
    case 'responses':
      return { n, value: n, low: null, high: null };
    case 'csat': {
      const figure = csatFromCounts(countsOf(stat));
      return { n: figure.n, value: figure.percent, low: figure.low, high: figure.high };
    }
    case 'nps': {
      const figure = npsFromCounts(countsOf(stat));
      return { n: figure.n, value: figure.score, low: figure.low, high: figure.high };
    }
    case 'ces': {
      const figure = cesFromCounts(countsOf(stat));
      return { n: figure.n, value: figure.mean, low: figure.low, high: figure.high };
    }
    case 'rating': {
      const figure = meanFromSums(n, sum, sumsq);
      const { min, max } = scale ?? { min: 0, max: 100 };
      const rescale = (x: number | null) => (x === null ? null : (100 * (x - min)) / (max - min));
      return { n: figure.n, value: rescale(figure.mean), low: rescale(figure.low), high: rescale(figure.high) };
    }
    case 'c': {
      const figure = meanFromSums(n, sum, sumsq);
      return { n: figure.n, value: figure.mean, low: figure.low, high: figure.high };
    }
    case 'acsi':
      return noEstimate(n);
  }
}

/** The 0-100 index of a construct from moments; null when the model cannot be estimated on them. */
function acsiEstimate(survey: SurveyContext, moments: Moments, construct: string): Estimate {
  const definition = survey.definition;
  if (!definition.indexModel) return noEstimate(moments.n);
  const model = plsModelOf({ ...definition, indexModel: definition.indexModel });
  try {
    const items = Object.values(model.constructs).flat();
    const result = estimatePlsFromMoments(subsetMoments(moments, items), model);
    return { n: moments.n, value: result.indices[construct] ?? null, low: null, high: null };
  } catch (error) {
    if (error instanceof PlsError) return noEstimate(moments.n);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Labels.

const channelLabels: Record<ResponseChannel, LocalizedText> = {
  phone: { en: 'Phone', 'zh-CN': '电话' },
  mail: { en: 'Mail', 'zh-CN': '邮寄' },
  onsite: { en: 'Onsite', 'zh-CN': '现场' },
  web: { en: 'Web', 'zh-CN': '网上' },
};
const tierLabels: Record<string, LocalizedText> = {
  vip: { en: 'VIP', 'zh-CN': '贵宾型' },
  important: { en: 'Important', 'zh-CN': '重要型' },
  ordinary: { en: 'Ordinary', 'zh-CN': '普通型' },
};
const unknownLabel: LocalizedText = { en: 'Not known (anonymous)', 'zh-CN': '未知（匿名）' };
const allLabel: LocalizedText = { en: 'All', 'zh-CN': '全部' };

function splitLabel(split: Split, key: string, surveys: readonly SurveyContext[]): LocalizedText {
  if (split === 'none') return allLabel;
  if (key === '') return unknownLabel;
  if (split === 'channel') return channelLabels[key as ResponseChannel] ?? { en: key, 'zh-CN': key };
  if (split === 'tier') return tierLabels[key] ?? { en: key, 'zh-CN': key };
  if (split === 'survey') return surveys.find((survey) => survey.id === key)?.definition.title ?? { en: key, 'zh-CN': key };
  return { en: key, 'zh-CN': key };
}

function splitOrder(split: Split, keys: Iterable<string>): string[] {
  const list = [...new Set(keys)];
  const rank = (key: string) => {
    if (key === '') return 1e9;
    if (split === 'channel') return responseChannels.indexOf(key as ResponseChannel);
    if (split === 'tier') return customerTiers.indexOf(key as (typeof customerTiers)[number]);
    return 0;
  };
  return list.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

// ---------------------------------------------------------------------------------------------------------
// Reports.

export interface InsightContext {
  db: Db;
  settings: InsightSettings;
  today: string;
  surveys: SurveyContext[];
  /** Cells read for this request, so figures from the same cells read them once. */
  cells: Map<string, Promise<CellRow[]>>;
}

export async function insightContext(db: Db): Promise<InsightContext> {
  const settings = await readInsightSettings(db);
  return { db, settings, today: dayOf(Date.now(), settings.timeZone), surveys: await publishedSurveys(db), cells: new Map() };
}

/** One metric's figure per split value (or per bucket and split value) over a range. */
async function figures(
  context: InsightContext,
  metric: ResolvedMetric,
  split: Split,
  range: DayRange,
  filter: InsightFilter,
  unit: BucketUnit | null,
): Promise<Map<string, Map<string, Estimate>>> {
  const spans = cover(range, unit ?? 'month');
  const bucket = (period: string) => (unit ? bucketOf(period, unit) : 'total');
  const out = new Map<string, Map<string, Estimate>>();
  const place = (splitKey: string, bucketKey: string, estimate: Estimate) => {
    let row = out.get(splitKey);
    if (!row) out.set(splitKey, (row = new Map()));
    row.set(bucketKey, estimate);
  };

  if (metric.option.kind === 'acsi') {
    if (split === 'tier' || split === 'region' || split === 'survey') {
      bad('The index model is split by channel or segment only.', '指数模型只能按渠道或细分拆分。');
    }
    const survey = metric.reads[0]?.survey;
    if (!survey) return out;
    const rows = await readMoments(context.db, survey, split, spans, filter);
    const groups = new Map<string, Moments>();
    for (const row of rows) {
      const key = `${split === 'none' ? 'all' : row.split}\u0000${bucket(row.period)}`;
      let moments = groups.get(key);
      if (!moments) groups.set(key, (moments = emptyMoments(survey.plan.items)));
      mergeMoments(moments, row.moments);
    }
    for (const [key, moments] of groups) {
      const [splitKey, bucketKey] = key.split('\u0000') as [string, string];
      place(splitKey, bucketKey, acsiEstimate(survey, moments, metric.construct ?? ''));
    }
    return out;
  }

  const sums = new Map<string, { stat: Stat; scale: Scale | null }>();
  for (const read of metric.reads) {
    for (const row of await readStats(context, read.survey.id, read.measure, split, spans, filter)) {
      const splitKey = split === 'none' ? 'all' : split === 'survey' ? read.survey.id : row.split;
      const key = `${splitKey}\u0000${bucket(row.period)}`;
      let entry = sums.get(key);
      if (!entry) sums.set(key, (entry = { stat: newStat(), scale: read.scale }));
      addStat(entry.stat, row.stat);
    }
  }
  for (const [key, { stat, scale }] of sums) {
    const [splitKey, bucketKey] = key.split('\u0000') as [string, string];
    place(splitKey, bucketKey, estimateOf(metric.option.kind, stat, scale));
  }
  return out;
}

export async function trend(context: InsightContext, filter: InsightFilter, metricKey: string, unit: BucketUnit, split: Split): Promise<TrendReport> {
  if (unit === 'day' && daysBetween(filter.from, filter.to) + 1 > maxDayBuckets) {
    bad(`Day buckets cover at most ${maxDayBuckets} days; choose weeks or a shorter range.`, `按日显示最多 ${maxDayBuckets} 天；请改为按周或缩短时间范围。`);
  }
  const metric = resolveMetric(metricKey, context.surveys, filter);
  const buckets = bucketsBetween(filter.from, filter.to, unit);
  const byKey = await figures(context, metric, split, filter, filter, unit);
  const keys = split === 'none' ? ['all'] : splitOrder(split, byKey.keys());
  const series: TrendSeries[] = keys.map((key) => ({
    key,
    label: splitLabel(split, key, context.surveys),
    points: buckets.map((bucket) => ({ bucket, ...(byKey.get(key)?.get(bucket) ?? noEstimate(0)) })),
  }));
  return { filter, metric: metric.option, unit, split, buckets, series };
}

const change = (current: Estimate, previous: Estimate) =>
  current.value === null || previous.value === null ? null : current.value - previous.value;

export async function compare(context: InsightContext, filter: InsightFilter, metricKey: string, split: Split): Promise<ComparisonReport> {
  const metric = resolveMetric(metricKey, context.surveys, filter);
  const previous = previousPeriod(filter);
  const [now, before] = [await figures(context, metric, split, filter, filter, null), await figures(context, metric, split, previous, filter, null)];
  const keys = split === 'none' ? ['all'] : splitOrder(split, [...now.keys(), ...before.keys()]);
  return {
    filter,
    previous,
    metric: metric.option,
    split,
    rows: keys.map((key) => {
      const current = now.get(key)?.get('total') ?? noEstimate(0);
      const earlier = before.get(key)?.get('total') ?? noEstimate(0);
      return { key, label: splitLabel(split, key, context.surveys), current, previous: earlier, change: change(current, earlier) };
    }),
  };
}

/** The headline figures a survey (or all surveys) is read by. */
function headlineMetrics(context: InsightContext, filter: InsightFilter): MetricOption[] {
  if (!filter.surveyId) return crossSurveyMetrics.filter((metric) => metric.kind === 'responses' || context.surveys.some((survey) => hasKind(survey, metric.kind)));
  const survey = context.surveys.find((candidate) => candidate.id === filter.surveyId)!;
  const all = metricsOf(survey.definition);
  const model = survey.definition.indexModel;
  const target = model ? (targetConstruct(model)?.id ?? null) : null;
  return all.filter(
    (metric) =>
      metric.kind === 'responses' ||
      metric.kind === 'csat' ||
      metric.kind === 'nps' ||
      metric.kind === 'ces' ||
      metric.key === 'c' ||
      (metric.kind === 'acsi' && metric.key === `acsi:${target}`),
  );
}

function hasKind(survey: SurveyContext, kind: MetricOption['kind']): boolean {
  if (kind === 'c') return survey.plan.pairs.length > 0;
  return survey.definition.questions.some((question) => question.type === kind);
}

export async function overview(context: InsightContext, filter: InsightFilter): Promise<OverviewReport> {
  const previous = previousPeriod(filter);
  const figuresList = [];
  for (const option of headlineMetrics(context, filter)) {
    const metric = resolveMetric(option.key, context.surveys, filter);
    const now = (await figures(context, metric, 'none', filter, filter, null)).get('all')?.get('total') ?? noEstimate(0);
    const before = (await figures(context, metric, 'none', previous, filter, null)).get('all')?.get('total') ?? noEstimate(0);
    figuresList.push({ metric: option, current: now, previous: before, change: change(now, before) });
  }

  // Quality flags: the count measure's value is the response's flags, so its histogram counts them.
  const flagFilter = { ...filter, excludeFlagged: false };
  const counts = newStat();
  const chosen = filter.surveyId ? context.surveys.filter((survey) => survey.id === filter.surveyId) : context.surveys;
  for (const survey of chosen) {
    for (const row of await readStats(context, survey.id, countMeasure, 'none', cover(filter, 'month'), flagFilter)) addStat(counts, row.stat);
  }
  const withBit = (bit: number) => countsOf(counts).reduce((sum, count, flags) => sum + ((flags & bit) !== 0 ? count : 0), 0);

  return {
    filter,
    previous,
    figures: figuresList,
    responseRates: await responseRates(context, filter),
    flagged: {
      speeder: withBit(qualityBits.speeder),
      straightLiner: withBit(qualityBits.straight_liner),
      duplicate: withBit(qualityBits.duplicate),
      any: counts[0]! - countsOf(counts)[0]!,
      total: counts[0]!,
    },
    pending: await pendingResponses(context.db),
  };
}

/** Invitations made in the period per channel and how many were answered. */
async function responseRates(context: InsightContext, filter: InsightFilter) {
  const start = dayStart(filter.from, context.settings.timeZone);
  const end = dayStart(addDays(filter.to, 1), context.settings.timeZone);
  const args: (string | number)[] = [start, end];
  let extra = '';
  if (filter.surveyId) {
    extra += ' AND c.survey_id = ?';
    args.push(filter.surveyId);
  }
  if (filter.segment !== null) {
    extra += ' AND cu.segment = ?';
    args.push(filter.segment);
  }
  const result = await context.db.$client.execute({
    sql: `SELECT i.delivery, count(*), count(i.completed_at) FROM campaign_invitations i
          JOIN campaigns c ON c.id = i.campaign_id
          ${filter.segment !== null ? 'JOIN customers cu ON cu.id = i.customer_id' : ''}
          WHERE i.invited_at >= ? AND i.invited_at < ? AND i.token IS NOT NULL${extra}
          GROUP BY i.delivery`,
    args,
  });
  const byChannel = new Map<ResponseChannel, { invited: number; completed: number }>();
  for (const row of result.rows) {
    const channel = responseChannelOf[String(row[0]) as keyof typeof responseChannelOf];
    if (!channel) continue;
    const entry = byChannel.get(channel) ?? { invited: 0, completed: 0 };
    entry.invited += Number(row[1]);
    entry.completed += Number(row[2]);
    byChannel.set(channel, entry);
  }
  return responseChannels
    .filter((channel) => (filter.channels.length === 0 || filter.channels.includes(channel)) && byChannel.has(channel))
    .map((channel) => {
      const { invited, completed } = byChannel.get(channel)!;
      return { channel, invited, completed, rate: invited === 0 ? null : completed / invited };
    });
}

function oneSurvey(context: InsightContext, filter: InsightFilter): SurveyContext {
  const survey = filter.surveyId ? context.surveys.find((candidate) => candidate.id === filter.surveyId) : undefined;
  if (!survey) bad('Choose one survey for this figure.', '此图需要先选择一份问卷。');
  return survey;
}

export async function drivers(context: InsightContext, filter: InsightFilter, importance: 'correlation' | 'relative_weight'): Promise<DriversReport> {
  const survey = oneSurvey(context, filter);
  const setup = survey.plan.drivers;
  if (!setup) bad('This survey has no overall satisfaction question with attributes to set against it.', '此问卷没有可作对比的总体满意度题目和属性。');
  const moments = mergedMoments(survey, await readMoments(context.db, survey, 'none', cover(filter, 'month'), filter));
  const keys = setup.attributes.map((attribute) => attribute.key);
  const report = keyDriversFromMoments(subsetMoments(moments, [setup.overall.key, ...keys]), setup.overall.key, keys, setup.scale, { importance });
  return {
    filter,
    overall: setup.overall,
    importanceMeasure: report.importanceMeasure,
    n: moments.n,
    rSquared: report.rSquared,
    importanceSplit: report.importanceSplit,
    performanceSplit: report.performanceSplit,
    rows: report.attributes.map((row, index) => ({
      key: setup.attributes[index]!.key,
      label: setup.attributes[index]!.label,
      performance: row.performance,
      importance: row.importance,
      correlation: row.correlation,
      relativeWeightShare: row.relativeWeightShare,
      quadrant: row.quadrant,
    })),
  };
}

export async function levels(context: InsightContext, filter: InsightFilter): Promise<LevelsReport> {
  const chosen = filter.surveyId ? [oneSurvey(context, filter)] : context.surveys.filter((survey) => survey.plan.pairs.length > 0);
  if (chosen.every((survey) => survey.plan.pairs.length === 0)) {
    bad('This survey asks no expectation and experience pairs.', '此问卷没有期望与体验配对题目。');
  }
  const spans = cover(filter, 'month');
  const total = async (measure: string) => {
    const stat = newStat();
    for (const survey of chosen) for (const row of await readStats(context, survey.id, measure, 'none', spans, filter)) addStat(stat, row.stat);
    return stat;
  };
  const attributes = [];
  const seen = new Set<string>();
  for (const survey of chosen) {
    for (const metric of metricsOf(survey.definition)) {
      if (metric.kind !== 'c' || metric.key === 'c' || seen.has(metric.key)) continue;
      seen.add(metric.key);
      attributes.push({ key: metric.key.slice(2), label: metric.label, ...estimateOf('c', await total(metric.key), null) });
    }
  }
  const levelStat = await total(levelMeasure);
  const counts = Object.fromEntries(satisfactionLevels.map((level, index) => [level, countsOf(levelStat)[index]!])) as Record<(typeof satisfactionLevels)[number], number>;
  const { levels: rows, totalReach } = levelsFromCounts(counts, context.settings.wordOfMouth);
  return {
    filter,
    attributes,
    overall: estimateOf('c', await total(indexMeasure), null),
    cutoffs: context.settings.cutoffs,
    levels: rows,
    totalReach,
  };
}

/** Fewer complete responses than this give path coefficients too unsteady to draw. */
const minModelRespondents = 30;

export async function model(context: InsightContext, filter: InsightFilter): Promise<ModelReport> {
  const survey = oneSurvey(context, filter);
  const indexModel = survey.definition.indexModel;
  if (!indexModel) bad('This survey has no index model.', '此问卷没有指数模型。');
  const moments = mergedMoments(survey, await readMoments(context.db, survey, 'none', cover(filter, 'month'), filter));
  const base = { filter, n: moments.n };
  if (moments.n < minModelRespondents) {
    return {
      ...base,
      estimate: null,
      problem: bilingual(
        `Only ${moments.n} responses in this selection answered every item of the model; at least ${minModelRespondents} are needed. Widen the dates or the filters.`,
        `此范围内只有 ${moments.n} 份回答答完了模型的全部题目，至少需要 ${minModelRespondents} 份。请放宽日期或筛选条件。`,
      ),
    };
  }
  const plsModel = plsModelOf({ ...survey.definition, indexModel });
  try {
    const result = estimatePlsFromMoments(subsetMoments(moments, Object.values(plsModel.constructs).flat()), plsModel);
    const titleOf = (id: string) => survey.definition.questions.find((question) => question.id === id)?.title ?? { en: id, 'zh-CN': id };
    return {
      ...base,
      problem: null,
      estimate: {
        scheme: result.scheme,
        converged: result.converged,
        iterations: result.iterations,
        constructs: indexModel.constructs.map((construct) => ({
          id: construct.id,
          label: construct.name,
          index: result.indices[construct.id]!,
          rSquared: result.rSquared[construct.id] ?? null,
        })),
        paths: result.paths.map((path) => ({ from: path.from, to: path.to, coefficient: path.coefficient })),
        items: Object.entries(result.items).map(([id, item]) => ({ id, construct: item.construct, label: titleOf(id), weight: item.weight, loading: item.loading })),
      },
    };
  } catch (error) {
    if (!(error instanceof PlsError)) throw error;
    return {
      ...base,
      estimate: null,
      problem: bilingual(
        `The model cannot be estimated on this selection (${error.message}). Widen the dates or the filters.`,
        `无法在此范围内估计模型（${error.message}）。请放宽日期或筛选条件。`,
      ),
    };
  }
}

export async function options(context: InsightContext): Promise<InsightOptions> {
  const distinct = async (column: 'segment' | 'region') => {
    const result = await context.db.$client.execute(`SELECT DISTINCT ${column} FROM customers WHERE ${column} IS NOT NULL AND ${column} <> '' ORDER BY 1`);
    return result.rows.map((row) => String(row[0]));
  };
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  for (const survey of context.surveys) {
    const edge = async (order: 'ASC' | 'DESC') => {
      const result = await context.db.$client.execute({
        sql: `SELECT period FROM answer_cells WHERE survey_id = ? AND cube = 'c' AND grain = 'd' ORDER BY period ${order} LIMIT 1`,
        args: [survey.id],
      });
      return result.rows[0] ? String(result.rows[0][0]) : null;
    };
    const [first, last] = [await edge('ASC'), await edge('DESC')];
    if (first && (firstDay === null || first < firstDay)) firstDay = first;
    if (last && (lastDay === null || last > lastDay)) lastDay = last;
  }
  return {
    surveys: context.surveys.map((survey) => ({
      id: survey.id,
      title: survey.definition.title,
      slug: survey.slug,
      status: survey.status,
      kind: survey.kind,
      metrics: metricsOf(survey.definition),
      defaultMetric: defaultMetricOf(survey.definition),
      hasLevels: survey.plan.pairs.length > 0,
      hasDrivers: survey.plan.drivers !== null && survey.plan.drivers.attributes.length > 0,
      hasModel: survey.definition.indexModel !== undefined,
    })),
    metrics: crossSurveyMetrics,
    segments: await distinct('segment'),
    regions: await distinct('region'),
    tiers: [...customerTiers],
    channels: [...responseChannels],
    timeZone: context.settings.timeZone,
    today: context.today,
    firstDay,
    lastDay,
  };
}
