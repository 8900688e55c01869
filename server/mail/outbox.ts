// The Outbox: every message the product sends, by status, and releasing held mail once SMTP is set up.
import { and, count, desc, eq, gt, gte, lt } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { outgoingMessages } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { enqueueMany } from '../jobs/queue.ts';
import { sendJob } from './mailer.ts';

export type MessageStatus = (typeof outgoingMessages.$inferSelect)['status'];
export const messageStatuses = ['held', 'sending', 'sent', 'failed'] as const satisfies readonly MessageStatus[];

/** A range over the topic index rather than a scan: topics are ASCII, so nothing sorts after U+FFFF. */
function topicStartsWith(prefix: string) {
  return and(gte(outgoingMessages.topic, prefix), lt(outgoingMessages.topic, `${prefix}\uffff`))!;
}

const summaryColumns = {
  id: outgoingMessages.id,
  toAddress: outgoingMessages.toAddress,
  subject: outgoingMessages.subject,
  topic: outgoingMessages.topic,
  status: outgoingMessages.status,
  error: outgoingMessages.error,
  createdAt: outgoingMessages.createdAt,
  sentAt: outgoingMessages.sentAt,
};

/** Messages newest first, without their bodies; `before` is the previous page's nextBefore. */
export async function listOutbox(
  db: Db,
  input: { status?: MessageStatus | undefined; topic?: string | undefined; before?: string | undefined; limit: number },
) {
  const rows = await db
    .select(summaryColumns)
    .from(outgoingMessages)
    .where(
      and(
        input.status ? eq(outgoingMessages.status, input.status) : undefined,
        input.topic ? topicStartsWith(input.topic) : undefined,
        olderThanCursor(outgoingMessages.createdAt, outgoingMessages.id, input.before),
      ),
    )
    .orderBy(desc(outgoingMessages.createdAt), desc(outgoingMessages.id))
    .limit(input.limit + 1);
  const { page, nextBefore } = pageOf(rows, input.limit, (row) => row.createdAt);
  return { messages: page, nextBefore };
}

export async function getOutgoingMessage(db: Db, id: string) {
  const [row] = await db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id));
  if (!row) throw new DomainError('not_found', bilingual('No such message in the Outbox.', '发件箱中没有这封邮件。'));
  return row;
}

/** How far sending has got: messages by status, all of them or those whose topic starts with a prefix. */
export async function outboxProgress(db: Db, topicPrefix?: string) {
  const rows = await db
    .select({ status: outgoingMessages.status, n: count() })
    .from(outgoingMessages)
    .where(topicPrefix ? topicStartsWith(topicPrefix) : undefined)
    .groupBy(outgoingMessages.status);
  const counts: Record<MessageStatus, number> = { held: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return { ...counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
}

/**
 * Sends the held messages: their send jobs, which finished without sending while no SMTP server was set,
 * run again. Needs SMTP_URL in this process. Returns how many were released.
 */
export async function releaseHeld(db: Db, input: { smtpConfigured: boolean }): Promise<number> {
  if (!input.smtpConfigured) {
    throw new DomainError(
      'conflict',
      bilingual(
        'Mail cannot be sent yet: no SMTP server is configured. Set SMTP_URL, restart the server, then release the held messages.',
        '暂时无法发送邮件：尚未配置 SMTP 服务器。请设置 SMTP_URL 并重启服务器，然后再发送暂存的邮件。',
      ),
    );
  }
  let released = 0;
  let afterId = '';
  for (;;) {
    const page = await db
      .select({ id: outgoingMessages.id })
      .from(outgoingMessages)
      .where(and(eq(outgoingMessages.status, 'held'), gt(outgoingMessages.id, afterId)))
      .orderBy(outgoingMessages.id)
      .limit(500);
    if (page.length === 0) return released;
    released += await enqueueMany(db, page.map((row) => sendJob(row.id)), { rerunFinished: true });
    afterId = page.at(-1)!.id;
  }
}
