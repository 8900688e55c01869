// The customer record's account owner, tier set by hand, and objection to profiling, through the staff API, the
// CSV import and the integration API: a tier given counts as set by hand, null hands it back to the value; the
// owner is an active staff member; an objection the customer made is kept against imports and integrations.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerImport } from '../server/customers/imports.ts';
import { customerLoyalty, customers, loyaltyChanges, loyaltyStale, users } from '../server/db/schema.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let manager: StaffClient;
beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
});
afterEach(() => test.close());

async function create(body: Record<string, unknown>) {
  const response = await manager.request('POST', '/api/customers', body);
  expect(response.status).toBe(201);
  return (await response.json()).customer as { id: string; tier: string; tierSetByHand: boolean; ownerId: string | null; objectsToProfiling: boolean };
}

async function read(id: string) {
  return (await (await manager.request('GET', `/api/customers/${id}`)).json()) as {
    customer: { tier: string; tierSetByHand: boolean; ownerId: string | null; owner: { id: string; name: string; active: boolean } | null; objectsToProfiling: boolean; name: string };
    loyalty: unknown;
  };
}

const tierChanges = (customerId: string) =>
  test.db.select().from(loyaltyChanges).where(eq(loyaltyChanges.customerId, customerId)).orderBy(loyaltyChanges.id);
const staleMark = async (customerId: string) => (await test.db.select().from(loyaltyStale).where(eq(loyaltyStale.customerId, customerId)))[0];

async function staffMember(role: 'admin' | 'manager' | 'support' | 'interviewer', active = true) {
  const id = randomUUID();
  await test.db.insert(users).values({ id, email: `${id}@example.com`, name: `Owner ${id.slice(0, 4)}`, role, passwordHash: 'x', active });
  return { id, email: `${id}@example.com` };
}

const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

async function importFile(text: string, fileName = 'crm.csv') {
  const bytes = utf8(text);
  const { import: waiting } = (await (await manager.request('POST', '/api/customer-imports', { fileName, sizeBytes: bytes.byteLength })).json()) as { import: CustomerImport };
  const uploaded = await test.app.request(`/api/customer-imports/${waiting.id}/file`, {
    method: 'PUT',
    headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrfToken, 'content-type': 'text/csv' },
    body: bytes,
  });
  expect(uploaded.status).toBe(200);
  return ((await uploaded.json()) as { import: CustomerImport }).import;
}

const byExternalId = async (externalId: string) => (await test.db.select().from(customers).where(eq(customers.externalId, externalId)))[0]!;

describe('the tier set by hand', () => {
  it('a new customer without a tier is ordinary and computed; with one, set by hand and in the loyalty history', async () => {
    const computed = await create({ name: 'Computed' });
    expect(computed).toMatchObject({ tier: 'ordinary', tierSetByHand: false });
    expect(await tierChanges(computed.id)).toEqual([]);

    const byHand = await create({ name: 'By hand', tier: 'vip' });
    expect(byHand).toMatchObject({ tier: 'vip', tierSetByHand: true });
    expect(await tierChanges(byHand.id)).toMatchObject([{ field: 'tier', before: null, after: 'vip', cause: 'staff', reasons: ['set_by_hand'] }]);
  });

  it('an edit that leaves the tier out keeps it; "computed from value" hands it back at the tier the value gives', async () => {
    const customer = await create({ name: 'Wang Fang', tier: 'vip' });
    expect((await manager.request('PUT', `/api/customers/${customer.id}`, { name: 'Wang Fang 2' })).status).toBe(200);
    expect((await read(customer.id)).customer).toMatchObject({ name: 'Wang Fang 2', tier: 'vip', tierSetByHand: true });

    await test.db.insert(customerLoyalty).values({ customerId: customer.id, stage: 'regular', computedTier: 'important', computedAt: Date.now() });
    const handedBack = await manager.request('PUT', `/api/customers/${customer.id}`, { name: 'Wang Fang 2', tier: null });
    expect(handedBack.status).toBe(200);
    expect((await handedBack.json()).customer).toMatchObject({ tier: 'important', tierSetByHand: false });
    expect((await tierChanges(customer.id)).at(-1)).toMatchObject({ before: 'vip', after: 'important', cause: 'staff', reasons: ['computed_from_value'] });
    expect(await staleMark(customer.id)).toMatchObject({ cause: 'staff' });
  });

  it('a tier from the integration API or an import counts as set by hand', async () => {
    const admin = await signedInAs(test, 'admin');
    const { secret } = await (await admin.request('POST', '/api/integrations/keys', { name: 'CRM' })).json();
    const put = (externalId: string, body: unknown) =>
      test.app.request(`/api/v1/customers/${externalId}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put('API-1', { name: 'From the API', tier: 'important' })).status).toBe(201);
    expect(await byExternalId('API-1')).toMatchObject({ tier: 'important', tierSetByHand: true });
    expect((await put('API-2', { name: 'No tier given' })).status).toBe(201);
    expect(await byExternalId('API-2')).toMatchObject({ tier: 'ordinary', tierSetByHand: false });

    const done = await importFile(['external_id,name,tier', 'K-1,With tier,vip', 'K-2,Without tier,', 'API-2,No tier given,important'].join('\n'));
    expect(done.rows).toMatchObject({ created: 2, updated: 1, rejected: 0 });
    expect(await byExternalId('K-1')).toMatchObject({ tier: 'vip', tierSetByHand: true });
    expect(await byExternalId('K-2')).toMatchObject({ tier: 'ordinary', tierSetByHand: false });
    const updated = await byExternalId('API-2');
    expect(updated).toMatchObject({ tier: 'important', tierSetByHand: true });
    expect(await tierChanges(updated.id)).toMatchObject([{ before: 'ordinary', after: 'important', cause: 'import', reasons: ['set_by_hand'] }]);

    // Importing again without the tier column leaves the hand-set mark.
    await importFile(['external_id,name', 'K-1,With tier again'].join('\n'));
    expect(await byExternalId('K-1')).toMatchObject({ name: 'With tier again', tier: 'vip', tierSetByHand: true });
  });
});

describe('the account owner', () => {
  it('is an active admin, manager or support agent; the page names them', async () => {
    const support = await staffMember('support');
    const customer = await create({ name: 'Owned', ownerId: support.id });
    expect(customer.ownerId).toBe(support.id);
    expect((await read(customer.id)).customer.owner).toMatchObject({ id: support.id, name: expect.stringMatching(/^Owner /), active: true });

    const owners = (await (await manager.request('GET', '/api/customers/owners')).json()).owners as { id: string; role: string }[];
    expect(owners.map((owner) => owner.id)).toContain(support.id);
    expect(owners.every((owner) => owner.role !== 'interviewer')).toBe(true);

    for (const refused of [await staffMember('interviewer'), await staffMember('manager', false), { id: 'nobody-at-all' }]) {
      const response = await manager.request('PUT', `/api/customers/${customer.id}`, { name: 'Owned', ownerId: refused.id });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.fields.ownerId).toMatch(/must be an active admin, manager or support agent/);
      expect(owners.map((owner) => owner.id)).not.toContain(refused.id);
    }
    expect((await read(customer.id)).customer.ownerId).toBe(support.id);

    expect((await manager.request('PUT', `/api/customers/${customer.id}`, { name: 'Owned', ownerId: null })).status).toBe(200);
    expect((await read(customer.id)).customer.owner).toBeNull();
  });

  it('an import sets it by the staff member’s email and rejects a row naming someone else', async () => {
    const owner = await staffMember('manager');
    const done = await importFile(['external_id,name,owner', `K-1,Alice,${owner.email.toUpperCase()}`, 'K-2,Bob,stranger@example.com'].join('\n'));
    expect(done.rows).toMatchObject({ created: 1, rejected: 1 });
    expect(await byExternalId('K-1')).toMatchObject({ ownerId: owner.id });
    const { rejections } = await (await manager.request('GET', `/api/customer-imports/${done.id}/rejections`)).json();
    expect(rejections[0].reason.en).toBe('row 3: "owner" is not the email of an active admin, manager or support agent (got "stranger@example.com")');
  });
});

describe('the objection to profiling', () => {
  it('is recorded in the consent history with its source, and marks the customer for the loyalty engine', async () => {
    const customer = await create({ name: 'Private Person' });
    const objected = await manager.request('PUT', `/api/customers/${customer.id}`, {
      name: 'Private Person',
      objectsToProfiling: true,
      consentRecord: { customerRequest: true },
    });
    expect(objected.status).toBe(200);
    expect((await objected.json()).customer.objectsToProfiling).toBe(true);
    const { changes } = await (await manager.request('GET', `/api/customers/${customer.id}/consent-history`)).json();
    expect(changes[0]).toMatchObject({ fact: 'objects_to_profiling', oldValue: false, newValue: true, source: 'staff', customerRequest: true, label: { en: 'objects to profiling' } });
    expect(await staleMark(customer.id)).toMatchObject({ cause: 'staff' });
  });

  it('made by the customer, is kept against an import and the integration API; only their recorded word lifts it', async () => {
    const admin = await signedInAs(test, 'admin');
    const { secret } = await (await admin.request('POST', '/api/integrations/keys', { name: 'CRM' })).json();
    const put = (body: unknown) =>
      test.app.request('/api/v1/customers/K-9', {
        method: 'PUT',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ name: 'Li Na', objectsToProfiling: false })).status).toBe(201);
    const { id } = await byExternalId('K-9');
    // The customer asks staff to stop profiling them.
    expect((await manager.request('PUT', `/api/customers/${id}`, { name: 'Li Na', externalId: 'K-9', objectsToProfiling: true, consentRecord: { customerRequest: true } })).status).toBe(200);

    const imported = await importFile(['external_id,name,objects_to_profiling', 'K-9,Li Na Renamed,no'].join('\n'));
    expect(imported.rows).toMatchObject({ updated: 1, consentKept: 1 });
    expect(await byExternalId('K-9')).toMatchObject({ name: 'Li Na Renamed', objectsToProfiling: true });
    const kept = await (await manager.request('GET', `/api/customer-imports/${imported.id}/consent-kept`)).json();
    expect(kept.rows[0]).toMatchObject({ facts: ['objects_to_profiling'] });
    expect(kept.rows[0].reasons[0].en).toMatch(/objects to profiling: kept on at the customer's request/);

    const resent = await put({ name: 'Li Na', objectsToProfiling: false });
    expect(resent.status).toBe(200);
    const body = await resent.json();
    expect(body.customer.objectsToProfiling).toBe(true);
    expect(body.consentKept).toEqual([{ consent: 'objects_to_profiling', reason: expect.stringMatching(/kept on at the customer's request/) }]);
    // An integration that says nothing about it leaves it too.
    expect((await put({ name: 'Li Na' })).status).toBe(200);
    expect(await byExternalId('K-9')).toMatchObject({ objectsToProfiling: true });

    // Staff are told, and lift it only with the customer's recorded word.
    const refused = await manager.request('PUT', `/api/customers/${id}`, { name: 'Li Na', externalId: 'K-9', objectsToProfiling: false });
    expect(refused.status).toBe(409);
    const lifted = await manager.request('PUT', `/api/customers/${id}`, {
      name: 'Li Na',
      externalId: 'K-9',
      objectsToProfiling: false,
      consentRecord: { renewed: ['objects_to_profiling'], note: 'Asked by phone on 3 May to be scored again' },
    });
    expect(lifted.status).toBe(200);
    expect(await byExternalId('K-9')).toMatchObject({ objectsToProfiling: false });
  });
});
