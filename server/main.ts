// Node entry: parse the environment, migrate, make sure an admin can get in, serve, and run background jobs.
import { flushReads } from './privacy/service.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createSetupToken, ensureAdminFromEnvironment, hasAnyUser } from './accounts/service.ts';
import { migrateDatabase, openDatabase } from './db/client.ts';
import { startTracer } from './db/trace.ts';
import { startWorker } from './jobs/queue.ts';
import { createMailer } from './mail/mailer.ts';
import { campaignJobHandlers } from './campaigns/launch.ts';
import { complaintMailHandlers } from './complaints/emails.ts';
import { integrationHandlers } from './integrations/events.ts';
import { startInsightsProcessor } from './insights/processor.ts';
import { startExplorerIndexer } from './responses/explorer-index.ts';
import { scheduleWeeklySummary, weeklySummaryHandlers } from './insights/summary.ts';
import { scheduleSweep, sweepHandlers } from './complaints/sweep.ts';
import { followUpHandlers } from './complaints/follow-up.ts';
import { followUpPlanHandlers, scheduleFollowUps } from './loyalty/follow-ups.ts';
import { startInboundSmtp } from './complaints/inbound.ts';
import { loyaltyJobHandlers } from './loyalty/updater.ts';
import { recomputeHandlers, scheduleLoyaltyRecompute } from './loyalty/recompute.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// LOG_LEVEL=debug adds a timing trace of writes, event-loop stalls and GC pauses (JSON lines).
const tracer = config.logLevel === 'debug' ? startTracer() : undefined;
const db = await openDatabase(config.databaseUrl, config.databaseAuthToken, { tracer, checkpointInBackground: true });
await migrateDatabase(db);

if (config.adminEmail && config.adminPassword) {
  const admin = await ensureAdminFromEnvironment(db, config.adminEmail, config.adminPassword);
  if (admin) console.log(`Created the admin account ${admin.email} from ADMIN_EMAIL.`);
}
if (!(await hasAnyUser(db))) {
  const token = await createSetupToken(db);
  console.log(`No staff account exists yet. Create the first admin here (valid 24 hours, once):\n  ${config.publicUrl}/app/setup?token=${token}`);
}

const app = createApp({ db, config });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`Satisfaction platform listening on ${config.publicUrl} (database ${config.databaseUrl.replace(/\?.*$/, '')}, port ${info.port})`);
});

const mailer = createMailer({ db, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, perSecond: config.mailPerSecond });
// Every process works the shared queue unless told not to; leases keep two from taking the same job.
const worker = config.worker
  ? startWorker({
      db,
      handlers: {
        ...mailer.handlers,
        ...campaignJobHandlers({ db, config }),
        ...integrationHandlers(db),
        ...weeklySummaryHandlers({ db, config }),
        ...complaintMailHandlers({ db, config }),
        ...sweepHandlers({ db, config }),
        ...followUpHandlers({ db, config }),
        ...recomputeHandlers({ db }),
        ...followUpPlanHandlers({ db }),
      },
      concurrency: 8,
      pollMs: 1000,
      leaseMs: 30_000,
      processId: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
      onProblem: (text, error) => {
        if (config.logLevel !== 'silent') console.error(text, error ?? '');
      },
    })
  : null;
// Loyalty updates after a purchase, answer or case change have a worker of their own that looks every fifth
// of a second, so a customer's standing is current within a second of the arrival (one job per second of
// arrivals, leased by one process).
const loyaltyWorker = config.worker
  ? startWorker({
      db,
      handlers: loyaltyJobHandlers({ db }),
      concurrency: 1,
      pollMs: 200,
      leaseMs: 30_000,
      processId: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}/loyalty`,
      onProblem: (text, error) => {
        if (config.logLevel !== 'silent') console.error(text, error ?? '');
      },
    })
  : null;
// The full loyalty recompute: one run per recomputeEveryHours across all processes, each run scheduling the next.
await scheduleLoyaltyRecompute(db);
// Each run schedules the next; this covers the first start and a chain broken while every process was down.
await scheduleWeeklySummary(db);
// The complaint deadline sweep: one run per DEADLINE_SWEEP_SECONDS across all processes, each run scheduling the next.
await scheduleSweep(db, config.deadlineSweepMs);
// Follow-ups after purchases, for VIPs and for at-risk customers: one plan an hour across all processes, each scheduling the next.
await scheduleFollowUps(db);
if (config.worker && !mailer.configured && config.logLevel !== 'silent') {
  console.log('SMTP_URL is not set: this process sends no mail. Messages wait, held in the Outbox, for a server process that has SMTP_URL.');
}

// Every process folds new responses into the dashboard's aggregates; a cursor check keeps it exactly once.
const insights = startInsightsProcessor(db, {
  tracer,
  onProblem: (text, error) => {
    if (config.logLevel !== 'silent') console.error(text, error ?? '');
  },
});

// Every process also indexes judged responses for the responses explorer (a cursor check keeps it exactly once).
const explorer = startExplorerIndexer(db, {
  onProblem: (text, error) => {
    if (config.logLevel !== 'silent') console.error(text, error ?? '');
  },
});

// Customers' email replies to cases, when INBOUND_SMTP_PORT is set (README, "Replies by email").
const inbound = config.inboundSmtp
  ? await startInboundSmtp({
      db,
      config,
      onProblem: (text, error) => {
        if (config.logLevel !== 'silent') console.error(text, error ?? '');
      },
    }).catch((error: unknown) => {
      const { host, port } = config.inboundSmtp!;
      console.error(`The inbound SMTP listener cannot listen on ${host}:${port} (INBOUND_SMTP_HOST, INBOUND_SMTP_PORT): ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    })
  : null;
if (inbound && config.logLevel !== 'silent') {
  console.log(`Taking case replies by email on ${config.inboundSmtp!.host}:${inbound.port} for reply+…@${config.replyDomain}`);
}

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // A job still running when this gives up is not lost: its lease runs out and another process takes it.
  setTimeout(() => process.exit(1), 20_000).unref();
  await Promise.all([new Promise((closed) => server.close(closed)), worker?.stop(), loyaltyWorker?.stop(), insights.stop(), explorer.stop(), inbound?.close()]);
  mailer.close();
  // The record of staff reads still waiting is written before the database closes.
  await flushReads(db);
  db.$client.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
