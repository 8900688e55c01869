// The big loyalty database the loyalty benches share: 1,000,000 customers and 10,000,000 purchases over
// three years (some customers never bought, some stopped long ago, a few refunds and a few purchases in
// US dollars), NPS and ACSI responses from a fifth of the customers, and complaint cases with their
// outcomes for a tenth. Made by plain SQL (INSERT … SELECT over recursive counters, rows in primary-key
// order so every index is appended to) into .bench/loyalty-<customers>.db once, and kept between runs.
//
//   loyaltyBenchDatabase(options?) → { path, databaseUrl, customers, purchases }
//
// Customers carry external ids (loyaltyBenchExternalId), so purchases can arrive through POST /api/v1/purchases;
// the responses are folded into the dashboard's aggregates once, so a server started on the file starts idle,
// and every customer's loyalty is worked out once (customer_loyalty, loyalty_changes, the tiers on record).
//
// Runs alone to make (or report) the file: `node --import tsx bench/loyalty-data.ts [--customers N]`.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { migrateDatabase, openDatabase, type Db } from '../server/db/client.ts';
import { surveys, surveyVersions } from '../server/db/schema.ts';
import { catchUp } from '../server/insights/processor.ts';
import { recomputeLoyalty } from '../server/loyalty/recompute.ts';
import { defaultLoyaltySettings, saveLoyaltySettings } from '../server/loyalty/settings.ts';
import { catchUpExplorer } from '../server/responses/explorer-index.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import type { TemplateId } from '../surveys/templates/index.ts';
import { projectRoot } from './build.ts';
import { formatCount } from './report.ts';
import { runAlone, startedAlone } from './processes.ts';

export const loyaltyBenchCustomers = 1_000_000;
const dayMs = 86_400_000;
const spanDays = 3 * 365;

/** Sequential UUID-shaped ids, so a million inserts append to the primary-key index. */
export const loyaltyBenchCustomerId = (i: number) => `b1000000-0001-4000-a000-${i.toString(16).padStart(12, '0')}`;
const customerIdSql = (column: string) => `printf('b1000000-0001-4000-a000-%012x', ${column})`;
/** The id integrations know the customer by (purchases name customers by it): LB and the same 12 hex digits. */
export const loyaltyBenchExternalId = (i: number) => `LB${i.toString(16).padStart(12, '0')}`;
/** A deterministic spread 0 ≤ h < m from a counter, different for each salt. */
const hash = (column: string, salt: number, m: number) => `((((${column}) + ${salt}) * 2654435761) % 4294967291 % ${m})`;

/**
 * Purchases per customer: customers come in pairs whose counts add to 20, so N customers make exactly 10 × N
 * purchases; the odd one of a pair has 0-19 (0 for about one in 40 of all customers: prospects), the even one
 * 20 less that.
 */
const countSql = (c: string) => `CASE WHEN ${c} % 2 = 1 THEN ${hash(c, 11, 20)} ELSE 20 - ${hash(`${c} - 1`, 11, 20)} END`;

function fillStatements(customers: number, now: number, survey: { nps: BenchSurvey; acsi: BenchSurvey }): InStatement[] {
  const counter = (name: string, to: number | string) => `${name}(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM ${name} WHERE i < ${to})`;
  return [
    {
      sql: `INSERT INTO customers (id, external_id, name, email, tier, tier_set_by_hand, objects_to_profiling, segment, region, locale, created_at, updated_at)
            WITH RECURSIVE ${counter('n', '?')}
            SELECT ${customerIdSql('i')}, printf('LB%012x', i), 'Loyalty bench customer ' || i, 'loyalty-bench-' || i || '@example.com',
                   CASE WHEN i % 500 = 7 THEN 'vip' ELSE 'ordinary' END, i % 500 = 7, i % 100 = 13,
                   CASE i % 4 WHEN 0 THEN 'retail' WHEN 1 THEN 'small business' WHEN 2 THEN 'enterprise' ELSE 'public sector' END,
                   CASE i % 3 WHEN 0 THEN 'East China' WHEN 1 THEN 'North China' ELSE 'South China' END,
                   CASE WHEN i % 3 = 0 THEN 'en' ELSE 'zh-CN' END, ${now - spanDays * dayMs}, ${now - spanDays * dayMs}
            FROM n`,
      args: [customers],
    },
    // Each customer buys from a start day in the first year to an end day: most are still buying (the end
    // within the last two months), three in ten stopped up to two years ago. Purchases spread evenly between.
    {
      sql: `INSERT INTO purchases (customer_id, order_id, occurred_at, amount_minor, currency, channel, source, created_at)
            WITH RECURSIVE ${counter('n', '?')}, ${counter('k', 20)},
                 c AS (SELECT i, ${countSql('i')} AS cnt,
                              ${now} - ${spanDays * dayMs} + ${hash('i', 3, 365)} * ${dayMs} AS start,
                              ${now} - (CASE WHEN ${hash('i', 5, 10)} < 7 THEN ${hash('i', 7, 60)} ELSE ${hash('i', 7, 700)} END) * ${dayMs} AS finish
                       FROM n),
                 p AS (SELECT c.i, k.i AS k, c.cnt, c.start, max(c.finish, c.start + ${dayMs}) AS finish FROM c CROSS JOIN k WHERE k.i <= c.cnt)
            SELECT ${customerIdSql('p.i')}, printf('bo%07d-%02d', p.i, p.k),
                   min(p.start + (p.finish - p.start) * (p.k - 1) / max(p.cnt - 1, 1) + ${hash('p.i * 20 + p.k', 13, 43_200_000)}, ${now - 60_000}),
                   CASE WHEN p.i % 20 = 9 THEN 500 + ${hash('p.i * 20 + p.k', 17, 30000)} ELSE 1000 + ${hash('p.i * 20 + p.k', 19, 200000)} END,
                   CASE WHEN p.i % 20 = 9 THEN 'USD' ELSE 'CNY' END,
                   CASE (p.i + p.k) % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'store' ELSE 'phone' END, 'demo', ${now}
            FROM p`,
      args: [customers],
    },
    // One purchase in 200 was refunded in full a few days later.
    {
      sql: `INSERT INTO purchases (customer_id, order_id, refund_of, occurred_at, amount_minor, currency, channel, source, created_at)
            SELECT customer_id, 'refund-' || order_id, order_id, occurred_at + 3 * ${dayMs}, -amount_minor, currency, channel, 'demo', ${now}
            FROM purchases WHERE id % 200 = 0 AND occurred_at + 3 * ${dayMs} < ${now}`,
      args: [],
    },
    // NPS answers from one customer in five, ACSI repurchase intent from one in ten, over the last two years.
    {
      sql: `INSERT INTO responses (id, survey_id, version_id, channel, locale, answers, submitted_at, customer_id)
            WITH RECURSIVE ${counter('n', '?')}
            SELECT printf('b1000000-0002-4000-a000-%012x', i), ?, ?, 'web', 'zh-CN',
                   json_object('nps', CASE WHEN ${hash('i', 23, 10)} < 6 THEN 9 + ${hash('i', 29, 2)} ELSE ${hash('i', 31, 9)} END),
                   ${now} - ${hash('i', 37, 730)} * ${dayMs} - ${hash('i', 41, dayMs)}, ${customerIdSql('i * 5')}
            FROM n`,
      args: [Math.floor(customers / 5), survey.nps.id, survey.nps.versionId],
    },
    {
      sql: `INSERT INTO responses (id, survey_id, version_id, channel, locale, answers, submitted_at, customer_id)
            WITH RECURSIVE ${counter('n', '?')}
            SELECT printf('b1000000-0003-4000-a000-%012x', i), ?, ?, 'web', 'zh-CN',
                   json_object('loyal_repurchase', 1 + ${hash('i', 43, 10)}),
                   ${now} - ${hash('i', 47, 730)} * ${dayMs} - ${hash('i', 53, dayMs)}, ${customerIdSql('i * 10 - 7')}
            FROM n`,
      args: [Math.floor(customers / 10), survey.acsi.id, survey.acsi.versionId],
    },
    // A complaint case for one customer in ten, over the last two years: most finished with an outcome, one in
    // twenty still open, one in seven major.
    {
      sql: `INSERT INTO complaint_cases (
              id, number, reference, status, source, channel, category, severity, description, locale, customer_id, contact_consent,
              contact_channel, first_responded_at, resolved_at, closed_at, deadlines_missed, handling_score, outcome, customer_left,
              status_token, reply_token, version, created_at, updated_at, reopen_count)
            WITH RECURSIVE ${counter('n', '?')},
                 c AS (SELECT i, ${now} - ${hash('i', 59, 730)} * ${dayMs} - ${hash('i', 61, dayMs)} AS created,
                              CASE WHEN i % 20 = 0 THEN 'in_progress' WHEN ${hash('i', 67, 730)} < 7 THEN 'resolved' ELSE 'closed' END AS status FROM n)
            SELECT printf('b1000000-0004-4000-a000-%012x', i), 900000000 + i, printf('C-B-%07d', i), status, 'form', 'web',
                   CASE i % 4 WHEN 0 THEN 'product' WHEN 1 THEN 'service' WHEN 2 THEN 'delivery' ELSE 'billing' END,
                   CASE WHEN i % 7 = 3 THEN 'major' ELSE 'minor' END, 'Loyalty bench complaint ' || i, 'zh-CN', ${customerIdSql('i * 10 - 3')}, 1, 'email',
                   created + 3600000, CASE WHEN status <> 'in_progress' THEN created + (i % 90 + 2) * 3600000 END,
                   CASE WHEN status = 'closed' THEN created + (i % 90 + 170) * 3600000 END, '[]',
                   CASE WHEN status <> 'in_progress' AND i % 3 = 0 THEN 1 + i % 5 END,
                   CASE WHEN status = 'in_progress' THEN NULL WHEN i % 11 = 0 THEN 'unresolved' WHEN i % 3 = 0 THEN 'resolved_quickly' ELSE 'resolved' END,
                   i % 11 = 0 AND i % 2 = 0, printf('blt%012x', i), printf('blr%012x', i), 1, created, created, 0
            FROM c`,
      args: [Math.floor(customers / 10)],
    },
  ];
}

interface BenchSurvey {
  id: string;
  versionId: string;
}

async function benchSurvey(db: Db, templateId: TemplateId, slug: string): Promise<BenchSurvey> {
  let [row] = await db.select().from(surveys).where(eq(surveys.slug, slug));
  if (!row?.latestVersionId) {
    const id = row?.id ?? (await createSurvey(db, { templateId, slug, createdBy: null })).id;
    await publish(db, { id, publishedBy: 'bench' });
    [row] = await db.select().from(surveys).where(eq(surveys.slug, slug));
  }
  const [version] = await db.select({ id: surveyVersions.id }).from(surveyVersions).where(eq(surveyVersions.id, row!.latestVersionId!));
  return { id: row!.id, versionId: version!.id };
}

export interface LoyaltyBenchDatabase {
  path: string;
  databaseUrl: string;
  customers: number;
  purchases: number;
}

/**
 * The loyalty database in .bench/loyalty-<customers>.db, made on first use (a few minutes) and kept. Its
 * loyalty settings know CNY (base) and USD; every customer's loyalty has been worked out once.
 */
export async function loyaltyBenchDatabase(options: { customers?: number; log?: (line: string) => void } = {}): Promise<LoyaltyBenchDatabase> {
  const customers = options.customers ?? loyaltyBenchCustomers;
  const log = options.log ?? ((line: string) => console.log(line));
  if (!Number.isInteger(customers) || customers < 2 || customers % 2 !== 0) throw new Error('The loyalty bench takes an even number of customers.');
  mkdirSync(join(projectRoot, '.bench'), { recursive: true });
  const path = join(projectRoot, `.bench/loyalty-${customers}.db`);
  const databaseUrl = `file:${path}`;
  const fresh = !existsSync(path);
  const db = await openDatabase(databaseUrl);
  try {
    await migrateDatabase(db);
    const had = Number((await db.$client.execute(`SELECT count(*) FROM customers WHERE id LIKE 'b1000000-0001-%'`)).rows[0]![0]);
    let generatedS: number | null = null;
    if (had < customers) {
      if (had > 0) throw new Error(`${path} holds a partly made loyalty bench (${had} customers); remove it and run again.`);
      await db.$client.execute('PRAGMA cache_size = -524288');
      await db.$client.execute('PRAGMA synchronous = OFF');
      await db.$client.execute('PRAGMA journal_mode = WAL');
      const survey = { nps: await benchSurvey(db, 'relationship-nps', 'bench-loyalty-nps'), acsi: await benchSurvey(db, 'acsi', 'bench-loyalty-acsi') };
      await saveLoyaltySettings(db, { ...defaultLoyaltySettings, currency: { base: 'CNY', rates: { CNY: 1, USD: 7.1 } } }, 'bench');
      const started = performance.now();
      log(`  making ${path} (${formatCount(customers)} customers, ${formatCount(customers * 10)} purchases; a few minutes, once)…`);
      // One transaction: a fill stopped halfway leaves no partial database behind to be mistaken for a whole one.
      await db.$client.batch(fillStatements(customers, Date.now(), survey), 'write');
      await db.$client.execute('ANALYZE');
      await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      generatedS = (performance.now() - started) / 1000;
    }
    // A file made before customers had external ids gets them (purchases through the API name customers by them).
    await db.$client.execute(`UPDATE customers SET external_id = 'LB' || substr(id, 25) WHERE id LIKE 'b1000000-0001-%' AND external_id IS NULL`);
    // Statistics taken while every external id was empty tell the planner that one id matches every customer, and
    // it then scans all of them to look a batch of purchases' customers up: they are taken again.
    const externalIdStat = await db.$client.execute(`SELECT stat FROM sqlite_stat1 WHERE idx = 'customers_external_id_unique'`);
    const rowsPerId = Number(String(externalIdStat.rows[0]?.[0] ?? '0 1').split(' ')[1]);
    if (rowsPerId > 1) await db.$client.execute('ANALYZE customers');
    // The responses are folded into the dashboard's aggregates and the explorer's index now, as a running server
    // would have, so a server started on the file has nothing to catch up on.
    const folded = await catchUp(db);
    const indexed = await catchUpExplorer(db);
    if (folded + indexed > 0) log(`  folded ${formatCount(folded)} responses into the dashboard's aggregates, indexed ${formatCount(indexed)} for the explorer`);
    // Every customer's standing worked out once, so the benches that read it (the loyalty dashboard) find it and
    // a measured recompute is the usual one, over standings already there.
    const worked = Number((await db.$client.execute('SELECT count(*) FROM customer_loyalty')).rows[0]![0]);
    if (worked === 0) {
      log('  working out every customer\'s loyalty once (a few minutes, once)…');
      const report = await recomputeLoyalty(db);
      log(`  worked out ${formatCount(report.customers)} customers in ${(report.totalMs / 1000).toFixed(1)} s`);
    }
    const counts = (await db.$client.execute(`SELECT (SELECT count(*) FROM customers WHERE id LIKE 'b1000000-0001-%'), (SELECT count(*) FROM purchases)`)).rows[0]!;
    const result = { path, databaseUrl, customers: Number(counts[0]), purchases: Number(counts[1]) };
    log(
      `  ${fresh ? 'made' : 'reused'} ${path}: ${formatCount(result.customers)} customers, ${formatCount(result.purchases)} purchases, ` +
        `${(statSync(path).size / 1024 / 1024).toFixed(0)} MB${generatedS !== null ? `, generated in ${generatedS.toFixed(1)} s` : ''}`,
    );
    return result;
  } finally {
    db.$client.close();
  }
}

if (startedAlone(import.meta.url)) {
  runAlone('loyalty-data', async () => {
    const { values } = parseArgs({ options: { customers: { type: 'string' } } });
    const customers = Number(values.customers ?? loyaltyBenchCustomers);
    if (!Number.isInteger(customers) || customers < 1000 || customers % 2 !== 0) {
      console.error('--customers takes an even whole number of at least 1000, e.g. --customers 1000000');
      process.exit(1);
    }
    await loyaltyBenchDatabase({ customers });
  });
}
