import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../surveys/indices/stats.ts';
import { ownTarpTable, publishedTarp, publishedVariant, type ComplaintFact, type ReferenceFact } from './tarp.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 11, 1);
const ago = (days: number) => now - days * day;

const complaint = (customerId: string, openedDaysAgo: number, fields: Partial<ComplaintFact> = {}): ComplaintFact => ({
  customerId,
  createdAt: ago(openedDaysAgo),
  severity: 'minor',
  outcome: 'resolved',
  nextPurchaseAt: null,
  ...fields,
});

const cell = (table: ReturnType<typeof ownTarpTable>, severity: 'minor' | 'major', outcome: string) =>
  table.cells.find((each) => each.severity === severity && each.outcome === outcome)!;

describe('ownTarpTable', () => {
  it('counts a customer as buying again when a purchase follows the complaint within the days, and not after', () => {
    const table = ownTarpTable({
      withinDays: 30,
      now,
      complaints: [
        complaint('a', 100, { nextPurchaseAt: ago(100) + 30 * day }), // on the last day: counts
        complaint('b', 100, { nextPurchaseAt: ago(100) + 30 * day + 1 }), // a moment late
        complaint('c', 100, { nextPurchaseAt: null }),
        complaint('d', 100, { nextPurchaseAt: ago(100) }), // at the same instant: not after it
      ],
      noComplaint: [],
    });
    expect(cell(table, 'minor', 'resolved')).toMatchObject({ boughtAgain: 1, share: { n: 4, value: 0.25, ...wilsonInterval(1, 4) } });
    expect(cell(table, 'major', 'resolved').share).toEqual({ n: 0, value: null, low: null, high: null });
  });

  it('sorts customers into severity × outcome, each once at the first case of the period with an outcome', () => {
    const table = ownTarpTable({
      withinDays: 30,
      now,
      complaints: [
        complaint('a', 200, { severity: 'major', outcome: 'unresolved' }),
        complaint('a', 100, { severity: 'minor', outcome: 'resolved_quickly', nextPurchaseAt: ago(99) }),
        complaint('b', 90, { outcome: null }),
        complaint('b', 80, { severity: 'major', outcome: 'resolved_quickly', nextPurchaseAt: ago(70) }),
        complaint('c', 60, { outcome: 'resolved' }),
      ],
      noComplaint: [],
    });
    expect(cell(table, 'major', 'unresolved')).toMatchObject({ boughtAgain: 0, share: { n: 1 } });
    expect(cell(table, 'minor', 'resolved_quickly').share.n).toBe(0);
    expect(cell(table, 'major', 'resolved_quickly')).toMatchObject({ boughtAgain: 1, share: { n: 1, value: 1 } });
    expect(cell(table, 'minor', 'resolved')).toMatchObject({ boughtAgain: 0, share: { n: 1, value: 0 } });
    expect(table.pending.noOutcome).toBe(1);
    // Columns read as the published table does: not satisfied, satisfied, satisfied quickly.
    expect(table.cells.map((each) => `${each.severity} ${each.outcome}`)).toEqual([
      'minor unresolved', 'minor resolved', 'minor resolved_quickly', 'major unresolved', 'major resolved', 'major resolved_quickly',
    ]);
  });

  it('leaves out customers whose days have not all passed, and says how many', () => {
    const table = ownTarpTable({
      withinDays: 30,
      now,
      complaints: [complaint('a', 10, { nextPurchaseAt: ago(5) }), complaint('b', 31), complaint('b', 20)],
      noComplaint: [
        { customerId: 'x', at: ago(29), nextPurchaseAt: ago(1) },
        { customerId: 'y', at: ago(40), nextPurchaseAt: ago(20) },
        { customerId: 'z', at: ago(40), nextPurchaseAt: null },
      ],
    });
    expect(cell(table, 'minor', 'resolved').share.n).toBe(1);
    expect(table.pending).toEqual({ noOutcome: 0, complainantsWaiting: 1, referenceWaiting: 1 });
    expect(table.noComplaint).toMatchObject({ boughtAgain: 1, share: { n: 2, value: 0.5 } });
  });

  it('counts a customer who never complained once, at the reference purchase given first', () => {
    const reference: ReferenceFact[] = [
      { customerId: 'x', at: ago(100), nextPurchaseAt: ago(90) },
      { customerId: 'x', at: ago(90), nextPurchaseAt: null },
    ];
    expect(ownTarpTable({ withinDays: 30, now, complaints: [], noComplaint: reference }).noComplaint).toMatchObject({ boughtAgain: 1, share: { n: 1 } });
  });
});

describe('the published versions', () => {
  it('prints both versions from DOMAIN.md, each named', () => {
    expect(publishedTarp.shares.minor).toEqual({
      notComplained: { low: 0.37, high: 0.37 },
      unresolved: { low: 0.46, high: 0.46 },
      resolved: { low: 0.7, high: 0.7 },
      resolved_quickly: { low: 0.95, high: 0.95 },
    });
    expect(publishedTarp.shares.major.resolved_quickly).toEqual({ low: 0.82, high: 0.82 });
    expect(publishedVariant.shares.major.resolved).toEqual({ low: 0.04, high: 0.04 });
    expect(publishedVariant.shares.minor.resolved).toEqual({ low: 0.53, high: 0.53 });
    expect(publishedVariant.shares.minor.resolved_quickly).toEqual({ low: 0.52, high: 0.95 });
    expect(publishedTarp.source.en).toContain('TARP');
    expect(publishedVariant.source.en).toContain('Variant');
    expect(publishedVariant.source['zh-CN']).not.toBe(publishedTarp.source['zh-CN']);
  });
});
