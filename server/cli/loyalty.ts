// `npm run -s loyalty -- recompute [--chunk N]`: works out every customer's loyalty again now (RFM, tier, stage,
// score) with new cut points, and prints what it did. All or nothing: stopped halfway, it leaves the previous
// scores in place. The server does the same on its schedule (recomputeEveryHours) and keeps customers current
// between runs; this is for operators, e.g. after importing purchases or changing the loyalty settings.
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { ConfigError, loadConfig } from '../config.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { defaultChunkSize, recomputeLoyalty } from '../loyalty/recompute.ts';

const usage = `usage: npm run -s loyalty -- recompute [--chunk N]
  recompute    work out every customer's loyalty again now, with new RFM and tier cut points
  --chunk N    customers read per round, 100 to 100000 (default ${defaultChunkSize}); smaller uses less memory`;

const Arguments = v.object({
  command: v.picklist(['recompute'], `Say what to do: \`recompute\`.\n${usage}`),
  chunk: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,6}$/, `--chunk takes a whole number from 100 to 100000.\n${usage}`),
      v.transform(Number),
      v.minValue(100, `--chunk takes a whole number from 100 to 100000.\n${usage}`),
      v.maxValue(100_000, `--chunk takes a whole number from 100 to 100000.\n${usage}`),
    ),
  ),
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => n.toLocaleString('en');

try {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({ args: process.argv.slice(2), options: { chunk: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (parsedArgs.positionals.length > 1) throw new ConfigError(`Give one command.\n${usage}`);
  const parsed = v.safeParse(Arguments, { command: parsedArgs.positionals[0], chunk: parsedArgs.values.chunk });
  if (!parsed.success) throw new ConfigError(parsed.issues[0].message);
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  await migrateDatabase(db);
  if (config.databaseUrl.startsWith('file:')) await db.$client.execute('PRAGMA cache_size = -262144');
  const report = await recomputeLoyalty(db, { chunkSize: parsed.output.chunk, onProgress: (line) => console.error(`${line}…`) });
  const stages = Object.entries(report.stages)
    .map(([stage, n]) => `${stage.replace('_', '-')} ${count(n)}`)
    .join(', ');
  console.log(`Recomputed the loyalty of ${count(report.customers)} customers (${count(report.withPurchases)} with purchases) in ${seconds(report.totalMs)}.`);
  console.log(`  stages: ${stages}; at risk ${count(report.atRisk)}, churned ${count(report.churned)}`);
  console.log(`  tiers by value: VIP ${count(report.tiers.vip)}, important ${count(report.tiers.important)}, ordinary ${count(report.tiers.ordinary)}; ${count(report.tiersSet)} tier(s) on record changed (tiers set by hand are kept)`);
  console.log(`  ${count(report.rewritten)} customer(s) came out different; ${count(report.changes)} stage, tier, at-risk or churn change(s) recorded; ${count(report.keptFromUpdates)} customer(s) updated meanwhile kept their newer standing`);
  console.log(`  reading ${seconds(report.readMs)}, working out and writing ${seconds(report.writeMs)}, switching over ${seconds(report.swapMs)}`);
  db.$client.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
