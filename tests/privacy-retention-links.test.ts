// Retention (server/privacy/retention.ts) leaves nothing that leads back to the customer, and takes nothing too
// soon: an anonymous response is no longer named by its invitation, its keyed postal form or the case opened
// from it (the invitation still refuses a second answer); merged duplicates are taken counted from the merge; a
// closed case waits until the customer can no longer reopen it by replying; saved periods that cannot be read
// take nothing.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeInvitedResponse } from '../server/campaigns/answers.ts';
import { recordCustomerReply } from '../server/complaints/service.ts';
import {
  campaignInvitations,
  campaigns,
  complaintCases,
  complaintEvents,
  customers,
  postalKeyings,
  responses,
  settings,
  surveys,
  surveyVersions,
  users,
} from '../server/db/schema.ts';
import { previewRetention, readRetentionSettings, retentionSettingsKey, runRetention } from '../server/privacy/retention.ts';
import { defaultRetention, type RetentionSettings } from '../server/privacy/retention-rules.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';

const day = 24 * 3600_000;
const definition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '满意度', en: 'Satisfaction' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐吗？', en: 'Recommend?' } },
    { id: 'why', type: 'text', required: false, title: { 'zh-CN': '原因', en: 'Why?' }, maxLength: 1000, multiline: true },
  ],
} as SurveyDefinition;

let test: TestApp;
let adminId: string;
let surveyId: string;
let versionId: string;

beforeEach(async () => {
  test = await startTestApp();
  await signedInAs(test, 'admin');
  adminId = (await test.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')))[0]!.id;
  surveyId = randomUUID();
  versionId = randomUUID();
  await test.db.insert(surveys).values({ id: surveyId, slug: 'sat', kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: versionId });
  await test.db.insert(surveyVersions).values({ id: versionId, surveyId, version: 1, definition });
  await test.db.insert(customers).values({ id: 'wang', name: '王芳', email: 'wang.fang@example.com', segment: 'retail' });
});
afterEach(() => test.close());

async function retain(periods: Partial<RetentionSettings>) {
  await test.db.insert(settings).values({ key: retentionSettingsKey, value: { ...defaultRetention, ...periods }, updatedBy: adminId });
}

let caseNumber = 1000;
async function addCase(values: Partial<typeof complaintCases.$inferInsert> & { status: (typeof complaintCases.$inferInsert)['status'] }) {
  const id = randomUUID();
  const number = caseNumber++;
  await test.db.insert(complaintCases).values({
    id,
    number,
    reference: `C-2026-${String(number).padStart(6, '0')}`,
    source: 'agent',
    channel: 'phone',
    category: 'delivery',
    severity: 'minor',
    description: '王芳 says the parcel arrived crushed.',
    locale: 'zh-CN',
    customerId: 'wang',
    contactName: '王芳',
    contactEmail: 'wang.fang@example.com',
    statusToken: randomUUID(),
    replyToken: randomUUID(),
    ...values,
  });
  return id;
}

describe('an anonymous response', () => {
  it('is named by nothing of the customer’s: its invitation keeps only that it was answered, the keyed form and the case lose it', async () => {
    await retain({ responses: { unit: 'years', count: 1 } });
    const campaignId = randomUUID();
    await test.db.insert(campaigns).values({ id: campaignId, name: 'Letters', surveyId, versionId, delivery: 'post', status: 'running', audience: {} });
    const invitationId = randomUUID();
    const token = 'ABCDEFGH23456789';
    const responseId = randomUUID();
    const at = Date.now() - 400 * day;
    await test.db.insert(campaignInvitations).values({
      id: invitationId,
      campaignId,
      customerId: 'wang',
      dedupeKey: `${campaignId}:wang`,
      delivery: 'post',
      token,
      locale: 'zh-CN',
      invitedAt: at - day,
      completedAt: at,
      responseId,
    });
    await test.db.insert(postalKeyings).values({ invitationId, round: 1, keyedBy: adminId, answers: { nps: 2, why: '王芳：快递员把箱子扔在门口' }, keyedAt: at });
    await test.db.insert(responses).values({
      id: responseId,
      surveyId,
      versionId,
      campaignId,
      channel: 'mail',
      locale: 'zh-CN',
      answers: { nps: 2, why: '王芳：快递员把箱子扔在门口' },
      submittedAt: at,
      startedAt: null,
      customerId: 'wang',
    });
    const caseId = await addCase({ status: 'in_progress', source: 'survey_rule', responseId });

    expect((await previewRetention(test.db, await readRetentionSettings(test.db))).responses.count).toBe(1);
    expect((await runRetention(test.db)).counts.responses).toBe(1);

    const [response] = await test.db.select().from(responses).where(eq(responses.id, responseId));
    expect(response).toMatchObject({ customerId: null, answers: { nps: 2 } });
    const [invitation] = await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.id, invitationId));
    expect(invitation!.responseId).not.toBeNull();
    expect(invitation!.responseId).not.toBe(responseId);
    expect(invitation!.completedAt).toBe(at);
    expect(await test.db.select().from(postalKeyings).where(eq(postalKeyings.invitationId, invitationId))).toEqual([]);
    const [opened] = await test.db.select({ responseId: complaintCases.responseId, customerId: complaintCases.customerId }).from(complaintCases).where(eq(complaintCases.id, caseId));
    expect(opened).toEqual({ responseId: null, customerId: 'wang' });
    // Every column anywhere that still holds the response's id: only the response's own, and its loop-closing catch (none here).
    const mentions = await test.db.$client.execute({
      sql: `SELECT 'invitations' FROM campaign_invitations WHERE response_id = :id UNION ALL SELECT 'cases' FROM complaint_cases WHERE response_id = :id`,
      args: { id: responseId },
    });
    expect(mentions.rows).toEqual([]);

    // The invitation's code still refuses a second answer.
    await expect(storeInvitedResponse(test.db, { invitationId, responseId: randomUUID(), answers: { nps: 10 }, locale: 'zh-CN' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await test.db.$count(responses)).toBe(1);
  });
});

describe('complaint cases', () => {
  it('are taken when merged over the period ago, counted from the merge', async () => {
    await retain({ cases: { unit: 'days', count: 30 } });
    const mergedAt = Date.now() - 50 * day;
    const survivor = await addCase({ status: 'in_progress' });
    const oldMerge = await addCase({ status: 'merged', mergedInto: survivor, createdAt: Date.now() - 60 * day, updatedAt: Date.now() - 50 * day });
    const recentMerge = await addCase({ status: 'merged', mergedInto: survivor, createdAt: Date.now() - 60 * day, updatedAt: Date.now() - 50 * day });
    await test.db.insert(complaintEvents).values([
      { caseId: oldMerge, type: 'merged', actor: 'staff', public: true, after: { mergedInto: survivor }, at: mergedAt },
      { caseId: oldMerge, type: 'customer_replied', actor: 'customer', body: '我是王芳，请回电。', public: true, at: Date.now() - 55 * day },
      { caseId: recentMerge, type: 'merged', actor: 'staff', public: true, after: { mergedInto: survivor }, at: Date.now() - 10 * day },
    ]);

    expect((await previewRetention(test.db, await readRetentionSettings(test.db))).cases).toEqual({ count: 1, oldest: mergedAt });
    expect((await runRetention(test.db)).counts.cases).toBe(1);
    const rows = new Map((await test.db.select().from(complaintCases)).map((row) => [row.id, row]));
    expect(rows.get(oldMerge)).toMatchObject({ description: '', contactName: null, contactEmail: null, status: 'merged' });
    expect(rows.get(oldMerge)!.anonymisedAt).not.toBeNull();
    expect(rows.get(recentMerge)).toMatchObject({ description: '王芳 says the parcel arrived crushed.', anonymisedAt: null });
    expect(rows.get(survivor)!.anonymisedAt).toBeNull();
    const [reply] = await test.db.select({ body: complaintEvents.body }).from(complaintEvents).where(eq(complaintEvents.type, 'customer_replied'));
    expect(reply!.body).toBeNull();
  });

  it('closed within the reopen window are left until it has passed; once taken, the status page shows nothing and a reply opens a new case', async () => {
    // A day's period, the reopen window the default 14 days.
    await retain({ cases: { unit: 'days', count: 1 } });
    const lately = await addCase({ status: 'closed', resolvedAt: Date.now() - 6 * day, closedAt: Date.now() - 5 * day });
    const longAgo = await addCase({ status: 'closed', resolvedAt: Date.now() - 21 * day, closedAt: Date.now() - 20 * day });

    expect((await previewRetention(test.db, await readRetentionSettings(test.db))).cases.count).toBe(1);
    expect((await runRetention(test.db)).counts.cases).toBe(1);
    const [kept] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, lately));
    expect(kept).toMatchObject({ description: '王芳 says the parcel arrived crushed.', anonymisedAt: null, statusTokenRevokedAt: null });

    // The customer replies to the case closed lately: it reopens, whole, and is worked again.
    expect(await recordCustomerReply(test.db, { caseId: lately, body: '还是坏的，请再联系我：13800000000', via: 'email' })).toMatchObject({ reopened: true });
    expect((await test.db.select({ status: complaintCases.status }).from(complaintCases).where(eq(complaintCases.id, lately)))[0]!.status).toBe('in_progress');

    // The case taken: its status page is gone, and a reply by email opens a new case rather than adding to it.
    const [taken] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, longAgo));
    expect(taken).toMatchObject({ description: '', contactName: null, status: 'closed' });
    expect(taken!.statusTokenRevokedAt).not.toBeNull();
    expect((await test.app.request(`/api/public/cases/${taken!.statusToken}`)).status).toBe(404);
    const replied = await recordCustomerReply(test.db, { caseId: longAgo, body: '又坏了', via: 'email' });
    expect(replied.reopened).toBe(false);
    expect(replied.newCaseId).toBeDefined();
    const events = await test.db.select({ body: complaintEvents.body }).from(complaintEvents).where(eq(complaintEvents.caseId, longAgo));
    expect(events.filter((event) => event.body)).toEqual([]);
  });
  it('made anonymous, reopened by staff and closed again, are taken again once due', async () => {
    await retain({ cases: { unit: 'days', count: 1 } });
    // Made anonymous 40 days ago, then reopened by staff: new words, closed again 20 days ago.
    const again = await addCase({ status: 'closed', anonymisedAt: Date.now() - 40 * day, resolvedAt: Date.now() - 21 * day, closedAt: Date.now() - 20 * day });
    const untouched = await addCase({ status: 'closed', description: '', contactName: null, contactEmail: null, anonymisedAt: Date.now() - 10 * day, closedAt: Date.now() - 50 * day });
    await test.db.insert(complaintEvents).values({ caseId: again, type: 'note', actor: 'staff', body: '王芳 called again about the parcel.', public: false, at: Date.now() - 25 * day });

    expect((await runRetention(test.db)).counts.cases).toBe(1);
    const rows = new Map((await test.db.select().from(complaintCases)).map((row) => [row.id, row]));
    expect(rows.get(again)).toMatchObject({ description: '', contactName: null, contactEmail: null });
    expect(rows.get(again)!.anonymisedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(rows.get(untouched)!.anonymisedAt).toBeLessThan(Date.now() - 9 * day);
    const [note] = await test.db.select({ body: complaintEvents.body }).from(complaintEvents).where(eq(complaintEvents.caseId, again));
    expect(note!.body).toBeNull();
  });
});

describe('the preview of periods not saved', () => {
  it('says what the next run would take with them, for admins only, saving nothing', async () => {
    const admin = await signedInAs(test, 'admin');
    await test.db.insert(responses).values({ id: randomUUID(), surveyId, versionId, channel: 'web', locale: 'zh-CN', answers: { nps: 9 }, submittedAt: Date.now() - 400 * day, startedAt: null });
    const proposed = { ...defaultRetention, responses: { unit: 'years', count: 1 } };
    expect((await (await signedInAs(test, 'manager')).request('POST', '/api/privacy/retention/preview', { settings: proposed })).status).toBe(403);
    const refused = await admin.request('POST', '/api/privacy/retention/preview', { settings: { ...proposed, sessions: { unit: 'days', count: 0 } } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('Keep data for at least 1 day');
    const answered = await admin.request('POST', '/api/privacy/retention/preview', { settings: proposed });
    expect(answered.status).toBe(200);
    const preview = await answered.json();
    expect(preview.kinds.find((kind: { kind: string }) => kind.kind === 'responses')).toMatchObject({ action: 'anonymise', due: { count: 1 } });
    expect(Date.parse(preview.nextRunAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await readRetentionSettings(test.db)).toEqual(defaultRetention);
    const view = await (await admin.request('GET', '/api/privacy/retention')).json();
    expect(view.kinds.find((kind: { kind: string }) => kind.kind === 'responses').due.count).toBe(0);
  });
});

describe('saved periods', () => {
  it('that cannot be read keep that kind’s data, the other kinds keeping their periods', async () => {
    await test.db.insert(settings).values({
      key: retentionSettingsKey,
      value: { ...defaultRetention, responses: { unit: 'keep' }, sessions: { unit: 'fortnights', count: 1 }, messages: { unit: 'days', count: 500 } },
      updatedBy: adminId,
    });
    expect(await readRetentionSettings(test.db)).toEqual({ ...defaultRetention, responses: { unit: 'keep' }, sessions: { unit: 'keep' }, messages: { unit: 'days', count: 500 } });
  });
});
