import { describe, expect, it } from 'vitest';
import { methodLabel, missingMigrations, queueCheck, queueStuckAfterMs } from './rules.ts';

const now = 1_800_000_000_000;

describe('queueCheck', () => {
  it('is fine with nothing due, and with a long queue being worked', () => {
    expect(queueCheck({ oldestDueAt: null, runningLive: 0, oldestExpiredLeaseAt: null }, now).ok).toBe(true);
    expect(queueCheck({ oldestDueAt: now - 60 * 60_000, runningLive: 3, oldestExpiredLeaseAt: null }, now).ok).toBe(true);
    expect(queueCheck({ oldestDueAt: now - queueStuckAfterMs + 1000, runningLive: 0, oldestExpiredLeaseAt: null }, now).ok).toBe(true);
  });

  it('says the queue is stuck when due jobs wait and none is being worked', () => {
    const check = queueCheck({ oldestDueAt: now - 7 * 60_000, runningLive: 0, oldestExpiredLeaseAt: null }, now);
    expect(check).toEqual({ ok: false, detail: expect.stringContaining('due for 7 min') });
    expect(check.detail).toContain('WORKER=on');
  });

  it('says the queue is stuck when a lease ran out long ago, even while other jobs run', () => {
    const check = queueCheck({ oldestDueAt: null, runningLive: 2, oldestExpiredLeaseAt: now - 6 * 60_000 }, now);
    expect(check).toEqual({ ok: false, detail: expect.stringContaining('lease ran out 6 min ago') });
    expect(queueCheck({ oldestDueAt: null, runningLive: 0, oldestExpiredLeaseAt: now - 60_000 }, now).ok).toBe(true);
  });
});

describe('missingMigrations', () => {
  it('names the journal entries the database has not applied', () => {
    const journal = [
      { tag: '0000_init', when: 1 },
      { tag: '0001_more', when: 2 },
      { tag: '0002_last', when: 3 },
    ];
    expect(missingMigrations(journal, [1, 2, 3])).toEqual([]);
    expect(missingMigrations(journal, [1, 2])).toEqual(['0002_last']);
    expect(missingMigrations(journal, [])).toEqual(['0000_init', '0001_more', '0002_last']);
  });
});

describe('methodLabel', () => {
  it('keeps the usual methods and folds the rest into one label', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('PATCH')).toBe('PATCH');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
  });
});
