// A customer's withdrawal of consent wins over imports and integrations: the unsubscribe link, or a request staff
// record for the customer, is undone only by the customer's new consent recorded with its source; every change
// is in the customer's consent history.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { CustomerImport } from '../server/customers/imports.ts';
import type { Customer } from '../server/customers/service.ts';
import { campaignInvitations, campaigns, customers } from '../server/db/schema.ts';
import { signedInAs } from './support/app.ts';
import { campaignTestApp, publishedSurvey } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';

const app = campaignTestApp();

const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

const crmFile = [
  'external_id,name,email,postal_address,tier,consent_email,consent_post,do_not_contact',
  'C-1,Alice Chen,alice@example.com,1 Road,vip,survey,survey,no',
  'C-2,Bob Li,bob@example.com,2 Road,ordinary,survey,,no',
].join('\n');

async function importFile(text: string, fileName = 'crm.csv') {
  const bytes = utf8(text);
  const created = await app.manager.request('POST', '/api/customer-imports', { fileName, sizeBytes: bytes.byteLength });
  expect(created.status).toBe(201);
  const { import: waiting } = (await created.json()) as { import: CustomerImport };
  const uploaded = await app.test.app.request(`/api/customer-imports/${waiting.id}/file`, {
    method: 'PUT',
    headers: { cookie: app.manager.cookie, 'x-csrf-token': app.manager.csrfToken, 'content-type': 'text/csv' },
    body: bytes,
  });
  expect(uploaded.status).toBe(200);
  return ((await uploaded.json()) as { import: CustomerImport }).import;
}

async function customerByExternalId(externalId: string): Promise<Customer> {
  const [row] = await app.test.db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId));
  const response = await app.manager.request('GET', `/api/customers/${row!.id}`);
  return (await response.json()).customer;
}

/** An invitation the customer got by email earlier, and its unsubscribe link followed. */
async function unsubscribeThroughLink(customerId: string, surveyId: string) {
  const campaignId = randomUUID();
  const token = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  await app.test.db.insert(campaigns).values({ id: campaignId, name: 'Earlier', surveyId, delivery: 'email', status: 'closed', audience: {} });
  await app.test.db.insert(campaignInvitations).values({
    id: randomUUID(),
    campaignId,
    customerId,
    dedupeKey: `${campaignId}:${customerId}`,
    delivery: 'email',
    token,
    locale: 'en',
    invitedAt: Date.now() - 60 * 24 * 3600_000,
  });
  expect((await app.test.app.request(`/u/${token}`, { method: 'POST' })).status).toBe(200);
}

/** Launches an email campaign to everyone and answers each customer's outcome by name. */
async function nextEmailCampaign(surveyId: string) {
  const created = await app.manager.request('POST', '/api/campaigns', { name: 'Next', surveyId, delivery: 'email', audience: {} });
  const { campaign } = await created.json();
  expect((await app.manager.request('POST', `/api/campaigns/${campaign.id}/launch`)).status).toBe(202);
  app.runWorker();
  await waitFor('the campaign to run', async () => {
    const { campaign: now } = await (await app.manager.request('GET', `/api/campaigns/${campaign.id}`)).json();
    return now.status === 'running';
  });
  const { invitations } = await (await app.manager.request('GET', `/api/campaigns/${campaign.id}/invitations`)).json();
  return Object.fromEntries((invitations as { customerName: string; skipReason: string | null }[]).map((row) => [row.customerName, row.skipReason]));
}

async function history(customerId: string, client = app.manager, query = '') {
  const response = await client.request('GET', `/api/customers/${customerId}/consent-history${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    changes: { id: number; fact: string; oldValue: boolean; newValue: boolean; source: string; customerRequest: boolean; actorName: string | null; note: string | null; label: { en: string } }[];
    nextBefore: number | null;
  };
}

/** The CRM file imported, and its first customer (Alice) unsubscribed through a link in an earlier invitation. */
async function aliceUnsubscribed() {
  const survey = await publishedSurvey(app.manager);
  await importFile(crmFile);
  const alice = await customerByExternalId('C-1');
  await unsubscribeThroughLink(alice.id, survey.id);
  return { survey, alice };
}

describe('a withdrawal the customer made', () => {
  it('survives importing the same CSV again, and the next campaign does not invite them', async () => {
    const { survey, alice } = await aliceUnsubscribed();
    expect((await customerByExternalId('C-1')).consents).toEqual({ email: [], post: ['survey'] });

    const again = await importFile(crmFile.replace('Alice Chen,', 'Alice Chen-Wang,'), 'crm-again.csv');
    const after = await customerByExternalId('C-1');
    // The rest of the row is taken; the email consent stays withdrawn.
    expect(after).toMatchObject({ name: 'Alice Chen-Wang', tier: 'vip' });
    expect(after.consents.email ?? []).not.toContain('survey');
    expect(after.consents.post).toEqual(['survey']);
    expect(again.rows).toMatchObject({ read: 2, updated: 2, rejected: 0, consentKept: 1 });

    const kept = await (await app.manager.request('GET', `/api/customer-imports/${again.id}/consent-kept`)).json();
    expect(kept.rows).toHaveLength(1);
    expect(kept.rows[0]).toMatchObject({ rowNumber: 2, customerId: alice.id, customerName: 'Alice Chen-Wang', facts: ['email.survey'] });
    expect(kept.rows[0].reasons[0].en).toMatch(/consent to surveys by email: kept withdrawn at the customer's request/);
    expect(kept.rows[0].reasons[0]['zh-CN']).toMatch(/应客户要求保持撤回/);

    expect(await nextEmailCampaign(survey.id)).toEqual({ 'Alice Chen-Wang': 'no_consent', 'Bob Li': null });
  });

  it('survives the integration API sending the old consent again; an explicit renewal gives it back', async () => {
    const survey = await publishedSurvey(app.manager);
    const admin = await signedInAs(app.test, 'admin');
    const { secret } = await (await admin.request('POST', '/api/integrations/keys', { name: 'Shop system' })).json();
    const put = (body: unknown, headers: Record<string, string> = {}) =>
      app.test.app.request('/api/v1/customers/C-7', {
        method: 'PUT',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const crmRecord = { name: 'Chen Jie', email: 'chen@example.com', tier: 'ordinary', consents: { email: ['survey'] } };
    expect((await put(crmRecord)).status).toBe(201);
    const created = await customerByExternalId('C-7');
    await unsubscribeThroughLink(created.id, survey.id);

    const resent = await put({ ...crmRecord, tier: 'vip' });
    expect(resent.status).toBe(200);
    const body = await resent.json();
    expect(body.customer).toMatchObject({ tier: 'vip' });
    expect(body.customer.consents.email ?? []).not.toContain('survey');
    expect(body.consentKept).toEqual([{ consent: 'email.survey', reason: expect.stringMatching(/kept withdrawn at the customer's request/) }]);
    const zh = await (await put(crmRecord, { 'accept-language': 'zh-CN' })).json();
    expect(zh.consentKept[0].reason).toMatch(/应客户要求保持撤回/);
    expect(await nextEmailCampaign(survey.id)).toEqual({ 'Chen Jie': 'no_consent' });

    const noNote = await put({ ...crmRecord, consentRecord: { renewed: ['email.survey'] } });
    expect(noNote.status).toBe(400);
    expect(Object.keys((await noNote.json()).fields)).toEqual(['consentRecord.note']);
    const renewed = await put({ ...crmRecord, consentRecord: { renewed: ['email.survey'], note: 'Ticked the box at checkout, order 88123' } });
    expect(renewed.status).toBe(200);
    const renewedBody = await renewed.json();
    expect(renewedBody.consentKept).toEqual([]);
    expect(renewedBody.customer.consents.email).toEqual(['survey']);

    const [latest] = (await history(created.id)).changes;
    expect(latest).toMatchObject({ fact: 'email.survey', oldValue: false, newValue: true, source: 'api', customerRequest: true, actorName: 'Shop system', note: 'Ticked the box at checkout, order 88123' });
  });

  it('is given back by staff only with the customer’s new consent and its source; staff may withdraw at any time', async () => {
    const { survey, alice } = await aliceUnsubscribed();
    const edit = { name: 'Alice Chen', email: 'alice@example.com', postalAddress: '1 Road', tier: 'vip', consents: { email: ['survey'], post: ['survey'] } };

    const refused = await app.manager.request('PUT', `/api/customers/${alice.id}`, edit);
    expect(refused.status).toBe(409);
    const problem = await refused.json();
    expect(problem.fields.consents).toMatch(/The customer gave consent again/);
    expect(problem.consentKept).toEqual(['email.survey']);
    expect((await customerByExternalId('C-1')).consents.email ?? []).not.toContain('survey');

    const renewed = await app.manager.request('PUT', `/api/customers/${alice.id}`, {
      ...edit,
      consentRecord: { renewed: ['email.survey'], note: 'Asked for surveys again by phone on 2 May' },
    });
    expect(renewed.status).toBe(200);
    expect((await renewed.json()).customer.consents).toEqual({ email: ['survey'], post: ['survey'] });
    expect(await nextEmailCampaign(survey.id)).toMatchObject({ 'Alice Chen': null });

    // The customer asks by phone not to be contacted at all: recorded as their request, an import cannot lift it.
    const stop = await app.manager.request('PUT', `/api/customers/${alice.id}`, { ...edit, doNotContact: true, consentRecord: { customerRequest: true } });
    expect(stop.status).toBe(200);
    const reimported = await importFile(crmFile);
    expect(reimported.rows.consentKept).toBe(1);
    expect((await customerByExternalId('C-1')).doNotContact).toBe(true);
  });

  it('is only the customer’s: a withdrawal staff made of their own accord may be given back by an import', async () => {
    await importFile(crmFile);
    const bob = await customerByExternalId('C-2');
    const withdrawn = await app.manager.request('PUT', `/api/customers/${bob.id}`, { name: 'Bob Li', email: 'bob@example.com', consents: {} });
    expect(withdrawn.status).toBe(200);
    const again = await importFile(crmFile);
    expect(again.rows.consentKept).toBe(0);
    expect((await customerByExternalId('C-2')).consents.email).toEqual(['survey']);
  });
});

describe('an unsubscribe after staff already withdrew the consent', () => {
  it('still counts as the customer’s own withdrawal, so an import does not give the consent back', async () => {
    const survey = await publishedSurvey(app.manager);
    await importFile(crmFile);
    const bob = await customerByExternalId('C-2');
    expect((await app.manager.request('PUT', `/api/customers/${bob.id}`, { name: 'Bob Li', email: 'bob@example.com', consents: {} })).status).toBe(200);
    await unsubscribeThroughLink(bob.id, survey.id);
    const [latest] = (await history(bob.id)).changes;
    expect(latest).toMatchObject({ fact: 'email.survey', oldValue: false, newValue: false, source: 'unsubscribe', customerRequest: true });
    expect((await importFile(crmFile)).rows.consentKept).toBe(1);
    expect((await customerByExternalId('C-2')).consents.email ?? []).not.toContain('survey');
  });
});

describe('the README’s example of a renewed consent', () => {
  it('is accepted as written and gives the consent back', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readme.split('\n').find((line) => line.includes('"consentRecord":{"renewed"'));
    const body = JSON.parse(example!.match(/-d '(.+)'$/)![1]!);
    const survey = await publishedSurvey(app.manager);
    const admin = await signedInAs(app.test, 'admin');
    const { secret } = await (await admin.request('POST', '/api/integrations/keys', { name: 'Shop system' })).json();
    const put = (json: unknown) =>
      app.test.app.request('/api/v1/customers/C-1001', {
        method: 'PUT',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    const { consentRecord: _record, ...plain } = body;
    expect((await put(plain)).status).toBe(201);
    await unsubscribeThroughLink((await customerByExternalId('C-1001')).id, survey.id);
    expect((await (await put(plain)).json()).consentKept).toHaveLength(1);
    const renewed = await put(body);
    expect(renewed.status).toBe(200);
    expect(await renewed.json()).toMatchObject({ customer: { consents: { email: ['survey'] } }, consentKept: [] });
  });
});

describe('the consent history', () => {
  it('lists each change newest first with what, old and new, source, who and when, a page at a time', async () => {
    const { alice } = await aliceUnsubscribed();
    const renewed = await app.manager.request('PUT', `/api/customers/${alice.id}`, {
      name: 'Alice Chen',
      email: 'alice@example.com',
      tier: 'vip',
      consents: { email: ['survey'], post: ['survey'] },
      consentRecord: { renewed: ['email.survey'], note: 'Signed the form at store 12' },
    });
    expect(renewed.status).toBe(200);

    const { changes, nextBefore } = await history(alice.id);
    expect(nextBefore).toBeNull();
    expect(changes.map((change) => [change.fact, change.oldValue, change.newValue, change.source, change.customerRequest, change.actorName, change.note])).toEqual([
      ['email.survey', false, true, 'staff', true, expect.stringMatching(/^manager /), 'Signed the form at store 12'],
      ['email.survey', true, false, 'unsubscribe', true, null, null],
      ['post.survey', false, true, 'import', false, 'crm.csv', null],
      ['email.survey', false, true, 'import', false, 'crm.csv', null],
    ]);
    expect(changes[0]!.label.en).toBe('consent to surveys by email');

    const first = await history(alice.id, app.manager, '?limit=3');
    expect(first.changes).toHaveLength(3);
    const second = await history(alice.id, app.manager, `?limit=3&before=${first.nextBefore}`);
    expect(second.changes.map((change) => change.source)).toEqual(['import']);
    expect(second.nextBefore).toBeNull();

    const support = await signedInAs(app.test, 'support');
    expect((await history(alice.id, support)).changes).toHaveLength(4);
    const interviewer = await signedInAs(app.test, 'interviewer');
    expect((await interviewer.request('GET', `/api/customers/${alice.id}/consent-history`)).status).toBe(403);
    expect((await app.manager.request('GET', `/api/customers/${alice.id}/consent-history?limit=0`)).status).toBe(400);
    expect((await app.manager.request('GET', '/api/customers/nobody/consent-history')).status).toBe(404);
  });
});
