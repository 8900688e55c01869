// The dashboard's figures come from aggregates kept as responses arrive, and must equal what the index
// engine computes from the raw answers: every test here recomputes its figures from the rows themselves.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../surveys/answers.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { plsModelOf } from '../surveys/index-model.ts';
import { keyDrivers } from '../surveys/indices/drivers.ts';
import { quadrantLabels } from '../surveys/indices/quadrants.ts';
import { expectationIndex, type PairsByAttribute } from '../surveys/indices/expectation.ts';
import { csat, nps } from '../surveys/indices/metrics.ts';
import { addDays, bucketOf, dayOf, previousPeriod } from '../surveys/indices/periods.ts';
import { estimatePls, itemTable } from '../surveys/indices/pls.ts';
import { seeded } from '../surveys/random.ts';
import { responses, surveyVersions } from '../server/db/schema.ts';
import { catchUp, pendingResponses, processBatch, startInsightsProcessor } from '../server/insights/processor.ts';
import { startTracer } from '../server/db/trace.ts';
import type { ComparisonReport, DriversReport, LevelsReport, ModelReport, OverviewReport, TrendReport } from '../server/insights/types.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { addCustomer } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';

const zone = 'Asia/Shanghai';
const dayMs = 86_400_000;
const channels = ['phone', 'mail', 'onsite', 'web'] as const;

let test: TestApp;
let manager: StaffClient;
let admin: StaffClient;
const surveys: Record<string, { id: string; versionId: string; definition: SurveyDefinition }> = {};
interface Row {
  id: string;
  surveyId: string;
  channel: (typeof channels)[number];
  submittedAt: number;
  answers: Answers;
  customerId: string | null;
  segment: string | null;
  tier: string | null;
  durationMs: number;
}
const rows: Row[] = [];
const customerIds: { id: string; segment: string; tier: 'vip' | 'important' | 'ordinary'; region: string }[] = [];

async function publish(templateId: string) {
  const created = await manager.request('POST', '/api/surveys', { templateId });
  const { survey } = await created.json();
  expect((await manager.request('POST', `/api/surveys/${survey.id}/publish`)).status).toBe(200);
  const [version] = await test.db.select().from(surveyVersions).where(eq(surveyVersions.surveyId, survey.id));
  surveys[templateId] = { id: survey.id, versionId: version!.id, definition: version!.definition };
}

const clamp = (x: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(x)));

function answersFor(templateId: string, random: () => number, mood: number): Answers {
  switch (templateId) {
    case 'transactional-csat':
      return { csat: clamp(1 + 4 * mood + (random() - 0.5) * 2, 1, 5), reason: 'product' };
    case 'relationship-nps':
      return { nps: clamp(10 * mood + (random() - 0.5) * 4, 0, 10) };
    case 'expectation-experience': {
      const answers: Answers = {};
      for (const attribute of ['product', 'service', 'communication', 'customer_care', 'company_image']) {
        answers[`ee_${attribute}`] = {
          expectation: clamp(4 + random() * 3, 1, 7),
          experience: clamp(1 + 6 * mood + (random() - 0.5) * 3, 1, 7),
          importance: clamp(1 + random() * 6, 1, 7),
        };
      }
      answers.overall = clamp(1 + 4 * mood + (random() - 0.5), 1, 5);
      return answers;
    }
    case 'acsi': {
      const answers: Answers = {};
      for (const question of surveys.acsi!.definition.questions) {
        if (question.type !== 'rating' || question.showIf) continue;
        answers[question.id] = clamp(1 + 9 * mood + (random() - 0.5) * 4, 1, 10);
      }
      answers.complained = 'no';
      return answers;
    }
  }
  throw new Error(templateId);
}

async function addResponses(count: number, seed: number, options: { daysBack?: number; channel?: (typeof channels)[number] } = {}) {
  const random = seeded(seed);
  const now = Date.now();
  const batch: Row[] = [];
  for (let i = 0; i < count; i++) {
    const templateId = ['transactional-csat', 'relationship-nps', 'expectation-experience', 'acsi'][i % 4]!;
    const customer = random() < 0.7 ? customerIds[Math.floor(random() * customerIds.length)]! : null;
    const channel = options.channel ?? channels[Math.floor(random() * 4)]!;
    const mood = Math.min(1, Math.max(0, 0.55 + (channel === 'onsite' ? 0.15 : 0) + (random() - 0.5) * 0.6));
    batch.push({
      id: randomUUID(),
      surveyId: surveys[templateId]!.id,
      channel,
      submittedAt: now - Math.floor(random() * (options.daysBack ?? 150) * dayMs) - 60_000,
      answers: answersFor(templateId, random, mood),
      customerId: customer?.id ?? null,
      segment: customer?.segment ?? null,
      tier: customer?.tier ?? null,
      durationMs: 60_000 + Math.floor(random() * 120_000),
    });
  }
  await insertRows(batch);
}

async function insertRows(batch: Row[]) {
  for (const row of batch) {
    const templateId = Object.keys(surveys).find((key) => surveys[key]!.id === row.surveyId)!;
    await test.db.insert(responses).values({
      id: row.id,
      surveyId: row.surveyId,
      versionId: surveys[templateId]!.versionId,
      channel: row.channel,
      locale: 'zh-CN',
      answers: row.answers,
      submittedAt: row.submittedAt,
      startedAt: row.submittedAt - row.durationMs,
      durationMs: row.durationMs,
      customerId: row.customerId,
    });
    rows.push(row);
  }
}

const today = () => dayOf(Date.now(), zone);
const inRange = (row: Row, from: string, to: string) => {
  const day = dayOf(row.submittedAt, zone);
  return day >= from && day <= to;
};

async function get<T>(path: string, client: StaffClient = manager): Promise<T> {
  const response = await client.request('GET', path);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  admin = await signedInAs(test, 'admin');
  for (const templateId of ['transactional-csat', 'relationship-nps', 'expectation-experience', 'acsi']) await publish(templateId);
  const segments = ['retail', 'enterprise', '=cmd|calc'];
  const regions = ['North', 'East', 'South'];
  for (let i = 0; i < 40; i++) {
    const fields = { segment: segments[i % 3]!, tier: (['vip', 'important', 'ordinary'] as const)[i % 3]!, region: regions[i % 3]! };
    customerIds.push({ id: await addCustomer(test, { name: `Customer ${i}`, ...fields }), ...fields });
  }
  await addResponses(800, 1);
  await catchUp(test.db);
}, 60_000);
afterAll(() => test?.close());

describe('figures from the aggregates', () => {
  it('gives the CSAT trend per month and channel exactly as computed from the raw answers', async () => {
    const from = addDays(today(), -149);
    const to = today();
    const survey = surveys['transactional-csat']!;
    const report = await get<TrendReport>(`/api/insights/trend?survey=${survey.id}&from=${from}&to=${to}&metric=csat:csat&unit=month&split=channel`);
    expect(report.series.map((series) => series.key)).toEqual(['phone', 'mail', 'onsite', 'web']);
    expect(report.series[0]!.label['zh-CN']).toBe('电话');
    for (const series of report.series) {
      for (const point of series.points) {
        const ratings = rows
          .filter((row) => row.surveyId === survey.id && row.channel === series.key && inRange(row, from, to))
          .filter((row) => bucketOf(dayOf(row.submittedAt, zone), 'month') === point.bucket)
          .map((row) => row.answers.csat as number);
        const expected = csat(ratings);
        expect(point.n).toBe(expected.n);
        if (expected.n === 0) expect(point.value).toBeNull();
        else {
          expect(point.value).toBeCloseTo(expected.percent!, 9);
          expect(point.low).toBeCloseTo(expected.low!, 9);
          expect(point.high).toBeCloseTo(expected.high!, 9);
        }
      }
    }
  });

  it('compares NPS with the previous period per customer tier, anonymous answers apart', async () => {
    const from = addDays(today(), -59);
    const to = today();
    const survey = surveys['relationship-nps']!;
    const report = await get<ComparisonReport>(`/api/insights/compare?survey=${survey.id}&from=${from}&to=${to}&metric=nps&split=tier`);
    const previous = previousPeriod({ from, to });
    expect(report.previous).toEqual(previous);
    expect(report.rows.map((row) => row.key)).toEqual(['vip', 'important', 'ordinary', '']);
    for (const row of report.rows) {
      const of = (a: string, b: string) =>
        nps(rows.filter((r) => r.surveyId === survey.id && (r.tier ?? '') === row.key && inRange(r, a, b)).map((r) => r.answers.nps as number));
      const [now, before] = [of(from, to), of(previous.from, previous.to)];
      expect(row.current.n).toBe(now.n);
      expect(row.current.value).toBeCloseTo(now.score!, 9);
      expect(row.current.low).toBeCloseTo(now.low!, 9);
      expect(row.previous.value).toBeCloseTo(before.score!, 9);
      expect(row.change).toBeCloseTo(now.score! - before.score!, 9);
    }
  });

  it('gives c = b/a per attribute, the overall index, levels and word-of-mouth reach as the index engine does', async () => {
    const from = addDays(today(), -149);
    const to = today();
    const survey = surveys['expectation-experience']!;
    const report = await get<LevelsReport>(`/api/insights/levels?survey=${survey.id}&from=${from}&to=${to}&channel=web,phone`);
    const pairs: PairsByAttribute[] = rows
      .filter((row) => row.surveyId === survey.id && (row.channel === 'web' || row.channel === 'phone') && inRange(row, from, to))
      .map((row) =>
        Object.fromEntries(
          ['product', 'service', 'communication', 'customer_care', 'company_image'].map((a) => [a, row.answers[`ee_${a}`] as never]),
        ),
      );
    const expected = expectationIndex(pairs, { scale: { min: 1, max: 7 } });
    expect(report.overall.n).toBe(expected.overall.n);
    expect(report.overall.value).toBeCloseTo(expected.overall.mean!, 9);
    expect(report.overall.low).toBeCloseTo(expected.overall.low!, 9);
    expect(report.attributes.map((a) => a.key)).toEqual(expected.attributes.map((a) => a.attribute));
    report.attributes.forEach((attribute, i) => expect(attribute.value).toBeCloseTo(expected.attributes[i]!.mean!, 9));
    expect(report.levels).toEqual(expected.levels);
    expect(report.totalReach).toBe(expected.totalReach);
  });

  it('gives key drivers and the PLS model as computed on the complete raw rows', async () => {
    const from = addDays(today(), -149);
    const to = today();
    const ee = surveys['expectation-experience']!;
    const driversReport = await get<DriversReport>(`/api/insights/drivers?survey=${ee.id}&from=${from}&to=${to}&importance=relative_weight`);
    const eeRows = rows.filter((row) => row.surveyId === ee.id && inRange(row, from, to));
    const attributes = ['product', 'service', 'communication', 'customer_care', 'company_image'];
    const expected = keyDrivers(
      {
        overall: eeRows.map((row) => row.answers.overall as number),
        attributes: Object.fromEntries(attributes.map((a) => [`ee_${a}.b`, eeRows.map((row) => (row.answers[`ee_${a}`] as { experience: number }).experience)])),
        scale: { min: 1, max: 7 },
      },
      { importance: 'relative_weight' },
    );
    expect(driversReport.n).toBe(eeRows.length);
    expect(driversReport.rSquared).toBeCloseTo(expected.rSquared!, 9);
    driversReport.rows.forEach((row, i) => {
      expect(row.performance).toBeCloseTo(expected.attributes[i]!.performance!, 9);
      expect(row.importance).toBeCloseTo(expected.attributes[i]!.importance!, 9);
      expect(row.quadrant).toBe(expected.attributes[i]!.quadrant);
    });
    expect(driversReport.rows[1]!.label['zh-CN']).toBe('服务');

    const acsi = surveys.acsi!;
    const modelReport = await get<ModelReport>(`/api/insights/model?survey=${acsi.id}&from=${from}&to=${to}`);
    const acsiRows = rows.filter((row) => row.surveyId === acsi.id && inRange(row, from, to));
    const plsModel = plsModelOf({ ...acsi.definition, indexModel: acsi.definition.indexModel! });
    const items = Object.values(plsModel.constructs).flat();
    const raw = estimatePls(itemTable(Object.fromEntries(items.map((item) => [item, acsiRows.map((row) => row.answers[item] as number)]))), plsModel, { missing: 'listwise' });
    expect(modelReport.n).toBe(acsiRows.length);
    expect(modelReport.estimate!.iterations).toBe(raw.iterations);
    for (const path of modelReport.estimate!.paths) {
      expect(path.coefficient).toBeCloseTo(raw.paths.find((p) => p.from === path.from && p.to === path.to)!.coefficient, 9);
    }
    for (const construct of modelReport.estimate!.constructs) expect(construct.index).toBeCloseTo(raw.indices[construct.id]!, 9);

    const satisfaction = await get<TrendReport>(`/api/insights/trend?survey=${acsi.id}&from=${from}&to=${to}&metric=acsi:Satisfaction&unit=quarter`);
    const total = satisfaction.series[0]!.points.reduce((sum, point) => sum + point.n, 0);
    expect(total).toBe(acsiRows.length);
  });
});

describe('kept current', () => {
  it('folds new responses in once each, even with two processes at it', async () => {
    const survey = surveys['transactional-csat']!;
    const from = addDays(today(), -149);
    const before = await get<OverviewReport>(`/api/insights/overview?survey=${survey.id}&from=${from}`);
    await addResponses(200, 2, { daysBack: 3 });
    expect(await pendingResponses(test.db)).toBe(200);
    // A second process races this one for the same batches.
    const other = spawn(process.execPath, ['--import', 'tsx', 'server/cli/insights.ts', 'catch-up'], {
      env: { ...process.env, DATABASE_URL: test.databaseUrl, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => other.on('exit', resolve));
    let output = '';
    other.stdout.on('data', (chunk) => (output += chunk));
    other.stderr.on('data', (chunk) => (output += chunk));
    await catchUp(test.db, { batchSize: 5 });
    expect(await exited, output).toBe(0);
    expect(output).toMatch(/responses folded in/);
    expect(await processBatch(test.db)).toBe(0);
    const after = await get<OverviewReport>(`/api/insights/overview?survey=${survey.id}&from=${from}`);
    const expected = csat(rows.filter((row) => row.surveyId === survey.id && inRange(row, from, today())).map((row) => row.answers.csat as number));
    const figure = after.figures.find((f) => f.metric.kind === 'csat')!;
    expect(figure.current.n).toBe(expected.n);
    expect(figure.current.value).toBeCloseTo(expected.percent!, 9);
    expect(figure.current.n).toBeGreaterThan(before.figures.find((f) => f.metric.kind === 'csat')!.current.n);
    expect(after.pending).toBe(0);
  });
});

describe('the processor a server runs', () => {
  it('folds responses in as they arrive, without being asked', async () => {
    const processor = startInsightsProcessor(test.db, { intervalMs: 20 });
    try {
      await addResponses(30, 3, { daysBack: 1 });
      await waitFor('the new responses to be counted', async () => (await pendingResponses(test.db)) === 0);
      const survey = surveys['transactional-csat']!;
      const from = addDays(today(), -149);
      const report = await get<OverviewReport>(`/api/insights/overview?survey=${survey.id}&from=${from}`);
      const expected = rows.filter((row) => row.surveyId === survey.id && inRange(row, from, today())).length;
      expect(report.figures.find((f) => f.metric.kind === 'responses')!.current.n).toBe(expected);
    } finally {
      await processor.stop();
    }
  });

  it('folds a backlog in bounded steps, each response once, so submissions get their turn between steps', async () => {
    const folds: number[] = [];
    const tracer = startTracer((line) => {
      const event = JSON.parse(line) as { event: string; rows?: number };
      if (event.event === 'fold') folds.push(event.rows!);
    });
    await addResponses(120, 4, { daysBack: 1 });
    const processor = startInsightsProcessor(test.db, { intervalMs: 20, maxBatch: 25, tracer });
    try {
      await waitFor('the backlog to be counted', async () => (await pendingResponses(test.db)) === 0);
      expect(folds.reduce((sum, rows) => sum + rows, 0)).toBe(120);
      expect(Math.max(...folds)).toBeLessThanOrEqual(25);
      const survey = surveys['relationship-nps']!;
      const from = addDays(today(), -149);
      const report = await get<OverviewReport>(`/api/insights/overview?survey=${survey.id}&from=${from}`);
      const expected = rows.filter((row) => row.surveyId === survey.id && inRange(row, from, today())).length;
      expect(report.figures.find((f) => f.metric.kind === 'responses')!.current.n).toBe(expected);
    } finally {
      await processor.stop();
      tracer.stop();
    }
  });
});

describe('data-quality flags', () => {
  it('judges a duplicate by the customer’s own earlier answer, however many others gave the same, in any order of arrival', async () => {
    const survey = surveys['expectation-experience']!;
    const answers = answersFor('expectation-experience', seeded(77), 0.4);
    const t0 = Date.now() - 2 * dayMs;
    const hour = 3_600_000;
    const [customer, ...others] = customerIds;
    const row = (c: (typeof customerIds)[number], submittedAt: number): Row => ({
      id: randomUUID(), surveyId: survey.id, channel: 'web', submittedAt, answers, customerId: c.id, segment: c.segment, tier: c.tier, durationMs: 90_000,
    });
    const first = row(customer!, t0 - 30 * hour);
    const second = row(customer!, t0); // 30 hours after the first: not a duplicate
    await insertRows([first, second, ...others.slice(0, 30).map((other, i) => row(other, t0 - i * 60_000))]);
    await catchUp(test.db);
    const later = row(customer!, t0 + 2 * hour); // 2 hours after the second: a duplicate
    const replayedBefore = row(customer!, t0 - 31 * hour); // arrives late, but was answered before all of them
    const replayedBetween = row(customer!, t0 - 29 * hour); // arrives late, an hour after the first
    await insertRows([later, replayedBefore, replayedBetween]);
    await catchUp(test.db);
    const flagsOf = async (id: string) => ((await get<{ response: { qualityFlags: string[] | null } }>(`/api/responses/${id}`)).response.qualityFlags);
    expect(await flagsOf(second.id)).toEqual([]);
    expect(await flagsOf(later.id)).toEqual(['duplicate']);
    expect(await flagsOf(replayedBefore.id)).toEqual([]);
    expect(await flagsOf(replayedBetween.id)).toEqual(['duplicate']);
  });

  it('flags speeders and duplicates, counts them, and leaves them out of every figure with one switch', async () => {
    const survey = surveys['expectation-experience']!;
    const customer = customerIds[0]!;
    const now = Date.now() - 3_600_000;
    const answers = answersFor('expectation-experience', seeded(99), 0.2);
    const base = { surveyId: survey.id, channel: 'web' as const, customerId: customer.id, segment: customer.segment, tier: customer.tier };
    const [original, again, hurried] = [randomUUID(), randomUUID(), randomUUID()];
    await insertRows([
      { ...base, id: original, submittedAt: now, answers, durationMs: 90_000 },
      { ...base, id: again, submittedAt: now + 120_000, answers, durationMs: 95_000 }, // the same again: a duplicate
      { ...base, id: hurried, submittedAt: now + 240_000, answers: answersFor('expectation-experience', seeded(98), 0.9), durationMs: 4_000 }, // a speeder
    ]);
    const flagsOf = async (id: string) => ((await get<{ response: { qualityFlags: string[] | null } }>(`/api/responses/${id}`)).response.qualityFlags);
    expect(await flagsOf(again)).toBeNull(); // not judged yet
    await catchUp(test.db);
    expect(await flagsOf(original)).toEqual([]);
    expect(await flagsOf(again)).toEqual(['duplicate']);
    expect(await flagsOf(hurried)).toEqual(['speeder']);
    const from = addDays(today(), -1);
    const all = await get<OverviewReport>(`/api/insights/overview?survey=${survey.id}&from=${from}`);
    expect(all.flagged.duplicate).toBeGreaterThanOrEqual(1);
    expect(all.flagged.speeder).toBeGreaterThanOrEqual(1);
    const clean = await get<OverviewReport>(`/api/insights/overview?survey=${survey.id}&from=${from}&flagged=exclude`);
    const count = (report: OverviewReport) => report.figures.find((f) => f.metric.kind === 'responses')!.current.n;
    expect(count(all) - count(clean)).toBe(all.flagged.any);
    expect(clean.flagged.any).toBe(all.flagged.any); // counted whatever the switch says
  });
});

describe('CSV and bad input', () => {
  it('exports a figure as CSV with numbers as numbers and text defused against formulas', async () => {
    const survey = surveys['relationship-nps']!;
    const response = await manager.request('GET', `/api/insights/compare?survey=${survey.id}&metric=nps&split=segment&format=csv`, undefined, { 'x-locale': 'en' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="insights-compare-/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM spreadsheets need for Chinese text
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('group,value,95% low')).toBe(true);
    expect(text).toMatch(/\r\nenterprise,-?\d+(\.\d+)?,/); // figures as numbers, negative ones too
    expect(text).toContain("'=cmd|calc,");
    expect(text).not.toMatch(/\n=cmd/);
    const chinese = await manager.request('GET', `/api/insights/compare?survey=${survey.id}&metric=nps&split=segment&format=csv&lang=zh-CN`, undefined, { 'x-locale': 'en' });
    expect((await chinese.text()).replace(/^\uFEFF/, '').startsWith('分组,数值,95% 下限')).toBe(true);
  });

  it('writes the drivers\' quadrants as the dashboard names them, in the export\'s language', async () => {
    const from = addDays(today(), -149);
    const ee = surveys['expectation-experience']!;
    const path = `/api/insights/drivers?survey=${ee.id}&from=${from}&to=${today()}`;
    const report = await get<DriversReport>(path);
    expect(report.rows.some((row) => row.quadrant !== null)).toBe(true);
    // The dashboard's words take the quadrants' names from the same list (web/staff/insights/text.ts).
    for (const lang of ['en', 'zh-CN'] as const) {
      const response = await manager.request('GET', `${path}&format=csv&lang=${lang}`);
      const [header, ...lines] = parse((await response.text()).replace(/^\uFEFF/, '')) as string[][];
      const column = header!.indexOf(lang === 'en' ? 'quadrant' : '象限');
      expect(lines.map((line) => line[column])).toEqual(report.rows.map((row) => (row.quadrant ? quadrantLabels[row.quadrant][lang] : '')));
    }
  });

  it('answers bad filters with a message a person can act on, and only managers and admins read figures', async () => {
    const cases = [
      ['/api/insights/overview?from=2026-13-01', 'YYYY-MM-DD'],
      ['/api/insights/overview?from=2026-05-01&to=2026-04-01', 'start date is after'],
      ['/api/insights/trend?metric=csat&unit=day&from=2025-01-01&to=2025-12-31', 'at most 92 days'],
      ['/api/insights/trend?metric=nothing', 'Choose a figure'],
      ['/api/insights/overview?channel=fax', 'phone, mail, onsite or web'],
      ['/api/insights/drivers', 'Choose one survey'],
      [`/api/insights/trend?survey=${surveys.acsi!.id}&metric=acsi:Satisfaction&split=region`, 'channel or segment only'],
      ['/api/insights/compare?metric=nps&split=region&segment=retail', 'clear the segment filter'],
    ] as const;
    for (const [path, text] of cases) {
      const response = await manager.request('GET', path, undefined, { 'x-locale': 'en' });
      expect(response.status, path).toBe(400);
      expect((await response.json()).error, path).toContain(text);
    }
    const zh = await manager.request('GET', '/api/insights/overview?from=2026-13-01', undefined, { 'x-locale': 'zh-CN' });
    expect((await zh.json()).error).toContain('日期格式');
    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', '/api/insights/overview')).status).toBe(403);
  });
});

describe('settings', () => {
  it('lets an admin move the level cut-offs, which rebuilds the aggregates under them', async () => {
    const survey = surveys['expectation-experience']!;
    const from = addDays(today(), -149);
    const path = `/api/insights/levels?survey=${survey.id}&from=${from}`;
    const before = await get<LevelsReport>(path);
    const settings = await get<{ timeZone: string; cutoffs: object; wordOfMouth: object }>('/api/insights/settings');
    expect((await manager.request('PUT', '/api/insights/settings', settings)).status).toBe(403);
    const badInput = await admin.request('PUT', '/api/insights/settings', { ...settings, timeZone: 'Mars/Base' }, { 'x-locale': 'en' });
    expect(badInput.status).toBe(400);
    expect((await badInput.json()).error).toContain('IANA');
    const updated = { ...settings, cutoffs: { dissatisfiedBelow: 0.5, highlySatisfiedAbove: 2 }, wordOfMouth: { dissatisfied: 30, satisfied: 5, highly_satisfied: 12 } };
    expect((await admin.request('PUT', '/api/insights/settings', updated)).status).toBe(200);
    await catchUp(test.db);
    const after = await get<LevelsReport>(path);
    // The same figure after the rebuild; its sums were added in other batches, so the last bit may differ.
    expect(after.overall.n).toBe(before.overall.n);
    for (const key of ['value', 'low', 'high'] as const) expect(after.overall[key]).toBeCloseTo(before.overall[key]!, 12);
    const pairs = rows
      .filter((row) => row.surveyId === survey.id && inRange(row, from, today()))
      .map((row) => Object.fromEntries(['product', 'service', 'communication', 'customer_care', 'company_image'].map((a) => [a, row.answers[`ee_${a}`] as never])));
    const expected = expectationIndex(pairs, { scale: { min: 1, max: 7 }, cutoffs: updated.cutoffs, wordOfMouth: updated.wordOfMouth });
    expect(after.levels).toEqual(expected.levels);
    expect(after.levels).not.toEqual(before.levels);
  });

  it('keeps each manager’s weekly-summary choice', async () => {
    const first = await manager.request('GET', '/api/insights/subscription', undefined, { 'x-locale': 'zh-CN' });
    expect(await first.json()).toEqual({ weeklySummary: false, locale: 'zh-CN' });
    expect((await manager.request('PUT', '/api/insights/subscription', { weeklySummary: true, locale: 'en' })).status).toBe(200);
    expect(await get('/api/insights/subscription')).toEqual({ weeklySummary: true, locale: 'en' });
    expect((await manager.request('PUT', '/api/insights/subscription', { weeklySummary: 'yes', locale: 'en' })).status).toBe(400);
  });
});
