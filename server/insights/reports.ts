// The dashboard's reports, each from the figures of a filter: the trend, this period against the previous
// one, the overview (headline figures, response rates, quality flags), key drivers, satisfaction levels and
// the index model. The routes answer each as JSON or as a CSV export (csv.ts); the weekly summary reads the overview.
import { bilingual } from '../../surveys/i18n.ts';
import { plsModelOf } from '../../surveys/index-model.ts';
import { keyDriversFromMoments } from '../../surveys/indices/drivers.ts';
import { levelsFromCounts, satisfactionLevels } from '../../surveys/indices/expectation.ts';
import { subsetMoments } from '../../surveys/indices/moments.ts';
import { addDays, bucketsBetween, dayStart, daysBetween, previousPeriod, type BucketUnit } from '../../surveys/indices/periods.ts';
import { estimatePlsFromMoments, PlsError } from '../../surveys/indices/pls.ts';
import { qualityBits } from '../../surveys/indices/quality.ts';
import { responseChannelOf } from '../campaigns/vocabulary.ts';
import { addStat, countsOf, newStat } from './cells.ts';
import { estimateOf, figures, mergedMoments, noEstimate, readMoments, readStats, splitLabel, splitOrder } from './figures.ts';
import { bad, oneSurvey, resolveMetric, type InsightContext, type SurveyContext } from './filter.ts';
import { countMeasure, crossSurveyMetrics, indexMeasure, levelMeasure, metricsOf, targetConstruct } from './measures.ts';
import { cover, maxDayBuckets } from './plan.ts';
import { pendingResponses } from './processor.ts';
import {
  responseChannels,
  type ComparisonReport,
  type DriversReport,
  type Estimate,
  type InsightFilter,
  type LevelsReport,
  type MetricOption,
  type ModelReport,
  type OverviewReport,
  type ResponseChannel,
  type Split,
  type TrendReport,
  type TrendSeries,
} from './types.ts';

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

