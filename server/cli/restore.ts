// `npm run -s restore -- FILE`: checks a backup (whole, one of this platform's, no newer than this code) and puts
// it in the place of the database at DATABASE_URL, keeping the database it replaces beside it as
// <name>.replaced-<UTC time>. Only while no server process has the database open. See server/backups/service.ts.
// Then brings the restored database up to this version's schema and makes again in it what customers said after
// the backup was taken, read from the replaced one (server/backups/carry-over.ts): erasures, erased keys, and the
// consent decisions they made themselves.
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { ConfigError, loadConfig } from '../config.ts';
import { BackupRefused, databaseFileOf, restoreBackup, TargetInUse } from '../backups/service.ts';
import { carryOverCustomersSay } from '../backups/carry-over.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';

class CarryOverFailed extends Error {}

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
      ? `  The backup has ${checked.migrations} migration(s); the ${checked.pending} newer one(s) of this version are applied now.`
      : `  The backup's schema is this version's (${checked.migrations} migrations).`,
  );
  if (kept) {
    const restoredDb = await openDatabase(`file:${restored}`);
    const replacedDb = await openDatabase(`file:${kept}`);
    try {
      await migrateDatabase(restoredDb);
      const carried = await carryOverCustomersSay(restoredDb, replacedDb).catch((error: unknown) => {
        throw new CarryOverFailed(
          `${parsed.output.file} was restored into ${restored}, but what customers said after the backup could not be made again in it (${error instanceof Error ? error.message : String(error)}). The replaced database is kept as ${kept}: erase again, by hand, the customers erased since the backup, and withdraw the consents they withdrew, before starting the server.`,
        );
      });
      console.log(
        `  What customers said after the backup, from the replaced database: ${carried.erased} customer(s) erased again, ${carried.keys} erased customer key(s) added, ${carried.consents} consent decision(s) of their own made again.`,
      );
      for (const { id, reason } of carried.held) {
        console.log(`  Customer ${id} was erased after the backup but is under a legal hold in it ("${reason}"): look at the hold, then erase them again by hand.`);
      }
    } finally {
      restoredDb.$client.close();
      replacedDb.$client.close();
    }
  }
  console.log('  Start the server again.');
} catch (error) {
  console.error(
    error instanceof CarryOverFailed
      ? error.message
      : error instanceof ConfigError || error instanceof BackupRefused || error instanceof TargetInUse
      ? `${error instanceof ConfigError ? '' : 'Nothing was restored: '}${error.message}`
      : `The restore failed, and the database was left as it was: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
