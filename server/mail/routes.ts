// /api/outbox: what the product sent, holds or skipped, read by admins and managers; admins release held mail.
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, PageQuery, readQuery } from '../http.ts';
import { recordReads } from '../privacy/access.ts';
import { staffInviteTopicPrefix } from '../accounts/service.ts';
import { getOutgoingMessage, heldState, listOutbox, messageStatuses, outboxProgress, releaseHeld } from './outbox.ts';

const Topic = v.optional(v.pipe(v.string(), v.maxLength(200, message('"topic" is longer than 200 characters.', '"topic" 超过 200 个字符。'))));
const OutboxQuery = v.object({
  status: v.optional(
    v.picklist(messageStatuses, message('"status" must be one of held, sending, sent, failed, skipped.', '"status" 必须是 held、sending、sent、failed、skipped 之一。')),
  ),
  topic: Topic,
  ...PageQuery,
});
const ProgressQuery = v.object({ topic: Topic });

const readers = requireRole('admin', 'manager');

const sealedNotice = {
  en: 'Only admins can read this message: it holds a link that opens a staff account.',
  'zh-CN': '只有管理员可以阅读这封邮件：其中的链接可以开通员工账户。',
};

export const outboxRoutes = new Hono<AppEnv>()
  .get('/outbox', readers, async (c) => {
    const page = await listOutbox(c.var.db, readQuery(c, OutboxQuery));
    recordReads(c, page.messages.map((item) => item.customerId), ['email']);
    return c.json(page);
  })
  .get('/outbox/progress', readers, async (c) => {
    const { topic } = readQuery(c, ProgressQuery);
    const counts = await outboxProgress(c.var.db, topic);
    const held = counts.held > 0 ? await heldState(c.var.db) : { untaken: false, toRelease: 0 };
    return c.json({ smtpConfigured: c.var.config.smtpUrl !== undefined, counts, ...held });
  })
  .get('/outbox/:id', readers, async (c) => {
    const found = await getOutgoingMessage(c.var.db, c.req.param('id'));
    recordReads(c, [found.customerId], ['email', 'message']);
    // A staff invite's link makes whoever opens it a staff member in the invited role (admin, perhaps): only
    // admins, who can invite anyway, read it; a manager sees that the message exists and how it went.
    if (c.var.user!.role === 'admin' || !found.topic?.startsWith(staffInviteTopicPrefix)) return c.json({ message: found });
    const notice = sealedNotice[localeOf(c)];
    return c.json({ message: { ...found, text: notice, html: null } });
  })
  .post('/outbox/release', requireRole('admin'), async (c) => c.json({ released: await releaseHeld(c.var.db) }));
