// The complaint figures over a small set of cases and loop catches made by hand, read through the API as a
// manager reads them: every number below is worked out from the rows written here, in business hours on the
// default complaint calendar (Monday to Friday, 09:00-18:00, Asia/Shanghai).
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintReport } from '../server/complaints/figures.ts';
import { complaintCases, loopCatches } from '../server/db/schema.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { addCustomer } from './support/campaigns.ts';

const hour = 3_600_000;
/** A wall time in Shanghai (UTC+8). */
const at = (day: string, time: string) => Date.parse(`${day}T${time}:00+08:00`);

let test: TestApp;
let manager: StaffClient;
let surveyId: string;
let otherSurveyId: string;
let retail: string;
let enterprise: string;

let counter = 0;
type CaseRow = typeof complaintCases.$inferInsert;
async function addCase(fields: Partial<CaseRow> & { createdAt: number }) {
  counter++;
  const id = `case-${counter}`;
  await test.db.insert(complaintCases).values({
    id,
    number: counter,
    reference: `C-2026-${String(counter).padStart(6, '0')}`,
    source: 'form',
    channel: 'web',
    category: 'product',
    severity: 'minor',
    description: 'The parcel arrived broken.',
    locale: 'en',
    statusToken: `status-${counter}`,
    replyToken: `reply-${counter}`,
    ...fields,
  });
  return id;
}

beforeAll(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  const publish = async () => {
    const created = await manager.request('POST', '/api/surveys', { templateId: 'relationship-nps' });
    const { survey } = await created.json();
    expect((await manager.request('POST', `/api/surveys/${survey.id}/publish`)).status).toBe(200);
    return survey.id as string;
  };
  surveyId = await publish();
  otherSurveyId = await publish();
  retail = await addCustomer(test, { name: 'Retail customer', segment: 'retail' });
  enterprise = await addCustomer(test, { name: 'Enterprise customer', segment: 'enterprise' });

  // Monday 2 November 2026, 10:00: answered 14:00 (4 business hours), resolved Tuesday 10:00 (9), handled 5.
  await addCase({
    createdAt: at('2026-11-02', '10:00'), status: 'closed', firstRespondedAt: at('2026-11-02', '14:00'), resolvedAt: at('2026-11-03', '10:00'),
    closedAt: at('2026-11-10', '10:00'), handlingScore: 5, outcome: 'resolved_quickly', customerId: retail,
  });
  // Friday 6 November, 17:00: answered Monday 10:00 (2 business hours, 65 on the wall clock), resolved Wednesday
  // 11 November 17:00 (1 + 9 + 9 + 8 = 27), the first response deadline missed; reopened once; handled 2.
  await addCase({
    createdAt: at('2026-11-06', '17:00'), status: 'resolved', severity: 'major', category: 'billing', channel: 'phone', source: 'agent',
    firstRespondedAt: at('2026-11-09', '10:00'), resolvedAt: at('2026-11-11', '17:00'), deadlinesMissed: ['first_response'], reopenCount: 1,
    handlingScore: 2, outcome: 'unresolved', customerId: enterprise,
  });
  // Tuesday 10 November 09:00, still being worked: answered 15:00 (6).
  const caught = await addCase({
    createdAt: at('2026-11-10', '09:00'), status: 'in_progress', source: 'survey_rule', surveyId, ruleIds: ['nps-low'],
    firstRespondedAt: at('2026-11-10', '15:00'), customerId: retail,
  });
  // Thursday 12 November, waiting on the customer, never answered, both deadlines missed.
  await addCase({ createdAt: at('2026-11-12', '12:00'), status: 'waiting', severity: 'major', channel: 'email', deadlinesMissed: ['first_response', 'resolution'] });
  // A duplicate merged into the first.
  await addCase({ createdAt: at('2026-11-02', '11:00'), status: 'merged', mergedInto: 'case-1' });
  // Outside the range (October): counted nowhere.
  await addCase({ createdAt: at('2026-10-20', '11:00'), status: 'closed', firstRespondedAt: at('2026-10-20', '12:00'), resolvedAt: at('2026-10-20', '13:00'), outcome: 'resolved' });

  await test.db.insert(loopCatches).values([
    { responseId: 'r1', surveyId, customerId: retail, ruleIds: ['nps-low'], caseId: caught, silentReason: null, submittedAt: at('2026-11-10', '08:59') },
    { responseId: 'r2', surveyId, customerId: null, ruleIds: ['nps-low', 'contact-me'], caseId: null, silentReason: 'no_customer', submittedAt: at('2026-11-10', '12:00') },
    { responseId: 'r3', surveyId: otherSurveyId, customerId: enterprise, ruleIds: ['nps-low'], caseId: null, silentReason: 'no_consent', submittedAt: at('2026-11-11', '12:00') },
  ]);
});
afterAll(() => test?.close());

const range = 'from=2026-11-01&to=2026-11-30';
async function report(query: string): Promise<ComplaintReport> {
  const response = await manager.request('GET', `/api/insights/complaints?${range}&${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('GET /api/insights/complaints', () => {
  it('counts the cases opened in the range by category, channel, severity and source, merged duplicates apart', async () => {
    const { figures } = await report('');
    expect(figures).toMatchObject({ cases: 4, merged: 1, open: 2 });
    const count = (rows: { key: string; count: number }[], key: string) => rows.find((row) => row.key === key)?.count;
    expect(count(figures.volume.category, 'product')).toBe(3);
    expect(count(figures.volume.category, 'billing')).toBe(1);
    expect(count(figures.volume.channel, 'web')).toBe(2);
    expect(count(figures.volume.channel, 'email')).toBe(1);
    expect(count(figures.volume.severity, 'major')).toBe(2);
    expect(count(figures.volume.source, 'survey_rule')).toBe(1);
  });

  it('measures first response and resolution in business hours, not on the wall clock', async () => {
    const { figures } = await report('');
    // First responses: 4, 2, 6 business hours (the Friday case took 65 wall-clock hours).
    expect(figures.firstResponse).toMatchObject({ n: 3, pending: 1, median: { value: 4 }, p90: { value: 5.6 } });
    // Resolutions of finished cases: 9 and 27.
    expect(figures.resolution).toMatchObject({ n: 2, pending: 2, median: { value: 18 } });
  });

  it('has deadlines met, the reopen rate and satisfaction with handling, each with n and an interval', async () => {
    const { figures } = await report('');
    expect(figures.deadlines.firstResponse).toMatchObject({ n: 4, value: 0.5 });
    expect(figures.deadlines.resolution).toMatchObject({ n: 3, value: 2 / 3 });
    expect(figures.deadlines.all).toMatchObject({ n: 2, value: 0.5 });
    expect(figures.deadlines.all.low).toBeLessThan(0.5);
    expect(figures.reopenRate).toMatchObject({ n: 2, value: 0.5 });
    expect(figures.handling).toMatchObject({ n: 2, value: 3.5 });
    // Two answers say little: the interval spans the whole 1-5 scale, and no further.
    expect(figures.handling).toMatchObject({ low: 1, high: 5 });
  });

  it('sets the outcome mix beside the published TARP figures and names their source', async () => {
    const body = await report('');
    const cell = (severity: string, outcome: string) => body.figures.outcomes.find((row) => row.severity === severity && row.outcome === outcome)!;
    expect(cell('minor', 'resolved_quickly')).toMatchObject({ count: 1, share: { n: 1, value: 1 }, published: 0.95 });
    expect(cell('major', 'unresolved')).toMatchObject({ count: 1, published: 0.19 });
    expect(body.figures.outcomePending).toBe(2);
    expect(body.tarp.minor.notComplained).toBe(0.37);
    expect(body.tarpSource.en).toContain('TARP');
  });

  it('follows the caught detractors up: with a case or silent, and how fast the case was answered', async () => {
    const { figures } = await report('');
    expect(figures.followUp.catches).toBe(3);
    expect(figures.followUp.withCase).toMatchObject({ n: 3, value: 1 / 3 });
    expect(figures.followUp.silent).toEqual({ no_customer: 1, no_consent: 1 });
    expect(figures.followUp.firstResponse).toMatchObject({ n: 1, median: { value: 6 } });
    const rules = figures.rules.map((row) => [row.surveyId, row.ruleId, row.catches, row.cases, row.silent]);
    // The rule that caught most comes first.
    expect(rules[0]).toEqual([surveyId, 'nps-low', 2, 1, 1]);
    expect(rules.slice(1)).toHaveLength(2);
    expect(rules.slice(1)).toEqual(expect.arrayContaining([[otherSurveyId, 'nps-low', 1, 0, 1], [surveyId, 'contact-me', 1, 0, 1]]));
  });

  it('trends by week or month, every bucket present', async () => {
    const weeks = await report('unit=week');
    expect(weeks.figures.trend.map((row) => [row.bucket, row.opened])).toEqual([
      ['2026-10-26', 0], ['2026-11-02', 2], ['2026-11-09', 2], ['2026-11-16', 0], ['2026-11-23', 0], ['2026-11-30', 0],
    ]);
    const months = await report('unit=month');
    expect(months.figures.trend).toMatchObject([{ bucket: '2026-11-01', opened: 4, firstResponse: { n: 3, value: 4 } }]);
  });

  it('follows the dashboard filter: channel, survey, segment and dates', async () => {
    expect((await report('channel=phone')).figures.cases).toBe(1);
    const bySurvey = await report(`survey=${surveyId}`);
    expect(bySurvey.figures.cases).toBe(1);
    expect(bySurvey.figures.followUp.catches).toBe(2);
    const enterprises = await report('segment=enterprise');
    expect(enterprises.figures.cases).toBe(1);
    expect(enterprises.figures.followUp.catches).toBe(1);
    const october = await manager.request('GET', '/api/insights/complaints?from=2026-10-01&to=2026-10-31');
    expect((await october.json()).figures.cases).toBe(1);
  });

  it('gives each chart as CSV in the reader’s language', async () => {
    const response = await manager.request('GET', `/api/insights/complaints?${range}&format=csv&chart=times&lang=zh-CN`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('insights-complaints-times-2026-11-01-2026-11-30.csv');
    const rows = parse((await response.text()).replace(/^\uFEFF/, '')) as string[][];
    expect(rows[0]).toEqual(['指标', '数值', '95% 下限', '95% 上限', '样本量', '仍在等待']);
    expect(rows[1]!.slice(0, 2)).toEqual(['首次回复（工作小时）: 中位数', '4']);
    const outcomes = await manager.request('GET', `/api/insights/complaints?${range}&format=csv&chart=outcomes&lang=en`);
    const text = await outcomes.text();
    expect(text).toContain('Resolved quickly');
    expect(text).toContain('TARP');
  });

  it('answers managers and admins only, and says what a bad chart or unit is', async () => {
    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', `/api/insights/complaints?${range}`)).status).toBe(403);
    const admin = await signedInAs(test, 'admin');
    expect((await admin.request('GET', `/api/insights/complaints?${range}`)).status).toBe(200);
    const badUnit = await manager.request('GET', `/api/insights/complaints?${range}&unit=day`);
    expect(badUnit.status).toBe(400);
    expect(JSON.stringify(await badUnit.json())).toContain('week or month');
  });
});
