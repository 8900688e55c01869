// GET /api/insights/complaints: the complaint figures for the dashboard's filter. Two range reads, each on an
// index (cases by opening time, loop catches by survey and answer time), the rest computed in
// figure-stats.ts with the complaint calendar's business hours.
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { describeRule } from '../../surveys/loop-rules.ts';
import { addDays, bucketsBetween, dayStart, type BucketUnit } from '../../surveys/indices/periods.ts';
import type { InsightContext } from '../insights/filter.ts';
import type { InsightFilter } from '../insights/types.ts';
import { businessClock, complaintFigures, type CaseFacts, type CatchFacts, type ComplaintFigures, type TarpFigures } from './figure-stats.ts';
import { tarpSource, tarpTable } from './recovery.ts';
import { readComplaintSettings } from './settings.ts';
import type { CaseChannel, CaseSeverity, CaseSource, CaseStatus, RecoveryOutcome, SilentDetractorReason } from './vocabulary.ts';

export const complaintTrendUnits = ['week', 'month'] as const satisfies readonly BucketUnit[];
export type ComplaintTrendUnit = (typeof complaintTrendUnits)[number];

export interface ComplaintReport {
  filter: InsightFilter;
  /** The days of the filter are counted in this zone; business hours on the complaint calendar. */
  timeZone: string;
  calendar: { timeZone: string; alwaysOpen: boolean };
  categories: { key: string; label: LocalizedText }[];
  tarp: TarpFigures;
  /** Where the published figures come from (recovery.ts), named wherever they are shown. */
  tarpSource: LocalizedText;
  figures: ComplaintFigures;
}

const json = (text: unknown): string[] => {
  if (typeof text !== 'string' || text === '') return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.map(String) : [];
};
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** The filter's conditions on the cases (alias c): channel, survey, the customer's segment. */
function caseConditions(filter: InsightFilter) {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  if (filter.channels.length > 0) {
    parts.push(`c.channel IN (${filter.channels.map(() => '?').join(',')})`);
    args.push(...filter.channels);
  }
  if (filter.surveyId !== null) {
    parts.push('c.survey_id = ?');
    args.push(filter.surveyId);
  }
  if (filter.segment !== null) {
    parts.push('c.customer_id IN (SELECT id FROM customers WHERE segment = ?)');
    args.push(filter.segment);
  }
  return { sql: parts.map((part) => ` AND ${part}`).join(''), args };
}

/** The same for loop catches (alias lc): the answer's channel, its survey, its customer's segment. */
function catchConditions(filter: InsightFilter) {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  if (filter.channels.length > 0) {
    parts.push(`(SELECT r.channel FROM responses r WHERE r.id = lc.response_id) IN (${filter.channels.map(() => '?').join(',')})`);
    args.push(...filter.channels);
  }
  if (filter.segment !== null) {
    parts.push('lc.customer_id IN (SELECT id FROM customers WHERE segment = ?)');
    args.push(filter.segment);
  }
  return { sql: parts.map((part) => ` AND ${part}`).join(''), args };
}

const unit = String.fromCharCode(31);
const record = String.fromCharCode(30);

/**
 * The facts of the cases opened in [from, to) that the filter keeps. The rows come back as one text
 * (group_concat, fields and rows split by the ASCII unit and record separators): a hundred thousand cases
 * then cost one value to hand over instead of 1.3 million, about six times faster in libSQL.
 */
export async function readCaseFacts(context: InsightContext, filter: InsightFilter, from: number, to: number): Promise<CaseFacts[]> {
  const where = caseConditions(filter);
  const fields = [
    'c.created_at', 'c.status', 'c.source', 'c.channel', 'c.category', 'c.severity', "ifnull(c.first_responded_at, '')", "ifnull(c.resolved_at, '')",
    'c.deadlines_missed', 'c.reopen_count', "ifnull(c.handling_score, '')", "ifnull(c.outcome, '')", 'c.customer_left',
  ];
  const result = await context.db.$client.execute({
    sql: `SELECT group_concat(${fields.join(` || char(31) || `)}, char(30))
            FROM complaint_cases c
           WHERE c.created_at >= ? AND c.created_at < ?${where.sql}`,
    args: [from, to, ...where.args],
  });
  const text = result.rows[0]?.[0];
  if (typeof text !== 'string' || text === '') return [];
  const optional = (value: string) => (value === '' ? null : Number(value));
  return text.split(record).map((line) => {
    const field = line.split(unit) as [string, string, string, string, string, string, string, string, string, string, string, string, string];
    return {
      createdAt: Number(field[0]),
      status: field[1] as CaseStatus,
      source: field[2] as CaseSource,
      channel: field[3] as CaseChannel,
      category: field[4],
      severity: field[5] as CaseSeverity,
      firstRespondedAt: optional(field[6]),
      resolvedAt: optional(field[7]),
      deadlinesMissed: field[8] === '[]' ? [] : json(field[8]),
      reopenCount: Number(field[9]),
      handlingScore: optional(field[10]),
      outcome: field[11] === '' ? null : (field[11] as RecoveryOutcome),
      customerLeft: field[12] === '1',
    };
  });
}

export async function readCatchFacts(context: InsightContext, filter: InsightFilter, from: number, to: number): Promise<CatchFacts[]> {
  // Catches are read per survey so the (survey_id, submitted_at) index serves the range.
  const surveyIds = filter.surveyId !== null ? [filter.surveyId] : context.surveys.map((survey) => survey.id);
  if (surveyIds.length === 0) return [];
  const where = catchConditions(filter);
  const result = await context.db.$client.execute({
    sql: `SELECT lc.submitted_at, lc.survey_id, lc.rule_ids, lc.case_id, lc.silent_reason, c.created_at, c.first_responded_at
            FROM loop_catches lc LEFT JOIN complaint_cases c ON c.id = lc.case_id
           WHERE lc.survey_id IN (${surveyIds.map(() => '?').join(',')}) AND lc.submitted_at >= ? AND lc.submitted_at < ?${where.sql}`,
    args: [...surveyIds, from, to, ...where.args],
  });
  return result.rows.map((row) => ({
    submittedAt: Number(row[0]),
    surveyId: String(row[1]),
    ruleIds: json(row[2]),
    caseId: row[3] === null ? null : String(row[3]),
    silentReason: row[4] === null ? null : (String(row[4]) as SilentDetractorReason),
    caseCreatedAt: numberOrNull(row[5]),
    caseFirstRespondedAt: numberOrNull(row[6]),
  }));
}

/** The bucket an instant falls in, by a binary search over the buckets' first instants (no formatting per case). */
function bucketFinder(buckets: readonly string[], zone: string): (at: number) => string {
  const starts = buckets.map((bucket) => dayStart(bucket, zone));
  return (at) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= at) low = middle;
      else high = middle - 1;
    }
    return buckets[low]!;
  };
}

export async function complaintReport(context: InsightContext, filter: InsightFilter, unit: ComplaintTrendUnit): Promise<ComplaintReport> {
  const zone = context.settings.timeZone;
  const from = dayStart(filter.from, zone);
  const to = dayStart(addDays(filter.to, 1), zone);
  const settings = await readComplaintSettings(context.db);
  const [cases, catches] = await Promise.all([readCaseFacts(context, filter, from, to), readCatchFacts(context, filter, from, to)]);
  const buckets = bucketsBetween(filter.from, filter.to, unit);
  const titles = new Map(context.surveys.map((survey) => [survey.id, survey.definition.title]));
  // The clock spans every instant a figure measures: openings in the range, answers and resolutions up to now.
  let latest = to;
  for (const facts of cases) latest = Math.max(latest, facts.firstRespondedAt ?? 0, facts.resolvedAt ?? 0);
  for (const caught of catches) latest = Math.max(latest, caught.caseFirstRespondedAt ?? 0);
  let earliest = from;
  for (const caught of catches) earliest = Math.min(earliest, caught.caseCreatedAt ?? from);
  const figures = complaintFigures({
    cases,
    catches,
    businessMs: businessClock(settings.calendar, earliest, latest),
    bucketOf: bucketFinder(buckets, zone),
    unit,
    buckets,
    categories: settings.categories.map((category) => category.key),
    surveyTitle: (id) => titles.get(id) ?? bilingual(id, id),
    ruleLabel: (surveyId, ruleId) => {
      const definition = context.surveys.find((survey) => survey.id === surveyId)?.definition;
      const rule = definition?.loopRules?.find((candidate) => candidate.id === ruleId);
      // A rule since removed from the survey keeps its id as its name.
      return definition && rule ? bilingual(describeRule(definition, rule, 'en'), describeRule(definition, rule, 'zh-CN')) : bilingual(ruleId, ruleId);
    },
    tarp: tarpTable,
  });
  return {
    filter,
    timeZone: zone,
    calendar: { timeZone: settings.calendar.timeZone, alwaysOpen: settings.calendar.alwaysOpen },
    categories: settings.categories.map((category) => ({ key: category.key, label: category.label })),
    tarp: tarpTable,
    tarpSource,
    figures,
  };
}
