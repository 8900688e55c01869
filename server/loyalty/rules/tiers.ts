// Tiers by share of value (DOMAIN.md "Loyalty and tiers": VIP about 5% of customers holding 50% of profit,
// important 15% holding 30%, ordinary the rest holding 20%). Pure.
//
//   tierCuts(values, shares) → { vipFrom, importantFrom }   one sort: O(n log n) for n customers
//   tierOf(value, cuts) → 'vip' | 'important' | 'ordinary'
//
// The rule: rank customers by value in the window (base-currency minor units), largest first. A customer is
// VIP when the customers with MORE value than theirs hold less than tierShares.vip % of all value; important
// when those hold less than (vip + important) %; ordinary otherwise. So the VIP tier is the smallest top group
// holding at least the VIP share (the customer who crosses the line is in), and customers with equal value
// always share a tier, since "more value than theirs" is the same for all of them. A customer with no
// positive value is ordinary. The cuts are value thresholds, so tierOf is two comparisons.
import type { CustomerTier } from '../../customers/vocabulary.ts';
import type { LoyaltySettings } from '../settings.ts';

/** A value at or above vipFrom is VIP, else at or above importantFrom important; +Infinity: nobody reaches it. */
export interface TierCuts {
  vipFrom: number;
  importantFrom: number;
}

export function tierCuts(values: readonly number[], shares: LoyaltySettings['tierShares']): TierCuts {
  let count = 0;
  for (const value of values) if (value > 0) count++;
  const sorted = new Float64Array(count);
  let total = 0;
  let i = 0;
  for (const value of values) {
    if (value > 0) {
      sorted[i++] = value;
      total += value;
    }
  }
  sorted.sort();
  const vipLine = (total * shares.vip) / 100;
  const importantLine = (total * (shares.vip + shares.important)) / 100;
  let vipFrom = Infinity;
  let importantFrom = Infinity;
  let above = 0; // value held by customers with more value than the current run
  for (let end = count; end > 0; ) {
    const value = sorted[end - 1]!;
    let start = end - 1;
    while (start > 0 && sorted[start - 1] === value) start--;
    if (above < vipLine) vipFrom = value;
    else if (above < importantLine) importantFrom = value;
    else break;
    above += value * (end - start);
    end = start;
  }
  return { vipFrom, importantFrom: Math.min(importantFrom, vipFrom) };
}

export function tierOf(value: number, cuts: TierCuts): CustomerTier {
  if (value > 0 && value >= cuts.vipFrom) return 'vip';
  if (value > 0 && value >= cuts.importantFrom) return 'important';
  return 'ordinary';
}
