// Our own TARP table: the share of the company's customers who bought again within buyAgainWithinDays after
// a complaint, by the complaint's recovery outcome and severity, beside customers who never complained, each
// share with its Wilson interval and n, printed next to both published versions (DOMAIN.md, "Complaints").
// Pure: the caller reads the facts (figures.ts), so the table is tested directly and against raw rows.
//
// Who is counted, and when they "bought again":
// - A complainant is a customer with a complaint case opened in the period (merged duplicates left out) that
//   has a recovery outcome (a case whose customer left counts as unresolved, as the recovery rules say).
//   Each customer is counted once, at their first such case of the period. They bought again when a purchase
//   (not a refund) follows the case's opening within buyAgainWithinDays days.
// - The reference group is the customers who never complained (no case at all). Their reference point is
//   matched on a purchase: their first purchase in the period, since a complaint usually follows one. They
//   bought again when another purchase follows it within the same number of days. With many customers the
//   group is a fixed random sample of them (figures.ts, referenceSample: the first in customer id order).
// - A customer whose days have not all passed yet is left out (the answer is not known), and counted apart,
//   as are cases still without an outcome: counting them would make every share look lower than it is.
import type { LocalizedText } from '../../surveys/definition.ts';
import { shareEstimate } from '../complaints/figure-stats.ts';
import { tarpSource, tarpTable } from '../complaints/recovery.ts';
import { caseSeverities, recoveryOutcomes, type CaseSeverity, type RecoveryOutcome } from '../complaints/vocabulary.ts';
import type { Estimate } from '../insights/types.ts';

const dayMs = 86_400_000;

/** A complaint case as the table reads it: its customer, opening, severity, outcome, and the first purchase after it. */
export interface ComplaintFact {
  customerId: string;
  createdAt: number;
  severity: CaseSeverity;
  /** Null while the case has none (still being worked). */
  outcome: RecoveryOutcome | null;
  /** The customer's first purchase after the opening (refunds aside), or null when none followed. */
  nextPurchaseAt: number | null;
}

/** A customer who never complained: the reference purchase, and the next purchase after it. */
export interface ReferenceFact {
  customerId: string;
  at: number;
  nextPurchaseAt: number | null;
}

/** A published figure: one share, or a range where the source gives one (low = high for a single figure). */
export interface PublishedShare {
  low: number;
  high: number;
}

export interface PublishedVersion {
  key: 'tarp' | 'variant';
  source: LocalizedText;
  /** Per severity: the share who buy again after not complaining and after each recovery outcome; null where the version gives none. */
  shares: Record<CaseSeverity, { notComplained: PublishedShare | null } & Record<RecoveryOutcome, PublishedShare | null>>;
  note: LocalizedText | null;
}

const point = (share: number): PublishedShare => ({ low: share, high: share });

/** The table usually cited: TARP for the US Office of Consumer Affairs (the one the complaint figures show). */
export const publishedTarp: PublishedVersion = {
  key: 'tarp',
  source: tarpSource,
  shares: {
    minor: {
      notComplained: point(tarpTable.minor.notComplained),
      unresolved: point(tarpTable.minor.notSatisfied),
      resolved: point(tarpTable.minor.satisfied),
      resolved_quickly: point(tarpTable.minor.satisfiedQuickly),
    },
    major: {
      notComplained: point(tarpTable.major.notComplained),
      unresolved: point(tarpTable.major.notSatisfied),
      resolved: point(tarpTable.major.satisfied),
      resolved_quickly: point(tarpTable.major.satisfiedQuickly),
    },
  },
  note: null,
};

/**
 * The variant of the same research the course material also quotes: after a resolved complaint 4% of customers
 * with a major problem buy again and 53% with a minor one; resolved quickly, between 52% and 95% (the variant
 * does not split that by severity, so the range stands on both rows).
 */
export const publishedVariant: PublishedVersion = {
  key: 'variant',
  source: {
    en: 'Variant of the TARP research quoted in the course material: share of customers who buy again',
    'zh-CN': '课程资料引用的 TARP 研究另一版本：再次购买的客户比例',
  },
  shares: {
    minor: { notComplained: null, unresolved: null, resolved: point(0.53), resolved_quickly: { low: 0.52, high: 0.95 } },
    major: { notComplained: null, unresolved: null, resolved: point(0.04), resolved_quickly: { low: 0.52, high: 0.95 } },
  },
  note: {
    en: 'This version gives no figure for customers who did not complain or were not satisfied, and its "resolved quickly" range is not split by severity.',
    'zh-CN': '该版本未给出未投诉或不满意客户的数字，其“快速解决”的区间也未按严重程度区分。',
  },
};

export const publishedVersions: readonly PublishedVersion[] = [publishedTarp, publishedVariant];

export interface OwnTarpCell {
  severity: CaseSeverity;
  outcome: RecoveryOutcome;
  /** Customers counted, and of them those who bought again: the share with its Wilson interval (n = customers). */
  boughtAgain: number;
  share: Estimate;
}

export interface OwnTarpTable {
  withinDays: number;
  cells: OwnTarpCell[];
  /** Customers who never complained, at a purchase in the period. */
  noComplaint: { boughtAgain: number; share: Estimate };
  /** Left out: cases still without an outcome, and customers whose days have not all passed yet. */
  pending: { noOutcome: number; complainantsWaiting: number; referenceWaiting: number };
}

const within = (start: number, next: number | null, days: number) => next !== null && next > start && next <= start + days * dayMs;

/** The table from the facts; `now` decides whose days have all passed. */
export function ownTarpTable(input: { complaints: readonly ComplaintFact[]; noComplaint: readonly ReferenceFact[]; withinDays: number; now: number }): OwnTarpTable {
  const days = input.withinDays;
  const complete = (start: number) => start + days * dayMs <= input.now;
  let noOutcome = 0;
  let complainantsWaiting = 0;
  // Each customer at their first case of the period with an outcome and all its days passed.
  const first = new Map<string, ComplaintFact>();
  const waiting = new Set<string>();
  for (const fact of input.complaints) {
    if (fact.outcome === null) {
      noOutcome++;
      continue;
    }
    if (!complete(fact.createdAt)) {
      waiting.add(fact.customerId);
      continue;
    }
    const earlier = first.get(fact.customerId);
    if (!earlier || fact.createdAt < earlier.createdAt) first.set(fact.customerId, fact);
  }
  for (const customerId of waiting) if (!first.has(customerId)) complainantsWaiting++;

  const counts = new Map<string, { customers: number; boughtAgain: number }>();
  for (const fact of first.values()) {
    const key = `${fact.severity} ${fact.outcome}`;
    const cell = counts.get(key) ?? { customers: 0, boughtAgain: 0 };
    cell.customers++;
    if (within(fact.createdAt, fact.nextPurchaseAt, days)) cell.boughtAgain++;
    counts.set(key, cell);
  }
  const cells = caseSeverities.flatMap((severity) =>
    [...recoveryOutcomes].reverse().map((outcome): OwnTarpCell => {
      const cell = counts.get(`${severity} ${outcome}`) ?? { customers: 0, boughtAgain: 0 };
      return { severity, outcome, boughtAgain: cell.boughtAgain, share: shareEstimate(cell.boughtAgain, cell.customers) };
    }),
  );

  let referenceWaiting = 0;
  let customers = 0;
  let boughtAgain = 0;
  const seen = new Set<string>();
  for (const fact of input.noComplaint) {
    if (seen.has(fact.customerId)) continue;
    seen.add(fact.customerId);
    if (!complete(fact.at)) {
      referenceWaiting++;
      continue;
    }
    customers++;
    if (within(fact.at, fact.nextPurchaseAt, days)) boughtAgain++;
  }
  return {
    withinDays: days,
    cells,
    noComplaint: { boughtAgain, share: shareEstimate(boughtAgain, customers) },
    pending: { noOutcome, complainantsWaiting, referenceWaiting },
  };
}
