import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

const backoff = { baseMs: 1000, maxMs: 60_000 };

describe('retryDelayMs', () => {
  it('doubles with each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, backoff, 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('keeps the random part to the upper half of each step', () => {
    expect(retryDelayMs(3, backoff, 0)).toBe(2000);
    expect(retryDelayMs(3, backoff, 0.5)).toBe(3000);
    expect(retryDelayMs(3, backoff, 0.999)).toBeLessThanOrEqual(4000);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(2, backoff);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('stops growing at the cap, however many attempts failed', () => {
    expect(retryDelayMs(7, backoff, 1)).toBe(60_000);
    expect(retryDelayMs(5000, backoff, 1)).toBe(60_000);
    expect(retryDelayMs(5000, backoff, 0)).toBe(30_000);
  });

  it('treats a first attempt (or less) as the base step', () => {
    expect(retryDelayMs(0, backoff, 1)).toBe(1000);
  });
});
