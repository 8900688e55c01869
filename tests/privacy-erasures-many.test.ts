// Erasing many customers in one request (POST /api/privacy/erasures): customers named by our ids or by external
// ids, worked by a job a batch at a time with its progress readable (GET /api/privacy/erasures/:id), a legal
// hold keeping its customer, unknown keys counted, and keys of customers erased before counted as such.
import { randomUUID } from 'node:crypto';
import { inArray, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, privacyRequests } from '../server/db/schema.ts';
import { startWorker, type Worker } from '../server/jobs/queue.ts';
import { erasureBatchSize, erasureRunHandlers } from '../server/privacy/erasure-runs.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';

let test: TestApp;
let admin: StaffClient;
let manager: StaffClient;
let worker: Worker;
const count = erasureBatchSize * 2 + 37;
const ids = Array.from({ length: count }, () => randomUUID());
const heldId = ids[700]!;
const keptId = randomUUID();

beforeAll(async () => {
  test = await startTestApp();
  admin = await signedInAs(test, 'admin');
  manager = await signedInAs(test, 'manager');
  const rows = ids.map((id, index) => ({ id, externalId: `EXT-${index}`, name: `Customer ${index}`, email: `c${index}@example.com`, segment: 'retail' }));
  for (let start = 0; start < rows.length; start += 200) await test.db.insert(customers).values(rows.slice(start, start + 200));
  await test.db.insert(customers).values({ id: keptId, name: 'Kept', email: 'kept@example.com' });
  await test.db.update(customers).set({ legalHold: 'Tax audit 2026' }).where(inArray(customers.id, [heldId]));
  worker = startWorker({ db: test.db, handlers: erasureRunHandlers({ db: test.db }), processId: 'erasures', pollMs: 20, backoff: { baseMs: 10, maxMs: 40 }, onProblem: () => {} });
});
afterAll(async () => {
  await worker.stop();
  test.close();
});

describe('erasing many customers at once', () => {
  it('erases them all in a job with progress, keeping the one under a legal hold and counting unknown keys', async () => {
    // The first half by our ids, the rest by their external ids; two keys name no one.
    const half = Math.floor(count / 2);
    const body = {
      reason: 'Accounts closed in 2020, kept past their time',
      customerIds: [...ids.slice(0, half), randomUUID()],
      externalIds: [...ids.slice(half).map((_id, index) => `EXT-${half + index}`), 'EXT-nobody'],
    };
    expect((await manager.request('POST', '/api/privacy/erasures', body)).status).toBe(403);
    const started = await admin.request('POST', '/api/privacy/erasures', body);
    expect(started.status).toBe(202);
    const { erasure } = await started.json();
    expect(erasure).toMatchObject({ total: count, unknown: 2 });

    const finished = await waitFor('the erasure to finish', async () => {
      const { erasure: now } = await (await admin.request('GET', `/api/privacy/erasures/${erasure.id}`)).json();
      expect(now.done).toBeLessThanOrEqual(count);
      return now.status === 'done' && now;
    }, { withinMs: 60_000 });
    expect(finished).toMatchObject({ done: count, erased: count - 1, alreadyErased: 0, held: [{ id: heldId, reason: 'Tax audit 2026' }] });

    const erased = await test.db.select({ id: customers.id, name: customers.name, email: customers.email }).from(customers).where(isNotNull(customers.erasedAt));
    expect(erased).toHaveLength(count - 1);
    expect(erased.every((row) => row.name === '' && row.email === null)).toBe(true);
    const untouched = await test.db.select({ id: customers.id, name: customers.name }).from(customers).where(inArray(customers.id, [heldId, keptId]));
    expect(untouched.map((row) => row.name).sort()).toEqual(['Customer 700', 'Kept']);
    expect(await test.db.select().from(privacyRequests)).toHaveLength(count - 1);
  });

  it('counts an external id of a customer erased before as already erased, not as unknown', async () => {
    const started = await admin.request('POST', '/api/privacy/erasures', { reason: 'Asked again', externalIds: ['EXT-3', 'EXT-nobody'] });
    const { erasure } = await started.json();
    expect(erasure).toMatchObject({ total: 0, unknown: 1, alreadyErased: 1 });
  });

  it('says what is wrong with a request naming no one, or no reason', async () => {
    const empty = await admin.request('POST', '/api/privacy/erasures', { reason: 'Closed', customerIds: [] });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/customerIds/);
    const noReason = await admin.request('POST', '/api/privacy/erasures', { customerIds: [keptId] });
    expect(noReason.status).toBe(400);
    expect((await admin.request('GET', `/api/privacy/erasures/${randomUUID()}`)).status).toBe(404);
  });
});
