import { describe, expect, it } from 'vitest';
import {
  afterOutcome,
  busyRetryMs,
  callbackProblem,
  instantOfLocal,
  localDateTime,
  nextCallableAt,
  noAnswerRetryMs,
  whyNobody,
} from './rules.ts';

const now = Date.parse('2026-03-10T02:00:00Z'); // 10:00 in Shanghai, 22:00 the day before in New York
const hours = { start: '09:00', end: '20:00' };

describe('what an outcome does to an invitation', () => {
  it('closes for good on completed, refused and wrong number', () => {
    for (const outcome of ['completed', 'refused', 'wrong_number'] as const) {
      expect(afterOutcome({ outcome, attempts: 1, maxAttempts: 3, now })).toEqual({ callState: outcome, nextCallAt: null });
    }
  });

  it('retries no answer after two hours and busy after fifteen minutes, until the attempts are used', () => {
    expect(afterOutcome({ outcome: 'no_answer', attempts: 1, maxAttempts: 3, now })).toEqual({ callState: 'open', nextCallAt: now + noAnswerRetryMs });
    expect(afterOutcome({ outcome: 'busy', attempts: 2, maxAttempts: 3, now })).toEqual({ callState: 'open', nextCallAt: now + busyRetryMs });
    expect(afterOutcome({ outcome: 'busy', attempts: 3, maxAttempts: 3, now })).toEqual({ callState: 'attempts_used', nextCallAt: null });
    expect(afterOutcome({ outcome: 'no_answer', attempts: 3, maxAttempts: 3, now }).callState).toBe('attempts_used');
  });

  it('honours a callback asked for on the last attempt once, and no more', () => {
    const callbackAt = now + 3600_000;
    expect(afterOutcome({ outcome: 'callback', attempts: 1, maxAttempts: 3, now, callbackAt })).toEqual({ callState: 'open', nextCallAt: callbackAt });
    expect(afterOutcome({ outcome: 'callback', attempts: 3, maxAttempts: 3, now, callbackAt })).toEqual({ callState: 'open', nextCallAt: callbackAt });
    expect(afterOutcome({ outcome: 'no_answer', attempts: 4, maxAttempts: 3, now }).callState).toBe('attempts_used');
    expect(afterOutcome({ outcome: 'callback', attempts: 4, maxAttempts: 3, now, callbackAt }).callState).toBe('attempts_used');
  });

  it('takes callbacks in the future and within 30 days', () => {
    expect(callbackProblem(now, now)).toBe('past');
    expect(callbackProblem(now - 1, now)).toBe('past');
    expect(callbackProblem(now + 60_000, now)).toBeNull();
    expect(callbackProblem(now + 30 * 86_400_000, now)).toBeNull();
    expect(callbackProblem(now + 30 * 86_400_000 + 1, now)).toBe('too_far');
  });
});

describe('when a customer can be called', () => {
  it('is now inside the hours, else when the hours next open in their zone', () => {
    expect(nextCallableAt(now, 'Asia/Shanghai', hours)).toBe(now);
    // 22:00 in New York (EDT from 8 March, UTC-4): the hours open at 09:00 local, 13:00 UTC.
    expect(new Date(nextCallableAt(now, 'America/New_York', hours)!).toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(nextCallableAt(now, 'Not/AZone', hours)).toBeNull();
  });

  it('says why nobody can be called and when someone can', () => {
    expect(whyNobody([], now, hours, 0)).toEqual({ reason: 'all_done', nextAt: null });
    expect(whyNobody([], now, hours, 2)).toEqual({ reason: 'in_progress', nextAt: null });
    const newYork = { timeZone: 'America/New_York', open: 3, firstDueAt: now - 1000 };
    expect(whyNobody([newYork], now, hours, 0)).toEqual({ reason: 'outside_hours', nextAt: Date.parse('2026-03-10T13:00:00Z') });
    const shanghaiLater = { timeZone: 'Asia/Shanghai', open: 1, firstDueAt: now + 900_000 };
    expect(whyNobody([newYork, shanghaiLater], now, hours, 0)).toEqual({ reason: 'later', nextAt: now + 900_000 });
  });
});

describe('local times in the customer’s zone', () => {
  it('turns a datetime-local value into an instant and back', () => {
    expect(localDateTime(now, 'Asia/Shanghai')).toBe('2026-03-10T10:00');
    expect(localDateTime(now, 'America/New_York')).toBe('2026-03-09T22:00');
    expect(instantOfLocal('2026-03-10T10:00', 'Asia/Shanghai')).toBe(now);
    expect(instantOfLocal('2026-03-09T22:00', 'America/New_York')).toBe(now);
    // Before the daylight change New York is UTC-5.
    expect(new Date(instantOfLocal('2026-03-01T09:30', 'America/New_York')!).toISOString()).toBe('2026-03-01T14:30:00.000Z');
    expect(instantOfLocal('tomorrow', 'Asia/Shanghai')).toBeNull();
  });
});
