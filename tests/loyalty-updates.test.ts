// Incremental loyalty updates: the `loyalty.update` job run by two workers on their own connections takes
// each mark once, a mark made after an update read the marks stays for the next round, and answers from a
// known customer and case changes that move the complaint's status, severity or outcome mark the customer.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCases } from '../server/complaints/opening.ts';
import { readComplaintSettings } from '../server/complaints/settings.ts';
import type { Db } from '../server/db/client.ts';
import { complaintCases, customerLoyalty, customers, jobs, loyaltyChanges, loyaltyStale, purchases, surveys } from '../server/db/schema.ts';
import { startWorker, type Worker } from '../server/jobs/queue.ts';
import { countedRequest } from '../server/jobs/paced.ts';
import { recomputeLoyalty } from '../server/loyalty/recompute.ts';
import { drainStale, loyaltyJobHandlers, readStaleMarks, staleBatchSize, updateMarked } from '../server/loyalty/updater.ts';
import { customersWaitingForUpdate, foldNewPurchases, loyaltyUpdateJobKind, markLoyaltyStale } from '../server/loyalty/updates.ts';
import { writeResponses } from '../server/responses/intake.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { changeCase } from '../server/complaints/store.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { resolveTestCase } from './support/complaints.ts';
import { waitFor } from './support/poll.ts';

const dayMs = 86_400_000;
let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

async function addCustomers(db: Db, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `c-${String(i).padStart(5, '0')}-${randomUUID().slice(0, 8)}`);
  for (let start = 0; start < ids.length; start += 200) {
    await db.insert(customers).values(ids.slice(start, start + 200).map((id) => ({ id, name: `Customer ${id}` })));
  }
  return ids;
}

async function buy(db: Db, customerId: string, at: number, amount = 10_000) {
  await db.insert(purchases).values({ customerId, orderId: randomUUID(), occurredAt: at, amountMinor: amount, currency: 'CNY', source: 'api' });
}

describe('the loyalty.update job', () => {
  it('folds each stored purchase into a mark once, a limited number at a time, and is done only when none waits', async () => {
    const ids = await addCustomers(test.db, 30);
    const now = Date.now();
    for (const id of ids) await buy(test.db, id, now - dayMs);
    // A second purchase of the first customer: one mark for both.
    await buy(test.db, ids[0]!, now - 2 * dayMs);
    expect(await test.db.$count(loyaltyStale)).toBe(0);
    expect(await customersWaitingForUpdate(test.db)).toEqual([...ids].sort());

    // Two folds at once take different purchases.
    expect(await Promise.all([foldNewPurchases(test.db, { limit: 10 }), foldNewPurchases(test.db, { limit: 10 })])).toEqual([10, 10]);
    expect(await test.db.$count(loyaltyStale)).toBe(20);
    expect(await foldNewPurchases(test.db, { limit: 100 })).toBe(11);
    expect(await foldNewPurchases(test.db)).toBe(0);
    expect(await test.db.$count(loyaltyStale)).toBe(30);

    // The job folds what arrives after, and finishes with nothing waiting.
    const late = (await addCustomers(test.db, 1))[0]!;
    await buy(test.db, late, now);
    let completed = false;
    const context = { jobId: 'x', attempt: 1, maxAttempts: 3, isLastAttempt: false, signal: new AbortController().signal, completeIn: async () => (completed = true) };
    await loyaltyJobHandlers({ db: test.db })[loyaltyUpdateJobKind]!({}, context);
    expect(completed).toBe(true);
    expect(await customersWaitingForUpdate(test.db)).toEqual([]);
    expect(await test.db.$count(customerLoyalty)).toBe(31);
  });

  it('run by two workers at once, updates each marked customer once per mark', { timeout: 90_000 }, async () => {
    const ids = await addCustomers(test.db, 300);
    const now = Date.now();
    await test.db.insert(purchases).values(ids.map((customerId) => ({ customerId, orderId: randomUUID(), occurredAt: now - 10 * dayMs, amountMinor: 10_000, currency: 'CNY', source: 'api' as const })));
    // Marked over five seconds: five jobs, all due, for two workers to take at the same time.
    for (let second = 0; second < 5; second++) {
      await test.db.transaction((tx) => markLoyaltyStale(tx, ids.slice(second * 60, second * 60 + 60), 'purchase', now - 5000 + second * 1000));
    }
    expect(await test.db.$count(jobs, eq(jobs.kind, loyaltyUpdateJobKind))).toBe(5);

    // Two workers as two server processes run them (one process's writes take turns on its connection, as
    // in the server; the marks are what keeps two workers from writing a customer twice).
    const workers: Worker[] = [0, 1].map((i) =>
      startWorker({ db: test.db, handlers: loyaltyJobHandlers({ db: test.db }), processId: `loyalty-${i}`, pollMs: 10, concurrency: 2, onProblem: () => {} }),
    );
    try {
      await waitFor('every update job to finish', async () => (await test.db.$count(jobs, sql`${jobs.kind} = ${loyaltyUpdateJobKind} AND ${jobs.status} <> 'done'`)) === 0, {
        withinMs: 60_000,
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(await test.db.$count(loyaltyStale)).toBe(0);
    expect(await test.db.$count(customerLoyalty)).toBe(300);
    // One move from prospect to new per customer: no customer was written twice.
    const moves = await test.db
      .select({ customerId: loyaltyChanges.customerId, n: sql<number>`count(*)` })
      .from(loyaltyChanges)
      .where(eq(loyaltyChanges.field, 'stage'))
      .groupBy(loyaltyChanges.customerId);
    expect(moves).toHaveLength(300);
    expect(moves.every((move) => Number(move.n) === 1)).toBe(true);
    const [change] = await test.db.select().from(loyaltyChanges).where(eq(loyaltyChanges.customerId, ids[0]!));
    expect(change).toMatchObject({ field: 'stage', before: 'prospect', after: 'new', cause: 'purchase' });
  });

  it('runs again for a mark made in the same second after the second\'s job finished', async () => {
    const [first, second] = await addCustomers(test.db, 2);
    const now = Math.floor(Date.now() / 1000) * 1000;
    await buy(test.db, first!, now - dayMs);
    await buy(test.db, second!, now - dayMs);
    const worker = startWorker({ db: test.db, handlers: loyaltyJobHandlers({ db: test.db }), processId: 'loyalty-once', pollMs: 10, onProblem: () => {} });
    try {
      await test.db.transaction((tx) => markLoyaltyStale(tx, [first!], 'purchase', now));
      await waitFor('the first customer\'s row', async () => (await test.db.$count(customerLoyalty, eq(customerLoyalty.customerId, first!))) === 1);
      await waitFor('the job to finish', async () => (await test.db.$count(jobs, eq(jobs.status, 'done'))) === 1);
      // Same second, same job key: the finished job runs again rather than leaving the mark waiting.
      await test.db.transaction((tx) => markLoyaltyStale(tx, [second!], 'purchase', now + 1));
      await waitFor('the second customer\'s row', async () => (await test.db.$count(customerLoyalty, eq(customerLoyalty.customerId, second!))) === 1);
    } finally {
      await worker.stop();
    }
    expect(await test.db.$count(jobs, eq(jobs.kind, loyaltyUpdateJobKind))).toBe(1);
  });

  it('leaves a mark made after it read the marks for the next round, even within the same millisecond', async () => {
    const [id] = await addCustomers(test.db, 1);
    const now = Date.now();
    await buy(test.db, id!, now - 400 * dayMs);
    await test.db.transaction((tx) => markLoyaltyStale(tx, [id!], 'purchase', now));
    const marks = await readStaleMarks(test.db);
    expect(marks).toHaveLength(1);
    // A second purchase arrives while the update works: marked at the same millisecond as the first.
    await buy(test.db, id!, now - 1000);
    await test.db.transaction((tx) => markLoyaltyStale(tx, [id!], 'purchase', now));
    expect(await updateMarked(test.db, marks)).toEqual({ updated: 0, skipped: 1 });
    expect(await test.db.$count(loyaltyStale)).toBe(1);
    // The next round takes it, and sees both purchases.
    expect(await drainStale(test.db)).toBe(1);
    expect(await test.db.$count(loyaltyStale)).toBe(0);
    const [row] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, id!));
    expect(row).toMatchObject({ purchaseCount: 2, lastPurchaseAt: now - 1000 });
  });

  it('while a burst of marks waits, rests between full rounds so the process answers other work', async () => {
    const ids = await addCustomers(test.db, 450);
    const now = Date.now();
    for (const id of ids) await buy(test.db, id, now - 10 * dayMs);
    await test.db.transaction((tx) => markLoyaltyStale(tx, ids, 'purchase', now));
    // Work that arrives meanwhile (a request), standing in as a timer: it runs after the first full round,
    // before the marks are all worked through.
    const order: string[] = [];
    let timers = 0;
    const tick = () => {
      timers += 1;
      order.push('timer');
    };
    setTimeout(tick, 1);
    expect(await drainStale(test.db).then((done) => (order.push('drained'), done))).toBe(450);
    expect(timers).toBe(1);
    expect(order).toEqual(['timer', 'drained']);
  });

  it('leaves the purchases a full recompute read to it, and folds those stored after', async () => {
    const ids = await addCustomers(test.db, 5);
    const now = Date.now();
    for (const id of ids) await buy(test.db, id, now - 3 * dayMs);
    expect(await customersWaitingForUpdate(test.db)).toEqual([...ids].sort());
    await recomputeLoyalty(test.db);
    expect(await customersWaitingForUpdate(test.db)).toEqual([]);
    await buy(test.db, ids[2]!, now);
    expect(await customersWaitingForUpdate(test.db)).toEqual([ids[2]]);
    expect(await foldNewPurchases(test.db)).toBe(1);
  });

  it('while the process answers a request, takes one full round and then waits for it to end', async () => {
    const ids = await addCustomers(test.db, 450);
    const now = Date.now();
    for (const id of ids) await buy(test.db, id, now - 10 * dayMs);
    let answered!: () => void;
    const request = countedRequest(() => new Promise<void>((resolve) => (answered = resolve)));
    const draining = drainStale(test.db);
    await waitFor('the first round', async () => (await test.db.$count(customerLoyalty)) > 0);
    expect(await test.db.$count(customerLoyalty)).toBe(staleBatchSize);
    // Well within busyWaitMs: no second round while the request is being answered.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await test.db.$count(customerLoyalty)).toBe(staleBatchSize);
    answered();
    await request;
    expect(await draining).toBe(450);
  });

  it('keeps customers.tier when it was set by hand, and sets it from value otherwise', async () => {
    const ids = await addCustomers(test.db, 10);
    await test.db.update(customers).set({ tier: 'ordinary', tierSetByHand: true }).where(eq(customers.id, ids[9]!));
    const now = Date.now();
    // The two biggest spenders hold over half the value.
    for (const [i, id] of ids.entries()) await buy(test.db, id, now - 5 * dayMs, i >= 8 ? 1_000_000 : 10_000);
    await test.db.transaction((tx) => markLoyaltyStale(tx, ids, 'purchase', now));
    await drainStale(test.db);
    const tiers = new Map((await test.db.select({ id: customers.id, tier: customers.tier }).from(customers)).map((row) => [row.id, row.tier]));
    expect(tiers.get(ids[8]!)).toBe('vip');
    expect(tiers.get(ids[9]!)).toBe('ordinary');
    const [handSet] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, ids[9]!));
    expect(handSet!.computedTier).toBe('vip');
  });
});

describe('what marks a customer stale', () => {
  it('an answer from a known customer, and not an anonymous one', async () => {
    const [id] = await addCustomers(test.db, 1);
    const { id: surveyId } = await createSurvey(test.db, { templateId: 'relationship-nps', createdBy: null });
    await publish(test.db, { id: surveyId, publishedBy: 'test' });
    const [survey] = await test.db.select().from(surveys).where(eq(surveys.id, surveyId));
    const answer = (customerId: string | null) => ({
      id: randomUUID(),
      surveyId,
      versionId: survey!.latestVersionId!,
      channel: 'web' as const,
      locale: 'en' as const,
      answers: { nps: 10 },
      startedAt: null,
      submittedAt: Date.now(),
      durationMs: null,
      interviewerId: null,
      hiddenFields: null,
      customerId,
    });
    await test.db.transaction((tx) => writeResponses(tx, [answer(null)]));
    expect(await test.db.$count(loyaltyStale)).toBe(0);
    await test.db.transaction((tx) => writeResponses(tx, [answer(id!)]));
    expect(await test.db.select({ customerId: loyaltyStale.customerId, cause: loyaltyStale.cause }).from(loyaltyStale)).toEqual([{ customerId: id, cause: 'response' }]);
    // The answer counts in the customer's attitude once the update runs.
    await drainStale(test.db);
    const [row] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, id!));
    expect(row!.parts!.attitude.recommendation).toMatchObject({ value: 100, scale: '0-10' });
  });

  it('a case opened for a customer, and a change of its status, but not an assignment', async () => {
    const [id] = await addCustomers(test.db, 1);
    const [opened] = await openCases(
      test.db,
      [{ source: 'agent', channel: 'phone', category: 'delivery', description: 'Late.', locale: 'en', customerId: id!, contactConsent: false, actor: { type: 'staff', id: null, name: 'Agent' } }],
      await readComplaintSettings(test.db),
    );
    expect(await test.db.select({ cause: loyaltyStale.cause }).from(loyaltyStale).where(eq(loyaltyStale.customerId, id!))).toEqual([{ cause: 'case' }]);
    await drainStale(test.db);
    const [before] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, opened!.id));
    await test.db.transaction((tx) => changeCase(tx, before!, { escalated: true }));
    expect(await test.db.$count(loyaltyStale)).toBe(0);
    await resolveTestCase(test.db, opened!.id);
    expect(await test.db.$count(loyaltyStale, eq(loyaltyStale.customerId, id!))).toBe(1);
  });
});

describe('the score before a complaint', () => {
  it('is taken from the standing before the case came in, and kept while that case is the worst', async () => {
    const ids = await addCustomers(test.db, 6);
    const id = ids[0]!;
    const now = Date.now();
    // Six customers with purchases, so the customer's RFM has others to be ranked against.
    for (const [i, customerId] of ids.entries()) for (let k = 0; k <= i; k++) await buy(test.db, customerId, now - (k * 30 + 5) * dayMs);
    const { id: surveyId } = await createSurvey(test.db, { templateId: 'relationship-nps', createdBy: null });
    await publish(test.db, { id: surveyId, publishedBy: 'test' });
    const [survey] = await test.db.select().from(surveys).where(eq(surveys.id, surveyId));
    await test.db.transaction((tx) =>
      writeResponses(tx, [
        { id: randomUUID(), surveyId, versionId: survey!.latestVersionId!, channel: 'web', locale: 'en', answers: { nps: 9 }, startedAt: null, submittedAt: now - dayMs, durationMs: null, interviewerId: null, hiddenFields: null, customerId: id },
      ]),
    );
    await test.db.transaction((tx) => markLoyaltyStale(tx, ids, 'purchase'));
    await drainStale(test.db);
    const [before] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, id));
    expect(before!.score).not.toBeNull();
    expect(before!.parts!.recovery.caseId).toBeNull();

    const [opened] = await openCases(
      test.db,
      [{ source: 'agent', channel: 'phone', category: 'delivery', severity: 'major', description: 'Broken.', locale: 'en', customerId: id, contactConsent: false, actor: { type: 'staff', id: null, name: 'Agent' } }],
      await readComplaintSettings(test.db),
    );
    await drainStale(test.db);
    const [during] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, id));
    expect(during!.parts!.recovery).toMatchObject({ caseId: opened!.id, cappedAt: before!.score });
    expect(during!.score!).toBeLessThan(before!.score!);

    // The customer buys a lot more afterwards: the level before the complaint stays what it was.
    for (let k = 0; k < 4; k++) await buy(test.db, id, now - (k + 1) * 3600_000, 1_000_000);
    await test.db.transaction((tx) => markLoyaltyStale(tx, [id], 'purchase'));
    await drainStale(test.db);
    const [later] = await test.db.select().from(customerLoyalty).where(eq(customerLoyalty.customerId, id));
    expect(later!.parts!.recovery.cappedAt).toBe(before!.score);
  });
});
