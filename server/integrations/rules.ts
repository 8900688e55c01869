// The pure rules of the integration API: key secrets, the Bearer header, when an event's invitation is due
// and on which channel, and the shapes callers send. No I/O.
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import type { CampaignDelivery, CampaignSettings, CampaignStatus, InvitationDelivery, SkipReason } from '../campaigns/vocabulary.ts';
import type { ContactChannel } from '../customers/vocabulary.ts';
import { isPhoneNumber, maxLengths } from '../customers/rules.ts';
import { caseChannels, caseSeverities } from '../complaints/vocabulary.ts';
import { Amount, Currency, orderIdMaxLength } from '../purchases/rules.ts';

const hourMs = 3600_000;
/** Writing lastUsedAt on every call would put a write on every request; once a minute is enough to read. */
export const lastUsedEveryMs = 60_000;
/** Clocks differ between systems: an event a few minutes "in the future" is taken as now. */
export const futureSkewMs = 5 * 60_000;

export const secretPrefix = 'sk_';
/** Characters of the secret kept and shown, so people can tell keys apart. */
export const shownPrefixLength = 8;

/** A key's secret from 24 random bytes: `sk_` and 32 base64url characters (192 bits). */
export function secretFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 24) throw new Error('An API key secret is made from 24 random bytes.');
  return secretPrefix + Buffer.from(bytes).toString('base64url');
}

export const prefixOf = (secret: string) => secret.slice(0, shownPrefixLength);

/** The secret in an `Authorization: Bearer <secret>` header, or null when the header is missing or malformed. */
export function bearerSecret(header: string | undefined): string | null {
  const match = header?.match(/^Bearer[ \t]+([A-Za-z0-9_\-.~+/]+=*)[ \t]*$/i);
  return match ? match[1]! : null;
}

/** Whether a key's lastUsedAt is old enough to be written again. */
export const lastUsedIsStale = (lastUsedAt: number | null, now: number) => lastUsedAt === null || now - lastUsedAt >= lastUsedEveryMs;

export const inviteAtFor = (occurredAt: number, delayHours: number) => occurredAt + Math.round(delayHours * hourMs);

/** The channel an event invitation goes out on: the customer's preferred one; none, no invitation. */
export function invitationDeliveryFor(preferred: ContactChannel | null): InvitationDelivery | null {
  const deliveries: Record<ContactChannel, InvitationDelivery> = { email: 'email', phone: 'phone', post: 'post' };
  return preferred ? deliveries[preferred] : null;
}

export type EventRefusal = 'not_event_campaign' | 'not_running' | 'type_not_allowed';

/** Why a campaign does not take an event of this type, or null when it does. An empty eventTypes takes any. */
export function eventRefusal(
  campaign: { delivery: CampaignDelivery; status: CampaignStatus; settings: CampaignSettings },
  type: string,
): EventRefusal | null {
  if (campaign.delivery !== 'event') return 'not_event_campaign';
  if (campaign.status !== 'running') return 'not_running';
  const allowed = campaign.settings.event?.eventTypes ?? [];
  if (allowed.length > 0 && !allowed.includes(type)) return 'type_not_allowed';
  return null;
}

/** When the event happened, as epoch ms: the caller's time, or now when it sent none or a time just ahead. */
export function occurredAtOf(sent: number | undefined, now: number): number | 'future' {
  if (sent === undefined) return now;
  if (sent > now + futureSkewMs) return 'future';
  return Math.min(sent, now);
}

/**
 * Why an event, when its time comes, cannot lead to an invitation before the contact rule is even asked:
 * the campaign stopped taking answers, or the customer named no channel to be invited on. Null otherwise.
 */
export function eventSkipBeforeInviting(input: {
  campaignStatus: CampaignStatus;
  delivery: InvitationDelivery | null;
}): 'campaign_closed' | 'no_preferred_channel' | null {
  if (input.campaignStatus !== 'running') return 'campaign_closed';
  if (input.delivery === null) return 'no_preferred_channel';
  return null;
}

// ---------- input shapes ----------

const keyNameText = message('Name the key after the system that uses it (1 to 100 characters).', '请按使用该密钥的系统为其命名（1 到 100 个字符）。');

export const ApiKeyInput = v.object({
  name: v.pipe(v.string(keyNameText), v.trim(), v.nonEmpty(keyNameText), v.maxLength(100, keyNameText)),
});

const externalIdText = message(
  `The customer's external id is 1 to ${maxLengths.externalId} characters.`,
  `客户外部编号为 1 到 ${maxLengths.externalId} 个字符。`,
);
export const ExternalId = v.pipe(v.string(externalIdText), v.trim(), v.nonEmpty(externalIdText), v.maxLength(maxLengths.externalId, externalIdText));

const eventIdText = message('"id" is your own id for the event, 1 to 100 characters.', '"id" 是您系统中该事件的编号，1 到 100 个字符。');
const eventTypeText = message(
  '"type" names the event in 1 to 50 letters, digits, "_", "-" or "." (e.g. purchase).',
  '"type" 是事件类型，1 到 50 个字母、数字、“_”、“-” 或 “.”（例如 purchase）。',
);
const campaignText = message('"campaign" is the id of a running event campaign.', '"campaign" 必须是正在运行的事件活动的编号。');
const occurredAtText = message(
  '"occurredAt" is an ISO 8601 date and time with a zone, e.g. 2026-05-01T09:30:00+08:00.',
  '"occurredAt" 必须是带时区的 ISO 8601 日期时间，例如 2026-05-01T09:30:00+08:00。',
);

const eventOrderIdText = message(
  `"orderId" is the order the event's amount was paid for, 1 to ${orderIdMaxLength} characters (the event's "id" when left out).`,
  `"orderId" 是事件金额对应的订单编号，1 到 ${orderIdMaxLength} 个字符（省略时使用事件的 "id"）。`,
);

export const EventInput = v.pipe(
  v.object({
    id: v.pipe(v.string(eventIdText), v.trim(), v.nonEmpty(eventIdText), v.maxLength(100, eventIdText)),
    type: v.pipe(v.string(eventTypeText), v.trim(), v.toLowerCase(), v.regex(/^[A-Za-z0-9_.-]{1,50}$/, eventTypeText)),
    customer: ExternalId,
    campaign: v.pipe(v.string(campaignText), v.trim(), v.nonEmpty(campaignText), v.maxLength(100, campaignText)),
    occurredAt: v.optional(
      v.pipe(
        v.string(occurredAtText),
        v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, occurredAtText),
        v.transform((text) => Date.parse(text)),
        v.check((time) => Number.isFinite(time), occurredAtText),
      ),
    ),
    /** An event that carries an amount (a purchase, a renewal) is stored as a purchase too. */
    orderId: v.optional(v.pipe(v.string(eventOrderIdText), v.trim(), v.nonEmpty(eventOrderIdText), v.maxLength(orderIdMaxLength, eventOrderIdText))),
    amount: v.optional(Amount),
    currency: v.optional(Currency),
  }),
  v.forward(
    v.check(
      (event) => event.amount !== undefined || (event.orderId === undefined && event.currency === undefined),
      message('"orderId" and "currency" go with an "amount": send the amount paid, or leave all three out.', '"orderId" 和 "currency" 需与 "amount" 一起发送：请发送支付金额，或三者都不发送。'),
    ),
    ['amount'],
  ),
);
export type EventInput = v.InferOutput<typeof EventInput>;

const complaintIdText = message(
  '"externalId" is your own id for the complaint, 1 to 100 characters; the same id again answers the same case.',
  '"externalId" 是您系统中该投诉的编号，1 到 100 个字符；再次发送同一编号会得到同一个案件。',
);
const categoryText = message('"category" is the key of a complaint category, e.g. "delivery".', '"category" 必须是投诉类别的键，例如 "delivery"。');
const descriptionText = message('"description" says what happened, 1 to 5000 characters.', '"description" 描述发生了什么，1 到 5000 个字符。');
const outcomeText = message('"desiredOutcome" is what the customer asks for, at most 1000 characters.', '"desiredOutcome" 是客户的诉求，最多 1000 个字符。');
const orderValueText = message('"orderValue" is the order\'s value as a whole number from 0, e.g. 1299.', '"orderValue" 是订单金额，须为不小于 0 的整数，例如 1299。');
const customerRefText = message(
  '"customer" names a known customer by "externalId" or "email".',
  '"customer" 须通过 "externalId" 或 "email" 指明已有客户。',
);
const contactNameText = message('"contact.name" is at most 200 characters.', '"contact.name" 最多 200 个字符。');
const contactEmailText = message('"contact.email" is an email address, like name@example.com.', '"contact.email" 须为电子邮件地址，例如 name@example.com。');
const contactPhoneText = message(
  '"contact.phone" is a phone number: 5 to 20 digits, with spaces, +, - or parentheses if you like.',
  '"contact.phone" 须为电话号码：5 到 20 位数字，可含空格、+、- 或括号。',
);
const whoText = message(
  'Say who complains: "customer" (a known customer) or "contact" (a name with an email or a phone number).',
  '请说明投诉人："customer"（已有客户）或 "contact"（姓名及电子邮件或电话）。',
);
const optionalText = (max: number, text: ReturnType<typeof message>) =>
  v.optional(v.pipe(v.string(text), v.trim(), v.maxLength(max, text), v.transform((value) => (value === '' ? undefined : value))));

/** A field left out ("externalId" is required), or a body that is not an object. */
const requiredField = (issue: { lang?: string | undefined; expected: string | null; received: string }) => {
  const zh = issue.lang === 'zh-CN';
  if (issue.received === 'undefined' && issue.expected?.startsWith('"')) return zh ? `${issue.expected} 为必填项。` : `${issue.expected} is required.`;
  return zh ? '请以 JSON 对象发送投诉。' : 'Send the complaint as a JSON object.';
};

/** A complaint another system reports: who complains (a known customer, or contact details), what and how bad. */
export const ComplaintInput = v.pipe(
  v.object({
    externalId: v.pipe(v.string(complaintIdText), v.trim(), v.nonEmpty(complaintIdText), v.maxLength(100, complaintIdText)),
    customer: v.optional(
      v.pipe(
        v.object(
          {
            externalId: v.optional(v.pipe(v.string(customerRefText), v.trim(), v.nonEmpty(customerRefText), v.maxLength(maxLengths.externalId, customerRefText))),
            email: v.optional(v.pipe(v.string(customerRefText), v.trim(), v.toLowerCase(), v.email(customerRefText))),
          },
          customerRefText,
        ),
        v.check((customer) => customer.externalId !== undefined || customer.email !== undefined, customerRefText),
      ),
    ),
    contact: v.optional(
      v.object({
        name: optionalText(200, contactNameText),
        email: v.optional(v.pipe(v.string(contactEmailText), v.trim(), v.email(contactEmailText))),
        phone: v.optional(v.pipe(v.string(contactPhoneText), v.trim(), v.check(isPhoneNumber, contactPhoneText))),
      }),
    ),
    category: v.pipe(v.string(categoryText), v.trim(), v.nonEmpty(categoryText), v.maxLength(64, categoryText)),
    severity: v.optional(v.picklist(caseSeverities, message('"severity" is "minor" or "major".', '"severity" 只能是 "minor" 或 "major"。'))),
    description: v.pipe(v.string(descriptionText), v.trim(), v.nonEmpty(descriptionText), v.maxLength(5000, descriptionText)),
    desiredOutcome: optionalText(1000, outcomeText),
    orderValue: v.optional(v.pipe(v.number(orderValueText), v.integer(orderValueText), v.minValue(0, orderValueText), v.maxValue(Number.MAX_SAFE_INTEGER, orderValueText))),
    locale: v.optional(v.picklist(['zh-CN', 'en'] as const, message('"locale" is "zh-CN" or "en".', '"locale" 只能是 "zh-CN" 或 "en"。'))),
    contactConsent: v.optional(v.boolean(message('"contactConsent" is true or false.', '"contactConsent" 只能是 true 或 false。')), false),
    channel: v.optional(
      v.picklist(caseChannels, message(`"channel" is one of ${caseChannels.join(', ')}.`, `"channel" 只能是 ${caseChannels.join('、')} 之一。`)),
      'integration',
    ),
  }, requiredField),
  v.check((input) => input.customer !== undefined || input.contact?.email !== undefined || input.contact?.phone !== undefined, whoText),
);
export type ComplaintInput = v.InferOutput<typeof ComplaintInput>;
