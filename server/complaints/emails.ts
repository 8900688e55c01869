// The emails a customer gets about a case: the receipt when it is opened, the replies agents write, and the
// follow-up survey's invitation to a customer known only by the contact details on the case. Each is in the
// case's language, names the case's reference in its subject, links the status page and answers to
// the case's own reply address, so the customer's reply finds the case whatever the subject says.
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { complaintCases, customers } from '../db/schema.ts';
import type { DbOrTx, JobHandler } from '../jobs/queue.ts';
import { queueMessagesIn, type NewMessage } from '../mail/mailer.ts';
import { receiptJobKind, wantsEmail } from './opening.ts';
import { replyAddress } from './reference.ts';
import type { CaseRow } from './store.ts';

export type CaseMailConfig = Pick<Config, 'publicUrl' | 'replyDomain'>;

type CaseForMail = Pick<CaseRow, 'id' | 'reference' | 'locale' | 'customerId' | 'contactName' | 'statusToken' | 'replyToken'>;

export function statusPageUrl(config: Pick<Config, 'publicUrl'>, statusToken: string): string {
  return `${config.publicUrl}/c/${statusToken}`;
}

function greeting(item: CaseForMail): string {
  const name = item.contactName?.trim();
  if (item.locale === 'zh-CN') return name ? `${name}，您好：` : '您好：';
  return name ? `Dear ${name},` : 'Hello,';
}

function footer(item: CaseForMail, config: CaseMailConfig): string {
  const link = statusPageUrl(config, item.statusToken);
  return item.locale === 'zh-CN'
    ? `查看处理进度、补充说明：\n${link}\n\n也可以直接回复这封邮件，您的回复会记入案件 ${item.reference}。`
    : `Follow your case, or add to it, here:\n${link}\n\nYou can also reply to this email; your reply is added to case ${item.reference}.`;
}

function caseMessage(item: CaseForMail, to: string, config: CaseMailConfig, input: { id: string; subject: string; text: string; topic: string }): NewMessage {
  return {
    id: input.id,
    to,
    subject: `[${item.reference}] ${input.subject}`,
    text: input.text,
    topic: input.topic,
    headers: { 'Reply-To': replyAddress(item.replyToken, config.replyDomain) },
    ...(item.customerId ? { contact: { customerId: item.customerId, purpose: 'follow_up' as const } } : {}),
  };
}

/** The receipt: the case is registered, its reference and the status page link. */
export function receiptMessage(item: CaseForMail, to: string, config: CaseMailConfig): NewMessage {
  const zh = item.locale === 'zh-CN';
  const text = zh
    ? `${greeting(item)}\n\n感谢您告诉我们。我们已收到您的投诉，案件编号为 ${item.reference}，会尽快与您联系。\n\n${footer(item, config)}\n`
    : `${greeting(item)}\n\nThank you for telling us. We have received your complaint as case ${item.reference} and will be in touch soon.\n\n${footer(item, config)}\n`;
  return caseMessage(item, to, config, {
    id: `complaint-receipt-${item.id}`,
    subject: zh ? '我们已收到您的投诉' : 'We have received your complaint',
    text,
    topic: `complaints/${item.id}/receipt`,
  });
}

/** An agent's reply, with the status page link under it. */
export function replyMessage(item: CaseForMail, to: string, config: CaseMailConfig, input: { messageId: string; body: string }): NewMessage {
  const zh = item.locale === 'zh-CN';
  return caseMessage(item, to, config, {
    id: input.messageId,
    subject: zh ? '关于您的投诉' : 'About your complaint',
    text: `${greeting(item)}\n\n${input.body.trim()}\n\n--\n${footer(item, config)}\n`,
    topic: `complaints/${item.id}/reply`,
  });
}

/**
 * The follow-up survey for a case with no customer record: its three questions are on the case's status page
 * (a campaign invitation needs a customer). One message per resolution cycle, whatever the retries.
 */
export function followUpMessage(item: CaseForMail, to: string, config: CaseMailConfig, cycle: number): NewMessage {
  const zh = item.locale === 'zh-CN';
  const link = `${statusPageUrl(config, item.statusToken)}#follow-up`;
  const text = zh
    ? `${greeting(item)}\n\n您最近向我们反映的问题（案件 ${item.reference}）已处理完毕。我们想了解您对处理情况的看法，只有三个简短的问题：\n${link}\n\n如不希望我们再就此案件与您联系，也可以在该页面告诉我们。\n\n谢谢！\n`
    : `${greeting(item)}\n\nWe have resolved the problem you told us about (case ${item.reference}), and we would like to know how well we dealt with it. Three short questions, on your case's page:\n${link}\n\nIf you would rather we did not contact you again about this case, you can tell us on that page too.\n\nThank you.\n`;
  return caseMessage(item, to, config, {
    id: `complaint-follow-up-${item.id}-${cycle}`,
    subject: zh ? '请评价我们对您投诉的处理' : 'How did we handle your complaint?',
    text,
    topic: `complaints/${item.id}/follow-up`,
  });
}

/**
 * Where a case's email goes: the address given with the complaint, else the customer's (the mailer reads the
 * customer's current address and consent again right before sending). Null when there is none.
 */
export async function caseAddress(db: DbOrTx, item: Pick<CaseRow, 'contactEmail' | 'customerId'>): Promise<string | null> {
  let address = item.contactEmail?.trim() || null;
  if (!address && item.customerId) {
    const [customer] = await db.select({ email: customers.email }).from(customers).where(eq(customers.id, item.customerId));
    address = customer?.email?.trim() || null;
  }
  return address && v.is(EmailAddress, address) ? address : null;
}

const EmailAddress = v.pipe(v.string(), v.email());

const ReceiptPayload = v.object({ caseId: v.string() });

/** The receipt job: queues the receipt in the Outbox and completes in one transaction, so it is queued once. */
export function complaintMailHandlers({ db, config }: { db: Db; config: CaseMailConfig }): Record<string, JobHandler> {
  return {
    async [receiptJobKind](payload, context) {
      const { caseId } = v.parse(ReceiptPayload, payload);
      await db.transaction(async (tx) => {
        const [item] = await tx.select().from(complaintCases).where(eq(complaintCases.id, caseId));
        const to = item && item.status !== 'merged' && wantsEmail(item) ? await caseAddress(tx, item) : null;
        if (item && to) await queueMessagesIn(tx, [receiptMessage(item, to, config)]);
        await context.completeIn(tx);
      });
    },
  };
}
