// The demo's purchases: two years of orders (and a few refunds) for the demo's customers, consistent with what
// the rest of the demo says about them, so the loop between satisfaction, complaint recovery and buying again
// shows on the company's own data. A customer buys at the rhythm of their tier (VIPs often and for more), more
// often the better they feel about us (their mood in the responses), and some just drift away (silent churn).
// After a complaint case the outcome decides: a customer who left, or whose complaint stayed unresolved, mostly
// stops buying (voiced churn); one recovered quickly nearly always keeps buying; one recovered slowly mostly does,
// the major cases less. Idempotent: order ids are fixed per customer and purchase, and rows already there are
// skipped. Every batch marks its customers' loyalty stale in its own transaction, as any arrival does.
import type { InValue } from '@libsql/client';
import { seeded } from '../../surveys/random.ts';
import type { RecoveryOutcome } from '../complaints/vocabulary.ts';
import type { CustomerTier } from '../customers/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { loyaltyUpdateDue } from '../loyalty/updates.ts';
import { rawOf } from '../db/raw.ts';

const dayMs = 24 * 3_600_000;
const historyDays = 730;

/** What the demo's purchases need to know of a demo customer. */
export interface PurchaseWorldCustomer {
  id: string;
  tier: CustomerTier;
  /** How the customer tends to feel about us (about -0.2 to 0.2): it shortens or lengthens their gaps. */
  moodLift: number;
}

/** Days between purchases and the usual order value (CNY) by tier. */
const rhythm: Record<CustomerTier, { gapDays: number; value: number }> = {
  vip: { gapDays: 12, value: 2600 },
  important: { gapDays: 25, value: 900 },
  ordinary: { gapDays: 45, value: 260 },
};

/**
 * The chance a customer keeps buying after a complaint with this outcome and severity: the shape of the TARP
 * findings (DOMAIN.md), so the dashboard's own table finds the loop in the demo.
 */
const keepsBuying: Record<RecoveryOutcome, Record<'minor' | 'major', number>> = {
  resolved_quickly: { minor: 0.95, major: 0.85 },
  resolved: { minor: 0.75, major: 0.55 },
  unresolved: { minor: 0.35, major: 0.15 },
};

const channels = ['web', 'app', 'store', 'phone'] as const;

interface CaseFact {
  createdAt: number;
  severity: 'minor' | 'major';
  outcome: RecoveryOutcome | null;
  customerLeft: boolean;
}

export const demoOrderId = (customerIndex: number, n: number) => `DEMO-${customerIndex}-${n}`;

/** One customer's purchases over the demo's two years: [order id, refund of, time, amount in fen, channel]. */
export function demoPurchasesOf(
  customerIndex: number,
  customer: PurchaseWorldCustomer,
  cases: readonly CaseFact[],
  now: number,
): [string, string | null, number, number, string][] {
  const random = seeded(Math.imul(customerIndex + 1, 0x2545f491) ^ 0x5bd1e995);
  // One customer in twelve has not bought anything yet (a prospect).
  if (random() < 1 / 12) return [];
  const { gapDays, value } = rhythm[customer.tier];
  const gap = gapDays * Math.exp(-customer.moodLift * 4) * (0.6 + random() * 0.8);
  // Where buying stops: a silent drift for some, or after a complaint that went badly.
  let stopAt = random() < 0.06 + Math.max(0, -customer.moodLift) / 2 ? now - random() * 400 * dayMs : Infinity;
  for (const found of [...cases].sort((a, b) => a.createdAt - b.createdAt)) {
    if (found.createdAt >= stopAt) break;
    const keeps = found.customerLeft ? 0 : found.outcome === null ? 0.7 : keepsBuying[found.outcome][found.severity];
    if (random() >= keeps) {
      stopAt = found.createdAt + random() * 20 * dayMs;
      break;
    }
  }
  const rows: [string, string | null, number, number, string][] = [];
  let at = now - historyDays * dayMs + random() * gap * dayMs;
  let n = 0;
  while (at < Math.min(now, stopAt)) {
    const amount = Math.max(1000, Math.round(value * 100 * Math.exp((random() - 0.5) * 1.2)));
    const orderId = demoOrderId(customerIndex, n++);
    const channel = channels[Math.floor(random() * channels.length)]!;
    rows.push([orderId, null, Math.floor(at), amount, channel]);
    // One order in thirty is given back in part or whole, a few days later.
    if (random() < 1 / 30) {
      const refundAt = at + (1 + random() * 10) * dayMs;
      if (refundAt < now) rows.push([demoOrderId(customerIndex, n++), orderId, Math.floor(refundAt), -(random() < 0.5 ? amount : Math.round(amount / 2)), channel]);
    }
    at += gap * dayMs * (0.5 + random());
  }
  return rows;
}

const rowsPerStatement = 900;
const customersPerTransaction = 500;

/**
 * Writes the purchases of customers 0..customerCount-1, reading their complaint cases from the database (so the
 * demo's complaints decide who stops buying). Returns how many purchases were added.
 */
export async function fillDemoPurchases(
  db: Db,
  input: { now: number; customerCount: number; customer: (index: number) => PurchaseWorldCustomer },
): Promise<{ purchasesInserted: number }> {
  const cases = new Map<string, CaseFact[]>();
  const found = await db.$client.execute(
    `SELECT customer_id, created_at, severity, outcome, customer_left FROM complaint_cases WHERE customer_id IS NOT NULL AND status <> 'merged'`,
  );
  for (const row of found.rows) {
    const list = cases.get(String(row[0])) ?? [];
    list.push({ createdAt: Number(row[1]), severity: row[2] === 'major' ? 'major' : 'minor', outcome: (row[3] as RecoveryOutcome | null) ?? null, customerLeft: Number(row[4]) === 1 });
    cases.set(String(row[0]), list);
  }
  let purchasesInserted = 0;
  for (let start = 0; start < input.customerCount; start += customersPerTransaction) {
    const rows: InValue[][] = [];
    for (let index = start; index < Math.min(input.customerCount, start + customersPerTransaction); index++) {
      const customer = input.customer(index);
      const made = demoPurchasesOf(index, customer, cases.get(customer.id) ?? [], input.now);
      for (const [orderId, refundOf, at, amount, channel] of made) rows.push([customer.id, orderId, refundOf, at, amount, 'CNY', channel, 'demo', at]);
    }
    if (rows.length === 0) continue;
    await db.transaction(async (tx) => {
      const raw = rawOf(tx);
      let added = 0;
      for (let offset = 0; offset < rows.length; offset += rowsPerStatement) {
        const chunk = rows.slice(offset, offset + rowsPerStatement);
        const result = await raw.execute({
          sql: `INSERT OR IGNORE INTO purchases (customer_id, order_id, refund_of, occurred_at, amount_minor, currency, channel, source, created_at)
                VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          args: chunk.flat(),
        });
        added += result.rowsAffected;
      }
      if (added > 0) await loyaltyUpdateDue(tx, input.now);
      purchasesInserted += added;
    });
  }
  return { purchasesInserted };
}
