// Purchases arriving from other systems (the integration API, integration events, CSV imports, the demo):
// each checked against the customers, the currencies the loyalty settings know and the orders already stored,
// then written in one write transaction that also marks the customers' loyalty stale. An order id is stored
// once: the same content again changes nothing, different content is refused naming the order.
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { insertRows, placeholders, rawOf } from '../db/raw.ts';
import { customers, purchases } from '../db/schema.ts';
import { DomainError, firstProblems, omittedText, type ErrorCode } from '../errors.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { readLoyaltySettings, type LoyaltySettings } from '../loyalty/settings.ts';
import { loyaltyUpdateDue } from '../loyalty/updates.ts';
import type { PurchaseSource } from '../loyalty/vocabulary.ts';
import { fractionDigits, fromMinorUnits, moneyText, occurredAtOf, toMinorUnits, type PurchaseItem } from './rules.ts';

type PurchaseRow = typeof purchases.$inferSelect;

type NewPurchase = typeof purchases.$inferInsert;

/** An order as checking a batch knows it: stored before, or taken earlier in the same batch. */
interface KnownOrder {
  id: number | null;
  customerId: string;
  occurredAt: number;
  amountMinor: number;
  currency: string;
  channel: string | null;
  refundOf: string | null;
}

/** What became of one purchase of a batch. */
export type Decision =
  | { kind: 'new'; row: NewPurchase }
  | { kind: 'same'; id: number }
  | { kind: 'refused'; code: ErrorCode; field: RefusedField; problem: LocalizedText };

/** The field a refusal is about, as the API names it. */
export type RefusedField = 'orderId' | 'customer' | 'occurredAt' | 'amount' | 'currency' | 'refundOf';

const iso = (time: number) => new Date(time).toISOString();

type Customers = Awaited<ReturnType<typeof findCustomers>>;

/** The customers a batch names, by external id and by email. */
async function findCustomers(tx: DbOrTx, items: readonly PurchaseItem[]) {
  const externalIds = [...new Set(items.flatMap((item) => (item.customer.externalId === undefined ? [] : [item.customer.externalId])))];
  const emails = [...new Set(items.flatMap((item) => (item.customer.email === undefined ? [] : [item.customer.email])))];
  const byExternalId = new Map<string, { id: string; externalId: string | null }>();
  const byEmail = new Map<string, { id: string; externalId: string | null }>();
  const byId = new Map<string, string>();
  const raw = rawOf(tx);
  for (let start = 0; start < externalIds.length; start += 2000) {
    const chunk = externalIds.slice(start, start + 2000);
    const result = await raw.execute({ sql: `SELECT id, external_id FROM customers WHERE external_id IN (${placeholders(chunk.length)})`, args: chunk });
    for (const row of result.rows) byExternalId.set(String(row[1]), { id: String(row[0]), externalId: String(row[1]) });
  }
  for (let start = 0; start < emails.length; start += 2000) {
    const chunk = emails.slice(start, start + 2000);
    const result = await raw.execute({ sql: `SELECT id, external_id, email FROM customers WHERE email IN (${placeholders(chunk.length)})`, args: chunk });
    for (const row of result.rows) byEmail.set(String(row[2]), { id: String(row[0]), externalId: row[1] === null ? null : String(row[1]) });
  }
  for (const row of [...byExternalId.values(), ...byEmail.values()]) byId.set(row.id, row.externalId ?? row.id);
  return { byExternalId, byEmail, byId };
}

/** The stored orders a batch names (its own order ids and those its refunds refund), and what each has had refunded. */
async function findOrders(tx: DbOrTx, items: readonly PurchaseItem[]) {
  const orderIds = [...new Set(items.flatMap((item) => (item.refundOf === null ? [item.orderId] : [item.orderId, item.refundOf])))];
  const orders = new Map<string, KnownOrder>();
  const raw = rawOf(tx);
  for (let start = 0; start < orderIds.length; start += 2000) {
    const chunk = orderIds.slice(start, start + 2000);
    const result = await raw.execute({
      sql: `SELECT id, order_id, customer_id, occurred_at, amount_minor, currency, channel, refund_of FROM purchases WHERE order_id IN (${placeholders(chunk.length)})`,
      args: chunk,
    });
    for (const row of result.rows) {
      orders.set(String(row[1]), {
        id: Number(row[0]),
        customerId: String(row[2]),
        occurredAt: Number(row[3]),
        amountMinor: Number(row[4]),
        currency: String(row[5]),
        channel: row[6] === null ? null : String(row[6]),
        refundOf: row[7] === null ? null : String(row[7]),
      });
    }
  }
  const refunded = new Map<string, number>();
  const refundedOrders = [...new Set(items.flatMap((item) => (item.refundOf !== null && orders.has(item.refundOf) ? [item.refundOf] : [])))];
  for (let start = 0; start < refundedOrders.length; start += 2000) {
    const chunk = refundedOrders.slice(start, start + 2000);
    const result = await raw.execute({
      sql: `SELECT refund_of, sum(amount_minor) FROM purchases WHERE refund_of IN (${placeholders(chunk.length)}) GROUP BY refund_of`,
      args: chunk,
    });
    for (const row of result.rows) refunded.set(String(row[0]), -Number(row[1]));
  }
  return { orders, refunded };
}

const knownCurrencies = (settings: LoyaltySettings) => Object.keys(settings.currency.rates).sort().join(', ');

/**
 * Decides, in the caller's transaction, what each purchase of a batch is: new, the same as an order already
 * stored, or refused with the reason. Purchases are taken in order, so a refund may follow its order in the
 * same batch, and an order id twice in a batch is the same or refused like one already stored.
 */
export async function decidePurchases(
  tx: DbOrTx,
  items: readonly PurchaseItem[],
  input: {
    source: PurchaseSource;
    apiKeyId?: string | null;
    importId?: string | null;
    settings: LoyaltySettings;
    now: number;
    /** The customers the batch names, when looked up before the transaction. */
    people?: Customers | undefined;
  },
): Promise<Decision[]> {
  const { settings, now } = input;
  const people = input.people ?? (await findCustomers(tx, items));
  const { orders, refunded } = await findOrders(tx, items);
  const customerName = (id: string) => people.byId.get(id) ?? id;
  const describe = (order: KnownOrder) =>
    `${moneyText(order.amountMinor, order.currency)}, customer ${customerName(order.customerId)}, ${iso(order.occurredAt)}${order.channel ? `, channel ${order.channel}` : ''}${order.refundOf ? `, refund of ${order.refundOf}` : ''}`;
  const describeZh = (order: KnownOrder) =>
    `${moneyText(order.amountMinor, order.currency)}，客户 ${customerName(order.customerId)}，${iso(order.occurredAt)}${order.channel ? `，渠道 ${order.channel}` : ''}${order.refundOf ? `，退款原订单 ${order.refundOf}` : ''}`;

  return items.map((item): Decision => {
    const refuse = (code: ErrorCode, field: RefusedField, en: string, zh: string): Decision => ({
      kind: 'refused',
      code,
      field,
      problem: bilingual(en, zh),
    });
    const original = item.refundOf === null ? null : orders.get(item.refundOf);
    if (item.refundOf !== null && item.refundOf === item.orderId) {
      return refuse('bad_request', 'refundOf', `order ${item.orderId} cannot refund itself: give the refund its own order id.`, `订单 ${item.orderId} 不能退款给自己：请为退款另设订单编号。`);
    }
    if (item.refundOf !== null && !original) {
      return refuse(
        'not_found',
        'refundOf',
        `order ${item.orderId} refunds order ${item.refundOf}, which is not stored: send the purchase first.`,
        `订单 ${item.orderId} 退款的原订单 ${item.refundOf} 不存在：请先发送该购买记录。`,
      );
    }
    if (original && original.refundOf !== null) {
      return refuse('bad_request', 'refundOf', `order ${item.refundOf} is itself a refund; name the purchase it refunds.`, `订单 ${item.refundOf} 本身是退款；请填写被退款的购买订单。`);
    }

    // The customer: named, or (a refund) its order's.
    let customerId: string;
    if (item.customer.externalId !== undefined || item.customer.email !== undefined) {
      const found =
        item.customer.externalId !== undefined ? people.byExternalId.get(item.customer.externalId) : people.byEmail.get(item.customer.email!);
      if (!found) {
        const named = item.customer.externalId !== undefined ? `the external id "${item.customer.externalId}"` : `the email ${item.customer.email}`;
        const namedZh = item.customer.externalId !== undefined ? `外部编号为 “${item.customer.externalId}”` : `电子邮件为 ${item.customer.email}`;
        return refuse(
          'not_found',
          'customer',
          `no customer has ${named}: send the customer first (PUT /api/v1/customers/{externalId} or a customer import).`,
          `没有${namedZh}的客户：请先提交该客户（PUT /api/v1/customers/{externalId} 或客户导入）。`,
        );
      }
      if (original && original.customerId !== found.id) {
        return refuse(
          'bad_request',
          'customer',
          `order ${item.refundOf} was bought by customer ${customerName(original.customerId)}, not ${customerName(found.id)}; a refund goes to the customer who bought.`,
          `订单 ${item.refundOf} 的购买客户是 ${customerName(original.customerId)}，而不是 ${customerName(found.id)}；退款须退给购买的客户。`,
        );
      }
      customerId = found.id;
    } else {
      customerId = original!.customerId;
    }

    // The currency: named, or a refund's order's, or the base currency.
    const currency = item.currency ?? original?.currency ?? settings.currency.base;
    const digits = fractionDigits(currency);
    if (digits === null || settings.currency.rates[currency] === undefined) {
      return refuse(
        'bad_request',
        'currency',
        `the currency ${currency} is not one the loyalty settings know (${knownCurrencies(settings)}); an admin or manager adds it with its rate in the loyalty settings.`,
        `忠诚度设置中没有货币 ${currency}（已有：${knownCurrencies(settings)}）；管理员或经理可在忠诚度设置中添加它及其汇率。`,
      );
    }
    if (original && original.currency !== currency) {
      return refuse(
        'bad_request',
        'currency',
        `order ${item.refundOf} was paid in ${original.currency}; its refund is in ${original.currency} too, not ${currency}.`,
        `订单 ${item.refundOf} 以 ${original.currency} 支付；其退款也须为 ${original.currency}，而不是 ${currency}。`,
      );
    }

    let amountMinor: number | null = null;
    if (item.amount !== undefined) {
      const minor = toMinorUnits(item.amount, digits);
      if (minor === null) {
        return refuse('bad_request', 'amount', `"${item.amount}" is not an amount such as 12.34.`, `“${item.amount}” 不是有效的金额，例如 12.34。`);
      }
      if (minor === 'too_precise') {
        return refuse(
          'bad_request',
          'amount',
          `${item.amount} has more than ${digits} digits after the point, which ${currency} does not have.`,
          `${item.amount} 的小数位超过 ${digits} 位，而 ${currency} 没有更小的单位。`,
        );
      }
      amountMinor = minor;
    }

    const channel = item.channel;
    const occurredAt = occurredAtOf(item.occurredAt, now);
    if (occurredAt === 'future') {
      return refuse('bad_request', 'occurredAt', `the time ${iso(item.occurredAt)} is in the future; send when the purchase was made.`, `时间 ${iso(item.occurredAt)} 是将来的时间；请发送实际购买时间。`);
    }

    // An order stored before (or earlier in this batch): the same content changes nothing, other content is refused.
    const stored = orders.get(item.orderId);
    if (stored) {
      const same =
        stored.customerId === customerId &&
        stored.occurredAt === occurredAt &&
        stored.currency === currency &&
        stored.channel === channel &&
        stored.refundOf === item.refundOf &&
        (amountMinor === null ? stored.refundOf !== null : stored.amountMinor === amountMinor);
      if (same) return { kind: 'same', id: stored.id ?? 0 };
      return refuse(
        'conflict',
        'orderId',
        `order ${item.orderId} is already stored with other content (${describe(stored)}); an order id is stored once, so send a new order id for another purchase or refund.`,
        `订单 ${item.orderId} 已以不同内容保存（${describeZh(stored)}）；同一订单编号只保存一次，其他购买或退款请使用新的订单编号。`,
      );
    }

    if (original) {
      const rest = original.amountMinor - (refunded.get(item.refundOf!) ?? 0);
      if (amountMinor === null) amountMinor = -rest;
      if (amountMinor >= 0) {
        return refuse(
          'bad_request',
          'amount',
          `a refund's amount is negative, e.g. -${fromMinorUnits(Math.max(rest, 1), digits)}; leave it out to refund the rest of order ${item.refundOf}.`,
          `退款金额须为负数，例如 -${fromMinorUnits(Math.max(rest, 1), digits)}；省略金额则退还订单 ${item.refundOf} 的剩余金额。`,
        );
      }
      if (-amountMinor > rest) {
        return refuse(
          'bad_request',
          'amount',
          `refunding ${moneyText(-amountMinor, currency)} would give back more than is left of order ${item.refundOf} (${moneyText(rest, currency)} of ${moneyText(original.amountMinor, currency)}).`,
          `退款 ${moneyText(-amountMinor, currency)} 超过了订单 ${item.refundOf} 的剩余金额（${moneyText(original.amountMinor, currency)} 中剩余 ${moneyText(rest, currency)}）。`,
        );
      }
      refunded.set(item.refundOf!, (refunded.get(item.refundOf!) ?? 0) - amountMinor);
    } else if (amountMinor! < 0) {
      return refuse(
        'bad_request',
        'amount',
        `the amount ${item.amount} is negative, which only a refund may be: name the refunded order in "refundOf".`,
        `金额 ${item.amount} 为负数，只有退款才可以为负：请在 "refundOf" 中填写被退款的订单。`,
      );
    }

    const row: NewPurchase = {
      customerId,
      orderId: item.orderId,
      refundOf: item.refundOf,
      occurredAt,
      amountMinor: amountMinor!,
      currency,
      channel,
      source: input.source,
      apiKeyId: input.apiKeyId ?? null,
      importId: input.importId ?? null,
      createdAt: now,
    };
    orders.set(item.orderId, { id: null, customerId, occurredAt, amountMinor: amountMinor!, currency, channel, refundOf: item.refundOf });
    return { kind: 'new', row };
  });
}

/** Writes the new purchases of a batch and has a loyalty update due for them, in the caller's write transaction. */
export async function storePurchases(tx: DbOrTx, rows: readonly NewPurchase[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(
    tx,
    purchases,
    rows.map((row) => ({
      customerId: row.customerId,
      orderId: row.orderId,
      refundOf: row.refundOf ?? null,
      occurredAt: row.occurredAt,
      amountMinor: row.amountMinor,
      currency: row.currency,
      channel: row.channel ?? null,
      source: row.source,
      apiKeyId: row.apiKeyId ?? null,
      importId: row.importId ?? null,
      createdAt: row.createdAt ?? now,
    })),
  );
  // The loyalty update folds the new purchases into marks itself (loyalty/updates.ts).
  await loyaltyUpdateDue(tx, now);
}

export interface IngestResult {
  created: number;
  unchanged: number;
  purchases: { orderId: string; status: 'created' | 'unchanged' }[];
}

/**
 * Checks and stores a batch all together or not at all: one refused purchase refuses the whole batch, naming
 * every problem (the first 20) by the purchase's place in the batch and its order id, and nothing is stored.
 * `paths` names each purchase in the answer ("purchases.3" in a batch, "" for a single purchase).
 */
export async function ingestPurchases(
  db: Db,
  items: readonly PurchaseItem[],
  input: { source: PurchaseSource; apiKeyId?: string | null; paths: (index: number) => string; now?: number },
): Promise<IngestResult> {
  const now = input.now ?? Date.now();
  // Customers are never deleted, so they are looked up before the write transaction, which then holds the
  // database's one write lock only for the orders and the writes.
  const people = await findCustomers(db, items);
  return db.transaction(async (tx) => ingestInTransaction(tx, items, { ...input, now, people }));
}

/** ingestPurchases inside a transaction the caller holds (an integration event stores its purchase with it). */
export async function ingestInTransaction(
  tx: DbOrTx,
  items: readonly PurchaseItem[],
  input: { source: PurchaseSource; apiKeyId?: string | null; paths: (index: number) => string; now: number; people?: Customers },
): Promise<IngestResult> {
  const settings = await readLoyaltySettings(tx);
  const decisions = await decidePurchases(tx, items, { ...input, settings });
  const problems: Record<string, LocalizedText> = {};
  let code: ErrorCode | null = null;
  decisions.forEach((decision, index) => {
    if (decision.kind !== 'refused') return;
    code ??= decision.code;
    const path = input.paths(index);
    const key = path === '' ? decision.field : `${path}.${decision.field}`;
    const where = path === '' ? '' : `${path} `;
    problems[key] ??= bilingual(`${where}(order ${items[index]!.orderId}): ${decision.problem.en}`, `${where}（订单 ${items[index]!.orderId}）：${decision.problem['zh-CN']}`);
  });
  if (code !== null) {
    const { shown, omitted } = firstProblems(problems);
    const first = Object.values(shown)[0]!;
    const more = omittedText(omitted);
    const count = Object.keys(problems).length;
    throw new DomainError(
      code,
      bilingual(
        `Nothing was stored${items.length > 1 ? ` (${count} of ${items.length} purchases refused)` : ''}: ${first.en}${more.en}`,
        `未保存任何记录${items.length > 1 ? `（${items.length} 条中有 ${count} 条被拒绝）` : ''}：${first['zh-CN']}${more['zh-CN']}`,
      ),
      shown,
      omitted > 0 ? { moreProblems: omitted } : {},
    );
  }
  const fresh = decisions.flatMap((decision) => (decision.kind === 'new' ? [decision.row] : []));
  await storePurchases(tx, fresh, input.now);
  return {
    created: fresh.length,
    unchanged: decisions.length - fresh.length,
    purchases: decisions.map((decision, index) => ({ orderId: items[index]!.orderId, status: decision.kind === 'new' ? 'created' : 'unchanged' })),
  };
}

// ---------- a customer's purchases ----------

export function toPurchase(row: PurchaseRow) {
  const digits = fractionDigits(row.currency) ?? 2;
  return {
    id: row.id,
    orderId: row.orderId,
    refundOf: row.refundOf,
    occurredAt: iso(row.occurredAt),
    amount: fromMinorUnits(row.amountMinor, digits),
    amountMinor: row.amountMinor,
    currency: row.currency,
    channel: row.channel,
    source: row.source,
  };
}
export type Purchase = ReturnType<typeof toPurchase>;

/**
 * A customer's purchases and refunds, newest first, a page at a time (the cursor "<occurredAt>_<id>"), with the
 * totals of all of them per currency: purchases, refunds and the net value.
 */
export async function listCustomerPurchases(db: Db, input: { customerId: string; before?: string | undefined; limit: number }) {
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
  if (!customer) throw new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));
  const cursor = input.before?.match(/^(-?\d+)_(\d+)$/);
  const older = cursor
    ? or(lt(purchases.occurredAt, Number(cursor[1])), and(eq(purchases.occurredAt, Number(cursor[1])), lt(purchases.id, Number(cursor[2]))))
    : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(purchases)
      .where(and(eq(purchases.customerId, input.customerId), older))
      .orderBy(desc(purchases.occurredAt), desc(purchases.id))
      .limit(input.limit + 1),
    input.before
      ? Promise.resolve(null)
      : db
          .select({
            currency: purchases.currency,
            purchases: sql<number>`sum(${purchases.amountMinor} >= 0)`,
            refunds: sql<number>`sum(${purchases.amountMinor} < 0)`,
            netMinor: sql<number>`sum(${purchases.amountMinor})`,
            lastAt: sql<number>`max(${purchases.occurredAt})`,
          })
          .from(purchases)
          .where(eq(purchases.customerId, input.customerId))
          .groupBy(purchases.currency),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    purchases: page.map(toPurchase),
    nextBefore: rows.length > input.limit && last ? `${last.occurredAt}_${last.id}` : null,
    /** Only on the first page. */
    totals:
      totals?.map((total) => ({
        currency: total.currency,
        purchases: Number(total.purchases),
        refunds: Number(total.refunds),
        net: fromMinorUnits(Number(total.netMinor), fractionDigits(total.currency) ?? 2),
        lastAt: iso(Number(total.lastAt)),
      })) ?? null,
  };
}
