// A customer's loyalty stage and its two overlays, at-risk and churned (DOMAIN.md "Loyalty and tiers"). Pure.
//
//   stageOf(input, settings) → { stage, regularSince, atRisk, atRiskReasons, churned, reasons }
//   purchaseStage(input, settings) → { stage, regularSince }   what purchases alone say
//   usualGapDays(input, settings), churnAt(input, settings)     the churn clock, for the caller's voiced window
//
// The ladder, by purchases (the default cut-offs in brackets are settings):
//   prospect       no purchase yet
//   new            bought, but only once, or the first purchase is less than newTenureDays [90] old, or fewer
//                  than regularPurchases in the last 12 months (a lapsed customer starts the ladder again)
//   regular        at least regularPurchases [2] purchases in the last 12 months, past the new period
//   long_standing  regular without a break for at least longStandingYears [2] calendar years
//   loyal          long-standing, with a loyalty score of at least loyalScore [70] and a recommendation of
//                  at least loyalRecommendation [9] of 10: loyalty is behaviour and attitude together
// Then complaints, in this order:
//   - an unresolved major complaint drops the stage one step (never below new: the purchases stay facts)
//     and flags the customer at risk;
//   - while a complaint is open the stage does not rise above the one stored before (no promotion until we
//     know how the complaint ends); going down is never held back. The hold compares with the stored stage,
//     which already carries any drop, so a drop and a hold together do not drop twice.
// regularSince is a purchase fact: a hold or a drop does not reset it, so the long-standing clock keeps running.
//
// The overlays:
//   churned  no purchase within gapFactor [3] × the customer's usual gap: their own median gap between
//            purchases, or for a customer with one purchase the cohort's, or else singlePurchaseGapDays [180].
//            Voiced when they complained in the voicedWithinDays [90] before churning, silent otherwise.
//   at risk  (only while not churned: a churned customer is past being at risk) for any of: an unresolved
//            major complaint, falling recency, falling frequency, a purchase overdue (more than halfway from
//            the usual gap to the churn line, i.e. past 2 × the usual gap with k = 3), or a low attitude
//            (a recommendation of 6 or less, a detractor in NPS terms, or a repurchase intent below 50 of 100).
// A customer who objects to profiling gets only what purchases say: the ladder up to long-standing, churn, and
// at-risk from purchases (recency, frequency, overdue). No loyal stage, no complaint drop or hold, no at-risk
// from complaints or attitude. Whether a churn was voiced is a fact of record and is kept.
import type { AtRiskReason, ChurnKind, LoyaltyStage } from '../vocabulary.ts';
import { loyaltyStages } from '../vocabulary.ts';
import type { LoyaltySettings } from '../settings.ts';

export const dayMs = 86_400_000;

export interface StageInput {
  now: number;
  firstPurchaseAt: number | null;
  lastPurchaseAt: number | null;
  /** Purchases (not refunds) in the 12 months up to now. */
  purchasesLast12Months: number;
  /** The median gap between the customer's purchases in days; null with fewer than two purchases. */
  medianGapDays: number | null;
  /** The usual gap of comparable customers, for a customer with one purchase; null when there is none. */
  cohortGapDays: number | null;
  /** The stored stage and regular-since before this computation; null the first time. */
  previous: { stage: LoyaltyStage; regularSince: number | null } | null;
  /** The loyalty score 0-100 (null: none, e.g. profiling objected). */
  score: number | null;
  /** The latest recommendation answer, 0-10. */
  recommendation: number | null;
  openComplaint: boolean;
  unresolvedMajorComplaint: boolean;
  /** A complaint in the voicedWithinDays before the churn moment (churnAt). */
  complainedWithinVoicedWindow: boolean;
  fallingRecency: boolean;
  fallingFrequency: boolean;
  profilingObjected: boolean;
  /** The latest repurchase intent, 0-100; absent or null when unknown. */
  repurchaseIntent?: number | null;
  /**
   * When purchase history shows the customer has been regular since without a break, if the caller knows it
   * (e.g. a first full computation); used only when there is no stored regularSince.
   */
  regularSinceFromHistory?: number | null;
}

/** Why a stage or an overlay is what it is: stable codes, stored with each change and worded by the staff app. */
export const stageReasons = [
  'no_purchase',
  'single_purchase',
  'within_new_period',
  'too_few_purchases_in_12_months',
  'regular_purchases',
  'regular_for_years',
  'loyal_score_and_recommendation',
  'loyal_needs_score_and_recommendation',
  'dropped_for_unresolved_major_complaint',
  'held_while_complaint_open',
  'profiling_objected',
  'churned_past_usual_gap',
] as const;
export type StageReason = (typeof stageReasons)[number];

export interface StageResult {
  stage: LoyaltyStage;
  regularSince: number | null;
  atRisk: boolean;
  atRiskReasons: AtRiskReason[];
  churned: ChurnKind | null;
  reasons: StageReason[];
}

const rank = (stage: LoyaltyStage) => loyaltyStages.indexOf(stage);

/** The same instant `years` calendar years later (UTC). */
function addYears(at: number, years: number): number {
  const date = new Date(at);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}

/** What purchases alone say: the ladder from prospect to long-standing, with the reason. */
export function purchaseStage(
  input: StageInput,
  settings: LoyaltySettings,
): { stage: LoyaltyStage; regularSince: number | null; reason: StageReason } {
  const { stages } = settings;
  if (input.firstPurchaseAt === null) return { stage: 'prospect', regularSince: null, reason: 'no_purchase' };
  if (input.now - input.firstPurchaseAt < stages.newTenureDays * dayMs) return { stage: 'new', regularSince: null, reason: 'within_new_period' };
  if (input.purchasesLast12Months < stages.regularPurchases) {
    const reason = input.medianGapDays === null ? 'single_purchase' : 'too_few_purchases_in_12_months';
    return { stage: 'new', regularSince: null, reason };
  }
  const regularSince = input.previous?.regularSince ?? input.regularSinceFromHistory ?? input.now;
  if (addYears(regularSince, stages.longStandingYears) <= input.now) return { stage: 'long_standing', regularSince, reason: 'regular_for_years' };
  return { stage: 'regular', regularSince, reason: 'regular_purchases' };
}

/** The customer's usual gap between purchases in days (at least one day); null before a first purchase. */
export function usualGapDays(input: Pick<StageInput, 'lastPurchaseAt' | 'medianGapDays' | 'cohortGapDays'>, settings: LoyaltySettings): number | null {
  if (input.lastPurchaseAt === null) return null;
  const gap = input.medianGapDays ?? input.cohortGapDays ?? settings.churn.singlePurchaseGapDays;
  return Math.max(gap, 1);
}

/** The moment the customer counts as churned if they buy nothing before it: last purchase + k × usual gap. */
export function churnAt(input: Pick<StageInput, 'lastPurchaseAt' | 'medianGapDays' | 'cohortGapDays'>, settings: LoyaltySettings): number | null {
  const gap = usualGapDays(input, settings);
  return gap === null || input.lastPurchaseAt === null ? null : input.lastPurchaseAt + settings.churn.gapFactor * gap * dayMs;
}

export function stageOf(input: StageInput, settings: LoyaltySettings): StageResult {
  const byPurchases = purchaseStage(input, settings);
  const reasons: StageReason[] = [byPurchases.reason];
  let stage = byPurchases.stage;
  const profiled = !input.profilingObjected;

  if (stage === 'long_standing' && profiled) {
    const loyal =
      input.score !== null &&
      input.score >= settings.stages.loyalScore &&
      input.recommendation !== null &&
      input.recommendation >= settings.stages.loyalRecommendation;
    if (loyal) stage = 'loyal';
    reasons.push(loyal ? 'loyal_score_and_recommendation' : 'loyal_needs_score_and_recommendation');
  }
  if (!profiled) reasons.push('profiling_objected');

  if (profiled && input.unresolvedMajorComplaint && rank(stage) > rank('new')) {
    stage = loyaltyStages[rank(stage) - 1]!;
    reasons.push('dropped_for_unresolved_major_complaint');
  }
  const held = input.previous?.stage;
  if (profiled && input.openComplaint && held !== undefined && rank(stage) > rank(held) && rank(stage) > rank('new')) {
    stage = rank(held) > rank('new') ? held : 'new';
    reasons.push('held_while_complaint_open');
  }

  const churnMoment = churnAt(input, settings);
  const churned: ChurnKind | null =
    churnMoment !== null && input.now > churnMoment ? (input.complainedWithinVoicedWindow ? 'voiced' : 'silent') : null;
  if (churned) reasons.push('churned_past_usual_gap');

  const atRiskReasons: AtRiskReason[] = [];
  if (!churned) {
    if (profiled && input.unresolvedMajorComplaint) atRiskReasons.push('unresolved_major_complaint');
    if (input.fallingRecency) atRiskReasons.push('falling_recency');
    if (input.fallingFrequency) atRiskReasons.push('falling_frequency');
    const gap = usualGapDays(input, settings);
    if (gap !== null && input.lastPurchaseAt !== null) {
      const overdueAfterDays = ((1 + settings.churn.gapFactor) / 2) * gap;
      if (input.now - input.lastPurchaseAt > overdueAfterDays * dayMs) atRiskReasons.push('overdue_purchase');
    }
    const lowRecommendation = input.recommendation !== null && input.recommendation <= 6;
    const lowIntent = input.repurchaseIntent != null && input.repurchaseIntent < 50;
    if (profiled && (lowRecommendation || lowIntent)) atRiskReasons.push('low_attitude');
  }

  return { stage, regularSince: byPurchases.regularSince, atRisk: atRiskReasons.length > 0, atRiskReasons, churned, reasons };
}
