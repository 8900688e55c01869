// The responses explorer on the large demo database (the dashboard bench's, bench/insights.ts: 1,000,000
// responses, about 200,000 a survey): a real server answers the explorer's filtered summary and its first page
// while new responses keep arriving through the public API. Each case's p50/p95 is printed beside the same
// result from a plain scan of the responses (json_extract, LIKE), in the same run.
// Runs alone: `node --import tsx bench/explorer.ts [--responses N]`.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { demoSlug } from '../server/cli/demo.ts';
import type { Question, SurveyDefinition } from '../surveys/definition.ts';
import { addDays, dayStart } from '../surveys/indices/periods.ts';
import { projectRoot } from './build.ts';
import { benchDatabase, responsesAsked, startArrivals } from './insights.ts';
import { benchServerEnv, freePort, runAlone, startedAlone, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatMs, formatRatio, printTable, type Cell } from './report.ts';

export const explorerTargetP95Ms = 300;
const repeats = 15;
const rawRepeats = 2;
const arrivalsPerSecond = 40;
const zone = 'Asia/Shanghai';

interface Case {
  name: string;
  survey: string;
  /** The explorer's filters as the page puts them in its address. */
  query: string;
  /** The same filter over the raw responses `r`, for the plain scan. */
  raw: { sql: string; args: (string | number)[] };
}

const json = (path: string) => `json_extract(r.answers, '$.${path}')`;

function cases(ids: Record<string, string>, lastDay: string): Case[] {
  const since = (days: number) => ({ from: addDays(lastDay, -(days - 1)), to: lastDay });
  const range = (days: number) => {
    const { from, to } = since(days);
    return { query: `from=${from}&to=${to}`, sql: 'r.submitted_at >= ? AND r.submitted_at < ?', args: [dayStart(from, zone), dayStart(addDays(to, 1), zone)] };
  };
  const year = range(365);
  const half = range(182);
  return [
    { name: 'whole survey (the largest), no filter', survey: ids[demoSlug]!, query: '', raw: { sql: '1', args: [] } },
    {
      name: 'NPS ≤ 6, 12 months',
      survey: ids['demo-nps']!,
      query: `${year.query}&answer=nps:le:6`,
      raw: { sql: `${year.sql} AND ${json('nps')} <= 6`, args: year.args },
    },
    {
      name: 'c < 1 on service, phone, no quality flag',
      survey: ids[demoSlug]!,
      query: 'answer=ee_service.c:lt:1&channel=phone&quality=clean',
      raw: {
        sql: `${json('ee_service.experience')} * 1.0 / ${json('ee_service.expectation')} < 1 AND r.channel = 'phone'
              AND coalesce((SELECT q.flags FROM response_quality q WHERE q.response_rowid = r.rowid), 0) = 0`,
        args: [],
      },
    },
    { name: 'comments with 服务 (a 2-character word)', survey: ids[demoSlug]!, query: `q=${encodeURIComponent('服务')}`, raw: { sql: `r.answers LIKE '%服务%'`, args: [] } },
    {
      name: 'segment enterprise, web or mail, 6 months',
      survey: ids['demo-nps']!,
      query: `${half.query}&segment=enterprise&channel=web,mail`,
      raw: { sql: `${half.sql} AND r.channel IN ('web', 'mail') AND r.customer_id IN (SELECT id FROM customers WHERE segment = 'enterprise')`, args: half.args },
    },
    {
      name: 'comments with "delivery", CSAT ≤ 3',
      survey: ids['demo-csat']!,
      query: `q=delivery&answer=csat:le:3`,
      raw: { sql: `lower(r.answers) LIKE '%delivery%' AND ${json('csat')} <= 3`, args: [] },
    },
  ];
}

/** The same summary the plain way: one GROUP BY over the raw answers per question, newest comments by a sort. */
function rawSummary(surveyId: string, definition: SurveyDefinition, filter: Case['raw']): { sql: string; args: (string | number)[] }[] {
  const where = { sql: `r.survey_id = ? AND ${filter.sql}`, args: [surveyId, ...filter.args] };
  const byQuestion = (question: Question) => {
    switch (question.type) {
      case 'expectation_experience':
        return `SELECT ${json(`${question.id}.expectation`)}, ${json(`${question.id}.experience`)}, count(*), sum(${json(`${question.id}.experience`)} * 1.0 / ${json(`${question.id}.expectation`)}) FROM responses r WHERE ${where.sql} GROUP BY 1, 2`;
      case 'text':
        return `SELECT r.id, ${json(question.id)} FROM responses r WHERE ${where.sql} AND ${json(question.id)} IS NOT NULL ORDER BY r.submitted_at DESC LIMIT 5`;
      default:
        return `SELECT ${json(question.id)}, count(*) FROM responses r WHERE ${where.sql} GROUP BY 1`;
    }
  };
  return [`SELECT count(*) FROM responses r WHERE ${where.sql}`, ...definition.questions.map(byQuestion)].map((sql) => ({ sql, args: where.args }));
}

function rawPage(surveyId: string, filter: Case['raw']) {
  return [{ sql: `SELECT r.id, r.answers FROM responses r WHERE r.survey_id = ? AND ${filter.sql} ORDER BY r.submitted_at DESC, r.id DESC LIMIT 51`, args: [surveyId, ...filter.args] }];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function timeRaw(client: Client, queries: { sql: string; args: (string | number)[] }[]): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < rawRepeats; run++) {
    const started = performance.now();
    for (const query of queries) await client.execute(query);
    times.push(performance.now() - started);
  }
  return Math.min(...times);
}

export interface ExplorerRun {
  responses: number;
  indexedS: number | null;
  databaseMb: number;
  arrivals: number;
  arrivalFailures: number;
  arrivalsIndexed: boolean;
  rows: { name: string; n: number; summaryP50: number; summaryP95: number; pageP50: number; pageP95: number; rawSummary: number; rawPage: number }[];
  overallP95: number;
}

export async function measureExplorer(responses: number): Promise<ExplorerRun> {
  const built = await benchDatabase(responses);
  const { databaseUrl, ids, definitions, versionIds, lastDay } = built;
  const definitionOf = (surveyId: string) => definitions[Object.keys(ids).find((slug) => ids[slug] === surveyId)!]!;

  // A real server on the file, signed in as its admin.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The dashboard bench's admin: the kept database already has that account.
  const env = { ...benchServerEnv({ port, databaseUrl, logLevel: 'silent' }), ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench insights password' };
  const server = startNode('server/main.ts', { cwd: projectRoot, logPath: join(projectRoot, '.bench/explorer-server.log'), env });
  await waitForHttp(`${baseUrl}/health`, server, 60_000);
  const signIn = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`signing in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');

  // Responses keep arriving through the public API while the explorer is read.
  const survey = { versionId: versionIds[demoSlug]!, definition: definitions[demoSlug]! };
  const arriving = startArrivals(baseUrl, survey, arrivalsPerSecond);

  const list = cases(ids, lastDay);
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } }).catch((error: unknown) => {
      throw new Error(`${path} failed: ${String(error)}\n${server.logTail()}`);
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
    return { ms: performance.now() - started, body };
  };
  const paths = (entry: Case) => ({
    summary: `/api/surveys/${entry.survey}/explorer/summary?${entry.query}`,
    page: `/api/surveys/${entry.survey}/explorer/responses?${entry.query}&limit=50`,
  });
  const sizes = new Map<string, number>();
  for (const entry of list) {
    sizes.set(entry.name, (JSON.parse((await get(paths(entry).summary)).body) as { n: number }).n); // warm
    await get(paths(entry).page);
  }
  const times = new Map(list.map((entry) => [entry.name, { summary: [] as number[], page: [] as number[] }]));
  for (let round = 0; round < repeats; round++) {
    for (const entry of list) {
      // One after the other, as the dashboard bench asks: each request's own time.
      const summary = await get(paths(entry).summary);
      const page = await get(paths(entry).page);
      times.get(entry.name)!.summary.push(summary.ms);
      times.get(entry.name)!.page.push(page.ms);
    }
  }
  const raw = createClient({ url: databaseUrl });
  const rawTimes = new Map<string, { summary: number; page: number }>();
  for (const entry of list) {
    rawTimes.set(entry.name, {
      summary: await timeRaw(raw, rawSummary(entry.survey, definitionOf(entry.survey), entry.raw)),
      page: await timeRaw(raw, rawPage(entry.survey, entry.raw)),
    });
  }
  raw.close();
  const { stored: arrivals, failed: arrivalFailures } = await arriving.stop();

  // Every arrival indexed within a few seconds.
  let arrivalsIndexed = false;
  for (let wait = 0; wait < 50 && !arrivalsIndexed; wait++) {
    const summary = await fetch(`${baseUrl}/api/surveys/${ids[demoSlug]}/explorer/summary`, { headers: { cookie } })
      .then((response) => response.json() as Promise<{ pending: number }>)
      .catch(() => null);
    arrivalsIndexed = summary?.pending === 0;
    if (!arrivalsIndexed) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();

  const all = [...times.values()].flatMap((entry) => [...entry.summary, ...entry.page]);
  return {
    responses,
    indexedS: built.indexedS,
    databaseMb: statSync(built.path).size / 1024 / 1024,
    arrivals,
    arrivalFailures,
    arrivalsIndexed,
    rows: list.map((entry) => {
      const measured = times.get(entry.name)!;
      return {
        name: entry.name,
        n: sizes.get(entry.name)!,
        summaryP50: percentile(measured.summary, 50),
        summaryP95: percentile(measured.summary, 95),
        pageP50: percentile(measured.page, 50),
        pageP95: percentile(measured.page, 95),
        rawSummary: rawTimes.get(entry.name)!.summary,
        rawPage: rawTimes.get(entry.name)!.page,
      };
    }),
    overallP95: percentile(all, 95),
  };
}

export const explorerPasses = (run: ExplorerRun) =>
  run.rows.every((row) => row.summaryP95 < explorerTargetP95Ms && row.pageP95 < explorerTargetP95Ms) && run.arrivalsIndexed && run.arrivalFailures === 0;

export function explorerTable(run: ExplorerRun) {
  const rows: Record<string, Cell>[] = run.rows.map((row) => ({
    'filter': row.name,
    'n': formatCount(row.n),
    'summary p50': formatMs(row.summaryP50),
    'summary p95': formatMs(row.summaryP95),
    'first page p95': formatMs(row.pageP95),
    'plain scan, summary': formatMs(row.rawSummary),
    'plain scan, page': formatMs(row.rawPage),
    'scan ÷ p95': formatRatio(row.rawSummary / row.summaryP95),
    [`< ${explorerTargetP95Ms} ms`]: row.summaryP95 < explorerTargetP95Ms && row.pageP95 < explorerTargetP95Ms ? 'PASS' : 'MISS',
  }));
  rows.push({
    'filter': `all requests (${run.rows.length} filters × 2 × ${repeats})`,
    'n': '',
    'summary p50': '',
    'summary p95': formatMs(run.overallP95),
    'first page p95': '',
    'plain scan, summary': '',
    'plain scan, page': '',
    'scan ÷ p95': '',
    [`< ${explorerTargetP95Ms} ms`]: run.overallP95 < explorerTargetP95Ms ? 'PASS' : 'MISS',
  });
  printTable(
    `Responses explorer on ${formatCount(run.responses)} responses (${run.databaseMb.toFixed(0)} MB file) while ${formatCount(run.arrivals)} new responses arrived at ~${arrivalsPerSecond}/s (${run.arrivalFailures} failed; ${run.arrivalsIndexed ? 'all indexed' : 'NOT all indexed'})`,
    rows,
  );
  if (run.indexedS !== null) console.log(`  indexing for the explorer: ${run.indexedS.toFixed(1)} s`);
}

if (startedAlone(import.meta.url)) runAlone('explorer', async () => explorerTable(await measureExplorer(responsesAsked())));
