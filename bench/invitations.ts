// Email invitations end to end: an email campaign to 100,000 customers launched on a database shared by TWO
// real server processes, whose workers make the invitations, queue the emails and send them to an SMTP server
// on loopback (in this process: it counts messages and Message-IDs and throws the bodies away). Measured from
// the launch to the last message received: total time, messages per second, how many each process sent, and
// duplicates received (must be 0). The limit beside it: one pooled nodemailer transport sending straight to
// the same SMTP server, no database, on a smaller count.
// `node --import tsx bench/invitations.ts [--count N]` runs it alone (INVITATIONS_COUNT works too).
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { createCampaign, launchCampaign } from '../server/campaigns/service.ts';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { customers } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { onCleanup, runAlone, startedAlone, type Child } from './processes.ts';
import { formatCount, formatMs, formatRate, printTable } from './report.ts';
import { startCountingSmtp, startSendingServers, type CountingSmtp } from './mail.ts';

export const defaultInvitations = 100_000;
const serverCount = 2;
/** High enough that the throttle is not what limits a process. */
const mailPerSecond = 5_000;
/** The direct-send limit is measured on this many messages at most. */
const limitMessages = 5_000;
const insertRowsPerStatement = 500;
const pollEveryMs = 100;
/** Past this the run is called failed rather than left waiting: 20 messages a second at the least. */
const runLimitMs = (count: number) => Math.max(5 * 60_000, (count / 20) * 1000);
/** A count that has not moved for this long will not finish. */
const stallMs = 60_000;


/** Customers with an email address and consent to surveys by email, 500 rows a statement in one transaction. */
async function insertCustomers(db: Db, count: number) {
  await db.transaction(async (tx) => {
    for (let start = 0; start < count; start += insertRowsPerStatement) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + insertRowsPerStatement); i += 1) {
        rows.push({
          id: randomUUID(),
          externalId: `C${String(i).padStart(7, '0')}`,
          name: `客户 ${i}`,
          email: `customer${i}@example.com`,
          locale: i % 3 === 0 ? ('en' as const) : ('zh-CN' as const),
          consents: { email: ['survey' as const] },
        });
      }
      await tx.insert(customers).values(rows);
    }
  });
}

/** Waits until `reached` counts `target`; gives up at the deadline, or when the count stops moving for stallMs. */
async function waitForCount(what: string, reached: () => Promise<number> | number, target: number, children: Child[], deadline: number) {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const now = await reached();
    if (now >= target) return;
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    }
    for (const child of children) {
      if (child.process.exitCode !== null) throw new Error(`a server exited while waiting for ${what}:\n${child.logTail()}`);
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${formatCount(now)} of ${formatCount(target)}`);
    if (Date.now() - movedAt > stallMs) {
      const logs = children.map((child, index) => `server ${index + 1}:\n${child.logTail(5)}`).join('\n');
      throw new Error(`${what} stopped at ${formatCount(now)} of ${formatCount(target)} for ${stallMs / 1000} s\n${logs}`);
    }
    await new Promise((done) => setTimeout(done, pollEveryMs));
  }
}

/** One pooled transport (5 connections, as the server's mailer) sending straight to the SMTP server. */
async function measureDirectSend(smtp: CountingSmtp, count: number) {
  smtp.reset();
  const transport = createTransport({ url: smtp.url, pool: true, maxConnections: 5 });
  const started = performance.now();
  try {
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < count; i += 1) {
      sends.push(
        transport.sendMail({
          from: 'Survey Team <survey@example.com>',
          to: `limit${i}@example.com`,
          subject: 'A survey: tell us how we did',
          text: `Dear customer ${i},\n\nhttp://127.0.0.1/i/${randomBytes(10).toString('hex')}\n`,
          messageId: `<limit-${i}@example.com>`,
        }),
      );
    }
    await Promise.all(sends);
  } finally {
    transport.close();
  }
  const elapsedMs = performance.now() - started;
  return { messages: smtp.received, elapsedMs, perSecond: (smtp.received / elapsedMs) * 1000 };
}

export interface InvitationFigures {
  customers: number;
  servers: number;
  /** From launch until every invitation row existed / every email was queued / the last message arrived. */
  invitationsMadeMs: number;
  emailsQueuedMs: number;
  totalMs: number;
  received: number;
  distinctReceived: number;
  duplicates: number;
  perSecond: number;
  /** Messages each server process sent (mail.send jobs it completed), by process. */
  sentBy: { process: string; sent: number }[];
  outboxSent: number;
  failedJobs: number;
  limit: { messages: number; elapsedMs: number; perSecond: number };
  setupMs: number;
}

export async function measureInvitations(input: { workDir: string; count?: number }): Promise<InvitationFigures> {
  const count = input.count ?? defaultInvitations;
  const smtp = await startCountingSmtp();
  onCleanup(smtp.close);

  const limit = await measureDirectSend(smtp, Math.min(count, limitMessages));
  smtp.reset();

  const setupStarted = performance.now();
  const databaseUrl = `file:${join(input.workDir, 'invitations.db')}`;
  const db = await openDatabase(databaseUrl);
  onCleanup(() => db.$client.close());
  await migrateDatabase(db);
  await insertCustomers(db, count);
  const survey = await createSurvey(db, { templateId: 'transactional-csat', createdBy: null });
  await publish(db, { id: survey.id, publishedBy: 'bench' });
  const campaign = await createCampaign(db, { name: 'Bench invitations', surveyId: survey.id, delivery: 'email', audience: {} }, null);
  const setupMs = performance.now() - setupStarted;

  const children = await startSendingServers({
    count: serverCount,
    databaseUrl,
    smtpUrl: smtp.url,
    mailPerSecond,
    logPath: (index) => join(input.workDir, `invitations-server-${index}.log`),
    env: { PUBLIC_URL: 'http://127.0.0.1:8080' },
  });

  const started = performance.now();
  const deadline = Date.now() + runLimitMs(count);
  await launchCampaign(db, campaign.id);
  const scalar = async (query: string) => Number((await db.$client.execute({ sql: query, args: [campaign.id] })).rows[0]![0]);
  await waitForCount('invitations made', () => scalar(`SELECT count(*) FROM campaign_invitations WHERE campaign_id = ?`), count, children, deadline);
  const invitationsMadeMs = performance.now() - started;
  await waitForCount(
    'invitation emails queued',
    () => scalar(`SELECT count(*) FROM campaign_invitations WHERE campaign_id = ? AND message_id IS NOT NULL`),
    count,
    children,
    deadline,
  );
  const emailsQueuedMs = performance.now() - started;
  await waitForCount('messages received', () => smtp.received, count, children, deadline);
  const totalMs = smtp.lastAt - started;

  // Let late copies (a retried send) arrive before duplicates are counted, and the last jobs be marked done.
  await new Promise((done) => setTimeout(done, 1_000));
  const processOf = new Map(children.map((child, index) => [String(child.process.pid), `server ${index + 1} (pid ${child.process.pid})`]));
  const byProcess = await db.$client.execute(
    `SELECT leased_by, count(*) AS sent FROM jobs WHERE kind = 'mail.send' AND status = 'done' GROUP BY leased_by ORDER BY leased_by`,
  );
  const sentBy = byProcess.rows.map((row) => {
    const pid = String(row.leased_by).split('/')[1] ?? '';
    return { process: processOf.get(pid) ?? String(row.leased_by), sent: Number(row.sent) };
  });
  const outboxSent = Number((await db.$client.execute(`SELECT count(*) FROM outgoing_messages WHERE status = 'sent'`)).rows[0]![0]);
  const failedJobs = Number((await db.$client.execute(`SELECT count(*) FROM jobs WHERE status = 'dead' OR (attempts > 1)`)).rows[0]![0]);
  for (const child of children) await child.stop();

  return {
    customers: count,
    servers: serverCount,
    invitationsMadeMs,
    emailsQueuedMs,
    totalMs,
    received: smtp.received,
    distinctReceived: smtp.distinct,
    duplicates: smtp.duplicates,
    perSecond: (smtp.received / totalMs) * 1000,
    sentBy,
    outboxSent,
    failedJobs,
    limit,
    setupMs,
  };
}

/** Every customer got exactly one message. */
export const invitationsAreExact = (figures: InvitationFigures) =>
  figures.duplicates === 0 && figures.distinctReceived === figures.customers && figures.outboxSent === figures.customers;

export function invitationsTable(figures: InvitationFigures, number = '5') {
  printTable(
    `${number}. Email invitations to ${formatCount(figures.customers)} customers, ${figures.servers} server processes on one database, loopback SMTP (MAIL_PER_SECOND ${formatCount(mailPerSecond)})`,
    [
      {
        sender: `${figures.servers} servers: launch → last message received`,
        messages: formatCount(figures.received),
        time: formatMs(figures.totalMs),
        rate: formatRate(figures.perSecond),
        'share of the limit': `${((figures.perSecond / figures.limit.perSecond) * 100).toFixed(0)}%`,
        duplicates: formatCount(figures.duplicates),
      },
      {
        sender: 'limit: one pooled nodemailer transport, no database',
        messages: formatCount(figures.limit.messages),
        time: formatMs(figures.limit.elapsedMs),
        rate: formatRate(figures.limit.perSecond),
        'share of the limit': '',
        duplicates: '',
      },
    ],
  );
  printTable(`${number}b. Where the time went, and who sent what`, [
    { step: 'every invitation made (after launch)', value: formatMs(figures.invitationsMadeMs) },
    { step: 'every email queued in the Outbox', value: formatMs(figures.emailsQueuedMs) },
    { step: 'last message received', value: formatMs(figures.totalMs) },
    ...figures.sentBy.map((row) => ({ step: `sent by ${row.process}`, value: formatCount(row.sent) })),
    { step: 'Outbox rows marked sent', value: formatCount(figures.outboxSent) },
    { step: 'jobs retried or dead', value: formatCount(figures.failedJobs) },
    { step: 'set-up (customers inserted, survey, campaign)', value: formatMs(figures.setupMs) },
  ]);
}

if (startedAlone(import.meta.url)) {
  const countArg = process.argv.indexOf('--count');
  const count = countArg > 0 ? Number(process.argv[countArg + 1]) : Number(process.env.INVITATIONS_COUNT ?? defaultInvitations);
  runAlone('invitations', async (workDir) => {
    const figures = await measureInvitations({ workDir, count });
    invitationsTable(figures);
    console.log(`  every customer got exactly one message: ${invitationsAreExact(figures) ? 'yes' : 'NO'}`);
  });
}
