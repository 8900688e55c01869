// Response intake with three loop-closing rules on the survey against the same survey without rules, on one
// server in the same run: rounds alternate between the two (without, with, without, with, …) so a change in the
// machine's load falls on both, and the rate with rules is compared with the rate without.
import { eq } from 'drizzle-orm';
import { openDatabase } from '../server/db/client.ts';
import { loopCatches, surveys } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { frozenVersion } from '../server/responses/service.ts';
import type { LoopRule } from '../surveys/loop-rules.ts';
import { formatCount, formatMs, formatRate, formatRatio, printTable } from './report.ts';
import type { SurveyUnderTest } from './responses.ts';
import { runSubmissionLoad, type SubmissionRun } from './submissions.ts';

/** With rules, intake keeps at least this share of the rate it has without. */
export const loopRuleRatioLimit = 0.9;
const rounds = 3;
const roundTargetS = 5;
const roundCapS = 30;

/** The three rules: a low CSAT on the overall question, c below 0.8 on any attribute, c below 0.6 on the product. */
export const benchLoopRules: LoopRule[] = [
  { id: 'unhappy', kind: 'csat_at_most', question: 'overall', value: 2 },
  { id: 'short_of_expectation', kind: 'c_below', value: 0.8 },
  { id: 'product_let_down', kind: 'c_below', attribute: 'product', value: 0.6 },
];

export interface LoopRuleIntake {
  without: SubmissionRun[];
  withRules: SubmissionRun[];
  /** Answered per second over each side's rounds together. */
  withoutPerSecond: number;
  withRulesPerSecond: number;
  /** The median over the rounds of with ÷ without, each round's pair run back to back (a load spike spoils one). */
  ratio: number;
  /** Responses the rules caught during the measured rounds (each a loop_catches row). */
  catches: number;
}

/** The demo survey again under another link, with the three rules, published. */
async function surveyWithRules(databaseUrl: string, survey: SurveyUnderTest): Promise<SurveyUnderTest> {
  const db = await openDatabase(databaseUrl);
  try {
    const definition = { ...survey.definition, loopRules: benchLoopRules };
    const slug = `demo-loop-${Date.now().toString(36)}`;
    const created = await createSurvey(db, { definition, slug, createdBy: null });
    await publish(db, { id: created.id, publishedBy: 'bench' });
    const [row] = await db.select({ versionId: surveys.latestVersionId }).from(surveys).where(eq(surveys.id, created.id));
    const version = await frozenVersion(db, row!.versionId!);
    return { versionId: version!.id, definition: version!.definition };
  } finally {
    db.$client.close();
  }
}

async function countCatches(databaseUrl: string): Promise<number> {
  const db = await openDatabase(databaseUrl);
  try {
    return (await db.select({ id: loopCatches.responseId }).from(loopCatches)).length;
  } finally {
    db.$client.close();
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const combinedRate = (runs: SubmissionRun[]) =>
  runs.reduce((sum, run) => sum + run.answered, 0) / (runs.reduce((sum, run) => sum + run.activeMs, 0) / 1000);

export async function measureLoopRuleIntake(input: {
  baseUrl: string;
  databaseUrl: string;
  survey: SurveyUnderTest;
  connections: number;
  workDir: string;
  cwd: string;
  serverPid: number | undefined;
  /** The rate of the warm-up without rules, to size the rounds. */
  warmRate: number;
}): Promise<LoopRuleIntake> {
  const ruled = await surveyWithRules(input.databaseUrl, input.survey);
  const amount = Math.max(1_000, Math.round(input.warmRate * roundTargetS));
  const common = { baseUrl: input.baseUrl, databaseUrl: input.databaseUrl, connections: input.connections, workDir: input.workDir, cwd: input.cwd, serverPid: input.serverPid };
  // A short warm-up of the survey with rules, so its version is read and its rules compiled before measuring.
  await runSubmissionLoad({ ...common, survey: ruled, label: 'loop-warm-up', stopAfter: { durationS: 1 } });
  const catchesBefore = await countCatches(input.databaseUrl);
  const without: SubmissionRun[] = [];
  const withRules: SubmissionRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    without.push(await runSubmissionLoad({ ...common, survey: input.survey, label: `loop-without-${round}`, stopAfter: { amount, capS: roundCapS } }));
    withRules.push(await runSubmissionLoad({ ...common, survey: ruled, label: `loop-with-${round}`, stopAfter: { amount, capS: roundCapS } }));
  }
  const withoutPerSecond = combinedRate(without);
  const withRulesPerSecond = combinedRate(withRules);
  return {
    without,
    withRules,
    withoutPerSecond,
    withRulesPerSecond,
    ratio: median(withRules.map((run, index) => run.answeredPerSecond / without[index]!.answeredPerSecond)),
    catches: (await countCatches(input.databaseUrl)) - catchesBefore,
  };
}

export const loopRuleIntakePasses = (result: LoopRuleIntake) =>
  result.ratio >= loopRuleRatioLimit &&
  [...result.without, ...result.withRules].every((run) => run.non2xx === 0 && run.errors === 0 && run.storedRows === (run.statusCounts['201'] ?? 0));

export function loopRuleIntakeTable(result: LoopRuleIntake) {
  const rows = result.without.flatMap((run, index) => {
    const ruled = result.withRules[index]!;
    return [
      { label: `round ${index + 1}, without rules`, run, ratio: '' },
      { label: `round ${index + 1}, three loop-closing rules`, run: ruled, ratio: formatRatio(ruled.answeredPerSecond / run.answeredPerSecond) },
    ];
  });
  printTable(
    `2c. Intake with three loop-closing rules (CSAT ≤ 2, c < 0.8 on any attribute, c < 0.6 on the product) against none, same server, alternating rounds`,
    [
      ...rows.map(({ label, run, ratio }) => ({
        run: label,
        requests: formatCount(run.sent),
        'rows in DB': formatCount(run.storedRows),
        'non-2xx': formatCount(run.non2xx),
        rate: formatRate(run.answeredPerSecond),
        'with ÷ without': ratio,
        p50: formatMs(run.latencyMs.p50),
        p99: formatMs(run.latencyMs.p99),
      })),
      {
        run: `all rounds (limit ≥ ${formatRatio(loopRuleRatioLimit)})`,
        requests: '',
        'rows in DB': `${formatCount(result.catches)} caught`,
        'non-2xx': '',
        rate: `${formatRate(result.withRulesPerSecond)} vs ${formatRate(result.withoutPerSecond)}`,
        'with ÷ without': `${formatRatio(result.ratio)} (median)`,
        p50: '',
        p99: '',
      },
    ],
  );
}
