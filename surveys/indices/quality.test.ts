import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../definition.ts';
import {
  answersFingerprint,
  defaultQualityOptions,
  flagsOf,
  gridsOf,
  isDistinctive,
  isSpeeder,
  isStraightLiner,
  likelyDuplicates,
  qualityBits,
  medianDuration,
} from './quality.ts';

const text = (en: string) => ({ en, 'zh-CN': en });
const rating = (id: string, scale: '1-5' | '1-7' = '1-5') => ({ id, type: 'rating' as const, scale, title: text(id), required: false });

const definition = {
  title: text('Survey'),
  questions: [rating('q1'), rating('q2'), rating('q3'), rating('q4'), rating('r1', '1-7'), rating('r2', '1-7'), { id: 'n', type: 'nps', title: text('n'), required: false }],
} as unknown as SurveyDefinition;

describe('speeders', () => {
  it('needs enough timed responses for a median', () => {
    expect(medianDuration([60_000, 70_000, null])).toBeNull();
    expect(medianDuration(Array.from({ length: 11 }, (_, i) => (i + 1) * 10_000))).toBe(60_000);
    expect(medianDuration(Array.from({ length: 10 }, (_, i) => (i + 1) * 10_000))).toBe(55_000);
  });

  it('flags what took under 40% of the median, and nothing without a median or a duration', () => {
    expect(isSpeeder(23_000, 60_000)).toBe(true);
    expect(isSpeeder(24_000, 60_000)).toBe(false);
    expect(isSpeeder(1_000, null)).toBe(false);
    expect(isSpeeder(null, 60_000)).toBe(false);
  });
});

describe('straight-liners', () => {
  it('finds grids of four or more rating questions on one scale', () => {
    expect(gridsOf(definition)).toEqual([['q1', 'q2', 'q3', 'q4']]);
    expect(gridsOf(definition, { ...defaultQualityOptions, minGridSize: 2 })).toEqual([
      ['q1', 'q2', 'q3', 'q4'],
      ['r1', 'r2'],
    ]);
  });

  it('leaves out of a grid the questions only some are asked, so those never asked can still be flagged', () => {
    const withFollowUp = {
      ...definition,
      questions: [...definition.questions, { ...rating('q5'), showIf: { question: 'n', op: 'lte', value: 6 } }],
    } as unknown as SurveyDefinition;
    expect(gridsOf(withFollowUp)).toEqual([['q1', 'q2', 'q3', 'q4']]);
  });

  it('flags the same answer across a whole grid only', () => {
    const grids = gridsOf(definition);
    expect(isStraightLiner({ q1: 4, q2: 4, q3: 4, q4: 4, n: 9 }, grids)).toBe(true);
    expect(isStraightLiner({ q1: 4, q2: 4, q3: 5, q4: 4 }, grids)).toBe(false);
    expect(isStraightLiner({ q1: 4, q2: 4, q3: 4 }, grids)).toBe(false);
    expect(isStraightLiner({ q1: 4, q2: 4, q3: 4, q4: 4 }, [])).toBe(false);
  });
});

describe('likely duplicates', () => {
  const fp = answersFingerprint({ q1: 5, q2: 3 });
  it('compares answers whatever their key order', () => {
    expect(answersFingerprint({ q2: 3, q1: 5 })).toBe(fp);
    expect(answersFingerprint({ m: { selected: ['a'], other: 'x' } })).toBe(answersFingerprint({ m: { other: 'x', selected: ['a'] } }));
    expect(answersFingerprint({ q1: 5, q2: 4 })).not.toBe(fp);
  });

  it('flags the later of identical answers from one customer within a day, not the same answers a season later', () => {
    const hour = 3_600_000;
    const flagged = likelyDuplicates([
      { id: 'b', submittedAt: 1_000 + 20 * hour, customerId: 'c1', fingerprint: fp },
      { id: 'a', submittedAt: 1_000, customerId: 'c1', fingerprint: fp },
      { id: 'c', submittedAt: 2_000, customerId: 'c2', fingerprint: fp },
      { id: 'd', submittedAt: 1_000 + 90 * 24 * hour, customerId: 'c1', fingerprint: fp },
    ]);
    expect([...flagged]).toEqual(['b']);
  });

  it('flags identical anonymous answers only within the window', () => {
    const minute = 60_000;
    const flagged = likelyDuplicates([
      { id: 'a', submittedAt: 0, customerId: null, fingerprint: fp },
      { id: 'b', submittedAt: 9 * minute, customerId: null, fingerprint: fp },
      { id: 'c', submittedAt: 30 * minute, customerId: null, fingerprint: fp },
      { id: 'd', submittedAt: 31 * minute, customerId: null, fingerprint: 'other' },
    ]);
    expect([...flagged]).toEqual(['b']);
  });

  it('counts a repeat exactly ten minutes later as within the window, and one a millisecond more as not', () => {
    const window = defaultQualityOptions.duplicateWindowMs;
    expect(window).toBe(10 * 60_000);
    const atTheEdge = likelyDuplicates([
      { id: 'a', submittedAt: 0, customerId: null, fingerprint: fp },
      { id: 'b', submittedAt: window, customerId: null, fingerprint: fp },
    ]);
    expect([...atTheEdge]).toEqual(['b']);
    const justOver = likelyDuplicates([
      { id: 'a', submittedAt: 0, customerId: null, fingerprint: fp },
      { id: 'b', submittedAt: window + 1, customerId: null, fingerprint: fp },
    ]);
    expect([...justOver]).toEqual([]);
  });
});

describe('anonymous answers too short to tell people apart', () => {
  const definition = {
    kind: 'satisfaction',
    title: { en: 'CSAT', 'zh-CN': '满意度' },
    questions: [
      { id: 'csat', type: 'csat', title: { en: 'How satisfied?', 'zh-CN': '满意吗？' }, required: true },
      { id: 'why', type: 'text', title: { en: 'Why?', 'zh-CN': '为什么？' }, required: false, maxLength: 1000, multiline: true },
    ],
  } as unknown as SurveyDefinition;

  it('are not compared, so two strangers giving the same 5 minutes apart are not duplicates', () => {
    expect(isDistinctive(definition, { csat: 5 })).toBe(false);
    expect(isDistinctive(definition, { csat: 5, why: 'The courier was late again.' })).toBe(true);
    const at = 1_000_000;
    const flagged = likelyDuplicates([
      { id: 'a', submittedAt: at, customerId: null, fingerprint: 'f', distinctive: false },
      { id: 'b', submittedAt: at + 60_000, customerId: null, fingerprint: 'f', distinctive: false },
      { id: 'c', submittedAt: at, customerId: null, fingerprint: 'g' },
      { id: 'd', submittedAt: at + 60_000, customerId: null, fingerprint: 'g' },
    ]);
    expect([...flagged]).toEqual(['d']);
  });
});

describe('stored flags', () => {
  it('name the flags a flags number holds', () => {
    expect(flagsOf(0)).toEqual([]);
    expect(flagsOf(qualityBits.speeder | qualityBits.duplicate)).toEqual(['speeder', 'duplicate']);
  });
});
