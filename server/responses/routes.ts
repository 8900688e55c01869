// /api/public/responses (customers, no account) and the managers' response views.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { submissionEntries } from './submission.ts';
import { hiddenFieldKey, hiddenFieldLimits } from '../../surveys/hidden-fields.ts';
import { message } from '../../surveys/i18n.ts';
import { ownRecord } from '../../surveys/own-record.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, parseInput, readJson } from '../http.ts';
import { locales } from '../../surveys/definition.ts';
import { explorerContext, explorerOptions, explorerSurveys, explorerPage, explorerSummary, filters, whereOf } from './explorer.ts';
import { responsesCsv } from './export.ts';
import type { ResponseIntake } from './intake.ts';
import { ExplorerQuery, questionsOf } from './rules.ts';
import { maskAnswers, maskCustomer, maskHiddenFields, withheld, type QuestionKind } from '../privacy/masking.ts';
import { customersInWork, recordReads } from '../privacy/access.ts';
import * as service from './service.ts';

const { count: maxHidden, valueLength: maxHiddenLength } = hiddenFieldLimits;
const HiddenFields = ownRecord(
  v.pipe(
    v.string(),
    v.regex(
      hiddenFieldKey,
      message(
        'A link field name starts with a letter and has up to 40 letters, digits, "_" or "-".',
        '链接参数名须以字母开头，最多 40 个字母、数字、"_" 或 "-"。',
      ),
    ),
  ),
  v.pipe(
    v.string(message('A link field value must be text.', '链接参数值必须是文本。')),
    v.maxLength(
      maxHiddenLength,
      message(`A link field value has at most ${maxHiddenLength} characters.`, `链接参数值最多 ${maxHiddenLength} 个字符。`),
    ),
  ),
  {
    shape: message('Link fields must be an object of names and values.', '链接参数必须是由名称和值组成的对象。'),
    maxEntries: { count: maxHidden, message: message(`A link carries at most ${maxHidden} fields.`, `一个链接最多携带 ${maxHidden} 个参数。`) },
  },
);

const PublicSubmission = v.object({
  ...submissionEntries,
  versionId: v.pipe(v.string(), v.nonEmpty(message('The survey version is missing.', '缺少问卷版本。'))),
  channel: v.optional(v.picklist(['web'], message('Public links answer on the web channel.', '公开链接只能通过网页渠道回答。')), 'web'),
  /** Hidden fields the link carried, e.g. {store: "123"}; stored with the response. */
  hidden: v.optional(HiddenFields),
});

// Support agents read responses too: complaints and the comments that lead to them arrive as responses.
const staffReaders = requireRole('admin', 'manager', 'support');

/** The explorer's filters from the query string (answer= may repeat); a bad one is a 400 naming it. */
function explorerQuery(c: Context<AppEnv>) {
  return parseInput(ExplorerQuery, { ...c.req.query(), answer: c.req.queries('answer') ?? [] }, localeOf(c));
}

const pageText = message('"limit" must be a whole number from 1 to 200.', '"limit" 必须是 1 到 200 之间的整数。');
const PageQuery = v.object({
  limit: v.optional(v.pipe(v.string(pageText), v.toNumber(pageText), v.integer(pageText), v.minValue(1, pageText), v.maxValue(200, pageText)), '50'),
  before: v.optional(v.pipe(v.string(), v.regex(/^\d+_\d+$/, message('"before" is the nextBefore of the previous page.', '"before" 应为上一页返回的 nextBefore。')))),
});

/**
 * The customers among these whose free text the reader sees (privacy/masking.ts); their reads are recorded.
 * Answers without a customer are shown in full to admins and managers only.
 */
async function readableFor(c: Context<AppEnv>, customerIds: (string | null)[]) {
  const inWork = await customersInWork(c.var.db, c.var.user!, customerIds);
  recordReads(c, [...inWork], ['answers']);
  return inWork;
}

const seesAnonymous = (c: Context<AppEnv>) => c.var.user!.role === 'admin' || c.var.user!.role === 'manager';

/** Whether one response's free text is shown to the reader. */
const shown = (c: Context<AppEnv>, inWork: Set<string>, customerId: string | null) => (customerId === null ? seesAnonymous(c) : inWork.has(customerId));

/** Rows of responses with free text and the values their link carried withheld where the reader may not see them. */
function masked<T extends { answers: Record<string, unknown>; hiddenFields?: Record<string, string> | null }>(row: T, questions: readonly QuestionKind[], show: boolean): T {
  if (show) return row;
  const answers = maskAnswers(row.answers, questions);
  return row.hiddenFields === undefined ? { ...row, answers } : { ...row, answers, hiddenFields: maskHiddenFields(row.hiddenFields) };
}

export function responseRoutes(intake: ResponseIntake) {
  return new Hono<AppEnv>()
    .post('/public/responses', async (c) => {
      const submission = await readJson(c, PublicSubmission);
      const { status, case: opened } = await service.submitResponse(c.var.db, intake, submission);
      // A complaint form's case: its reference and status page, for the thank-you screen.
      return c.json({ id: submission.id, status, ...(opened ? { case: opened } : {}) }, status === 'stored' ? 201 : 200);
    })
    .get('/surveys/:id/responses.csv', staffReaders, async (c) => {
      const asked = c.req.query('lang');
      const locale = locales.find((candidate) => candidate === asked) ?? localeOf(c);
      const id = c.req.param('id');
      const query = explorerQuery(c);
      const where = filters(query) ? whereOf(await explorerContext(c.var.db, id), query) : undefined;
      const inWork = async (customerIds: (string | null)[]) => {
        const readable = await readableFor(c, customerIds);
        return seesAnonymous(c) ? new Set(customerIds.map((customerId) => customerId ?? '')) : readable;
      };
      return c.body(await responsesCsv(c.var.db, { surveyId: id, locale, inWork, ...(where ? { where } : {}) }), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="responses-${id.slice(0, 8)}.csv"`,
        'cache-control': 'no-store',
      });
    })
    .get('/surveys/:id/responses', staffReaders, async (c) => {
      const before = c.req.query('before');
      const limit = Math.min(200, Math.max(1, Number(c.req.query('limit') ?? 50) || 50));
      const page = await service.listResponses(c.var.db, { surveyId: c.req.param('id'), before, limit });
      const inWork = await readableFor(c, page.responses.map((row) => row.customerId));
      const questions = (await explorerContext(c.var.db, c.req.param('id'))).questions;
      return c.json({ ...page, responses: page.responses.map((row) => masked(row, questions, shown(c, inWork, row.customerId))) });
    })
    .get('/explorer/surveys', staffReaders, async (c) => c.json(await explorerSurveys(c.var.db)))
    .get('/surveys/:id/explorer/options', staffReaders, async (c) => {
      const { customer } = explorerQuery(c);
      const options = await explorerOptions(c.var.db, await explorerContext(c.var.db, c.req.param('id')), customer);
      if (!options.customer) return c.json(options);
      const show = (await customersInWork(c.var.db, c.var.user!, [options.customer.id])).has(options.customer.id);
      if (show) recordReads(c, [options.customer.id], ['name']);
      return c.json({ ...options, customer: show ? options.customer : maskCustomer(options.customer) });
    })
    .get('/surveys/:id/explorer/summary', staffReaders, async (c) => {
      const query = explorerQuery(c);
      const summary = await explorerSummary(c.var.db, await explorerContext(c.var.db, c.req.param('id')), query);
      const inWork = await readableFor(c, summary.questions.flatMap((question) => question.comments?.map((comment) => comment.customerId) ?? []));
      return c.json({
        ...summary,
        questions: summary.questions.map((question) =>
          question.comments
            ? { ...question, comments: question.comments.map((comment) => (shown(c, inWork, comment.customerId) ? comment : { ...comment, text: withheld })) }
            : question,
        ),
      });
    })
    .get('/surveys/:id/explorer/responses', staffReaders, async (c) => {
      const query = explorerQuery(c);
      const page = parseInput(PageQuery, c.req.query(), localeOf(c));
      const context = await explorerContext(c.var.db, c.req.param('id'));
      const found = await explorerPage(c.var.db, context, query, page.before, Number(page.limit));
      const inWork = await readableFor(c, found.responses.map((row) => row.customer?.id ?? null));
      return c.json({
        ...found,
        responses: found.responses.map((row) => {
          const show = shown(c, inWork, row.customer?.id ?? null);
          const customer = row.customer && !show ? maskCustomer(row.customer) : row.customer;
          return { ...masked(row, context.questions, show), customer };
        }),
      });
    })
    .get('/responses/:id', staffReaders, async (c) => {
      const found = await service.getResponse(c.var.db, c.req.param('id'));
      const customer = found.response.customer;
      const show = shown(c, await readableFor(c, [customer?.id ?? null]), customer?.id ?? null);
      if (show) return c.json({ ...found, personal: true });
      return c.json({
        ...found,
        response: {
          ...masked(found.response, questionsOf([found.definition]), false),
          customer: customer ? maskCustomer(customer) : null,
        },
        personal: false,
      });
    });
}
