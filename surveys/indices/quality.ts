// Data-quality flags on responses: speeders, straight-liners and likely duplicates. Pure and
// dependency-free; the insights processor stores them per response for the dashboard's exclude switch.
import type { Answers } from '../answers.ts';
import type { Question, SurveyDefinition } from '../definition.ts';

export const qualityFlags = ['speeder', 'straight_liner', 'duplicate'] as const;
export type QualityFlag = (typeof qualityFlags)[number];

/** The bit each flag takes in a stored flags number. */
export const qualityBits: Record<QualityFlag, number> = { speeder: 1, straight_liner: 2, duplicate: 4 };

/** The flags a stored flags number holds. */
export function flagsOf(bits: number): QualityFlag[] {
  return qualityFlags.filter((flag) => (bits & qualityBits[flag]) !== 0);
}

export interface QualityOptions {
  /** A response is a speeder when it took less than this share of the survey's median duration. */
  speederShareOfMedian: number;
  /** Medians from fewer timed responses than this are too unsteady to judge anyone by. */
  minTimedForMedian: number;
  /** A grid is this many or more rating questions on the same scale. */
  minGridSize: number;
  /** Two identical anonymous responses this close together are likely one person twice. */
  duplicateWindowMs: number;
  /**
   * A customer's identical answers this close together are likely sent twice; further apart (the same
   * survey run again next quarter) they are a customer who still thinks the same.
   */
  customerDuplicateWindowMs: number;
  /**
   * Anonymous answers are compared only when they say enough to tell people apart: a written answer, or at
   * least this many answers. Two strangers giving one CSAT question the same 5 are not a duplicate.
   */
  minAnswersToCompareAnonymous: number;
}

export const defaultQualityOptions: QualityOptions = {
  speederShareOfMedian: 0.4,
  minTimedForMedian: 10,
  minGridSize: 4,
  duplicateWindowMs: 10 * 60_000,
  customerDuplicateWindowMs: 24 * 3_600_000,
  minAnswersToCompareAnonymous: 6,
};

/** The median of the durations, or null when there are too few to judge by. */
export function medianDuration(durations: readonly (number | null)[], options: QualityOptions = defaultQualityOptions): number | null {
  const timed = durations.filter((value): value is number => value !== null && Number.isFinite(value) && value > 0).sort((a, b) => a - b);
  if (timed.length < options.minTimedForMedian) return null;
  const middle = timed.length >> 1;
  return timed.length % 2 === 1 ? timed[middle]! : (timed[middle - 1]! + timed[middle]!) / 2;
}

export function isSpeeder(durationMs: number | null, median: number | null, options: QualityOptions = defaultQualityOptions): boolean {
  return durationMs !== null && median !== null && durationMs < median * options.speederShareOfMedian;
}

/** The survey's grids: ids of rating-like questions everyone is asked that share one scale, in groups of at least minGridSize. */
export function gridsOf(definition: SurveyDefinition, options: QualityOptions = defaultQualityOptions): string[][] {
  const byScale = new Map<string, string[]>();
  for (const question of definition.questions) {
    // A question shown only after some answer is not part of the grid everyone sees.
    if (question.showIf) continue;
    const key = gridKey(question);
    if (key === null) continue;
    const ids = byScale.get(key) ?? [];
    ids.push(question.id);
    byScale.set(key, ids);
  }
  return [...byScale.values()].filter((ids) => ids.length >= options.minGridSize);
}

function gridKey(question: Question): string | null {
  switch (question.type) {
    case 'rating':
      return `rating:${question.scale}`;
    case 'csat':
    case 'ces':
      return question.type;
    default:
      return null;
  }
}

/** True when every question of some grid was answered, all with the same value. */
export function isStraightLiner(answers: Answers, grids: readonly (readonly string[])[]): boolean {
  return grids.some((grid) => {
    const values = grid.map((id) => answers[id]);
    return values.every((value) => typeof value === 'number') && new Set(values).size === 1;
  });
}

/** The answers in one canonical text, so identical answer sets compare equal whatever their key order. */
export function answersFingerprint(answers: Answers): string {
  return JSON.stringify(canonical(answers));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export interface DuplicateCandidate {
  id: string;
  submittedAt: number;
  customerId: string | null;
  fingerprint: string;
  /** For anonymous answers: whether they say enough to compare (see isDistinctive); default true. */
  distinctive?: boolean;
}

/** Whether anonymous answers say enough to tell two people apart (a written answer, or many answers). */
export function isDistinctive(definition: SurveyDefinition, answers: Answers, options: QualityOptions = defaultQualityOptions): boolean {
  if (Object.keys(answers).length >= options.minAnswersToCompareAnonymous) return true;
  return definition.questions.some((question) => {
    const value = question.type === 'text' ? answers[question.id] : undefined;
    return typeof value === 'string' && value.trim().length >= 10;
  });
}

/**
 * Ids of likely duplicates among one survey's responses: a later response with the same answers as an
 * earlier one from the same customer within customerDuplicateWindowMs, or, when anonymous and distinctive,
 * within duplicateWindowMs of it. The earliest of each set is kept unflagged.
 */
export function likelyDuplicates(responses: readonly DuplicateCandidate[], options: QualityOptions = defaultQualityOptions): Set<string> {
  const sorted = [...responses].sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : 1));
  const last = new Map<string, number>();
  const flagged = new Set<string>();
  for (const response of sorted) {
    if (response.customerId === null && response.distinctive === false) continue;
    const key = `${response.customerId ?? ''}\u0000${response.fingerprint}`;
    const window = response.customerId === null ? options.duplicateWindowMs : options.customerDuplicateWindowMs;
    const previous = last.get(key);
    if (previous !== undefined && response.submittedAt - previous <= window) flagged.add(response.id);
    last.set(key, response.submittedAt);
  }
  return flagged;
}
