// Two server processes on one database file take the loyalty.update jobs as customers are marked: each
// customer's standing is written once per mark (one move from prospect to new each), and every mark is taken.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { customerLoyalty, customers, loyaltyChanges, loyaltyStale, purchases } from '../server/db/schema.ts';
import { markLoyaltyStale } from '../server/loyalty/updates.ts';
import { waitFor } from './support/poll.ts';
import { startServerProcess, type ServerProcess } from './support/server.ts';

const dayMs = 86_400_000;
let dir: string;
let databaseUrl: string;
let db: Db;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loyalty-processes-'));
  databaseUrl = `file:${join(dir, 'app.db')}`;
  db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

it('two server processes update each marked customer once', { timeout: 120_000 }, async () => {
  const ids = Array.from({ length: 3000 }, (_, i) => `proc-customer-${String(i).padStart(4, '0')}`);
  const now = Date.now();
  // Purchases that arrived over six seconds, each with its mark, as the purchase intake writes them: six
  // update jobs due at once for the two processes, which start together, to take.
  for (let start = 0; start < ids.length; start += 500) {
    const batch = ids.slice(start, start + 500);
    await db.insert(customers).values(batch.map((id) => ({ id, name: id })));
    await db.transaction(async (tx) => {
      await tx.insert(purchases).values(batch.map((customerId) => ({ customerId, orderId: `order-${customerId}`, occurredAt: now - 3 * dayMs, amountMinor: 5000, currency: 'CNY', source: 'api' as const })));
      await markLoyaltyStale(tx, batch, 'purchase', now - 10_000 + start * 2);
    });
  }
  servers.push(...(await Promise.all([0, 1].map(() => startServerProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' })))));
  await waitFor('every mark to be taken', async () => (await db.$count(loyaltyStale)) === 0 && (await db.$count(customerLoyalty)) === ids.length, {
    withinMs: 60_000,
    everyMs: 100,
  });
  const moves = await db
    .select({ customerId: loyaltyChanges.customerId, n: sql<number>`count(*)` })
    .from(loyaltyChanges)
    .where(eq(loyaltyChanges.field, 'stage'))
    .groupBy(loyaltyChanges.customerId);
  expect(moves).toHaveLength(ids.length);
  expect(moves.filter((move) => Number(move.n) !== 1)).toEqual([]);
});
