// Every curl example in README.md, run as written by the real curl binary against a real server started on a
// free loopback port with a database of its own. Each ```sh block that calls curl against 127.0.0.1:3000 is
// run by bash with `set -euo pipefail`; every curl call in it must answer 2xx.
//
// Before running, the text of each block is changed only in these ways:
//   127.0.0.1:3000        the server's port
//   <email>, <password>   the admin this test starts the server with
//   <survey id>           a published survey
//   <campaign id>         a launched event campaign (for /api/v1/events)
//   <id>                  chosen by the path segment before it, from `pathIds` below: /api/campaigns/<id> is
//                         a draft email campaign (the examples launch it), /api/surveys/<id> a published survey
//   sk_...                a live API key
//   <metrics token>       the METRICS_TOKEN this test starts the server with
// `cookies.txt` is a file in the block's working folder and `$CSRF` a shell variable: the blocks run in one
// bash session, and those that sign in (`-c cookies.txt`) run first, so later blocks find both. An example
// with another placeholder <…> fails here until the placeholder is added to the lists above and below.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/poll.ts';
import { startServerProcess, type ServerProcess } from './support/server.ts';

const root = resolve(import.meta.dirname, '..');
const admin = { email: 'readme-admin@example.com', password: 'readme example password' };
const metricsToken = 'readme-metrics-token-0123456789';

let dir: string;
let server: ServerProcess | undefined;
let baseUrl: string;
const ids: { surveyId?: string; draftCampaignId?: string; eventCampaignId?: string; apiKey?: string } = {};

/** The README's sh blocks that call curl against the documented address, in order. */
function curlExamples(readme: string): string[] {
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((block) => /(^|[\s$(|])curl\s/m.test(block) && block.includes('127.0.0.1:3000'));
}

/** The value an `<id>` stands for, by the path segment before it. */
function pathIds(): Record<string, string | undefined> {
  return { campaigns: ids.draftCampaignId, surveys: ids.surveyId };
}

function substitute(block: string, port: number): string {
  let text = block.replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);
  text = text.replace(/\/([a-z-]+)\/<id>/g, (whole, segment: string) => {
    const value = pathIds()[segment];
    if (!value) throw new Error(`README example uses ${whole}; add what /${segment}/<id> stands for to pathIds in this test.`);
    return `/${segment}/${value}`;
  });
  const named: Record<string, string | undefined> = {
    '<email>': admin.email,
    '<password>': admin.password,
    '<survey id>': ids.surveyId,
    '<campaign id>': ids.eventCampaignId,
    '<metrics token>': metricsToken,
  };
  for (const [placeholder, value] of Object.entries(named)) text = text.replaceAll(placeholder, value!);
  text = text.replaceAll('sk_...', ids.apiKey!);
  const unknown = text.match(/<[a-z][a-z ]*>/);
  if (unknown) throw new Error(`README example uses the placeholder ${unknown[0]}, which this test does not know:\n${block}`);
  return text;
}

/** A curl that records each call's status in $CURL_LOG, prints the body as curl would, and fails on non-2xx. */
const curlWrapper = `
curl() {
  local body code
  body=$(mktemp)
  code=$(command curl -sS -o "$body" -w '%{http_code}' "$@") || { rm -f "$body"; echo "000 curl $*" >> "$CURL_LOG"; return 1; }
  cat "$body"; rm -f "$body"
  echo "$code curl $*" >> "$CURL_LOG"
  [[ $code == 2?? ]]
}
`;

function runBash(script: string, logPath: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, CURL_LOG: logPath }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function staff(path: string, cookie: string, csrf: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'satisfaction-readme-'));
  server = await startServerProcess({
    DATABASE_URL: `file:${join(dir, 'app.db')}`,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: 'error',
  });
  baseUrl = `http://127.0.0.1:${server.port}`;
  await waitFor('the server to answer /health', async () => (await fetch(`${baseUrl}/health`).catch(() => null))?.ok, {
    withinMs: 60_000,
    everyMs: 200,
  });

  // What the examples refer to, made through the API as an admin would.
  const signIn = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = await signIn.json();
  const survey = (await staff('/api/surveys', cookie, csrfToken, { templateId: 'expectation-experience' })).survey;
  await staff(`/api/surveys/${survey.id}/publish`, cookie, csrfToken, {});
  ids.surveyId = survey.id;
  await staff('/api/customers', cookie, csrfToken, {
    name: 'Wang Fang',
    email: 'wang.fang@example.com',
    segment: 'retail',
    consents: { email: ['survey'] },
  });
  const draft = await staff('/api/campaigns', cookie, csrfToken, { name: 'README draft', surveyId: survey.id, delivery: 'email', audience: { segment: 'retail' } });
  ids.draftCampaignId = draft.campaign.id;
  const event = await staff('/api/campaigns', cookie, csrfToken, { name: 'README events', surveyId: survey.id, delivery: 'event' });
  await staff(`/api/campaigns/${event.campaign.id}/launch`, cookie, csrfToken, {});
  ids.eventCampaignId = event.campaign.id;
  ids.apiKey = (await staff('/api/integrations/keys', cookie, csrfToken, { name: 'README examples' })).secret;
}, 120_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('README curl examples', () => {
  it('all answer 2xx, run as written with the real curl', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = curlExamples(readme);
    expect(blocks.length).toBeGreaterThan(0);
    const signInFirst = [...blocks.filter((block) => block.includes('-c cookies.txt')), ...blocks.filter((block) => !block.includes('-c cookies.txt'))];
    expect(signInFirst[0], 'the README shows how to sign in with curl -c cookies.txt').toContain('-c cookies.txt');

    const port = Number(new URL(baseUrl).port);
    const logPath = join(dir, 'curl.log');
    const script = ['set -euo pipefail', curlWrapper, ...signInFirst.map((block) => substitute(block, port))].join('\n');
    const result = await runBash(script, logPath);
    const log = readFileSync(logPath, 'utf8').trim().split('\n');
    const context = `bash exited ${result.code}\n--- calls:\n${log.join('\n')}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}\n--- server:\n${server?.output.join('') ?? ''}`;
    expect(result.code, context).toBe(0);
    const calls = signInFirst.join('\n').match(/(^|[\s$(|])curl\s/gm)!.length;
    expect(log, context).toHaveLength(calls);
    for (const line of log) expect(line, context).toMatch(/^2\d\d /);
  }, 120_000);
});
