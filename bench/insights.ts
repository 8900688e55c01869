// The dashboard on a large database: INSIGHTS_RESPONSES responses (1,000,000 unless set) made by the demo
// generator into .bench/insights-<N>.db (kept between runs: the generator is idempotent), folded into the
// aggregates, then a real server answers the dashboard's requests while new responses keep arriving through
// the public API. Each request's p50/p95 is printed beside the same figures computed by a plain GROUP BY over
// the raw answers, in the same run. Runs alone: `node --import tsx bench/insights.ts [--responses N]`.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, type Client } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { surveys, surveyVersions } from '../server/db/schema.ts';
import { demoSlug, fillDemo } from '../server/cli/demo.ts';
import { catchUp } from '../server/insights/processor.ts';
import { catchUpExplorer } from '../server/responses/explorer-index.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { addDays, dayStart } from '../surveys/indices/periods.ts';
import { projectRoot } from './build.ts';
import { freePort, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, formatRatio, printTable, type Cell } from './report.ts';
import { newRunTag, responsePool, submissionBody, taggedId, type SurveyUnderTest } from './responses.ts';

export const insightsTargetP95Ms = 200;
const repeats = 15;
const rawRepeats = 2;
const arrivalsPerSecond = 40;
const zone = 'Asia/Shanghai';

interface Figure {
  name: string;
  path: string;
  /** The same figure from the raw answers: one or more plain GROUP BY queries. */
  raw: { sql: string; args: (string | number)[] }[];
}

const json = (question: string) => `json_extract(r.answers, '$.${question}')`;
const localDay = `date(r.submitted_at / 1000, 'unixepoch', '+8 hours')`;
const month = `strftime('%Y-%m', r.submitted_at / 1000, 'unixepoch', '+8 hours')`;
const week = `strftime('%Y-%W', r.submitted_at / 1000, 'unixepoch', '+8 hours')`;
const quarter = `strftime('%Y', r.submitted_at / 1000, 'unixepoch', '+8 hours') || ((cast(strftime('%m', r.submitted_at / 1000, 'unixepoch', '+8 hours') as integer) + 2) / 3)`;

/** Σx, Σx² and every Σxy of some items, for correlations and PLS, as SQL select terms. */
function crossProducts(items: string[]): string {
  const terms = [`count(*)`];
  items.forEach((a, i) => {
    terms.push(`sum(${a})`);
    for (const b of items.slice(i)) terms.push(`sum(${a} * ${b})`);
  });
  return terms.join(', ');
}

function figures(ids: Record<string, string>, definitions: Record<string, SurveyDefinition>, lastDay: string): Figure[] {
  const year = { from: addDays(lastDay, -364), to: lastDay };
  const half = { from: addDays(lastDay, -181), to: lastDay };
  const month30 = { from: addDays(lastDay, -29), to: lastDay };
  const twoYears = { from: addDays(lastDay, -729), to: lastDay };
  const previousYear = { from: addDays(lastDay, -729), to: addDays(lastDay, -365) };
  const ms = (range: { from: string; to: string }) => [dayStart(range.from, zone), dayStart(addDays(range.to, 1), zone)];
  const where = (surveyId: string | null, range: { from: string; to: string }) => ({
    sql: `${surveyId ? 'r.survey_id = ? AND ' : ''}r.submitted_at >= ? AND r.submitted_at < ?`,
    args: [...(surveyId ? [surveyId] : []), ...ms(range)],
  });
  const q = (range: { from: string; to: string }) => `from=${range.from}&to=${range.to}`;

  const ee = ids[demoSlug]!;
  const attributes = ['product', 'service', 'communication', 'customer_care', 'company_image'];
  const ratio = (a: string) => `(${json(`ee_${a}.experience`)} * 1.0 / ${json(`ee_${a}.expectation`)})`;
  const weighted = `(${attributes.map((a) => `${json(`ee_${a}.importance`)} * ${ratio(a)}`).join(' + ')}) / (${attributes.map((a) => json(`ee_${a}.importance`)).join(' + ')})`;
  const acsiItems = definitions['demo-acsi']!.indexModel!.constructs.flatMap((construct) => construct.items).map(json);

  const overviewRaw = (range: { from: string; to: string }) => {
    const w = where(null, range);
    return {
      sql: `SELECT count(*), count(${json('csat')}), sum(${json('csat')} >= 4), count(${json('nps')}), sum(${json('nps')} >= 9), sum(${json('nps')} <= 6),
                   count(${json('ces')}), sum(${json('ces')}), sum(${json('ces')} * ${json('ces')}), count(${weighted}), sum(${weighted}), sum(${weighted} * ${weighted})
            FROM responses r WHERE ${w.sql}`,
      args: w.args,
    };
  };
  return [
    { name: 'filter options', path: '/api/insights/options', raw: [{ sql: `SELECT survey_id, min(${localDay}), max(${localDay}) FROM responses r GROUP BY survey_id`, args: [] }] },
    { name: 'headline figures, all surveys, 12 months vs the 12 before', path: `/api/insights/overview?${q(year)}`, raw: [overviewRaw(year), overviewRaw(previousYear)] },
    {
      name: 'CSAT by month × channel, 12 months',
      path: `/api/insights/trend?survey=${ids['demo-csat']}&${q(year)}&metric=csat&unit=month&split=channel`,
      raw: [{ sql: `SELECT r.channel, ${month}, count(${json('csat')}), sum(${json('csat')} >= 4) FROM responses r WHERE ${where(ids['demo-csat']!, year).sql} GROUP BY 1, 2`, args: where(ids['demo-csat']!, year).args }],
    },
    {
      name: 'NPS by week × region, 6 months',
      path: `/api/insights/trend?survey=${ids['demo-nps']}&${q(half)}&metric=nps&unit=week&split=region`,
      raw: [{
        sql: `SELECT c.region, ${week}, count(${json('nps')}), sum(${json('nps')} >= 9), sum(${json('nps')} <= 6)
              FROM responses r LEFT JOIN customers c ON c.id = r.customer_id WHERE ${where(ids['demo-nps']!, half).sql} GROUP BY 1, 2`,
        args: where(ids['demo-nps']!, half).args,
      }],
    },
    {
      name: 'index c by day, 30 days, flagged left out',
      path: `/api/insights/trend?survey=${ee}&${q(month30)}&metric=c&unit=day&flagged=exclude`,
      raw: [{ sql: `SELECT ${localDay}, count(*), sum(${weighted}), sum(${weighted} * ${weighted}) FROM responses r WHERE ${where(ee, month30).sql} GROUP BY 1`, args: where(ee, month30).args }],
    },
    {
      name: 'CSAT this year vs last, by customer tier',
      path: `/api/insights/compare?survey=${ids['demo-csat']}&${q(year)}&metric=csat&split=tier`,
      raw: [year, previousYear].map((range) => ({
        sql: `SELECT c.tier, count(${json('csat')}), sum(${json('csat')} >= 4) FROM responses r LEFT JOIN customers c ON c.id = r.customer_id WHERE ${where(ids['demo-csat']!, range).sql} GROUP BY 1`,
        args: where(ids['demo-csat']!, range).args,
      })),
    },
    {
      name: 'key drivers (relative weights), 12 months',
      path: `/api/insights/drivers?survey=${ee}&${q(year)}`,
      raw: [{ sql: `SELECT ${crossProducts([json('overall'), ...attributes.map((a) => json(`ee_${a}.experience`))])} FROM responses r WHERE ${where(ee, year).sql} AND ${json('overall')} IS NOT NULL`, args: where(ee, year).args }],
    },
    {
      name: 'c per attribute, three levels, word of mouth, 12 months',
      path: `/api/insights/levels?survey=${ee}&${q(year)}`,
      raw: [{
        sql: `SELECT count(*), ${attributes.map((a) => `sum(${ratio(a)}), sum(${ratio(a)} * ${ratio(a)})`).join(', ')},
                     sum(${weighted} < 0.9), sum(${weighted} BETWEEN 0.9 AND 1.1), sum(${weighted} > 1.1)
              FROM responses r WHERE ${where(ee, year).sql}`,
        args: where(ee, year).args,
      }],
    },
    {
      name: 'PLS path model, 12 months',
      path: `/api/insights/model?survey=${ids['demo-acsi']}&${q(year)}`,
      raw: [{ sql: `SELECT ${crossProducts(acsiItems)} FROM responses r WHERE ${where(ids['demo-acsi']!, year).sql}`, args: where(ids['demo-acsi']!, year).args }],
    },
    {
      name: 'ACSI index by quarter × channel, 2 years',
      path: `/api/insights/trend?survey=${ids['demo-acsi']}&${q(twoYears)}&metric=acsi:Satisfaction&unit=quarter&split=channel`,
      raw: [{ sql: `SELECT r.channel, ${quarter}, ${crossProducts(acsiItems)} FROM responses r WHERE ${where(ids['demo-acsi']!, twoYears).sql} GROUP BY 1, 2`, args: where(ids['demo-acsi']!, twoYears).args }],
    },
  ];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function timeRaw(client: Client, figure: Figure): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < rawRepeats; run++) {
    const started = performance.now();
    for (const query of figure.raw) await client.execute(query);
    times.push(performance.now() - started);
  }
  return Math.min(...times);
}

export interface InsightsRun {
  responses: number;
  generatedS: number | null;
  foldedS: number | null;
  databaseMb: number;
  arrivals: number;
  arrivalFailures: number;
  arrivalsFolded: boolean;
  rows: { name: string; p50: number; p95: number; raw: number }[];
  overallP95: number;
}

export interface BenchDatabase {
  path: string;
  databaseUrl: string;
  /** Seconds to generate, fold into the aggregates and index for the explorer; null when nothing was to do. */
  generatedS: number | null;
  foldedS: number | null;
  indexedS: number | null;
  ids: Record<string, string>;
  definitions: Record<string, SurveyDefinition>;
  versionIds: Record<string, string>;
  /** The newest response's day in the reporting time zone. */
  lastDay: string;
}

/**
 * The demo database with `responses` responses in .bench/insights-<N>.db, generated once and kept, folded
 * into the dashboard's aggregates and indexed for the responses explorer (each only what is new).
 */
export async function benchDatabase(responses: number): Promise<BenchDatabase> {
  mkdirSync(join(projectRoot, '.bench'), { recursive: true });
  const path = join(projectRoot, `.bench/insights-${responses}.db`);
  const databaseUrl = `file:${path}`;
  const fresh = !existsSync(path);

  const db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  let started = performance.now();
  const made = await fillDemo(db, { responses });
  const generatedS = made.inserted > 0 ? (performance.now() - started) / 1000 : null;
  started = performance.now();
  const folded = await catchUp(db, { batchSize: 20_000 });
  const foldedS = folded > 0 ? (performance.now() - started) / 1000 : null;
  started = performance.now();
  const indexed = await catchUpExplorer(db, { batchSize: 5000 });
  const indexedS = indexed > 0 ? (performance.now() - started) / 1000 : null;
  console.log(
    `  ${fresh ? 'made' : 'reused'} ${path}: ${formatCount(made.inserted)} responses added${generatedS ? ` in ${generatedS.toFixed(1)} s` : ''}, ${formatCount(folded)} folded in${foldedS ? ` in ${foldedS.toFixed(1)} s` : ''}, ${formatCount(indexed)} indexed for the explorer${indexedS ? ` in ${indexedS.toFixed(1)} s` : ''}`,
  );

  const ids: Record<string, string> = {};
  const definitions: Record<string, SurveyDefinition> = {};
  const versionIds: Record<string, string> = {};
  for (const slug of [demoSlug, 'demo-acsi', 'demo-nps', 'demo-csat', 'demo-ces']) {
    const [survey] = await db.select().from(surveys).where(eq(surveys.slug, slug));
    const [version] = await db.select().from(surveyVersions).where(eq(surveyVersions.id, survey!.latestVersionId!));
    ids[slug] = survey!.id;
    definitions[slug] = version!.definition;
    versionIds[slug] = version!.id;
  }
  const last = await db.$client.execute(`SELECT max(submitted_at) FROM responses`);
  const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(Number(last.rows[0]![0]));
  db.$client.close();
  return { path, databaseUrl, generatedS, foldedS, indexedS, ids, definitions, versionIds, lastDay };
}

export async function measureInsights(responses: number): Promise<InsightsRun> {
  // 1. The data: generated once, kept for later runs.
  const { path, databaseUrl, generatedS, foldedS, ids, definitions, versionIds, lastDay } = await benchDatabase(responses);

  // 2. A real server on the file, signed in as an admin.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = startNode('server/main.ts', {
    cwd: projectRoot,
    logPath: join(projectRoot, '.bench/insights-server.log'),
    env: { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl, ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench insights password', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: 'off' },
  });
  await waitForHttp(`${baseUrl}/health`, server, 60_000);
  const signIn = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench insights password' }),
  });
  if (!signIn.ok) throw new Error(`signing in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');

  // 3. Responses keep arriving through the public API while the dashboard is read.
  const survey = { versionId: versionIds[demoSlug]!, definition: definitions[demoSlug]! };
  const arriving = startArrivals(baseUrl, survey, arrivalsPerSecond);

  // 4. Every figure, several times, interleaved; then the raw GROUP BY for each.
  const list = figures(ids, definitions, lastDay);
  const times = new Map<string, number[]>(list.map((figure) => [figure.name, []]));
  for (const figure of list) await fetch(`${baseUrl}${figure.path}`, { headers: { cookie } }); // warm
  for (let round = 0; round < repeats; round++) {
    for (const figure of list) {
      const t0 = performance.now();
      const response = await fetch(`${baseUrl}${figure.path}`, { headers: { cookie } }).catch((error: unknown) => {
        throw new Error(`${figure.path} failed: ${String(error)}\n${server.logTail()}`);
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${figure.path} answered ${response.status}`);
      times.get(figure.name)!.push(performance.now() - t0);
    }
  }
  const raw = createClient({ url: databaseUrl });
  const rawTimes = new Map<string, number>();
  for (const figure of list) rawTimes.set(figure.name, await timeRaw(raw, figure));
  raw.close();
  const { stored: arrivals, failed: arrivalFailures } = await arriving.stop();

  // 5. Every arrival folded in within a few seconds.
  let arrivalsFolded = false;
  for (let wait = 0; wait < 50 && !arrivalsFolded; wait++) {
    // The kept-alive connection may have been closed by the server while the raw queries ran: try again.
    const overview = await fetch(`${baseUrl}/api/insights/overview?from=${lastDay}`, { headers: { cookie } })
      .then((response) => response.json() as Promise<{ pending: number }>)
      .catch(() => null);
    arrivalsFolded = overview?.pending === 0;
    if (!arrivalsFolded) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();

  const all = [...times.values()].flat();
  return {
    responses,
    generatedS,
    foldedS,
    databaseMb: statSync(path).size / 1024 / 1024,
    arrivals,
    arrivalFailures,
    arrivalsFolded,
    rows: list.map((figure) => ({
      name: figure.name,
      p50: percentile(times.get(figure.name)!, 50),
      p95: percentile(times.get(figure.name)!, 95),
      raw: rawTimes.get(figure.name)!,
    })),
    overallP95: percentile(all, 95),
  };
}

export function insightsTable(run: InsightsRun) {
  const rows: Record<string, Cell>[] = run.rows.map((row) => ({
    'dashboard request': row.name,
    'aggregates p50': formatMs(row.p50),
    'aggregates p95': formatMs(row.p95),
    'plain GROUP BY': formatMs(row.raw),
    'GROUP BY ÷ p95': formatRatio(row.raw / row.p95),
    [`< ${insightsTargetP95Ms} ms`]: row.p95 < insightsTargetP95Ms ? 'PASS' : 'MISS',
  }));
  rows.push({
    'dashboard request': `all requests (${run.rows.length} kinds × ${repeats})`,
    'aggregates p50': '',
    'aggregates p95': formatMs(run.overallP95),
    'plain GROUP BY': '',
    'GROUP BY ÷ p95': '',
    [`< ${insightsTargetP95Ms} ms`]: run.overallP95 < insightsTargetP95Ms ? 'PASS' : 'MISS',
  });
  printTable(
    `Dashboard on ${formatCount(run.responses)} responses (${run.databaseMb.toFixed(0)} MB file) while ${formatCount(run.arrivals)} new responses arrived at ~${arrivalsPerSecond}/s (${run.arrivalFailures} failed; ${run.arrivalsFolded ? 'all folded in' : 'NOT all folded in'})`,
    rows,
  );
  if (run.generatedS !== null || run.foldedS !== null) {
    console.log(`  demo generator: ${run.generatedS?.toFixed(1) ?? '-'} s; folding into aggregates: ${run.foldedS?.toFixed(1) ?? '-'} s`);
  }
}

/** How many responses a dashboard or explorer bench run alone works on: --responses, INSIGHTS_RESPONSES, else a million. */
export function responsesAsked(): number {
  const { values } = parseArgs({ options: { responses: { type: 'string' } } });
  const responses = Number(values.responses ?? process.env.INSIGHTS_RESPONSES ?? 1_000_000);
  if (!Number.isInteger(responses) || responses < 1000) {
    console.error('--responses takes a whole number of at least 1000, e.g. --responses 1000000');
    process.exit(1);
  }
  return responses;
}

if (startedAlone(import.meta.url)) runAlone('insights', async () => insightsTable(await measureInsights(responsesAsked())));

/**
 * Responses posted through the public API one after another, about `perSecond` of them, until stopped:
 * the writes a dashboard or the explorer is read under. stop() answers how many were stored and how many failed.
 */
export function startArrivals(baseUrl: string, survey: SurveyUnderTest, perSecond: number) {
  const pool = responsePool(survey.definition, 200);
  const runTag = newRunTag();
  const counts = { stored: 0, failed: 0 };
  let arriving = true;
  const loop = (async () => {
    for (let i = 0; arriving; i++) {
      const body = submissionBody(survey, pool[i % pool.length]!)(taggedId(runTag), Date.now() - 90_000);
      try {
        const response = await fetch(`${baseUrl}/api/public/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        if (response.status === 201 || response.status === 200) counts.stored++;
        else counts.failed++;
      } catch {
        counts.failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    }
  })();
  return {
    async stop() {
      arriving = false;
      await loop;
      return counts;
    },
  };
}
