import { describe, expect, it } from 'vitest';
import { nextSendAt } from './throttle.ts';

describe('nextSendAt', () => {
  it('spaces sends evenly at the rate asked for', () => {
    let previous = -Infinity;
    const turns = [];
    for (let i = 0; i < 5; i++) turns.push((previous = nextSendAt(previous, 1000, 50)));
    expect(turns).toEqual([1000, 1020, 1040, 1060, 1080]);
  });

  it('never schedules in the past after a quiet spell, and saves up no burst', () => {
    expect(nextSendAt(1000, 5000, 10)).toBe(5000);
    expect(nextSendAt(5000, 5001, 10)).toBe(5100);
  });
});
