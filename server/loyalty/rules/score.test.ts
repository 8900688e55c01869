import { describe, expect, it } from 'vitest';
import { defaultLoyaltySettings as settings } from '../settings.ts';
import { behaviourScore, loyaltyScore, recoveryScore, worstCaseOf, type ScoreInput, type WorstCase } from './score.ts';

const answer = (value: number, scale = '0-10') => ({ value, scale, responseId: 'r1', answeredAt: 0 });
const base: ScoreInput = {
  attitude: { repurchaseIntent: answer(75, '1-5'), recommendation: answer(90) },
  rfm: { recency: 5, frequency: 3, monetary: 4 },
  worstCase: null,
  profilingObjected: false,
};
const complaint = (change: Partial<WorstCase>): WorstCase => ({
  caseId: 'c1',
  reference: 'C-2026-0001',
  outcome: 'resolved_quickly',
  severity: 'minor',
  handlingScore: 4,
  firstFailure: true,
  scoreBefore: null,
  ...change,
});

describe('the score parts', () => {
  it('A is the mean of intent and recommendation, B the RFM mean on 0-100, C full without a complaint', () => {
    const { score, parts } = loyaltyScore(base, settings);
    expect(parts.attitude.score).toBe(82.5);
    expect(parts.behaviour).toEqual({ score: 75, recency: 5, frequency: 3, monetary: 4 });
    expect(parts.recovery).toMatchObject({ score: 100, caseId: null, cappedAt: null, paradox: false });
    expect(parts.weights).toEqual({ attitude: 0.35, behaviour: 0.4, recovery: 0.25 });
    // 0.35 × 82.5 + 0.4 × 75 + 0.25 × 100 = 83.875
    expect(score).toBe(84);
  });

  const cases: [string, Partial<ScoreInput>, number | null, { attitude: number; behaviour: number; recovery: number }][] = [
    ['only a recommendation answered: A is that answer', { attitude: { repurchaseIntent: null, recommendation: answer(100) } }, Math.round(0.35 * 100 + 0.4 * 75 + 0.25 * 100), { attitude: 0.35, behaviour: 0.4, recovery: 0.25 }],
    ['no answers: A drops out, its weight moves to B and C', { attitude: { repurchaseIntent: null, recommendation: null } }, Math.round((0.4 * 75 + 0.25 * 100) / 0.65), { attitude: 0, behaviour: 0.6154, recovery: 0.3846 }],
    ['no purchase in the window: B drops out', { rfm: null }, Math.round((0.35 * 82.5 + 0.25 * 100) / 0.6), { attitude: 0.5833, behaviour: 0, recovery: 0.4167 }],
    ['neither answers nor purchases: no score, C alone says nothing', { attitude: { repurchaseIntent: null, recommendation: null }, rfm: null }, null, { attitude: 0, behaviour: 0, recovery: 0 }],
    ['RFM all 1: B is 0', { rfm: { recency: 1, frequency: 1, monetary: 1 }, attitude: { repurchaseIntent: null, recommendation: null } }, Math.round((0.25 * 100) / 0.65), { attitude: 0, behaviour: 0.6154, recovery: 0.3846 }],
  ];
  it.each(cases)('%s', (_, change, score, weights) => {
    const result = loyaltyScore({ ...base, ...change }, settings);
    expect(result.score).toBe(score);
    expect(result.parts.weights).toEqual(weights);
  });

  it('follows the weights in the settings', () => {
    const behaviourOnly = { ...settings, weights: { attitude: 0, behaviour: 1, recovery: 0 } };
    expect(loyaltyScore(base, behaviourOnly).score).toBe(75);
  });

  it('B maps the mean RFM score from 1-5 to 0-100', () => {
    expect([behaviourScore({ recency: 1, frequency: 1, monetary: 1 }), behaviourScore({ recency: 5, frequency: 5, monetary: 5 }), behaviourScore({ recency: 3, frequency: 2, monetary: 4 })]).toEqual([0, 100, 50]);
  });
});

describe('part C: the TARP cell of the worst case', () => {
  const cells: [string, WorstCase['severity'], WorstCase['outcome'], number][] = [
    ['minor, resolved quickly', 'minor', 'resolved_quickly', 95],
    ['minor, resolved', 'minor', 'resolved', 70],
    ['minor, unresolved', 'minor', 'unresolved', 46],
    ['major, resolved quickly', 'major', 'resolved_quickly', 82],
    ['major, resolved', 'major', 'resolved', 54],
    ['major, unresolved', 'major', 'unresolved', 19],
    ['minor, still open: as not satisfied', 'minor', null, 46],
    ['major, still open: as not satisfied', 'major', null, 19],
  ];
  it.each(cells)('%s → %i', (_, severity, outcome, expected) => {
    expect(recoveryScore(severity, outcome)).toBe(expected);
    const { parts } = loyaltyScore({ ...base, worstCase: complaint({ severity, outcome, firstFailure: false }) }, settings);
    expect(parts.recovery).toMatchObject({ score: expected, caseId: 'c1', reference: 'C-2026-0001', severity, outcome });
  });

  it('the worst case is the lowest cell, the latest on a tie', () => {
    const cases = [
      { id: 'a', severity: 'minor' as const, outcome: 'resolved' as const, createdAt: 1 },
      { id: 'b', severity: 'major' as const, outcome: 'resolved' as const, createdAt: 2 },
      { id: 'c', severity: 'major' as const, outcome: 'resolved' as const, createdAt: 3 },
      { id: 'd', severity: 'minor' as const, outcome: 'resolved_quickly' as const, createdAt: 4 },
    ];
    expect(worstCaseOf(cases)?.id).toBe('c');
    expect(worstCaseOf([])).toBeNull();
  });
});

describe('the recovery cap and the paradox exception', () => {
  // Attitude after the complaint is glowing, so the uncapped score (85) is above the score before (70).
  const glowing: ScoreInput = { ...base, attitude: { repurchaseIntent: answer(100, '1-5'), recommendation: answer(100) }, rfm: { recency: 5, frequency: 5, monetary: 5 } };
  const cases: [string, Partial<WorstCase>, number, { cappedAt: number | null; paradox: boolean }][] = [
    ['a recovered complaint restores at most to the score before', { severity: 'major', outcome: 'resolved_quickly', scoreBefore: 70 }, 70, { cappedAt: 70, paradox: false }],
    ['minor, resolved quickly, handling 4: capped', { handlingScore: 4, scoreBefore: 70 }, 70, { cappedAt: 70, paradox: false }],
    ['minor, handling 5, but not the first failure: capped', { handlingScore: 5, firstFailure: false, scoreBefore: 70 }, 70, { cappedAt: 70, paradox: false }],
    ['major, first failure, handling 5: capped', { severity: 'major', handlingScore: 5, scoreBefore: 70 }, 70, { cappedAt: 70, paradox: false }],
    ['the exception: first failure, minor, handling 5: may end above', { handlingScore: 5, scoreBefore: 70 }, 99, { cappedAt: null, paradox: true }],
    ['the exception holds for resolved (not quickly) too', { outcome: 'resolved', handlingScore: 5, scoreBefore: 70 }, 93, { cappedAt: null, paradox: true }],
    ['handling 5 but left unresolved: no exception, capped', { outcome: 'unresolved', handlingScore: 5, scoreBefore: 70 }, 70, { cappedAt: 70, paradox: false }],
    ['an open complaint never lifts the score above before', { outcome: null, handlingScore: null, scoreBefore: 70 }, 70, { cappedAt: 70, paradox: false }],
    ['the cap only lowers: a score below the one before stays', { severity: 'major', outcome: 'unresolved', scoreBefore: 95 }, 80, { cappedAt: 95, paradox: false }],
    ['no score before the complaint: nothing to cap at', { severity: 'major', outcome: 'resolved_quickly', scoreBefore: null }, 96, { cappedAt: null, paradox: false }],
  ];
  it.each(cases)('%s', (_, change, score, recovery) => {
    const result = loyaltyScore({ ...glowing, worstCase: complaint(change) }, settings);
    expect(result.score).toBe(score);
    expect(result.parts.recovery).toMatchObject(recovery);
  });
});

describe('a customer who objects to profiling', () => {
  it('gets no score and no inputs in the parts', () => {
    const { score, parts } = loyaltyScore({ ...base, worstCase: complaint({}), profilingObjected: true }, settings);
    expect(score).toBeNull();
    expect(parts.attitude).toEqual({ score: null, repurchaseIntent: null, recommendation: null });
    expect(parts.behaviour).toEqual({ score: null, recency: null, frequency: null, monetary: null });
    expect(parts.recovery).toMatchObject({ score: null, caseId: null, paradox: false });
  });
});
