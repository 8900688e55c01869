// Two server processes started together on one database file make the day's retention run once: one job for
// the day (and one for the next), taken by one of them on its first attempt, and every due row erased once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { customers, jobs, outgoingMessages, sessions, staffReads, users } from '../server/db/schema.ts';
import { lastRetentionRun, retentionJobKind } from '../server/privacy/retention.ts';
import { nextRunStart, runStart } from '../server/privacy/retention-rules.ts';
import { waitFor } from './support/poll.ts';
import { killerOf, outputOf, startServerProcess, type ServerProcess } from './support/server.ts';

const day = 24 * 3600_000;
let dir: string;
let databaseUrl: string;
let db: Db;
const servers: ServerProcess[] = [];
const killAll = killerOf(servers);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retention-processes-'));
  databaseUrl = `file:${join(dir, 'app.db')}`;
  db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
});
afterAll(async () => {
  killAll();
  await Promise.all(servers.map((server) => server.exited));
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

it('two server processes make the day’s run once, erasing each due row once', { timeout: 120_000 }, async () => {
  const now = Date.now();
  await db.insert(users).values({ id: 'admin-1', email: 'admin@example.com', name: 'Admin', role: 'admin', passwordHash: 'x' });
  await db.insert(customers).values({ id: 'customer-1', name: 'Wang Fang' });
  // More than two batches of each, so the run gives way between batches while the other process is there.
  const count = 1200;
  await db.insert(sessions).values(
    Array.from({ length: count }, (_, i) => ({ tokenHash: `old-${i}`, userId: 'admin-1', csrfToken: 'x', createdAt: now - 90 * day, expiresAt: now - 60 * day - i })),
  );
  await db.insert(sessions).values({ tokenHash: 'recent', userId: 'admin-1', csrfToken: 'x', expiresAt: now - day });
  for (let start = 0; start < count; start += 400) {
    await db.insert(staffReads).values(
      Array.from({ length: 400 }, (_, i) => ({ id: randomUUID(), at: now - 3 * 365 * day - start - i, staffId: 'admin-1', customerId: 'customer-1', route: 'GET /customers/:id', fields: 'name' })),
    );
  }
  await db.insert(outgoingMessages).values(
    Array.from({ length: 300 }, (_, i) => ({ id: randomUUID(), toAddress: 'wang@example.com', subject: 'Hello', text: 'Hello', status: 'sent' as const, customerId: 'customer-1', createdAt: now - 400 * day - i, sentAt: now - 400 * day })),
  );

  servers.push(...(await Promise.all([0, 1].map(() => startServerProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' })))));
  await waitFor(
    `the day's retention run to finish\n${servers.map(outputOf).join('\n')}`,
    async () => (await lastRetentionRun(db))?.finishedAt != null,
    { withinMs: 60_000, everyMs: 100 },
  );

  const run = (await lastRetentionRun(db))!;
  expect(run.start).toBe(runStart(Date.now()));
  expect(run.counts).toMatchObject({ sessions: count, accessLog: count, messages: 300, responses: 0, cases: 0 });
  const retentionJobs = await db.select().from(jobs).where(eq(jobs.kind, retentionJobKind));
  expect(retentionJobs.map((job) => [job.runAt, job.status, job.attempts]).sort()).toEqual(
    [
      [run.start, 'done', 1],
      [nextRunStart(run.start), 'pending', 0],
    ].sort(),
  );
  expect((await db.select({ tokenHash: sessions.tokenHash }).from(sessions)).map((row) => row.tokenHash).filter((hash) => !hash.match(/^[0-9a-f]{64}$/))).toEqual(['recent']);
  expect(await db.$count(staffReads)).toBe(0);
  expect(await db.$count(outgoingMessages)).toBe(0);
});
