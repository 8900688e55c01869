// The dashboard's numbers: the aggregates (answer_cells, moment_stats) a filter selects, read and summed,
// and turned into figures with the index engine, per split value and period, with their labels. Never
// from raw answers: each request sums a few hundred pre-aggregated rows per cell.
import type { Scale } from '../../surveys/answers.ts';
import type { LocalizedText } from '../../surveys/definition.ts';
import { plsModelOf } from '../../surveys/index-model.ts';
import { cesFromCounts, csatFromCounts, npsFromCounts } from '../../surveys/indices/metrics.ts';
import { decodeMoments, emptyMoments, mergeMoments, subsetMoments, type Moments } from '../../surveys/indices/moments.ts';
import { bucketOf, type BucketUnit, type DayRange } from '../../surveys/indices/periods.ts';
import { estimatePlsFromMoments, PlsError } from '../../surveys/indices/pls.ts';
import { meanFromSums } from '../../surveys/indices/stats.ts';
import { customerTiers } from '../customers/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { addStat, countsOf, decodeCell, newStat, type Stat } from './cells.ts';
import { bad, filterSql, type CellRow, type InsightContext, type ResolvedMetric, type SurveyContext } from './filter.ts';
import { cover, type Span } from './plan.ts';
import { responseChannels, type Estimate, type InsightFilter, type MetricOption, type ResponseChannel, type Split } from './types.ts';

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
export async function readStats(context: InsightContext, surveyId: string, measure: string, split: Split, spans: readonly Span[], filter: InsightFilter): Promise<StatRow[]> {
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
export async function readMoments(db: Db, survey: SurveyContext, split: Split, spans: readonly Span[], filter: InsightFilter): Promise<MomentRow[]> {
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

export function mergedMoments(survey: SurveyContext, rows: readonly MomentRow[]): Moments {
  const total = emptyMoments(survey.plan.items);
  for (const row of rows) mergeMoments(total, row.moments);
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// How sums become a figure.

export const noEstimate = (n: number): Estimate => ({ n, value: null, low: null, high: null });

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

export function splitLabel(split: Split, key: string, surveys: readonly SurveyContext[]): LocalizedText {
  if (split === 'none') return allLabel;
  if (key === '') return unknownLabel;
  if (split === 'channel') return channelLabels[key as ResponseChannel] ?? { en: key, 'zh-CN': key };
  if (split === 'tier') return tierLabels[key] ?? { en: key, 'zh-CN': key };
  if (split === 'survey') return surveys.find((survey) => survey.id === key)?.definition.title ?? { en: key, 'zh-CN': key };
  return { en: key, 'zh-CN': key };
}

export function splitOrder(split: Split, keys: Iterable<string>): string[] {
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
// Figures per split value and period.

/** One metric's figure per split value (or per bucket and split value) over a range. */
export async function figures(
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

