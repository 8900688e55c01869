// The words of loyalty tracking, shared by the database schema, the API, the rules and the staff app.
// Kept free of imports (types aside) so the schema and the browser bundle can both take it.
import type { CaseSeverity, RecoveryOutcome } from '../complaints/vocabulary.ts';

/**
 * The stages a customer moves through (DOMAIN.md "Loyalty"): prospect (no purchase yet), new (新客户),
 * regular (经常性客户), long-standing (老客户), loyal (忠诚客户).
 */
export const loyaltyStages = ['prospect', 'new', 'regular', 'long_standing', 'loyal'] as const;
export type LoyaltyStage = (typeof loyaltyStages)[number];

/** Churn is voiced (有声: complained in the 90 days before) or silent (无声: just stopped). */
export const churnKinds = ['voiced', 'silent'] as const;
export type ChurnKind = (typeof churnKinds)[number];

/** Why a customer is flagged at risk. */
export const atRiskReasons = ['unresolved_major_complaint', 'falling_recency', 'falling_frequency', 'overdue_purchase', 'low_attitude'] as const;
export type AtRiskReason = (typeof atRiskReasons)[number];

/** How a purchase reached the product. */
export const purchaseSources = ['api', 'csv', 'event', 'demo'] as const;
export type PurchaseSource = (typeof purchaseSources)[number];

/** What a loyalty change records: a customer's stage, tier, at-risk flag or churn moved. */
export const loyaltyChangeFields = ['stage', 'tier', 'at_risk', 'churned'] as const;
export type LoyaltyChangeField = (typeof loyaltyChangeFields)[number];

/**
 * What made the change: an incremental update after an arrival, a full recompute, a staff member, or a tier
 * given by a customer import or the integration API (which counts as set by hand).
 */
export const loyaltyChangeCauses = ['purchase', 'response', 'case', 'recompute', 'staff', 'import', 'api'] as const;
export type LoyaltyChangeCause = (typeof loyaltyChangeCauses)[number];

/**
 * The loyalty score's three parts, each with the inputs it was computed from, so the score explains itself.
 * Each part's score is 0-100, or null when it has nothing to go on (its weight then moves to the others).
 */
export interface LoyaltyParts {
  /** A: the latest repurchase-intent and recommendation answers, each scaled to 0-100. */
  attitude: {
    score: number | null;
    repurchaseIntent: { value: number; scale: string; responseId: string; answeredAt: number } | null;
    recommendation: { value: number; scale: string; responseId: string; answeredAt: number } | null;
  };
  /** B: recency, frequency and monetary scores 1-5 over the window. */
  behaviour: { score: number | null; recency: number | null; frequency: number | null; monetary: number | null };
  /** C: the TARP cell of the worst case in the last 12 months; null case: no complaint (C is full). */
  recovery: {
    score: number | null;
    caseId: string | null;
    reference: string | null;
    outcome: RecoveryOutcome | null;
    severity: CaseSeverity | null;
    /** The score before the complaint, which a recovery restores at most to. */
    cappedAt: number | null;
    /** The documented exception: a first, minor failure, handled 5 of 5, may end above where it was. */
    paradox: boolean;
  };
  weights: { attitude: number; behaviour: number; recovery: number };
}

/**
 * The follow-ups the practice prescribes: a thank-you after a purchase, a regular follow-up of a VIP
 * customer, and a follow-up task for the account owner of a customer at risk.
 */
export const followUpKinds = ['thank_you', 'vip', 'at_risk'] as const;
export type FollowUpKind = (typeof followUpKinds)[number];

/** How a follow-up reaches the customer: an email through the Outbox, or a person calling (or writing) as a task. */
export const followUpChannels = ['email', 'phone'] as const;
export type FollowUpChannel = (typeof followUpChannels)[number];

/**
 * Where a follow-up stands: open (a task to work), emailed (its message is in the Outbox, which says whether it
 * went), done (the task's outcome is recorded), skipped (not made, and why).
 */
export const followUpStatuses = ['open', 'emailed', 'done', 'skipped'] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

/** What working a follow-up task came to. no_answer keeps the task open until its attempts are used. */
export const followUpOutcomes = ['reached', 'left_message', 'no_answer', 'wrong_number', 'refused'] as const;
export type FollowUpOutcome = (typeof followUpOutcomes)[number];

/**
 * Why a follow-up was not made: the contact rule's refusals (as server/campaigns/vocabulary.ts names them),
 * contacted too recently under the contact rule, no channel to use, or the customer is gone.
 */
export const followUpSkipReasons = [
  'do_not_contact',
  'do_not_call',
  'no_consent',
  'unsubscribed',
  'no_email',
  'no_phone',
  'no_address',
  'contacted_recently',
  'no_channel',
  'customer_gone',
] as const;
export type FollowUpSkipReason = (typeof followUpSkipReasons)[number];
