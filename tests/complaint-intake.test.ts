// Cases from responses over a real database: the complaint form answered on every channel (open link, personal
// link, kiosk, keyed postal form, phone interview) opens exactly one case in the transaction that stores the
// response; and a satisfaction survey's loop-closing rules open a case for a consenting known customer, or
// record a silent detractor, once per response whatever the retries.
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localMinutes, tokenFromBytes } from '../server/campaigns/rules.ts';
import { campaignInvitations, campaigns, complaintCases, complaintEvents, customers, loopCatches, responses } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { json, signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let manager: StaffClient;

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
});
afterEach(() => test.close());

interface Published {
  id: string;
  slug: string;
  versionId: string;
}

async function publish(body: { templateId: string } | { definition: unknown; slug?: string }): Promise<Published> {
  const created = await manager.request('POST', '/api/surveys', body);
  expect(created.status, await created.clone().text()).toBe(201);
  const { survey } = await created.json();
  const published = await manager.request('POST', `/api/surveys/${survey.id}/publish`);
  expect(published.status).toBe(200);
  const { survey: after } = await published.json();
  return { id: after.id, slug: after.slug, versionId: after.versions[0].id };
}

async function addCustomer(values: Partial<typeof customers.$inferInsert> = {}) {
  const id = values.id ?? randomUUID();
  await test.db.insert(customers).values({ name: '李伟', locale: 'zh-CN', ...values, id });
  return id;
}

type Delivery = 'email' | 'post' | 'phone' | 'kiosk';

/** A running campaign of the survey and, unless it is a kiosk, one invitation to the customer. */
async function campaignOf(survey: Published, delivery: Delivery, customerId: string | null, settings: Record<string, unknown> = {}) {
  const campaignId = randomUUID();
  const kioskKey = randomUUID().replace(/-/g, '');
  await test.db.insert(campaigns).values({
    id: campaignId,
    name: `Campaign ${delivery}`,
    surveyId: survey.id,
    versionId: survey.versionId,
    delivery,
    status: 'running',
    settings: settings as never,
    ...(delivery === 'kiosk' ? { kioskKey } : {}),
    launchedAt: Date.now() - 3600_000,
  });
  if (delivery === 'kiosk' || customerId === null) return { campaignId, kioskKey, invitationId: '', token: '' };
  const invitationId = randomUUID();
  const token = tokenFromBytes(randomBytes(10));
  await test.db.insert(campaignInvitations).values({
    id: invitationId,
    campaignId,
    customerId,
    dedupeKey: `${campaignId}:${customerId}`,
    delivery,
    token,
    locale: 'en',
    invitedAt: Date.now() - 3600_000,
    ...(delivery === 'phone' ? { callState: 'open' as const, nextCallAt: Date.now() - 3600_000 } : {}),
  });
  return { campaignId, kioskKey, invitationId, token };
}

/** Calling hours around now in Shanghai, so the interviewer may call. */
function hoursAroundNow() {
  const local = localMinutes(Date.now(), 'Asia/Shanghai');
  const clock = (minutes: number) => {
    const m = (minutes + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return { start: clock(local - 120), end: clock(local + 120) };
}

/** How a response reaches the server on one channel: submit() sends it (again, for a retry) and answers the status. */
interface Channel {
  name: string;
  caseChannel: string;
  knowsCustomer: boolean;
  prepare(survey: Published, customerId: string): Promise<(answers: Record<string, unknown>, responseId: string) => Response | Promise<Response>>;
}

const channels: Channel[] = [
  {
    name: 'open link (/s/)',
    caseChannel: 'web',
    knowsCustomer: false,
    prepare: async (survey) => (answers, id) =>
      test.app.request('/api/public/responses', json({ id, versionId: survey.versionId, locale: 'en', answers, startedAt: Date.now() - 60_000 })),
  },
  {
    name: 'personal link (/i/)',
    caseChannel: 'web',
    knowsCustomer: true,
    prepare: async (survey, customerId) => {
      const { token } = await campaignOf(survey, 'email', customerId);
      return (answers, id) => test.app.request(`/api/public/invitations/${token}/responses`, json({ id, locale: 'en', answers }));
    },
  },
  {
    name: 'kiosk',
    caseChannel: 'onsite',
    knowsCustomer: false,
    prepare: async (survey) => {
      const { kioskKey } = await campaignOf(survey, 'kiosk', null, { kiosk: { location: 'Lobby', idleSeconds: 60 } });
      return (answers, id) =>
        test.app.request(`/api/public/kiosk/${kioskKey}/responses`, json({ id, versionId: survey.versionId, locale: 'en', answers }));
    },
  },
  {
    name: 'keyed postal form',
    caseChannel: 'mail',
    knowsCustomer: true,
    prepare: async (survey, customerId) => {
      const { token } = await campaignOf(survey, 'post', customerId, { post: { doubleKeying: false } });
      const keyer = await signedInAs(test, 'interviewer');
      return (answers, responseId) => keyer.request('POST', `/api/keying/${token}`, { answers, responseId });
    },
  },
  {
    name: 'phone interview',
    caseChannel: 'phone',
    knowsCustomer: true,
    prepare: async (survey, customerId) => {
      const { campaignId, invitationId } = await campaignOf(survey, 'phone', customerId, {
        phone: { maxAttempts: 3, callingHours: hoursAroundNow(), script: { en: 'Hello', 'zh-CN': '您好' } },
      });
      const interviewer = await signedInAs(test, 'interviewer');
      const next = await (await interviewer.request('POST', `/api/calls/${campaignId}/next`)).json();
      expect(next.invitation.id).toBe(invitationId);
      const attemptId = randomUUID();
      return (answers, responseId) =>
        interviewer.request('POST', `/api/calls/invitations/${invitationId}/outcome`, { attemptId, responseId, outcome: 'completed', answers, locale: 'en' });
    },
  },
];

const complaint = {
  category: 'delivery',
  severity: 'major',
  description: 'The parcel came a week late and was crushed.',
  desired_outcome: 'apology',
  contact_consent: true,
  contact_name: 'Li Wei',
  contact_email: 'li.wei@example.com',
  contact_phone: '138 0013 8000',
};

const casesOf = (responseId: string) => test.db.select().from(complaintCases).where(eq(complaintCases.responseId, responseId));
const responseRows = (responseId: string) => test.db.select({ id: responses.id }).from(responses).where(eq(responses.id, responseId));

describe('the complaint form on every channel', () => {
  it.each(channels.map((channel) => [channel.name, channel] as const))('%s opens exactly one case, with the form\'s answers; a retry opens none', async (_name, channel) => {
    const survey = await publish({ templateId: 'complaint-form' });
    const customerId = await addCustomer({ consents: { phone: ['survey'], post: ['survey'], email: ['survey'] }, phone: '+86 138 0000 0000', email: 'known@example.com' });
    const submit = await channel.prepare(survey, customerId);
    const responseId = randomUUID();

    const first = await submit(complaint, responseId);
    expect(first.status, await first.clone().text()).toBeLessThan(300);
    const cases = await casesOf(responseId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      source: 'form',
      channel: channel.caseChannel,
      category: 'delivery',
      severity: 'major',
      status: 'new',
      description: 'The parcel came a week late and was crushed.',
      desiredOutcome: 'Apologise',
      locale: 'en',
      customerId: channel.knowsCustomer ? customerId : null,
      contactName: 'Li Wei',
      contactEmail: 'li.wei@example.com',
      contactPhone: '138 0013 8000',
      contactConsent: true,
      contactChannel: 'email',
      surveyId: survey.id,
    });
    expect(cases[0]!.reference).toMatch(/^C-\d{4}-\d{6}$/);
    const events = await test.db.select().from(complaintEvents).where(eq(complaintEvents.caseId, cases[0]!.id));
    expect(events.map((event) => event.type)).toEqual(['opened']);

    // The same submission again (a lost reply, a resend from the device) stores nothing and opens nothing.
    const again = await submit(complaint, responseId);
    expect(again.status, await again.clone().text()).toBe(200);
    expect(await casesOf(responseId)).toHaveLength(1);
    expect(await test.db.select({ id: complaintCases.id }).from(complaintCases)).toHaveLength(1);
  });

  it.each(channels.map((channel) => [channel.name, channel] as const))(
    '%s: a response whose case cannot be stored is not stored either, and goes through once the fault is gone',
    async (_name, channel) => {
      const survey = await publish({ templateId: 'complaint-form' });
      const customerId = await addCustomer({ consents: { phone: ['survey'], post: ['survey'], email: ['survey'] }, phone: '+86 138 0000 0000' });
      const submit = await channel.prepare(survey, customerId);
      const responseId = randomUUID();
      await test.db.$client.execute(`CREATE TRIGGER refuse_cases BEFORE INSERT ON complaint_cases BEGIN SELECT RAISE(ABORT, 'cases refused'); END`);
      const refused = await submit(complaint, responseId);
      expect(refused.status).toBe(500);
      expect(await responseRows(responseId)).toHaveLength(0);
      expect(await casesOf(responseId)).toHaveLength(0);

      await test.db.$client.execute('DROP TRIGGER refuse_cases');
      const stored = await submit(complaint, responseId);
      expect(stored.status, await stored.clone().text()).toBeLessThan(300);
      expect(await responseRows(responseId)).toHaveLength(1);
      expect(await casesOf(responseId)).toHaveLength(1);
    },
  );

  it('fails only the response whose case is refused when several arrive together', async () => {
    const survey = await publish({ templateId: 'complaint-form' });
    await test.db.$client.execute(
      `CREATE TRIGGER refuse_one BEFORE INSERT ON complaint_cases WHEN NEW.description = 'refuse me' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const sent = await Promise.all(
      ids.map((id, index) =>
        test.app.request(
          '/api/public/responses',
          json({ id, versionId: survey.versionId, locale: 'zh-CN', answers: { ...complaint, description: index === 1 ? 'refuse me' : `complaint ${index}` } }),
        ),
      ),
    );
    expect(sent.map((response) => response.status)).toEqual([201, 500, 201]);
    for (const [index, id] of ids.entries()) {
      expect(await responseRows(id)).toHaveLength(index === 1 ? 0 : 1);
      expect(await casesOf(id)).toHaveLength(index === 1 ? 0 : 1);
    }
  });

  it('takes the contact details only when consent is ticked, and checks their format', async () => {
    const survey = await publish({ templateId: 'complaint-form' });
    const send = (answers: Record<string, unknown>, id = randomUUID()) =>
      test.app.request('/api/public/responses', json({ id, versionId: survey.versionId, locale: 'en', answers }));
    const bad = await send({ ...complaint, contact_email: 'li.wei@', contact_phone: '12' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).questionErrors).toMatchObject({
      contact_email: { en: 'Enter an email address, like name@example.com.' },
      contact_phone: { en: 'Enter a phone number: 5 to 20 digits, with spaces, +, - or parentheses if you like.' },
    });
    const { contact_name: _n, contact_email: _e, contact_phone: _p, ...anonymous } = complaint;
    const id = randomUUID();
    expect((await send({ ...anonymous, contact_consent: false }, id)).status).toBe(201);
    expect((await casesOf(id))[0]).toMatchObject({ contactConsent: false, contactChannel: null, contactEmail: null, customerId: null });
  });
});

describe('closing the loop on a satisfaction survey', () => {
  const definition: SurveyDefinition = {
    kind: 'satisfaction',
    title: { en: 'Your visit', 'zh-CN': '您的到访' },
    questions: [
      { id: 'nps', type: 'nps', required: true, title: { en: 'How likely are you to recommend us?', 'zh-CN': '您向朋友推荐我们的可能性有多大？' } },
      { id: 'csat', type: 'csat', required: false, title: { en: 'How satisfied are you?', 'zh-CN': '您满意吗？' } },
      { id: 'callback', type: 'consent', required: false, title: { en: 'Please contact me', 'zh-CN': '请联系我' } },
    ],
    loopRules: [
      { id: 'detractor', kind: 'nps_at_most', question: 'nps', value: 6 },
      { id: 'unhappy', kind: 'csat_at_most', question: 'csat', value: 2 },
      { id: 'asked', kind: 'contact_requested', question: 'callback' },
    ],
  };

  const catches = () => test.db.select().from(loopCatches);

  it('opens a case for a consenting customer, and records a silent detractor without consent or without a customer', async () => {
    const survey = await publish({ definition, slug: 'your-visit' });
    const consenting = await addCustomer({ name: 'Chen Jing', locale: 'en', email: 'chen@example.com', consents: { email: ['survey', 'follow_up'] } });
    const surveyOnly = await addCustomer({ name: '王芳', email: 'wang@example.com', consents: { email: ['survey'] } });
    const invited = async (customerId: string) => {
      const { token } = await campaignOf(survey, 'email', customerId);
      return (answers: Record<string, unknown>, id: string, locale = 'en') =>
        test.app.request(`/api/public/invitations/${token}/responses`, json({ id, locale, answers }));
    };
    const open = (answers: Record<string, unknown>, id: string) =>
      test.app.request('/api/public/responses', json({ id, versionId: survey.versionId, locale: 'zh-CN', answers }));

    const chen = await invited(consenting);
    const chenResponse = randomUUID();
    expect((await chen({ nps: 3, csat: 2 }, chenResponse)).status).toBe(201);
    const wang = await invited(surveyOnly);
    const wangResponse = randomUUID();
    expect((await wang({ nps: 2, callback: true }, wangResponse, 'zh-CN')).status).toBe(201);
    const anonymousResponse = randomUUID();
    expect((await open({ nps: 0 }, anonymousResponse)).status).toBe(201);
    const promoterResponse = randomUUID();
    expect((await open({ nps: 10, csat: 5, callback: false }, promoterResponse)).status).toBe(201);

    const cases = await test.db.select().from(complaintCases);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      source: 'survey_rule',
      channel: 'web',
      category: 'service',
      customerId: consenting,
      responseId: chenResponse,
      surveyId: survey.id,
      ruleIds: ['detractor', 'unhappy'],
      contactConsent: true,
      contactChannel: 'email',
      locale: 'en',
    });
    expect(cases[0]!.description).toBe(
      [
        'A survey answer caught by loop-closing rules:',
        '- NPS ≤ 6 on question 1 "How likely are you to recommend us?": 3 / 10',
        '- CSAT ≤ 2 on question 2 "How satisfied are you?": 2 / 5',
      ].join('\n'),
    );
    const byResponse = new Map((await catches()).map((row) => [row.responseId, row]));
    expect(byResponse.size).toBe(3);
    expect(byResponse.get(chenResponse)).toMatchObject({ caseId: cases[0]!.id, silentReason: null, customerId: consenting, ruleIds: ['detractor', 'unhappy'] });
    expect(byResponse.get(wangResponse)).toMatchObject({ caseId: null, silentReason: 'no_consent', customerId: surveyOnly, ruleIds: ['detractor', 'asked'] });
    expect(byResponse.get(anonymousResponse)).toMatchObject({ caseId: null, silentReason: 'no_customer', customerId: null, ruleIds: ['detractor'] });
    expect(byResponse.has(promoterResponse)).toBe(false);

    // A retried submission opens no second case and records no second catch.
    expect((await chen({ nps: 3, csat: 2 }, chenResponse)).status).toBe(200);
    expect((await open({ nps: 0 }, anonymousResponse)).status).toBe(200);
    expect(await test.db.select({ id: complaintCases.id }).from(complaintCases)).toHaveLength(1);
    expect(await catches()).toHaveLength(3);
  });

  it('counts a customer who withdrew all contact as a silent detractor even with follow-up consent on file', async () => {
    const survey = await publish({ definition, slug: 'your-visit' });
    const customerId = await addCustomer({ email: 'gone@example.com', consents: { email: ['follow_up'] }, doNotContact: true });
    const { token } = await campaignOf(survey, 'email', customerId);
    const id = randomUUID();
    expect((await test.app.request(`/api/public/invitations/${token}/responses`, json({ id, locale: 'zh-CN', answers: { nps: 1 } }))).status).toBe(201);
    expect(await test.db.select().from(complaintCases)).toHaveLength(0);
    expect(await catches()).toMatchObject([{ responseId: id, silentReason: 'no_consent', caseId: null }]);
  });

  it('leaves a survey without rules alone', async () => {
    const { loopRules: _rules, ...plain } = definition;
    const survey = await publish({ definition: plain, slug: 'no-rules' });
    const id = randomUUID();
    expect((await test.app.request('/api/public/responses', json({ id, versionId: survey.versionId, locale: 'en', answers: { nps: 0, csat: 1, callback: true } }))).status).toBe(201);
    expect(await catches()).toHaveLength(0);
    expect(await test.db.select().from(complaintCases)).toHaveLength(0);
  });
});

describe('what the customer is told of the case on submitting', () => {
  const receiptChannels = channels.filter((channel) => ['open link (/s/)', 'personal link (/i/)', 'kiosk'].includes(channel.name));

  it.each(receiptChannels.map((channel) => [channel.name, channel] as const))(
    '%s: the answer names the case the complaint form opened, and a retry names the same one',
    async (name, channel) => {
      const survey = await publish({ templateId: 'complaint-form' });
      const customerId = await addCustomer({ consents: { email: ['survey'] }, email: 'known@example.com' });
      const submit = await channel.prepare(survey, customerId);
      const responseId = randomUUID();

      const first = await submit(complaint, responseId);
      expect(first.status).toBe(201);
      const [opened] = await casesOf(responseId);
      // When the first reply is due, in the business calendar's time zone (the reporting one until it is saved).
      const due = { firstResponseDueAt: new Date(opened!.firstResponseDueAt!).toISOString(), timeZone: 'Asia/Shanghai' };
      // A kiosk is a shared device: never the status page link.
      const expected = name === 'kiosk' ? { reference: opened!.reference, ...due } : { reference: opened!.reference, statusPath: `/c/${opened!.statusToken}`, ...due };
      const body = await first.json();
      expect(body.case).toEqual(expected);

      const again = await submit(complaint, responseId);
      expect(again.status).toBe(200);
      expect((await again.json()).case).toEqual(expected);

      if (name !== 'kiosk') {
        const page = await test.app.request(body.case.statusPath);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(opened!.reference);
      }
    },
  );

  it('names no case for a satisfaction survey, even when a loop-closing rule opened one', async () => {
    const survey = await publish({
      definition: {
        kind: 'satisfaction',
        title: { en: 'Your visit', 'zh-CN': '您的到访' },
        questions: [{ id: 'nps', type: 'nps', required: true, title: { en: 'How likely are you to recommend us?', 'zh-CN': '您向朋友推荐我们的可能性有多大？' } }],
        loopRules: [{ id: 'detractor', kind: 'nps_at_most', question: 'nps', value: 6 }],
      },
      slug: 'your-visit',
    });
    const customerId = await addCustomer({ locale: 'en', email: 'chen@example.com', consents: { email: ['survey', 'follow_up'] } });
    const { token } = await campaignOf(survey, 'email', customerId);
    const id = randomUUID();
    const invited = await test.app.request(`/api/public/invitations/${token}/responses`, json({ id, locale: 'en', answers: { nps: 2 } }));
    expect(invited.status).toBe(201);
    expect(await casesOf(id)).toHaveLength(1);
    expect(await invited.json()).toEqual({ id, status: 'stored' });

    const open = randomUUID();
    const anonymous = await test.app.request('/api/public/responses', json({ id: open, versionId: survey.versionId, locale: 'en', answers: { nps: 9 } }));
    expect(await anonymous.json()).toEqual({ id: open, status: 'stored' });
  });
});
