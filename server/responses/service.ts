// Taking answers from customers and showing them to managers.
import { and, count, desc, eq } from 'drizzle-orm';
import { validateAnswers } from '../../surveys/answers.ts';
import type { Locale, LocalizedText, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { campaigns, customers, responses, surveys, surveyVersions, users } from '../db/schema.ts';
import { flagsOf } from '../../surveys/indices/quality.ts';
import { DomainError, firstProblems, omittedText } from '../errors.ts';
import { caseIntentOf, formCaseOf, type FormCaseReceipt } from './cases.ts';
import type { IntakeOutcome, NewResponse, ResponseIntake } from './intake.ts';

interface FrozenVersion {
  id: string;
  surveyId: string;
  version: number;
  definition: SurveyDefinition;
}

// Published versions never change, so every process may keep them once read.
const versionCache = new Map<string, FrozenVersion>();
const versionCacheLimit = 2000;

/** A published version as frozen, read once per process. */
export async function frozenVersion(db: Db, versionId: string): Promise<FrozenVersion | undefined> {
  const cached = versionCache.get(versionId);
  if (cached) return cached;
  const [row] = await db
    .select({
      id: surveyVersions.id,
      surveyId: surveyVersions.surveyId,
      version: surveyVersions.version,
      definition: surveyVersions.definition,
    })
    .from(surveyVersions)
    .where(eq(surveyVersions.id, versionId));
  if (!row) return undefined;
  if (versionCache.size >= versionCacheLimit) versionCache.delete(versionCache.keys().next().value!);
  versionCache.set(versionId, row);
  return row;
}

/** What a public page (an open link /s/, a personal link /i/) embeds for its script, as survey-data. */
export type PublicSurvey =
  | {
      state: 'open';
      slug: string;
      versionId: string;
      version: number;
      definition: SurveyDefinition;
      channel: 'web' | 'mail' | 'phone' | 'onsite';
      /** A personal link's invitation: answers go to it, once; answered: its one response is in. */
      invitation?: { token: string; locale: Locale; answered: boolean };
    }
  | { state: 'closed'; title: LocalizedText }
  | { state: 'unknown' };

/** What the public page at /s/:slug shows: the latest published version, or why there is none. */
export async function findPublicSurvey(db: Db, slug: string): Promise<PublicSurvey> {
  const [row] = await db
    .select({ status: surveys.status, latestVersionId: surveys.latestVersionId, title: surveys.draft })
    .from(surveys)
    .where(eq(surveys.slug, slug));
  if (!row || !row.latestVersionId) return { state: 'unknown' };
  const version = await frozenVersion(db, row.latestVersionId);
  if (!version) return { state: 'unknown' };
  if (row.status !== 'published') return { state: 'closed', title: version.definition.title };
  return { state: 'open', slug, versionId: version.id, version: version.version, definition: version.definition, channel: 'web' };
}

export interface Submission {
  id: string;
  versionId: string;
  locale: Locale;
  answers: unknown;
  startedAt?: number | undefined;
  channel: NewResponse['channel'];
  interviewerId?: string | null;
  hidden?: Record<string, string> | undefined;
  customerId?: string | null;
  campaignId?: string | null;
}

const maxPlausibleDurationMs = 30 * 24 * 3600_000;

/**
 * The row a submission would store: its answers checked against the exact version answered (a clear
 * error naming each problem when they do not fit), its duration worked out. Stores nothing.
 */
export async function prepareResponse(db: Db, submission: Submission): Promise<NewResponse> {
  const version = await frozenVersion(db, submission.versionId);
  if (!version) {
    const text = bilingual('This survey version does not exist.', '该问卷版本不存在。');
    throw new DomainError('not_found', text, { versionId: text });
  }
  const checked = validateAnswers(version.definition, submission.answers);
  if (!checked.ok) {
    const problems = Object.keys(checked.errors).length;
    const { shown, omitted } = firstProblems(checked.errors);
    const more = omittedText(omitted);
    throw new DomainError(
      'bad_request',
      bilingual(
        `${problems} answer(s) need attention before the response can be stored.${more.en}`,
        `有 ${problems} 个回答需要修改后才能提交。${more['zh-CN']}`,
      ),
      {},
      { questionErrors: shown, ...(omitted > 0 ? { moreProblems: omitted } : {}) },
    );
  }
  const submittedAt = Date.now();
  const startedAt = submission.startedAt ?? null;
  const durationMs =
    startedAt !== null && startedAt <= submittedAt && submittedAt - startedAt < maxPlausibleDurationMs
      ? submittedAt - startedAt
      : null;
  const response: NewResponse = {
    id: submission.id,
    surveyId: version.surveyId,
    versionId: version.id,
    channel: submission.channel,
    locale: submission.locale,
    answers: checked.answers,
    startedAt,
    submittedAt,
    durationMs,
    interviewerId: submission.interviewerId ?? null,
    hiddenFields: submission.hidden && Object.keys(submission.hidden).length > 0 ? submission.hidden : null,
    customerId: submission.customerId ?? null,
    campaignId: submission.campaignId ?? null,
  };
  // A complaint form's case, or a loop-closing catch: worked out here, outside the write, and opened with the row.
  response.caseIntent = caseIntentOf(version.definition, response);
  return response;
}

export const surveyClosedError = () =>
  new DomainError('gone', bilingual('This survey is closed and no longer takes answers.', '该问卷已关闭，不再接受回答。'));

/** What a stored submission answers: stored or duplicate, and the case a complaint form opened. */
export interface SubmitResult {
  status: Exclude<IntakeOutcome, 'closed'>;
  case: FormCaseReceipt | null;
}

/**
 * Validates the answers against the exact version answered and stores them once. A complaint form's case is
 * looked up once the row is stored (or found stored by a retry): one indexed read, for complaint forms only.
 */
export async function submitResponse(db: Db, intake: ResponseIntake, submission: Submission): Promise<SubmitResult> {
  const response = await prepareResponse(db, submission);
  const status = await intake.submit(response);
  if (status === 'closed') throw surveyClosedError();
  return { status, case: response.caseIntent?.kind === 'form' ? await formCaseOf(db, response.id) : null };
}

const responseColumns = {
  id: responses.id,
  surveyId: responses.surveyId,
  version: surveyVersions.version,
  channel: responses.channel,
  locale: responses.locale,
  submittedAt: responses.submittedAt,
  durationMs: responses.durationMs,
  answers: responses.answers,
  hiddenFields: responses.hiddenFields,
};

export function responseRow<T extends { submittedAt: number }>(row: T): Omit<T, 'submittedAt'> & { submittedAt: string } {
  return { ...row, submittedAt: new Date(row.submittedAt).toISOString() };
}

/** Newest first, a page at a time; `before` is the cursor the previous page returned. */
export async function listResponses(db: Db, input: { surveyId: string; before?: string; limit: number }) {
  const [survey] = await db.select({ id: surveys.id }).from(surveys).where(eq(surveys.id, input.surveyId));
  if (!survey) throw new DomainError('not_found', bilingual('No such survey.', '找不到该问卷。'));
  const rows = await db
    .select({ ...responseColumns, customerId: responses.customerId })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.versionId))
    .where(and(eq(responses.surveyId, input.surveyId), olderThanCursor(responses.submittedAt, responses.id, input.before)))
    .orderBy(desc(responses.submittedAt), desc(responses.id))
    .limit(input.limit + 1);
  const [total] = await db.select({ n: count() }).from(responses).where(eq(responses.surveyId, input.surveyId));
  const { page, nextBefore } = pageOf(rows, input.limit, (row) => row.submittedAt);
  return { responses: page.map(responseRow), total: total?.n ?? 0, nextBefore };
}

export async function getResponse(db: Db, id: string) {
  const [row] = await db
    .select({
      ...responseColumns,
      definition: surveyVersions.definition,
      customerId: responses.customerId,
      customerName: customers.name,
      campaignId: responses.campaignId,
      campaignName: campaigns.name,
      interviewerId: responses.interviewerId,
      interviewerName: users.name,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.versionId))
    .leftJoin(customers, eq(customers.id, responses.customerId))
    .leftJoin(campaigns, eq(campaigns.id, responses.campaignId))
    .leftJoin(users, eq(users.id, responses.interviewerId))
    .where(eq(responses.id, id));
  if (!row) throw new DomainError('not_found', bilingual('No such response.', '找不到该回答。'));
  const { definition, customerId, customerName, campaignId, campaignName, interviewerId, interviewerName, ...response } = row;
  const judged = await db.$client.execute({
    sql: 'SELECT q.flags FROM responses r JOIN response_quality q ON q.response_rowid = r.rowid WHERE r.id = ?',
    args: [id],
  });
  return {
    response: {
      ...responseRow(response),
      /** Who answered, through which campaign, keyed in by whom — each null where the channel does not know. */
      customer: customerId ? { id: customerId, name: customerName ?? customerId } : null,
      campaign: campaignId ? { id: campaignId, name: campaignName ?? campaignId } : null,
      interviewer: interviewerId ? { id: interviewerId, name: interviewerName ?? interviewerId } : null,
      /** Its data-quality flags, once the insights processor has judged it (a second or two after it arrives). */
      qualityFlags: judged.rows[0] ? flagsOf(Number(judged.rows[0][0])) : null,
    },
    definition,
  };
}

