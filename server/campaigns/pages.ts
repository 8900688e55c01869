// Pages a customer reaches from an invitation email, outside the API and with no account: the open pixel
// and the unsubscribe page (also the one-click POST mail clients make from List-Unsubscribe).
import { and, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Locale } from '../../surveys/definition.ts';
import { pickLocale } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { campaignInvitations, customers, dbNow } from '../db/schema.ts';
import type { AppEnv } from '../env.ts';
import { changeRows, recordChanges } from '../customers/consent-history.ts';
import { escapeHtml, sendHtml } from '../web.ts';
import { normalizeCode } from './rules.ts';


// The smallest transparent GIF.
const pixel = Uint8Array.from(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));

const words = {
  en: {
    title: 'Unsubscribe from survey emails',
    ask: 'Stop sending survey invitations and reminders to {{email}}?',
    confirm: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    done: 'We will send no more survey emails to {{email}}. Thank you for letting us know.',
    unknownTitle: 'Link not recognised',
    unknown: 'This unsubscribe link is not complete or no longer valid. Please copy the whole link from the email.',
  },
  'zh-CN': {
    title: '退订问卷邮件',
    ask: '确定不再向 {{email}} 发送问卷邀请和提醒邮件吗？',
    confirm: '确认退订',
    doneTitle: '您已成功退订',
    done: '我们将不再向 {{email}} 发送问卷邮件。感谢您的告知。',
    unknownTitle: '无法识别该链接',
    unknown: '该退订链接不完整或已失效，请从邮件中复制完整链接。',
  },
} satisfies Record<Locale, Record<string, string>>;

function page(locale: Locale, title: string, body: string, status: 200 | 404 = 200) {
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1f2933}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
  return { html, status };
}

async function invitationByToken(db: Db, raw: string) {
  const token = normalizeCode(raw);
  if (!token) return undefined;
  const [row] = await db
    .select({ id: campaignInvitations.id, customerId: campaignInvitations.customerId, locale: campaignInvitations.locale, email: customers.email, unsubscribedAt: campaignInvitations.unsubscribedAt })
    .from(campaignInvitations)
    .innerJoin(customers, eq(customers.id, campaignInvitations.customerId))
    .where(eq(campaignInvitations.token, token));
  return row;
}

/**
 * Removes survey from the customer's email consent and marks the invitation: no more reminders. The history
 * records it as the customer's own withdrawal, even when the consent was already gone (staff removed it, or an
 * older link was used), so that no import or integration gives it back.
 */
export async function unsubscribe(db: Db, invitationId: string, customerId: string) {
  await db.transaction(async (tx) => {
    const marked = await tx
      .update(campaignInvitations)
      .set({ unsubscribedAt: dbNow })
      .where(and(eq(campaignInvitations.id, invitationId), isNull(campaignInvitations.unsubscribedAt)))
      .returning({ id: campaignInvitations.id });
    const [customer] = await tx
      .select({ consents: customers.consents })
      .from(customers)
      .where(eq(customers.id, customerId));
    if (!customer) return;
    const email = customer.consents.email ?? [];
    const given = email.includes('survey');
    if (given) {
      await tx
        .update(customers)
        .set({ consents: { ...customer.consents, email: email.filter((purpose) => purpose !== 'survey') }, updatedAt: Date.now() })
        .where(eq(customers.id, customerId));
    }
    // A second click on the same link, with the consent already gone, has nothing new to record.
    if (!given && marked.length === 0) return;
    await recordChanges(
      tx,
      changeRows(customerId, [{ fact: 'email.survey', oldValue: given, newValue: false, customerRequest: true }], {
        source: 'unsubscribe',
        actorId: invitationId,
        actorName: null,
      }),
    );
  });
}

const fill = (text: string, email: string) => escapeHtml(text).replace('{{email}}', `<strong>${escapeHtml(email)}</strong>`);

function html(c: Parameters<typeof sendHtml>[0], rendered: { html: string; status: number }) {
  return sendHtml(c, rendered.html, rendered.status, 'no-store');
}

export const invitationPages = new Hono<AppEnv>()
  .get('/i/:token/open.gif', async (c) => {
    const token = normalizeCode(c.req.param('token'));
    if (token) {
      await c.var.db
        .update(campaignInvitations)
        .set({ openedAt: dbNow })
        .where(and(eq(campaignInvitations.token, token), isNull(campaignInvitations.openedAt)));
    }
    return c.body(pixel, 200, { 'content-type': 'image/gif', 'cache-control': 'no-store, private' });
  })
  .get('/u/:token', async (c) => {
    const invitation = await invitationByToken(c.var.db, c.req.param('token'));
    if (!invitation) return html(c, unknownPage(c.req.header('accept-language')));
    const text = words[invitation.locale];
    const email = invitation.email ?? '';
    if (invitation.unsubscribedAt !== null) return html(c, page(invitation.locale, text.doneTitle, `<p>${fill(text.done, email)}</p>`));
    const action = `/u/${escapeHtml(encodeURIComponent(c.req.param('token')))}`;
    return html(
      c,
      page(
        invitation.locale,
        text.title,
        `<p>${fill(text.ask, email)}</p><form method="post" action="${action}"><button type="submit" data-testid="unsubscribe">${escapeHtml(text.confirm)}</button></form>`,
      ),
    );
  })
  .post('/u/:token', async (c) => {
    const invitation = await invitationByToken(c.var.db, c.req.param('token'));
    if (!invitation) return html(c, unknownPage(c.req.header('accept-language')));
    await unsubscribe(c.var.db, invitation.id, invitation.customerId);
    const text = words[invitation.locale];
    return html(c, page(invitation.locale, text.doneTitle, `<p>${fill(text.done, invitation.email ?? '')}</p>`));
  });

function unknownPage(acceptLanguage: string | undefined) {
  const locale = pickLocale(acceptLanguage);
  const text = words[locale];
  return page(locale, text.unknownTitle, `<p>${escapeHtml(text.unknown)}</p>`, 404);
}
