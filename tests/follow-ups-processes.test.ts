// Two real server processes over one database file: both schedule the hourly follow-up plan when they start, it
// runs once, and every customer who bought gets exactly one thank-you through the real SMTP server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { customers, followUps, jobs, purchases } from '../server/db/schema.ts';
import { dayMs } from '../server/loyalty/follow-up-rules.ts';
import { followUpPlanKind } from '../server/loyalty/follow-ups.ts';
import { waitFor } from './support/poll.ts';
import { killerOf, outputOf, startServerProcess, type ServerProcess } from './support/server.ts';
import { startSmtpServer, type TestSmtp } from './support/smtp.ts';

const buyers = 120;
let dir: string;
let db: Db;
let smtp: TestSmtp;
const servers: ServerProcess[] = [];

const killAll = killerOf(servers);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'satisfaction-follow-ups-'));
  const databaseUrl = `file:${join(dir, 'app.db')}`;
  db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  smtp = await startSmtpServer();
  await db.insert(customers).values(
    Array.from({ length: buyers }, (_, n) => ({
      id: `buyer-${n}`,
      name: `Buyer ${n}`,
      email: `buyer${n}@example.org`,
      locale: n % 2 === 0 ? ('zh-CN' as const) : ('en' as const),
      consents: { email: ['follow_up' as const] },
    })),
  );
  await db.insert(purchases).values(
    Array.from({ length: buyers }, (_, n) => ({ customerId: `buyer-${n}`, orderId: `P-${n}`, occurredAt: Date.now() - 4 * dayMs, amountMinor: 9900, currency: 'CNY', source: 'api' as const })),
  );
  for (let n = 0; n < 2; n += 1) {
    servers.push(
      await startServerProcess({ DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, MAIL_FROM: 'Service <service@example.com>', MAIL_PER_SECOND: '200', LOG_LEVEL: 'error' }),
    );
  }
  for (const server of servers) {
    await waitFor(
      `the server on port ${server.port} to answer\n${outputOf(server)}`,
      async () => {
        if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf(server)}`);
        return (await fetch(`http://127.0.0.1:${server.port}/health`).catch(() => null))?.ok;
      },
      { withinMs: 30_000, everyMs: 100 },
    );
  }
}, 60_000);

afterAll(async () => {
  killAll();
  await Promise.all(servers.map((server) => server.exited));
  await smtp?.close();
  db?.$client.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('plans the follow-ups once however many processes schedule them, and sends each thank-you once', async () => {
  await waitFor(
    `every buyer's thank-you to arrive\n${servers.map(outputOf).join('\n')}`,
    async () => smtp.received.length >= buyers,
    { withinMs: 60_000, everyMs: 100 },
  );
  await waitFor('every job to finish', async () => {
    const [running] = await db.select({ n: count() }).from(jobs).where(and(inArray(jobs.kind, ['mail.send', followUpPlanKind]), eq(jobs.status, 'running')));
    const [pendingMail] = await db.select({ n: count() }).from(jobs).where(and(eq(jobs.kind, 'mail.send'), eq(jobs.status, 'pending')));
    return running!.n === 0 && pendingMail!.n === 0;
  });
  const perRecipient = new Map<string, number>();
  for (const mail of smtp.received) for (const to of mail.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  expect(perRecipient.size).toBe(buyers);
  expect([...perRecipient.values()].every((times) => times === 1)).toBe(true);
  const [made] = await db.select({ n: count() }).from(followUps).where(eq(followUps.kind, 'thank_you'));
  expect(made!.n).toBe(buyers);

  // One run per hour, though both processes asked for it: the first done, the next hour's waiting (one more if
  // the test ran across the turn of an hour).
  const runs = await db.select({ status: jobs.status, runAt: jobs.runAt }).from(jobs).where(eq(jobs.kind, followUpPlanKind)).orderBy(jobs.runAt);
  expect(new Set(runs.map((run) => run.runAt)).size).toBe(runs.length);
  expect(runs[0]).toMatchObject({ status: 'done' });
  expect(runs.at(-1)).toMatchObject({ status: 'pending' });
  expect(runs.at(-1)!.runAt - runs[0]!.runAt).toBeLessThanOrEqual(2 * 3600_000);
});
