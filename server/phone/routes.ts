// /api/calls: interviewers' call lists and call outcomes. Interviewers make the calls; managers and admins
// may step in; support agents work complaints and have no call list.
import { Hono } from 'hono';
import * as v from 'valibot';
import { locales } from '../../surveys/definition.ts';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import { callOutcomes } from '../campaigns/vocabulary.ts';
import type { AppEnv } from '../env.ts';
import { readJson } from '../http.ts';
import { recordReads } from '../privacy/access.ts';
import * as service from './service.ts';

const callers = requireRole('admin', 'manager', 'interviewer');

const instantText = message(
  '"callbackAt" must be a date and time with its offset, e.g. 2026-05-04T10:30:00+08:00.',
  '"callbackAt" 必须是带时区偏移的日期时间，例如 2026-05-04T10:30:00+08:00。',
);

const OutcomeInput = v.object({
  attemptId: v.pipe(
    v.string(message('The attempt id is missing.', '缺少通话编号。')),
    v.uuid(message('The attempt id must be a UUID made by the call screen.', '通话编号必须是通话页面生成的 UUID。')),
  ),
  outcome: v.picklist(
    callOutcomes,
    message(
      'The outcome is completed, no_answer, busy, refused, wrong_number or callback.',
      '通话结果只能是 completed、no_answer、busy、refused、wrong_number 或 callback。',
    ),
  ),
  callbackAt: v.optional(
    v.pipe(
      v.string(instantText),
      v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, instantText),
      v.transform((text) => Date.parse(text)),
      v.check((at) => Number.isFinite(at), instantText),
    ),
  ),
  note: v.optional(v.pipe(v.string(), v.maxLength(1000, message('Keep the note to 1000 characters.', '备注最多 1000 个字符。')))),
  // The answers are checked against the campaign's survey version in the service.
  answers: v.optional(
    v.custom<Record<string, unknown>>(
      (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
      message('The answers must be an object keyed by question id.', '答案必须是以题目编号为键的对象。'),
    ),
  ),
  responseId: v.optional(
    v.pipe(
      v.string(),
      v.uuid(message('The response id must be a UUID made by the call screen.', '回答编号必须是通话页面生成的 UUID。')),
    ),
  ),
  locale: v.optional(v.picklist(locales, message('The language must be zh-CN or en.', '语言必须是 zh-CN 或 en。'))),
  startedAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

export const phoneRoutes = new Hono<AppEnv>()
  .get('/calls', callers, async (c) => c.json({ campaigns: await service.listCallCampaigns(c.var.db, Date.now()) }))
  .post('/calls/:campaignId/next', callers, async (c) => {
    const next = await service.claimNext(c.var.db, {
      campaignId: c.req.param('campaignId'),
      interviewerId: c.var.user!.id,
      now: Date.now(),
    });
    if (!next.none) recordReads(c, [next.call.customer.id], ['name', 'contactName', 'phone']);
    return c.json(next.none ? next : { none: false, ...next.call });
  })
  .post('/calls/invitations/:id/claim', callers, async (c) =>
    c.json(await service.renewClaim(c.var.db, { invitationId: c.req.param('id'), interviewerId: c.var.user!.id, now: Date.now() })),
  )
  .post('/calls/invitations/:id/outcome', callers, async (c) => {
    const input = await readJson(c, OutcomeInput);
    return c.json(
      await service.recordOutcome(c.var.db, {
        ...input,
        invitationId: c.req.param('id'),
        interviewerId: c.var.user!.id,
        now: Date.now(),
      }),
    );
  });
