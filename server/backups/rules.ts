// What a backup is called, which scheduled backups go, and whether a backup's migrations fit this code.
// Pure: the commands and the schedule (service.ts) act on these answers.
//
//   backupName(kind, at) → 'backup-2026-12-06T18-00-00.000Z.db' | 'scheduled-2026-12-06T00-00-00.000Z.db'
//   scheduledToRemove(names, keep) → the names of the scheduled backups past the newest `keep`
//   nextPeriodStart(now, periodMs) → the start of the next period (the scheduled backups run at these)
//   migrationsVerdict(applied, known) → what the backup's migrations table says about it

export type BackupKind = 'manual' | 'scheduled';

const prefixes: Record<BackupKind, string> = { manual: 'backup', scheduled: 'scheduled' };

/** The name of a backup taken at `at`: fixed width, so names sort by time; a colon-free UTC time, valid on every file system. */
export function backupName(kind: BackupKind, at: number): string {
  return `${prefixes[kind]}-${new Date(at).toISOString().replace(/:/g, '-')}.db`;
}

/** The scheduled backups' names, and only theirs: the schedule never removes anything else in the folder. */
export const scheduledNamePattern = /^scheduled-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.db$/;

/** The suffix of a backup being written; renamed away once it is whole. */
export const partialSuffix = '.partial';

/** Of the files in the backup folder, the scheduled backups to remove so that the newest `keep` stay. */
export function scheduledToRemove(names: readonly string[], keep: number): string[] {
  const scheduled = names.filter((name) => scheduledNamePattern.test(name)).sort();
  return scheduled.slice(0, Math.max(0, scheduled.length - keep));
}

/** The next period boundary after `now` (epoch ms): the same for every process, whenever it starts. */
export function nextPeriodStart(now: number, periodMs: number): number {
  return (Math.floor(now / periodMs) + 1) * periodMs;
}

export interface AppliedMigration {
  hash: string;
  createdAt: number;
}
export interface KnownMigration {
  hash: string;
  folderMillis: number;
}

export type MigrationsVerdict =
  | { ok: true; applied: number; pending: number }
  | { ok: false; reason: 'none' | 'newer'; newest: number; known: number };

/**
 * A backup of ours has applied some of this code's migrations, in order, and none it does not know. Migrations
 * are told apart by their time (the migrator applies those newer than the last applied), so a backup whose last
 * migration is newer than this code's last was made by newer code.
 */
export function migrationsVerdict(applied: readonly AppliedMigration[], known: readonly KnownMigration[]): MigrationsVerdict {
  const newestKnown = Math.max(0, ...known.map((migration) => migration.folderMillis));
  const newestApplied = Math.max(0, ...applied.map((migration) => migration.createdAt));
  if (applied.length === 0) return { ok: false, reason: 'none', newest: 0, known: newestKnown };
  if (newestApplied > newestKnown) return { ok: false, reason: 'newer', newest: newestApplied, known: newestKnown };
  return { ok: true, applied: applied.length, pending: known.filter((migration) => migration.folderMillis > newestApplied).length };
}
