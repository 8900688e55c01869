// The embedded database under concurrent work in one process: transactions and writes take turns
// instead of blocking each other (see oneWriterAtATime in server/db/client.ts).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { settings } from '../server/db/schema.ts';
import { startTestApp, type TestApp } from './support/app.ts';

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
