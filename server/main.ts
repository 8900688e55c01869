// Node entry: parse the environment, migrate, make sure an admin can get in, serve, and run background jobs.
import { flushReads } from './privacy/access.ts';
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
import { requestsBeingAnswered } from './jobs/paced.ts';
import { createLogger } from './ops/log.ts';
import { createMetrics } from './ops/metrics.ts';
import { backupHandlers, scheduleBackups } from './backups/service.ts';
import { erasureRunHandlers } from './privacy/erasure-runs.ts';
import { retentionHandlers, scheduleRetention } from './privacy/retention.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// One JSON line per event on stdout, at LOG_LEVEL (README, "Operations").
const logger = createLogger(config.logLevel);
const onProblem = (text: string, error?: unknown) => logger.error(error === undefined ? {} : { err: error }, text);

// LOG_LEVEL=debug adds a timing trace of writes, event-loop stalls and GC pauses (JSON lines).
const tracer = config.logLevel === 'debug' ? startTracer() : undefined;
const db = await openDatabase(config.databaseUrl, config.databaseAuthToken, { tracer, checkpointInBackground: { onProblem } });
await migrateDatabase(db);

if (config.adminEmail && config.adminPassword) {
  const admin = await ensureAdminFromEnvironment(db, config.adminEmail, config.adminPassword);
  if (admin) logger.info('Created the admin account named in ADMIN_EMAIL.');
}
if (!(await hasAnyUser(db))) {
  const token = await createSetupToken(db);
  // Plain text on stderr whatever LOG_LEVEL says, for the person starting the server to copy; it is not a log line.
  process.stderr.write(`No staff account exists yet. Create the first admin here (valid 24 hours, once):\n  ${config.publicUrl}/app/setup?token=${token}\n`);
}

// GET /metrics, when METRICS_TOKEN is set: requests counted by the app, mail outcomes by the mailer.
const metrics = config.metricsToken ? createMetrics(db) : null;
const app = createApp({ db, config, logger, metrics });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(`Satisfaction platform listening on ${config.publicUrl} (database ${config.databaseUrl.replace(/\?.*$/, '')}, port ${info.port})`);
});

const mailer = createMailer({
  db,
  smtpUrl: config.smtpUrl,
  mailFrom: config.mailFrom,
  perSecond: config.mailPerSecond,
  onOutcome: metrics ? (outcome) => metrics.mailOutcome(outcome) : undefined,
});
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
        ...backupHandlers({ db, config, log: (text) => logger.info(text) }),
        ...erasureRunHandlers({ db }),
        ...retentionHandlers({ db }),
      },
      concurrency: 8,
      pollMs: 1000,
      leaseMs: 30_000,
      processId: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
      onProblem,
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
      onProblem,
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
// Backups of the database file: one per BACKUP_EVERY_HOURS across all processes, each run scheduling the next.
if (config.databaseUrl.startsWith('file:')) await scheduleBackups(db, config.backups.everyMs);
// Retention (README, "Retention"): one run a day at 19:00 UTC across all processes, each run scheduling the next.
await scheduleRetention(db);
if (config.worker && !mailer.configured) {
  logger.info('SMTP_URL is not set: this process sends no mail. Messages wait, held in the Outbox, for a server process that has SMTP_URL.');
}

// Every process folds new responses into the dashboard's aggregates; a cursor check keeps it exactly once.
const insights = startInsightsProcessor(db, {
  tracer,
  onProblem,
});

// Every process also indexes judged responses for the responses explorer (a cursor check keeps it exactly once).
const explorer = startExplorerIndexer(db, {
  onProblem,
});

// Customers' email replies to cases, when INBOUND_SMTP_PORT is set (README, "Replies by email").
const inbound = config.inboundSmtp
  ? await startInboundSmtp({
      db,
      config,
      onProblem,
    }).catch((error: unknown) => {
      const { host, port } = config.inboundSmtp!;
      logger.error(`The inbound SMTP listener cannot listen on ${host}:${port} (INBOUND_SMTP_HOST, INBOUND_SMTP_PORT): ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    })
  : null;
if (inbound) {
  logger.info(`Taking case replies by email on ${config.inboundSmtp!.host}:${inbound.port} for reply+…@${config.replyDomain}`);
}

let stopping = false;
/**
 * On SIGTERM or SIGINT: takes no new connection, lets the requests in flight be answered and the running jobs
 * finish (a job still running 5 s before the end of the grace is told to stop and goes back to the queue), then exits. After SHUTDOWN_GRACE_SECONDS it exits anyway, saying what it still waited for; a job cut
 * short is not lost: its lease runs out and another process takes it.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  // Jobs still running near the end of the grace are told to stop, so a long one (a bulk erasure, a retention
  // run, a backup) stops between its batches and goes back to the queue, rather than being killed at the end.
  const cutJobsShortAfterMs = Math.max(config.shutdownGraceMs / 2, config.shutdownGraceMs - 5000);
  const waits: [string, Promise<unknown> | undefined][] = [
    ['requests in flight', new Promise((closed) => server.close(closed))],
    ['jobs', worker?.stop({ cutShortAfterMs: cutJobsShortAfterMs })],
    ['loyalty updates', loyaltyWorker?.stop({ cutShortAfterMs: cutJobsShortAfterMs })],
    ['dashboard figures', insights.stop()],
    ['responses explorer index', explorer.stop()],
    ['inbound mail', inbound?.close()],
  ];
  // A connection kept alive after its last answer would hold the close until it timed out (5 s): each is closed
  // as soon as it has no request left to answer.
  const closeIdle = setInterval(() => {
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  }, 50);
  const waitingFor = new Set(waits.filter(([, done]) => done).map(([name]) => name));
  logger.info(
    { signal, requestsInFlight: requestsBeingAnswered(), jobsRunning: (worker?.running() ?? 0) + (loyaltyWorker?.running() ?? 0), graceSeconds: config.shutdownGraceMs / 1000 },
    'Stopping: waiting for the requests in flight and the running jobs.',
  );
  setTimeout(() => {
    logger.error(
      { waitingFor: [...waitingFor], requestsInFlight: requestsBeingAnswered(), jobsRunning: (worker?.running() ?? 0) + (loyaltyWorker?.running() ?? 0) },
      `Gave up after ${config.shutdownGraceMs / 1000} s (SHUTDOWN_GRACE_SECONDS) waiting for: ${[...waitingFor].join(', ')}. Exiting; running jobs go back to the queue when their leases run out.`,
    );
    process.exit(1);
  }, config.shutdownGraceMs).unref();
  await Promise.all(waits.map(([name, done]) => done?.then(() => waitingFor.delete(name))));
  clearInterval(closeIdle);
  mailer.close();
  // The record of staff reads still waiting is written before the database closes.
  await flushReads(db);
  db.$client.close();
  logger.info({ ms: Date.now() - started }, 'Stopped: every request answered and every job finished.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
