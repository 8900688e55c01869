// What the data rights tests (erasure, retention) share: the survey their customers answered, with a score, an
// open question and a choice with "Other"; and the figures every dashboard shows, read as a fresh process reads
// them, so a test can check they are the same before, after, and after a full recomputation.
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/client.ts';
import { StaffClient, type TestApp } from './app.ts';

export const privacySurvey: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '满意度', en: 'Satisfaction' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐吗？', en: 'Recommend?' } },
    { id: 'why', type: 'text', required: false, title: { 'zh-CN': '原因', en: 'Why?' }, maxLength: 1000, multiline: true },
    {
      id: 'liked',
      type: 'multiple_choice',
      required: false,
      allowOther: true,
      title: { 'zh-CN': '喜欢什么', en: 'What did you like?' },
      options: [
        { id: 'price', label: { 'zh-CN': '价格', en: 'Price' } },
        { id: 'service', label: { 'zh-CN': '服务', en: 'Service' } },
      ],
    },
  ],
} as SurveyDefinition;

/**
 * The figures without what is not a figure: when the reading was made, and the names of the customers named in
 * `namesLeftOut` where a list (at risk, movers) names its customers; their rows stay, with every number.
 */
export function figuresOnly(value: unknown, namesLeftOut: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((inner) => figuresOnly(inner, namesLeftOut));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(
    ([key]) => key !== 'computedAt' && !(key === 'name' && namesLeftOut.has((value as { customerId?: string }).customerId ?? '')),
  );
  return Object.fromEntries(entries.map(([key, inner]) => [key, figuresOnly(inner, namesLeftOut)]));
}

/** The figures of `routes` as a fresh server process reads them: a connection of its own, so no reading kept from before. */
export async function figuresRead(test: TestApp, reader: StaffClient, routes: readonly string[], namesLeftOut?: ReadonlySet<string>): Promise<unknown[]> {
  const db = await openDatabase(test.databaseUrl);
  const app = createApp({ db, config: loadConfig({ DATABASE_URL: test.databaseUrl, LOG_LEVEL: 'silent' }) });
  const client = new StaffClient({ ...test, db, app }, reader.cookie, reader.csrfToken);
  const read: unknown[] = [];
  try {
    for (const route of routes) {
      const response = await client.request('GET', route);
      if (response.status !== 200) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
      read.push(figuresOnly(await response.json(), namesLeftOut));
    }
  } finally {
    db.$client.close();
  }
  return read;
}
