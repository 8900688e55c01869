// The responses explorer over the real app and database: filters, comment search (Chinese included), the
// per-question summary, paging, the filtered CSV, validation messages and who may read.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answers } from '../surveys/answers.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { dayOf } from '../surveys/indices/periods.ts';
import { campaigns, customers, responses } from '../server/db/schema.ts';
import { catchUp as catchUpAggregates, startInsightsProcessor } from '../server/insights/processor.ts';
import { catchUpExplorer, forgetExplorerIndex, startExplorerIndexer } from '../server/responses/explorer-index.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '门店体验', en: 'Store visit' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '您有多大可能推荐我们？', en: 'How likely are you to recommend us?' } },
    {
      id: 'visit_reason',
      type: 'single_choice',
      required: false,
      title: { 'zh-CN': '来店原因', en: 'Why did you visit?' },
      options: [
        { id: 'buy', label: { 'zh-CN': '购物', en: 'To buy' } },
        { id: 'repair', label: { 'zh-CN': '维修', en: 'A repair' } },
      ],
    },
    {
      id: 'ee_service',
      type: 'expectation_experience',
      attribute: 'service',
      scale: '1-10',
      required: false,
      withImportance: false,
      title: { 'zh-CN': '服务', en: 'Service' },
    },
    { id: 'comment', type: 'text', required: false, maxLength: 500, multiline: true, title: { 'zh-CN': '其他意见', en: 'Anything else?' } },
  ],
};

let test: TestApp;
let manager: StaffClient;
let survey: { id: string; versions: { id: string }[] };
const zone = 'Asia/Shanghai';
const dayMs = 86_400_000;
const now = Date.now();

interface Made {
  id: string;
  channel: 'web' | 'mail' | 'phone' | 'onsite';
  submittedAt: number;
  answers: Answers;
  customerId: string | null;
  campaignId: string | null;
}
let made: Made[];

async function addResponse(row: Omit<Made, 'id' | 'customerId' | 'campaignId'> & Partial<Pick<Made, 'customerId' | 'campaignId'>>) {
  const response: Made = { id: randomUUID(), customerId: null, campaignId: null, ...row };
  await test.db.insert(responses).values({
    id: response.id,
    surveyId: survey.id,
    versionId: survey.versions[0]!.id,
    channel: response.channel,
    locale: 'zh-CN',
    answers: response.answers,
    submittedAt: response.submittedAt,
    startedAt: response.submittedAt - 120_000,
    durationMs: 120_000,
    customerId: response.customerId,
    campaignId: response.campaignId,
  });
  made.push(response);
}

async function indexAll() {
  await catchUpAggregates(test.db);
  await catchUpExplorer(test.db);
}

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  const created = await (await manager.request('POST', '/api/surveys', { definition, slug: 'store' })).json();
  survey = (await (await manager.request('POST', `/api/surveys/${created.survey.id}/publish`)).json()).survey;
  made = [];
  await test.db.insert(customers).values([
    { id: 'cust-a', name: 'Ada', segment: 'retail' },
    { id: 'cust-b', name: 'Bo', segment: 'enterprise' },
  ]);
  await test.db.insert(campaigns).values({ id: 'camp-1', name: 'Spring letters', surveyId: survey.id, delivery: 'post' });
  const comments = ['服务快捷又热情。', '服装很好看', 'VIP服务不错', 'Delivery was on time', '客服第一次通话就解决了我的问题。', 'The bill was wrong'];
  for (let i = 0; i < 24; i++) {
    await addResponse({
      channel: (['web', 'mail', 'phone', 'onsite'] as const)[i % 4]!,
      submittedAt: now - i * dayMs - 60_000,
      answers: {
        nps: i % 11,
        ...(i % 3 === 2 ? {} : { visit_reason: i % 3 === 0 ? 'buy' : 'repair' }),
        ee_service: { expectation: 8, experience: 3 + (i % 8) },
        ...(i < comments.length ? { comment: comments[i]! } : {}),
      },
      customerId: i % 2 === 0 ? 'cust-a' : i % 5 === 0 ? 'cust-b' : null,
      campaignId: i % 4 === 1 ? 'camp-1' : null,
    });
  }
  await indexAll();
});
afterEach(() => test.close());

const base = () => `/api/surveys/${survey.id}/explorer`;
async function summary(query: string, headers: Record<string, string> = {}) {
  const response = await manager.request('GET', `${base()}/summary?${query}`, undefined, headers);
  return { status: response.status, body: await response.json() };
}
async function page(query: string) {
  const response = await manager.request('GET', `${base()}/responses?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { responses: { id: string; flags: number; customer: { name: string } | null }[]; nextBefore: string | null };
}
const ids = (rows: Made[]) => rows.map((row) => row.id).sort();
const newestFirst = (rows: Made[]) => [...rows].sort((a, b) => b.submittedAt - a.submittedAt).map((row) => row.id);

describe('filters', () => {
  it('chooses by answer, channel, dates, campaign, customer and segment, the same set in the summary and the list', async () => {
    const cases: [string, (row: Made) => boolean][] = [
      ['answer=nps:le:6', (row) => (row.answers.nps as number) <= 6],
      ['answer=visit_reason:eq:repair', (row) => row.answers.visit_reason === 'repair'],
      ['answer=ee_service.c:lt:1', (row) => { const p = row.answers.ee_service as { expectation: number; experience: number }; return p.experience / p.expectation < 1; }],
      ['answer=comment:answered&answer=nps:ge:3', (row) => 'comment' in row.answers && (row.answers.nps as number) >= 3],
      ['channel=mail,phone', (row) => row.channel === 'mail' || row.channel === 'phone'],
      [`from=${dayOf(now - 5 * dayMs, zone)}&to=${dayOf(now - 2 * dayMs, zone)}`, (row) => { const day = dayOf(row.submittedAt, zone); return day >= dayOf(now - 5 * dayMs, zone) && day <= dayOf(now - 2 * dayMs, zone); }],
      ['campaign=camp-1', (row) => row.campaignId === 'camp-1'],
      ['customer=cust-b', (row) => row.customerId === 'cust-b'],
      ['segment=retail&answer=nps:gt:4', (row) => row.customerId === 'cust-a' && (row.answers.nps as number) > 4],
      ['quality=clean', () => true],
      ['quality=flagged', () => false],
    ];
    for (const [query, keep] of cases) {
      const expected = made.filter(keep);
      const { status, body } = await summary(query);
      expect(status, query).toBe(200);
      expect(body.n, query).toBe(expected.length);
      const listed = await page(`${query}&limit=200`);
      expect(listed.responses.map((row) => row.id), query).toEqual(newestFirst(expected));
    }
  });

  it('pages through a set newest first without repeating a response, filtered or not', async () => {
    for (const [query, keep] of [['answer=nps:le:8&', (row: Made) => (row.answers.nps as number) <= 8], ['', () => true]] as const) {
      const seen: string[] = [];
      let before: string | null = null;
      do {
        const result = await page(`${query}limit=5${before ? `&before=${before}` : ''}`);
        seen.push(...result.responses.map((row) => row.id));
        before = result.nextBefore;
      } while (before);
      expect(seen).toEqual(newestFirst(made.filter(keep)));
    }
  });

  it('indexes responses that arrive later, says how many are still waiting, and lists them unfiltered at once', async () => {
    await addResponse({ channel: 'web', submittedAt: now, answers: { nps: 0, comment: '排队时间太长' } });
    const before = await summary('q=排队');
    expect(before.body.n).toBe(0);
    expect(before.body.pending).toBe(1);
    expect((await page('limit=1')).responses.map((row) => row.id)).toEqual([made.at(-1)!.id]);
    await indexAll();
    const after = await summary('q=排队');
    expect(after.body.n).toBe(1);
    expect(after.body.pending).toBe(0);
  });
});

describe('keeping the index', () => {
  it('keeps earlier responses right when a new version adds questions, and after starting the index over', async () => {
    const draft = { ...definition, questions: [...definition.questions, { id: 'wait', type: 'rating' as const, scale: '1-5' as const, required: false, title: { 'zh-CN': '等待', en: 'Waiting' } }] };
    expect((await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition: draft })).status).toBe(200);
    const published = (await (await manager.request('POST', `/api/surveys/${survey.id}/publish`)).json()).survey;
    const versionId = published.versions.find((version: { version: number }) => version.version === 2).id;
    await test.db.insert(responses).values({ id: randomUUID(), surveyId: survey.id, versionId, channel: 'web', locale: 'en', answers: { nps: 2, wait: 1 }, submittedAt: now });
    await indexAll();
    expect((await summary('answer=wait:le:2')).body.n).toBe(1);
    expect((await summary('answer=nps:le:2')).body.n).toBe(made.filter((row) => (row.answers.nps as number) <= 2).length + 1);
    const before = (await summary('answer=ee_service.c:lt:1')).body;

    await forgetExplorerIndex(test.db);
    expect((await summary('')).body.n).toBe(0);
    await catchUpExplorer(test.db);
    expect((await summary('answer=ee_service.c:lt:1')).body).toEqual(before);
  });

  it('is kept by the background work every server process runs, as answers arrive', async () => {
    const insights = startInsightsProcessor(test.db, { intervalMs: 20 });
    const explorer = startExplorerIndexer(test.db, { intervalMs: 20 });
    try {
      const response = await test.app.request('/api/public/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: randomUUID(), versionId: survey.versions[0]!.id, locale: 'zh-CN', answers: { nps: 1, comment: '结账排队太久' }, startedAt: Date.now() - 60_000 }),
      });
      expect(response.status).toBe(201);
      await expect.poll(async () => (await summary(`q=${encodeURIComponent('排队')}`)).body.n, { timeout: 10_000 }).toBe(1);
      expect((await summary('')).body.pending).toBe(0);
    } finally {
      await explorer.stop();
      await insights.stop();
    }
  });

  it('answers a survey without responses with empty summaries, whatever the filter', async () => {
    const created = await (await manager.request('POST', '/api/surveys', { definition, slug: 'store-two' })).json();
    await manager.request('POST', `/api/surveys/${created.survey.id}/publish`);
    for (const query of ['', 'answer=nps:le:6', 'answer=comment:unanswered&q=x']) {
      const response = await manager.request('GET', `/api/surveys/${created.survey.id}/explorer/summary?${query}`);
      expect(response.status, query).toBe(200);
      const body = await response.json();
      expect(body.n, query).toBe(0);
      expect(body.questions.map((q: { n: number }) => q.n), query).toEqual([0, 0, 0, 0]);
    }
  });

  it('says when the survey does not exist', async () => {
    const response = await manager.request('GET', '/api/surveys/nope/explorer/summary', undefined, { 'x-locale': 'en' });
    expect(response.status).toBe(404);
    expect((await response.json()).error).toBe('No such survey.');
  });
});

describe('searching comments', () => {
  it('finds a two-character Chinese word, mixed text and English words by their beginning', async () => {
    const search = async (words: string) => {
      const listed = await page(`q=${encodeURIComponent(words)}&limit=200`);
      return listed.responses.map((row) => made.find((m) => m.id === row.id)!.answers.comment).sort();
    };
    expect(await search('服务')).toEqual(['VIP服务不错', '服务快捷又热情。'].sort());
    expect(await search('服')).toEqual(['VIP服务不错', '客服第一次通话就解决了我的问题。', '服务快捷又热情。', '服装很好看'].sort());
    expect(await search('vip服务')).toEqual(['VIP服务不错']);
    expect(await search('deliv')).toEqual(['Delivery was on time']);
    expect(await search('bill wrong')).toEqual(['The bill was wrong']);
    expect(await search('"')).toHaveLength(24);
    expect(await search('服务 热情')).toEqual(['服务快捷又热情。']);
    expect((await summary(`q=${encodeURIComponent('服务')}&channel=web`)).body.n).toBe(1);
  });
});

describe('the summary', () => {
  it('gives every question its n, distribution, mean with interval and the newest comments', async () => {
    const { body } = await summary('answer=nps:le:6');
    const chosen = made.filter((row) => (row.answers.nps as number) <= 6);
    const nps = body.questions.find((q: { id: string }) => q.id === 'nps');
    expect(nps.n).toBe(chosen.length);
    expect(nps.distribution.map((share: { count: number }) => share.count)).toEqual(
      Array.from({ length: 11 }, (_, value) => chosen.filter((row) => row.answers.nps === value).length),
    );
    const mean = chosen.reduce((sum, row) => sum + (row.answers.nps as number), 0) / chosen.length;
    expect(nps.mean.mean).toBeCloseTo(mean, 10);
    expect(nps.mean.low).toBeLessThan(mean);
    expect(nps.mean.high).toBeGreaterThan(mean);
    // Every answer in this set is a detractor's.
    expect(nps.headline).toMatchObject({ figure: 'nps', value: -100 });

    const reason = body.questions.find((q: { id: string }) => q.id === 'visit_reason');
    expect(reason.n).toBe(chosen.filter((row) => row.answers.visit_reason !== undefined).length);
    expect(reason.distribution.map((share: { value: string; count: number }) => [share.value, share.count])).toEqual([
      ['buy', chosen.filter((row) => row.answers.visit_reason === 'buy').length],
      ['repair', chosen.filter((row) => row.answers.visit_reason === 'repair').length],
    ]);

    const pair = body.questions.find((q: { id: string }) => q.id === 'ee_service');
    const ratios = chosen.map((row) => { const p = row.answers.ee_service as { expectation: number; experience: number }; return p.experience / p.expectation; });
    expect(pair.c.n).toBe(chosen.length);
    expect(pair.c.mean).toBeCloseTo(ratios.reduce((a, b) => a + b, 0) / ratios.length, 10);
    expect(pair.below).toBe(ratios.filter((c) => c < 1).length);

    const comment = body.questions.find((q: { id: string }) => q.id === 'comment');
    const withComments = chosen.filter((row) => typeof row.answers.comment === 'string');
    expect(comment.n).toBe(withComments.length);
    expect(comment.comments.map((c: { text: string }) => c.text)).toEqual(
      [...withComments].sort((a, b) => b.submittedAt - a.submittedAt).slice(0, 5).map((row) => row.answers.comment),
    );
  });
});

describe('export', () => {
  it('writes exactly the filtered set, newest first, with headers in the chosen language', async () => {
    const response = await manager.request('GET', `/api/surveys/${survey.id}/responses.csv?lang=zh-CN&answer=nps:le:6&channel=web,mail`);
    expect(response.status).toBe(200);
    const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('答卷编号');
    expect(lines[0]).toContain('nps 您有多大可能推荐我们？');
    const expected = made.filter((row) => (row.answers.nps as number) <= 6 && (row.channel === 'web' || row.channel === 'mail'));
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(newestFirst(expected));
    const english = await manager.request('GET', `/api/surveys/${survey.id}/responses.csv?lang=en&q=${encodeURIComponent('服务')}`);
    const englishLines = (await english.text()).trim().split('\r\n');
    expect(englishLines[0]).toContain('response id');
    expect(englishLines).toHaveLength(3);
  });

  it('still writes every response when no filter is given', async () => {
    const response = await manager.request('GET', `/api/surveys/${survey.id}/responses.csv?lang=en`);
    expect((await response.text()).trim().split('\r\n')).toHaveLength(made.length + 1);
    expect(ids(made)).toHaveLength(24);
  });
});

describe('options', () => {
  it('lists the surveys whose responses can be explored, with link name and status to tell them apart', async () => {
    const support = await signedInAs(test, 'support');
    const response = await support.request('GET', '/api/explorer/surveys');
    expect(response.status).toBe(200);
    expect((await response.json()).surveys).toEqual([
      expect.objectContaining({ id: survey.id, slug: 'store', status: 'published', title: definition.title }),
    ]);
  });

  it('offers the survey’s questions, its campaigns and the customer segments there are', async () => {
    const response = await manager.request('GET', `${base()}/options`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.survey).toMatchObject({ id: survey.id, slug: 'store', status: 'published', title: definition.title });
    expect(body.questions.map((q: { id: string }) => q.id)).toEqual(['nps', 'visit_reason', 'ee_service', 'comment']);
    expect(body.campaigns).toEqual([{ id: 'camp-1', name: 'Spring letters' }]);
    expect(body.segments).toEqual(['enterprise', 'retail']);
    expect(body.timeZone).toBe(zone);
  });
});

describe('validation and access', () => {
  it('answers a filter that does not fit with a message naming what to change, in the reader’s language', async () => {
    const cases: [string, string][] = [
      ['answer=nps:le:11', 'answered from 0 to 10'],
      ['answer=mood:le:3', 'no question "mood"'],
      ['answer=visit_reason:eq:shop', 'its options are buy, repair'],
      ['answer=visit_reason:lt:3', 'with eq or ne'],
      ['answer=comment:eq:x', 'use the search'],
      ['answer=nps', 'question:test:value'],
      ['channel=fax', 'web, mail, phone, onsite'],
      ['quality=bad', 'clean (no flag)'],
      ['from=2026-02-31x', 'YYYY-MM-DD'],
      ['from=2026-03-02&to=2026-03-01', 'start date is after the end date'],
    ];
    for (const [query, words] of cases) {
      const { status, body } = await summary(query, { 'x-locale': 'en' });
      expect(status, query).toBe(400);
      expect(body.error, query).toContain(words);
    }
    const chinese = await summary('answer=nps:le:11', { 'x-locale': 'zh-CN' });
    expect(chinese.body.error).toContain('答案范围是 0 到 10');
  });

  it('lets support read responses and keeps interviewers out', async () => {
    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', `${base()}/summary?answer=nps:le:6`)).status).toBe(200);
    expect((await support.request('GET', `${base()}/responses`)).status).toBe(200);
    expect((await support.request('GET', `/api/surveys/${survey.id}/responses.csv?answer=nps:le:6`)).status).toBe(200);
    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', `${base()}/summary`)).status).toBe(403);
    expect((await interviewer.request('GET', `${base()}/responses`)).status).toBe(403);
  });
});
