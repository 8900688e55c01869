import { describe, expect, it } from 'vitest';
import { addDays, bucketOf, bucketUnits, daysBetween } from '../../surveys/indices/periods.ts';
import { seeded } from '../../surveys/random.ts';
import { cover, type Span } from './plan.ts';

/** Every day a span's rows stand for, with the period start each day is read from. */
function daysOf(span: Span): { day: string; period: string }[] {
  const unit = span.grain === 'd' ? 'day' : span.grain === 'w' ? 'week' : 'month';
  const out: { day: string; period: string }[] = [];
  for (let day = span.from; bucketOf(day, unit) <= span.to; day = addDays(day, 1)) out.push({ day, period: bucketOf(day, unit) });
  return out;
}

describe('cover', () => {
  it('reads a calendar year from twelve month rows', () => {
    expect(cover({ from: '2026-01-01', to: '2026-12-31' }, 'month')).toEqual([{ grain: 'm', from: '2026-01-01', to: '2026-12-01' }]);
  });

  it('reads whole weeks from week rows and the edges from day rows', () => {
    // 2026-11-04 is a Wednesday; 2026-11-22 a Sunday.
    expect(cover({ from: '2026-11-04', to: '2026-11-22' }, 'week')).toEqual([
      { grain: 'd', from: '2026-11-04', to: '2026-11-08' },
      { grain: 'w', from: '2026-11-09', to: '2026-11-16' },
    ]);
  });

  it('covers every day of any range exactly once, and no span crosses a bucket', () => {
    const random = seeded(7);
    for (let trial = 0; trial < 150; trial++) {
      const from = addDays('2024-01-01', Math.floor(random() * 900));
      const to = addDays(from, Math.floor(random() * 500));
      for (const unit of bucketUnits) {
        const seen = new Map<string, number>();
        for (const span of cover({ from, to }, unit)) {
          const covered = daysOf(span);
          for (const { day } of covered) seen.set(day, (seen.get(day) ?? 0) + 1);
          // A row's days all fall in one bucket of the unit asked for.
          const crossing = covered.find(({ day, period }) => bucketOf(day, unit) !== bucketOf(period, unit));
          expect(crossing).toBeUndefined();
        }
        expect(seen.size).toBe(daysBetween(from, to) + 1);
        expect([...seen.values()].every((count) => count === 1)).toBe(true);
        expect([...seen.keys()].every((day) => day >= from && day <= to)).toBe(true);
      }
    }
  });
});
