// `npm run -s insights -- catch-up | rebuild`: folds every waiting response into the dashboard's aggregates
// now (catch-up), or empties them and folds every response in again (rebuild, e.g. after restoring a backup);
// then indexes what is waiting for the responses explorer (a rebuild starts its index over too).
// The server does the same continuously; this is for operators and for loading large imports.
import * as v from 'valibot';
import { ConfigError, loadConfig } from '../config.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { catchUp, forgetAggregates } from '../insights/processor.ts';
import { catchUpExplorer, forgetExplorerIndex } from '../responses/explorer-index.ts';

const Command = v.picklist(['catch-up', 'rebuild'], 'Say what to do: `catch-up` (fold in waiting responses) or `rebuild` (start the aggregates over).');

try {
  const parsed = v.safeParse(Command, process.argv[2]);
  if (!parsed.success) throw new ConfigError(parsed.issues[0].message);
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  await migrateDatabase(db);
  if (parsed.output === 'rebuild') {
    await forgetAggregates(db);
    await forgetExplorerIndex(db);
  }
  const started = performance.now();
  let last = 0;
  const done = await catchUp(db, {
    onProgress: (count) => {
      if (count - last >= 100_000) {
        last = count;
        console.error(`${count} responses folded in…`);
      }
    },
  });
  console.log(`${done} responses folded in, in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  const indexing = performance.now();
  const indexed = await catchUpExplorer(db);
  console.log(`${indexed} responses indexed for the responses explorer, in ${((performance.now() - indexing) / 1000).toFixed(1)} s.`);
  db.$client.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
