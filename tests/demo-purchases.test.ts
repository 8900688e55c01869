// The demo's purchases: two years of them for the demo's customers, consistent with the demo's complaint cases
// (customers whose complaint stayed unresolved mostly stop buying, those recovered quickly keep buying), marked
// for a loyalty update, and idempotent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDemo } from '../server/cli/demo.ts';
import { demoPurchasesOf } from '../server/cli/demo-purchases.ts';
import type { RecoveryOutcome } from '../server/complaints/vocabulary.ts';
import { customersWaitingForUpdate } from '../server/loyalty/updates.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let test: TestApp;
const now = Date.parse('2026-06-01T04:00:00Z');
const dayMs = 86_400_000;

beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

const rows = async (sql: string) => (await test.db.$client.execute(sql)).rows;

describe('the demo’s purchases', () => {
  it('cover two years for most customers, follow the complaint outcomes, and are added once', async () => {
    const first = await fillDemo(test.db, { responses: 4_000, now });
    expect(first.purchasesInserted).toBeGreaterThan(5_000);
    const [span] = await rows(`SELECT min(occurred_at), max(occurred_at), count(DISTINCT customer_id), (SELECT count(*) FROM customers) FROM purchases`);
    expect(Number(span![0])).toBeLessThan(now - 700 * dayMs);
    expect(Number(span![1])).toBeLessThanOrEqual(now);
    expect(Number(span![1])).toBeGreaterThan(now - 30 * dayMs);
    // Most customers bought; some are still prospects.
    expect(Number(span![2]) / Number(span![3])).toBeGreaterThan(0.8);
    expect(Number(span![2])).toBeLessThan(Number(span![3]));
    const [refunds] = await rows(`SELECT count(*), sum(r.amount_minor + o.amount_minor < 0) FROM purchases r JOIN purchases o ON o.order_id = r.refund_of`);
    expect(Number(refunds![0])).toBeGreaterThan(0);
    expect(Number(refunds![1])).toBe(0);
    expect(Number((await rows(`SELECT count(*) FROM purchases WHERE source <> 'demo' OR currency <> 'CNY'`))[0]![0])).toBe(0);
    // Every customer who bought waits for a loyalty update (answers and complaint cases mark others too).
    const buyers = (await rows(`SELECT DISTINCT customer_id FROM purchases`)).map((row) => String(row[0]));
    const waiting = new Set(await customersWaitingForUpdate(test.db));
    expect(buyers.filter((id) => !waiting.has(id))).toEqual([]);

    // A customer who left after a complaint bought nothing more (a few days' grace for orders on their way).
    const [afterLeaving] = await rows(`
      SELECT count(*), (SELECT count(*) FROM complaint_cases WHERE customer_left = 1 AND customer_id IS NOT NULL)
      FROM complaint_cases c JOIN purchases p ON p.customer_id = c.customer_id AND p.occurred_at > c.created_at + 20 * ${dayMs}
      WHERE c.customer_left = 1`);
    expect(Number(afterLeaving![1])).toBeGreaterThan(0);
    expect(Number(afterLeaving![0])).toBe(0);

    const again = await fillDemo(test.db, { responses: 4_000, now });
    expect(again.purchasesInserted).toBe(0);
  });
});

describe('who keeps buying after a complaint in the demo', () => {
  /** The share of 2,000 customers who buy again 20 to 180 days after a complaint 400 days ago. */
  function boughtAgain(outcome: RecoveryOutcome | null, severity: 'minor' | 'major', customerLeft = false) {
    const at = now - 400 * dayMs;
    let bought = 0;
    let customers = 0;
    for (let index = 0; index < 2_000; index++) {
      const cases = outcome === null && !customerLeft ? [] : [{ createdAt: at, severity, outcome, customerLeft }];
      const made = demoPurchasesOf(index, { id: `c-${index}`, tier: 'ordinary', moodLift: 0 }, cases, now);
      if (!made.some(([, , time]) => time < at)) continue;
      customers += 1;
      if (made.some(([, refundOf, time]) => refundOf === null && time > at + 20 * dayMs && time <= at + 180 * dayMs)) bought += 1;
    }
    return bought / customers;
  }

  it('follows the recovery outcome, as the TARP studies found: quick recovery keeps customers, no recovery loses them', () => {
    const none = boughtAgain(null, 'minor');
    const quickly = boughtAgain('resolved_quickly', 'minor');
    const resolved = boughtAgain('resolved', 'minor');
    const unresolved = boughtAgain('unresolved', 'minor');
    const unresolvedMajor = boughtAgain('unresolved', 'major');
    expect(none).toBeGreaterThan(0.85);
    expect(quickly).toBeGreaterThan(0.8);
    expect(resolved).toBeLessThan(quickly - 0.1);
    expect(unresolved).toBeLessThan(resolved - 0.25);
    expect(unresolvedMajor).toBeLessThan(unresolved);
    expect(boughtAgain('resolved', 'minor', true)).toBe(0);
  });
});
