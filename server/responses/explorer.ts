// The responses explorer: a survey's responses filtered (time, channel, campaign, customer, segment, data
// quality, answers, words in the comments), summarised question by question, listed a page at a time and
// exported, all from the index that explorer-index.ts keeps (one narrow row per response, clustered by
// survey and time, so a filter reads one survey's rows in order and never parses the answers).
import { desc, eq } from 'drizzle-orm';
import type { LocalizedText, Question } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { qualityBits } from '../../surveys/indices/quality.ts';
import { addDays, dayStart } from '../../surveys/indices/periods.ts';
import type { Db } from '../db/client.ts';
import { surveys, surveyVersions } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { readInsightSettings } from '../insights/settings.ts';
import { surveyPending } from './explorer-index.ts';
import { answerTests, questionsOf, searchQuery, summarize, type ExplorerQuery, type QuestionSummary, type Slot, type SlotTest } from './rules.ts';
import { responseRow } from './service.ts';

export interface ExplorerContext {
  surveyId: string;
  /** The newest published version's title (the draft's before the first). */
  title: LocalizedText;
  questions: Question[];
  /** The survey's number and coded parts in the index; null while none of its responses is indexed. */
  number: number | null;
  slots: readonly Slot[];
  timeZone: string;
}

export async function explorerContext(db: Db, surveyId: string): Promise<ExplorerContext> {
  const [survey] = await db.select({ id: surveys.id, draft: surveys.draft }).from(surveys).where(eq(surveys.id, surveyId));
  if (!survey) throw new DomainError('not_found', bilingual('No such survey.', '找不到该问卷。'));
  const versions = await db
    .select({ definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(eq(surveyVersions.surveyId, surveyId))
    .orderBy(desc(surveyVersions.version));
  const indexed = await db.$client.execute({ sql: 'SELECT number, slots FROM explorer_surveys WHERE survey_id = ?', args: [surveyId] });
  const row = indexed.rows[0];
  const { timeZone } = await readInsightSettings(db);
  return {
    surveyId,
    title: versions[0]?.definition.title ?? survey.draft.title,
    questions: questionsOf(versions.map((version) => version.definition)),
    number: row ? Number(row[0]) : null,
    slots: row ? (JSON.parse(String(row[1])) as Slot[]) : [],
    timeZone,
  };
}

/** The surveys whose responses may be explored (every one published at least once), newest change first. */
export async function explorerSurveys(db: Db) {
  const rows = await db
    .select({ id: surveys.id, slug: surveys.slug, status: surveys.status, definition: surveyVersions.definition, publishedAt: surveyVersions.publishedAt })
    .from(surveys)
    .innerJoin(surveyVersions, eq(surveyVersions.id, surveys.latestVersionId))
    .orderBy(desc(surveys.updatedAt));
  return {
    surveys: rows.map((row) => ({ id: row.id, slug: row.slug, status: row.status, title: row.definition.title, publishedAt: new Date(row.publishedAt).toISOString() })),
  };
}

/** What the explorer's filters offer for a survey: its questions, campaigns, the customer segments there are. */
export async function explorerOptions(db: Db, context: ExplorerContext, customerId?: string) {
  const [survey] = await db.select({ slug: surveys.slug, status: surveys.status }).from(surveys).where(eq(surveys.id, context.surveyId));
  const campaignRows = await db.$client.execute({ sql: 'SELECT id, name FROM campaigns WHERE survey_id = ? ORDER BY created_at DESC', args: [context.surveyId] });
  const segmentRows = await db.$client.execute('SELECT DISTINCT segment FROM customers WHERE segment IS NOT NULL AND segment != \'\' ORDER BY segment');
  const customerRows = customerId ? await db.$client.execute({ sql: 'SELECT id, name FROM customers WHERE id = ?', args: [customerId] }) : null;
  return {
    survey: { id: context.surveyId, title: context.title, slug: survey!.slug, status: survey!.status },
    questions: context.questions,
    campaigns: campaignRows.rows.map((row) => ({ id: String(row[0]), name: String(row[1]) })),
    segments: segmentRows.rows.map((row) => String(row[0])),
    /** The customer a `customer=` filter names, for showing their name; null when none was asked or found. */
    customer: customerRows?.rows[0] ? { id: String(customerRows.rows[0][0]), name: String(customerRows.rows[0][1]) } : null,
    /** Days in the date filter are counted in this time zone (the dashboard's). */
    timeZone: context.timeZone,
  };
}

/** The WHERE clause over response_facts `f` for a query (with `f.survey_number` first, so it reads one survey). */
export interface Where {
  sql: string;
  args: (string | number)[];
}

const slotValue = (slot: number) => `(unicode(substr(f.codes, ${slot + 1}, 1)) - 48)`;

function testSql(test: SlotTest): string {
  // A part without a slot: no indexed response answered it.
  if (test.kind === 'ratio' ? test.expectation < 0 || test.experience < 0 : test.slot < 0) return test.kind === 'answered' && !test.answered ? '1' : '0';
  switch (test.kind) {
    case 'compare':
      return `${slotValue(test.slot)} >= 0 AND ${slotValue(test.slot)} ${test.op} ${Number(test.value)}`;
    case 'answered':
      return test.answered ? `${slotValue(test.slot)} >= 0` : `coalesce(${slotValue(test.slot)}, -1) < 0`;
    case 'ratio':
      return `${slotValue(test.expectation)} > 0 AND ${slotValue(test.experience)} >= 0 AND ${slotValue(test.experience)} * 1.0 / ${slotValue(test.expectation)} ${test.op} ${Number(test.value)}`;
  }
}

/** The filters as SQL; a problem with any of them (e.g. an answer filter that does not fit) is a 400 naming it. */
export function whereOf(context: ExplorerContext, query: ExplorerQuery): Where {
  const clauses = ['f.survey_number = ?'];
  const args: (string | number)[] = [context.number ?? -1];
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new DomainError('bad_request', bilingual('The start date is after the end date.', '开始日期晚于结束日期。'), {
      from: bilingual('The start date is after the end date.', '开始日期晚于结束日期。'),
    });
  }
  if (query.from !== undefined) {
    clauses.push('f.submitted_at >= ?');
    args.push(dayStart(query.from, context.timeZone));
  }
  if (query.to !== undefined) {
    clauses.push('f.submitted_at < ?');
    args.push(dayStart(addDays(query.to, 1), context.timeZone));
  }
  if (query.channel && query.channel.length > 0) {
    clauses.push(`f.channel IN (${query.channel.map(() => '?').join(',')})`);
    args.push(...query.channel);
  }
  if (query.campaign) {
    clauses.push('f.response_rowid IN (SELECT rowid FROM responses WHERE campaign_id = ?)');
    args.push(query.campaign);
  }
  if (query.customer) {
    clauses.push('f.response_rowid IN (SELECT rowid FROM responses WHERE customer_id = ?)');
    args.push(query.customer);
  }
  if (query.segment) {
    clauses.push('f.segment = ?');
    args.push(query.segment);
  }
  if (query.quality === 'clean') clauses.push('f.flags = 0');
  else if (query.quality === 'flagged') clauses.push('f.flags != 0');
  else if (query.quality) clauses.push(`(f.flags & ${qualityBits[query.quality]}) != 0`);
  const problems: Record<string, ReturnType<typeof bilingual>> = {};
  query.answer.forEach((filter, index) => {
    const checked = answerTests(filter, context.questions, context.slots);
    if (!checked.ok) {
      problems[`answer.${index}`] = checked.error;
      return;
    }
    for (const test of checked.tests) clauses.push(`(${testSql(test)})`);
  });
  const firstProblem = Object.values(problems)[0];
  if (firstProblem) {
    throw new DomainError(
      'bad_request',
      bilingual(`Please correct the answer filter: ${firstProblem.en}`, `请更正答案筛选：${firstProblem['zh-CN']}`),
      problems,
    );
  }
  if (query.q) {
    const match = searchQuery(query.q);
    if (match) {
      clauses.push('f.response_rowid IN (SELECT rowid FROM response_search WHERE response_search MATCH ?)');
      args.push(match);
    }
  }
  return { sql: clauses.join(' AND '), args };
}

export interface Comment {
  responseId: string;
  /** Who wrote it, when known: the routes withhold the text from a reader whose work is not about them. */
  customerId: string | null;
  submittedAt: string;
  text: string;
}

export interface ExplorerSummary {
  /** Responses in the filtered set. */
  n: number;
  /** The survey's responses not yet in the index (they arrived in the last second or two). */
  pending: number;
  questions: (QuestionSummary & { comments?: Comment[] })[];
}

const commentsShown = 5;

/** Every question summarised over the filtered set, with each comment question's newest comments. */
export async function explorerSummary(db: Db, context: ExplorerContext, query: ExplorerQuery): Promise<ExplorerSummary> {
  const where = whereOf(context, query);
  // One read of the set: how many, and every row's codes, a line each, counted in summarize().
  const counted = await db.$client.execute({
    sql: `SELECT count(*), CAST(group_concat(f.codes, char(10)) AS BLOB) FROM response_facts f WHERE ${where.sql}`,
    args: where.args,
  });
  const n = Number(counted.rows[0]![0]);
  const codes = counted.rows[0]![1];
  const summaries = summarize(context.questions, context.slots, codes instanceof ArrayBuffer ? new Uint8Array(codes) : new Uint8Array(0));
  const questions: ExplorerSummary['questions'] = [];
  for (const summary of summaries) {
    if (summary.kind !== 'text' || summary.n === 0) {
      questions.push(summary);
      continue;
    }
    const slot = context.slots.findIndex((candidate) => candidate.question === summary.id && candidate.part === 'answered');
    const newest = await db.$client.execute({
      sql: `SELECT r.id, r.submitted_at, json_extract(r.answers, ?), r.customer_id FROM response_facts f JOIN responses r ON r.rowid = f.response_rowid
            WHERE ${where.sql} AND substr(f.codes, ${slot + 1}, 1) = '1'
            ORDER BY f.submitted_at DESC, f.response_rowid DESC LIMIT ${commentsShown}`,
      args: [`$."${summary.id}"`, ...where.args],
    });
    questions.push({
      ...summary,
      comments: newest.rows.map((row) => ({
        responseId: String(row[0]),
        customerId: row[3] === null ? null : String(row[3]),
        submittedAt: new Date(Number(row[1])).toISOString(),
        text: String(row[2] ?? ''),
      })),
    });
  }
  return { n, pending: await surveyPending(db, context.surveyId), questions };
}

/** "<submitted at>_<rowid>" of the last row of a page; the next page starts below it. */
function cursorSql(before: string | undefined): Where | null {
  const cursor = before?.match(/^(\d+)_(\d+)$/);
  if (!cursor) return null;
  return { sql: '(f.submitted_at, f.response_rowid) < (?, ?)', args: [Number(cursor[1]), Number(cursor[2])] };
}

/** The rowids of the filtered set, newest first, a page at a time. */
export async function filteredRowids(db: Db, where: Where, before: string | undefined, limit: number) {
  const after = cursorSql(before);
  const result = await db.$client.execute({
    sql: `SELECT f.response_rowid, f.submitted_at FROM response_facts f WHERE ${where.sql}${after ? ` AND ${after.sql}` : ''}
          ORDER BY f.submitted_at DESC, f.response_rowid DESC LIMIT ?`,
    args: [...where.args, ...(after?.args ?? []), limit + 1],
  });
  const rows = result.rows.map((row) => ({ rowid: Number(row[0]), submittedAt: Number(row[1]) }));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rowids: page.map((row) => row.rowid), nextBefore: rows.length > limit && last ? `${last.submittedAt}_${last.rowid}` : null };
}

/**
 * Without a filter, every stored response newest first, read from the responses themselves: the ones that
 * arrived a moment ago and are not yet indexed are listed too.
 */
async function allRowids(db: Db, surveyId: string, before: string | undefined, limit: number) {
  const cursor = before?.match(/^(\d+)_(\d+)$/);
  const result = await db.$client.execute({
    sql: `SELECT r.rowid, r.submitted_at FROM responses r WHERE r.survey_id = ?${cursor ? ' AND (r.submitted_at, r.rowid) < (?, ?)' : ''}
          ORDER BY r.submitted_at DESC, r.rowid DESC LIMIT ?`,
    args: [surveyId, ...(cursor ? [Number(cursor[1]), Number(cursor[2])] : []), limit + 1],
  });
  const rows = result.rows.map((row) => ({ rowid: Number(row[0]), submittedAt: Number(row[1]) }));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rowids: page.map((row) => row.rowid), nextBefore: rows.length > limit && last ? `${last.submittedAt}_${last.rowid}` : null };
}

/** A page of the filtered set, newest first, each response with its answers and who gave them. */
export async function explorerPage(db: Db, context: ExplorerContext, query: ExplorerQuery, before: string | undefined, limit: number) {
  const { rowids, nextBefore } = filters(query)
    ? await filteredRowids(db, whereOf(context, query), before, limit)
    : await allRowids(db, context.surveyId, before, limit);
  if (rowids.length === 0) return { responses: [], nextBefore };
  const result = await db.$client.execute({
    sql: `SELECT r.rowid, r.id, r.survey_id, v.version, r.channel, r.locale, r.submitted_at, r.duration_ms, r.answers, r.hidden_fields,
                 r.customer_id, c.name, r.campaign_id, k.name, q.flags
          FROM responses r JOIN survey_versions v ON v.id = r.version_id
          LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN campaigns k ON k.id = r.campaign_id
          LEFT JOIN response_quality q ON q.response_rowid = r.rowid
          WHERE r.rowid IN (${rowids.map(() => '?').join(',')})`,
    args: rowids,
  });
  const byRowid = new Map(result.rows.map((row) => [Number(row[0]), row]));
  const responses = rowids.flatMap((rowid) => {
    const row = byRowid.get(rowid);
    if (!row) return [];
    return [
      {
        ...responseRow({
          id: String(row[1]),
          surveyId: String(row[2]),
          version: Number(row[3]),
          channel: String(row[4]) as 'web' | 'mail' | 'phone' | 'onsite',
          locale: String(row[5]) as 'zh-CN' | 'en',
          submittedAt: Number(row[6]),
          durationMs: row[7] === null ? null : Number(row[7]),
          answers: JSON.parse(String(row[8])) as Record<string, unknown>,
          hiddenFields: row[9] === null ? null : (JSON.parse(String(row[9])) as Record<string, string>),
        }),
        customer: row[10] === null ? null : { id: String(row[10]), name: row[11] === null ? String(row[10]) : String(row[11]) },
        campaign: row[12] === null ? null : { id: String(row[12]), name: row[13] === null ? String(row[12]) : String(row[13]) },
        flags: row[14] === null ? 0 : Number(row[14]),
      },
    ];
  });
  return { responses, nextBefore };
}

/** Whether a query filters at all (with none, the export and the list read every stored response). */
export function filters(query: ExplorerQuery): boolean {
  return (
    query.from !== undefined ||
    query.to !== undefined ||
    (query.channel?.length ?? 0) > 0 ||
    Boolean(query.campaign || query.customer || query.segment || query.quality || query.q) ||
    query.answer.length > 0
  );
}
