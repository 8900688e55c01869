import { describe, expect, it } from 'vitest';
import { defaultLoyaltySettings as settings } from '../settings.ts';
import { churnAt, stageOf, type StageInput } from './stages.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 11, 1);
const ago = (days: number) => now - days * day;

/** A regular customer for a year: bought every 30 days, last 10 days ago, nothing wrong. */
const regular: StageInput = {
  now,
  firstPurchaseAt: ago(400),
  lastPurchaseAt: ago(10),
  purchasesLast12Months: 12,
  medianGapDays: 30,
  cohortGapDays: 60,
  previous: { stage: 'regular', regularSince: ago(300) },
  score: 80,
  recommendation: 10,
  openComplaint: false,
  unresolvedMajorComplaint: false,
  complainedWithinVoicedWindow: false,
  fallingRecency: false,
  fallingFrequency: false,
  profilingObjected: false,
};
/** Regular for three years, high score and recommendation. */
const loyal: StageInput = { ...regular, firstPurchaseAt: ago(1200), previous: { stage: 'loyal', regularSince: ago(1100) } };

type Expected = Partial<{ stage: string; regularSince: number | null; atRisk: boolean; atRiskReasons: string[]; churned: string | null }>;

describe('the stage ladder by purchases', () => {
  const cases: [string, Partial<StageInput>, Expected][] = [
    ['no purchase: prospect', { firstPurchaseAt: null, lastPurchaseAt: null, purchasesLast12Months: 0, medianGapDays: null, previous: null }, { stage: 'prospect', regularSince: null, churned: null, atRisk: false }],
    ['a first purchase yesterday: new', { firstPurchaseAt: ago(1), lastPurchaseAt: ago(1), purchasesLast12Months: 1, medianGapDays: null, previous: { stage: 'prospect', regularSince: null } }, { stage: 'new', regularSince: null }],
    ['three purchases within the first 89 days: still new', { firstPurchaseAt: ago(89), lastPurchaseAt: ago(2), purchasesLast12Months: 3, medianGapDays: 40, previous: { stage: 'new', regularSince: null } }, { stage: 'new' }],
    ['two purchases, tenure 90 days: regular from now', { firstPurchaseAt: ago(90), lastPurchaseAt: ago(5), purchasesLast12Months: 2, medianGapDays: 85, previous: { stage: 'new', regularSince: null } }, { stage: 'regular', regularSince: now }],
    ['one purchase in the last 12 months, long tenure: back to new', { firstPurchaseAt: ago(900), lastPurchaseAt: ago(100), purchasesLast12Months: 1 }, { stage: 'new', regularSince: null }],
    ['one purchase ever, 200 days ago: new', { firstPurchaseAt: ago(200), lastPurchaseAt: ago(200), purchasesLast12Months: 1, medianGapDays: null, cohortGapDays: null, previous: null }, { stage: 'new' }],
    ['regular for 1 year 364 days: regular', { previous: { stage: 'regular', regularSince: Date.UTC(2024, 11, 2) } }, { stage: 'regular', regularSince: Date.UTC(2024, 11, 2) }],
    ['regular for exactly 2 calendar years: long-standing', { previous: { stage: 'regular', regularSince: Date.UTC(2024, 11, 1) }, score: 50 }, { stage: 'long_standing' }],
    ['long-standing, score 70 and recommendation 9: loyal', { ...loyal, score: 70, recommendation: 9 }, { stage: 'loyal' }],
    ['long-standing, score 69: long-standing', { ...loyal, score: 69 }, { stage: 'long_standing' }],
    ['long-standing, recommendation 8: long-standing', { ...loyal, recommendation: 8 }, { stage: 'long_standing' }],
    ['long-standing, no recommendation known: long-standing', { ...loyal, recommendation: null }, { stage: 'long_standing' }],
    ['first computation: regular since purchase history says', { previous: null, regularSinceFromHistory: ago(800), score: 50 }, { stage: 'long_standing', regularSince: ago(800) }],
    ['first computation without history: regular since now', { previous: null }, { stage: 'regular', regularSince: now }],
    ['a stored regularSince wins over history', { regularSinceFromHistory: ago(1000) }, { stage: 'regular', regularSince: ago(300) }],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    expect(stageOf({ ...regular, ...change }, settings)).toMatchObject(expected);
  });

  it('follows the cut-offs in the settings', () => {
    const stricter = { ...settings, stages: { ...settings.stages, regularPurchases: 13 } };
    expect(stageOf(regular, stricter).stage).toBe('new');
    const sooner = { ...settings, stages: { ...settings.stages, longStandingYears: 1 } };
    expect(stageOf({ ...regular, previous: { stage: 'regular', regularSince: ago(366) }, score: 10 }, sooner).stage).toBe('long_standing');
  });
});

describe('complaints and the stage', () => {
  const cases: [string, Partial<StageInput>, Expected][] = [
    ['unresolved major complaint: loyal drops to long-standing and is at risk', { ...loyal, unresolvedMajorComplaint: true }, { stage: 'long_standing', atRisk: true, atRiskReasons: ['unresolved_major_complaint'] }],
    ['unresolved major complaint: long-standing drops to regular', { ...loyal, score: 50, unresolvedMajorComplaint: true }, { stage: 'regular', atRisk: true }],
    ['unresolved major complaint: regular drops to new', { unresolvedMajorComplaint: true }, { stage: 'new', atRisk: true, atRiskReasons: ['unresolved_major_complaint'] }],
    ['unresolved major complaint: new stays new (the purchases are facts), at risk', { firstPurchaseAt: ago(20), unresolvedMajorComplaint: true, previous: { stage: 'new', regularSince: null } }, { stage: 'new', atRisk: true }],
    ['unresolved major complaint keeps the long-standing clock running', { unresolvedMajorComplaint: true }, { regularSince: ago(300) }],
    ['open complaint: no promotion from regular to long-standing', { previous: { stage: 'regular', regularSince: ago(800) }, score: 50, openComplaint: true }, { stage: 'regular', regularSince: ago(800) }],
    ['open complaint: no promotion from long-standing to loyal', { ...loyal, previous: { stage: 'long_standing', regularSince: ago(1100) }, openComplaint: true }, { stage: 'long_standing' }],
    ['open complaint: no promotion from new to regular', { previous: { stage: 'new', regularSince: null }, openComplaint: true }, { stage: 'new', regularSince: now }],
    ['open complaint: a first purchase still makes a prospect new', { firstPurchaseAt: ago(1), lastPurchaseAt: ago(1), purchasesLast12Months: 1, medianGapDays: null, previous: { stage: 'prospect', regularSince: null }, openComplaint: true }, { stage: 'new' }],
    ['open complaint: a prospect with two purchases past the new period is held at new', { firstPurchaseAt: ago(100), previous: { stage: 'prospect', regularSince: null }, openComplaint: true }, { stage: 'new' }],
    ['open complaint: going down is not held back', { ...loyal, previous: { stage: 'loyal', regularSince: ago(1100) }, score: 40, openComplaint: true }, { stage: 'long_standing' }],
    ['open complaint and no stored stage: nothing to hold', { previous: null, regularSinceFromHistory: ago(1000), openComplaint: true }, { stage: 'loyal' }],
    ['open complaint alone does not flag at risk', { openComplaint: true }, { stage: 'regular', atRisk: false, atRiskReasons: [] }],
    [
      'an open and an unresolved major complaint do not drop twice',
      { ...loyal, previous: { stage: 'long_standing', regularSince: ago(1100) }, openComplaint: true, unresolvedMajorComplaint: true },
      { stage: 'long_standing', atRisk: true },
    ],
    ['once resolved, the stage comes back', { ...loyal, previous: { stage: 'long_standing', regularSince: ago(1100) } }, { stage: 'loyal', atRisk: false }],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    expect(stageOf({ ...regular, ...change }, settings)).toMatchObject(expected);
  });

  it('the reasons say why the stage was dropped or held', () => {
    expect(stageOf({ ...loyal, unresolvedMajorComplaint: true }, settings).reasons).toEqual([
      'regular_for_years',
      'loyal_score_and_recommendation',
      'dropped_for_unresolved_major_complaint',
    ]);
    expect(stageOf({ ...regular, previous: { stage: 'new', regularSince: null }, openComplaint: true }, settings).reasons).toEqual([
      'regular_purchases',
      'held_while_complaint_open',
    ]);
  });
});

describe('churn and at-risk overlays', () => {
  const cases: [string, Partial<StageInput>, Expected][] = [
    ['last purchase 90 days ago with a 30-day gap: exactly 3 × the gap, not yet churned, overdue', { lastPurchaseAt: ago(90) }, { churned: null, atRisk: true, atRiskReasons: ['overdue_purchase'] }],
    ['last purchase 91 days ago with a 30-day gap: churned, silent', { lastPurchaseAt: ago(91) }, { churned: 'silent', atRisk: false, atRiskReasons: [] }],
    ['churned after a complaint in the voiced window: voiced', { lastPurchaseAt: ago(91), complainedWithinVoicedWindow: true }, { churned: 'voiced' }],
    ['churned keeps the stage purchases give', { lastPurchaseAt: ago(91) }, { stage: 'regular', churned: 'silent' }],
    ['60 days after with a 30-day gap: not overdue (the line is 2 × the gap with k = 3)', { lastPurchaseAt: ago(60) }, { atRisk: false }],
    ['61 days after with a 30-day gap: overdue', { lastPurchaseAt: ago(61) }, { atRisk: true, atRiskReasons: ['overdue_purchase'] }],
    ['one purchase: the cohort gap (60 days) sets the line, 180 days', { firstPurchaseAt: ago(181), lastPurchaseAt: ago(181), purchasesLast12Months: 1, medianGapDays: null }, { churned: 'silent' }],
    ['one purchase, 179 days ago: not churned with the cohort gap', { firstPurchaseAt: ago(179), lastPurchaseAt: ago(179), purchasesLast12Months: 1, medianGapDays: null }, { churned: null }],
    ['one purchase, no cohort: 3 × 180 days', { firstPurchaseAt: ago(540), lastPurchaseAt: ago(540), purchasesLast12Months: 0, medianGapDays: null, cohortGapDays: null }, { churned: null }],
    ['one purchase, no cohort, 541 days: churned', { firstPurchaseAt: ago(541), lastPurchaseAt: ago(541), purchasesLast12Months: 0, medianGapDays: null, cohortGapDays: null }, { churned: 'silent' }],
    ['a prospect never churns', { firstPurchaseAt: null, lastPurchaseAt: null, purchasesLast12Months: 0, medianGapDays: null }, { stage: 'prospect', churned: null, atRisk: false }],
    ['falling recency and frequency: at risk', { fallingRecency: true, fallingFrequency: true }, { atRisk: true, atRiskReasons: ['falling_recency', 'falling_frequency'] }],
    ['a detractor (recommendation 6): at risk for attitude', { recommendation: 6 }, { atRisk: true, atRiskReasons: ['low_attitude'] }],
    ['recommendation 7: not at risk', { recommendation: 7 }, { atRisk: false }],
    ['repurchase intent 25 of 100: at risk for attitude', { repurchaseIntent: 25 }, { atRisk: true, atRiskReasons: ['low_attitude'] }],
    ['repurchase intent 50 of 100: not at risk', { repurchaseIntent: 50 }, { atRisk: false }],
    ['unresolved major complaint and falling recency: both reasons', { unresolvedMajorComplaint: true, fallingRecency: true }, { atRiskReasons: ['unresolved_major_complaint', 'falling_recency'] }],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    expect(stageOf({ ...regular, ...change }, settings)).toMatchObject(expected);
  });

  it('churn follows the factor k in the settings', () => {
    const k2 = { ...settings, churn: { ...settings.churn, gapFactor: 2 } };
    expect(stageOf({ ...regular, lastPurchaseAt: ago(61) }, k2).churned).toBe('silent');
    expect(churnAt(regular, k2)).toBe(ago(10) + 60 * day);
  });
});

describe('a customer who objects to profiling', () => {
  const objecting = { profilingObjected: true, score: null };
  const cases: [string, Partial<StageInput>, Expected][] = [
    ['long-standing by purchases, never loyal', { ...loyal, ...objecting, recommendation: 10 }, { stage: 'long_standing' }],
    ['no drop and no at-risk for an unresolved major complaint', { ...loyal, ...objecting, unresolvedMajorComplaint: true }, { stage: 'long_standing', atRisk: false }],
    ['no hold while a complaint is open', { ...objecting, previous: { stage: 'new', regularSince: null }, openComplaint: true }, { stage: 'regular' }],
    ['no at-risk from attitude', { ...objecting, recommendation: 0, repurchaseIntent: 0 }, { atRisk: false, atRiskReasons: [] }],
    ['at-risk from purchases still', { ...objecting, fallingRecency: true, lastPurchaseAt: ago(70) }, { atRisk: true, atRiskReasons: ['falling_recency', 'overdue_purchase'] }],
    ['churn from purchases still', { ...objecting, lastPurchaseAt: ago(100) }, { churned: 'silent' }],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    expect(stageOf({ ...regular, ...change }, settings)).toMatchObject(expected);
  });

  it('says so in the reasons', () => {
    expect(stageOf({ ...loyal, ...objecting }, settings).reasons).toEqual(['regular_for_years', 'profiling_objected']);
  });
});
