// Public submissions through the HTTP API under load, and the check that every 201 is a stored row.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { Db } from '../server/db/client.ts';
import * as schema from '../server/db/schema.ts';
import { pendingResponses } from '../server/insights/processor.ts';
import type { LoadPlan, LoadResult } from './load-worker.ts';
import { processCpuMs, runNode } from './processes.ts';
import { newRunTag, responsePool, submissionBody, taggedId, type SurveyUnderTest } from './responses.ts';

export interface SubmissionRun extends LoadResult {
  /** Rows in the database whose id carries this run's tag. */
  storedRows: number;
  /** CPU the server process used during the run, when /proc tells. */
  serverCpuMs: number | undefined;
}

const workerTimeoutMarginMs = 30_000;
const catchUpLimitMs = 180_000;

/** POSTs one response twice: the first must be stored (201), the repeat recognised as a duplicate (200). */
export async function checkIdempotentSubmission(baseUrl: string, survey: SurveyUnderTest) {
  const [template] = responsePool(survey.definition, 1);
  const body = submissionBody(survey, template!)(taggedId(newRunTag()), Date.now() - 120_000);
  const post = () =>
    fetch(`${baseUrl}/api/public/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  const first = await post();
  const firstText = await first.text();
  if (first.status !== 201) throw new Error(`a valid submission was refused (${first.status}): ${firstText}`);
  const repeat = await post();
  const repeatJson = (await repeat.json()) as { status?: string };
  if (repeat.status !== 200 || repeatJson.status !== 'duplicate') {
    throw new Error(`a repeated submission was not recognised as a duplicate (${repeat.status} ${JSON.stringify(repeatJson)})`);
  }
}

export async function countTaggedRows(databaseUrl: string, runTag: string): Promise<number> {
  const client = createClient({ url: databaseUrl });
  try {
    const result = await client.execute({ sql: 'SELECT count(*) AS n FROM responses WHERE id LIKE ?', args: [`${runTag}%`] });
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    client.close();
  }
}

/** One load run in a separate process, then the stored rows with its tag counted in the database file. */
export async function runSubmissionLoad(input: {
  baseUrl: string;
  databaseUrl: string;
  survey: SurveyUnderTest;
  connections: number;
  stopAfter: LoadPlan['stopAfter'];
  workDir: string;
  cwd: string;
  label: string;
  serverPid: number | undefined;
  /** Write every answer's end time and latency to this file (see LoadPlan). */
  timelinePath?: string;
}): Promise<SubmissionRun> {
  const plan: LoadPlan = {
    url: `${input.baseUrl}/api/public/responses`,
    connections: input.connections,
    survey: input.survey,
    runTag: newRunTag(),
    stopAfter: input.stopAfter,
    ...(input.timelinePath ? { timelinePath: input.timelinePath } : {}),
  };
  const planPath = join(input.workDir, `load-${input.label}-plan.json`);
  const resultPath = join(input.workDir, `load-${input.label}-result.json`);
  writeFileSync(planPath, JSON.stringify(plan));
  const serverCpuBefore = processCpuMs(input.serverPid);
  const boundS = 'amount' in plan.stopAfter ? plan.stopAfter.capS : plan.stopAfter.durationS;
  await runNode('bench/load-worker.ts', {
    args: [planPath, resultPath],
    env: {},
    logPath: join(input.workDir, `load-${input.label}.log`),
    cwd: input.cwd,
    timeoutMs: boundS * 1000 + workerTimeoutMarginMs,
  });
  const serverCpuAfter = processCpuMs(input.serverPid);
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as LoadResult;
  return {
    ...result,
    storedRows: await countTaggedRows(input.databaseUrl, plan.runTag),
    serverCpuMs: serverCpuBefore !== undefined && serverCpuAfter !== undefined ? serverCpuAfter - serverCpuBefore : undefined,
  };
}

export interface CatchUp {
  /** Responses not yet folded into the aggregates when the measured run ended. */
  pendingAtEnd: number;
  /** From the end of the run until none was pending; null when that did not happen within the limit. */
  catchUpMs: number | null;
}

/** Polls the aggregates' cursor until every stored response is folded in (a plain reading connection). */
export async function waitForCatchUp(databaseUrl: string): Promise<CatchUp> {
  const db = drizzle(createClient({ url: databaseUrl }), { schema }) as Db;
  try {
    const started = performance.now();
    const pendingAtEnd = await pendingResponses(db);
    for (let pending = pendingAtEnd; pending > 0; pending = await pendingResponses(db)) {
      if (performance.now() - started > catchUpLimitMs) return { pendingAtEnd, catchUpMs: null };
      await new Promise((done) => setTimeout(done, 100));
    }
    return { pendingAtEnd, catchUpMs: performance.now() - started };
  } finally {
    db.$client.close();
  }
}
