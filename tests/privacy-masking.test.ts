// Role masking over every staff route that returns customer data: each role walks them all, and no raw email,
// phone number, name or free text of a customer outside its work reaches it; the reads of personal data in
// full are in the access log, which only admins read.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, type Role } from '../server/accounts/service.ts';
import { eq, inArray, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { campaignInvitations, campaigns, complaintCases, complaintEvents, consentChanges, customers, followUps, outgoingMessages, responses, staffReads, surveys, surveyVersions, users } from '../server/db/schema.ts';
import { catchUp as catchUpAggregates } from '../server/insights/processor.ts';
import { catchUpExplorer } from '../server/responses/explorer-index.ts';
import { flushReads, recordReads } from '../server/privacy/access.ts';
import type { AppEnv } from '../server/env.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { StaffClient, startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';

let test: TestApp;
const staff = {} as Record<'admin' | 'manager' | 'supportA' | 'supportB' | 'interviewer', { id: string; client: StaffClient }>;

/** Each customer's distinctive values: none may reach a role whose work is not about them. */
const people = {
  mingyu: { name: 'Mingyu Secretname', email: 'mingyu.secret@example.com', phone: '13911112222', externalId: 'MINGYU-CRM-0001', address: 'MINGYU-ADDRESS-LINE\nShanghai', words: ['MINGYU-CASE-WORDS', 'MINGYU-NOTE-WORDS', 'MINGYU-OPEN-TEXT', 'MINGYU-OTHER-TEXT', 'MINGYU-LINK-VALUE', 'MINGYU-CONSENT-NOTE'] },
  otto: { name: 'Otto Hiddenname', email: 'otto.hidden@example.com', phone: '13733334444', externalId: 'OTTO-CRM-0002', address: 'OTTO-ADDRESS-LINE\nBeijing', words: ['OTTO-CASE-WORDS', 'OTTO-NOTE-WORDS', 'OTTO-OPEN-TEXT', 'OTTO-OTHER-TEXT', 'OTTO-LINK-VALUE', 'OTTO-CONSENT-NOTE', 'OTTO-FOLLOWUP-NOTE', 'OTTO-MAIL-BODY'] },
  carla: { name: 'Carla Callname', email: 'carla.call@example.com', phone: '13655556666', externalId: 'CARLA-CRM-0003', address: 'CARLA-ADDRESS-LINE\nHangzhou', words: ['CARLA-OPEN-TEXT', 'CARLA-OTHER-TEXT', 'CARLA-LINK-VALUE', 'CARLA-CONSENT-NOTE'] },
};
type Person = keyof typeof people;
const ids = {} as Record<Person, string>;
const caseIds = {} as Record<'mingyu' | 'otto', string>;
const responseIds: string[] = [];
let surveyId = '';
let messageId = '';
let phoneCampaignId = '';
const anonymousText = 'ANONYMOUS-OPEN-TEXT';

/** Every raw value of a person, as it is stored (the phone's digits too: "13911112222"). */
const secretsOf = (person: Person) => {
  const p = people[person];
  return [p.name, p.email, p.phone, p.externalId, p.address.split('\n')[0]!, ...p.words];
};

async function staffMember(role: Role, key: keyof typeof staff) {
  const id = `${key}-${randomUUID().slice(0, 8)}`;
  await test.db.insert(users).values({ id, email: `${id}@staff.example.com`, name: key, role, passwordHash: 'not-used' });
  const session = await createSession(test.db, id);
  staff[key] = { id, client: new StaffClient(test, `sid=${session.token}`, session.csrfToken) };
}

beforeAll(async () => {
  test = await startTestApp();
  await staffMember('admin', 'admin');
  await staffMember('manager', 'manager');
  await staffMember('support', 'supportA');
  await staffMember('support', 'supportB');
  await staffMember('interviewer', 'interviewer');

  for (const person of Object.keys(people) as Person[]) {
    const p = people[person];
    ids[person] = randomUUID();
    await test.db.insert(customers).values({ id: ids[person], name: p.name, email: p.email, phone: p.phone, externalId: p.externalId, postalAddress: p.address, consents: { phone: ['survey'], email: ['survey'] } });
    // A remark staff recorded with a change of consent: words about the customer.
    await test.db.insert(consentChanges).values({ customerId: ids[person], fact: 'email.survey', oldValue: false, newValue: true, source: 'staff', note: p.words.find((word) => word.endsWith('CONSENT-NOTE'))! });
  }

  // Cases: Mingyu's is support agent A's, Otto's is agent B's; each with the customer's words and a note.
  for (const [person, assignee] of [['mingyu', staff.supportA.id], ['otto', staff.supportB.id]] as const) {
    const p = people[person];
    const id = randomUUID();
    const number = 700_000 + Math.floor(Math.random() * 99_999);
    await test.db.insert(complaintCases).values({
      id,
      number,
      reference: `C-2026-${number}`,
      status: 'in_progress',
      source: 'agent',
      channel: 'phone',
      category: 'delivery',
      description: p.words[0]!,
      desiredOutcome: `${p.words[0]} refund`,
      locale: 'en',
      customerId: ids[person],
      contactName: p.name,
      contactEmail: p.email,
      contactPhone: p.phone,
      assigneeId: assignee,
      statusToken: randomBytes(18).toString('base64url'),
      replyToken: randomBytes(18).toString('base64url'),
    });
    await test.db.insert(complaintEvents).values([
      { caseId: id, type: 'opened', actor: 'staff', after: { description: p.words[0], contactEmail: p.email } },
      { caseId: id, type: 'note', actor: 'staff', body: p.words[1] },
    ]);
    caseIds[person] = id;
  }

  // A survey with an open question and a choice with "Other", answered by each customer and by someone unknown.
  const definition: SurveyDefinition = {
    kind: 'satisfaction',
    title: { 'zh-CN': '回访', en: 'Follow-up' },
    questions: [
      { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐吗？', en: 'Recommend?' } },
      { id: 'why', type: 'text', required: false, title: { 'zh-CN': '为什么？', en: 'Why?' } },
      {
        id: 'liked',
        type: 'multiple_choice',
        required: false,
        allowOther: true,
        title: { 'zh-CN': '喜欢什么？', en: 'What did you like?' },
        options: [{ id: 'speed', label: { 'zh-CN': '速度', en: 'Speed' } }],
      },
    ],
  } as SurveyDefinition;
  surveyId = randomUUID();
  const versionId = randomUUID();
  await test.db.insert(surveys).values({ id: surveyId, slug: `masking-${surveyId.slice(0, 8)}`, kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: versionId });
  await test.db.insert(surveyVersions).values({ id: versionId, surveyId, version: 1, definition });
  const answered = [
    ...(Object.keys(people) as Person[]).map((person) => ({ customerId: ids[person] as string | null, why: people[person].words.find((word) => word.endsWith('OPEN-TEXT'))!, other: people[person].words.find((word) => word.endsWith('OTHER-TEXT'))!, link: people[person].words.find((word) => word.endsWith('LINK-VALUE'))! })),
    { customerId: null, why: anonymousText, other: anonymousText, link: anonymousText },
  ];
  let at = Date.now() - 60_000;
  for (const answer of answered) {
    const id = randomUUID();
    responseIds.push(id);
    await test.db.insert(responses).values({
      id,
      surveyId,
      versionId,
      channel: 'web',
      locale: 'en',
      answers: { nps: 8, why: answer.why, liked: { selected: ['speed'], other: answer.other } } as never,
      submittedAt: at++,
      customerId: answer.customerId,
      hiddenFields: { order: answer.link },
    });
  }
  await catchUpAggregates(test.db);
  await catchUpExplorer(test.db);

  // Carla is on the interviewer's call list, claimed by them now.
  const campaignId = randomUUID();
  phoneCampaignId = campaignId;
  await test.db.insert(campaigns).values({ id: campaignId, name: 'Phone round', surveyId, versionId, delivery: 'phone', status: 'running', audience: {} });
  await test.db.insert(campaignInvitations).values({
    id: randomUUID(),
    campaignId,
    customerId: ids.carla,
    dedupeKey: `${campaignId}:${ids.carla}`,
    delivery: 'phone',
    token: randomUUID(),
    locale: 'en',
    claimedBy: staff.interviewer.id,
    claimedUntil: Date.now() + 3_600_000,
  });

  // A follow-up call for Otto, agent B's; a mail to Otto in the Outbox.
  await test.db.insert(followUps).values({ dedupeKey: `vip:${ids.otto}:p`, customerId: ids.otto, kind: 'vip', channel: 'phone', assigneeId: staff.supportB.id, status: 'open', dueAt: Date.now(), note: 'OTTO-FOLLOWUP-NOTE', id: randomUUID() });
  messageId = randomUUID();
  await test.db.insert(outgoingMessages).values({ id: messageId, toAddress: people.otto.email, subject: 'Your order', text: 'OTTO-MAIL-BODY', status: 'held', customerId: ids.otto, purpose: 'survey' });
});

afterAll(() => test?.close());

/** Every GET route that returns customer data, with the ids filled in. */
function routes(): string[] {
  const perCustomer = (Object.keys(people) as Person[]).flatMap((person) => [
    `/api/customers/${ids[person]}`,
    `/api/customers/${ids[person]}/timeline`,
    `/api/customers/${ids[person]}/consent-history`,
    `/api/customers/${ids[person]}/responses`,
    `/api/customers/${ids[person]}/purchases`,
    `/api/surveys/${surveyId}/explorer/options?customer=${ids[person]}`,
    `/api/customers?q=${encodeURIComponent(people[person].phone)}`,
    `/api/customers?q=${encodeURIComponent(people[person].externalId)}`,
  ]);
  return [
    '/api/customers',
    '/api/customers?pageSize=100',
    ...perCustomer,
    `/api/surveys/${surveyId}/responses`,
    `/api/surveys/${surveyId}/responses.csv`,
    `/api/surveys/${surveyId}/explorer/responses`,
    `/api/surveys/${surveyId}/explorer/responses?channel=web`,
    `/api/surveys/${surveyId}/explorer/summary`,
    ...responseIds.map((id) => `/api/responses/${id}`),
    ...['all', 'mine', 'unassigned'].map((queue) => `/api/complaints/cases?queue=${queue}`),
    ...Object.values(caseIds).map((id) => `/api/complaints/cases/${id}`),
    ...['mine', 'calls', 'all'].map((view) => `/api/follow-ups?view=${view}&status=all`),
    '/api/outbox',
    `/api/outbox/${messageId}`,
    '/api/calls',
    `/api/campaigns/${phoneCampaignId}/invitations`,
  ];
}

/** What each role may see in full: everything for admins and managers; the customers of their work for the others. */
const allowed: Record<keyof typeof staff, Person[]> = {
  admin: ['mingyu', 'otto', 'carla'],
  manager: ['mingyu', 'otto', 'carla'],
  supportA: ['mingyu'],
  supportB: ['otto'],
  interviewer: ['carla'],
};

/** A case's version and assignee as they are now, as a client would have read them. */
async function caseNow(id: string) {
  const [row] = await test.db.select({ version: complaintCases.version, assigneeId: complaintCases.assigneeId }).from(complaintCases).where(eq(complaintCases.id, id));
  return row!;
}

/** The tokens of the customer's status page and reply address of the two cases, as they are now. */
async function caseTokens() {
  const rows = await test.db.select({ status: complaintCases.statusToken, reply: complaintCases.replyToken }).from(complaintCases).where(inArray(complaintCases.id, Object.values(caseIds)));
  return rows.flatMap((row) => [row.status, row.reply]);
}

/**
 * The changes to a case that answer with the case, each leaving it as it was: a PATCH that changes nothing,
 * waiting on the customer and resuming, assigning it to the one it is assigned to, a new status page link.
 */
function writes(): { route: string; method: string; path: string; body: () => Promise<unknown> }[] {
  return Object.values(caseIds).flatMap((id) => [
    { route: `PATCH /api/complaints/cases/${id}`, method: 'PATCH', path: `/api/complaints/cases/${id}`, body: async () => ({ version: (await caseNow(id)).version }) },
    ...(['wait', 'resume'] as const).map((action) => ({
      route: `POST /api/complaints/cases/${id}/transitions ${action}`,
      method: 'POST',
      path: `/api/complaints/cases/${id}/transitions`,
      body: async () => ({ action, version: (await caseNow(id)).version }),
    })),
    {
      route: `POST /api/complaints/cases/${id}/assign`,
      method: 'POST',
      path: `/api/complaints/cases/${id}/assign`,
      body: async () => {
        const now = await caseNow(id);
        return { assigneeId: now.assigneeId, version: now.version };
      },
    },
    { route: `POST /api/complaints/cases/${id}/status-link`, method: 'POST', path: `/api/complaints/cases/${id}/status-link`, body: async () => ({ version: (await caseNow(id)).version }) },
  ]);
}

/**
 * Whether a role is answered (200) on a GET route; otherwise it gets 403 or 404. Admins and managers read them
 * all; support agents all but a customer's answers, the list of everyone's follow-ups, the Outbox, a campaign's
 * invitations and the call screen; interviewers only the queues (of the cases they logged) and their calls.
 */
function readableBy(who: keyof typeof staff, route: string): boolean {
  if (who === 'admin' || who === 'manager') return true;
  if (who === 'interviewer') return route.startsWith('/api/complaints/cases?') || route === '/api/calls';
  const notSupport = [/^\/api\/customers\/[^/]+\/responses$/, /^\/api\/follow-ups\?view=all/, /^\/api\/outbox/, /\/invitations$/, /^\/api\/calls$/];
  return !notSupport.some((pattern) => pattern.test(route));
}
const answeredBy = (who: keyof typeof staff): string[] => routes().filter((route) => readableBy(who, route));

describe('role masking', () => {
  it.each(Object.keys(allowed) as (keyof typeof staff)[])('lets %s see no personal data outside its work on any route', async (who) => {
    const forbidden = (Object.keys(people) as Person[]).filter((person) => !allowed[who].includes(person)).flatMap(secretsOf);
    if (who !== 'admin' && who !== 'manager') forbidden.push(anonymousText);
    const leaks: string[] = [];
    const answered: string[] = [];
    for (const route of routes()) {
      const response = await staff[who].client.request('GET', route);
      expect([200, 403, 404], `${who} ${route}`).toContain(response.status);
      if (response.status === 200) answered.push(route);
      const body = await response.text();
      for (const secret of forbidden) if (body.includes(secret)) leaks.push(`${route} → ${secret}`);
    }
    // The changes that answer with the case: admins, managers and support agents make them on any case.
    for (const write of writes()) {
      const response = await staff[who].client.request(write.method, write.path, await write.body());
      expect(response.status, `${who} ${write.route}`).toBe(who === 'interviewer' ? 403 : 200);
      const body = await response.text();
      for (const secret of forbidden) if (body.includes(secret)) leaks.push(`${write.route} → ${secret}`);
      // The tokens of the customer's status page and reply address stay with the customer.
      for (const token of await caseTokens()) if (body.includes(token)) leaks.push(`${write.route} → a case token`);
    }
    expect(leaks, `${who} read`).toEqual([]);
    expect(answered).toEqual(answeredBy(who));
  });

  it('shows each role its own work in full, and the rest masked', async () => {
    const page = async (who: keyof typeof staff, route: string) => {
      const response = await staff[who].client.request('GET', route);
      expect(response.status, `${who} ${route}`).toBe(200);
      return response.json();
    };
    expect((await page('manager', `/api/customers/${ids.otto}`)).customer.email).toBe(people.otto.email);
    expect((await page('supportA', `/api/customers/${ids.mingyu}`)).customer).toMatchObject({ email: people.mingyu.email, phone: people.mingyu.phone, name: people.mingyu.name });
    expect((await page('supportA', `/api/customers/${ids.otto}`)).customer).toMatchObject({ email: 'o***@example.com', phone: '137****4444', name: 'O**', postalAddress: 'OTT***' });
    const mine = await page('supportA', `/api/complaints/cases/${caseIds.mingyu}`);
    expect(mine.case.description).toBe('MINGYU-CASE-WORDS');
    expect(mine.events.map((event: { body: string | null }) => event.body)).toContain('MINGYU-NOTE-WORDS');
    const theirs = await page('supportA', `/api/complaints/cases/${caseIds.otto}`);
    expect(theirs.case.description).toMatch(/withheld/);
    expect(theirs.case.contactEmail).toBe('o***@example.com');
    const explored = await page('supportA', `/api/surveys/${surveyId}/explorer/responses`);
    const byCustomer = new Map(explored.responses.map((row: { customer: { id: string } | null; answers: Record<string, unknown> }) => [row.customer?.id ?? null, row.answers]));
    expect(byCustomer.get(ids.mingyu)).toMatchObject({ why: 'MINGYU-OPEN-TEXT', nps: 8 });
    expect(byCustomer.get(ids.otto)).toMatchObject({ why: expect.stringMatching(/withheld/), nps: 8, liked: { selected: ['speed'] } });
    // An unassigned open case is every agent's queue: its customer is theirs to see.
    await test.db.insert(complaintCases).values({
      id: randomUUID(),
      number: 799_999,
      reference: 'C-2026-799999',
      status: 'new',
      source: 'agent',
      channel: 'phone',
      category: 'delivery',
      description: 'waiting',
      locale: 'en',
      customerId: ids.carla,
      statusToken: randomBytes(18).toString('base64url'),
      replyToken: randomBytes(18).toString('base64url'),
    });
    expect((await page('supportB', `/api/customers/${ids.carla}`)).customer.email).toBe(people.carla.email);
  });
});

describe('the access log', () => {
  it('is written behind the reads, without anyone reading the log', async () => {
    const customerId = randomUUID();
    await test.db.insert(customers).values({ id: customerId, name: 'Batch Reader', email: 'batch.reader@example.com' });
    const before = await test.db.select().from(staffReads).where(eq(staffReads.customerId, customerId));
    expect(before).toEqual([]);
    expect((await staff.manager.client.request('GET', `/api/customers/${customerId}`)).status).toBe(200);
    const written = await waitFor('the read to be written', async () => {
      const rows = await test.db.select().from(staffReads).where(eq(staffReads.customerId, customerId));
      return rows.length > 0 && rows;
    });
    expect(written).toEqual([expect.objectContaining({ staffId: staff.manager.id, route: 'GET /customers/:id', fields: 'name,contactName,email,phone,postalAddress,externalId' })]);
    // The walk above had the manager list the phone campaign's invitations, with Carla's name.
    const listed = await test.db.select().from(staffReads).where(eq(staffReads.customerId, ids.carla));
    expect(listed).toContainEqual(expect.objectContaining({ staffId: staff.manager.id, route: 'GET /campaigns/:id/invitations', fields: 'name' }));
  });

  it('records who read which customer on which route, for admins only, filtered and paged', async () => {
    expect((await staff.supportA.client.request('GET', `/api/customers/${ids.mingyu}`)).status).toBe(200);
    expect((await staff.supportA.client.request('GET', `/api/customers/${ids.otto}`)).status).toBe(200);
    for (const who of ['manager', 'supportA', 'interviewer'] as const) {
      expect((await staff[who].client.request('GET', '/api/privacy/access-log')).status).toBe(403);
    }
    const read = async (query: string) => {
      const response = await staff.admin.client.request('GET', `/api/privacy/access-log?${query}`);
      expect(response.status, query).toBe(200);
      return response.json() as Promise<{ reads: { staffId: string; customerId: string; customerName: string; route: string; fields: string[]; at: string }[]; nextBefore: string | null }>;
    };
    const agentA = await read(`staffId=${staff.supportA.id}&limit=200`);
    expect(agentA.reads.length).toBeGreaterThan(0);
    expect(agentA.reads.every((entry) => entry.staffId === staff.supportA.id)).toBe(true);
    expect(agentA.reads).toContainEqual(expect.objectContaining({ customerId: ids.mingyu, route: 'GET /customers/:id', fields: expect.arrayContaining(['email', 'phone']) }));
    // The remarks on a change of consent, shown in full on a customer of theirs.
    expect(agentA.reads).toContainEqual(expect.objectContaining({ customerId: ids.mingyu, route: 'GET /customers/:id/consent-history', fields: ['consentNote'] }));
    // A change to a case of theirs answered with the case in full: a read too.
    for (const route of ['PATCH /complaints/cases/:id', 'POST /complaints/cases/:id/transitions', 'POST /complaints/cases/:id/assign', 'POST /complaints/cases/:id/status-link']) {
      expect(agentA.reads).toContainEqual(expect.objectContaining({ customerId: ids.mingyu, route, fields: expect.arrayContaining(['contactEmail', 'description']) }));
    }
    // What agent A saw masked was not read.
    expect(agentA.reads.filter((entry) => entry.customerId === ids.otto)).toEqual([]);

    // An export holds everything about the customer: the manager who took one read it all.
    expect((await staff.manager.client.request('GET', `/api/customers/${ids.otto}/export`)).status).toBe(200);
    expect((await staff.manager.client.request('GET', `/api/customers/${ids.otto}/export?format=zip`)).status).toBe(200);
    const exports = await read(`customerId=${ids.otto}&staffId=${staff.manager.id}&limit=200`);
    expect(exports.reads.filter((entry) => entry.route === 'GET /customers/:id/export').map((entry) => entry.fields)).toEqual([['export'], ['export']]);

    const otto = await read(`customerId=${ids.otto}&limit=200`);
    expect(new Set(otto.reads.map((entry) => entry.customerId))).toEqual(new Set([ids.otto]));
    expect(otto.reads.map((entry) => entry.route)).toEqual(expect.arrayContaining(['GET /outbox/:id', 'GET /complaints/cases/:id']));

    // Paged newest first by keyset: two pages of one share nothing and follow each other.
    const first = await read(`customerId=${ids.otto}&limit=1`);
    expect(first.nextBefore).not.toBeNull();
    const second = await read(`customerId=${ids.otto}&limit=1&before=${first.nextBefore}`);
    expect(second.reads[0]!.at <= first.reads[0]!.at).toBe(true);
    expect(JSON.stringify(second.reads[0])).not.toBe(JSON.stringify(first.reads[0]));

    const future = await read(`from=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.reads).toEqual([]);
    const bad = await staff.admin.client.request('GET', '/api/privacy/access-log?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/2026-12-06/);
  });

  /** Makes the database refuse to record reads of one customer, until `allow`. */
  const refuse = (customerId: string) =>
    test.db.run(sql.raw(`CREATE TRIGGER IF NOT EXISTS refuse_read BEFORE INSERT ON staff_reads WHEN NEW.customer_id = '${customerId}' BEGIN SELECT RAISE(ABORT, 'refused'); END`));
  const allow = () => test.db.run(sql.raw('DROP TRIGGER IF EXISTS refuse_read'));
  const countOf = async (customerId: string) => (await test.db.select().from(staffReads).where(eq(staffReads.customerId, customerId))).length;

  it('tries a failed write again by itself', async () => {
    const refused = randomUUID();
    await test.db.insert(customers).values({ id: refused, name: 'Refused Reader', email: 'refused.reader@example.com' });
    await refuse(refused);
    expect((await staff.manager.client.request('GET', `/api/customers/${refused}`)).status).toBe(200);
    await flushReads(test.db);
    expect(await countOf(refused)).toBe(0);
    // Once the database takes it again, the read is written with no further read or flush.
    await allow();
    await waitFor('the read to be written again', async () => (await countOf(refused)) === 1);
  });

  it('writes a batch longer than one statement whole or not at all', async () => {
    // More reads than one statement holds (5,000 rows of six columns), the last refused: none is written, and
    // all of them are once it is taken.
    const many = Array.from({ length: 5000 }, () => randomUUID());
    const refused = randomUUID();
    const reader = new Hono<AppEnv>()
      .use(async (c, next) => {
        c.set('db', test.db);
        c.set('user', { id: staff.manager.id, name: 'manager', role: 'manager' } as NonNullable<AppEnv['Variables']['user']>);
        await next();
      })
      .get('/many', (c) => {
        recordReads(c, [...many, refused], ['name']);
        return c.text('read');
      });
    await refuse(refused);
    expect((await reader.request('/many')).status).toBe(200);
    await flushReads(test.db);
    expect(await countOf(many[0]!)).toBe(0);
    await allow();
    await flushReads(test.db);
    expect((await test.db.select().from(staffReads).where(eq(staffReads.route, 'GET /many'))).length).toBe(5001);
  });
});
