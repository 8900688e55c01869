// What a request to the dashboard selects: the published surveys it knows, the filter from the query string
// (dates, survey, channels, segment, flagged responses) with its defaults, the figure asked for and which
// measure of which survey it reads, and the options a manager can choose from.
import * as v from 'valibot';
import { scaleOf, type Scale } from '../../surveys/answers.ts';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { addDays, dayOf, daysBetween } from '../../surveys/indices/periods.ts';
import { customerTiers } from '../customers/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import type { CellStats } from './cells.ts';
import { countMeasure, crossSurveyMetrics, defaultMetricOf, firstOfKind, indexMeasure, metricsOf, type VersionPlan } from './measures.ts';
import { versionPlan } from './processor.ts';
import { readInsightSettings } from './settings.ts';
import { responseChannels, splits, type InsightFilter, type InsightOptions, type InsightSettings, type MetricOption } from './types.ts';

// ---------------------------------------------------------------------------------------------------------
// The surveys the dashboard knows: published ones, read by their latest version.

export interface SurveyContext {
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
// The request's context: what every report of one request reads.

export interface CellRow {
  split: string;
  period: string;
  stats: CellStats;
}

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

/** The filter's channels, segment and flagged responses as SQL conditions on an aggregate table. */
export function filterSql(filter: InsightFilter, withSegment: boolean): { sql: string; args: (string | number)[] } {
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

// ---------------------------------------------------------------------------------------------------------
// The figure asked for: which measure each survey reads.

export interface MetricRead {
  survey: SurveyContext;
  measure: string;
  scale: Scale | null;
}

export interface ResolvedMetric {
  option: MetricOption;
  reads: MetricRead[];
  /** For acsi: the construct. */
  construct: string | null;
}

/** A request the dashboard cannot answer as asked, with what to change. */
export function bad(en: string, zh: string): never {
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

export function oneSurvey(context: InsightContext, filter: InsightFilter): SurveyContext {
  const survey = filter.surveyId ? context.surveys.find((candidate) => candidate.id === filter.surveyId) : undefined;
  if (!survey) bad('Choose one survey for this figure.', '此图需要先选择一份问卷。');
  return survey;
}

// ---------------------------------------------------------------------------------------------------------
// What a manager can choose from.

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
