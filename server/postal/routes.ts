// Postal questionnaires: print-ready letters and keying in returned forms.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { Locale } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { ownRecord } from '../../surveys/own-record.ts';
import { requireRole } from '../accounts/guard.ts';
import { recordReads } from '../privacy/access.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, readJson, readQuery } from '../http.ts';
import { keyForm, keyingProgress, openForm, resolveForm, type KeyingOutcome } from './keying.ts';
import { letterStream } from './letters.ts';

const managers = requireRole('admin', 'manager');
const keyers = requireRole('admin', 'manager', 'interviewer');

const LettersQuery = v.object({
  invitation: v.optional(v.pipe(v.string(), v.maxLength(100, message('"invitation" is an invitation id.', '"invitation" 应为邀请编号。')))),
});

const Keying = v.object({
  // Every key is kept (even "__proto__"), so the answers check reports an unknown one instead of never seeing it.
  answers: ownRecord(v.string(), v.unknown(), { shape: message('Send the answers as an object keyed by question id.', '请以题目编号为键提交答案对象。') }),
  responseId: v.pipe(
    v.string(message('Send a responseId made by the screen.', '请提交由录入界面生成的 responseId。')),
    v.uuid(message('"responseId" must be a UUID made by the screen.', '"responseId" 必须是由录入界面生成的 UUID。')),
  ),
});

/** The name in MAIL_FROM ("Satisfaction Surveys <no-reply@…>") and the site, as the sender line of a letter. */
function senderLine(mailFrom: string, publicUrl: string) {
  const name = mailFrom.replace(/<[^>]*>/, '').replace(/"/g, '').trim();
  return [name, new URL(publicUrl).host].filter(Boolean).join(' · ');
}

function answerKeying(outcome: KeyingOutcome, locale: Locale) {
  switch (outcome.status) {
    case 'stored':
      return { body: outcome, status: 201 as const };
    case 'duplicate':
      return { body: outcome, status: 200 as const };
    case 'first_keyed':
      return { body: outcome, status: 202 as const };
    case 'differences': {
      const count = outcome.differences.length;
      const error = bilingual(
        `The two keyings differ on ${count} question(s). Check the form and settle each one.`,
        `两次录入有 ${count} 道题不一致，请对照问卷逐一核对。`,
      )[locale];
      return { body: { ...outcome, error, code: 'keying_differences' }, status: 409 as const };
    }
  }
}

export const postalRoutes = new Hono<AppEnv>()
  .get('/campaigns/:id/letters.pdf', managers, async (c) => {
    const query = readQuery(c, LettersQuery);
    const { config, db } = c.var;
    const { stream } = await letterStream(db, {
      campaignId: c.req.param('id'),
      invitationId: query.invitation,
      publicUrl: config.publicUrl,
      sender: senderLine(config.mailFrom, config.publicUrl),
      onPrinted: (customerIds) => recordReads(c, customerIds, ['name', 'contactName', 'postalAddress']),
    });
    const fileName = `letters-${c.req.param('id').replace(/[^A-Za-z0-9_-]/g, '')}${query.invitation ? '-1' : ''}.pdf`;
    return new Response(stream, {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${fileName}"`,
        'cache-control': 'no-store',
      },
    });
  })
  .get('/keying/campaigns/:id', keyers, async (c) => c.json(await keyingProgress(c.var.db, c.req.param('id'))))
  // The keyer holds the returned paper with the name on it: the form shows it, and the read is recorded.
  .get('/keying/:code', keyers, async (c) => {
    const form = await openForm(c.var.db, c.var.user!, c.req.param('code'));
    recordReads(c, [form.customer.id], ['name', 'contactName']);
    return c.json(form);
  })
  .post('/keying/:code', keyers, async (c) => {
    const input = await readJson(c, Keying);
    const { body, status } = answerKeying(await keyForm(c.var.db, c.var.user!, c.req.param('code'), input), localeOf(c));
    return c.json(body, status);
  })
  .post('/keying/:code/resolve', keyers, async (c) => {
    const input = await readJson(c, Keying);
    const { body, status } = answerKeying(await resolveForm(c.var.db, c.var.user!, c.req.param('code'), input), localeOf(c));
    return c.json(body, status);
  });
