// The customer's side of a case, with no account: the status page /c/:token and its JSON under
// /api/public/cases/:token. The token in the link is the only key. A wrong, malformed or revoked token gets
// the same answer as an unknown one, after the same work: one lookup by the token's unique index.
import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { submissionEntries } from '../responses/submission.ts';
import type { Locale } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { complaintCases } from '../db/schema.ts';
import type { AppEnv } from '../env.ts';
import { DomainError } from '../errors.ts';
import { localeOf, readJson } from '../http.ts';
import { compressAll, contentTypes, send, sendHtml } from '../web.ts';
import { frozenVersion } from '../responses/service.ts';
import { answerFollowUpOnPage, followUpVersionId } from './follow-up.ts';
import { isCaseToken } from './reference.ts';
import { readComplaintSettings } from './settings.ts';
import { caseByStatusToken, confirmByCustomer, recordCustomerReply, withdrawContactByCustomer } from './service.ts';
import { publicCase, statusPageHtml, statusScript, unknownCasePage, type PageSettings } from './status-page.ts';

/** What a malformed token is looked up as, so it costs what an unknown one does. */
const placeholderToken = 'a'.repeat(32);

/** The case behind a status link, or null for an unknown, malformed or revoked one alike. */
async function caseOfLink(c: Context<AppEnv>) {
  // Tokens are lowercase base32, made to survive a change of case on the way (reference.ts).
  const raw = (c.req.param('token') ?? '').slice(0, 64).toLowerCase();
  return caseByStatusToken(c.var.db, isCaseToken(raw) ? raw : placeholderToken);
}

const notFound = () =>
  new DomainError(
    'not_found',
    bilingual(
      'This link is not complete or no longer valid. Copy the whole link from our message, or call us with your reference number.',
      '该链接不完整或已失效。请从我们的消息中复制完整链接，或致电我们并报出案件编号。',
    ),
  );

async function pageSettings(c: Context<AppEnv>): Promise<PageSettings> {
  const settings = await readComplaintSettings(c.var.db);
  return { timeZone: settings.calendar.timeZone, closeAfterDays: settings.closeAfterDays, reopenWindowDays: settings.reopenWindowDays };
}

const ReplyBody = v.object({
  body: v.pipe(
    v.string(message('Write your message as text.', '请以文字填写留言。')),
    v.trim(),
    v.nonEmpty(message('Write your message before sending.', '请先填写留言再发送。')),
    v.maxLength(5000, message('Your message is too long: at most 5000 characters.', '留言过长：最多 5000 个字符。')),
  ),
});

const ConfirmationBody = v.object({
  resolved: v.boolean(message('Say whether it is resolved: true or false.', '请说明问题是否已解决：true 或 false。')),
  comment: v.optional(
    v.pipe(
      v.string(message('Write your comment as text.', '请以文字填写补充说明。')),
      v.trim(),
      v.maxLength(2000, message('Your comment is too long: at most 2000 characters.', '补充说明过长：最多 2000 个字符。')),
    ),
  ),
});

const FollowUpBody = v.object(submissionEntries);

const ContactConsentBody = v.object({
  consent: v.literal(false, message('Send "consent": false to stop being contacted about this case.', '发送 "consent": false 即可不再就此案件被联系。')),
});

/** JSON for the page (and anyone holding the link): mounted under /api. */
export const publicCaseRoutes = new Hono<AppEnv>()
  .get('/public/cases/:token', async (c) => {
    const row = await caseOfLink(c);
    if (!row) throw notFound();
    c.header('cache-control', 'no-store, private');
    c.header('x-robots-tag', 'noindex');
    return c.json(await publicCase(c.var.db, row, await pageSettings(c)));
  })
  .post('/public/cases/:token/replies', async (c) => {
    const row = await caseOfLink(c);
    if (!row) throw notFound();
    const { body } = await readJson(c, ReplyBody);
    const result = await recordCustomerReply(c.var.db, { caseId: row.id, body, via: 'status_page' });
    // A reply after the reopen window opened a new case: the customer follows that one from now on.
    let newCase: { reference: string; statusPath: string } | null = null;
    if (result.newCaseId) {
      const [opened] = await c.var.db
        .select({ reference: complaintCases.reference, statusToken: complaintCases.statusToken })
        .from(complaintCases)
        .where(eq(complaintCases.id, result.newCaseId));
      if (opened) newCase = { reference: opened.reference, statusPath: `/c/${opened.statusToken}` };
    }
    return c.json({ reopened: result.reopened, newCase }, 201);
  })
  .post('/public/cases/:token/confirmation', async (c) => {
    const row = await caseOfLink(c);
    if (!row) throw notFound();
    const { resolved, comment } = await readJson(c, ConfirmationBody);
    await confirmByCustomer(c.var.db, { caseId: row.id, resolved, ...(comment ? { comment } : {}) });
    return c.json({ resolved });
  })
  .post('/public/cases/:token/follow-up', async (c) => {
    const row = await caseOfLink(c);
    if (!row) throw notFound();
    const input = await readJson(c, FollowUpBody);
    const status = await answerFollowUpOnPage(c.var.db, row, { responseId: input.id, locale: input.locale, answers: input.answers, startedAt: input.startedAt });
    return c.json({ id: input.id, status }, status === 'stored' ? 201 : 200);
  })
  .post('/public/cases/:token/contact-consent', async (c) => {
    const row = await caseOfLink(c);
    if (!row) throw notFound();
    await readJson(c, ContactConsentBody);
    await withdrawContactByCustomer(c.var.db, { caseId: row.id });
    return c.json({ consent: false });
  });

const script = compressAll(new TextEncoder().encode(statusScript), contentTypes['.js']!);

function pageLocale(c: Context<AppEnv>, fallback: Locale): Locale {
  const asked = c.req.query('lang');
  return asked === 'en' || asked === 'zh-CN' ? asked : fallback;
}

/** The page itself: the case's language first, ?lang= switches. Never cached, never indexed. */
export const statusPages = new Hono<AppEnv>()
  .get('/c/status.js', (c) => send(c, script, 200, 'public, max-age=300'))
  .get('/c/:token', async (c) => {
    c.header('x-robots-tag', 'noindex, nofollow');
    const row = await caseOfLink(c);
    if (!row) return sendHtml(c, unknownCasePage(pageLocale(c, localeOf(c))), 404, 'no-store, private');
    const view = await publicCase(c.var.db, row, await pageSettings(c));
    const survey = view.followUp ? ((await frozenVersion(c.var.db, followUpVersionId))?.definition ?? null) : null;
    return sendHtml(c, statusPageHtml(view, pageLocale(c, row.locale), row.statusToken, Date.now(), survey), 200, 'no-store, private');
  });
