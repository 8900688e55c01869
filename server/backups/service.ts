// Backups of the embedded database file, and restoring one.
//
//   takeBackup({ source, target, signal? }) → { path, bytes, ms, at }
//   inspectBackup(path) → { migrations, pending }                 throws BackupRefused saying what is wrong
//   restoreBackup({ backup, target, now? }) → { restored, kept }   throws BackupRefused, TargetInUse
//   backupJobKind, scheduleBackups(db, everyMs, now?), backupHandlers({ config, log })
//
// A backup is `VACUUM INTO` a new file: it reads the database in one read transaction, a single snapshot, so
// an answer committed while it runs is either wholly in the copy or not at all, and writers are never held
// (WAL lets them go on). It runs in a worker thread on a connection of its own: the embedded database runs on
// the thread that calls it, and copying a big file there would hold every request of a server process. The
// copy is written under a temporary name (…partial), synced, and only then renamed to its own, so a backup
// cut short never looks whole.
//
// Restoring first copies the backup beside the database and checks the copy (integrity, the migrations table,
// no migration newer than this code's); then takes the database's lock exclusively. In WAL mode every open
// connection holds a shared lock on the file for as long as it is open, even idle, so the lock is refused
// while any server process (or command) has the database open, and the lock dies with its process, so a
// crashed server leaves nothing stale behind. Holding the lock, it folds the log into the replaced database,
// renames that to `<name>.replaced-<time>` (never deleting it) and moves the checked copy into its place.
// Migrations run as the restore command finishes (server/cli/restore.ts), which then makes again what customers said
// after the backup was taken (carry-over.ts).
import { randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as v from 'valibot';
import type { Db } from '../db/client.ts';
import { enqueue, periodicJob, type JobHandler, type NewJob } from '../jobs/queue.ts';
import { migrationsFolder } from '../paths.ts';
import { backupName, migrationsVerdict, nextPeriodStart, partialSuffix, scheduledToRemove, type AppliedMigration } from './rules.ts';

/** A backup that cannot be restored (or taken), with what to do about it. */
export class BackupRefused extends Error {}
/** The database to restore over is open in a server process or a command. */
export class TargetInUse extends Error {}

/** The file a DATABASE_URL names; backups and restores work on the embedded file only. */
export function databaseFileOf(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) {
    throw new BackupRefused(
      `DATABASE_URL names a libSQL server (${databaseUrl.replace(/\?.*$/, '')}): backup and restore work on the embedded file. Back up a libSQL server with its own tools.`,
    );
  }
  const path = databaseUrl.slice('file:'.length).split('?')[0]!;
  if (!path || path === ':memory:') throw new BackupRefused('DATABASE_URL names an in-memory database: there is no file to back up or restore.');
  return resolve(path);
}

// ---- taking a backup ------------------------------------------------------------------------------------------

// The thread's code: plain JavaScript, so it runs the same from the sources, the bundle and the tests.
const vacuumThread = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
// On Linux a thread has a scheduling priority of its own: the copy yields the processor to the thread that
// answers requests (nice 10). Elsewhere, or where it is not allowed, it runs at the usual priority.
try {
  const thread = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(thread) && thread > 0) require('node:os').setPriority(thread, 10);
} catch {}
let db;
try {
  db = new Database(workerData.source, { timeout: workerData.timeoutMs, fileMustExist: true });
  db.prepare('VACUUM INTO ?').run(workerData.into);
  db.close();
  parentPort.postMessage({ ok: true });
} catch (error) {
  try { if (db) db.close(); } catch {}
  parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
}
`;

/** VACUUM INTO `into` on a connection of its own in a worker thread; aborting ends the thread. */
function vacuumInto(source: string, into: string, signal?: AbortSignal): Promise<void> {
  const libsql = createRequire(import.meta.url).resolve('libsql');
  return new Promise((done, fail) => {
    const worker = new Worker(vacuumThread, { eval: true, workerData: { libsql, source, into, timeoutMs: 10_000 } });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      if (error) fail(error);
      else done();
    };
    const abort = () => {
      void worker.terminate();
      settle(new Error('The backup was stopped before it was complete.'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) return abort();
    worker.once('message', (message: { ok: boolean; message?: string }) => settle(message.ok ? undefined : new Error(message.message)));
    worker.once('error', (error) => settle(error));
    worker.once('exit', () => settle(new Error('The backup thread ended before the copy was complete.')));
  });
}

/** Flushes a file to disk off the event loop (a big backup's flush takes a while, and a server goes on meanwhile). */
async function syncFile(path: string) {
  const file = await open(path, 'r+');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Makes a rename in `folder` durable; where a folder cannot be synced (some file systems), the rename still stands. */
function syncFolder(folder: string) {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Nothing more to do.
  }
}

/**
 * Flushes a file being written to disk every twentieth of a second until stopped. Left to the end, the flush of a
 * backup (the size of the database) holds every other sync on the disk for as long as it takes, and every answer
 * committed meanwhile waits for it; flushed as it is written, each flush is small and commits go on between them.
 */
function flushWhileWritten(path: string, everyMs = 50) {
  let stopped = false;
  let wake: () => void = () => {};
  const flushing = (async () => {
    let file: Awaited<ReturnType<typeof open>> | null = null;
    try {
      while (!stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, everyMs).unref();
        });
        if (stopped) break;
        // The file appears once the copy begins writing it.
        file ??= await open(path, 'r').catch(() => null);
        await file?.datasync().catch(() => {});
      }
    } finally {
      await file?.close().catch(() => {});
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake();
      await flushing;
    },
  };
}

export interface BackupWritten {
  path: string;
  bytes: number;
  ms: number;
  /** When the copy's snapshot was taken (it began), epoch ms. */
  at: number;
}

/** Copies the database file `source` into the new file `target` (never over an existing one). */
export async function takeBackup(input: { source: string; target: string; signal?: AbortSignal }): Promise<BackupWritten> {
  const source = resolve(input.source);
  const target = resolve(input.target);
  if (!existsSync(source)) throw new BackupRefused(`There is no database at ${source} to back up (DATABASE_URL).`);
  if (target === source) throw new BackupRefused('The backup cannot be written over the database itself: give another file.');
  if (existsSync(target)) throw new BackupRefused(`${target} already exists: a backup is never written over another file. Give a new name.`);
  const folder = dirname(target);
  mkdirSync(folder, { recursive: true });
  const partial = `${target}${partialSuffix}`;
  rmSync(partial, { force: true });
  const at = Date.now();
  const started = performance.now();
  try {
    const trickle = flushWhileWritten(partial);
    try {
      await vacuumInto(source, partial, input.signal);
    } finally {
      await trickle.stop();
    }
    await syncFile(partial);
    if (existsSync(target)) throw new BackupRefused(`${target} appeared while the backup was being written: it is left alone, and this backup is not kept.`);
    renameSync(partial, target);
    syncFolder(folder);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { path: target, bytes: statSync(target).size, ms: performance.now() - started, at };
}

// ---- checking and restoring -------------------------------------------------------------------------------

// The libsql package's own driver (better-sqlite3's interface), synchronous: a command's few statements.
type SyncDatabase = {
  exec(sql: string): void;
  prepare(sql: string): { all(...args: unknown[]): Record<string, unknown>[]; get(...args: unknown[]): Record<string, unknown> | undefined };
  close(): void;
};
const SyncDatabaseClass = createRequire(import.meta.url)('libsql') as new (path: string, options?: { timeout?: number; fileMustExist?: boolean }) => SyncDatabase;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface BackupChecked {
  /** Migrations the backup has applied. */
  migrations: number;
  /** This code's migrations it has not: they run on the next start. */
  pending: number;
}

/** Checks a database file is a whole database of this platform, no newer than this code. Opens it, so give a copy. */
export function inspectBackup(path: string, label = path): BackupChecked {
  let db: SyncDatabase | undefined;
  try {
    try {
      db = new SyncDatabaseClass(path, { timeout: 0, fileMustExist: true });
      const problems = db.prepare('PRAGMA integrity_check(10)').all().map((row) => String(Object.values(row)[0]));
      if (problems.length !== 1 || problems[0] !== 'ok') {
        throw new BackupRefused(`${label} is damaged (SQLite's integrity check: ${problems.slice(0, 3).join('; ')}). Restore another backup.`);
      }
    } catch (error) {
      if (error instanceof BackupRefused) throw error;
      throw new BackupRefused(`${label} is not a whole SQLite database (${errorText(error)}). Restore another backup.`);
    }
    const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get();
    const applied: AppliedMigration[] = table
      ? db.prepare('SELECT hash, created_at FROM __drizzle_migrations').all().map((row) => ({ hash: String(row.hash), createdAt: Number(row.created_at) }))
      : [];
    const verdict = migrationsVerdict(applied, readMigrationFiles({ migrationsFolder }));
    if (!verdict.ok) {
      throw new BackupRefused(
        verdict.reason === 'none'
          ? `${label} is a SQLite database, but not one of this platform's (it has no migrations table). Restore a file written by npm run backup.`
          : `${label} was made by a newer version of the platform (its last migration is from ${new Date(verdict.newest).toISOString()}, this code's from ${new Date(verdict.known).toISOString()}). Install that version or a newer one, then restore it.`,
      );
    }
    return { migrations: verdict.applied, pending: verdict.pending };
  } finally {
    db?.close();
  }
}

const stamp = (at: number) => new Date(at).toISOString().replace(/:/g, '-');

export interface Restored {
  restored: string;
  /** Where the database it replaced now is; null when there was none. */
  kept: string | null;
  checked: BackupChecked;
}

/** Puts the backup at `backup` in the place of the database file `target` (see the head of this file). */
export async function restoreBackup(input: { backup: string; target: string; now?: number }): Promise<Restored> {
  const backup = resolve(input.backup);
  const target = resolve(input.target);
  const now = input.now ?? Date.now();
  if (!existsSync(backup)) throw new BackupRefused(`There is no file at ${backup}.`);
  if (backup === target) throw new BackupRefused(`${backup} is the database itself: give a backup file.`);
  const folder = dirname(target);
  if (!existsSync(folder)) throw new BackupRefused(`The folder of the database, ${folder}, does not exist (DATABASE_URL).`);
  // The copy is what gets checked and put in place: the backup itself is never opened or changed.
  const copy = join(folder, `.${basename(target)}.restoring-${randomUUID().slice(0, 8)}`);
  const cleanCopy = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${copy}${suffix}`, { force: true });
  };
  try {
    copyFileSync(backup, copy);
    const checked = inspectBackup(copy, backup);
    await syncFile(copy);
    let kept: string | null = null;
    const hasTarget = existsSync(target);
    let lock: SyncDatabase | undefined;
    try {
      if (hasTarget) {
        try {
          lock = new SyncDatabaseClass(target, { timeout: 0, fileMustExist: true });
          lock.exec('PRAGMA locking_mode = EXCLUSIVE');
          lock.exec('BEGIN EXCLUSIVE');
          lock.exec('COMMIT');
        } catch (error) {
          if (/busy|locked/i.test(errorText(error))) {
            throw new TargetInUse(
              `${target} is open in another process (a server, or a command such as npm run loyalty). Stop every server process using this DATABASE_URL, then run the restore again; nothing was changed.`,
            );
          }
          throw error;
        }
        // The replaced database, whole in one file: its log folded in and gone.
        lock.exec('PRAGMA journal_mode = DELETE');
        kept = `${target}.replaced-${stamp(now)}`;
        renameSync(target, kept);
      }
      renameSync(copy, target);
      // A shared-memory index a crashed server left behind belongs to the replaced database.
      rmSync(`${target}-shm`, { force: true });
      if (existsSync(`${target}-wal`)) renameSync(`${target}-wal`, `${kept ?? target}.stray-wal`);
      syncFolder(folder);
    } finally {
      lock?.close();
    }
    return { restored: target, kept, checked };
  } finally {
    cleanCopy();
  }
}

// ---- the schedule -------------------------------------------------------------------------------------------

export const backupJobKind = 'backups.scheduled';
const BackupPayload = v.object({ start: v.number() });

/** The run of one period, keyed by its start: any number of processes make it once. */
export function backupJob(start: number): NewJob {
  return periodicJob(backupJobKind, start);
}

/** Makes sure the next scheduled backup exists (each process calls it when it starts); a second call adds nothing. */
export async function scheduleBackups(db: Db, everyMs: number, now = Date.now()): Promise<{ runAt: number; created: boolean } | null> {
  if (everyMs <= 0) return null;
  const runAt = nextPeriodStart(now, everyMs);
  const { created } = await enqueue(db, backupJob(runAt));
  return { runAt, created };
}

export interface BackupSettings {
  databaseUrl: string;
  backups: { dir: string; everyMs: number; keep: number };
}

/** The scheduled backups in `dir` beyond the newest `keep` are removed; nothing else in the folder is. */
export function pruneScheduled(dir: string, keep: number): string[] {
  if (!existsSync(dir)) return [];
  const removed = scheduledToRemove(readdirSync(dir), keep);
  for (const name of removed) unlinkSync(join(dir, name));
  return removed;
}

export function backupHandlers({ db, config, log }: { db: Db; config: BackupSettings; log: (text: string) => void }): Record<string, JobHandler> {
  return {
    [backupJobKind]: async (payload, context) => {
      const { start } = v.parse(BackupPayload, payload);
      // A process with scheduled backups off neither takes one nor keeps the chain going.
      if (config.backups.everyMs <= 0) return;
      // The next run first, so a run that keeps failing does not end the chain.
      await scheduleBackups(db, config.backups.everyMs, Math.max(start, Date.now()));
      const dir = resolve(config.backups.dir);
      const target = join(dir, backupName('scheduled', start));
      // A repeat of a run whose backup was written (its process stopped before marking it done) has nothing to do.
      if (!existsSync(target)) {
        const written = await takeBackup({ source: databaseFileOf(config.databaseUrl), target, signal: context.signal });
        log(`Scheduled backup written: ${written.path} (${(written.bytes / 1e6).toFixed(1)} MB in ${(written.ms / 1000).toFixed(1)} s)`);
      }
      const removed = pruneScheduled(dir, config.backups.keep);
      if (removed.length > 0) log(`Removed ${removed.length} older scheduled backup(s), keeping the newest ${config.backups.keep}: ${removed.join(', ')}`);
    },
  };
}
