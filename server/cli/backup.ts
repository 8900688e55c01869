// `npm run -s backup [-- --to FILE]`: a consistent copy of the database, taken while servers run (one snapshot:
// an answer committed meanwhile is wholly in it or not at all). By default into BACKUP_DIR with a name that sorts
// by time; prints where it wrote, how big and how long it took. See server/backups/service.ts.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { ConfigError, loadConfig } from '../config.ts';
import { backupName } from '../backups/rules.ts';
import { BackupRefused, databaseFileOf, takeBackup } from '../backups/service.ts';

const usage = `usage: npm run -s backup [-- --to FILE]
  --to FILE    where to write the backup (a new file); by default BACKUP_DIR/backup-<UTC time>.db`;

const Arguments = v.object({
  to: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(`--to takes the file to write.\n${usage}`))),
});

try {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({ args: process.argv.slice(2), options: { to: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (parsedArgs.positionals.length > 0) throw new ConfigError(`Unexpected ${parsedArgs.positionals.join(' ')}: give the file with --to.\n${usage}`);
  const parsed = v.safeParse(Arguments, parsedArgs.values);
  if (!parsed.success) throw new ConfigError(parsed.issues[0].message);
  const config = loadConfig();
  const source = databaseFileOf(config.databaseUrl);
  const target = resolve(parsed.output.to ?? join(config.backups.dir, backupName('manual', Date.now())));
  const written = await takeBackup({ source, target });
  console.log(`Backup written: ${written.path}`);
  console.log(`  ${(written.bytes / 1e6).toFixed(1)} MB, the database as it was at ${new Date(written.at).toISOString()}, taken in ${(written.ms / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof BackupRefused ? error.message : `The backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
