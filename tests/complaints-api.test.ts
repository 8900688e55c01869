// Complaints reported by other systems (POST /api/v1/complaints) over a real database: the same API keys as
// events, one case per caller's id (the same id again answers the same case), and clear 400s.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complaintCases, complaintEvents, customers } from '../server/db/schema.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let admin: StaffClient;

beforeEach(async () => {
  test = await startTestApp();
  admin = await signedInAs(test, 'admin');
});
afterEach(() => test.close());

async function createKey(name = 'Help desk') {
  const response = await admin.request('POST', '/api/integrations/keys', { name });
  expect(response.status).toBe(201);
  return (await response.json()) as { key: { id: string }; secret: string };
}

function report(secret: string | null, body: unknown, headers: Record<string, string> = {}) {
  return test.app.request('/api/v1/complaints', {
    method: 'POST',
    headers: { ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const complaint = {
  externalId: 'ticket-7781',
  customer: { externalId: 'C-1001' },
  category: 'delivery',
  description: 'The parcel arrived a week late and the box was crushed.',
  desiredOutcome: 'A replacement',
  orderValue: 1299,
  contactConsent: true,
};

describe('POST /api/v1/complaints', () => {
  beforeEach(async () => {
    await test.db.insert(customers).values({ id: 'cust-1', externalId: 'C-1001', name: 'Li Wei', email: 'li.wei@example.com', locale: 'en' });
  });

  it('opens a case for a known customer, once per key and externalId', async () => {
    const { key, secret } = await createKey();
    const first = await report(secret, complaint);
    expect(first.status, await first.clone().text()).toBe(201);
    const { complaint: reported } = await first.json();
    expect(reported).toMatchObject({
      reference: expect.stringMatching(/^C-\d{4}-\d{6}$/),
      externalId: 'ticket-7781',
      status: 'new',
      category: 'delivery',
      severity: 'minor',
      channel: 'integration',
      customerId: 'cust-1',
      statusUrl: expect.stringMatching(/\/c\/[A-Za-z0-9_-]{22,}$/),
    });
    const [row] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, reported.id));
    expect(row).toMatchObject({
      source: 'integration',
      apiKeyId: key.id,
      description: complaint.description,
      desiredOutcome: 'A replacement',
      orderValue: 1299,
      locale: 'en',
      contactConsent: true,
    });
    const events = await test.db.select().from(complaintEvents).where(eq(complaintEvents.caseId, reported.id));
    expect(events).toMatchObject([{ type: 'opened', actor: 'integration', actorId: key.id, actorName: 'Help desk' }]);

    // The same id again, even with other details: the same case, nothing new.
    const again = await report(secret, { ...complaint, description: 'Sent twice by a retry.' });
    expect(again.status).toBe(200);
    expect((await again.json()).complaint).toEqual(reported);
    // Both at once: one case between them.
    const both = await Promise.all([report(secret, { ...complaint, externalId: 'ticket-7782' }), report(secret, { ...complaint, externalId: 'ticket-7782' })]);
    expect(both.map((response) => response.status).sort()).toEqual([200, 201]);
    const [a, b] = await Promise.all(both.map((response) => response.json()));
    expect(a.complaint.id).toBe(b.complaint.id);
    // Another system's key may use the same id for its own complaint.
    const other = await createKey('Shop');
    const theirs = await report(other.secret, complaint);
    expect(theirs.status).toBe(201);
    expect((await theirs.json()).complaint.id).not.toBe(reported.id);
    expect(await test.db.select({ id: complaintCases.id }).from(complaintCases)).toHaveLength(3);
  });

  it('takes contact details instead of a customer, and the severity asked for', async () => {
    const { secret } = await createKey();
    const { customer: _customer, ...rest } = complaint;
    const response = await report(secret, {
      ...rest,
      externalId: 'ticket-9',
      severity: 'major',
      locale: 'zh-CN',
      channel: 'email',
      contact: { name: '王芳', email: 'wang.fang@example.com', phone: '+86 138 0013 8000' },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { complaint: reported } = await response.json();
    expect(reported).toMatchObject({ severity: 'major', channel: 'email', customerId: null });
    const [row] = await test.db.select().from(complaintCases).where(eq(complaintCases.id, reported.id));
    expect(row).toMatchObject({ contactName: '王芳', contactEmail: 'wang.fang@example.com', contactPhone: '+86 138 0013 8000', contactChannel: 'email', locale: 'zh-CN' });
  });

  it('answers 400 naming what to fix, in the caller\'s language, and 401 without a key', async () => {
    const { secret } = await createKey();
    const fieldsOf = async (body: unknown, language = 'en') => {
      const response = await report(secret, body, { 'accept-language': language });
      expect(response.status).toBe(400);
      return (await response.json()).fields as Record<string, { en: string; 'zh-CN': string } | string>;
    };
    const text = (value: unknown) => JSON.stringify(value);

    expect(text(await fieldsOf({ ...complaint, description: '  ' }))).toContain('\\"description\\" says what happened, 1 to 5000 characters.');
    expect(await fieldsOf({ ...complaint, externalId: undefined })).toEqual({ externalId: '"externalId" is required.' });
    expect(await fieldsOf({ ...complaint, category: undefined }, 'zh-CN')).toEqual({ category: '"category" 为必填项。' });
    expect(text(await fieldsOf({ ...complaint, externalId: ' ' }))).toContain('\\"externalId\\" is your own id for the complaint');
    expect(text(await fieldsOf({ ...complaint, severity: 'urgent' }))).toContain('\\"severity\\" is \\"minor\\" or \\"major\\".');
    expect(text(await fieldsOf({ ...complaint, orderValue: -5 }))).toContain('\\"orderValue\\" is the order\'s value as a whole number from 0');
    expect(text(await fieldsOf({ ...complaint, customer: {} }))).toContain('\\"customer\\" names a known customer by \\"externalId\\" or \\"email\\".');
    const { customer: _customer, ...anonymous } = complaint;
    expect(text(await fieldsOf(anonymous))).toContain('Say who complains');
    expect(text(await fieldsOf({ ...anonymous, contact: { email: 'not an address' } }))).toContain('\\"contact.email\\" is an email address');
    expect(text(await fieldsOf({ ...anonymous, contact: { phone: '12' } }, 'zh-CN'))).toContain('\\"contact.phone\\" 须为电话号码');

    const unknownCategory = await report(secret, { ...complaint, category: 'weather' }, { 'accept-language': 'en' });
    expect(unknownCategory.status).toBe(400);
    expect((await unknownCategory.json()).error).toContain('"category" must be one of: product, service, delivery, billing, staff_attitude, other (got "weather").');

    const unknownCustomer = await report(secret, { ...complaint, customer: { externalId: 'C-404' } }, { 'accept-language': 'en' });
    expect(unknownCustomer.status).toBe(404);
    expect((await unknownCustomer.json()).error).toContain('No customer has the external id "C-404". Send it first with PUT /api/v1/customers/C-404');

    expect((await report(null, complaint)).status).toBe(401);
    expect(await test.db.select({ id: complaintCases.id }).from(complaintCases)).toHaveLength(0);
  });
});
