import { describe, expect, it } from 'vitest';
import { answerOutOf, plainKey, weightPercent } from './loyalty.ts';

describe('answers in plain words', () => {
  it.each([
    [{ value: 4, scale: '1-5' }, '4/5'],
    [{ value: 9, scale: '0-10' }, '9/10'],
    [{ value: 0, scale: '0–10' }, '0/10'],
    [{ value: 80, scale: '1-5' }, '80/100'],
    [{ value: 75, scale: 'percent' }, '75/100'],
    [{ value: 3.5, scale: '1-5' }, '3.5/5'],
  ])('%o → %s', (answer, text) => {
    expect(answerOutOf(answer)).toBe(text);
  });

  it('shows weights as percents and unknown reason keys as words', () => {
    expect(weightPercent(0.35)).toBe(35);
    expect(plainKey('no_purchase_in_gap')).toBe('no purchase in gap');
  });
});
