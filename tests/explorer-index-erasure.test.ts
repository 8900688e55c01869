// The explorer's index and an erasure at the same moment: the index reads the next responses, a customer's
// erasure (or a retention batch) commits in another process, and only then does the index write. The words
// the erasure took out must not come back in the comment search.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { customers, responses } from '../server/db/schema.ts';
import { catchUp as catchUpAggregates } from '../server/insights/processor.ts';
import { indexBatch } from '../server/responses/explorer-index.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { changeUnderWriteLock } from './support/write-lock.ts';

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '门店体验', en: 'Store visit' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '您有多大可能推荐我们？', en: 'How likely are you to recommend us?' } },
    { id: 'comment', type: 'text', required: false, maxLength: 500, multiline: true, title: { 'zh-CN': '其他意见', en: 'Anything else?' } },
  ],
};

let test: TestApp;
let manager: StaffClient;
let surveyId: string;

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  const created = await (await manager.request('POST', '/api/surveys', { definition, slug: 'store' })).json();
  const published = (await (await manager.request('POST', `/api/surveys/${created.survey.id}/publish`)).json()).survey;
  surveyId = published.id;
  await test.db.insert(customers).values({ id: 'cust-wang', name: '王芳', segment: 'retail' });
  for (const [id, comment] of [
    ['r-wang', 'My neighbour Zhao Lei at 12 Garden Road sold me this'],
    ['r-other', 'Delivery was on time'],
  ] as const) {
    await test.db.insert(responses).values({
      id,
      surveyId,
      versionId: published.versions[0].id,
      channel: 'web',
      locale: 'en',
      answers: { nps: 3, comment },
      submittedAt: Date.now() - 60_000,
      startedAt: Date.now() - 180_000,
      durationMs: 120_000,
      customerId: id === 'r-wang' ? 'cust-wang' : null,
    });
  }
  // The index has run before, finding nothing judged yet (its first run writes where it starts, a write that
  // would otherwise wait for the other process's lock below); then the insights processor judges the answers,
  // so the index takes them next.
  expect(await indexBatch(test.db)).toBe(0);
  await catchUpAggregates(test.db);
});
afterEach(() => test.close());

async function found(words: string): Promise<string[]> {
  const response = await manager.request('GET', `/api/surveys/${surveyId}/explorer/responses?q=${encodeURIComponent(words)}&limit=200`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { responses: { id: string }[] }).responses.map((row) => row.id);
}

it('does not put back the words of answers erased between its reading them and its writing', async () => {
  // What erasing the customer does to their answer (privacy/erasure.ts): the words go, from the answer and the index.
  const { committed } = await changeUnderWriteLock(test.databaseUrl, [
    `UPDATE responses SET answers = '{"nps":3}', hidden_fields = NULL WHERE id = 'r-wang'`,
    `DELETE FROM response_search WHERE rowid IN (SELECT rowid FROM responses WHERE id = 'r-wang')`,
    `UPDATE customers SET name = '', erased_at = 1 WHERE id = 'cust-wang'`,
  ]);
  expect(await indexBatch(test.db)).toBe(2);
  await committed;

  expect(await found('Garden Road')).toEqual([]);
  expect(await found('neighbour')).toEqual([]);
  // The index holds the other answer's words only.
  const indexed = await test.db.$client.execute(`SELECT rowid FROM response_search`);
  const other = await test.db.$client.execute(`SELECT rowid FROM responses WHERE id = 'r-other'`);
  expect(indexed.rows.map((row) => Number(row[0]))).toEqual([Number(other.rows[0]![0])]);
  // The other answer is indexed as usual.
  expect(await found('delivery')).toEqual(['r-other']);
});

it('indexes a response with the words it has when it is indexed', async () => {
  const extra = randomUUID();
  await test.db.$client.execute({
    sql: `INSERT INTO responses (id, survey_id, version_id, channel, locale, answers, submitted_at, started_at, duration_ms)
          SELECT ?, survey_id, version_id, channel, locale, '{"nps":9,"comment":"Friendly staff"}', submitted_at, started_at, duration_ms FROM responses WHERE id = 'r-other'`,
    args: [extra],
  });
  await catchUpAggregates(test.db);
  while ((await indexBatch(test.db)) > 0);
  expect(await found('friendly')).toEqual([extra]);
  expect((await found('neighbour')).length).toBe(1);
});
