// Two real server processes over one database file drain a mail queue together: every message reaches the
// SMTP server exactly once, and both processes send some of them. Beside a process without SMTP_URL, the
// process with one sends every message, and the other takes none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { createCampaign, launchCampaign } from '../server/campaigns/service.ts';
import { campaignInvitations, customers, jobs, outgoingMessages } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { queueMessages } from '../server/mail/mailer.ts';
import { waitFor } from './support/poll.ts';
import { startServerProcess, type ServerProcess } from './support/server.ts';
import { startSmtpServer, type TestSmtp } from './support/smtp.ts';

const messageCount = 500;

let dir: string;
let db: Db;
let smtp: TestSmtp;
const servers: ServerProcess[] = [];

function killAll() {
  for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
}
// Even if vitest itself is torn down, no server process outlives the test run.
process.once('exit', killAll);

async function startServer(databaseUrl: string, smtpUrl: string | undefined): Promise<ServerProcess> {
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
    MAIL_FROM: 'Survey Team <survey@example.com>',
    MAIL_PER_SECOND: '100',
    LOG_LEVEL: 'error',
  });
  servers.push(server);
  return server;
}

function outputOf(server: ServerProcess) {
  return `--- server on port ${server.port} said:\n${server.output.join('')}`;
}

async function answering(server: ServerProcess) {
  await waitFor(
    `the server on port ${server.port} to answer\n${outputOf(server)}`,
    async () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf(server)}`);
      return (await fetch(`http://127.0.0.1:${server.port}/health`).catch(() => null))?.ok;
    },
    { withinMs: 30_000, everyMs: 100 },
  );
}

let databaseUrl: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'satisfaction-mail-processes-'));
  databaseUrl = `file:${join(dir, 'app.db')}`;
  db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  smtp = await startSmtpServer();
});

afterAll(async () => {
  killAll();
  await Promise.all(servers.map((server) => server.exited));
  await smtp?.close();
  db?.$client.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a process without SMTP_URL beside one with it', () => {
  it('leaves every message to the process that can send: none held, none taken by the other', async () => {
    // The process without SMTP_URL starts first, and runs the background work it can.
    const withoutSmtp = await startServer(databaseUrl, undefined);
    let withSmtp: ServerProcess | undefined;
    try {
      await checkMixed(withoutSmtp, async () => (withSmtp = await startServer(databaseUrl, smtp.url)));
    } finally {
      // The next test starts its own pair: these two stop here, however this one ended.
      for (const server of [withoutSmtp, withSmtp]) if (server?.child.exitCode === null) server.child.kill('SIGTERM');
      await Promise.all([withoutSmtp.exited, withSmtp?.exited]);
      servers.splice(0);
      smtp.received.splice(0);
    }
  });
});

/** The process without SMTP_URL looks at the queue and leaves the send jobs; the one started with it sends them all. */
async function checkMixed(withoutSmtp: ServerProcess, startWithSmtp: () => Promise<ServerProcess>) {
  await answering(withoutSmtp);
  const ids = await queueMessages(
    db,
    Array.from({ length: 100 }, (_, n) => ({ to: `mixed${n}@example.org`, subject: `Mixed ${n}`, text: 'x', topic: `mixed-test:${n}` })),
  );
  // A campaign launch queued after the messages: once it is done, that process has looked at the queue since.
  const survey = await createSurvey(db, { templateId: 'transactional-csat', createdBy: null });
  await publish(db, { id: survey.id, publishedBy: 'mail-processes-test' });
  const campaign = await createCampaign(db, { name: 'Nobody yet', surveyId: survey.id, delivery: 'email', audience: { segment: 'none' } }, null);
  await launchCampaign(db, campaign.id);
  await waitFor(
    `the launch job to be done\n${outputOf(withoutSmtp)}`,
    async () => {
      const [launch] = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.dedupeKey, `campaign.launch:${campaign.id}`));
      return launch?.status === 'done';
    },
    { withinMs: 30_000, everyMs: 100 },
  );
  const sendJobs = () => db.select().from(jobs).where(inArray(jobs.dedupeKey, ids.map((id) => `mail.send:${id}`)));
  expect((await sendJobs()).map((job) => [job.status, job.attempts, job.leasedBy])).toEqual(ids.map(() => ['pending', 0, null]));
  expect(smtp.received).toHaveLength(0);

  const withSmtp = await startWithSmtp();
  await answering(withSmtp);
  await waitFor(
    `all 100 messages to be sent\n${[withoutSmtp, withSmtp].map(outputOf).join('\n')}`,
    async () => {
      const [sent] = await db.select({ n: count() }).from(outgoingMessages).where(and(eq(outgoingMessages.status, 'sent'), inArray(outgoingMessages.id, ids)));
      return sent!.n === ids.length;
    },
    { withinMs: 40_000, everyMs: 100 },
  );
  const done = await sendJobs();
  expect(done.every((job) => job.status === 'done' && job.attempts === 1)).toBe(true);
  expect(new Set(done.map((job) => job.leasedBy!.split('/')[1]))).toEqual(new Set([String(withSmtp.child.pid)]));
  expect(new Set(smtp.received.filter((mail) => mail.to[0]!.startsWith('mixed')).map((mail) => mail.messageId)).size).toBe(ids.length);
}

describe('two server processes sending one queue', () => {
  beforeAll(async () => {
    const started = await Promise.all([startServer(databaseUrl, smtp.url), startServer(databaseUrl, smtp.url)]);
    for (const server of started) await answering(server);
  });

  it('invite every customer of an email campaign exactly once', async () => {
    const invited = 300;
    await db.insert(customers).values(
      Array.from({ length: invited }, (_, n) => ({
        id: `campaign-customer-${n}`,
        name: `Customer ${n}`,
        email: `invited${n}@example.org`,
        locale: n % 2 === 0 ? ('zh-CN' as const) : ('en' as const),
        consents: { email: ['survey' as const] },
      })),
    );
    const survey = await createSurvey(db, { templateId: 'transactional-csat', createdBy: null });
    await publish(db, { id: survey.id, publishedBy: 'mail-processes-test' });
    const campaign = await createCampaign(db, { name: 'Two processes', surveyId: survey.id, delivery: 'email', audience: {} }, null);
    await launchCampaign(db, campaign.id);

    const receivedByInvitee = () => smtp.received.filter((mail) => mail.to.some((to) => to.startsWith('invited')));
    await waitFor(
      `all ${invited} invitations to arrive\n${servers.map(outputOf).join('\n')}`,
      async () => receivedByInvitee().length >= invited,
      { withinMs: 60_000, everyMs: 100 },
    );
    // Once every send job is finished nothing more can arrive: count then, so a message queued twice would show.
    await waitFor('every send job to finish', async () => {
      const [open] = await db
        .select({ n: count() })
        .from(jobs)
        .where(and(eq(jobs.kind, 'mail.send'), inArray(jobs.status, ['pending', 'running'])));
      return open!.n === 0;
    });
    const perRecipient = new Map<string, number>();
    for (const mail of receivedByInvitee()) for (const to of mail.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    expect(perRecipient.size).toBe(invited);
    expect([...perRecipient].filter(([, times]) => times !== 1), 'customers invited more than once').toEqual([]);
    const rows = await db.select({ messageId: campaignInvitations.messageId }).from(campaignInvitations).where(eq(campaignInvitations.campaignId, campaign.id));
    expect(rows).toHaveLength(invited);
    expect(rows.every((row) => row.messageId !== null)).toBe(true);
  });

  it('deliver every message exactly once, sharing the work', async () => {
    const ids = await queueMessages(
      db,
      Array.from({ length: messageCount }, (_, n) => ({
        to: `customer${n}@example.org`,
        subject: `Survey invitation ${n}`,
        text: `Hello customer ${n}`,
        topic: `process-test:${n}`,
      })),
    );

    await waitFor(
      `all ${messageCount} messages to be sent\n${servers.map(outputOf).join('\n')}`,
      async () => {
        const [sent] = await db
          .select({ n: count() })
          .from(outgoingMessages)
          .where(and(eq(outgoingMessages.status, 'sent'), inArray(outgoingMessages.id, ids)));
        return sent!.n === messageCount;
      },
      { withinMs: 40_000, everyMs: 100 },
    );

    // Stop both cleanly: a process still holding a job would finish it before exiting.
    for (const server of servers) server.child.kill('SIGTERM');
    const codes = await Promise.all(servers.map((server) => server.exited));
    expect(codes, servers.map(outputOf).join('\n')).toEqual([0, 0]);

    const deliveries = new Map<string, number>();
    const received = smtp.received.filter((mail) => mail.to.some((to) => to.startsWith('customer')));
    for (const mail of received) deliveries.set(mail.messageId, (deliveries.get(mail.messageId) ?? 0) + 1);
    const twice = [...deliveries].filter(([, times]) => times > 1);
    expect(twice, 'messages delivered more than once').toEqual([]);
    expect(received).toHaveLength(messageCount);
    expect(ids.filter((id) => deliveries.get(`<${id}@example.com>`) !== 1), 'messages not delivered').toEqual([]);

    const jobRows = await db
      .select({ status: jobs.status, leasedBy: jobs.leasedBy, attempts: jobs.attempts })
      .from(jobs)
      .where(inArray(jobs.dedupeKey, ids.map((id) => `mail.send:${id}`)));
    expect(jobRows).toHaveLength(messageCount);
    expect(jobRows.every((row) => row.status === 'done')).toBe(true);
    const byProcess = new Map<string, number>();
    for (const row of jobRows) byProcess.set(row.leasedBy!, (byProcess.get(row.leasedBy!) ?? 0) + 1);
    expect(byProcess.size, `jobs per process: ${JSON.stringify([...byProcess])}`).toBe(2);
    for (const [, done] of byProcess) expect(done).toBeGreaterThan(0);
  });
});
