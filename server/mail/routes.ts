// /api/outbox: what the product sent, holds or skipped, read by admins and managers; admins release held mail.
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readQuery } from '../http.ts';
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

export const outboxRoutes = new Hono<AppEnv>()
  .get('/outbox', readers, async (c) => c.json(await listOutbox(c.var.db, readQuery(c, OutboxQuery))))
  .get('/outbox/progress', readers, async (c) => {
    const { topic } = readQuery(c, ProgressQuery);
    const counts = await outboxProgress(c.var.db, topic);
    const held = counts.held > 0 ? await heldState(c.var.db) : { untaken: false, toRelease: 0 };
    return c.json({ smtpConfigured: c.var.config.smtpUrl !== undefined, counts, ...held });
  })
  .get('/outbox/:id', readers, async (c) => c.json({ message: await getOutgoingMessage(c.var.db, c.req.param('id')) }))
  .post('/outbox/release', requireRole('admin'), async (c) => c.json({ released: await releaseHeld(c.var.db) }));
