// /api/outbox: what the product sent or holds, read by admins and managers; admins release held mail.
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readQuery } from '../http.ts';
import { getOutgoingMessage, listOutbox, messageStatuses, outboxProgress, releaseHeld } from './outbox.ts';

const Topic = v.optional(v.pipe(v.string(), v.maxLength(200, message('"topic" is longer than 200 characters.', '"topic" 超过 200 个字符。'))));
const OutboxQuery = v.object({
  status: v.optional(
    v.picklist(messageStatuses, message('"status" must be one of held, sending, sent, failed.', '"status" 必须是 held、sending、sent、failed 之一。')),
  ),
  topic: Topic,
  ...PageQuery,
});
const ProgressQuery = v.object({ topic: Topic });

const readers = requireRole('admin', 'manager');

export const outboxRoutes = new Hono<AppEnv>()
  .get('/outbox', readers, async (c) => c.json(await listOutbox(c.var.db, readQuery(c, OutboxQuery))))
  .get('/outbox/progress', readers, async (c) => {
    const { topic } = readQuery(c, ProgressQuery);
    return c.json({ smtpConfigured: c.var.config.smtpUrl !== undefined, counts: await outboxProgress(c.var.db, topic) });
  })
  .get('/outbox/:id', readers, async (c) => c.json({ message: await getOutgoingMessage(c.var.db, c.req.param('id')) }))
  .post('/outbox/release', requireRole('admin'), async (c) =>
    c.json({ released: await releaseHeld(c.var.db, { smtpConfigured: c.var.config.smtpUrl !== undefined }) }),
  );
