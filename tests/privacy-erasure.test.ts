// Erasing a customer (POST /api/customers/:id/erase): their identity is gone from every table the catalogue
// lists, mail not yet sent to them is withdrawn, a legal hold blocks it with its reason, the erasure is recorded
// without the identity, and the dashboard's figures (survey aggregates, complaint figures, loyalty figures) are
// the same before, after, and after a full recomputation from the rows left.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/client.ts';
import {
  complaintCases,
  complaintEvents,
  consentChanges,
  customers,
  erasedKeys,
  outgoingMessages,
  privacyRequests,
  purchases,
  responses,
  surveys,
  surveyVersions,
} from '../server/db/schema.ts';
import { catchUp, forgetAggregates } from '../server/insights/processor.ts';
import { recomputeLoyalty } from '../server/loyalty/recompute.ts';
import { signedInAs, startTestApp, StaffClient, type TestApp } from './support/app.ts';
import { figuresRead, privacySurvey } from './support/privacy.ts';
import { changeUnderWriteLock } from './support/write-lock.ts';

let test: TestApp;
let admin: StaffClient;
let manager: StaffClient;
const day = 24 * 3600_000;
const now = Date.now();
const erased = randomUUID();
const held = randomUUID();
const kept = randomUUID();
const erasedCases: string[] = [];

const definition = privacySurvey;

async function seed(db: Db) {
  const surveyId = randomUUID();
  const versionId = randomUUID();
  await db.insert(surveys).values({ id: surveyId, slug: `sat-${surveyId.slice(0, 8)}`, kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: versionId });
  await db.insert(surveyVersions).values({ id: versionId, surveyId, version: 1, definition });
  const people = [
    { id: erased, externalId: 'CRM-1', name: '王芳', email: 'wang.fang@example.com', phone: '+86 138 0000 0001', postalAddress: '上海市\n徐汇区', segment: 'retail', region: 'east', consents: { email: ['survey' as const] } },
    { id: held, externalId: 'CRM-2', name: 'Li Lei', email: 'li.lei@example.com', segment: 'retail', region: 'north' },
    { id: kept, externalId: 'CRM-3', name: 'Zhang Wei', email: 'zhang.wei@example.com', segment: 'business', region: 'east' },
  ];
  await db.insert(customers).values(people);
  let n = 0;
  for (const person of people) {
    for (let i = 0; i < 6; i++) {
      n++;
      await db.insert(responses).values({
        id: randomUUID(),
        surveyId,
        versionId,
        channel: i % 2 ? 'web' : 'mail',
        locale: 'zh-CN',
        answers: { nps: (n * 3) % 11, why: `我的名字是${person.name}，电话 ${person.phone ?? '无'}`, liked: { selected: ['price'], other: `${person.name} 的快递员` } },
        startedAt: now - (i + 1) * day - 120_000,
        submittedAt: now - (i + 1) * day,
        durationMs: 120_000,
        customerId: person.id,
        hiddenFields: { store: '123', name: person.name },
      });
    }
    await db.insert(purchases).values([
      { customerId: person.id, orderId: `O-${randomUUID()}`, occurredAt: now - 40 * day, amountMinor: 10_000 + n, currency: 'CNY', source: 'api' },
      { customerId: person.id, orderId: `O-${randomUUID()}`, occurredAt: now - 10 * day, amountMinor: 20_000 + n, currency: 'CNY', source: 'api' },
    ]);
    for (let i = 0; i < 2; i++) {
      const caseId = randomUUID();
      if (person.id === erased) erasedCases.push(caseId);
      const number = 1000 + Math.floor(Math.random() * 900_000);
      await db.insert(complaintCases).values({
        id: caseId,
        number,
        reference: `C-2026-${String(number).padStart(6, '0')}`,
        status: i === 0 ? 'resolved' : 'in_progress',
        source: 'agent',
        channel: 'phone',
        category: 'delivery',
        severity: i === 0 ? 'major' : 'minor',
        description: `${person.name} says the parcel arrived crushed.`,
        desiredOutcome: 'A replacement',
        locale: 'zh-CN',
        customerId: person.id,
        contactName: person.name,
        contactEmail: person.email,
        contactPhone: '+86 138 0000 0009',
        statusToken: randomUUID(),
        replyToken: randomUUID(),
        outcome: i === 0 ? 'resolved' : null,
        handlingScore: i === 0 ? 4 : null,
        createdAt: now - (5 + i) * day,
        firstRespondedAt: now - (5 + i) * day + 3600_000,
        resolvedAt: i === 0 ? now - 3 * day : null,
      });
      await db.insert(complaintEvents).values([
        { caseId, type: 'customer_replied', actor: 'customer', body: `This is ${person.name}, call me.`, public: true, at: now - 4 * day },
        { caseId, type: 'fields_changed', actor: 'staff', before: { contactPhone: '+86 138 0000 0009' }, after: { contactPhone: `${person.phone ?? ''} (mobile)` }, at: now - 4 * day + 1 },
        { caseId, type: 'status_changed', actor: 'staff', before: { status: 'new' }, after: { status: 'in_progress' }, at: now - 4 * day + 2 },
      ]);
    }
    await db.insert(outgoingMessages).values([
      { id: randomUUID(), toAddress: person.email, subject: `Dear ${person.name}`, text: `Hello ${person.name}`, status: 'sent', customerId: person.id, purpose: 'survey', createdAt: now - 9 * day, sentAt: now - 9 * day },
      { id: randomUUID(), toAddress: person.email, subject: `Dear ${person.name}, one more`, text: `Hello ${person.name}`, status: 'held', customerId: person.id, purpose: 'survey' },
    ]);
    await db.insert(consentChanges).values({ customerId: person.id, fact: 'email.survey', oldValue: false, newValue: true, source: 'staff', note: `${person.name} agreed on the phone` });
  }
}

const figureRoutes = [
  '/api/insights/overview',
  '/api/insights/trend?metric=nps&unit=day',
  '/api/insights/compare?metric=nps&split=segment',
  '/api/insights/complaints',
  '/api/insights/loyalty',
];


/** The figures as a fresh server process reads them (support/privacy.ts), the erased customer's name left out. */
const figures = () => figuresRead(test, manager, figureRoutes, new Set([erased]));

let before: unknown[];

beforeAll(async () => {
  test = await startTestApp();
  admin = await signedInAs(test, 'admin');
  manager = await signedInAs(test, 'manager');
  await seed(test.db);
  await catchUp(test.db);
  await recomputeLoyalty(test.db);
  before = await figures();
});
afterAll(() => test.close());

describe('erasing a customer', () => {
  it('is refused for a customer under a legal hold, saying why', async () => {
    expect((await admin.request('PUT', `/api/customers/${held}/legal-hold`, { reason: 'Court order 2026-17' })).status).toBe(200);
    const refused = await admin.request('POST', `/api/customers/${held}/erase`, { reason: 'Asked by phone' });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toContain('Court order 2026-17');
    const [row] = await test.db.select().from(customers).where(eq(customers.id, held));
    expect(row).toMatchObject({ name: 'Li Lei', erasedAt: null });
  });

  it('is for admins, with a reason', async () => {
    expect((await manager.request('POST', `/api/customers/${erased}/erase`, { reason: 'Asked by mail' })).status).toBe(403);
    const blank = await admin.request('POST', `/api/customers/${erased}/erase`, { reason: ' ' });
    expect(blank.status).toBe(400);
    expect((await blank.json()).fields.reason).toMatch(/reason/);
  });

  it('removes the identity everywhere, keeping what the figures count', async () => {
    const response = await admin.request('POST', `/api/customers/${erased}/erase`, { reason: 'Asked by mail on 3 December' });
    expect(response.status).toBe(200);
    const [customer] = await test.db.select().from(customers).where(eq(customers.id, erased));
    expect(customer).toMatchObject({ name: '', externalId: null, email: null, phone: null, postalAddress: null, segment: 'retail', region: 'east' });
    expect(customer!.erasedAt).not.toBeNull();

    const answered = await test.db.select().from(responses).where(eq(responses.customerId, erased));
    expect(answered).toHaveLength(6);
    for (const response of answered) {
      expect(response.answers).toEqual({ nps: expect.any(Number), liked: { selected: ['price'] } });
      expect(response.hiddenFields).toBeNull();
    }
    const cases = await test.db.select().from(complaintCases).where(eq(complaintCases.customerId, erased));
    expect(cases).toHaveLength(2);
    for (const row of cases) {
      expect(row).toMatchObject({ description: '', desiredOutcome: null, contactName: null, contactEmail: null, contactPhone: null, category: 'delivery' });
    }
    const events = await test.db.select().from(complaintEvents).where(inArray(complaintEvents.caseId, erasedCases));
    expect(events.map((event) => event.body)).toEqual([null, null, null, null, null, null]);
    // A change of the case's fields loses what it changed; a status change keeps it, since it says nothing of them.
    expect(events.filter((event) => event.type === 'fields_changed').map((event) => [event.before, event.after])).toEqual([[null, null], [null, null]]);
    expect(events.filter((event) => event.type === 'status_changed').map((event) => event.after)).toEqual([{ status: 'in_progress' }, { status: 'in_progress' }]);
    const notes = await test.db.select().from(consentChanges).where(eq(consentChanges.customerId, erased));
    expect(notes.map((note) => note.note)).toEqual([null]);

    // Nothing anywhere still says who they were.
    const dump = JSON.stringify(
      await Promise.all([
        test.db.select().from(customers).where(eq(customers.id, erased)),
        test.db.select().from(responses).where(eq(responses.customerId, erased)),
        test.db.select().from(complaintCases).where(eq(complaintCases.customerId, erased)),
        test.db.select().from(complaintEvents).where(inArray(complaintEvents.caseId, erasedCases)),
        test.db.select().from(outgoingMessages).where(eq(outgoingMessages.customerId, erased)),
        test.db.select().from(consentChanges).where(eq(consentChanges.customerId, erased)),
        test.db.select().from(privacyRequests).where(eq(privacyRequests.customerId, erased)),
      ]),
    );
    for (const identity of ['王芳', 'wang.fang', 'CRM-1', '0001', '徐汇']) expect(dump).not.toContain(identity);
    // The others keep theirs.
    const [other] = await test.db.select().from(customers).where(eq(customers.id, kept));
    expect(other).toMatchObject({ name: 'Zhang Wei', email: 'zhang.wei@example.com' });
  });

  it('withdraws mail not yet sent to them, and leaves sent mail sent', async () => {
    const messages = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.customerId, erased));
    expect(messages.map((message) => [message.status, message.skipReason, message.toAddress, message.text]).sort()).toEqual([
      ['sent', null, '', ''],
      ['skipped', 'erased', '', ''],
    ]);
    const others = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.customerId, kept));
    expect(others.map((message) => message.status).sort()).toEqual(['held', 'sent']);
  });

  it('is recorded with the admin and the reason, on the customer’s timeline, and keeps only hashes of their keys', async () => {
    const timeline = await (await manager.request('GET', `/api/customers/${erased}/timeline?limit=100`)).json();
    expect(timeline.items.filter((item: { kind: string }) => item.kind === 'data_request')).toEqual([
      expect.objectContaining({ requestKind: 'erasure', actorName: 'admin 1' }),
    ]);
    const [record] = await test.db.select().from(privacyRequests).where(eq(privacyRequests.customerId, erased));
    expect(record).toMatchObject({ kind: 'erasure', reason: 'Asked by mail on 3 December' });
    const keys = await test.db.select().from(erasedKeys);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a second erasure changes nothing and says so', async () => {
    const again = await admin.request('POST', `/api/customers/${erased}/erase`, { reason: 'Asked again' });
    expect(again.status).toBe(200);
    expect((await again.json()).erasure.alreadyErased).toBe(true);
    expect(await test.db.select().from(privacyRequests).where(eq(privacyRequests.customerId, erased))).toHaveLength(1);
  });

  it('leaves every figure as it was, and equal to a full recomputation from the rows left', async () => {
    expect(await figures()).toEqual(before);
    await forgetAggregates(test.db);
    await catchUp(test.db);
    await recomputeLoyalty(test.db);
    expect(await figures()).toEqual(before);
  });
});

describe('an erased customer is not brought back', () => {
  it('an import naming their external id or email rejects the row, saying why; other rows are taken', async () => {
    const csv = 'external_id,name,email\r\nCRM-1,王芳,\r\nCRM-9,Wang Fang,Wang.Fang@example.com\r\nCRM-10,Zhao Min,zhao.min@example.com\r\n';
    const bytes = new TextEncoder().encode(csv);
    const created = await admin.request('POST', '/api/customer-imports', { fileName: 'crm.csv', sizeBytes: bytes.byteLength });
    expect(created.status).toBe(201);
    const { import: waiting } = await created.json();
    const uploaded = await test.app.request(`/api/customer-imports/${waiting.id}/file`, {
      method: 'PUT',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
      body: bytes,
    });
    expect(uploaded.status).toBe(200);
    expect((await uploaded.json()).import.rows).toMatchObject({ created: 1, rejected: 2 });
    const { rejections } = await (await admin.request('GET', `/api/customer-imports/${waiting.id}/rejections`)).json();
    expect(rejections.map((row: { rowNumber: number; reason: { en: string } }) => [row.rowNumber, row.reason.en])).toEqual([
      [2, expect.stringContaining('"CRM-1" asked for their data to be erased')],
      [3, expect.stringContaining('asked for their data to be erased')],
    ]);
    expect(await test.db.select().from(customers).where(inArray(customers.externalId, ['CRM-1', 'CRM-9']))).toEqual([]);
  });

  it('the integration API refuses their external id', async () => {
    const key = await (await admin.request('POST', '/api/integrations/keys', { name: 'CRM' })).json();
    const response = await test.app.request('/api/v1/customers/CRM-1', {
      method: 'PUT',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wang Fang' }),
    });
    expect(response.status).toBe(410);
    expect((await response.json()).error).toMatch(/asked for their data to be erased/);
  });

  it('staff can neither add them again by email nor fill in the erased record', async () => {
    const added = await admin.request('POST', '/api/customers', { name: 'Wang Fang', email: 'wang.fang@example.com' });
    expect(added.status).toBe(410);
    expect((await added.json()).fields.email).toMatch(/erased/);
    const edited = await admin.request('PUT', `/api/customers/${erased}`, { name: '王芳' });
    expect(edited.status).toBe(410);
  });

  it('an edit that arrives while the erasure is being written does not write the identity back', async () => {
    const racing = randomUUID();
    await test.db.insert(customers).values({ id: racing, name: 'Zhao Lei', email: 'zhao.lei@example.com', externalId: 'CRM-RACE' });
    // Another process holds the write lock and commits the erasure's own change of the record 1.5 s later; the
    // edit starts meanwhile.
    const { committed } = await changeUnderWriteLock(test.databaseUrl, [
      `UPDATE customers SET name = '', email = NULL, external_id = NULL, erased_at = 1 WHERE id = '${racing}'`,
    ]);
    const edited = await admin.request('PUT', `/api/customers/${racing}`, { name: 'Zhao Lei', email: 'zhao.lei@example.com' });
    await committed;
    expect(edited.status).toBe(410);
    const [row] = await test.db.select().from(customers).where(eq(customers.id, racing));
    expect(row).toMatchObject({ name: '', email: null, externalId: null });
  });
});
