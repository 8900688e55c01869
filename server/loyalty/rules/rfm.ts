// RFM: recency, frequency and monetary value, each scored 1-5 by quintile over the customers who bought in the
// window (DOMAIN.md "Loyalty and tiers": the airline case scores by quintile). Pure.
//
//   rfmCuts(rows) → RfmCuts                 one sort per measure: O(n log n) for n customers
//   rfmScores(row, cuts) → { recency, frequency, monetary }   each 1-5; recency: the newest purchase scores 5
//
// How a value gets its score: sort the population, give every value its mid-rank (for a run of equal values,
// the middle of the run), and score by which fifth of the population that mid-rank falls in. Without ties
// that is exactly the quintile: the lowest 20% score 1, the highest 20% score 5. With ties, equal values
// always share a score, and a large run lands where its middle is: if 60% of customers bought once, they
// all score 2 for frequency (their middle is at 30%), not 1 (which would call them the lowest fifth) nor 4.
// The cuts are the smallest values reaching each score, so scoring a customer is four comparisons.

export interface RfmRow {
  /** Epoch ms of the customer's last purchase in the window. */
  lastPurchaseAt: number;
  /** Purchases in the window. */
  purchases: number;
  /** Value in the window, in base-currency minor units (refunds already netted). */
  value: number;
}

/**
 * Four non-decreasing cut values per measure: a value scores 1 + the number of cuts it reaches (value ≥ cut).
 * A score no value in the population reaches has the cut +Infinity (e.g. every cut is +Infinity with no rows).
 */
export interface RfmCuts {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export type RfmScore = 1 | 2 | 3 | 4 | 5;
export interface RfmScores {
  recency: RfmScore;
  frequency: RfmScore;
  monetary: RfmScore;
}

/** The cuts of the three measures over the customers with a purchase in the window. */
export function rfmCuts(rows: readonly RfmRow[]): RfmCuts {
  const n = rows.length;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    recency[i] = row.lastPurchaseAt;
    frequency[i] = row.purchases;
    monetary[i] = row.value;
  }
  return { recency: quintileCuts(recency), frequency: quintileCuts(frequency), monetary: quintileCuts(monetary) };
}

/** A customer's three scores against the cuts; a later last purchase, more purchases and more value score higher. */
export function rfmScores(row: RfmRow, cuts: RfmCuts): RfmScores {
  return {
    recency: scoreAgainst(row.lastPurchaseAt, cuts.recency),
    frequency: scoreAgainst(row.purchases, cuts.frequency),
    monetary: scoreAgainst(row.value, cuts.monetary),
  };
}

/** The score 1-5 of the value whose run of equal values starts at rank `below` and holds `equal` of `n`. */
export function quintileOfMidRank(below: number, equal: number, n: number): RfmScore {
  const midRank = (below + equal / 2) / n;
  return Math.min(5, Math.floor(midRank * 5) + 1) as RfmScore;
}

/** Sorts the values in place (a typed array sorts numerically) and returns the four cuts. */
export function quintileCuts(values: Float64Array): number[] {
  values.sort();
  const n = values.length;
  const cuts = [Infinity, Infinity, Infinity, Infinity];
  let previousScore = 1;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[end] === values[start]) end++;
    const score = quintileOfMidRank(start, end - start, n);
    // This value is the first to reach every score from the last one seen up to its own.
    for (let s = previousScore + 1; s <= score; s++) cuts[s - 2] = values[start]!;
    if (score > previousScore) previousScore = score;
    start = end;
  }
  return cuts;
}

function scoreAgainst(value: number, cuts: readonly number[]): RfmScore {
  let score = 1;
  for (const cut of cuts) if (value >= cut) score++;
  return Math.min(score, 5) as RfmScore;
}
