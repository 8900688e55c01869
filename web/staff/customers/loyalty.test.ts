import { describe, expect, it } from 'vitest';
import { answerOutOf, plainKey, weightPercent } from './loyalty.ts';

describe('answers in plain words', () => {
  it.each([
    [{ value: 75, scale: '1-5' }, '4/5'],
    [{ value: 90, scale: '0-10' }, '9/10'],
    [{ value: 0, scale: '0–10' }, '0/10'],
    [{ value: 100, scale: '1-7' }, '7/7'],
    [{ value: 75, scale: '1-10' }, '7.8/10'],
    [{ value: 62.5, scale: 'percent' }, '63/100'],
  ])('%o → %s', (answer, text) => {
    expect(answerOutOf(answer)).toBe(text);
  });

  it('shows weights as percents and unknown reason keys as words', () => {
    expect(weightPercent(0.35)).toBe(35);
    expect(plainKey('no_purchase_in_gap')).toBe('no purchase in gap');
  });
});
