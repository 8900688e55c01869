// The rules of a purchase, pure and shared by the integration API, the CSV import and the staff app: money in
// a currency's minor units, the input shapes callers send, and how one CSV row becomes a purchase or a reason a
// person can act on. No I/O.
import * as v from 'valibot';
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { unescapeFormula } from '../customers/csv.ts';
import { cellProblem, isEmailAddress, maxLengths } from '../customers/rules.ts';
import { cellCountProblems, columnName, mappingProposer, mappingShapeProblems } from '../imports/mapping.ts';

/** Purchases one call to POST /api/v1/purchases may carry. */
export const maxBatchPurchases = 1000;
export const orderIdMaxLength = 100;
export const channelMaxLength = 50;
/** Clocks differ between systems: a purchase a few minutes "in the future" is taken as now. */
export const futureSkewMs = 5 * 60_000;
/** The largest purchase file one import takes: about a million rows. */
export const purchaseImportLimitBytes = 128 * 1024 * 1024;

// ---------- money ----------

const digitsCache = new Map<string, number | null>();

/**
 * The digits after the decimal point in a currency's minor unit (CNY 2, JPY 0, BHD 3), as Intl knows them;
 * null for a code that is not a currency.
 */
export function fractionDigits(currency: string): number | null {
  const known = digitsCache.get(currency);
  if (known !== undefined) return known;
  let digits: number | null;
  try {
    const options = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions();
    digits = /^[A-Z]{3}$/.test(currency) ? (options.maximumFractionDigits ?? 2) : null;
  } catch {
    digits = null;
  }
  digitsCache.set(currency, digits);
  return digits;
}

const decimalPattern = /^([+-]?)(\d{1,16})(?:\.(\d{1,20}))?$/;

/**
 * A decimal amount in the major unit ("12.34", "-5", "1299.00") as whole minor units (1234, -500, 129900);
 * 'too_precise' when it has more digits after the point than the currency's minor unit allows, null when it
 * is not a decimal number (or too large to count exactly).
 */
export function toMinorUnits(amount: string, digits: number): number | 'too_precise' | null {
  const match = decimalPattern.exec(amount.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match as unknown as [string, string, string, string | undefined];
  const kept = fraction.replace(/0+$/, '');
  if (kept.length > digits) return 'too_precise';
  const minor = Number(whole) * 10 ** digits + Number(kept.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/** Minor units back as a decimal in the major unit: 1234 with 2 digits is "12.34", -500 is "-5.00". */
export function fromMinorUnits(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** An amount as a person reads it: "12.34 CNY". */
export const moneyText = (minor: number, currency: string) => `${fromMinorUnits(minor, fractionDigits(currency) ?? 2)} ${currency}`;

/** When the purchase happened, as epoch ms; 'future' for a time beyond the allowed clock skew. */
export function occurredAtOf(sent: number, now: number): number | 'future' {
  if (sent > now + futureSkewMs) return 'future';
  return Math.min(sent, now);
}

// ---------- what a caller sends ----------

/** A purchase as the API, the CSV import and the events hand it to the ingest service, before it is checked. */
export interface PurchaseItem {
  orderId: string;
  /** The customer by their external id or email; a refund may leave it out (its order's customer). */
  customer: { externalId?: string | undefined; email?: string | undefined };
  occurredAt: number;
  /** A decimal in the major unit; a refund may leave it out to refund the rest of its order. */
  amount?: string | undefined;
  /** ISO 4217; the settings' base currency when left out (a refund: its order's currency). */
  currency?: string | undefined;
  channel: string | null;
  /** The order a refund gives money back for. */
  refundOf: string | null;
}

const orderIdText = message(
  `"orderId" is your own id for the order, 1 to ${orderIdMaxLength} characters; the same id again changes nothing.`,
  `"orderId" 是您系统中的订单编号，1 到 ${orderIdMaxLength} 个字符；再次发送同一编号不会有任何改变。`,
);
const customerText = message(
  `"customer" is the customer's external id (1 to ${maxLengths.externalId} characters), as sent with PUT /api/v1/customers/{externalId}.`,
  `"customer" 是客户的外部编号（1 到 ${maxLengths.externalId} 个字符），即 PUT /api/v1/customers/{externalId} 中使用的编号。`,
);
const occurredAtText = message(
  '"occurredAt" is when the purchase was made: an ISO 8601 date and time with a zone, e.g. 2026-05-01T09:30:00+08:00.',
  '"occurredAt" 是购买时间：带时区的 ISO 8601 日期时间，例如 2026-05-01T09:30:00+08:00。',
);
const amountText = message(
  '"amount" is a decimal number in the currency\'s main unit, as a number or a string, e.g. 12.34 or "12.34"; negative only for a refund.',
  '"amount" 是以货币主单位表示的十进制数，可为数字或字符串，例如 12.34 或 "12.34"；只有退款才为负数。',
);
const currencyText = message('"currency" is a three-letter ISO 4217 code, e.g. CNY.', '"currency" 须为三个字母的 ISO 4217 代码，例如 CNY。');
const channelText = message(
  `"channel" names where it was bought (e.g. web, store, phone), at most ${channelMaxLength} characters.`,
  `"channel" 是购买渠道（例如 web、store、phone），最多 ${channelMaxLength} 个字符。`,
);
const refundOfText = message(
  `"refundOf" is the order id of the purchase this refund gives money back for, 1 to ${orderIdMaxLength} characters.`,
  `"refundOf" 是本次退款对应的原订单编号，1 到 ${orderIdMaxLength} 个字符。`,
);

export const isoTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const OrderId = (text: typeof orderIdText) => v.pipe(v.string(text), v.trim(), v.nonEmpty(text), v.maxLength(orderIdMaxLength, text));
const IsoTime = v.pipe(
  v.string(occurredAtText),
  v.trim(),
  v.regex(isoTimePattern, occurredAtText),
  v.transform((text) => Date.parse(text)),
  v.check((time) => Number.isFinite(time), occurredAtText),
);
/** A number or a decimal string, kept as the decimal string it stands for. */
export const Amount = v.pipe(
  v.union([v.pipe(v.number(amountText), v.finite(amountText)), v.string(amountText)], amountText),
  v.transform((amount) => (typeof amount === 'number' ? String(amount) : amount.trim())),
  v.regex(decimalPattern, amountText),
);
export const Currency = v.pipe(v.string(currencyText), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/, currencyText));
const Channel = v.optional(
  v.nullable(v.pipe(v.string(channelText), v.trim(), v.maxLength(channelMaxLength, channelText), v.transform((text) => (text === '' ? null : text)))),
  null,
);

/** A field left out that is required, or a body that is not an object. */
const requiredField = (issue: { lang?: string | undefined; expected: string | null; received: string }) => {
  const zh = issue.lang === 'zh-CN';
  if (issue.received === 'undefined' && issue.expected?.startsWith('"')) return zh ? `${issue.expected} 为必填项。` : `${issue.expected} is required.`;
  return zh ? '请以 JSON 对象发送购买记录。' : 'Send a purchase as a JSON object.';
};

/** One purchase (or refund) as POST /api/v1/purchases takes it. */
export const PurchaseInput = v.pipe(
  v.object(
    {
      orderId: OrderId(orderIdText),
      customer: v.optional(v.pipe(v.string(customerText), v.trim(), v.nonEmpty(customerText), v.maxLength(maxLengths.externalId, customerText))),
      occurredAt: IsoTime,
      amount: v.optional(Amount),
      currency: v.optional(Currency),
      channel: Channel,
      refundOf: v.optional(OrderId(refundOfText)),
    },
    requiredField,
  ),
  v.forward(
    v.check(
      (input) => input.customer !== undefined || input.refundOf !== undefined,
      message('"customer" is required: the external id of the customer who bought.', '"customer" 为必填项：购买客户的外部编号。'),
    ),
    ['customer'],
  ),
  v.forward(
    v.check(
      (input) => input.amount !== undefined || input.refundOf !== undefined,
      message('"amount" is required (only a refund may leave it out, to refund the rest of its order).', '"amount" 为必填项（只有退款可以省略，表示退还原订单的剩余金额）。'),
    ),
    ['amount'],
  ),
);
export type PurchaseInput = v.InferOutput<typeof PurchaseInput>;

const batchText = message(
  `"purchases" is a list of 1 to ${maxBatchPurchases} purchases.`,
  `"purchases" 是包含 1 到 ${maxBatchPurchases} 条购买记录的列表。`,
);
/** A batch: { purchases: [...] }, stored all together or not at all. */
export const PurchaseBatchInput = v.object({
  purchases: v.pipe(v.array(PurchaseInput, batchText), v.minLength(1, batchText), v.maxLength(maxBatchPurchases, batchText)),
});

export function itemOfInput(input: PurchaseInput): PurchaseItem {
  return {
    orderId: input.orderId,
    customer: { externalId: input.customer },
    occurredAt: input.occurredAt,
    amount: input.amount,
    currency: input.currency,
    channel: input.channel,
    refundOf: input.refundOf ?? null,
  };
}

// ---------- the customer's purchases ----------

const beforeText = message('"before" must be the nextBefore of the previous page.', '"before" 必须是上一页返回的 nextBefore。');
const limitText = message('"limit" must be a whole number from 1 to 200.', '"limit" 必须是 1 到 200 之间的整数。');
export const CustomerPurchasesQuery = v.object({
  before: v.optional(v.pipe(v.string(), v.regex(/^-?\d{1,16}_\d{1,16}$/, beforeText))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, limitText), v.transform(Number), v.minValue(1, limitText), v.maxValue(200, limitText)), '20'),
});

// ---------- CSV import ----------

/** The purchase fields a CSV column can fill; these are also the English column names the import knows. */
export const purchaseImportFields = [
  'order_id',
  'customer_external_id',
  'customer_email',
  'occurred_at',
  'amount',
  'currency',
  'channel',
  'refund_of',
] as const;
export type PurchaseImportField = (typeof purchaseImportFields)[number];
export type PurchaseColumnMapping = (PurchaseImportField | null)[];

/** Other names a header may have, in English and Chinese; compared without case, spaces, _ or -. */
const headerAliases: Record<PurchaseImportField, string[]> = {
  order_id: ['order', 'order no', 'order number', 'orderid', 'transaction id', '订单号', '订单编号', '单号', '交易号', '流水号'],
  customer_external_id: ['customer', 'customer id', 'customer no', 'customer number', 'external id', 'member id', '客户编号', '客户号', '客户id', '外部编号', '会员编号', '会员号'],
  customer_email: ['email', 'e-mail', 'customer e-mail', '邮箱', '电子邮件', '客户邮箱'],
  occurred_at: ['date', 'time', 'order date', 'purchase date', 'purchased at', 'date time', 'datetime', '日期', '时间', '下单时间', '购买时间', '交易时间', '订单日期'],
  amount: ['value', 'total', 'price', 'sum', 'order value', '金额', '订单金额', '实付金额', '交易金额', '总额'],
  currency: ['curr', 'currency code', '币种', '货币'],
  channel: ['source', 'store', 'sales channel', '渠道', '销售渠道', '门店'],
  refund_of: ['refund', 'refund of', 'refunded order', 'original order', '退款原订单', '原订单号', '原订单'],
};

/** The field each header names, if any; a field named twice is taken by its first column only. */
export const proposePurchaseMapping: (header: readonly string[]) => PurchaseColumnMapping = mappingProposer(purchaseImportFields, headerAliases);

/** What is wrong with a mapping as a whole, before any row is read; empty when it can be used. */
export function purchaseMappingProblems(mapping: readonly (string | null)[], columnCount: number): LocalizedText[] {
  const { problems, seen } = mappingShapeProblems(mapping, columnCount, purchaseImportFields, (field) =>
    bilingual(`"${field}" is not a purchase field.`, `“${field}” 不是购买记录字段。`),
  );
  if (!seen.has('order_id')) {
    problems.push(
      bilingual(
        'Choose the column with the order id: importing again finds purchases by it, so nothing is counted twice.',
        '请选择订单编号所在的列：再次导入时按它识别已有购买记录，避免重复计算。',
      ),
    );
  }
  if (!seen.has('customer_external_id') && !seen.has('customer_email')) {
    problems.push(bilingual('Choose the column with the customer\'s external id or email.', '请选择客户外部编号或电子邮件所在的列。'));
  }
  if (!seen.has('occurred_at')) problems.push(bilingual('Choose the column with the date of the purchase.', '请选择购买日期所在的列。'));
  if (!seen.has('amount')) problems.push(bilingual('Choose the column with the amount.', '请选择金额所在的列。'));
  return problems;
}

/** Hours ahead of UTC a file's times are read in when they name no zone: China Standard Time, UTC+8. */
export const csvDefaultOffsetMinutes = 8 * 60;

const localTimePattern = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?$/;

/**
 * A time cell: ISO 8601 with a zone, or a date (2026-05-01, 2026/5/1) with an optional time (09:30, 09:30:15)
 * read as China Standard Time (UTC+8); null when it is neither.
 */
export function readTimeCell(cell: string): number | null {
  if (isoTimePattern.test(cell)) {
    const time = Date.parse(cell);
    return Number.isFinite(time) ? time : null;
  }
  const match = localTimePattern.exec(cell);
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  // 2026-02-30 rolls over into March: not a date.
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - csvDefaultOffsetMinutes * 60_000;
}

const cellProblems = {
  tooLong: (max: number) => bilingual(`is longer than ${max} characters`, `超过 ${max} 个字符`),
  email: bilingual('is not an email address', '不是有效的电子邮件地址'),
  time: bilingual(
    'is not a date such as 2026-05-01 or 2026-05-01 09:30 (read as UTC+8), or an ISO 8601 time with a zone',
    '不是有效的日期，例如 2026-05-01 或 2026-05-01 09:30（按 UTC+8 读取），或带时区的 ISO 8601 时间',
  ),
  amount: bilingual('is not an amount such as 12.34 or -12.34', '不是有效的金额，例如 12.34 或 -12.34'),
  currency: bilingual('is not a three-letter currency code such as CNY', '不是三个字母的货币代码，例如 CNY'),
};

export type PurchaseRowReading = { ok: true; item: PurchaseItem } | { ok: false; problems: LocalizedText[] };

/** Reads one data row through the mapping: the purchase it describes, or every problem it has. */
export function readPurchaseRow(cells: readonly string[], mapping: PurchaseColumnMapping, header: readonly string[]): PurchaseRowReading {
  const misaligned = cellCountProblems(cells, header);
  if (misaligned) return misaligned;
  const found: LocalizedText[] = [];
  const values: Partial<Record<PurchaseImportField, string>> = {};
  mapping.forEach((field, column) => {
    if (field === null) return;
    const cell = unescapeFormula(cells[column]!.trim());
    if (cell !== '') values[field] = cell;
  });
  const column = (field: PurchaseImportField) => columnName(field, mapping, header);
  const problem = (field: PurchaseImportField, text: LocalizedText) => found.push(cellProblem(column(field), text, values[field]));
  const empty = (field: PurchaseImportField, why: LocalizedText) => found.push(cellProblem(column(field), why));

  const orderId = values.order_id;
  if (orderId === undefined) empty('order_id', bilingual('is empty; every purchase needs its order id', '为空；每条购买记录都需要订单编号'));
  else if (orderId.length > orderIdMaxLength) problem('order_id', cellProblems.tooLong(orderIdMaxLength));

  const externalId = values.customer_external_id;
  if (externalId !== undefined && externalId.length > maxLengths.externalId) problem('customer_external_id', cellProblems.tooLong(maxLengths.externalId));
  const email = values.customer_email?.toLowerCase();
  if (email !== undefined && !isEmailAddress(email)) problem('customer_email', cellProblems.email);
  const refundOf = values.refund_of ?? null;
  if (refundOf !== null && refundOf.length > orderIdMaxLength) problem('refund_of', cellProblems.tooLong(orderIdMaxLength));
  if (externalId === undefined && email === undefined && refundOf === null) {
    found.push(
      bilingual(
        `it names no customer: fill "${column(mapping.includes('customer_external_id') ? 'customer_external_id' : 'customer_email')}"`,
        `未指明客户：请填写 “${column(mapping.includes('customer_external_id') ? 'customer_external_id' : 'customer_email')}”`,
      ),
    );
  }

  let occurredAt = 0;
  if (values.occurred_at === undefined) empty('occurred_at', bilingual('is empty; every purchase needs its date', '为空；每条购买记录都需要日期'));
  else {
    const time = readTimeCell(values.occurred_at);
    if (time === null) problem('occurred_at', cellProblems.time);
    else occurredAt = time;
  }

  const amount = values.amount?.replace(/[,，\s]/g, '').replace(/^[¥￥$€£]/, '');
  if (amount === undefined && refundOf === null) empty('amount', bilingual('is empty; only a refund may leave it out', '为空；只有退款可以省略金额'));
  else if (amount !== undefined && !decimalPattern.test(amount)) problem('amount', cellProblems.amount);

  const currency = values.currency?.toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) problem('currency', cellProblems.currency);

  const channel = values.channel ?? null;
  if (channel !== null && channel.length > channelMaxLength) problem('channel', cellProblems.tooLong(channelMaxLength));

  if (found.length > 0) return { ok: false, problems: found };
  return {
    ok: true,
    item: {
      orderId: orderId!,
      customer: { externalId, email },
      occurredAt,
      amount,
      currency,
      channel,
      refundOf,
    },
  };
}
