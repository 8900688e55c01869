// Phone interviews over a real database: the order of the call list, claims, calling hours by the customer's
// time zone, attempts, callbacks, customers who never come back, completed interviews and roles.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeInvitedResponse } from '../server/campaigns/answers.ts';
import { localMinutes } from '../server/campaigns/rules.ts';
import type { CampaignSettings } from '../server/campaigns/vocabulary.ts';
import { callAttempts, campaignInvitations, campaigns, customers, responses } from '../server/db/schema.ts';
import { claimNext, listCallCampaigns, recordOutcome, type NextCall } from '../server/phone/service.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let manager: StaffClient;
let versionId: string;
let surveyId: string;

const minute = 60_000;
const hour = 60 * minute;
// 10:00 in Shanghai and 22:00 the evening before in New York.
const now = Date.parse('2026-03-10T02:00:00Z');
const script = { en: 'Hello, this is Acme calling about your recent visit.', 'zh-CN': '您好，这里是 Acme，想了解您最近一次到店的体验。' };

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  const created = await manager.request('POST', '/api/surveys', { templateId: 'transactional-csat' });
  const survey = (await created.json()).survey;
  const published = await manager.request('POST', `/api/surveys/${survey.id}/publish`);
  surveyId = survey.id;
  versionId = (await published.json()).survey.versions[0].id;
});
afterEach(() => test.close());

async function userId(client: StaffClient): Promise<string> {
  return (await (await client.request('GET', '/api/session')).json()).user.id;
}

async function phoneCampaign(phone: CampaignSettings['phone'] = { maxAttempts: 3, callingHours: { start: '09:00', end: '20:00' }, script }) {
  const id = randomUUID();
  await test.db.insert(campaigns).values({
    id,
    name: 'Spring service calls',
    surveyId,
    versionId,
    delivery: 'phone',
    status: 'running',
    settings: phone ? { phone } : {},
    launchedAt: now - 24 * hour,
  });
  return id;
}

let customerCount = 0;
/** A customer invited to the campaign by phone, due at `nextCallAt`. */
async function invite(
  campaignId: string,
  customer: { name: string; timeZone?: string; doNotCall?: boolean; doNotContact?: boolean; locale?: 'en' | 'zh-CN' },
  call: { nextCallAt?: number; attempts?: number } = {},
) {
  const customerId = `customer-${++customerCount}`;
  await test.db.insert(customers).values({
    id: customerId,
    name: customer.name,
    phone: `+86 138 0013 ${String(8000 + customerCount)}`,
    timeZone: customer.timeZone ?? 'Asia/Shanghai',
    locale: customer.locale ?? 'zh-CN',
    doNotCall: customer.doNotCall ?? false,
    doNotContact: customer.doNotContact ?? false,
    consents: { phone: ['survey'] },
  });
  const id = `invitation-${customerCount}`;
  await test.db.insert(campaignInvitations).values({
    id,
    campaignId,
    customerId,
    dedupeKey: `${campaignId}:${customerId}`,
    delivery: 'phone',
    token: `TOKEN${String(customerCount).padStart(11, '0')}`,
    locale: customer.locale ?? 'zh-CN',
    invitedAt: now - 24 * hour,
    callState: 'open',
    nextCallAt: call.nextCallAt ?? now - 24 * hour,
    callAttempts: call.attempts ?? 0,
  });
  return { id, customerId };
}

/** An invitation waiting for the callback a customer asked for at `callbackAt`. */
async function waitingForCallback(invitationId: string, interviewerId: string, callbackAt: number) {
  await test.db.insert(callAttempts).values({ id: randomUUID(), invitationId, interviewerId, outcome: 'callback', callbackAt, at: callbackAt - 2 * hour });
  await test.db.update(campaignInvitations).set({ nextCallAt: callbackAt }).where(eq(campaignInvitations.id, invitationId));
}

const nameOf = (next: NextCall) => (next.none ? null : next.call.customer.name);

async function invitation(id: string) {
  const [row] = await test.db.select().from(campaignInvitations).where(eq(campaignInvitations.id, id));
  return row!;
}

/** Calling hours around the present moment in a time zone, for tests that go through the API's clock. */
function hoursAroundNow(timeZone: string) {
  const local = localMinutes(Date.now(), timeZone);
  const clock = (minutes: number) => {
    const m = (minutes + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return { start: clock(local - 120), end: clock(local + 120) };
}

describe('the call list', () => {
  it('offers due callbacks first, then the fewest attempts, then the longest waiting, one customer per interviewer', async () => {
    const campaignId = await phoneCampaign();
    const interviewers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => signedInAs(test, 'interviewer').then(userId)));
    await invite(campaignId, { name: 'Fresh recent' }, { nextCallAt: now - 1 * hour });
    await invite(campaignId, { name: 'Fresh waiting long' }, { nextCallAt: now - 2 * hour });
    await invite(campaignId, { name: 'Retried once' }, { nextCallAt: now - 5 * hour, attempts: 1 });
    const late = await invite(campaignId, { name: 'Callback due lately' }, { attempts: 1 });
    await waitingForCallback(late.id, interviewers[0]!, now - 10 * minute);
    const early = await invite(campaignId, { name: 'Callback due early' }, { attempts: 2 });
    await waitingForCallback(early.id, interviewers[0]!, now - 20 * minute);
    const notYet = await invite(campaignId, { name: 'Callback not yet due' }, { attempts: 1 });
    await waitingForCallback(notYet.id, interviewers[0]!, now + 30 * minute);

    const offered = [];
    for (const interviewerId of interviewers) offered.push(nameOf(await claimNext(test.db, { campaignId, interviewerId, now })));
    expect(offered).toEqual(['Callback due early', 'Callback due lately', 'Fresh waiting long', 'Fresh recent', 'Retried once', null]);
  });

  it('gives two interviewers different customers, keeps a claim with its holder, and re-offers an expired claim', async () => {
    const campaignId = await phoneCampaign();
    const [first, second] = await Promise.all([signedInAs(test, 'interviewer').then(userId), signedInAs(test, 'interviewer').then(userId)]);
    await invite(campaignId, { name: 'Only customer' });

    const [a, b] = await Promise.all([
      claimNext(test.db, { campaignId, interviewerId: first!, now }),
      claimNext(test.db, { campaignId, interviewerId: second!, now }),
    ]);
    expect([nameOf(a), nameOf(b)].sort()).toEqual(['Only customer', null]);
    const holder = a.none ? second! : first!;
    const other = a.none ? first! : second!;

    // The holder reloading the page gets the same customer back; the other interviewer is told calls are in progress.
    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: holder, now: now + 5 * minute }))).toBe('Only customer');
    expect(await claimNext(test.db, { campaignId, interviewerId: other, now: now + 6 * minute })).toMatchObject({ none: true, reason: 'in_progress' });
    // Renewed at +5 minutes, the claim runs to +20 minutes; after that the customer is free again.
    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: other, now: now + 19 * minute }))).toBeNull();
    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: other, now: now + 21 * minute }))).toBe('Only customer');
  });

  it('calls each customer only inside the calling hours of their own time zone', async () => {
    const campaignId = await phoneCampaign();
    const interviewer = await userId(await signedInAs(test, 'interviewer'));
    await invite(campaignId, { name: 'Wang in Shanghai', timeZone: 'Asia/Shanghai' });
    await invite(campaignId, { name: 'Smith in New York', timeZone: 'America/New_York' });

    // 10:00 in Shanghai, 22:00 in New York.
    const shanghai = await claimNext(test.db, { campaignId, interviewerId: interviewer, now });
    expect(nameOf(shanghai)).toBe('Wang in Shanghai');
    expect(shanghai.none ? null : shanghai.call.customer.localTime).toBe('10:00');
    await recordOutcome(test.db, { invitationId: shanghai.none ? '' : shanghai.call.invitation.id, interviewerId: interviewer, now, attemptId: randomUUID(), outcome: 'refused' });
    // New York's hours open at 09:00 local, 13:00 UTC.
    expect(await claimNext(test.db, { campaignId, interviewerId: interviewer, now })).toEqual({
      none: true,
      reason: 'outside_hours',
      nextAt: '2026-03-10T13:00:00.000Z',
    });
    const later = Date.parse('2026-03-10T13:30:00Z');
    const newYork = await claimNext(test.db, { campaignId, interviewerId: interviewer, now: later });
    expect(nameOf(newYork)).toBe('Smith in New York');
    expect(newYork.none ? null : newYork.call.customer.localTime).toBe('09:30');
  });
});

describe('call outcomes', () => {
  it('retries no answer and busy until the attempts are used, then never again', async () => {
    const campaignId = await phoneCampaign({ maxAttempts: 2, callingHours: { start: '08:00', end: '22:00' } });
    const interviewer = await userId(await signedInAs(test, 'interviewer'));
    const { id } = await invite(campaignId, { name: 'Hard to reach' });

    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now }))).toBe('Hard to reach');
    await recordOutcome(test.db, { invitationId: id, interviewerId: interviewer, now, attemptId: randomUUID(), outcome: 'no_answer' });
    expect(await invitation(id)).toMatchObject({ callState: 'open', callAttempts: 1, nextCallAt: now + 2 * hour, claimedBy: null, deliveredAt: null });
    expect(await claimNext(test.db, { campaignId, interviewerId: interviewer, now: now + hour })).toEqual({
      none: true,
      reason: 'later',
      nextAt: new Date(now + 2 * hour).toISOString(),
    });

    const retry = now + 2 * hour;
    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now: retry }))).toBe('Hard to reach');
    await recordOutcome(test.db, { invitationId: id, interviewerId: interviewer, now: retry, attemptId: randomUUID(), outcome: 'busy' });
    expect(await invitation(id)).toMatchObject({ callState: 'attempts_used', callAttempts: 2, nextCallAt: null });
    expect(await claimNext(test.db, { campaignId, interviewerId: interviewer, now: retry + 5 * hour })).toMatchObject({ none: true, reason: 'all_done' });
  });

  it('brings a callback back only at the time asked, before customers not called yet', async () => {
    const campaignId = await phoneCampaign();
    const interviewer = await userId(await signedInAs(test, 'interviewer'));
    const { id } = await invite(campaignId, { name: 'Asked for a callback' }, { nextCallAt: now - 3 * hour });
    await invite(campaignId, { name: 'Not called yet' }, { nextCallAt: now - hour });

    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now }))).toBe('Asked for a callback');
    const callbackAt = now + 3 * hour;
    await recordOutcome(test.db, { invitationId: id, interviewerId: interviewer, now, attemptId: randomUUID(), outcome: 'callback', callbackAt, note: 'In a meeting' });
    const row = await invitation(id);
    expect(row).toMatchObject({ callState: 'open', callAttempts: 1, nextCallAt: callbackAt, deliveredAt: now, startedAt: now });

    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now: now + hour }))).toBe('Not called yet');
    await recordOutcome(test.db, { invitationId: `invitation-${customerCount}`, interviewerId: interviewer, now: now + hour, attemptId: randomUUID(), outcome: 'wrong_number' });
    expect(await claimNext(test.db, { campaignId, interviewerId: interviewer, now: now + 2 * hour })).toEqual({
      none: true,
      reason: 'later',
      nextAt: new Date(callbackAt).toISOString(),
    });
    const back = await claimNext(test.db, { campaignId, interviewerId: interviewer, now: callbackAt });
    expect(nameOf(back)).toBe('Asked for a callback');
    expect(back.none ? [] : back.call.invitation.lastOutcomes).toMatchObject([{ outcome: 'callback', note: 'In a meeting' }]);
  });

  it('never offers refused, do-not-call or already answered customers again', async () => {
    const campaignId = await phoneCampaign();
    const interviewer = await userId(await signedInAs(test, 'interviewer'));
    const refused = await invite(campaignId, { name: 'Says no' }, { nextCallAt: now - 72 * hour });
    const doNotCall = await invite(campaignId, { name: 'Do not call' });
    const doNotContact = await invite(campaignId, { name: 'Do not contact' }, { nextCallAt: now - 48 * hour });
    const answered = await invite(campaignId, { name: 'Answered already' }, { nextCallAt: now - 96 * hour });
    await test.db.update(campaignInvitations).set({ responseId: randomUUID() }).where(eq(campaignInvitations.id, answered.id));

    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now }))).toBe('Says no');
    await recordOutcome(test.db, { invitationId: refused.id, interviewerId: interviewer, now, attemptId: randomUUID(), outcome: 'refused' });
    await test.db.update(customers).set({ doNotCall: true }).where(eq(customers.id, doNotCall.customerId));
    await test.db.update(customers).set({ doNotContact: true }).where(eq(customers.id, doNotContact.customerId));

    expect(await claimNext(test.db, { campaignId, interviewerId: interviewer, now: now + 24 * hour })).toMatchObject({ none: true, reason: 'all_done' });
    expect((await invitation(refused.id)).callState).toBe('refused');
    expect((await invitation(doNotCall.id)).callState).toBe('do_not_call');
    expect((await invitation(doNotContact.id)).callState).toBe('do_not_call');
    expect((await invitation(answered.id)).callState).toBe('completed');
  });

  it('does not offer a customer who withdrew phone consent after launch, nor the one an interviewer held meanwhile', async () => {
    const campaignId = await phoneCampaign();
    const interviewer = await userId(await signedInAs(test, 'interviewer'));
    const held = await invite(campaignId, { name: 'Held, then withdraws' }, { nextCallAt: now - 96 * hour });
    const withdraws = await invite(campaignId, { name: 'Withdraws' }, { nextCallAt: now - 72 * hour });
    const noNumber = await invite(campaignId, { name: 'Number removed' }, { nextCallAt: now - 48 * hour });
    await invite(campaignId, { name: 'Still happy to talk' }, { nextCallAt: now - 24 * hour });

    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now }))).toBe('Held, then withdraws');
    // Staff record the withdrawals: phone consent for surveys gone, or the number gone.
    for (const { customerId } of [held, withdraws]) {
      await test.db.update(customers).set({ consents: { email: ['survey'], phone: ['follow_up'] } }).where(eq(customers.id, customerId));
    }
    await test.db.update(customers).set({ phone: null }).where(eq(customers.id, noNumber.customerId));
    // The list counts as due now only the one who may still be called (the held one is the interviewer's).
    const [listed] = await listCallCampaigns(test.db, now);
    expect(listed).toMatchObject({ id: campaignId, open: 4, dueNow: 1 });

    // The page reloads: the held customer is not given back, and the next offered is the one still callable.
    expect(nameOf(await claimNext(test.db, { campaignId, interviewerId: interviewer, now }))).toBe('Still happy to talk');
    for (const { id } of [held, withdraws, noNumber]) {
      expect(await invitation(id)).toMatchObject({ callState: 'do_not_call', claimedBy: null });
    }
  });
});

describe('the API', () => {
  async function runningNow(timeZone = 'Asia/Shanghai') {
    const campaignId = await phoneCampaign({ maxAttempts: 3, callingHours: hoursAroundNow(timeZone), script });
    const customer = await invite(campaignId, { name: 'Chen Jing', timeZone, locale: 'en' }, { nextCallAt: Date.now() - hour });
    return { campaignId, ...customer };
  }

  it('stores a completed interview once, with channel phone, the interviewer, customer and campaign', async () => {
    const { campaignId, id, customerId } = await runningNow();
    const interviewer = await signedInAs(test, 'interviewer');
    const interviewerId = await userId(interviewer);

    const list = await (await interviewer.request('GET', '/api/calls')).json();
    expect(list.campaigns).toMatchObject([{ id: campaignId, open: 1, dueNow: 1, completed: 0, surveyTitle: { en: expect.any(String) } }]);

    const next = await (await interviewer.request('POST', `/api/calls/${campaignId}/next`)).json();
    expect(next).toMatchObject({
      none: false,
      invitation: { id, attempts: 0, lastOutcomes: [] },
      customer: { id: customerId, name: 'Chen Jing', locale: 'en', timeZone: 'Asia/Shanghai', phone: expect.any(String) },
      script,
      versionId,
    });
    expect(next.definition.questions[0].id).toBe('csat');

    const outcome = { attemptId: randomUUID(), responseId: randomUUID(), outcome: 'completed', answers: { csat: 5, comment: 'Quick and kind.' }, locale: 'en' };
    const first = await interviewer.request('POST', `/api/calls/invitations/${id}/outcome`, outcome);
    expect(first.status, JSON.stringify(await first.clone().json())).toBe(200);
    expect(await first.json()).toMatchObject({ result: 'recorded', invitation: { callState: 'completed', attempts: 1 } });
    // The same request again (a lost reply, a double click) changes nothing.
    const again = await interviewer.request('POST', `/api/calls/invitations/${id}/outcome`, outcome);
    expect(await again.json()).toMatchObject({ result: 'duplicate', invitation: { callState: 'completed', attempts: 1 } });

    const stored = await test.db.select().from(responses);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: outcome.responseId, channel: 'phone', interviewerId, customerId, campaignId, locale: 'en', answers: { csat: 5 } });
    expect(await test.db.select().from(callAttempts)).toHaveLength(1);
    expect(await invitation(id)).toMatchObject({ responseId: outcome.responseId, callState: 'completed', claimedBy: null });
    // Managers see who answered, through which campaign, and who keyed it in.
    const detail = await (await manager.request('GET', `/api/responses/${outcome.responseId}`)).json();
    expect(detail.response).toMatchObject({
      channel: 'phone',
      customer: { id: customerId, name: 'Chen Jing' },
      campaign: { id: campaignId, name: 'Spring service calls' },
      interviewer: { id: interviewerId },
    });
    expect((await invitation(id)).completedAt).not.toBeNull();

    const after = await (await interviewer.request('GET', '/api/calls')).json();
    expect(after.campaigns[0]).toMatchObject({ open: 0, dueNow: 0, completed: 1 });
    expect(await (await interviewer.request('POST', `/api/calls/${campaignId}/next`)).json()).toMatchObject({ none: true, reason: 'all_done' });
  });

  it('stores an answer and the write that goes with it (the call) together, or neither', async () => {
    const { id } = await runningNow();
    const answer = { invitationId: id, responseId: randomUUID(), answers: { csat: 4 }, locale: 'en' as const };
    const failing = storeInvitedResponse(test.db, answer, async () => {
      throw new Error('the call record could not be written');
    });
    await expect(failing).rejects.toThrow('the call record could not be written');
    expect(await test.db.select().from(responses)).toHaveLength(0);
    expect(await invitation(id)).toMatchObject({ responseId: null, completedAt: null });
    // Nothing half-done is left behind: the same answer goes through afterwards.
    expect(await storeInvitedResponse(test.db, answer)).toBe('stored');
    expect(await test.db.select().from(responses)).toHaveLength(1);
  });

  it('refuses bad outcomes with messages in the reader’s language, and outcomes from someone not holding the call', async () => {
    const { campaignId, id } = await runningNow();
    const interviewer = await signedInAs(test, 'interviewer');
    await interviewer.request('POST', `/api/calls/${campaignId}/next`);
    const post = (body: unknown, client = interviewer, headers: Record<string, string> = {}) =>
      client.request('POST', `/api/calls/invitations/${id}/outcome`, body, headers);

    const past = await post({ attemptId: randomUUID(), outcome: 'callback', callbackAt: new Date(Date.now() - hour).toISOString() }, interviewer, { 'x-locale': 'zh-CN' });
    expect(past.status).toBe(400);
    expect((await past.json()).error).toContain('回拨时间已过');
    const far = await post({ attemptId: randomUUID(), outcome: 'callback', callbackAt: new Date(Date.now() + 40 * 24 * hour).toISOString() });
    expect((await far.json()).error).toContain('within the next 30 days');
    const noTime = await post({ attemptId: randomUUID(), outcome: 'callback' });
    expect(noTime.status).toBe(400);
    const badOutcome = await post({ attemptId: randomUUID(), outcome: 'hung_up' });
    expect((await badOutcome.json()).error).toContain('no_answer');
    const noAnswers = await post({ attemptId: randomUUID(), outcome: 'completed' });
    expect((await noAnswers.json()).error).toContain('needs the answers');
    const invalid = await post({ attemptId: randomUUID(), outcome: 'completed', responseId: randomUUID(), answers: { csat: 9 } });
    expect(invalid.status).toBe(400);
    expect(Object.keys((await invalid.json()).questionErrors)).toEqual(['csat']);

    const colleague = await signedInAs(test, 'interviewer');
    const notTheirs = await post({ attemptId: randomUUID(), outcome: 'busy' }, colleague);
    expect(notTheirs.status).toBe(409);
    expect(await test.db.select().from(callAttempts)).toHaveLength(0);
    expect(await test.db.select().from(responses)).toHaveLength(0);
    expect((await invitation(id)).callAttempts).toBe(0);
  });

  it('lets interviewers, managers and admins call, and keeps support and strangers out', async () => {
    const { campaignId, id } = await runningNow('America/New_York');
    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', '/api/calls')).status).toBe(403);
    expect((await support.request('POST', `/api/calls/${campaignId}/next`)).status).toBe(403);
    expect((await support.request('POST', `/api/calls/invitations/${id}/outcome`, { attemptId: randomUUID(), outcome: 'busy' })).status).toBe(403);
    expect((await test.app.request('/api/calls')).status).toBe(401);

    const admin = await signedInAs(test, 'admin');
    expect((await admin.request('GET', '/api/calls')).status).toBe(200);
    const next = await (await manager.request('POST', `/api/calls/${campaignId}/next`)).json();
    expect(next.customer.timeZone).toBe('America/New_York');
    expect((await manager.request('POST', `/api/calls/invitations/${id}/claim`)).status).toBe(200);
    expect((await admin.request('POST', `/api/calls/invitations/${id}/claim`)).status).toBe(409);
    expect((await manager.request('POST', '/api/calls/no-such-campaign/next')).status).toBe(404);
  });
});
