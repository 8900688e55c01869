// The deadline sweep as it runs in production: two real server processes over one database file, each running
// the job queue, mailing a real SMTP server. Time is moved by writing a case's deadline columns into the past.
// Each at-risk and breach mark reaches the assignee and the team's managers exactly once, each in their own
// language; a process killed mid-sweep neither loses nor doubles a mail; resolved cases nobody answered close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { complaintCases, complaintEvents, jobs, outgoingMessages } from '../server/db/schema.ts';
import { readComplaintSettings, saveComplaintSettings } from '../server/complaints/settings.ts';
import { autoCloseAt } from '../server/complaints/workflow.ts';
import { autoCloseResolved } from '../server/complaints/sweep.ts';
import { saveSubscription } from '../server/insights/settings.ts';
import { insertCase, insertStaff, readMail } from './support/deadline-cases.ts';
import { waitFor } from './support/poll.ts';
import { killerOf, outputOf, startServerProcess, type ServerProcess } from './support/server.ts';
import { startSmtpServer, type TestSmtp } from './support/smtp.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const publicUrl = 'https://cs.example.com';

let dir: string;
let smtp: TestSmtp;
const servers: ServerProcess[] = [];
const databases: Db[] = [];

const killAll = killerOf(servers);

async function startServer(databaseUrl: string): Promise<ServerProcess> {
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Support <support@example.com>',
    MAIL_PER_SECOND: '1000',
    PUBLIC_URL: publicUrl,
    DEADLINE_SWEEP_SECONDS: '1',
    LOG_LEVEL: 'error',
  });
  servers.push(server);
  await waitFor(
    `the server on port ${server.port} to answer\n${outputOf(server)}`,
    async () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf(server)}`);
      return (await fetch(`http://127.0.0.1:${server.port}/health`).catch(() => null))?.ok;
    },
    { withinMs: 30_000, everyMs: 100 },
  );
  return server;
}

async function stop(list: ServerProcess[]) {
  for (const server of list) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await Promise.all(list.map((server) => server.exited));
}

/** A fresh database with the team: an agent, managers who saved a language, one deactivated, and an admin. */
async function freshDatabase(name: string) {
  const databaseUrl = `file:${join(dir, `${name}.db`)}`;
  const db = await openDatabase(databaseUrl);
  databases.push(db);
  await migrateDatabase(db);
  await insertStaff(db, { id: 'agent', role: 'support' });
  await insertStaff(db, { id: 'manager-en', role: 'manager' });
  await insertStaff(db, { id: 'manager-zh', role: 'manager' });
  await insertStaff(db, { id: 'manager-gone', role: 'manager', active: false });
  await insertStaff(db, { id: 'admin', role: 'admin' });
  await saveSubscription(db, 'manager-en', { weeklySummary: false, locale: 'en' });
  await saveSubscription(db, 'manager-zh', { weeklySummary: false, locale: 'zh-CN' });
  // Business time is wall time here, so "time left" can be checked whatever day the test runs.
  const settings = await readComplaintSettings(db);
  await saveComplaintSettings(db, { ...settings, calendar: { ...settings.calendar, alwaysOpen: true } }, 'admin');
  return { db, databaseUrl };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'satisfaction-deadlines-'));
  smtp = await startSmtpServer();
});

afterAll(async () => {
  killAll();
  await Promise.all(servers.map((server) => server.exited));
  await smtp?.close();
  for (const db of databases) db.$client.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function sweepRunsDone(db: Db) {
  const [row] = await db.select({ n: count() }).from(jobs).where(and(eq(jobs.kind, 'complaints.sweep'), eq(jobs.status, 'done')));
  return row!.n;
}

async function mailJobsOpen(db: Db) {
  const [row] = await db
    .select({ n: count() })
    .from(jobs)
    .where(and(eq(jobs.kind, 'mail.send'), inArray(jobs.status, ['pending', 'running'])));
  return row!.n;
}

const mailsAbout = (reference: string) => smtp.received.filter((mail) => readMail(mail).subject.includes(`[${reference}]`)).map(readMail);

describe('the deadline sweep in two server processes', () => {
  let db: Db;
  let pair: ServerProcess[];

  beforeAll(async () => {
    const fresh = await freshDatabase('two-processes');
    db = fresh.db;
    pair = [await startServer(fresh.databaseUrl), await startServer(fresh.databaseUrl)];
  });
  afterAll(async () => stop(pair));

  it('mails each at-risk and breach mark once to the assignee and each active manager, in their language, and escalates the breach', async () => {
    const now = Date.now();
    const atRisk = await insertCase(db, {
      number: 101,
      locale: 'zh-CN',
      assigneeId: 'agent',
      resolutionAtRiskAt: now - 1000,
      resolutionDueAt: now + 2 * hourMs,
      watchAt: now - 1000,
    });
    const breached = await insertCase(db, {
      number: 102,
      locale: 'en',
      severity: 'major',
      assigneeId: 'agent',
      alert: 'at_risk',
      firstResponseAtRiskAt: now - 3 * hourMs,
      firstResponseDueAt: now - 60_000,
      resolutionAtRiskAt: now + 10 * hourMs,
      resolutionDueAt: now + 20 * hourMs,
      watchAt: now - 60_000,
    });
    const quiet = await insertCase(db, { number: 103, assigneeId: 'agent', resolutionAtRiskAt: now + 5 * hourMs, resolutionDueAt: now + 6 * hourMs, watchAt: now + 5 * hourMs });

    await waitFor(
      `the six deadline mails\n${pair.map(outputOf).join('\n')}`,
      () => mailsAbout('C-2026-000101').length + mailsAbout('C-2026-000102').length >= 6,
      { withinMs: 30_000, everyMs: 100 },
    );
    // Three more sweeps after the mails, and every send job finished: a mark mailed twice would show now.
    const runs = await sweepRunsDone(db);
    await waitFor('three more sweeps', async () => (await sweepRunsDone(db)) >= runs + 3, { withinMs: 30_000, everyMs: 100 });
    await waitFor('every send job to finish', async () => (await mailJobsOpen(db)) === 0, { withinMs: 30_000, everyMs: 100 });

    const risky = mailsAbout('C-2026-000101').sort((a, b) => a.to.localeCompare(b.to));
    expect(risky.map((mail) => mail.to)).toEqual(['agent@example.com', 'manager-en@example.com', 'manager-zh@example.com']);
    // The agent saved no language: the case's (Chinese). Each manager gets the language they chose.
    expect(risky[0]!.subject).toMatch(/^\[C-2026-000101\] 解决时限即将到期：剩余 (2 小时|1 小时 59 分钟)（工作时间）$/);
    expect(risky[1]!.subject).toMatch(/^\[C-2026-000101\] Resolution deadline at risk: (2 h|1 h 59 min) left \(business hours\)$/);
    expect(risky[2]!.subject).toBe(risky[0]!.subject);
    for (const mail of risky) expect(mail.text).toContain(`${publicUrl}/app/complaints/cases/${atRisk}`);

    const late = mailsAbout('C-2026-000102').sort((a, b) => a.to.localeCompare(b.to));
    expect(late.map((mail) => mail.to)).toEqual(['agent@example.com', 'manager-en@example.com', 'manager-zh@example.com']);
    expect(late[0]!.subject).toMatch(/^\[C-2026-000102\] First response deadline breached: [12] min over \(business hours\)$/);
    expect(late[0]!.text).toContain('The case was escalated to the managers because the deadline was missed.');
    expect(late[1]!.subject).toBe(late[0]!.subject);
    expect(late[2]!.subject).toMatch(/^\[C-2026-000102\] 首次响应时限已超出 [12] 分钟（工作时间）$/);
    expect(late[2]!.text).toContain('该案件因超出时限已升级给经理处理。');
    expect(late[2]!.text).toContain(`${publicUrl}/app/complaints/cases/${breached}`);

    const copies = new Map<string, number>();
    for (const mail of smtp.received) copies.set(mail.messageId, (copies.get(mail.messageId) ?? 0) + 1);
    expect([...copies].filter(([, times]) => times > 1), 'mails delivered twice').toEqual([]);

    const rows = await db.select().from(complaintCases).where(inArray(complaintCases.id, [atRisk, breached, quiet]));
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(atRisk)).toMatchObject({ alert: 'at_risk', watchAt: now + 2 * hourMs, escalated: false, deadlinesMissed: [], version: 2 });
    expect(byId.get(breached)).toMatchObject({ alert: 'breached', watchAt: now + 10 * hourMs, escalated: true, deadlinesMissed: ['first_response'], version: 2 });
    expect(byId.get(quiet)).toMatchObject({ alert: null, watchAt: now + 5 * hourMs, version: 1 });

    const events = await db
      .select({ caseId: complaintEvents.caseId, type: complaintEvents.type, actor: complaintEvents.actor, dedupeKey: complaintEvents.dedupeKey })
      .from(complaintEvents)
      .where(inArray(complaintEvents.caseId, [atRisk, breached, quiet]))
      .orderBy(complaintEvents.id);
    expect(events).toHaveLength(3);
    expect(events).toEqual(
      expect.arrayContaining([
        { caseId: atRisk, type: 'deadline_at_risk', actor: 'system', dedupeKey: `deadline:${atRisk}:resolution:at_risk:${now + 2 * hourMs}` },
        { caseId: breached, type: 'deadline_breached', actor: 'system', dedupeKey: `deadline:${breached}:first_response:breached:${now - 60_000}` },
        expect.objectContaining({ caseId: breached, type: 'escalated', actor: 'system' }),
      ]),
    );
  });

  it('closes a case resolved closeAfterDays ago with no reply, and no other', async () => {
    const now = Date.now();
    const { closeAfterDays } = await readComplaintSettings(db);
    // Resolving sets a case's watch time to when it closes on its own; the sweep finds it by that.
    const resolved = (resolvedAt: number) => ({ status: 'resolved' as const, resolvedAt, watchAt: autoCloseAt(resolvedAt, closeAfterDays) });
    const stale = await insertCase(db, { number: 201, ...resolved(now - closeAfterDays * dayMs - 60_000) });
    const recent = await insertCase(db, { number: 202, ...resolved(now - (closeAfterDays - 1) * dayMs) });
    const answered = await insertCase(db, { number: 203, ...resolved(now - closeAfterDays * dayMs - 60_000) });
    await db.insert(complaintEvents).values({ caseId: answered, type: 'customer_replied', actor: 'customer', body: 'It is still broken.', public: true, at: now - dayMs });

    await waitFor(
      `the stale case to close\n${pair.map(outputOf).join('\n')}`,
      async () => (await db.select({ status: complaintCases.status }).from(complaintCases).where(eq(complaintCases.id, stale)))[0]?.status === 'closed',
      { withinMs: 30_000, everyMs: 100 },
    );
    const runs = await sweepRunsDone(db);
    await waitFor('two more sweeps', async () => (await sweepRunsDone(db)) >= runs + 2, { withinMs: 30_000, everyMs: 100 });

    const rows = await db
      .select({ id: complaintCases.id, status: complaintCases.status, closedAt: complaintCases.closedAt, outcome: complaintCases.outcome })
      .from(complaintCases)
      .where(inArray(complaintCases.id, [stale, recent, answered]));
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(stale)!.closedAt).not.toBeNull();
    expect(byId.get(stale)!.outcome).not.toBeNull();
    expect(byId.get(recent)!.status).toBe('resolved');
    expect(byId.get(answered)!.status).toBe('resolved');
    const closing = await db
      .select({ type: complaintEvents.type, actor: complaintEvents.actor, before: complaintEvents.before, after: complaintEvents.after, public: complaintEvents.public })
      .from(complaintEvents)
      .where(and(eq(complaintEvents.caseId, stale), eq(complaintEvents.type, 'status_changed')));
    expect(closing).toEqual([
      { type: 'status_changed', actor: 'system', before: { status: 'resolved' }, after: { status: 'closed' }, public: true },
    ]);
  });
});

describe('a backlog of resolved cases past their closing time', () => {
  it('is closed a bounded number per run, oldest first, so the process keeps answering between runs', async () => {
    const { db } = await freshDatabase('backlog');
    const now = Date.now();
    const { closeAfterDays } = await readComplaintSettings(db);
    for (let index = 0; index < 25; index++) {
      const resolvedAt = now - closeAfterDays * dayMs - (index + 1) * 60_000;
      await insertCase(db, { number: 500 + index, status: 'resolved', resolvedAt, watchAt: autoCloseAt(resolvedAt, closeAfterDays) });
    }
    const stillResolved = async () =>
      (await db.select({ n: count() }).from(complaintCases).where(eq(complaintCases.status, 'resolved')))[0]!.n;
    expect(await autoCloseResolved(db, { now, batchSize: 4, maxPerRun: 10 })).toBe(10);
    expect(await stillResolved()).toBe(15);
    // The oldest went first.
    const oldest = await db.select({ status: complaintCases.status }).from(complaintCases).where(eq(complaintCases.number, 524));
    expect(oldest[0]!.status).toBe('closed');
    expect(await autoCloseResolved(db, { now, batchSize: 4, maxPerRun: 10 })).toBe(10);
    expect(await autoCloseResolved(db, { now, batchSize: 4, maxPerRun: 10 })).toBe(5);
    expect(await autoCloseResolved(db, { now, batchSize: 4, maxPerRun: 10 })).toBe(0);
    expect(await stillResolved()).toBe(0);
  });
});

describe('a process killed in the middle of a sweep', () => {
  it('neither loses nor doubles a mail: each case changes with its mails or not at all, and the other process finishes', async () => {
    const { db, databaseUrl } = await freshDatabase('killed');
    const cases = 600;
    const now = Date.now();
    await db.insert(complaintCases).values(
      Array.from({ length: cases }, (_, n) => ({
        id: `killed-${String(n).padStart(4, '0')}`,
        number: 5000 + n,
        reference: `C-2026-${String(5000 + n).padStart(6, '0')}`,
        status: 'in_progress' as const,
        source: 'agent' as const,
        channel: 'phone' as const,
        category: 'delivery',
        description: 'Late.',
        locale: 'en' as const,
        assigneeId: 'agent',
        resolutionAtRiskAt: now - 1000 - n,
        resolutionDueAt: now + 2 * hourMs,
        watchAt: now - 1000 - n,
        statusToken: `status-${n}`,
        replyToken: `reply-${n}`,
      })),
    );
    const recipients = 3;
    const first = await startServer(databaseUrl);
    // Killed as soon as the first batch of marks is in: mid-sweep, with the mails of that batch not yet sent.
    await waitFor(
      `the first marks\n${outputOf(first)}`,
      async () => {
        const [row] = await db.select({ n: count() }).from(complaintEvents).where(eq(complaintEvents.type, 'deadline_at_risk'));
        return row!.n > 0;
      },
      { withinMs: 30_000, everyMs: 2 },
    );
    first.child.kill('SIGKILL');
    await first.exited;

    // What the killed process left: every case it changed has its event and all its mails, and no other case has any.
    const [changed] = await db.select({ n: count() }).from(complaintCases).where(sql`${complaintCases.version} > 1`);
    const [marks] = await db.select({ n: count() }).from(complaintEvents).where(eq(complaintEvents.type, 'deadline_at_risk'));
    const [queued] = await db.select({ n: count() }).from(outgoingMessages).where(sql`${outgoingMessages.topic} LIKE 'complaints/killed-%'`);
    expect(changed!.n).toBeGreaterThan(0);
    expect(marks!.n).toBe(changed!.n);
    expect(queued!.n).toBe(changed!.n * recipients);

    const second = await startServer(databaseUrl);
    await waitFor(
      `every mark's mails sent\n${[first, second].map(outputOf).join('\n')}`,
      async () => {
        const [sent] = await db
          .select({ n: count() })
          .from(outgoingMessages)
          .where(and(eq(outgoingMessages.status, 'sent'), sql`${outgoingMessages.topic} LIKE 'complaints/killed-%'`));
        return sent!.n === cases * recipients;
      },
      // Send jobs the killed process held come back when their leases (30 s) run out.
      { withinMs: 90_000, everyMs: 200 },
    );
    await waitFor('every send job to finish', async () => (await mailJobsOpen(db)) === 0, { withinMs: 30_000, everyMs: 100 });
    await stop([second]);

    const [allMarks] = await db.select({ n: count() }).from(complaintEvents).where(eq(complaintEvents.type, 'deadline_at_risk'));
    expect(allMarks!.n).toBe(cases);
    // One distinct message per case and recipient reached the SMTP server: none lost, none made twice. (A copy of
    // the same message, with the same Message-ID, may arrive twice when the kill cut a send short after the
    // server accepted it: the mailer's documented at-least-once delivery.)
    const perCaseAndRecipient = new Map<string, Set<string>>();
    for (const mail of smtp.received) {
      const { subject } = readMail(mail);
      const reference = /\[(C-2026-00(5\d{3}))\]/.exec(subject)?.[1];
      if (!reference) continue;
      const key = `${reference}/${mail.to.join(',')}`;
      const ids = perCaseAndRecipient.get(key) ?? new Set<string>();
      ids.add(mail.messageId);
      perCaseAndRecipient.set(key, ids);
    }
    expect(perCaseAndRecipient.size).toBe(cases * recipients);
    expect([...perCaseAndRecipient].filter(([, ids]) => ids.size !== 1), 'marks mailed as two different messages').toEqual([]);
  }, 180_000);
});
