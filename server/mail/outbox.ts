// The Outbox: every message the product sends, by status, whether anything can send the held ones, and
// releasing messages held by an older version of the product.
import { and, count, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { dbNow, jobs, messageStatuses, outgoingMessages } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { enqueueMany } from '../jobs/queue.ts';
import { mailSendKind, sendJob } from './mailer.ts';

export type MessageStatus = (typeof outgoingMessages.$inferSelect)['status'];
export { messageStatuses };

/** A range over the topic index rather than a scan: topics are ASCII, so nothing sorts after U+FFFF. */
function topicStartsWith(prefix: string) {
  return and(gte(outgoingMessages.topic, prefix), lt(outgoingMessages.topic, `${prefix}\uffff`))!;
}

const summaryColumns = {
  id: outgoingMessages.id,
  toAddress: outgoingMessages.toAddress,
  customerId: outgoingMessages.customerId,
  subject: outgoingMessages.subject,
  topic: outgoingMessages.topic,
  status: outgoingMessages.status,
  skipReason: outgoingMessages.skipReason,
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
  const counts: Record<MessageStatus, number> = { held: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return { ...counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
}

/** A held message's send job waits this long, untaken, before the Outbox says nothing is sending. */
export const untakenAfterMs = 60_000;

/**
 * Whether held mail is waiting for a sender: `untaken` when send jobs have been due for a minute and not one
 * is being sent (no process with SMTP_URL is working the queue); `toRelease` counts messages an older
 * version held after finishing their jobs, which only a release sends.
 */
export async function heldState(db: Db): Promise<{ untaken: boolean; toRelease: number }> {
  const [waiting] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'pending'), lt(jobs.runAt, sql`${dbNow} - ${untakenAfterMs}`), eq(jobs.kind, mailSendKind), eq(jobs.attempts, 0)))
    .limit(1);
  let untaken = false;
  if (waiting) {
    const [running] = await db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.status, 'running'), eq(jobs.kind, mailSendKind))).limit(1);
    untaken = running === undefined;
  }
  const [stranded] = await db
    .select({ n: count() })
    .from(outgoingMessages)
    .leftJoin(jobs, eq(jobs.dedupeKey, sql`${mailSendKind} || ':' || ${outgoingMessages.id}`))
    .where(and(eq(outgoingMessages.status, 'held'), sql`(${jobs.id} is null or ${jobs.status} in ('done', 'dead'))`));
  return { untaken, toRelease: stranded?.n ?? 0 };
}

/**
 * Puts held messages whose send jobs finished without sending (an older version completed them in a
 * process without SMTP_URL) back in the queue, where a process with SMTP_URL sends them. Returns how many.
 */
export async function releaseHeld(db: Db): Promise<number> {
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
