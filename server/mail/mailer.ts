// Outgoing mail: a message is a row in outgoing_messages plus a `mail.send` job, written together, and
// the job's handler sends it over SMTP. Only a process with SMTP_URL takes those jobs: without one, a
// process leaves them to a process that can send, and while none can the message waits, held, in the Outbox.
// A message to a customer is checked against the customer's current consent right before it is sent.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import * as v from 'valibot';
import { bilingual, message } from '../../surveys/i18n.ts';
import { contactPermission, type ContactSubject } from '../campaigns/rules.ts';
import { contactSubjectColumns } from '../campaigns/subject.ts';
import type { ContactRefusal } from '../campaigns/vocabulary.ts';
import { contactPurposes, type ContactPurpose } from '../customers/vocabulary.ts';
import { ownRecord } from '../../surveys/own-record.ts';
import type { Db } from '../db/client.ts';
import { campaignInvitations, customers, dbNow, outgoingMessages } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx, JobContext, JobHandler, NewJob } from '../jobs/queue.ts';
import { createThrottle } from './throttle.ts';

export const mailSendKind = 'mail.send';
/** SMTP outages last minutes: ten attempts spread over twenty to forty minutes before the message fails. */
export const mailMaxAttempts = 10;

const NewMessageSchema = v.object({
  /** A message's own id, for a sender that must queue it at most once however often it tries. */
  id: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9._:-]{1,100}$/, message('A message id has up to 100 letters, digits, ".", "_", ":" or "-".', '邮件编号最多 100 个字母、数字、"."、"_"、":" 或 "-"。')),
    ),
  ),
  to: v.pipe(
    v.string(message('The recipient address is missing.', '缺少收件人地址。')),
    v.trim(),
    v.email(message('The recipient address is not a valid email address.', '收件人地址不是有效的电子邮件地址。')),
  ),
  subject: v.pipe(
    v.string(message('The subject is missing.', '缺少邮件主题。')),
    v.trim(),
    v.nonEmpty(message('The subject is empty.', '邮件主题为空。')),
    v.regex(/^[^\r\n]*$/, message('The subject must be one line.', '邮件主题必须是一行。')),
    v.maxLength(500, message('The subject is longer than 500 characters.', '邮件主题超过 500 个字符。')),
  ),
  text: v.string(message('The message text is missing.', '缺少邮件正文。')),
  html: v.optional(v.string(message('The HTML part must be text.', 'HTML 正文必须是文本。'))),
  topic: v.optional(v.pipe(v.string(), v.maxLength(200, message('The topic is longer than 200 characters.', '主题标识超过 200 个字符。')))),
  /**
   * A message to a customer (an invitation, a reminder): right before it is sent, the customer's current
   * row is read and the message is skipped, with the reason, if the customer may no longer be emailed for
   * this purpose. Messages to staff have none.
   */
  contact: v.optional(v.object({ customerId: v.string(), purpose: v.picklist(contactPurposes) })),
  /** Extra headers, e.g. List-Unsubscribe. */
  headers: v.optional(
    ownRecord(
      v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9-]*$/, message('A header name has letters, digits and "-" only.', '邮件头名称只能包含字母、数字和"-"。'))),
      v.pipe(v.string(), v.regex(/^[^\r\n]*$/, message('A header value must be one line.', '邮件头的值必须是一行。'))),
      { shape: message('Headers must be an object of names and values.', '邮件头必须是由名称和值组成的对象。') },
    ),
  ),
});
export type NewMessage = v.InferInput<typeof NewMessageSchema>;

const SendPayload = v.object({ messageId: v.string() });

/** The job that sends a message is keyed by the message, so it exists once however often it is queued. */
export function sendJob(messageId: string, maxAttempts = mailMaxAttempts): NewJob {
  return { kind: mailSendKind, payload: { messageId }, dedupeKey: `${mailSendKind}:${messageId}`, maxAttempts };
}

/** The Message-ID header: the same on every attempt, so a copy delivered twice after a retry is recognisable. */
export function messageIdFor(messageId: string, mailFrom: string): string {
  const domain = mailFrom.match(/@([^\s<>@]+)>?\s*$/)?.[1] ?? 'localhost';
  return `<${messageId}@${domain}>`;
}

function checked(input: NewMessage, index: number) {
  const result = v.safeParse(NewMessageSchema, input, { lang: 'en' });
  if (result.success) return result.output;
  const zh = v.safeParse(NewMessageSchema, input, { lang: 'zh-CN' }).issues?.[0].message ?? result.issues[0].message;
  throw new DomainError(
    'bad_request',
    bilingual(`Message ${index + 1} cannot be queued: ${result.issues[0].message}`, `第 ${index + 1} 封邮件无法加入队列：${zh}`),
  );
}

/** The Outbox columns every message has, queued or skipped. */
function messageRow(message: { id: string; to: string; subject: string; text: string; topic?: string | undefined; contact?: { customerId: string; purpose: ContactPurpose } | undefined }) {
  return {
    id: message.id,
    toAddress: message.to,
    subject: message.subject,
    text: message.text,
    topic: message.topic ?? null,
    customerId: message.contact?.customerId ?? null,
    purpose: message.contact?.purpose ?? null,
  };
}

/** Inserts Outbox rows 500 to a statement; an id already there is left as it is. */
async function insertMessages(db: DbOrTx, rows: (typeof outgoingMessages.$inferInsert)[]) {
  for (let start = 0; start < rows.length; start += 500) {
    await db.insert(outgoingMessages).values(rows.slice(start, start + 500)).onConflictDoNothing();
  }
}

/**
 * Queues messages for sending, all or none; returns their ids in order. A message given an id that is
 * already queued is left as it is, so a sender that retries never queues the same message twice.
 */
export async function queueMessages(db: Db, list: NewMessage[], options: { maxAttempts?: number } = {}): Promise<string[]> {
  const rows = checkedRows(list);
  await db.transaction((tx) => insertQueued(tx, rows, options));
  return rows.map((row) => row.id);
}

/**
 * Queues messages inside the caller's transaction, so they exist if and only if the caller's own writes
 * commit (a reply and its case event, say). Returns their ids in order; an id already queued is left as it is.
 */
export async function queueMessagesIn(tx: DbOrTx, list: NewMessage[], options: { maxAttempts?: number } = {}): Promise<string[]> {
  const rows = checkedRows(list);
  await insertQueued(tx, rows, options);
  return rows.map((row) => row.id);
}

function checkedRows(list: NewMessage[]) {
  return list.map((input, index) => {
    const { id, ...fields } = checked(input, index);
    return { id: id ?? randomUUID(), ...fields };
  });
}

/**
 * The Outbox rows and their send jobs, 500 to a statement. Each statement takes its rows as one JSON array
 * that SQLite unpacks (json_each): with thousands of messages (a deadline sweep) building a statement with a
 * parameter per column of every row costs several times the writes themselves.
 */
async function insertQueued(tx: DbOrTx, rows: ReturnType<typeof checkedRows>, options: { maxAttempts?: number }) {
  const maxAttempts = options.maxAttempts ?? mailMaxAttempts;
  for (let start = 0; start < rows.length; start += 500) {
    const slice = rows.slice(start, start + 500);
    const messages = slice.map((row) => ({
      id: row.id,
      to: row.to,
      subject: row.subject,
      text: row.text,
      html: row.html ?? null,
      topic: row.topic ?? null,
      headers: row.headers ? JSON.stringify(row.headers) : null,
      customerId: row.contact?.customerId ?? null,
      purpose: row.contact?.purpose ?? null,
    }));
    // "WHERE true" tells SQLite the ON CONFLICT belongs to the INSERT, not to a join.
    await tx.run(sql`INSERT INTO outgoing_messages (id, to_address, subject, text, html, topic, headers, customer_id, purpose)
      SELECT value ->> 'id', value ->> 'to', value ->> 'subject', value ->> 'text', value ->> 'html', value ->> 'topic', value ->> 'headers',
        value ->> 'customerId', value ->> 'purpose'
      FROM json_each(${JSON.stringify(messages)}) WHERE true
      ON CONFLICT DO NOTHING`);
    const sends = slice.map((row) => {
      const job = sendJob(row.id, maxAttempts);
      return { id: randomUUID(), payload: JSON.stringify(job.payload), key: job.dedupeKey! };
    });
    await tx.run(sql`INSERT INTO jobs (id, kind, payload, dedupe_key, run_at, max_attempts)
      SELECT value ->> 'id', ${mailSendKind}, value ->> 'payload', value ->> 'key', ${dbNow}, ${maxAttempts}
      FROM json_each(${JSON.stringify(sends)}) WHERE true
      ON CONFLICT DO NOTHING`);
  }
}

export async function queueMessage(db: Db, input: NewMessage, options: { maxAttempts?: number } = {}): Promise<string> {
  const [id] = await queueMessages(db, [input], options);
  return id!;
}

/** A customer contact that was not sent at all, e.g. a reminder to a customer with no email address any more. */
export interface SkippedContact {
  id: string;
  to: string;
  subject: string;
  text: string;
  topic?: string | undefined;
  contact: { customerId: string; purpose: ContactPurpose };
  reason: ContactRefusal;
}

/** Records contacts skipped before they were queued, so the Outbox shows them with their reasons. */
export async function recordSkipped(db: DbOrTx, list: SkippedContact[]): Promise<void> {
  await insertMessages(
    db,
    list.map((row) => ({ ...messageRow(row), status: 'skipped' as const, skipReason: row.reason })),
  );
}

/**
 * Whether a customer may be emailed for this purpose now, from the customer's current row (null: the customer
 * is gone), and the address to use. A customer with no email consent who unsubscribed through one of our
 * links is shown as unsubscribed.
 */
async function emailPermission(
  db: DbOrTx,
  customerId: string,
  customer: ContactSubject | null,
  purpose: ContactPurpose,
): Promise<{ ok: true; email: string } | { ok: false; reason: ContactRefusal }> {
  if (!customer) return { ok: false, reason: 'no_email' };
  let decision = contactPermission(customer, 'email', purpose);
  if (!decision.ok && decision.reason === 'no_consent') {
    const [unsubscribe] = await db
      .select({ id: campaignInvitations.id })
      .from(campaignInvitations)
      .where(and(eq(campaignInvitations.customerId, customerId), isNotNull(campaignInvitations.unsubscribedAt)))
      .limit(1);
    decision = contactPermission({ ...customer, unsubscribed: unsubscribe !== undefined }, 'email', purpose);
  }
  return decision.ok ? { ok: true, email: customer.email!.trim() } : decision;
}

export interface MailerOptions {
  db: Db;
  /** Without it this process takes no send jobs: a process with SMTP_URL sends them, and until one does they wait. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Most messages this process sends in a second. */
  perSecond: number;
  /** Told each outcome of a send attempt (counted by GET /metrics). */
  onOutcome?: (outcome: MailOutcome) => void;
}

/** sent; failed: its last attempt failed; retrying: an attempt failed and another will follow; skipped: no consent. */
export type MailOutcome = 'sent' | 'failed' | 'retrying' | 'skipped';

export interface Mailer {
  readonly configured: boolean;
  readonly handlers: Record<string, JobHandler>;
  /** Closes the pooled SMTP connections. */
  close(): void;
}


export function createMailer({ db, smtpUrl, mailFrom, perSecond, onOutcome }: MailerOptions): Mailer {
  // One pooled transport per process: connections stay open between messages.
  const transport = smtpUrl
    ? createTransport({ url: smtpUrl, pool: true, maxConnections: 5, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 })
    : null;
  const waitTurn = createThrottle(perSecond);

  async function send(payload: unknown, context: JobContext) {
    const { messageId } = v.parse(SendPayload, payload);
    if (!transport) return;
    await waitTurn(context.signal);
    // The message, its customer's current row and the decision are read and written in one write transaction,
    // at the moment of sending: a consent withdrawn or an erasure committed before it stops the message (it is
    // skipped, or already withdrawn); one committed after it finds the message on its way.
    const decided = await db.transaction(async (tx) => {
      const [found] = await tx
        .select({ message: outgoingMessages, customer: contactSubjectColumns })
        .from(outgoingMessages)
        .leftJoin(customers, eq(customers.id, outgoingMessages.customerId))
        .where(eq(outgoingMessages.id, messageId));
      const row = found?.message;
      if (!row || row.status === 'sent' || row.status === 'skipped') return null;
      let to = row.toAddress;
      if (row.customerId !== null) {
        // A customer no longer there reads as a row of nulls or none at all.
        const customer = found.customer?.consents ? found.customer : null;
        const permission = await emailPermission(tx, row.customerId, customer, row.purpose ?? 'survey');
        if (!permission.ok) {
          await tx
            .update(outgoingMessages)
            .set({ status: 'skipped', skipReason: permission.reason, error: null })
            .where(eq(outgoingMessages.id, row.id));
          await context.completeIn(tx);
          return 'skipped' as const;
        }
        to = permission.email;
      }
      await tx
        .update(outgoingMessages)
        .set({ status: 'sending', ...(to === row.toAddress ? {} : { toAddress: to }) })
        .where(eq(outgoingMessages.id, row.id));
      return { row, to };
    });
    if (decided === 'skipped') onOutcome?.('skipped');
    if (decided === null || decided === 'skipped') return;
    const { row, to } = decided;
    try {
      const info = await transport.sendMail({
        from: mailFrom,
        to,
        subject: row.subject,
        text: row.text,
        ...(row.html === null ? {} : { html: row.html }),
        ...(row.headers === null ? {} : { headers: row.headers }),
        messageId: messageIdFor(row.id, mailFrom),
        signal: context.signal,
      });
      // The message was sent whatever happens to the lease: its mark stands even if the job's completion does not.
      await db.transaction(async (tx) => {
        await tx
          .update(outgoingMessages)
          .set({ status: 'sent', sentAt: dbNow, smtpMessageId: info.messageId, error: null })
          .where(eq(outgoingMessages.id, row.id));
        await context.completeIn(tx);
      });
      onOutcome?.('sent');
    } catch (error) {
      await db
        .update(outgoingMessages)
        .set({
          status: context.isLastAttempt ? 'failed' : 'sending',
          error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
        })
        // A message withdrawn while the attempt failed (its customer erased) stays withdrawn.
        .where(and(eq(outgoingMessages.id, row.id), eq(outgoingMessages.status, 'sending')));
      onOutcome?.(context.isLastAttempt ? 'failed' : 'retrying');
      throw error;
    }
  }

  return {
    configured: transport !== null,
    // A process that cannot send registers no handler, so it never leases a send job: a process that can takes it.
    handlers: transport ? { [mailSendKind]: send } : {},
    close: () => transport?.close(),
  };
}
