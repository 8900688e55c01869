// The integration API end to end: admins' API keys, Bearer authentication, customer upserts by external id,
// and reported events that become invitations on the customer's preferred channel, subject to the contact rule.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignJobHandlers } from '../server/campaigns/launch.ts';
import { inviteEmailJobKind } from '../server/campaigns/invitations.ts';
import { createCampaign, launchCampaign } from '../server/campaigns/service.ts';
import { apiKeys, campaignInvitations, campaigns, integrationEvents, jobs, outgoingMessages } from '../server/db/schema.ts';
import { integrationHandlers, inviteForEvent } from '../server/integrations/events.ts';
import type { ApiKey } from '../server/integrations/keys.ts';
import { integrationEventKind } from '../server/integrations/service.ts';
import { startWorker } from '../server/jobs/queue.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';

let test: TestApp;
let admin: StaffClient;

beforeEach(async () => {
  test = await startTestApp();
  admin = await signedInAs(test, 'admin');
});
afterEach(() => test.close());

async function createKey(name = 'Shop system') {
  const response = await admin.request('POST', '/api/integrations/keys', { name });
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()) as { key: ApiKey; secret: string };
}

/** A call from another system: Bearer key, JSON, no cookie and no CSRF token. */
function call(secret: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return test.app.request(path, {
    method,
    headers: {
      ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('API keys', () => {
  it('are made, listed and revoked by admins only, and the secret is shown once and stored hashed', async () => {
    const { key, secret } = await createKey();
    expect(secret).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
    expect(key).toMatchObject({ name: 'Shop system', prefix: secret.slice(0, 8), lastUsedAt: null, revokedAt: null });

    const listed = await (await admin.request('GET', '/api/integrations/keys')).json();
    expect(listed.keys).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(8));

    const [stored] = await test.db.select().from(apiKeys);
    expect(stored!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(8));

    const manager = await signedInAs(test, 'manager');
    expect((await manager.request('GET', '/api/integrations/keys')).status).toBe(403);
    expect((await manager.request('POST', '/api/integrations/keys', { name: 'x' })).status).toBe(403);
    expect((await manager.request('POST', `/api/integrations/keys/${key.id}/revoke`)).status).toBe(403);
    expect((await manager.request('GET', '/api/integrations/events')).status).toBe(403);
    expect((await test.app.request('/api/integrations/keys')).status).toBe(401);

    const blank = await admin.request('POST', '/api/integrations/keys', { name: '  ' }, { 'accept-language': 'zh-CN' });
    expect(blank.status).toBe(400);
    expect((await blank.json()).fields.name).toContain('命名');

    const revoked = await admin.request('POST', `/api/integrations/keys/${key.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).key.revokedAt).not.toBeNull();
    expect((await admin.request('POST', '/api/integrations/keys/nope/revoke')).status).toBe(404);
  });

  it('let a call in with a live key only, and say why not in the caller’s language', async () => {
    const { key, secret } = await createKey();
    const path = '/api/v1/customers/C-1';
    const body = { name: 'Li Wei' };

    const missing = await call(null, 'PUT', path, body);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toContain('Authorization: Bearer');
    const wrong = await call(`${secret.slice(0, -1)}x`, 'PUT', path, body, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toContain('密钥无效');

    expect((await call(secret, 'PUT', path, body)).status).toBe(201);
    const [used] = await test.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(used!.lastUsedAt).not.toBeNull();

    await admin.request('POST', `/api/integrations/keys/${key.id}/revoke`);
    const afterRevoke = await call(secret, 'PUT', path, body);
    expect(afterRevoke.status).toBe(401);
    expect((await afterRevoke.json()).error).toContain('revoked');
  });

  it('do not write lastUsedAt again within a minute', async () => {
    const { key, secret } = await createKey();
    await call(secret, 'PUT', '/api/v1/customers/C-1', { name: 'A' });
    await test.db.update(apiKeys).set({ lastUsedAt: 1_000 }).where(eq(apiKeys.id, key.id));
    await call(secret, 'PUT', '/api/v1/customers/C-1', { name: 'A' });
    const [stale] = await test.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(stale!.lastUsedAt).toBeGreaterThan(1_000);

    const recent = stale!.lastUsedAt!;
    await call(secret, 'PUT', '/api/v1/customers/C-1', { name: 'A' });
    const [again] = await test.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(again!.lastUsedAt).toBe(recent);
  });
});

describe('customer upserts', () => {
  it('create by external id, then update the same customer', async () => {
    const { secret } = await createKey();
    const created = await call(secret, 'PUT', '/api/v1/customers/C-100', {
      name: ' Li Wei ',
      email: 'Li.Wei@Example.com',
      preferredChannel: 'email',
      consents: { email: ['survey'] },
    });
    expect(created.status).toBe(201);
    const first = (await created.json()).customer;
    expect(first).toMatchObject({ externalId: 'C-100', name: 'Li Wei', email: 'li.wei@example.com', preferredChannel: 'email', tier: 'ordinary' });

    const updated = await call(secret, 'PUT', '/api/v1/customers/C-100', { name: 'Li Wei', email: 'li.wei@example.com', tier: 'vip', externalId: 'ignored' });
    expect(updated.status).toBe(200);
    const second = (await updated.json()).customer;
    expect(second).toMatchObject({ id: first.id, externalId: 'C-100', tier: 'vip', preferredChannel: 'email' });

    const cleared = await call(secret, 'PUT', '/api/v1/customers/C-100', { name: 'Li Wei', preferredChannel: null });
    expect((await cleared.json()).customer.preferredChannel).toBeNull();
    const count = await test.db.$client.execute('SELECT count(*) AS n FROM customers');
    expect(Number(count.rows[0]!.n)).toBe(1);
  });

  it('refuse an email another customer has, and name each wrong field', async () => {
    const { secret } = await createKey();
    expect((await call(secret, 'PUT', '/api/v1/customers/A', { name: 'A', email: 'a@example.com' })).status).toBe(201);
    const clash = await call(secret, 'PUT', '/api/v1/customers/B', { name: 'B', email: 'a@example.com' });
    expect(clash.status).toBe(409);
    expect((await clash.json()).fields.email).toContain('a@example.com');

    const wrong = await call(secret, 'PUT', '/api/v1/customers/B', { name: '', email: 'nope', preferredChannel: 'fax', consents: { email: ['spam'] } });
    expect(wrong.status).toBe(400);
    const { fields } = await wrong.json();
    expect(Object.keys(fields).sort()).toEqual(['consents.email.0', 'email', 'name', 'preferredChannel']);

    const zh = await call(secret, 'PUT', '/api/v1/customers/B', { name: 'B', preferredChannel: 'fax' }, { 'accept-language': 'zh-CN' });
    expect((await zh.json()).fields.preferredChannel).toContain('首选渠道');
    const notJson = await test.app.request('/api/v1/customers/B', {
      method: 'PUT',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: 'name=B',
    });
    expect(notJson.status).toBe(400);
    const tooLong = await call(secret, 'PUT', `/api/v1/customers/${'x'.repeat(65)}`, { name: 'B' });
    expect(tooLong.status).toBe(400);
  });
});

describe('events', () => {
  const occurredAt = '2026-01-10T08:00:00Z';
  let secret: string;
  let campaignId: string;

  /** A published survey and a running event campaign inviting 24 hours after a purchase or a visit. */
  beforeEach(async () => {
    secret = (await createKey()).secret;
    const manager = await signedInAs(test, 'manager');
    const survey = (await (await manager.request('POST', '/api/surveys', { templateId: 'expectation-experience' })).json()).survey;
    expect((await manager.request('POST', `/api/surveys/${survey.id}/publish`)).status).toBe(200);
    const settings = { event: { delayHours: 24, eventTypes: ['purchase', 'visit'] } };
    const draft = await createCampaign(test.db, { name: 'After purchase', surveyId: survey.id, delivery: 'event', settings }, null);
    campaignId = (await launchCampaign(test.db, draft.id)).id;
  });

  async function customer(externalId: string, extra: Record<string, unknown> = {}) {
    const response = await call(secret, 'PUT', `/api/v1/customers/${externalId}`, {
      name: `Customer ${externalId}`,
      email: `${externalId.toLowerCase()}@example.com`,
      phone: '+86 138 0013 8000',
      consents: { email: ['survey'], phone: ['survey'] },
      ...extra,
    });
    expect(response.status).toBe(201);
  }

  async function report(event: Record<string, unknown>) {
    return call(secret, 'POST', '/api/v1/events', { type: 'purchase', campaign: campaignId, occurredAt, ...event });
  }

  /** Runs the jobs that put invitation emails in the Outbox, as a worker would. */
  async function runEmailJobs() {
    const handler = campaignJobHandlers({ db: test.db, config: { publicUrl: 'http://localhost:3000' } })[inviteEmailJobKind]!;
    for (const job of await test.db.select().from(jobs).where(eq(jobs.kind, inviteEmailJobKind))) {
      await handler(job.payload, { jobId: job.id, attempt: 1, maxAttempts: 1, isLastAttempt: true, signal: new AbortController().signal, completeIn: async () => true });
    }
  }

  async function eventRow(externalId: string) {
    const [row] = await test.db.select().from(integrationEvents).where(eq(integrationEvents.externalId, externalId));
    return row!;
  }

  it('schedule the invitation job at the event time plus the delay, once per event id', async () => {
    await customer('C-1', { preferredChannel: 'email' });
    const response = await report({ id: 'order-1', customer: 'C-1' });
    expect(response.status).toBe(202);
    const { event } = await response.json();
    expect(event).toMatchObject({ id: 'order-1', status: 'scheduled', inviteAt: '2026-01-11T08:00:00.000Z', customer: 'C-1', campaign: campaignId });

    await customer('C-2', { preferredChannel: 'email' });
    const again = await report({ id: 'order-1', customer: 'C-2', occurredAt: '2026-01-12T08:00:00Z' });
    expect(again.status).toBe(200);
    expect((await again.json()).event).toEqual(event);

    const events = await test.db.select().from(integrationEvents);
    expect(events).toHaveLength(1);
    const open = await (await admin.request('GET', '/api/integrations/campaigns')).json();
    expect(open.campaigns).toEqual([{ id: campaignId, name: 'After purchase', eventTypes: ['purchase', 'visit'], delayHours: 24 }]);
    const scheduled = await test.db.select().from(jobs).where(eq(jobs.kind, integrationEventKind));
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ runAt: Date.parse('2026-01-11T08:00:00Z'), status: 'pending', payload: { eventId: events[0]!.id } });
  });

  it('are refused with the field to fix', async () => {
    await customer('C-1', { preferredChannel: 'email' });
    const unknownCustomer = await report({ id: 'e1', customer: 'NOPE' });
    expect(unknownCustomer.status).toBe(404);
    expect((await unknownCustomer.json()).fields.customer).toContain('PUT /api/v1/customers/NOPE');

    const unknownCampaign = await report({ id: 'e1', customer: 'C-1', campaign: 'nope' });
    expect(unknownCampaign.status).toBe(404);
    expect(Object.keys((await unknownCampaign.json()).fields)).toEqual(['campaign']);

    const wrongType = await report({ id: 'e1', customer: 'C-1', type: 'delivery' });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).fields.type).toContain('"delivery"');

    const future = await report({ id: 'e1', customer: 'C-1', occurredAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(future.status).toBe(400);
    expect(Object.keys((await future.json()).fields)).toEqual(['occurredAt']);

    const invalid = await call(secret, 'POST', '/api/v1/events', { type: 'a b' }, { 'accept-language': 'zh-CN' });
    expect(invalid.status).toBe(400);
    const { error, fields } = await invalid.json();
    expect(error).toContain('请更正');
    expect(Object.keys(fields).sort()).toEqual(['campaign', 'customer', 'id', 'type']);

    await test.db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, campaignId));
    const closed = await report({ id: 'e1', customer: 'C-1' });
    expect(closed.status).toBe(409);
    expect(await test.db.select().from(integrationEvents)).toHaveLength(0);
  });

  it('invite on the preferred channel when due, and respect the contact rule', async () => {
    await customer('C-1', { preferredChannel: 'email' });
    await report({ id: 'order-1', customer: 'C-1' });
    const first = await eventRow('order-1');
    expect(await inviteForEvent(test.db, first.id)).toBe('invited');

    const invited = await eventRow('order-1');
    expect(invited.status).toBe('invited');
    const [invitation] = await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.id, invited.invitationId!));
    expect(invitation).toMatchObject({ delivery: 'email', skipReason: null, dedupeKey: `event:${first.id}` });
    expect(invitation!.token).toBeTruthy();
    await runEmailJobs();
    const messages = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.toAddress, 'c-1@example.com'));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.status).toBe('held');
    expect(messages[0]!.text).toContain(invitation!.token!);

    // Running the job again (a retry after a crash) makes nothing new.
    expect(await inviteForEvent(test.db, first.id)).toBe('done before');
    expect(await test.db.select().from(campaignInvitations)).toHaveLength(1);

    // A second event within 30 days is not invited: the customer was contacted recently.
    await report({ id: 'order-2', customer: 'C-1', occurredAt: '2026-01-11T09:00:00Z' });
    const second = await eventRow('order-2');
    expect(await inviteForEvent(test.db, second.id)).toBe('skipped');
    const skipped = await eventRow('order-2');
    const [skippedInvitation] = await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.id, skipped.invitationId!));
    expect(skippedInvitation).toMatchObject({ skipReason: 'contacted_recently', token: null });
    await runEmailJobs();
    expect(await test.db.select().from(outgoingMessages)).toHaveLength(1);

    const listed = await (await admin.request('GET', '/api/integrations/events?limit=1')).json();
    expect(listed.events).toHaveLength(1);
    expect(listed.events[0]).toMatchObject({ externalId: 'order-2', status: 'skipped', skipReason: 'contacted_recently', customerName: 'Customer C-1' });
    const next = await (await admin.request('GET', `/api/integrations/events?limit=1&before=${listed.nextBefore}`)).json();
    expect(next.events[0]).toMatchObject({ externalId: 'order-1', status: 'invited', skipReason: null, delivery: 'email' });
  });

  it('go by phone for a customer who prefers it, and are skipped without a preferred channel', async () => {
    await customer('C-2', { preferredChannel: 'phone' });
    await customer('C-3');
    await report({ id: 'visit-2', customer: 'C-2', type: 'visit' });
    await report({ id: 'visit-3', customer: 'C-3', type: 'visit' });

    // A worker with the handlers server/main.ts registers takes both jobs, which are due already.
    const worker = startWorker({ db: test.db, handlers: integrationHandlers(test.db), concurrency: 1, pollMs: 20, processId: 'test-worker' });
    try {
      await waitFor('both events handled', async () => (await test.db.select().from(integrationEvents)).every((row) => row.status !== 'scheduled'));
    } finally {
      await worker.stop();
    }
    expect(await eventRow('visit-2')).toMatchObject({ status: 'invited' });
    const [byPhone] = await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.id, (await eventRow('visit-2')).invitationId!));
    expect(byPhone).toMatchObject({ delivery: 'phone', skipReason: null });

    expect(await eventRow('visit-3')).toMatchObject({ status: 'skipped', invitationId: null });
    const listed = await (await admin.request('GET', '/api/integrations/events')).json();
    expect(listed.events.find((row: { externalId: string }) => row.externalId === 'visit-3').skipReason).toBe('no_preferred_channel');
    // The reason is the one that held when the event came due, whatever happens to the campaign later.
    await test.db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, campaignId));
    const later = await (await admin.request('GET', '/api/integrations/events')).json();
    expect(later.events.find((row: { externalId: string }) => row.externalId === 'visit-3').skipReason).toBe('no_preferred_channel');
    await runEmailJobs();
    expect(await test.db.select().from(outgoingMessages)).toHaveLength(0);
  });
});
