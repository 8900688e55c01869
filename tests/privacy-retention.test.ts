// Retention (/api/privacy/retention and the daily run, server/privacy/retention.ts): each kind of data older than
// its period is made anonymous or erased, younger rows and the rows of a customer under a legal hold stay, the
// page's preview counts what the run then does, a run cut short is finished by the next without doing anything
// twice, and the survey figures stay equal to a full recomputation from the rows left.
import { randomUUID } from 'node:crypto';
import { eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/client.ts';
import {
  complaintCases,
  complaintEvents,
  customerImportRejections,
  customerImports,
  customerLoyalty,
  customers,
  loyaltyStale,
  outgoingMessages,
  purchaseImportRejections,
  purchaseImports,
  purchases,
  responses,
  sessions,
  staffReads,
  surveys,
  surveyVersions,
} from '../server/db/schema.ts';
import { catchUp, forgetAggregates } from '../server/insights/processor.ts';
import { drainStale } from '../server/loyalty/updater.ts';
import { catchUpExplorer, forgetExplorerIndex } from '../server/responses/explorer-index.ts';
import { recomputeLoyalty } from '../server/loyalty/recompute.ts';
import { previewRetention, readRetentionSettings, runRetention } from '../server/privacy/retention.ts';
import type { RetentionKind } from '../server/privacy/retention-rules.ts';
import { signedInAs, startTestApp, StaffClient, type TestApp } from './support/app.ts';
import { figuresRead, privacySurvey } from './support/privacy.ts';

let test: TestApp;
let admin: StaffClient;
let manager: StaffClient;
const day = 24 * 3600_000;
const now = Date.now();
const old = now - 400 * day;
const young = now - 10 * day;
const wang = randomUUID();
const held = randomUUID();
const zhang = randomUUID();
/** A customer whose every answer is over a year old: loyalty's latest answer of theirs goes. */
const chen = randomUUID();
const oldClosedCases: string[] = [];
let surveyId: string;

const definition = privacySurvey;

async function seed(db: Db, userId: string) {
  surveyId = randomUUID();
  const versionId = randomUUID();
  await db.insert(surveys).values({ id: surveyId, slug: `sat-${surveyId.slice(0, 8)}`, kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: versionId });
  await db.insert(surveyVersions).values({ id: versionId, surveyId, version: 1, definition });
  const people = [
    { id: wang, name: '王芳', email: 'wang.fang@example.com', segment: 'retail', region: 'east', tier: 'vip' as const, tierSetByHand: true },
    { id: held, name: 'Li Lei', email: 'li.lei@example.com', segment: 'retail', region: 'north', legalHold: 'Court order 2026-17' },
    { id: zhang, name: 'Zhang Wei', email: 'zhang.wei@example.com', segment: 'business', region: 'east' },
  ];
  await db.insert(customers).values([...people, { id: chen, name: '陈静', segment: 'business', region: 'east' }]);
  for (const [i, at] of [old - day, old].entries()) {
    await db.insert(responses).values({
      id: randomUUID(),
      surveyId,
      versionId,
      channel: 'web',
      locale: 'zh-CN',
      answers: { nps: 9 - i, why: '我是陈静' },
      startedAt: at - 60_000,
      submittedAt: at,
      durationMs: 60_000,
      customerId: chen,
    });
  }
  await db.insert(purchases).values({ customerId: chen, orderId: `O-${randomUUID()}`, occurredAt: now - 20 * day, amountMinor: 30_000, currency: 'CNY', source: 'api' });
  let n = 0;
  for (const person of people) {
    // Four answers over a year old (the latest of them the customer's most recent, for loyalty), two recent.
    for (const [i, at] of [old - 3 * day, old - 2 * day, old - day, old, young - day, young].entries()) {
      n++;
      await db.insert(responses).values({
        id: randomUUID(),
        surveyId,
        versionId,
        channel: i % 2 ? 'web' : 'mail',
        locale: 'zh-CN',
        answers: { nps: (n * 3) % 11, why: `我是${person.name}`, liked: { selected: ['price'], other: `${person.name} 的快递员` } },
        startedAt: at - 120_000,
        submittedAt: at,
        durationMs: 120_000,
        customerId: person.id,
        hiddenFields: { store: '123', name: person.name },
      });
    }
    await db.insert(purchases).values([
      { customerId: person.id, orderId: `O-${randomUUID()}`, occurredAt: now - 40 * day, amountMinor: 10_000 + n, currency: 'CNY', source: 'api' },
    ]);
    // A case closed over a year ago, one closed recently, one opened over a year ago and still worked.
    for (const [status, closedAt] of [['closed', old], ['closed', young], ['in_progress', null]] as const) {
      const caseId = randomUUID();
      if (person.id !== held && status === 'closed' && closedAt === old) oldClosedCases.push(caseId);
      const number = 1000 + Math.floor(Math.random() * 900_000);
      await db.insert(complaintCases).values({
        id: caseId,
        number,
        reference: `C-2025-${String(number).padStart(6, '0')}`,
        status,
        source: 'agent',
        channel: 'phone',
        category: 'delivery',
        severity: 'major',
        description: `${person.name} says the parcel arrived crushed.`,
        desiredOutcome: 'A replacement',
        locale: 'zh-CN',
        customerId: person.id,
        contactName: person.name,
        contactEmail: person.email,
        statusToken: randomUUID(),
        replyToken: randomUUID(),
        outcome: status === 'closed' ? 'resolved' : null,
        handlingScore: status === 'closed' ? 4 : null,
        createdAt: old - 5 * day,
        firstRespondedAt: old - 5 * day + 3600_000,
        resolvedAt: closedAt === null ? null : closedAt - day,
        closedAt,
      });
      await db.insert(complaintEvents).values([
        { caseId, type: 'customer_replied', actor: 'customer', body: `This is ${person.name}, call me.`, public: true, at: old - 4 * day },
        { caseId, type: 'fields_changed', actor: 'staff', before: { contactName: 'x' }, after: { contactName: person.name }, at: old - 4 * day + 1 },
      ]);
    }
    await db.insert(outgoingMessages).values([
      { id: randomUUID(), toAddress: person.email, subject: `Dear ${person.name}`, text: 'old, sent', status: 'sent', customerId: person.id, purpose: 'survey', createdAt: old, sentAt: old },
      { id: randomUUID(), toAddress: person.email, subject: `Dear ${person.name}`, text: 'old, failed', status: 'failed', customerId: person.id, purpose: 'survey', createdAt: old },
      { id: randomUUID(), toAddress: person.email, subject: `Dear ${person.name}`, text: 'old, held', status: 'held', customerId: person.id, purpose: 'survey', createdAt: old },
      { id: randomUUID(), toAddress: person.email, subject: `Dear ${person.name}`, text: 'recent, sent', status: 'sent', customerId: person.id, purpose: 'survey', createdAt: young, sentAt: young },
    ]);
    await db.insert(staffReads).values([
      { id: randomUUID(), at: old, staffId: userId, customerId: person.id, route: 'GET /customers/:id', fields: 'name' },
      { id: randomUUID(), at: young, staffId: userId, customerId: person.id, route: 'GET /customers/:id', fields: 'name' },
    ]);
  }
  await db.insert(sessions).values([
    { tokenHash: 'expired-long-ago', userId, csrfToken: 'x', createdAt: now - 60 * day, expiresAt: now - 45 * day },
    { tokenHash: 'expired-lately', userId, csrfToken: 'x', createdAt: now - 20 * day, expiresAt: now - 5 * day },
  ]);
  // Imports: one finished 200 days ago, one 100 days ago, one 10 days ago, each with two rejected rows.
  for (const [table, rejections] of [
    [customerImports, customerImportRejections],
    [purchaseImports, purchaseImportRejections],
  ] as const) {
    for (const ago of [200, 100, 10]) {
      const id = randomUUID();
      await db.insert(table).values({ id, createdBy: userId, fileName: `crm-${ago}.csv`, sizeBytes: 100, status: 'done', createdAt: now - ago * day, updatedAt: now - ago * day, finishedAt: now - ago * day });
      await db.insert(rejections).values([
        { importId: id, rowNumber: 2, reason: { en: 'No name', 'zh-CN': '缺少姓名' }, cells: ['', 'someone@example.com'] },
        { importId: id, rowNumber: 3, reason: { en: 'No name', 'zh-CN': '缺少姓名' }, cells: ['', 'another@example.com'] },
      ]);
    }
  }
  // An upload that never came, 200 days ago, and one being read now.
  await db.insert(customerImports).values([
    { id: randomUUID(), createdBy: userId, fileName: 'never-sent.csv', sizeBytes: 100, status: 'waiting', createdAt: now - 200 * day, updatedAt: now - 200 * day },
    { id: randomUUID(), createdBy: userId, fileName: 'reading.csv', sizeBytes: 100, status: 'running', createdAt: now - 200 * day, updatedAt: now - 1000 },
  ]);
}

const from = new Date(now - 730 * day).toISOString().slice(0, 10);
const figureRoutes = [
  `/api/insights/overview?from=${from}`,
  `/api/insights/trend?metric=nps&unit=month&from=${from}`,
  `/api/insights/compare?metric=nps&split=segment&from=${from}`,
  `/api/insights/compare?metric=nps&split=region&from=${from}`,
  `/api/insights/compare?metric=nps&split=tier&from=${from}`,
  `/api/insights/complaints?from=${from}`,
];


/** The responses explorer's counts by segment, as its index has them. */
async function explorerCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const segment of ['retail', 'business']) {
    const response = await manager.request('GET', `/api/surveys/${surveyId}/explorer/summary?segment=${segment}&from=${from}`);
    expect(response.status).toBe(200);
    counts[segment] = (await response.json()).n;
  }
  return counts;
}

/** The figures as a fresh server process reads them (support/privacy.ts). */
const figures = (routes: readonly string[] = figureRoutes) => figuresRead(test, manager, routes);

const periods = {
  responses: { unit: 'years', count: 1 },
  cases: { unit: 'months', count: 12 },
  messages: { unit: 'years', count: 1 },
  sessions: { unit: 'days', count: 30 },
  imports: { unit: 'days', count: 150 },
  rejections: { unit: 'days', count: 90 },
  accessLog: { unit: 'years', count: 1 },
};

/** What the run takes from the seed with those periods: the held customer's rows stay. */
const expected: Record<RetentionKind, number> = {
  responses: 10,
  cases: 2,
  messages: 4,
  sessions: 1,
  imports: 3,
  // The imports of 200 and 100 days ago, two rows each, customer and purchase imports.
  rejections: 8,
  accessLog: 2,
};

let before: unknown[];
let explorerBefore: Record<string, number>;
let adminId: string;

beforeAll(async () => {
  test = await startTestApp();
  admin = await signedInAs(test, 'admin');
  manager = await signedInAs(test, 'manager');
  adminId = (await (await admin.request('GET', '/api/session')).json()).user.id;
  await seed(test.db, adminId);
  // Tiers settled first: the tier split counts an answer under its customer's tier when it is folded in.
  await recomputeLoyalty(test.db);
  await catchUp(test.db);
  await catchUpExplorer(test.db);
  before = await figures();
  explorerBefore = await explorerCounts();
});
afterAll(() => test.close());

describe('the retention settings', () => {
  it('are for admins only', async () => {
    for (const role of ['manager', 'support', 'interviewer'] as const) {
      const client = role === 'manager' ? manager : await signedInAs(test, role);
      expect((await client.request('GET', '/api/privacy/retention')).status, role).toBe(403);
      expect((await client.request('PUT', '/api/privacy/retention', { settings: periods })).status, role).toBe(403);
    }
  });

  it('start at the defaults: survey data kept, operational data for a stated time, nothing due yet', async () => {
    const view = await (await admin.request('GET', '/api/privacy/retention')).json();
    const byKind = Object.fromEntries(view.kinds.map((kind: { kind: string }) => [kind.kind, kind]));
    expect(byKind.responses).toMatchObject({ action: 'anonymise', period: { unit: 'keep' } });
    expect(byKind.cases).toMatchObject({ action: 'anonymise', period: { unit: 'keep' } });
    expect(byKind.sessions).toMatchObject({ action: 'erase', period: { unit: 'days', count: 30 } });
    expect(byKind.messages).toMatchObject({ action: 'erase', period: { unit: 'years', count: 1 } });
    expect(byKind.responses.due.count).toBe(0);
    expect(view.lastRun).toBeNull();
    expect(Date.parse(view.nextRunAt)).toBeGreaterThanOrEqual(now);
  });

  it('refuse a period that makes no sense, saying which and why, in the reader’s language', async () => {
    const refused = await admin.request('PUT', '/api/privacy/retention', { settings: { ...periods, sessions: { unit: 'days', count: 0 } } });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(JSON.stringify(body)).toContain('Keep data for at least 1 day');
    expect(await readRetentionSettings(test.db)).toMatchObject({ sessions: { unit: 'days', count: 30 } });
  });

  it('show how many rows the next run takes per kind and the oldest among them', async () => {
    const saved = await admin.request('PUT', '/api/privacy/retention', { settings: periods });
    expect(saved.status).toBe(200);
    const view = await saved.json();
    const due = Object.fromEntries(view.kinds.map((kind: { kind: string; due: { count: number } }) => [kind.kind, kind.due]));
    expect(Object.fromEntries(Object.entries(due).map(([kind, value]) => [kind, (value as { count: number }).count]))).toEqual(expected);
    expect(Date.parse(due.responses.oldest)).toBe(old - 3 * day);
    expect(Date.parse(due.rejections.oldest)).toBe(now - 200 * day);
  });
});

describe('the run', () => {
  it('does what the preview said, batch by batch; cut short, the next run finishes it without doing anything twice', async () => {
    const at = Date.now();
    const preview = await previewRetention(test.db, await readRetentionSettings(test.db), at);
    expect(Object.fromEntries(Object.entries(preview).map(([kind, due]) => [kind, due.count]))).toEqual(expected);
    // Cut short after three batches of two rows: the rest is still due.
    let looks = 0;
    const cutShort = { get aborted() { return ++looks > 3; } } as AbortSignal;
    const first = await runRetention(test.db, { now: at, start: 1, batch: 2, signal: cutShort });
    expect(first.finishedAt).toBeNull();
    expect(Object.values(first.counts).reduce((sum, count) => sum + count, 0)).toBe(6);
    const rest = await previewRetention(test.db, await readRetentionSettings(test.db), at);
    expect(Object.values(rest).reduce((sum, due) => sum + due.count, 0)).toBe(Object.values(expected).reduce((sum, count) => sum + count, 0) - 6);
    const finished = await runRetention(test.db, { now: at, start: 1, batch: 2 });
    expect(finished.counts).toEqual(expected);
    expect(finished.finishedAt).not.toBeNull();
    // Nothing is left, and another run finds nothing.
    const after = await previewRetention(test.db, await readRetentionSettings(test.db), at);
    expect(Object.values(after).every((due) => due.count === 0)).toBe(true);
    expect((await runRetention(test.db, { now: at, start: 2 })).counts).toEqual({ responses: 0, cases: 0, messages: 0, sessions: 0, imports: 0, rejections: 0, accessLog: 0 });
    const view = await (await admin.request('GET', '/api/privacy/retention')).json();
    expect(view.lastRun.counts.responses).toBe(0);
    expect(view.lastRun.finishedAt).not.toBeNull();
  });

  it('makes old responses anonymous: words, hidden fields and the customer link gone, scores and the customer’s segment kept', async () => {
    const anonymous = await test.db.select().from(responses).where(isNull(responses.customerId));
    expect(anonymous).toHaveLength(10);
    for (const row of anonymous) {
      expect(row.submittedAt).toBeLessThan(now - 365 * day);
      expect(row.answers).toEqual(row.answers.liked ? { nps: expect.any(Number), liked: { selected: ['price'] } } : { nps: expect.any(Number) });
      expect(row.hiddenFields).toBeNull();
      expect(row.anonymisedAt).not.toBeNull();
    }
    expect(anonymous.map((row) => row.segment).sort()).toEqual([...Array(6).fill('business'), ...Array(4).fill('retail')]);
    const tiers = await test.db.select({ id: customers.id, tier: customers.tier }).from(customers).where(inArray(customers.id, [wang, zhang, chen]));
    expect(anonymous.map((row) => row.tier).sort()).toEqual(tiers.flatMap((row) => Array(row.id === chen ? 2 : 4).fill(row.tier)).sort());
    expect(anonymous.map((row) => row.region)).toEqual(Array(10).fill('east'));
    // Recent ones and the held customer's old ones are whole.
    const whole = await test.db.select().from(responses).where(inArray(responses.customerId, [wang, zhang, held]));
    expect(whole.filter((row) => row.customerId !== held).every((row) => row.submittedAt > now - 30 * day)).toBe(true);
    expect(whole.filter((row) => row.customerId === held)).toHaveLength(6);
    for (const row of whole) expect((row.answers as { why?: string }).why).toMatch(/^我是/);
  });

  it('makes cases closed over the period ago anonymous, keeping what the complaint figures count; open and recent ones stay', async () => {
    const cases = await test.db.select().from(complaintCases);
    for (const row of cases) {
      if (oldClosedCases.includes(row.id)) {
        expect(row).toMatchObject({ description: '', desiredOutcome: null, contactName: null, contactEmail: null, category: 'delivery', outcome: 'resolved', handlingScore: 4 });
        expect(row.anonymisedAt).not.toBeNull();
      } else {
        expect(row.description).toMatch(/parcel arrived crushed/);
        expect(row.anonymisedAt).toBeNull();
      }
    }
    const events = await test.db.select().from(complaintEvents).where(inArray(complaintEvents.caseId, oldClosedCases));
    expect(events.map((event) => [event.body, event.before, event.after])).toEqual([
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
  });

  it('erases old mail sent, failed or withdrawn, old sessions, imports, rejected rows and reads; keeps the rest', async () => {
    const mail = await test.db.select().from(outgoingMessages);
    expect(mail.filter((message) => message.customerId !== held).map((message) => message.text).sort()).toEqual(['old, held', 'old, held', 'recent, sent', 'recent, sent']);
    expect(mail.filter((message) => message.customerId === held)).toHaveLength(4);
    expect((await test.db.select().from(sessions).where(inArray(sessions.tokenHash, ['expired-long-ago', 'expired-lately']))).map((row) => row.tokenHash)).toEqual(['expired-lately']);
    expect((await test.db.select().from(customerImports)).map((row) => row.fileName).sort()).toEqual(['crm-10.csv', 'crm-100.csv', 'reading.csv']);
    expect((await test.db.select().from(purchaseImports)).map((row) => row.fileName).sort()).toEqual(['crm-10.csv', 'crm-100.csv']);
    expect(await test.db.$count(customerImportRejections)).toBe(2);
    expect(await test.db.$count(purchaseImportRejections)).toBe(2);
    const reads = await test.db.select().from(staffReads).where(eq(staffReads.staffId, adminId));
    expect(reads.filter((read) => read.at === old).map((read) => read.customerId)).toEqual([held]);
  });

  it('leaves the survey and complaint figures and the explorer’s counts as they were, and equal to a full recomputation from the rows left', async () => {
    expect(await figures()).toEqual(before);
    await forgetAggregates(test.db);
    await catchUp(test.db);
    expect(await figures()).toEqual(before);
    // The responses explorer's index, rebuilt, still finds them by the segment they were in.
    expect(explorerBefore).toEqual({ retail: 12, business: 8 });
    await forgetExplorerIndex(test.db);
    await catchUpExplorer(test.db);
    expect(await explorerCounts()).toEqual(explorerBefore);
  });

  it('asks for the loyalty of customers whose answers it took, which then equals a full recompute', async () => {
    expect((await test.db.select({ customerId: loyaltyStale.customerId }).from(loyaltyStale)).map((row) => row.customerId).sort()).toEqual([wang, zhang, chen].sort());
    const standing = async () =>
      (await test.db.select({ customerId: customerLoyalty.customerId, score: customerLoyalty.score, parts: customerLoyalty.parts, stage: customerLoyalty.stage }).from(customerLoyalty)).sort((a, b) =>
        a.customerId.localeCompare(b.customerId),
      );
    const [chenBefore] = (await standing()).filter((row) => row.customerId === chen);
    expect(chenBefore!.parts!.attitude.recommendation).not.toBeNull();
    await drainStale(test.db);
    const updated = await standing();
    // Chen's latest answer is no longer theirs.
    expect(updated.find((row) => row.customerId === chen)!.parts!.attitude.recommendation).toBeNull();
    const updatedFigures = await figures(['/api/insights/loyalty']);
    await recomputeLoyalty(test.db);
    expect(await standing()).toEqual(updated);
    expect(await figures(['/api/insights/loyalty'])).toEqual(updatedFigures);
  });
});
