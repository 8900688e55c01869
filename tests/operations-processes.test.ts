// The log lines and the shutdown of a real server process (README, "Operations").
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/poll.ts';
import { killerOf, outputOf, startServerProcess, type ServerProcess } from './support/server.ts';

const servers: ServerProcess[] = [];
const killAll = killerOf(servers);
const dirs: string[] = [];
afterAll(() => {
  killAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const adminEmail = 'li.na.admin@example.com';
const adminPassword = 'Secret-Pass-4242-zz';
const metricsToken = 'metrics-token-5d1c0ffee5d1c0ffee';

/** A server process on a fresh database, answering, with its stdout kept apart (the log). */
async function startServer(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'satisfaction-operations-'));
  dirs.push(dir);
  const server = await startServerProcess({
    DATABASE_URL: `file:${join(dir, 'app.db')}`,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: 'info',
    ...env,
  });
  servers.push(server);
  const stdout: string[] = [];
  server.child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  await waitFor(
    `the server to answer\n${outputOf(server)}`,
    async () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf(server)}`);
      return (await fetch(`http://127.0.0.1:${server.port}/health`).catch(() => null))?.ok;
    },
    { withinMs: 30_000, everyMs: 100 },
  );
  const lines = () =>
    stdout
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
  return { server, base: `http://127.0.0.1:${server.port}`, stdout, lines };
}

/** A POST whose body is sent in two parts: the first now, the rest when `finish` is called. */
function slowSignIn(port: number, agent: Agent | false = false) {
  const body = JSON.stringify({ email: adminEmail, password: adminPassword });
  let held: ClientRequest | undefined;
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    const request: ClientRequest = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/session',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.write(body.slice(0, 10));
    held = request;
  });
  return {
    answer,
    finish: () => held!.end(body.slice(10)),
    abandon: () => held!.destroy(),
  };
}

describe('the log', () => {
  it('is one JSON line per request, with its id, method, route pattern, status and time, and no personal data or secret', async () => {
    const { server, base, lines } = await startServer();
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: adminEmail, password: adminPassword }),
    });
    expect(signIn.status).toBe(200);
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const sessionToken = cookie.split('=')[1]!;
    const staff = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

    const customer = { name: 'Zhang Weiming', email: 'zhang.weiming@example.com', phone: '+86 138 1234 5678' };
    const created = await fetch(`${base}/api/customers`, { method: 'POST', headers: staff, body: JSON.stringify(customer) });
    expect(created.status).toBe(201);
    const { customer: stored } = (await created.json()) as { customer: { id: string } };
    expect((await fetch(`${base}/api/customers/${stored.id}`, { headers: staff })).status).toBe(200);
    expect((await fetch(`${base}/api/customers?search=${encodeURIComponent(customer.email)}&phone=13812345678`, { headers: staff })).status).toBe(200);
    // Public links carry their token in the path.
    const linkToken = 'link-token-7f3a9c2e4b1d8f6a';
    for (const path of [`/i/${linkToken}`, `/u/${linkToken}`, `/c/${linkToken}`, `/api/public/cases/${linkToken}`]) await fetch(`${base}${path}`);
    // A wrong password, in the body.
    await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: adminEmail, password: 'Wrong-Password-9911' }),
    });
    const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scraped.status).toBe(200);
    const scrapedText = await scraped.text();
    // A server process copies the log back in a thread of its own.
    expect(scrapedText).toMatch(/^satisfaction_db_checkpointer_running 1$/m);
    expect(scrapedText).toContain('satisfaction_http_requests_total{method="POST",route="/api/customers",status="201"} 1');
    const traced = await fetch(`${base}/health`, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(traced.headers.get('x-request-id')).toBe('trace-abc-123');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const entries = lines().map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`A log line is not JSON: ${line}\n${outputOf(server)}`);
      }
    });
    for (const entry of entries) expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    const log = lines().join('\n');
    const secrets = [adminEmail, adminPassword, 'Wrong-Password-9911', customer.name, customer.email, customer.phone, '13812345678', stored.id, linkToken, sessionToken, csrfToken, metricsToken, 'search=', 'li.na.admin', 'weiming'];
    for (const secret of secrets) expect(log, `the log holds "${secret}"`).not.toContain(secret);
    const requests = entries.filter((entry) => entry.msg === 'request');
    // The readiness polls, then the 11 requests above.
    expect(requests.length, JSON.stringify(requests)).toBeGreaterThanOrEqual(12);
    for (const entry of requests) {
      expect(entry).toMatchObject({ requestId: expect.any(String), method: expect.any(String), route: expect.stringMatching(/^\//), status: expect.any(Number), ms: expect.any(Number) });
    }
    const routes = requests.map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/session 200',
        'POST /api/customers 201',
        'GET /api/customers/:id 200',
        'GET /api/customers 200',
        'GET /u/:token 404',
        'GET /c/:token 404',
        'GET /api/public/cases/:token 404',
        'POST /api/session 401',
        'GET /metrics 200',
      ]),
    );
    expect(requests.find((entry) => entry.requestId === 'trace-abc-123')).toMatchObject({ route: '/health', status: 200 });
    expect(entries.map((entry) => entry.msg)).toContain('Stopped: every request answered and every job finished.');

  });
});

describe('shutdown', () => {
  it('lets a request in flight at SIGTERM get its answer, then exits without waiting for the connection kept alive', async () => {
    // A grace shorter than the 5 s a kept-alive connection stays open after its answer: waiting for it fails.
    const { server, lines } = await startServer({ SHUTDOWN_GRACE_SECONDS: '4' });
    const agent = new Agent({ keepAlive: true });
    const slow = slowSignIn(server.port, agent);
    // The server has read the slow request's head once it has answered another request sent after it.
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    const stopping = await waitFor(`the stopping line\n${outputOf(server)}`, () =>
      lines()
        .map((line) => JSON.parse(line) as { msg: string; requestsInFlight?: number })
        .find((entry) => entry.msg.startsWith('Stopping')),
    );
    expect(stopping.requestsInFlight).toBe(1);
    slow.finish();
    const answer = await slow.answer;
    expect(answer.statusCode).toBe(200);
    answer.resume();
    expect(await server.exited, outputOf(server)).toBe(0);
    agent.destroy();
    expect(lines().map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('Stopped: every request answered and every job finished.');
  });

  it('exits after SHUTDOWN_GRACE_SECONDS when a request never finishes, saying what it waited for', async () => {
    const { server, lines } = await startServer({ SHUTDOWN_GRACE_SECONDS: '1' });
    const slow = slowSignIn(server.port);
    slow.answer.catch(() => {});
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    slow.abandon();
    const gaveUp = lines()
      .map((line) => JSON.parse(line) as { msg: string; waitingFor?: string[]; level: string })
      .find((entry) => entry.msg.startsWith('Gave up'));
    expect(gaveUp, outputOf(server)).toMatchObject({ level: 'error', waitingFor: ['requests in flight'] });
    expect(gaveUp!.msg).toContain('Gave up after 1 s (SHUTDOWN_GRACE_SECONDS) waiting for: requests in flight.');
  });
});
