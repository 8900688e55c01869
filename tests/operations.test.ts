// /ready, /metrics and request ids, on a real app over a real database file (README, "Operations").
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { enqueue, startWorker } from '../server/jobs/queue.ts';
import { createMailer, queueMessages } from '../server/mail/mailer.ts';
import { createMetrics } from '../server/ops/metrics.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer } from './support/smtp.ts';

const metricsToken = 'scrape-token-0123456789abcdef';
let test: TestApp | undefined;
afterEach(() => {
  test?.close();
  test = undefined;
});

async function readyOf(app: TestApp) {
  const response = await app.app.request('/ready');
  return { status: response.status, body: (await response.json()) as { status: string; failing?: string[]; checks: Record<string, { ok: boolean; detail: string }> } };
}

describe('GET /ready', () => {
  it('answers 200 with its checks when the database is reachable, migrated and its queue moving', async () => {
    test = await startTestApp();
    const { status, body } = await readyOf(test);
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.database!.ok).toBe(true);
    expect(body.checks.migrations).toEqual({ ok: true, detail: expect.stringMatching(/^all \d+ applied$/) });
    expect(body.checks.queue!.ok).toBe(true);
    // A long queue that is being worked is behind, not stuck.
    await test.db.$client.execute({
      sql: `INSERT INTO jobs (id, kind, payload, status, run_at) VALUES (?, 'mail.send', '{}', 'pending', ?)`,
      args: [randomUUID(), Date.now() - 60 * 60_000],
    });
    await test.db.$client.execute({
      sql: `INSERT INTO jobs (id, kind, payload, status, run_at, leased_by, lease_until) VALUES (?, 'mail.send', '{}', 'running', ?, 'p', ?)`,
      args: [randomUUID(), Date.now(), Date.now() + 30_000],
    });
    expect((await readyOf(test)).status).toBe(200);
  });

  it('answers 503 naming the migration the database lacks', async () => {
    test = await startTestApp();
    await test.db.$client.execute('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)');
    const { status, body } = await readyOf(test);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['migrations']);
    expect(body.checks.migrations!.detail).toMatch(/^1 of \d+ migrations not applied \(\d{4}_\w+\)/);
  });

  it('answers 503 when due jobs wait and no process works any', async () => {
    test = await startTestApp();
    await test.db.$client.execute({
      sql: `INSERT INTO jobs (id, kind, payload, status, run_at, created_at) VALUES (?, 'complaints.sweep', '{}', 'pending', ?, ?)`,
      args: [randomUUID(), Date.now() - 10 * 60_000, Date.now() - 11 * 60_000],
    });
    const { status, body } = await readyOf(test);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['queue']);
    expect(body.checks.queue!.detail).toContain('due for 10 min');
  });

  it('stays ready while mail waits for a process with SMTP_URL (the Outbox says so)', async () => {
    test = await startTestApp();
    await test.db.$client.execute({
      sql: `INSERT INTO jobs (id, kind, payload, status, run_at) VALUES (?, 'mail.send', '{}', 'pending', ?)`,
      args: [randomUUID(), Date.now() - 60 * 60_000],
    });
    expect((await readyOf(test)).status).toBe(200);
  });

  it('counts the wait of a job enqueued to run at a time already past from when it was enqueued', async () => {
    test = await startTestApp();
    await enqueue(test.db, { kind: 'integrations.event', payload: {}, runAt: Date.now() - 200 * 24 * 60 * 60_000 });
    expect((await readyOf(test)).status).toBe(200);
  });

  it('answers 503 when a running job holds a lease that ran out long ago', async () => {
    test = await startTestApp();
    await test.db.$client.execute({
      sql: `INSERT INTO jobs (id, kind, payload, status, run_at, leased_by, lease_until) VALUES (?, 'mail.send', '{}', 'running', ?, 'gone', ?)`,
      args: [randomUUID(), Date.now() - 20 * 60_000, Date.now() - 8 * 60_000],
    });
    const { status, body } = await readyOf(test);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['queue']);
    expect(body.checks.queue!.detail).toContain('lease ran out 8 min ago');
  });

  it('answers 503 when the database cannot be reached, while /health says the same with an error', async () => {
    test = await startTestApp();
    const { db } = test;
    db.$client.close();
    const { status, body } = await readyOf(test);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['database', 'migrations', 'queue']);
    expect(body.checks.database!.detail).toMatch(/^The database cannot be reached/);
    expect((await test.app.request('/health')).status).toBe(500);
  });
});

describe('GET /metrics', () => {
  it('is off (404) without METRICS_TOKEN', async () => {
    test = await startTestApp();
    const response = await test.app.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('METRICS_TOKEN') });
  });

  it('asks for the token: 401 without it and with a wrong one, 400 for another kind of Authorization', async () => {
    test = await startTestApp({ METRICS_TOKEN: metricsToken });
    const without = await test.app.request('/metrics');
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: expect.stringContaining('Authorization: Bearer') });
    expect((await test.app.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401);
    expect((await test.app.request('/metrics', { headers: { authorization: `Bearer ${metricsToken.slice(0, -1)}` } })).status).toBe(401);
    expect((await test.app.request('/metrics', { headers: { authorization: `Basic ${metricsToken}` } })).status).toBe(400);
  });

  it('reports requests by route pattern, the queue, mail, insights lag and loyalty updates in the Prometheus format', async () => {
    test = await startTestApp({ METRICS_TOKEN: metricsToken });
    const manager = await signedInAs(test, 'manager');
    const created = await manager.request('POST', '/api/customers', { name: 'Wang Fang', email: 'wang.fang@example.com' });
    expect(created.status).toBe(201);
    const { customer } = (await created.json()) as { customer: { id: string } };
    expect((await manager.request('GET', `/api/customers/${customer.id}`)).status).toBe(200);
    await test.db.$client.execute({
      sql: `INSERT INTO jobs (id, kind, payload, status, run_at, created_at) VALUES (?, 'mail.send', '{}', 'pending', ?, ?)`,
      args: [randomUUID(), Date.now() - 90_000, Date.now() - 95_000],
    });
    await test.db.$client.execute({
      sql: `INSERT INTO outgoing_messages (id, to_address, subject, text, status) VALUES (?, 'a@example.com', 's', 't', 'failed')`,
      args: [randomUUID()],
    });

    const response = await test.app.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE satisfaction_http_requests_total counter');
    expect(text).toContain('satisfaction_http_requests_total{method="POST",route="/api/customers",status="201"} 1');
    expect(text).toContain('satisfaction_http_requests_total{method="GET",route="/api/customers/:id",status="200"} 1');
    expect(text).not.toContain(customer.id);
    expect(text).toContain('# TYPE satisfaction_http_request_duration_seconds histogram');
    expect(text).toMatch(/satisfaction_http_request_duration_seconds_count\{method="GET",route="\/api\/customers\/:id"\} 1/);
    expect(text).toContain('satisfaction_jobs_queued{kind="mail.send",status="pending"} 1');
    const age = Number(/satisfaction_jobs_oldest_due_age_seconds\{kind="mail.send"\} ([\d.]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(text).toContain('satisfaction_mail_messages{status="failed"} 1');
    expect(text).toContain('satisfaction_mail_messages{status="held"} 0');
    expect(text).toMatch(/^satisfaction_insights_responses_waiting 0$/m);
    expect(text).toMatch(/^satisfaction_loyalty_customers_waiting \d+$/m);
    expect(text).toMatch(/^satisfaction_db_checkpointer_running 0$/m);
    expect(text).toMatch(/^satisfaction_process_cpu_seconds_total /m);
    // Every sample line is a name, optional labels and a number.
    for (const line of text.split('\n').filter((line) => line && !line.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_:][a-z0-9_:]*(\{[^}]*\})? (-?[\d.e+-]+|NaN|[+-]Inf)$/);
    }
  });
});

describe('mail outcomes in /metrics', () => {
  it("counts the outcomes of the send attempts of this process's mailer", async () => {
    test = await startTestApp();
    const smtp = await startSmtpServer();
    smtp.refuse = /^refused@/;
    const config = loadConfig({ DATABASE_URL: test.databaseUrl, LOG_LEVEL: 'silent', METRICS_TOKEN: metricsToken, SMTP_URL: smtp.url });
    const metrics = createMetrics(test.db);
    const app = createApp({ db: test.db, config, metrics });
    const mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Service <service@example.com>', perSecond: 1000, onOutcome: (outcome) => metrics.mailOutcome(outcome) });
    const worker = startWorker({ db: test.db, handlers: mailer.handlers, processId: 'metrics-test', pollMs: 20, backoff: { baseMs: 10, maxMs: 20 }, onProblem: () => {} });
    try {
      await queueMessages(
        test.db,
        [
          { to: 'one@example.com', subject: 'One', text: 'one' },
          { to: 'two@example.com', subject: 'Two', text: 'two' },
          { to: 'refused@example.com', subject: 'Three', text: 'three' },
        ],
        { maxAttempts: 2 },
      );
      const scrape = async () => (await app.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } })).text();
      const text = await waitFor('the refused message to fail', async () => {
        const text = await scrape();
        return text.includes('satisfaction_mail_outcomes_total{outcome="failed"} 1') && text;
      });
      expect(text).toContain('satisfaction_mail_outcomes_total{outcome="sent"} 2');
      expect(text).toContain('satisfaction_mail_outcomes_total{outcome="retrying"} 1');
      expect(text).toContain('satisfaction_mail_outcomes_total{outcome="skipped"} 0');
      expect(text).toContain('satisfaction_mail_messages{status="failed"} 1');
    } finally {
      await worker.stop();
      mailer.close();
      await smtp.close();
    }
  });
});

describe('request ids', () => {
  it('keeps a sane X-Request-Id, replaces any other, and sends it back on every answer', async () => {
    test = await startTestApp();
    const kept = await test.app.request('/health', { headers: { 'x-request-id': 'lb-42_abc' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-42_abc');
    const replaced = await test.app.request('/api/surveys', { headers: { 'x-request-id': 'has spaces; and=more' } });
    expect(replaced.status).toBe(401);
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await test.app.request('/api/no-such-route');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
