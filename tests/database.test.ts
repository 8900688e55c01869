// The embedded database under concurrent work in one process: transactions and writes take turns
// instead of blocking each other (see oneWriterAtATime in server/db/client.ts), and WAL checkpoints run in
// the background (server/db/checkpoints.ts).
import { statSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { settings } from '../server/db/schema.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

it('runs overlapping transactions and writes in one process, each to completion', async () => {
  const transactionWriting = (key: string) =>
    test.db.transaction(async (tx) => {
      await tx.insert(settings).values({ key: `${key}-a`, value: 1 });
      await pause();
      await tx.insert(settings).values({ key: `${key}-b`, value: 2 });
    });
  const results = await Promise.allSettled([
    transactionWriting('one'),
    transactionWriting('two'),
    test.db.insert(settings).values({ key: 'plain', value: 3 }),
    test.db.$client.execute({ sql: 'INSERT INTO settings (key, value) VALUES (?, ?)', args: ['raw', '4'] }),
  ]);
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  const [{ n }] = (await test.db.select({ n: sql<number>`count(*)` }).from(settings)) as [{ n: number }];
  expect(n).toBe(6);
});

it('rolls back a failed transaction and lets the next one through', async () => {
  const failing = test.db.transaction(async (tx) => {
    await tx.insert(settings).values({ key: 'lost', value: 1 });
    await pause();
    throw new Error('stop');
  });
  const next = test.db.transaction(async (tx) => {
    await tx.insert(settings).values({ key: 'kept', value: 1 });
  });
  await expect(failing).rejects.toThrow('stop');
  await next;
  expect((await test.db.select().from(settings)).map((row) => row.key)).toEqual(['kept']);
});

it('copies committed pages into the database file in the background, not in a later write', async () => {
  const file = test.databaseUrl.slice('file:'.length).split('?')[0]!;
  await test.db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const before = statSync(file).size;
  // About 200 pages: well under the 1,000 after which a writer would checkpoint inside its own commit.
  const big = 'x'.repeat(4000);
  await test.db.insert(settings).values(Array.from({ length: 200 }, (_, i) => ({ key: `page-${i}`, value: big })));
  await waitFor('the pages to reach the database file', () => statSync(file).size > before + 200 * 4000);
});
