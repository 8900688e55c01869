// The Prometheus metrics of a server process (prom-client): requests it answered, counted as they go, and the
// state of the shared database (queue, mail, insights, loyalty), read when scraped (service.ts scrapeFacts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { checkpointerOf, type Db } from '../db/client.ts';
import type { MailOutcome } from '../mail/mailer.ts';
import { scrapeFacts } from './service.ts';

const prefix = 'satisfaction_';

export interface Metrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Counts one outcome of a send attempt by this process's mailer. */
  mailOutcome(outcome: MailOutcome): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ text: string; contentType: string }>;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests answered by this process, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const durations = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request in this process, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const queued = new Gauge({
    name: `${prefix}jobs_queued`,
    help: 'Background jobs pending or running in the shared queue, by kind and status.',
    labelNames: ['kind', 'status'] as const,
    registers,
  });
  const oldestDue = new Gauge({
    name: `${prefix}jobs_oldest_due_age_seconds`,
    help: 'How long the oldest due pending job of each kind has waited (0 when none is due).',
    labelNames: ['kind'] as const,
    registers,
  });
  const dead = new Gauge({ name: `${prefix}jobs_dead`, help: 'Jobs set aside after their last failed attempt (retried from the Outbox\'s Failed jobs tab).', registers });
  const mail = new Gauge({
    name: `${prefix}mail_messages`,
    help: 'Outgoing messages still to send or failed, by status: held (waiting for a process with SMTP), sending (underway or to retry), failed.',
    labelNames: ['status'] as const,
    registers,
  });
  const mailOutcomes = new Counter({
    name: `${prefix}mail_outcomes_total`,
    help: "Send attempts by this process's mailer, by outcome: sent, failed (last attempt), retrying, skipped (the customer may no longer be contacted).",
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of ['sent', 'failed', 'retrying', 'skipped'] as const) mailOutcomes.inc({ outcome }, 0);
  const insightsWaiting = new Gauge({ name: `${prefix}insights_responses_waiting`, help: 'Responses not yet folded into the dashboard figures.', registers });
  const loyaltyWaiting = new Gauge({ name: `${prefix}loyalty_customers_waiting`, help: 'Customers whose loyalty standing waits for an update.', registers });
  const checkpointer = checkpointerOf(db);
  const checkpoints = new Gauge({
    name: `${prefix}db_checkpoints`,
    help: "Checkpoints that copied the database's write-ahead log back, by this process's checkpoint thread since it started.",
    registers,
  });
  const checkpointerRunning = new Gauge({ name: `${prefix}db_checkpointer_running`, help: '1 while the checkpoint thread of this process runs.', registers });

  return {
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ method, route }, seconds);
    },
    mailOutcome(outcome) {
      mailOutcomes.inc({ outcome });
    },
    async scrape() {
      const facts = await scrapeFacts(db);
      queued.reset();
      oldestDue.reset();
      for (const job of facts.jobs) {
        queued.set({ kind: job.kind, status: 'pending' }, job.pending);
        queued.set({ kind: job.kind, status: 'running' }, job.running);
        oldestDue.set({ kind: job.kind }, job.oldestDueAgeSeconds);
      }
      dead.set(facts.deadJobs);
      for (const status of ['held', 'sending', 'failed']) mail.set({ status }, 0);
      for (const { status, count } of facts.mail) mail.set({ status }, count);
      insightsWaiting.set(facts.insightsWaiting);
      loyaltyWaiting.set(facts.loyaltyWaiting);
      checkpoints.set(checkpointer?.checkpoints ?? 0);
      checkpointerRunning.set(checkpointer?.running ? 1 : 0);
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
