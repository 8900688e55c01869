// `npm run demo [-- --responses N]`: fills the database named by DATABASE_URL with realistic demo data.
// Idempotent (fixed ids, inserts that skip what exists) and safe while the server runs.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { isVisible, validateAnswers, type AnswerValue, type Answers } from '../surveys/answers.ts';
import { scaleBounds, type Question, type SurveyDefinition } from '../surveys/definition.ts';
import { seeded } from '../surveys/random.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateDatabase, openDatabase, type Db } from './db/client.ts';
import { responses, surveys } from './db/schema.ts';
import { createSurvey, publish } from './surveys/service.ts';

export const demoSlug = 'demo';
const dayMs = 24 * 3600_000;

function demoId(index: number) {
  const hex = createHash('sha256').update(`demo-response-${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const comments = {
  en: ['Quick and friendly service.', 'Delivery took longer than promised.', 'The app is easy to use.', 'Staff solved my problem on the first call.', 'Prices went up without notice.'],
  'zh-CN': ['服务快捷又热情。', '送货比承诺的慢。', '应用很好用。', '客服第一次通话就解决了我的问题。', '价格上涨没有提前通知。'],
};

const channels = [
  { channel: 'web', share: 0.45, lift: 0 },
  { channel: 'onsite', share: 0.2, lift: 0.6 },
  { channel: 'phone', share: 0.2, lift: 0.3 },
  { channel: 'mail', share: 0.15, lift: -0.2 },
] as const;

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** A rating near the customer's mood (0..1) on a scale, clamped to it. */
function rate(random: () => number, mood: number, min: number, max: number) {
  const value = min + (max - min) * mood + (random() - 0.5) * (max - min) * 0.35;
  return Math.max(min, Math.min(max, Math.round(value)));
}

function demoAnswer(question: Question, random: () => number, mood: number, locale: 'zh-CN' | 'en'): AnswerValue {
  switch (question.type) {
    case 'rating':
      return rate(random, mood, scaleBounds(question.scale).min, scaleBounds(question.scale).max);
    case 'nps':
      return rate(random, mood, 0, 10);
    case 'csat':
      return rate(random, mood, 1, 5);
    case 'ces':
      return rate(random, 1 - mood, 1, 7);
    case 'expectation_experience': {
      const { min, max } = scaleBounds(question.scale);
      const expectation = rate(random, 0.65 + random() * 0.2, min, max);
      const experience = rate(random, Math.min(1, mood), min, max);
      return question.withImportance
        ? { expectation, experience, importance: rate(random, 0.5 + random() * 0.5, min, max) }
        : { expectation, experience };
    }
    case 'single_choice':
      return pick(random, question.options).id;
    case 'multiple_choice': {
      const selected = question.options.filter(() => random() < 0.35).map((option) => option.id);
      return { selected: selected.length > 0 ? selected : [question.options[0]!.id] };
    }
    case 'text':
      return pick(random, comments[locale]).slice(0, question.maxLength);
    case 'consent':
      return true;
  }
}

export function demoAnswers(definition: SurveyDefinition, random: () => number, mood: number, locale: 'zh-CN' | 'en'): Answers {
  const answers: Answers = {};
  for (const question of definition.questions) {
    if (!isVisible(question, answers)) continue;
    if (!question.required && random() < (question.type === 'text' ? 0.6 : 0.15)) continue;
    answers[question.id] = demoAnswer(question, random, mood, locale);
  }
  return answers;
}

async function demoSurvey(db: Db) {
  const [existing] = await db.select().from(surveys).where(eq(surveys.slug, demoSlug));
  if (existing?.latestVersionId) return existing;
  const survey = existing ?? (await createSurvey(db, { templateId: 'expectation-experience', slug: demoSlug, createdBy: null }));
  await publish(db, { id: survey.id, publishedBy: 'demo' });
  const [row] = await db.select().from(surveys).where(eq(surveys.slug, demoSlug));
  return row!;
}

export async function fillDemo(db: Db, input: { responses: number; now?: number }) {
  const survey = await demoSurvey(db);
  const [version] = await db.query.surveyVersions.findMany({ where: (t, { eq }) => eq(t.id, survey.latestVersionId!) });
  const definition = version!.definition;
  const now = input.now ?? Date.now();
  let inserted = 0;
  const chunk: (typeof responses.$inferInsert)[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = await db.insert(responses).values(chunk).onConflictDoNothing().returning({ id: responses.id });
    inserted += rows.length;
    chunk.length = 0;
  };
  for (let index = 0; index < input.responses; index++) {
    const random = seeded(index + 1);
    const roll = random();
    let cumulative = 0;
    const channel = channels.find((c) => (cumulative += c.share) >= roll) ?? channels[0];
    const locale = random() < 0.7 ? 'zh-CN' : 'en';
    const daysAgo = random() * 90;
    // Satisfaction drifts upward over the quarter, and differs by channel.
    const mood = Math.max(0, Math.min(1, 0.55 + 0.15 * (1 - daysAgo / 90) + 0.1 * channel.lift + (random() - 0.5) * 0.5));
    const answers = demoAnswers(definition, random, mood, locale);
    const checked = validateAnswers(definition, answers);
    if (!checked.ok) throw new Error(`demo answers do not fit the survey: ${JSON.stringify(checked.errors)}`);
    const submittedAt = Math.round(now - daysAgo * dayMs);
    const durationMs = Math.round(60_000 + random() * 240_000);
    chunk.push({
      id: demoId(index),
      surveyId: survey.id,
      versionId: survey.latestVersionId!,
      channel: channel.channel,
      locale,
      answers: checked.answers,
      startedAt: submittedAt - durationMs,
      submittedAt,
      durationMs,
    });
    if (chunk.length === 500) await flush();
  }
  await flush();
  return { surveyId: survey.id, slug: demoSlug, inserted };
}

const Args = v.object({
  responses: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, '--responses takes a whole number, e.g. --responses 300'),
      v.transform(Number),
      v.maxValue(5_000_000, '--responses takes at most 5,000,000'),
    ),
    '300',
  ),
});

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { values } = parseArgs({ options: { responses: { type: 'string' } } });
    const args = v.safeParse(Args, values);
    if (!args.success) throw new ConfigError(args.issues.map((issue) => issue.message).join('\n'));
    const config = loadConfig();
    const db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
    await migrateDatabase(db);
    const result = await fillDemo(db, { responses: args.output.responses });
    console.log(`Demo survey at ${config.publicUrl}/s/${result.slug}: ${result.inserted} new response(s) (asked for ${args.output.responses}).`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
