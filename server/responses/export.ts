// A survey's responses as one CSV download, streamed a thousand rows at a time, in the reader's language:
// every response, or exactly the set the explorer's filters choose.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Answers } from '../../surveys/answers.ts';
import type { Locale } from '../../surveys/definition.ts';
import { answerColumns } from '../../surveys/export.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { csvLine } from '../customers/csv.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor } from '../db/paging.ts';
import { responses, surveys, surveyVersions } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { maskAnswers, maskHiddenFields } from '../privacy/masking.ts';
import { filteredRowids, type Where } from './explorer.ts';
import { questionsOf } from './rules.ts';

const fixedHeaders = {
  en: ['response id', 'submitted at (UTC)', 'channel', 'language', 'version', 'duration (s)', 'customer id', 'campaign id', 'interviewer id', 'link fields'],
  'zh-CN': ['答卷编号', '提交时间 (UTC)', '渠道', '语言', '版本', '用时（秒）', '客户编号', '调查活动编号', '访问员编号', '链接参数'],
} as const;

const rowsPerPull = 1000;

/** Newest first; cells a spreadsheet would run as formulas are escaped (csvLine). */
export async function responsesCsv(
  db: Db,
  input: {
    surveyId: string;
    locale: Locale;
    where?: Where;
    /** For a reader who sees only some customers' free text: the customers among these they see in full ('' for responses without one). */
    inWork?: (customerIds: (string | null)[]) => Promise<Set<string>>;
  },
): Promise<ReadableStream<Uint8Array>> {
  const [survey] = await db.select({ id: surveys.id }).from(surveys).where(eq(surveys.id, input.surveyId));
  if (!survey) throw new DomainError('not_found', bilingual('No such survey.', '找不到该问卷。'));
  const versions = await db
    .select({ version: surveyVersions.version, definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(eq(surveyVersions.surveyId, input.surveyId))
    .orderBy(desc(surveyVersions.version));
  const columns = answerColumns(versions.map((row) => row.definition), input.locale);
  const questions = questionsOf(versions.map((row) => row.definition));
  const encoder = new TextEncoder();
  let before: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // The BOM makes spreadsheet programs read the Chinese text as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine([...fixedHeaders[input.locale], ...columns.map((column) => column.header)])}`));
        return;
      }
      // Filtered: the page of the set's rowids first (from the explorer's index), then those responses.
      const chosen = input.where ? await filteredRowids(db, input.where, before, rowsPerPull) : null;
      if (chosen && chosen.rowids.length === 0) return controller.close();
      const order = new Map(chosen?.rowids.map((rowid, index) => [rowid, index]));
      const rows = await db
        .select({
          rowid: sql<number>`${responses}.rowid`,
          id: responses.id,
          submittedAt: responses.submittedAt,
          channel: responses.channel,
          locale: responses.locale,
          version: surveyVersions.version,
          durationMs: responses.durationMs,
          customerId: responses.customerId,
          campaignId: responses.campaignId,
          interviewerId: responses.interviewerId,
          hiddenFields: responses.hiddenFields,
          answers: responses.answers,
        })
        .from(responses)
        .innerJoin(surveyVersions, eq(surveyVersions.id, responses.versionId))
        .where(
          chosen
            ? inArray(sql`${responses}.rowid`, chosen.rowids)
            : and(eq(responses.surveyId, input.surveyId), olderThanCursor(responses.submittedAt, responses.id, before)),
        )
        .orderBy(desc(responses.submittedAt), desc(responses.id))
        .limit(rowsPerPull);
      if (chosen) rows.sort((a, b) => order.get(a.rowid)! - order.get(b.rowid)!);
      const inWork = input.inWork ? await input.inWork(rows.map((row) => row.customerId)) : null;
      const hidden = (row: (typeof rows)[number]) => Boolean(inWork && !inWork.has(row.customerId ?? ''));
      const answersOf = (row: (typeof rows)[number]) => (hidden(row) ? maskAnswers(row.answers, questions) : row.answers) as Answers;
      const carriedOf = (row: (typeof rows)[number]) => (hidden(row) ? maskHiddenFields(row.hiddenFields) : row.hiddenFields);
      controller.enqueue(
        encoder.encode(
          rows
            .map((row) =>
              csvLine([
                row.id,
                new Date(row.submittedAt).toISOString(),
                row.channel,
                row.locale,
                String(row.version),
                row.durationMs === null ? '' : (row.durationMs / 1000).toFixed(1),
                row.customerId ?? '',
                row.campaignId ?? '',
                row.interviewerId ?? '',
                row.hiddenFields ? new URLSearchParams(carriedOf(row)!).toString() : '',
                ...columns.map((column) => column.cell(answersOf(row))),
              ]),
            )
            .join(''),
        ),
      );
      if (chosen) {
        if (chosen.nextBefore === null) controller.close();
        else before = chosen.nextBefore;
        return;
      }
      const last = rows.at(-1);
      if (rows.length < rowsPerPull || !last) controller.close();
      else before = `${last.submittedAt}_${last.id}`;
    },
  });
}
