// The loyalty score 0-100 from three parts, each kept with its inputs so the score explains itself. Pure.
//
//   loyaltyScore({ attitude, rfm, worstCase, profilingObjected }, settings) → { score, parts }
//   attitudeScore(repurchaseIntent, recommendation), behaviourScore(rfm), recoveryScore(severity, outcome)
//   worstCaseOf(cases)   the case that sets part C: the lowest recovery score, the latest on a tie
//
// The parts:
//   A attitude   the mean of the latest repurchase intent and recommendation answers, each scaled to 0-100
//                (attitude.ts); one alone counts alone; none: A is unknown.
//   B behaviour  the mean of the R, F and M scores 1-5, mapped to 0-100 (1 → 0, 5 → 100); no purchase in the
//                window: B is unknown.
//   C recovery   the TARP cell of the worst case in the last 12 months (server/complaints/recovery.ts): the
//                published share of such customers who buy again, as a percentage (a minor complaint resolved
//                quickly 95, a major one left unresolved 19). An open case counts as not (yet) satisfied.
//                No complaint: C is 100.
// The score is the weighted mean of the known parts (settings.weights, scaled to add up to 1 over the known
// parts; the weights used are returned). With neither A nor B known there is no score: C alone says nothing
// about loyalty. Rounded to a whole number.
//
// The recovery cap (DOMAIN.md "Complaints": the recovery paradox is real but small and rare): after a complaint
// the score is at most what it was before the complaint (scoreBefore), however well the complaint was handled;
// recovery restores loyalty, it does not raise it. The documented exception: the customer's first failure,
// minor, handled 5 of 5 and not left unresolved may end above where it was (parts.recovery.paradox).
// A customer who objects to profiling gets no score and no parts' inputs.
import type { CaseSeverity, RecoveryOutcome } from '../../complaints/vocabulary.ts';
import { tarpCell } from '../../complaints/recovery.ts';
import type { LoyaltySettings } from '../settings.ts';
import type { LoyaltyParts } from '../vocabulary.ts';

export interface WorstCase {
  caseId: string;
  reference: string;
  /** null while the case is open. */
  outcome: RecoveryOutcome | null;
  severity: CaseSeverity;
  /** Satisfaction with the handling, 1-5, from the follow-up survey. */
  handlingScore: number | null;
  /** No complaint from this customer before this one. */
  firstFailure: boolean;
  /** The customer's score just before the complaint was made; null when there was none. */
  scoreBefore: number | null;
}

export interface ScoreInput {
  /** The attitude part's inputs; its score, if given, is computed again from them. */
  attitude: Omit<LoyaltyParts['attitude'], 'score'> & { score?: number | null };
  rfm: { recency: number; frequency: number; monetary: number } | null;
  worstCase: WorstCase | null;
  profilingObjected: boolean;
}

/** Mean of the known attitude answers (each already 0-100), or null with none. */
export function attitudeScore(repurchaseIntent: number | null, recommendation: number | null): number | null {
  const known = [repurchaseIntent, recommendation].filter((value): value is number => value !== null);
  return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / known.length;
}

/** The mean RFM score mapped from 1-5 to 0-100, or null without RFM. */
export function behaviourScore(rfm: ScoreInput['rfm']): number | null {
  if (rfm === null) return null;
  return (((rfm.recency + rfm.frequency + rfm.monetary) / 3 - 1) / 4) * 100;
}

/** Part C for a case: the TARP share who buy again, in percent; an open case (no outcome) as not satisfied. */
export function recoveryScore(severity: CaseSeverity, outcome: RecoveryOutcome | null): number {
  return Math.round(tarpCell(severity, outcome ?? 'unresolved') * 100);
}

/** The case that sets part C among the last 12 months' cases: the lowest recovery score; the latest on a tie. */
export function worstCaseOf<T extends { severity: CaseSeverity; outcome: RecoveryOutcome | null; createdAt: number }>(cases: readonly T[]): T | null {
  let worst: T | null = null;
  let worstScore = Infinity;
  for (const candidate of cases) {
    const score = recoveryScore(candidate.severity, candidate.outcome);
    if (score < worstScore || (score === worstScore && worst !== null && candidate.createdAt > worst.createdAt)) {
      worst = candidate;
      worstScore = score;
    }
  }
  return worst;
}

/** The documented exception to the recovery cap: a first, minor failure, handled 5 of 5, not left unresolved. */
export function isParadoxCase(worstCase: WorstCase): boolean {
  return worstCase.firstFailure && worstCase.severity === 'minor' && worstCase.handlingScore === 5 && worstCase.outcome !== null && worstCase.outcome !== 'unresolved';
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export function loyaltyScore(input: ScoreInput, settings: LoyaltySettings): { score: number | null; parts: LoyaltyParts } {
  if (input.profilingObjected) {
    return {
      score: null,
      parts: {
        attitude: { score: null, repurchaseIntent: null, recommendation: null },
        behaviour: { score: null, recency: null, frequency: null, monetary: null },
        recovery: { score: null, caseId: null, reference: null, outcome: null, severity: null, cappedAt: null, paradox: false },
        weights: { attitude: 0, behaviour: 0, recovery: 0 },
      },
    };
  }
  const { repurchaseIntent, recommendation } = input.attitude;
  const a = attitudeScore(repurchaseIntent?.value ?? null, recommendation?.value ?? null);
  const b = behaviourScore(input.rfm);
  const worst = input.worstCase;
  const c = worst === null ? 100 : recoveryScore(worst.severity, worst.outcome);
  const paradox = worst !== null && isParadoxCase(worst);
  const cappedAt = worst !== null && !paradox ? worst.scoreBefore : null;

  const known = a !== null || b !== null;
  const weight = settings.weights;
  const used = { attitude: a === null ? 0 : weight.attitude, behaviour: b === null ? 0 : weight.behaviour, recovery: known ? weight.recovery : 0 };
  const totalWeight = used.attitude + used.behaviour + used.recovery;
  let score: number | null = null;
  if (known && totalWeight > 0) {
    const mean = ((a ?? 0) * used.attitude + (b ?? 0) * used.behaviour + c * used.recovery) / totalWeight;
    score = Math.round(cappedAt === null ? mean : Math.min(mean, cappedAt));
  }
  const scaled = (w: number) => (totalWeight > 0 ? round4(w / totalWeight) : 0);
  return {
    score,
    parts: {
      attitude: { score: a === null ? null : round4(a), repurchaseIntent: repurchaseIntent ?? null, recommendation: recommendation ?? null },
      behaviour: {
        score: b === null ? null : round4(b),
        recency: input.rfm?.recency ?? null,
        frequency: input.rfm?.frequency ?? null,
        monetary: input.rfm?.monetary ?? null,
      },
      recovery: {
        score: c,
        caseId: worst?.caseId ?? null,
        reference: worst?.reference ?? null,
        outcome: worst?.outcome ?? null,
        severity: worst?.severity ?? null,
        cappedAt,
        paradox,
      },
      weights: { attitude: scaled(used.attitude), behaviour: scaled(used.behaviour), recovery: scaled(used.recovery) },
    },
  };
}
