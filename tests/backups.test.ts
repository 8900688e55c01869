// Backups and restore as an operator runs them, against real server processes over a real database file: a backup
// taken while complaint forms arrive through the HTTP API holds every answer acknowledged before it began, each
// whole (its response, its case and the case's first event, written in one transaction); a damaged, foreign or
// newer file is refused; a restore waits for the servers to stop; a backup an older version made is restored and
// brought up to date on the next start; what customers said after a backup (erasures, withdrawals) is made again in
// it; scheduled backups are made once per period by
// two processes, and the kept count is honoured with nothing else in the folder touched.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { backupName } from '../server/backups/rules.ts';
import { openDatabase } from '../server/db/client.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';
import { killerOf, outputOf, startServerProcess, type ServerProcess } from './support/server.ts';

const root = resolve(import.meta.dirname, '..');
const servers: ServerProcess[] = [];
const killAll = killerOf(servers);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backups-test-'));
});
afterAll(async () => {
  killAll();
  await Promise.all(servers.map((server) => server.exited));
  rmSync(dir, { recursive: true, force: true });
});

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run backup` / `npm run restore` as the built command runs them, from the sources, with only these settings. */
function command(name: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `server/cli/${name}.ts`, ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function serverOn(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: 'off', BACKUP_EVERY_HOURS: '0', ...env });
  servers.push(server);
  await waitFor(
    `the server to answer\n${outputOf(server)}`,
    () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf(server)}`);
      return fetch(`http://127.0.0.1:${server.port}/health`).then((response) => response.ok, () => false);
    },
    { withinMs: 60_000, everyMs: 100 },
  );
  return server;
}

async function stop(server: ServerProcess) {
  server.child.kill('SIGTERM');
  await server.exited;
}

// Reads and writes go through a process of their own: a connection closed in this process may keep its lock on
// the file until the process ends, and a restore needs every connection to the database gone.
const sqlScript = `
const Database = require('libsql');
const [path, sql, mode] = process.argv.slice(1);
const db = new Database(path);
if (mode === 'exec') { db.exec(sql); process.stdout.write('[]'); }
else process.stdout.write(JSON.stringify(db.prepare(sql).all()));
db.close();
`;

function sqlite(path: string, sql: string, mode: 'all' | 'exec'): Record<string, unknown>[] {
  return JSON.parse(execFileSync(process.execPath, ['-e', sqlScript, path, sql, mode], { cwd: root, encoding: 'utf8' })) as Record<string, unknown>[];
}
const longReadScript = `
const Database = require('libsql');
const db = new Database(process.argv[1]);
db.exec('BEGIN');
db.prepare('SELECT count(*) FROM responses').get();
process.stdout.write('reading');
process.stdin.on('data', () => {}).on('end', () => { db.exec('COMMIT'); db.close(); });
`;

const rowsOf = async (databaseUrl: string, sql: string) => sqlite(databaseUrl.slice('file:'.length), sql, 'all');
const run = (path: string, sql: string) => void sqlite(path, sql, 'exec');

const complaint = {
  category: 'delivery',
  severity: 'major',
  desired_outcome: 'apology',
  contact_consent: true,
  contact_name: 'Li Wei',
  contact_email: 'li.wei@example.com',
  contact_phone: '138 0013 8000',
};

/** A database with the complaint form published, made through the staff API; the test's own connection closed. */
async function databaseWithComplaintForm(): Promise<{ databaseUrl: string; versionId: string }> {
  const test: TestApp = await startTestApp();
  try {
    const manager = await signedInAs(test, 'manager');
    const created = await (await manager.request('POST', '/api/surveys', { templateId: 'complaint-form' })).json();
    const published = await (await manager.request('POST', `/api/surveys/${created.survey.id}/publish`)).json();
    const file = join(dir, `app-${randomUUID().slice(0, 8)}.db`);
    await test.db.$client.execute({ sql: 'VACUUM INTO ?', args: [file] });
    return { databaseUrl: `file:${file}`, versionId: published.survey.versions[0].id };
  } finally {
    test.close();
  }
}

describe('a backup taken while answers arrive', () => {
  it('holds every answer acknowledged before it began, each whole, and restores into a fresh file', { timeout: 180_000 }, async () => {
    const { databaseUrl, versionId } = await databaseWithComplaintForm();
    const server = await serverOn(databaseUrl);
    const url = `http://127.0.0.1:${server.port}/api/public/responses`;
    // A long read elsewhere (a report, say) keeps the log from being copied back into the file past its start: the
    // answers below are then only in the log, and only a copy that reads through it (not of the file) has them.
    const reader = spawn(process.execPath, ['-e', longReadScript, databaseUrl.slice('file:'.length)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((ready) => reader.stdout.once('data', ready));
    const acknowledged: { id: string; at: number }[] = [];
    let arriving = true;
    const failures: string[] = [];
    const submitter = async (n: number) => {
      for (let i = 0; arriving; i++) {
        const id = randomUUID();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id, versionId, locale: 'en', answers: { ...complaint, description: `Submitter ${n}, complaint ${i}: ${'the parcel was late. '.repeat(20)}` } }),
        });
        if (response.status === 201) acknowledged.push({ id, at: Date.now() });
        else failures.push(`${response.status} ${await response.text()}`);
      }
    };
    const submitters = [1, 2, 3, 4].map(submitter);
    await waitFor('answers to be arriving', () => acknowledged.length >= 200, { withinMs: 60_000, everyMs: 50 });

    const backupFile = join(dir, 'under-load.db');
    const began = Date.now();
    const backup = await command('backup', ['--to', backupFile], { DATABASE_URL: databaseUrl });
    const ackedDuring = acknowledged.filter((answer) => answer.at > began).length;
    reader.stdin.end();
    arriving = false;
    await Promise.all(submitters);
    expect(failures).toEqual([]);
    expect(backup, `${backup.stderr}\n${outputOf(server)}`).toMatchObject({ code: 0 });
    expect(backup.stdout).toContain(`Backup written: ${backupFile}`);
    expect(backup.stdout).toMatch(/MB, the database as it was at .*, taken in [\d.]+ s/);
    // The snapshot was taken while answers kept coming (the backup held nobody up).
    expect(ackedDuring, `answers acknowledged while the backup ran (of ${acknowledged.length})`).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);

    const restoredUrl = `file:${join(dir, 'fresh', 'app.db')}`;
    mkdirSync(join(dir, 'fresh'));
    const restore = await command('restore', [backupFile], { DATABASE_URL: restoredUrl });
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    expect(restore.stdout).toContain('There was no database there before.');

    const stored = new Set((await rowsOf(restoredUrl, 'SELECT id FROM responses')).map((row) => String(row.id)));
    const before = acknowledged.filter((answer) => answer.at < began);
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((answer) => !stored.has(answer.id)), `acknowledged before the backup began but not in it (of ${before.length}; ${stored.size} stored)`).toEqual([]);
    // No half answer: every stored response has its case, and every case its first event, in the copy.
    const halves = await rowsOf(
      restoredUrl,
      `SELECT r.id, count(DISTINCT c.id) AS cases, count(e.id) AS events FROM responses r
       LEFT JOIN complaint_cases c ON c.response_id = r.id LEFT JOIN complaint_events e ON e.case_id = c.id AND e.type = 'opened'
       GROUP BY r.id HAVING cases <> 1 OR events <> 1`,
    );
    expect(halves).toEqual([]);
    const [cases] = await rowsOf(restoredUrl, 'SELECT count(*) AS n FROM complaint_cases');
    expect(Number(cases!.n)).toBe(stored.size);
    // The restored file serves: a server starts on it and finds an answer acknowledged before the backup.
    await stop(server);
    const restoredServer = await serverOn(restoredUrl);
    const again = await fetch(`http://127.0.0.1:${restoredServer.port}/api/public/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: before[0]!.id, versionId, locale: 'en', answers: { ...complaint, description: 'the same answer again' } }),
    });
    expect(again.status).toBe(200);
    await stop(restoredServer);
  });
});

describe('restoring', () => {
  let backupFile: string;
  let databaseUrl: string;
  let target: string;

  beforeAll(async () => {
    ({ databaseUrl } = await databaseWithComplaintForm());
    target = databaseUrl.slice('file:'.length);
    backupFile = join(dir, 'good.db');
    const backup = await command('backup', ['--to', backupFile], { DATABASE_URL: databaseUrl });
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
  }, 60_000);

  const unchanged = () => readFileSync(target);

  it('refuses a damaged, a foreign or a newer file, and changes nothing', { timeout: 60_000 }, async () => {
    const original = unchanged();
    const cut = join(dir, 'cut-short.db');
    writeFileSync(cut, readFileSync(backupFile).subarray(0, 40_000));
    const foreign = join(dir, 'foreign.db');
    run(foreign, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('not ours')");
    const newer = join(dir, 'newer.db');
    copyFileSync(backupFile, newer);
    run(newer, `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-a-later-version', ${Date.UTC(2100, 0, 1)})`);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'a note, not a database\n'.repeat(100));

    const cases: [string, RegExp][] = [
      [cut, /cut-short\.db is (damaged|not a whole SQLite database).*Restore another backup/],
      [text, /notes\.txt is not a whole SQLite database/],
      [foreign, /foreign\.db is a SQLite database, but not one of this platform's \(it has no migrations table\)/],
      [newer, /newer\.db was made by a newer version of the platform \(its last migration is from 2100-01-01T00:00:00\.000Z/],
      [join(dir, 'missing.db'), /There is no file at .*missing\.db/],
    ];
    for (const [file, message] of cases) {
      const result = await command('restore', [file], { DATABASE_URL: databaseUrl });
      expect(result.code, file).toBe(1);
      expect(result.stderr).toMatch(/^Nothing was restored: /);
      expect(result.stderr).toMatch(message);
    }
    expect(unchanged().equals(original)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('.replaced-') || name.includes('.restoring-'))).toEqual([]);
    const usage = await command('restore', [], { DATABASE_URL: databaseUrl });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/Give the backup file to restore\.\nusage: npm run -s restore -- FILE/);
  });

  it('refuses while a server has the database open, and once it stopped restores, keeping the replaced database', { timeout: 120_000 }, async () => {
    const server = await serverOn(databaseUrl);
    // Something written after the backup: the restore takes the database back to before it.
    run(target, `INSERT INTO settings (key, value) VALUES ('after-the-backup', '"1"')`);

    const refused = await command('restore', [backupFile], { DATABASE_URL: databaseUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is open in another process \(a server, or a command such as npm run loyalty\)\. Stop every server process using this DATABASE_URL, then run the restore again; nothing was changed\./);
    expect(server.child.exitCode).toBeNull();
    expect(await rowsOf(databaseUrl, "SELECT key FROM settings WHERE key = 'after-the-backup'")).toHaveLength(1);

    await stop(server);
    const restored = await command('restore', [backupFile], { DATABASE_URL: databaseUrl });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    const kept = /kept as (\S+)\./.exec(restored.stdout)?.[1];
    expect(kept).toMatch(/app-[0-9a-f]{8}\.db\.replaced-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z$/);
    expect(existsSync(kept!)).toBe(true);
    expect(await rowsOf(databaseUrl, "SELECT key FROM settings WHERE key = 'after-the-backup'")).toEqual([]);
    // The replaced database is whole beside it, with what was written after the backup.
    expect(await rowsOf(`file:${kept}`, "SELECT key FROM settings WHERE key = 'after-the-backup'")).toHaveLength(1);
    // The backup itself was not touched or opened.
    expect(readdirSync(dir).filter((name) => name.startsWith('good.db-'))).toEqual([]);
    const next = await serverOn(databaseUrl);
    await stop(next);
  });

  it('restores a backup an older version made, and the next start brings it up to this version', { timeout: 120_000 }, async () => {
    // The older version: this one's migrations but the last three, from a folder of its own.
    const journal = JSON.parse(readFileSync(join(root, 'migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const olderFolder = join(dir, 'older-migrations');
    mkdirSync(join(olderFolder, 'meta'), { recursive: true });
    const olderEntries = journal.entries.slice(0, -3);
    writeFileSync(join(olderFolder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: olderEntries }));
    for (const entry of olderEntries) copyFileSync(join(root, `migrations/${entry.tag}.sql`), join(olderFolder, `${entry.tag}.sql`));
    const source = await openDatabase(`file:${join(dir, 'older-source.db')}`);
    await migrate(source, { migrationsFolder: olderFolder });
    await source.$client.execute(`INSERT INTO settings (key, value) VALUES ('made-by-the-older-version', '"1"')`);
    const older = join(dir, 'older.db');
    await source.$client.execute({ sql: 'VACUUM INTO ?', args: [older] });
    source.$client.close();

    const restored = await command('restore', [older], { DATABASE_URL: databaseUrl });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(restored.stdout).toContain(`The backup has ${olderEntries.length} migration(s); the 3 newer one(s) of this version are applied now.`);

    const server = await serverOn(databaseUrl);
    const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).checks.migrations).toEqual({ ok: true, detail: `all ${journal.entries.length} applied` });
    await stop(server);
    expect(await rowsOf(databaseUrl, "SELECT key FROM settings WHERE key = 'made-by-the-older-version'")).toHaveLength(1);
    expect(await rowsOf(databaseUrl, 'SELECT count(*) AS n FROM __drizzle_migrations')).toEqual([{ n: journal.entries.length }]);
  });
});

describe('restoring a backup taken before a customer said no', () => {
  it('erases again the customers erased since, keeps their keys, and makes again the consent they withdrew', { timeout: 120_000 }, async () => {
    const test: TestApp = await startTestApp();
    const backup = join(dir, 'before-they-said-no.db');
    const current = join(dir, 'after-they-said-no.db');
    let erased: string;
    let withdrew: string;
    try {
      const admin = await signedInAs(test, 'admin');
      const customer = async (body: Record<string, unknown>) => (await (await admin.request('POST', '/api/customers', body)).json()).customer.id as string;
      erased = await customer({ name: 'Gao Fei', email: 'gao.fei@example.com', externalId: 'CRM-GAO', consents: { email: ['survey'] } });
      withdrew = await customer({ name: 'Lin Na', email: 'lin.na@example.com', consents: { email: ['survey'], phone: ['survey'] } });
      await test.db.$client.execute({ sql: 'VACUUM INTO ?', args: [backup] });
      // After the backup: one customer is erased at their request, the other withdraws consent to survey emails.
      expect((await admin.request('POST', `/api/customers/${erased}/erase`, { reason: 'Asked by phone on 5 December' })).status).toBe(200);
      const withdrawal = await admin.request('PUT', `/api/customers/${withdrew}`, { name: 'Lin Na', email: 'lin.na@example.com', consents: { phone: ['survey'] }, consentRecord: { customerRequest: true } });
      expect(withdrawal.status).toBe(200);
      await test.db.$client.execute({ sql: 'VACUUM INTO ?', args: [current] });
    } finally {
      test.close();
    }

    const restored = await command('restore', [backup], { DATABASE_URL: `file:${current}` });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(restored.stdout).toContain('1 customer(s) erased again, 2 erased customer key(s) added, 1 consent decision(s) of their own made again.');

    const [gone] = await rowsOf(`file:${current}`, `SELECT name, email, external_id, erased_at FROM customers WHERE id = '${erased}'`);
    expect(gone).toMatchObject({ name: '', email: null, external_id: null });
    expect(gone!.erased_at).not.toBeNull();
    expect(await rowsOf(`file:${current}`, 'SELECT count(*) AS n FROM erased_keys')).toEqual([{ n: 2 }]);
    const [kept] = await rowsOf(`file:${current}`, `SELECT consents FROM customers WHERE id = '${withdrew}'`);
    expect(JSON.parse(String(kept!.consents))).toEqual({ phone: ['survey'] });
    const [change] = await rowsOf(`file:${current}`, `SELECT fact, new_value, customer_request, note FROM consent_changes WHERE customer_id = '${withdrew}' ORDER BY id DESC LIMIT 1`);
    expect(change).toMatchObject({ fact: 'email.survey', new_value: 0, customer_request: 1, note: expect.stringMatching(/^Made again after a restore/) });

    // A second restore of the same backup over this one finds the same and does it again, once.
    const again = await command('restore', [backup], { DATABASE_URL: `file:${current}` });
    expect(again.stdout).toContain('1 customer(s) erased again, 2 erased customer key(s) added, 1 consent decision(s) of their own made again.');
  });
});

describe('scheduled backups', () => {
  it('two processes make one per period, and the newest BACKUP_KEEP stay beside what else is in the folder', { timeout: 120_000 }, async () => {
    const { databaseUrl } = await databaseWithComplaintForm();
    const backupDir = join(dir, 'scheduled');
    mkdirSync(backupDir);
    // Not the schedule's: never removed.
    const manual = backupName('manual', Date.UTC(2020, 0, 1));
    writeFileSync(join(backupDir, manual), 'a backup someone took by hand');
    writeFileSync(join(backupDir, 'README.txt'), 'backups of the survey database');
    const env = { BACKUP_DIR: backupDir, BACKUP_EVERY_HOURS: '0.001', BACKUP_KEEP: '2', LOG_LEVEL: 'info' };
    const [first, second] = [await serverOn(databaseUrl, env), await serverOn(databaseUrl, env)];
    const runs = async () =>
      (await rowsOf(databaseUrl, "SELECT payload FROM jobs WHERE kind = 'backups.scheduled' AND status = 'done' ORDER BY run_at")).map(
        (row) => (JSON.parse(String(row.payload)) as { start: number }).start,
      );
    await waitFor('four scheduled backups', async () => (await runs()).length >= 4, { withinMs: 60_000, everyMs: 200 });
    await Promise.all([stop(first!), stop(second!)]);

    const done = await runs();
    const written = [first!, second!].flatMap((server) => server.output.join('').match(/Scheduled backup written: \S+/g) ?? []);
    // One backup per period: each period's run wrote its own file once, in one of the two processes.
    expect(written.sort()).toEqual(done.map((start) => `Scheduled backup written: ${join(backupDir, backupName('scheduled', start))}`).sort());
    const left = readdirSync(backupDir).sort();
    const newest = done.slice(-2).map((start) => backupName('scheduled', start));
    expect(left).toEqual([manual, 'README.txt', ...newest].sort());
    // A kept scheduled backup is a whole database of ours.
    const [migrations] = await rowsOf(`file:${join(backupDir, newest[1]!)}`, 'SELECT count(*) AS n FROM __drizzle_migrations');
    expect(Number(migrations!.n)).toBeGreaterThan(0);
  });
});
