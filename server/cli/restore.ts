// `npm run -s restore -- FILE`: checks a backup (whole, one of this platform's, no newer than this code) and puts
// it in the place of the database at DATABASE_URL, keeping the database it replaces beside it as
// <name>.replaced-<UTC time>. Only while no server process has the database open. See server/backups/service.ts.
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { ConfigError, loadConfig } from '../config.ts';
import { BackupRefused, databaseFileOf, restoreBackup, TargetInUse } from '../backups/service.ts';

const usage = `usage: npm run -s restore -- FILE
  FILE    a backup written by npm run backup (or the scheduled backups in BACKUP_DIR)
Stop every server process using DATABASE_URL first; the database replaced is kept beside it, renamed.`;

const Arguments = v.object({
  file: v.pipe(v.string(`Give the backup file to restore.\n${usage}`), v.trim(), v.nonEmpty(`Give the backup file to restore.\n${usage}`)),
});

try {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({ args: process.argv.slice(2), options: {}, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (parsedArgs.positionals.length > 1) throw new ConfigError(`Give one backup file.\n${usage}`);
  const parsed = v.safeParse(Arguments, { file: parsedArgs.positionals[0] });
  if (!parsed.success) throw new ConfigError(parsed.issues[0].message);
  const config = loadConfig();
  const target = databaseFileOf(config.databaseUrl);
  const { restored, kept, checked } = await restoreBackup({ backup: parsed.output.file, target });
  console.log(`Restored ${parsed.output.file} into ${restored}.`);
  console.log(kept ? `  The database it replaced is kept as ${kept}.` : '  There was no database there before.');
  console.log(
    checked.pending > 0
      ? `  The backup has ${checked.migrations} migration(s); the ${checked.pending} newer one(s) of this version run when the server next starts.`
      : `  The backup's schema is this version's (${checked.migrations} migrations). Start the server again.`,
  );
} catch (error) {
  console.error(
    error instanceof ConfigError || error instanceof BackupRefused || error instanceof TargetInUse
      ? `${error instanceof ConfigError ? '' : 'Nothing was restored: '}${error.message}`
      : `The restore failed, and the database was left as it was: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
