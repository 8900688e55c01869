// How a complaint ended for the customer (the recovery outcome) and the published figures it is read beside:
// the TARP table. Pure.
//
//   interface RecoveryFacts { status; severity; deadlinesMissed: string[]; handlingScore: number | null; reopenCount;
//     reopenedWithin14Days; customerConfirmed: boolean | null; closedWithoutConfirmation; customerLeft;
//     resolvedAnswer?: 'yes' | 'partly' | 'no' | null }
//   recoveryOutcome(facts) → 'resolved_quickly' | 'resolved' | 'unresolved' | null
//   tarpTable: Record<CaseSeverity, { notComplained; notSatisfied; satisfied; satisfiedQuickly }>   shares 0–1 who buy again
//   tarpSource: LocalizedText                                                                    name it wherever the figures show
//   tarpCell(severity, outcome) → share 0–1
//
// The rules, in the order they apply (the first that matches decides):
//   1. a merged case has no outcome of its own (the case it was merged into carries it)          → null
//   2. the customer left (recorded by staff)                                                       → unresolved, whatever the status
//   3. the case is not resolved or closed (new, acknowledged, in progress, waiting)                → null
//   4. handling rated 2 or lower, or reopened twice or more, or closed without the customer's
//      confirmation, or the customer said it is not resolved (status page "not resolved", or the
//      follow-up survey's "was it resolved?" answered no)                                          → unresolved
//   5. no deadline missed, handling rated 4 or 5, not reopened within 14 days, and the customer
//      did not answer "partly resolved"                                                            → resolved_quickly
//   6. otherwise                                                                                   → resolved
// So a resolved case with no follow-up answer yet counts as resolved: "resolved quickly" needs the customer's
// handling score of 4 or more to be known. The outcome is recomputed whenever a fact changes, so a case can
// move from resolved to resolved quickly when the answer arrives, and back when it reopens.
import type { LocalizedText } from '../../surveys/definition.ts';
import type { CaseSeverity, CaseStatus, RecoveryOutcome } from './vocabulary.ts';

export interface RecoveryFacts {
  status: CaseStatus;
  severity: CaseSeverity;
  /** Deadlines missed over the case's life, by name. */
  deadlinesMissed: string[];
  /** Satisfaction with the handling, 1–5, from the follow-up survey; null while unanswered. */
  handlingScore: number | null;
  reopenCount: number;
  reopenedWithin14Days: boolean;
  /** The customer's own word on the status page: resolved (true), not resolved (false), or not given (null). */
  customerConfirmed: boolean | null;
  closedWithoutConfirmation: boolean;
  customerLeft: boolean;
  /** The follow-up survey's "was it resolved?" answer, when there is one. */
  resolvedAnswer?: 'yes' | 'partly' | 'no' | null;
}

/** The recovery outcome of a case, or null while it has none (still open, or merged away). */
export function recoveryOutcome(facts: RecoveryFacts): RecoveryOutcome | null {
  if (facts.status === 'merged') return null;
  if (facts.customerLeft) return 'unresolved';
  if (facts.status !== 'resolved' && facts.status !== 'closed') return null;
  const handling = facts.handlingScore;
  if (
    (handling !== null && handling <= 2) ||
    facts.reopenCount >= 2 ||
    facts.closedWithoutConfirmation ||
    facts.customerConfirmed === false ||
    facts.resolvedAnswer === 'no'
  ) {
    return 'unresolved';
  }
  if (facts.deadlinesMissed.length === 0 && handling !== null && handling >= 4 && !facts.reopenedWithin14Days && facts.resolvedAnswer !== 'partly') {
    return 'resolved_quickly';
  }
  return 'resolved';
}

export interface TarpRow {
  /** Had a problem and did not complain. */
  notComplained: number;
  /** Complained and was not satisfied. */
  notSatisfied: number;
  /** Complained and was satisfied. */
  satisfied: number;
  /** Complained and was satisfied quickly. */
  satisfiedQuickly: number;
}

/**
 * Share of customers who buy again, by problem and how their complaint went: the study by TARP (Technical
 * Assistance Research Programs) for the US Office of Consumer Affairs, as quoted in the CRM course material
 * (DOMAIN.md, "Complaints"). Published figures, not the company's own.
 */
export const tarpTable: Record<CaseSeverity, TarpRow> = {
  minor: { notComplained: 0.37, notSatisfied: 0.46, satisfied: 0.7, satisfiedQuickly: 0.95 },
  major: { notComplained: 0.09, notSatisfied: 0.19, satisfied: 0.54, satisfiedQuickly: 0.82 },
};

export const tarpSource: LocalizedText = {
  en: 'TARP study for the US Office of Consumer Affairs: share of customers who buy again',
  'zh-CN': 'TARP 为美国消费者事务办公室所做的研究：再次购买的客户比例',
};

const columnOf: Record<RecoveryOutcome, keyof TarpRow> = {
  unresolved: 'notSatisfied',
  resolved: 'satisfied',
  resolved_quickly: 'satisfiedQuickly',
};

/** The published share (0–1) of customers who buy again for a case of this severity that ended this way. */
export function tarpCell(severity: CaseSeverity, outcome: RecoveryOutcome): number {
  return tarpTable[severity][columnOf[outcome]];
}
