// The loyalty figures are kept per view for a minute (figuresMaxAgeMs): a reading answers until it is that old,
// the first request after it still gets it while a new reading is made, and the at-risk list is read every time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerLoyalty, customers } from '../server/db/schema.ts';
import { insightContext, resolveFilter } from '../server/insights/filter.ts';
import { figuresMaxAgeMs, loyaltyReport } from '../server/loyalty/figures.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test?.close());

async function place(id: string, atRisk: boolean) {
  await test.db.insert(customers).values({ id, name: id });
  await test.db.insert(customerLoyalty).values({ customerId: id, stage: 'regular', atRisk, atRiskReasons: atRisk ? ['falling_recency'] : [], computedAt: 0 });
}

describe('the kept loyalty figures', () => {
  it('answer from the last reading for a minute, then are read again, while the at-risk list is always current', async () => {
    const context = await insightContext(test.db);
    const filter = resolveFilter({}, context.today, context.surveys);
    const t0 = Date.now();
    await place('first', false);
    const first = await loyaltyReport(context, filter, 'value_desc', t0);
    expect(first.stages.find((row) => row.stage === 'regular')!.customers).toBe(1);

    await place('second', true);
    const soon = await loyaltyReport(context, filter, 'value_desc', t0 + figuresMaxAgeMs - 1);
    expect(soon.computedAt).toBe(t0);
    expect(soon.stages.find((row) => row.stage === 'regular')!.customers).toBe(1);
    expect(soon.atRisk.rows.map((row) => row.customerId)).toEqual(['second']);

    // The first request after a minute still gets the old reading, and a new one is made behind it.
    const late = await loyaltyReport(context, filter, 'value_desc', t0 + figuresMaxAgeMs);
    expect(late.computedAt).toBe(t0);
    await expect
      .poll(async () => (await loyaltyReport(context, filter, 'value_desc', t0 + figuresMaxAgeMs + 1)).stages.find((row) => row.stage === 'regular')!.customers)
      .toBe(2);
    const renewed = await loyaltyReport(context, filter, 'value_desc', t0 + figuresMaxAgeMs + 2);
    expect(renewed.computedAt).toBe(t0 + figuresMaxAgeMs);
  });

  it('keeps views apart: another segment is read on its own', async () => {
    const context = await insightContext(test.db);
    const t0 = Date.now();
    const segment = await loyaltyReport(context, resolveFilter({ segment: 'nobody' }, context.today, context.surveys), 'value_desc', t0);
    expect(segment.customers).toBe(0);
    expect(segment.stages.every((row) => row.customers === 0)).toBe(true);
  });
});
