// A customer's loyalty as the customer resource shows it: the customer_loyalty row the loyalty engine keeps
// (stage and its overlays, RFM, the score and its parts, the computed tier), beside the customer's own tier and
// whether it was set by hand. A customer who objects to profiling is shown no score and no parts.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { customerLoyalty } from '../db/schema.ts';
import { readLoyaltySettings } from '../loyalty/settings.ts';
import type { CustomerTier } from './vocabulary.ts';

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** Digits after the point in a currency's major unit: 2 for CNY, 0 for JPY. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units as a decimal string in the major unit: 1234 CNY → "12.34", -500 JPY → "-500". */
export function amountOf(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

type LoyaltyRow = typeof customerLoyalty.$inferSelect;

export function toLoyaltyView(row: LoyaltyRow, customer: { tier: CustomerTier; tierSetByHand: boolean; objectsToProfiling: boolean }, baseCurrency: string) {
  const objects = customer.objectsToProfiling;
  return {
    stage: row.stage,
    stageSince: iso(row.stageSince),
    regularSince: iso(row.regularSince),
    atRisk: row.atRisk,
    atRiskReasons: row.atRiskReasons,
    churned: row.churned,
    churnedAt: iso(row.churnedAt),
    rfm: row.recency === null || row.frequency === null || row.monetary === null ? null : { recency: row.recency, frequency: row.frequency, monetary: row.monetary },
    purchases: {
      count: row.purchaseCount,
      first: iso(row.firstPurchaseAt),
      last: iso(row.lastPurchaseAt),
      inWindow: row.windowPurchases,
      windowValue: { amount: amountOf(row.windowValue, baseCurrency), currency: baseCurrency },
      medianGapDays: row.medianGapDays,
    },
    /** No score and no parts for a customer who objects to profiling, whatever the row still holds. */
    score: objects ? null : row.score,
    parts: objects ? null : row.parts,
    tier: { current: customer.tier, computed: row.computedTier, setByHand: customer.tierSetByHand },
    profilingObjected: objects,
    computedAt: iso(row.computedAt),
  };
}
export type LoyaltyView = ReturnType<typeof toLoyaltyView>;

/** The customer's loyalty view, or null when loyalty tracking has nothing on them yet. */
export async function customerLoyaltyView(
  db: Db,
  customer: { id: string; tier: CustomerTier; tierSetByHand: boolean; objectsToProfiling: boolean },
): Promise<LoyaltyView | null> {
  const [row] = await db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, customer.id));
  if (!row) return null;
  const settings = await readLoyaltySettings(db);
  return toLoyaltyView(row, customer, settings.currency.base);
}
