// A customer's data exported (GET /api/customers/:id/export): everything about them in one JSON document and as
// CSVs in a zip, for managers and admins only, and each export recorded on the customer's timeline.
import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/accounts/service.ts';
import { complaintEvents, consentChanges, customers } from '../server/db/schema.ts';
import { parseCsv } from '../server/customers/csv.ts';
import { signedInAsEachRole, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { seedCustomerHistory } from './support/customer-history.ts';

let test: TestApp;
let clients: Record<Role, StaffClient>;
let customerId: string;
let seeded: Awaited<ReturnType<typeof seedCustomerHistory>>;

beforeAll(async () => {
  test = await startTestApp();
  clients = await signedInAsEachRole(test);
  customerId = randomUUID();
  await test.db.insert(customers).values({
    id: customerId,
    externalId: 'CRM-7781',
    name: '王芳',
    email: 'wang.fang@example.com',
    phone: '+86 138 0000 1234',
    postalAddress: '上海市徐汇区\n漕溪北路 88 号',
    consents: { email: ['survey'] },
  });
  seeded = await seedCustomerHistory(test.db, customerId);
  await test.db.insert(consentChanges).values({ customerId, fact: 'email.survey', oldValue: false, newValue: true, source: 'staff', actorName: 'Li Lei', note: 'Asked at the counter' });
  await test.db.insert(complaintEvents).values({ caseId: seeded.caseId, type: 'customer_replied', actor: 'customer', body: 'Still waiting for the replacement.', public: true });
});
afterAll(() => test.close());

const exportOf = (who: Role, query = '') => clients[who].request('GET', `/api/customers/${customerId}/export${query}`);

describe('exporting a customer’s data', () => {
  it('gives everything about the customer as one JSON document', async () => {
    const response = await exportOf('manager');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="customer-.+\.json"$/);
    const document = await response.json();
    expect(document.customer).toMatchObject({ id: customerId, externalId: 'CRM-7781', name: '王芳', email: 'wang.fang@example.com', phone: '+86 138 0000 1234' });
    expect(document.consents).toEqual({ email: ['survey'] });
    expect(document.consentHistory).toEqual([expect.objectContaining({ fact: 'email.survey', newValue: true, note: 'Asked at the counter' })]);
    // A response with its question's words and the answer as the survey shows it.
    expect(document.responses).toHaveLength(1);
    expect(document.responses[0]).toMatchObject({ id: seeded.responseId, survey: { en: 'After purchase' }, channel: 'web' });
    expect(document.responses[0].answers).toEqual([{ questionId: 'nps', question: { 'zh-CN': '推荐吗？', en: 'Recommend?' }, answer: 9, label: { en: '9 / 10', 'zh-CN': '9 / 10' } }]);
    expect(document.invitations.map((invitation: { campaign: string }) => invitation.campaign).sort()).toEqual(['Autumn survey', 'Phone round', 'Spring survey']);
    const phone = document.invitations.find((invitation: { campaign: string }) => invitation.campaign === 'Phone round');
    expect(phone.calls).toEqual([expect.objectContaining({ outcome: 'no_answer', interviewer: 'Zhou Ming' })]);
    expect(document.messages.map((message: { subject: string }) => message.subject)).toContain('Thank you for your order');
    expect(document.cases).toEqual([expect.objectContaining({ reference: seeded.reference, description: 'The parcel arrived crushed.' })]);
    expect(document.cases[0].events).toEqual([expect.objectContaining({ actor: 'customer', body: 'Still waiting for the replacement.' })]);
    expect(document.purchases).toHaveLength(4);
    expect(document.loyalty).toMatchObject({ stage: 'regular', score: 71 });
    expect(document.loyaltyChanges).toHaveLength(4);
    expect(document.followUps).toHaveLength(2);
    expect(typeof document.purposes.complaint_cases).toBe('string');
    // How long each kind is kept, and what then: the defaults until an admin sets periods.
    expect(document.storagePeriods).toEqual(
      expect.arrayContaining([
        { kind: 'responses', unit: 'keep', afterwards: 'anonymise' },
        { kind: 'messages', unit: 'years', count: 1, afterwards: 'erase' },
      ]),
    );
    // Times read as times.
    expect(document.responses[0].submittedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('gives the same as CSVs in a zip, with the JSON beside them', async () => {
    const response = await exportOf('admin', '?format=zip');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['customer.csv', 'consent_history.csv', 'responses.csv', 'answers.csv', 'invitations.csv', 'calls.csv', 'messages.csv', 'cases.csv', 'case_events.csv', 'purchases.csv', 'loyalty.csv', 'loyalty_changes.csv', 'customer.json']));
    const table = (name: string) => {
      const [header, ...rows] = parseCsv(strFromU8(files[name]!).replace(/^\uFEFF/, ''), ',');
      return rows.map((row) => Object.fromEntries(header!.map((column, index) => [column, row[index]])));
    };
    expect(table('customer.csv')).toEqual([expect.objectContaining({ name: '王芳', email: 'wang.fang@example.com', postalAddress: '上海市徐汇区\n漕溪北路 88 号' })]);
    expect(table('answers.csv')).toEqual([expect.objectContaining({ questionId: 'nps', questionEn: 'Recommend?', questionZh: '推荐吗？', answer: '9' })]);
    expect(table('case_events.csv')).toEqual([expect.objectContaining({ reference: seeded.reference, body: 'Still waiting for the replacement.' })]);
    expect(table('purchases.csv')).toHaveLength(4);
    expect(table('storage_periods.csv')).toEqual(expect.arrayContaining([{ kind: 'sessions', unit: 'days', count: '30', afterwards: 'erase' }]));
    expect(JSON.parse(strFromU8(files['customer.json']!)).customer.id).toBe(customerId);
  });

  it('is recorded on the customer’s timeline: who, when, which format', async () => {
    const timeline = await (await clients.manager.request('GET', `/api/customers/${customerId}/timeline?limit=100`)).json();
    const requests = timeline.items.filter((item: { kind: string }) => item.kind === 'data_request');
    expect(requests.map((item: { format: string; actorName: string }) => [item.format, item.actorName]).sort()).toEqual([
      ['json', 'manager 2'],
      ['zip', 'admin 1'],
    ]);
    // A later export lists the earlier ones.
    const document = await (await exportOf('manager')).json();
    expect(document.dataRequests.map((request: { format: string }) => request.format)).toEqual(['json', 'zip']);
  });

  it('is for managers and admins: support agents and interviewers are refused, and nobody signed out', async () => {
    expect((await exportOf('support')).status).toBe(403);
    expect((await exportOf('interviewer')).status).toBe(403);
    expect((await test.app.request(`/api/customers/${customerId}/export`)).status).toBe(401);
  });

  it('says what is wrong with an unknown format or customer', async () => {
    const wrong = await exportOf('manager', '?format=xml');
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toMatch(/json or zip/);
    const unknown = await clients.manager.request('GET', `/api/customers/${randomUUID()}/export`);
    expect(unknown.status).toBe(404);
  });
});
