// The load generator, run as its own process so it does not share an event loop with the bench or the
// server: keep-alive connections POST distinct valid responses with autocannon, then it writes a result file.
// Usage: node --import tsx bench/load-worker.ts <plan.json> <result.json>
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { responsePool, submissionBody, taggedId, type SurveyUnderTest } from './responses.ts';

export interface LoadPlan {
  url: string;
  connections: number;
  survey: SurveyUnderTest;
  runTag: string;
  /** duration: run for a time (requests in flight at the end are cut off); amount: send exactly this many. */
  stopAfter: { durationS: number } | { amount: number; capS: number };
  /** When set, every answer's end time (epoch ms) and latency are written here, to line up with a server trace. */
  timelinePath?: string;
}

export interface LoadResult {
  runTag: string;
  connections: number;
  sent: number;
  answered: number;
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** From the first request to the last answer. */
  activeMs: number;
  answeredPerSecond: number;
  /** True when an amount-bounded run hit its time cap and was cut off. */
  cappedByTime: boolean;
  /** CPU the load generator itself used during the run, to show it was not the bottleneck. */
  generatorCpuMs: number;
}

const poolSize = 2000;
const requestTimeoutS = 10;

async function main(planPath: string, resultPath: string) {
  const plan = JSON.parse(readFileSync(planPath, 'utf8')) as LoadPlan;
  const bodies = responsePool(plan.survey.definition, poolSize).map((template) => submissionBody(plan.survey, template));
  let next = 0;
  const setupRequest = (request: autocannon.Request) => {
    const body = bodies[next++ % bodies.length]!;
    // Customers take one and a half to three and a half minutes to answer.
    const startedAt = Date.now() - 90_000 - (next % 120_000);
    return { ...request, body: body(taggedId(plan.runTag), startedAt) };
  };

  let lastAnswerAt = 0;
  let cappedByTime = false;
  const bounded = 'amount' in plan.stopAfter ? { amount: plan.stopAfter.amount } : { duration: plan.stopAfter.durationS };
  const firstAt = performance.now();
  const cpuBefore = process.cpuUsage();
  let finished!: (outcome: { error: unknown; result: autocannon.Result }) => void;
  const done = new Promise<{ error: unknown; result: autocannon.Result }>((resolve) => (finished = resolve));
  const instance = autocannon({
    url: plan.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    connections: plan.connections,
    pipelining: 1,
    timeout: requestTimeoutS,
    ...bounded,
    requests: [{ method: 'POST', setupRequest }],
  }, (error, result) => finished({ error, result }));
  const timeline: number[] = [];
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    lastAnswerAt = performance.now();
    if (plan.timelinePath) timeline.push(Math.round(performance.timeOrigin + lastAnswerAt), Math.round(responseTime * 10) / 10);
  });
  const cap = 'amount' in plan.stopAfter
    ? setTimeout(() => {
        cappedByTime = true;
        instance.stop();
      }, plan.stopAfter.capS * 1000)
    : undefined;
  const { error, result } = await done;
  clearTimeout(cap);
  const cpuUsed = process.cpuUsage(cpuBefore);
  if (error) throw error;

  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count]),
  );
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  const activeMs = Math.max(1, lastAnswerAt - firstAt);
  const summary: LoadResult = {
    runTag: plan.runTag,
    connections: plan.connections,
    sent: result.requests.sent,
    answered,
    statusCounts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    activeMs,
    answeredPerSecond: (answered / activeMs) * 1000,
    cappedByTime,
    generatorCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
  };
  writeFileSync(resultPath, JSON.stringify(summary));
  if (plan.timelinePath) writeFileSync(plan.timelinePath, JSON.stringify(timeline));
}

const [planPath, resultPath] = process.argv.slice(2);
if (!planPath || !resultPath) {
  console.error('usage: node --import tsx bench/load-worker.ts <plan.json> <result.json>');
  process.exit(2);
}
await main(planPath, resultPath);
