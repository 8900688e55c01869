import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inviteOne } from '../server/campaigns/invitations.ts';
import { campaignInvitations, campaigns, outgoingMessages } from '../server/db/schema.ts';
import { signedInAs } from './support/app.ts';
import { addCustomer, campaignTestApp, publishedSurvey, startCampaignWorker } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';

const dayMs = 24 * 3600_000;
const app = campaignTestApp();

async function createCampaign(body: Record<string, unknown>) {
  const response = await app.manager.request('POST', '/api/campaigns', body);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()).campaign;
}

async function launchAndWait(id: string) {
  const launched = await app.manager.request('POST', `/api/campaigns/${id}/launch`);
  expect(launched.status).toBe(202);
  expect((await launched.json()).campaign.status).toBe('launching');
  app.runWorker();
  return waitFor('the campaign to run', async () => {
    const { campaign } = await (await app.manager.request('GET', `/api/campaigns/${id}`)).json();
    return campaign.status === 'running' && campaign;
  });
}

async function invitations(id: string, state?: string) {
  const response = await app.manager.request('GET', `/api/campaigns/${id}/invitations${state ? `?state=${state}` : ''}`);
  expect(response.status).toBe(200);
  return (await response.json()).invitations as { customerName: string; skipReason: string | null; code: string | null; callState: string | null }[];
}

/** An invitation from another campaign, `daysAgo` days ago, for the contact history. */
async function pastInvitation(customerId: string, surveyId: string, delivery: 'email' | 'post', daysAgo: number, skipReason?: 'no_consent') {
  const campaignId = randomUUID();
  await app.test.db.insert(campaigns).values({ id: campaignId, name: 'Earlier', surveyId, delivery, status: 'closed', audience: {} });
  await app.test.db.insert(campaignInvitations).values({
    id: randomUUID(),
    campaignId,
    customerId,
    dedupeKey: `${campaignId}:${customerId}`,
    delivery,
    token: skipReason ? null : randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
    skipReason: skipReason ?? null,
    locale: 'en',
    invitedAt: Date.now() - daysAgo * dayMs,
  });
}

describe('creating campaigns', () => {
  it('fills settings defaults per delivery and validates the input', async () => {
    const survey = await publishedSurvey(app.manager);
    const email = await createCampaign({ name: 'Spring', surveyId: survey.id, delivery: 'email', audience: {} });
    expect(email).toMatchObject({ status: 'draft', delivery: 'email', audience: {}, version: 1, surveySlug: survey.slug, kioskPath: null });
    expect(email.settings.reminders).toEqual({ afterDays: 3, max: 2 });
    expect(email.settings.email.body.en).toContain('{{link}}');
    expect(email.settings.email.body['zh-CN']).toContain('{{link}}');
    expect(email.sending).toEqual({ held: 0, sending: 0, sent: 0, failed: 0, skipped: 0, total: 0 });
    expect(email.funnel).toMatchObject({ audience: 0, invited: 0, responseRate: null });

    const phone = await createCampaign({ name: 'Calls', surveyId: survey.id, delivery: 'phone', audience: { tier: 'vip' } });
    expect(phone.settings).toEqual({ phone: { maxAttempts: 5, callingHours: { start: '09:00', end: '20:00' } } });
    const post = await createCampaign({ name: 'Letters', surveyId: survey.id, delivery: 'post', audience: {} });
    expect(post.settings).toEqual({ post: { doubleKeying: false } });
    const kiosk = await createCampaign({ name: 'Lobby', surveyId: survey.id, delivery: 'kiosk', settings: { kiosk: { location: 'Store 12' } } });
    expect(kiosk.settings).toEqual({ kiosk: { location: 'Store 12', idleSeconds: 60 } });
    expect(kiosk.kioskPath).toMatch(/^\/k\/[0-9A-Z]{16,}$/);
    const event = await createCampaign({ name: 'After purchase', surveyId: survey.id, delivery: 'event' });
    expect(event.settings.event).toEqual({ delayHours: 24, eventTypes: [] });

    const bad = async (body: unknown, field: string) => {
      const response = await app.manager.request('POST', '/api/campaigns', body, { 'x-locale': 'zh-CN' });
      expect(response.status).toBe(400);
      const answer = await response.json();
      expect(Object.keys(answer.fields)).toContain(field);
      expect(answer.error).toMatch(/[\u4e00-\u9fff]/);
    };
    await bad({ name: '', surveyId: survey.id, delivery: 'email', audience: {} }, 'name');
    await bad({ name: 'X', surveyId: survey.id, delivery: 'fax', audience: {} }, 'delivery');
    await bad({ name: 'X', surveyId: survey.id, delivery: 'email' }, 'audience');
    await bad({ name: 'X', surveyId: survey.id, delivery: 'kiosk', audience: {}, settings: { kiosk: { location: 'A' } } }, 'audience');
    await bad({ name: 'X', surveyId: survey.id, delivery: 'kiosk' }, 'settings.kiosk');
    await bad({ name: 'X', surveyId: survey.id, delivery: 'email', audience: {}, settings: { reminders: { afterDays: 0, max: 2 } } }, 'settings.reminders.afterDays');
    await bad(
      { name: 'X', surveyId: survey.id, delivery: 'email', audience: {}, settings: { email: { subject: { en: 'a', 'zh-CN': 'b' }, body: { en: 'no link', 'zh-CN': '{{link}}' } } } },
      'settings.email.body.en',
    );
    await bad({ name: 'X', surveyId: 'nope', delivery: 'email', audience: {} }, 'surveyId');

    const unpublished = (await (await app.manager.request('POST', '/api/surveys', { templateId: 'ces' })).json()).survey;
    expect((await app.manager.request('POST', '/api/campaigns', { name: 'X', surveyId: unpublished.id, delivery: 'email', audience: {} })).status).toBe(409);
  });

  it('changes drafts only, and lists newest first with paging', async () => {
    const survey = await publishedSurvey(app.manager);
    const first = await createCampaign({ name: 'First', surveyId: survey.id, delivery: 'kiosk', settings: { kiosk: { location: 'A' } } });
    const second = await createCampaign({ name: 'Second', surveyId: survey.id, delivery: 'email', audience: {} });
    const renamed = await app.manager.request('PUT', `/api/campaigns/${second.id}`, { name: 'Second, renamed', audience: { segment: 'retail' } });
    expect((await renamed.json()).campaign).toMatchObject({ name: 'Second, renamed', audience: { segment: 'retail' } });

    const page = await (await app.manager.request('GET', '/api/campaigns?limit=1')).json();
    expect(page.campaigns.map((c: { id: string }) => c.id)).toEqual([second.id]);
    expect(page.campaigns[0].surveyTitle.en).toBeTruthy();
    const next = await (await app.manager.request('GET', `/api/campaigns?limit=1&before=${page.nextBefore}`)).json();
    expect(next.campaigns.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(next.nextBefore).toBeNull();

    const launched = await app.manager.request('POST', `/api/campaigns/${first.id}/launch`);
    expect((await launched.json()).campaign).toMatchObject({ status: 'running' });
    expect((await app.manager.request('PUT', `/api/campaigns/${first.id}`, { name: 'Too late' })).status).toBe(409);
    expect((await app.manager.request('POST', `/api/campaigns/${first.id}/launch`)).status).toBe(409);
    const closed = await (await app.manager.request('POST', `/api/campaigns/${first.id}/close`)).json();
    expect(closed.campaign.status).toBe('closed');
    expect(closed.campaign.closedAt).toBeTruthy();
  });

  it('checks roles, sessions and the CSRF token', async () => {
    const survey = await publishedSurvey(app.manager);
    for (const role of ['support', 'interviewer'] as const) {
      const other = await signedInAs(app.test, role);
      expect((await other.request('GET', '/api/campaigns')).status).toBe(403);
      expect((await other.request('POST', '/api/campaigns', { name: 'X', surveyId: survey.id, delivery: 'email', audience: {} })).status).toBe(403);
      expect((await other.request('GET', '/api/settings/contact-rule')).status).toBe(403);
    }
    expect((await app.test.app.request('/api/campaigns')).status).toBe(401);
    expect((await app.test.app.request('/api/campaigns/funnel')).status).toBe(401);
    const forged = await app.manager.request('POST', '/api/campaigns', { name: 'X', surveyId: survey.id, delivery: 'email', audience: {} }, { 'x-csrf-token': 'wrong' });
    expect(forged.status).toBe(403);
  });
});

describe('the contact rule', () => {
  it('is read by managers, set by admins only, and validated', async () => {
    expect(await (await app.manager.request('GET', '/api/settings/contact-rule')).json()).toEqual({ rule: { minDaysBetween: 30, postPerYear: 2 } });
    expect((await app.manager.request('PUT', '/api/settings/contact-rule', { minDaysBetween: 10, postPerYear: 1 })).status).toBe(403);
    const admin = await signedInAs(app.test, 'admin');
    expect((await admin.request('PUT', '/api/settings/contact-rule', { minDaysBetween: 0, postPerYear: 1 })).status).toBe(400);
    expect((await admin.request('PUT', '/api/settings/contact-rule', { minDaysBetween: 10, postPerYear: 13 })).status).toBe(400);
    const saved = await admin.request('PUT', '/api/settings/contact-rule', { minDaysBetween: 10, postPerYear: 1 });
    expect(await saved.json()).toEqual({ rule: { minDaysBetween: 10, postPerYear: 1 } });
    expect(await (await app.manager.request('GET', '/api/settings/contact-rule')).json()).toEqual({ rule: { minDaysBetween: 10, postPerYear: 1 } });
  });
});

describe('launching', () => {
  it('invites who the rule allows, shows who was skipped and why, and counts the funnel', async () => {
    const survey = await publishedSurvey(app.manager);
    const inAudience = { segment: 'spring' };
    await addCustomer(app.test, { name: 'Ada Invited', email: 'ada@example.com', segment: 'spring', locale: 'en' });
    await addCustomer(app.test, { name: 'Bo Invited', email: 'bo@example.com', segment: 'spring' });
    await addCustomer(app.test, { name: 'Cy DoNotContact', email: 'cy@example.com', segment: 'spring', doNotContact: true });
    await addCustomer(app.test, { name: 'Di NoConsent', email: 'di@example.com', segment: 'spring', consents: { email: ['marketing'] } });
    const recent = await addCustomer(app.test, { name: 'Ed Recent', email: 'ed@example.com', segment: 'spring' });
    await addCustomer(app.test, { name: 'Fa NoEmail', segment: 'spring' });
    await addCustomer(app.test, { name: 'Gu Elsewhere', email: 'gu@example.com', segment: 'autumn' });
    await pastInvitation(recent, survey.id, 'email', 10);

    expect(await (await app.manager.request('GET', '/api/campaigns/audience-preview?segment=spring')).json()).toEqual({ matching: 6 });
    expect(await (await app.manager.request('GET', '/api/campaigns/audience-preview')).json()).toEqual({ matching: 7 });
    expect((await app.manager.request('GET', '/api/campaigns/audience-preview?tier=gold')).status).toBe(400);

    const campaign = await createCampaign({ name: 'Spring', surveyId: survey.id, delivery: 'email', audience: inAudience });
    const running = await launchAndWait(campaign.id);
    expect(running).toMatchObject({ audienceSize: 6, versionId: expect.any(String), launchedAt: expect.any(String) });
    expect(running.funnel).toEqual({ audience: 6, skipped: 4, invited: 2, delivered: 0, opened: 0, started: 0, completed: 0, responseRate: 0 });

    const skipped = await invitations(campaign.id, 'skipped');
    expect(Object.fromEntries(skipped.map((row) => [row.customerName, row.skipReason]))).toEqual({
      'Cy DoNotContact': 'do_not_contact',
      'Di NoConsent': 'no_consent',
      'Ed Recent': 'contacted_recently',
      'Fa NoEmail': 'no_email',
    });
    expect(skipped.every((row) => row.code === null)).toBe(true);
    const invited = await invitations(campaign.id, 'invited');
    expect(invited.map((row) => row.customerName).sort()).toEqual(['Ada Invited', 'Bo Invited']);
    for (const row of invited) expect(row.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // Each invited customer's email is queued once, held in the Outbox without SMTP.
    const messages = await waitFor('the invitation emails', async () => {
      const rows = await app.test.db.select().from(outgoingMessages);
      return rows.length === 2 && rows;
    });
    expect(messages.map((row) => row.toAddress).sort()).toEqual(['ada@example.com', 'bo@example.com']);
    const detail = (await (await app.manager.request('GET', `/api/campaigns/${campaign.id}`)).json()).campaign;
    expect(detail.sending).toEqual({ held: 2, sending: 0, sent: 0, failed: 0, skipped: 0, total: 2 });

    // A second campaign right after: everyone invited just now is "contacted recently" across campaigns.
    const again = await createCampaign({ name: 'Again', surveyId: survey.id, delivery: 'phone', audience: inAudience });
    const againRunning = await launchAndWait(again.id);
    expect(againRunning.funnel).toMatchObject({ audience: 6, invited: 0, skipped: 6 });
  });

  it('keeps postal questionnaires to the yearly limit and opens phone invitations for calling', async () => {
    const survey = await publishedSurvey(app.manager);
    const twice = await addCustomer(app.test, { name: 'Ha Twice', postalAddress: '1 Road\nCity', phone: '+86 138 0000 0001' });
    await addCustomer(app.test, { name: 'Ji Once', postalAddress: '2 Road\nCity', phone: '+86 138 0000 0002' });
    await addCustomer(app.test, { name: 'Ko NoAddress', phone: '+86 138 0000 0003' });
    await pastInvitation(twice, survey.id, 'post', 100);
    await pastInvitation(twice, survey.id, 'post', 200);

    const post = await createCampaign({ name: 'Letters', surveyId: survey.id, delivery: 'post', audience: {} });
    await launchAndWait(post.id);
    const rows = await invitations(post.id);
    expect(Object.fromEntries(rows.map((row) => [row.customerName, row.skipReason]))).toEqual({
      'Ha Twice': 'post_limit',
      'Ji Once': null,
      'Ko NoAddress': 'no_address',
    });
    expect(await app.test.db.select().from(outgoingMessages)).toEqual([]);
  });

  it('does not count a skipped invitation as a contact', async () => {
    const survey = await publishedSurvey(app.manager);
    const skippedBefore = await addCustomer(app.test, { name: 'Mo SkippedBefore', email: 'mo@example.com' });
    await pastInvitation(skippedBefore, survey.id, 'email', 2, 'no_consent');
    const campaign = await createCampaign({ name: 'After a skip', surveyId: survey.id, delivery: 'email', audience: {} });
    await launchAndWait(campaign.id);
    expect((await invitations(campaign.id)).map((row) => [row.customerName, row.skipReason])).toEqual([['Mo SkippedBefore', null]]);
  });

  it('counts only postal invitations toward the postal yearly limit', async () => {
    const survey = await publishedSurvey(app.manager);
    // Two email invitations in the year, both older than the 30 days between invitations: by post they count for nothing.
    const mailedByEmail = await addCustomer(app.test, { name: 'Na EmailTwice', email: 'na@example.com', postalAddress: '3 Road\nCity' });
    await pastInvitation(mailedByEmail, survey.id, 'email', 40);
    await pastInvitation(mailedByEmail, survey.id, 'email', 90);
    const onceEach = await addCustomer(app.test, { name: 'Ou PostAndEmail', email: 'ou@example.com', postalAddress: '4 Road\nCity' });
    await pastInvitation(onceEach, survey.id, 'post', 60);
    await pastInvitation(onceEach, survey.id, 'email', 120);
    const post = await createCampaign({ name: 'Letters', surveyId: survey.id, delivery: 'post', audience: {} });
    await launchAndWait(post.id);
    const rows = await invitations(post.id);
    expect(Object.fromEntries(rows.map((row) => [row.customerName, row.skipReason]))).toEqual({ 'Na EmailTwice': null, 'Ou PostAndEmail': null });
  });

  it('makes phone invitations open for calling, and inviteOne is idempotent by its key', async () => {
    const survey = await publishedSurvey(app.manager);
    const caller = await addCustomer(app.test, { name: 'Li Phone', phone: '+86 138 0000 0004', email: 'li@example.com' });
    const phone = await createCampaign({ name: 'Calls', surveyId: survey.id, delivery: 'phone', audience: {} });
    await launchAndWait(phone.id);
    expect((await invitations(phone.id))[0]).toMatchObject({ customerName: 'Li Phone', skipReason: null, callState: 'open' });

    const event = await createCampaign({ name: 'After purchase', surveyId: survey.id, delivery: 'event' });
    expect((await (await app.manager.request('POST', `/api/campaigns/${event.id}/launch`)).json()).campaign.status).toBe('running');
    const first = await inviteOne(app.test.db, { campaignId: event.id, customerId: caller, delivery: 'email', dedupeKey: 'evt-1' });
    expect(first.skipReason).toBe('contacted_recently');
    expect(await inviteOne(app.test.db, { campaignId: event.id, customerId: caller, delivery: 'email', dedupeKey: 'evt-1' })).toEqual(first);
  });

  it('makes each invitation once when two processes work the queue', async () => {
    const survey = await publishedSurvey(app.manager);
    for (let index = 0; index < 30; index += 1) {
      await addCustomer(app.test, { name: `Customer ${index}`, email: `c${index}@example.com` });
    }
    const campaign = await createCampaign({ name: 'Both', surveyId: survey.id, delivery: 'email', audience: {} });
    const other = startCampaignWorker(app.test, {}, 'second-process');
    try {
      const running = await launchAndWait(campaign.id);
      expect(running.funnel).toMatchObject({ audience: 30, invited: 30, skipped: 0 });
      await waitFor('every invitation email', async () => (await app.test.db.select().from(outgoingMessages)).length >= 30);
      const rows = await app.test.db.select().from(campaignInvitations).where(eq(campaignInvitations.campaignId, campaign.id));
      expect(rows).toHaveLength(30);
      expect(new Set(rows.map((row) => row.messageId)).size).toBe(30);
      expect(await app.test.db.select().from(outgoingMessages)).toHaveLength(30);
    } finally {
      await other.stop();
    }
  });
});

describe('the funnel by channel', () => {
  it('has a row per channel; onsite and web count responses only', async () => {
    const survey = await publishedSurvey(app.manager);
    const response = await app.manager.request('GET', `/api/campaigns/funnel?surveyId=${survey.id}`);
    expect(response.status).toBe(200);
    const { rows } = await response.json();
    expect(rows.map((row: { channel: string; delivery: string | null }) => `${row.channel}/${row.delivery}`)).toEqual([
      'mail/email',
      'mail/post',
      'phone/phone',
      'onsite/kiosk',
      'web/null',
    ]);
    expect(rows[4]).toMatchObject({ invited: null, completed: 0, responseRate: null });
  });
});
