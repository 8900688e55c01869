import { describe, expect, it } from 'vitest';
import { backupName, migrationsVerdict, nextPeriodStart, scheduledNamePattern, scheduledToRemove } from './rules.ts';

describe('backup names', () => {
  it('name a backup by its UTC time, fixed width and without colons, so names sort by time', () => {
    expect(backupName('manual', Date.UTC(2026, 11, 6, 18, 0, 5, 42))).toBe('backup-2026-12-06T18-00-05.042Z.db');
    expect(backupName('scheduled', Date.UTC(2026, 11, 6))).toBe('scheduled-2026-12-06T00-00-00.000Z.db');
    const times = [Date.UTC(2026, 0, 9, 23), Date.UTC(2026, 0, 10, 1), Date.UTC(2025, 11, 31)];
    expect(times.map((at) => backupName('scheduled', at)).sort()).toEqual([...times].sort((a, b) => a - b).map((at) => backupName('scheduled', at)));
    expect(scheduledNamePattern.test(backupName('scheduled', Date.now()))).toBe(true);
    expect(scheduledNamePattern.test(backupName('manual', Date.now()))).toBe(false);
  });
});

describe('which scheduled backups go', () => {
  const scheduled = [1, 2, 3, 4].map((day) => backupName('scheduled', Date.UTC(2026, 11, day)));
  const others = [backupName('manual', Date.UTC(2026, 0, 1)), 'notes.txt', `${backupName('scheduled', Date.UTC(2026, 11, 5))}.partial`, 'scheduled-copy.db'];

  it('keeps the newest `keep` and removes only the older scheduled ones, whatever else is in the folder', () => {
    expect(scheduledToRemove([...others, scheduled[2]!, scheduled[0]!, scheduled[3]!, scheduled[1]!], 2)).toEqual([scheduled[0], scheduled[1]]);
    expect(scheduledToRemove([...others, ...scheduled], 4)).toEqual([]);
    expect(scheduledToRemove([...others, ...scheduled], 10)).toEqual([]);
    expect(scheduledToRemove(others, 1)).toEqual([]);
  });
});

describe('the schedule', () => {
  it('runs at the next period boundary, the same for every process', () => {
    const day = 86_400_000;
    expect(nextPeriodStart(Date.UTC(2026, 11, 6, 18), day)).toBe(Date.UTC(2026, 11, 7));
    expect(nextPeriodStart(Date.UTC(2026, 11, 7), day)).toBe(Date.UTC(2026, 11, 8));
    expect(nextPeriodStart(Date.UTC(2026, 11, 6, 18, 59), 3_600_000)).toBe(Date.UTC(2026, 11, 6, 19));
  });
});

describe("a backup's migrations against this code's", () => {
  const known = [
    { hash: 'a', folderMillis: 1000 },
    { hash: 'b', folderMillis: 2000 },
    { hash: 'c', folderMillis: 3000 },
  ];

  it('accepts a backup with all or some of them, counting those the next start applies', () => {
    expect(migrationsVerdict([{ hash: 'a', createdAt: 1000 }, { hash: 'b', createdAt: 2000 }, { hash: 'c', createdAt: 3000 }], known)).toEqual({ ok: true, applied: 3, pending: 0 });
    expect(migrationsVerdict([{ hash: 'a', createdAt: 1000 }], known)).toEqual({ ok: true, applied: 1, pending: 2 });
  });

  it('refuses a file without migrations, and one made by newer code', () => {
    expect(migrationsVerdict([], known)).toMatchObject({ ok: false, reason: 'none' });
    expect(migrationsVerdict([...known.map((m) => ({ hash: m.hash, createdAt: m.folderMillis })), { hash: 'd', createdAt: 4000 }], known)).toEqual({ ok: false, reason: 'newer', newest: 4000, known: 3000 });
  });
});
