// Checkpoints in a thread of their own (server/db/checkpoints.ts): a server process's writes leave the copying of
// the log back into the database file to the thread, which keeps the log from growing; without the thread they
// do it themselves again.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkpointerOf, openDatabase, type Db } from '../server/db/client.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'satisfaction-checkpoints-'));
  db = await openDatabase(`file:${join(dir, 'db.sqlite')}`, undefined, { checkpointInBackground: true });
  await db.$client.execute('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
});
afterEach(async () => {
  await checkpointerOf(db)?.stop();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const autocheckpointInTransaction = async () => {
  const tx = await db.$client.transaction('write');
  try {
    return Number((await tx.execute('PRAGMA wal_autocheckpoint')).rows[0]![0]);
  } finally {
    tx.close();
  }
};

const writeBatch = (rows: number) =>
  db.$client.batch(
    [{ sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO blobs (body) SELECT randomblob(1000) FROM n`, args: [rows] }],
    'write',
  );

it("turns the writes' own checkpoints off while the thread runs, and keeps the log short itself", async () => {
  expect(checkpointerOf(db)?.running).toBe(true);
  expect(await autocheckpointInTransaction()).toBe(0);
  const wal = join(dir, 'db.sqlite-wal');
  let largestWal = 0;
  // 40 commits of about 500 kB each: 20 MB through the log, five times what one log of SQLite's default
  // 1,000 pages holds, with no write copying anything back itself.
  for (let batch = 0; batch < 40; batch++) {
    await writeBatch(500);
    await db.$client.execute({ sql: 'INSERT INTO blobs (body) VALUES (?)', args: [new Uint8Array(10)] });
    largestWal = Math.max(largestWal, statSync(wal).size);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const [{ count }] = (await db.$client.execute('SELECT count(*) AS count FROM blobs')).rows as unknown as [{ count: number }];
  expect(Number(count)).toBe(40 * 501);
  expect(checkpointerOf(db)!.checkpoints).toBeGreaterThan(0);
  // The log started again from its beginning as the thread caught up, instead of holding all 20 MB.
  expect(largestWal).toBeLessThan(8 * 1024 * 1024);
});

it('starts the log again while writes never pause', async () => {
  await checkpointerOf(db)!.stop();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'satisfaction-checkpoints-'));
  // A log of 512 pages (2 MB) starts again; 20 MB go through it with no pause between commits.
  db = await openDatabase(`file:${join(dir, 'db.sqlite')}`, undefined, { checkpointInBackground: { restartAtFrames: 512 } });
  await db.$client.execute('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const wal = join(dir, 'db.sqlite-wal');
  let largestWal = 0;
  const started = performance.now();
  let commits = 0;
  // Commits back to back for two seconds at least (the thread looks every tenth of a second).
  while (commits < 40 || performance.now() - started < 2000) {
    await writeBatch(500);
    commits += 1;
    largestWal = Math.max(largestWal, statSync(wal).size);
  }
  // Without starting again, the log would hold every commit (over 20 MB); it stays a small part of that.
  const through = commits * 500_000;
  expect(through).toBeGreaterThan(20 * 1024 * 1024);
  expect(largestWal).toBeLessThan(through / 5);
});

it('gives the writes their own checkpoints back when the thread is gone', async () => {
  await checkpointerOf(db)!.stop();
  expect(checkpointerOf(db)!.running).toBe(false);
  expect(await autocheckpointInTransaction()).toBe(1000);
  const wal = join(dir, 'db.sqlite-wal');
  let largestWal = 0;
  for (let batch = 0; batch < 20; batch++) {
    await writeBatch(500);
    largestWal = Math.max(largestWal, statSync(wal).size);
  }
  expect(largestWal).toBeLessThan(8 * 1024 * 1024);
});
