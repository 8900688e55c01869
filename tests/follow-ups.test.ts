// Follow-ups after purchases, for VIP and at-risk customers, over a real database and a real SMTP server: the
// thank-you email in the customer's language, skips with their reasons (consent withdrawn between planning and
// sending among them), phone tasks worked with the contact rule asked again, owners' lists, every route per role,
// and deactivating an account owner after moving their customers.
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, type Role } from '../server/accounts/service.ts';
import { customerLoyalty, customers, followUps, jobs, loyaltyChanges, outgoingMessages, purchases, users } from '../server/db/schema.ts';
import { startWorker, type Worker } from '../server/jobs/queue.ts';
import { dayMs } from '../server/loyalty/follow-up-rules.ts';
import { planFollowUps } from '../server/loyalty/follow-ups.ts';
import { readLoyaltySettings, saveLoyaltySettings } from '../server/loyalty/settings.ts';
import { createMailer, mailSendKind, type Mailer } from '../server/mail/mailer.ts';
import { signedInAs, StaffClient, startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from './support/smtp.ts';

let test: TestApp;
let smtp: TestSmtp;
let mailer: Mailer;
let worker: Worker;
let manager: StaffClient;
let support: StaffClient;

beforeAll(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
  manager = await signedInAs(test, 'manager');
  support = await signedInAs(test, 'support');
});
afterAll(async () => {
  await worker?.stop();
  mailer?.close();
  await smtp?.close();
  test?.close();
});

type NewCustomer = typeof customers.$inferInsert;
async function addCustomer(id: string, change: Partial<NewCustomer> = {}) {
  await test.db.insert(customers).values({
    id,
    name: `Customer ${id}`,
    email: `${id}@example.org`,
    phone: '+86 138 0000 0000',
    locale: 'en',
    consents: { email: ['follow_up'] },
    ...change,
  });
}

let orders = 0;
async function buy(customerId: string, daysAgo: number, change: Partial<typeof purchases.$inferInsert> = {}) {
  const orderId = `ORD-${++orders}`;
  await test.db.insert(purchases).values({
    customerId,
    orderId,
    occurredAt: Date.now() - daysAgo * dayMs,
    amountMinor: 12_345,
    currency: 'CNY',
    source: 'api',
    ...change,
  });
  return orderId;
}

/** A session for a staff member already on record. */
async function clientFor(userId: string) {
  const session = await createSession(test.db, userId);
  return new StaffClient(test, `sid=${session.token}`, session.csrfToken);
}

async function staffUser(id: string, name: string, role: Role, active = true) {
  await test.db.insert(users).values({ id, email: `${id}@example.com`, name, role, passwordHash: 'x', active });
}

/** A single-part text message's body, decoded from base64 or quoted-printable. */
function textOf(mail: ReceivedMail): string {
  const body = mail.raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  const encoding = mail.headers['content-transfer-encoding']?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}
const subjectOf = (mail: ReceivedMail) =>
  (mail.headers.subject ?? '')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_match, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
    );

interface Listed {
  id: string;
  kind: string;
  channel: string | null;
  state: string;
  skipReason: string | null;
  contactNow: { ok: boolean; reason?: string } | null;
  assignee: { id: string; name: string } | null;
  customer: { id: string; phone: string | null } | null;
  purchase: { orderId: string } | null;
  outcome: string | null;
  attempts: number;
  reasons: string[];
}

async function list(client: StaffClient, query: string): Promise<Listed[]> {
  const answer = await client.request('GET', `/api/follow-ups?${query}&limit=200`);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { followUps: Listed[] }).followUps;
}
const ofCustomer = (rows: Listed[], id: string) => rows.filter((row) => row.customer?.id === id);

describe('thank-you after a purchase', () => {
  it('emails it in the customer’s language through the Outbox, makes a phone task, and shows every skip with its reason', async () => {
    await addCustomer('ty-en');
    await addCustomer('ty-zh', { locale: 'zh-CN', name: '王芳' });
    await addCustomer('ty-phone', { preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
    await addCustomer('ty-dnc', { doNotContact: true });
    await addCustomer('ty-survey-only', { preferredChannel: 'email', consents: { email: ['survey'] } });
    await addCustomer('ty-withdrawn');
    await addCustomer('ty-twice');
    await addCustomer('ty-invited');
    await addCustomer('ty-none', { email: null, phone: null, consents: {} });
    const enOrder = await buy('ty-en', 4);
    const zhOrder = await buy('ty-zh', 5);
    await buy('ty-phone', 3.5);
    await buy('ty-dnc', 4);
    await buy('ty-survey-only', 4);
    await buy('ty-withdrawn', 4);
    await buy('ty-twice', 6);
    await buy('ty-twice', 4);
    await buy('ty-invited', 4);
    await buy('ty-none', 4);
    // Not due: too recent, too old, a refund.
    await buy('ty-en', 1);
    await buy('ty-en', 9);
    await buy('ty-en', 4, { amountMinor: -12_345, refundOf: enOrder });
    // Followed up last week: the contact rule's days between contacts hold the thank-you back.
    await test.db.insert(followUps).values({
      id: 'earlier-vip',
      dedupeKey: 'vip:ty-invited:earlier',
      customerId: 'ty-invited',
      kind: 'vip',
      channel: 'email',
      status: 'done',
      dueAt: Date.now() - 5 * dayMs,
      createdAt: Date.now() - 5 * dayMs,
    });

    const first = await planFollowUps(test.db, { now: Date.now() });
    // Emailed: en, zh, withdrawn, the first of ty-twice; a task: ty-phone. Skipped: dnc, survey-only, the second of ty-twice, invited, none.
    expect(first).toEqual({ planned: 5, skipped: 5 });
    // The plan again makes nothing more: each follow-up is made once.
    expect(await planFollowUps(test.db, { now: Date.now() })).toEqual({ planned: 0, skipped: 0 });

    // Consent withdrawn between planning and sending.
    await test.db.update(customers).set({ consents: {} }).where(eq(customers.id, 'ty-withdrawn'));

    mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Service <service@example.com>', perSecond: 100 });
    worker = startWorker({ db: test.db, handlers: mailer.handlers, processId: 'follow-ups-test', pollMs: 20 });
    await waitFor('every thank-you to be sent or skipped', async () => {
      const messages = await test.db.select({ status: outgoingMessages.status }).from(outgoingMessages);
      return messages.length === 4 && messages.every((message) => message.status === 'sent' || message.status === 'skipped');
    });
    // Once every send job is finished nothing more can arrive: count then, so a message sent twice would show.
    await waitFor('every send job to finish', async () => {
      const open = await test.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.kind, mailSendKind), inArray(jobs.status, ['pending', 'running'])));
      return open.length === 0;
    });

    const to = (id: string) => smtp.received.filter((mail) => mail.to.includes(`${id}@example.org`));
    expect(to('ty-en')).toHaveLength(1);
    expect(subjectOf(to('ty-en')[0]!)).toBe('Thank you for your purchase');
    expect(textOf(to('ty-en')[0]!)).toContain(`Thank you for your order ${enOrder}`);
    expect(textOf(to('ty-en')[0]!)).toContain('Dear Customer ty-en,');
    expect(to('ty-zh')).toHaveLength(1);
    expect(subjectOf(to('ty-zh')[0]!)).toBe('感谢您的惠顾');
    expect(textOf(to('ty-zh')[0]!)).toContain(`尊敬的王芳：`);
    expect(textOf(to('ty-zh')[0]!)).toContain(`订单 ${zhOrder}`);
    expect(to('ty-twice')).toHaveLength(1);
    for (const id of ['ty-withdrawn', 'ty-dnc', 'ty-survey-only', 'ty-invited', 'ty-phone']) expect(to(id)).toHaveLength(0);

    const all = await list(manager, 'view=all&status=all&kind=thank_you');
    const one = (id: string) => ofCustomer(all, id);
    expect(one('ty-en')).toMatchObject([{ channel: 'email', state: 'sent', purchase: { orderId: enOrder } }]);
    expect(one('ty-withdrawn')).toMatchObject([{ channel: 'email', state: 'skipped', skipReason: 'no_consent' }]);
    expect(one('ty-dnc')).toMatchObject([{ state: 'skipped', skipReason: 'do_not_contact' }]);
    expect(one('ty-survey-only')).toMatchObject([{ state: 'skipped', skipReason: 'no_consent' }]);
    expect(one('ty-invited')).toMatchObject([{ state: 'skipped', skipReason: 'contacted_recently' }]);
    expect(one('ty-none')).toMatchObject([{ state: 'skipped', skipReason: 'no_channel' }]);
    expect(one('ty-twice').map((row) => row.state).sort()).toEqual(['sent', 'skipped']);
    expect(one('ty-twice').find((row) => row.state === 'skipped')).toMatchObject({ skipReason: 'contacted_recently' });
    expect(one('ty-phone')).toMatchObject([{ channel: 'phone', state: 'open', assignee: null, contactNow: { ok: true } }]);

    // The skipped list holds the email the Outbox skipped, with the reason it gave.
    const skipped = await list(manager, 'view=all&status=skipped');
    expect(ofCustomer(skipped, 'ty-withdrawn')).toMatchObject([{ skipReason: 'no_consent' }]);
    expect(ofCustomer(skipped, 'ty-en')).toEqual([]);

    // A support agent finds the phone task on the calls to make.
    const calls = await list(support, 'view=calls&status=open');
    expect(ofCustomer(calls, 'ty-phone')).toHaveLength(1);
  });

  it('makes no thank-you when they are switched off', async () => {
    const settings = await readLoyaltySettings(test.db);
    await saveLoyaltySettings(test.db, { ...settings, followUp: { ...settings.followUp, thankYouEnabled: false } }, 'test');
    await addCustomer('ty-off');
    await buy('ty-off', 4);
    await planFollowUps(test.db, { now: Date.now() });
    expect(await test.db.select().from(followUps).where(eq(followUps.customerId, 'ty-off'))).toEqual([]);
    await saveLoyaltySettings(test.db, settings, 'test');
  });
});

describe('working a phone task', () => {
  it('records each try, keeps the task open after no answer, and closes it with the outcome', async () => {
    await addCustomer('call-ok', { preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
    await buy('call-ok', 4);
    await planFollowUps(test.db, { now: Date.now() });
    const [task] = ofCustomer(await list(support, 'view=calls&status=open'), 'call-ok');
    expect(task).toMatchObject({ kind: 'thank_you', channel: 'phone', customer: { phone: '+86 138 0000 0000' } });

    const first = await support.request('POST', `/api/follow-ups/${task!.id}/outcome`, { outcome: 'no_answer' });
    expect(first.status).toBe(200);
    expect((await first.json()).followUp).toMatchObject({ state: 'open', attempts: 1, outcome: 'no_answer' });
    const second = await support.request('POST', `/api/follow-ups/${task!.id}/outcome`, { outcome: 'reached', note: 'Happy with the order.' });
    expect((await second.json()).followUp).toMatchObject({ state: 'done', attempts: 2, outcome: 'reached', note: 'Happy with the order.' });
    const again = await support.request('POST', `/api/follow-ups/${task!.id}/outcome`, { outcome: 'reached' });
    expect(again.status).toBe(409);

    const bad = await support.request('POST', `/api/follow-ups/${task!.id}/outcome`, { outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/reached, left_message, no_answer, wrong_number or refused/);
  });

  it('refuses the call and closes the task as skipped when the customer may no longer be called', async () => {
    await addCustomer('call-dnc', { preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
    await buy('call-dnc', 4);
    await planFollowUps(test.db, { now: Date.now() });
    await test.db.update(customers).set({ doNotCall: true }).where(eq(customers.id, 'call-dnc'));
    const [task] = ofCustomer(await list(support, 'view=calls&status=open'), 'call-dnc');
    // The list warns before anyone calls.
    expect(task!.contactNow).toEqual({ ok: false, reason: 'do_not_call' });
    const refused = await support.request('POST', `/api/follow-ups/${task!.id}/outcome`, { outcome: 'reached' });
    expect(refused.status).toBe(409);
    const body = await refused.json();
    expect(body).toMatchObject({ skipReason: 'do_not_call' });
    expect(body.error).toMatch(/asked not to be called/);
    expect(ofCustomer(await list(support, 'view=calls&status=skipped'), 'call-dnc')).toMatchObject([{ state: 'skipped', skipReason: 'do_not_call' }]);
  });
});

describe('VIP and at-risk customers', () => {
  it('gives the owner their VIP and at-risk customers’ tasks, the team the rest, once per period or time at risk', async () => {
    await staffUser('owner-lin', 'Lin Tao', 'support');
    await staffUser('owner-gone', 'Gone Away', 'support', false);
    await addCustomer('vip-owned', { tier: 'vip', ownerId: 'owner-lin', preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
    await addCustomer('vip-free', { tier: 'vip', preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
    await addCustomer('vip-old-owner', { tier: 'vip', ownerId: 'owner-gone', consents: { email: ['follow_up'] } });
    await addCustomer('risk-owned', { ownerId: 'owner-lin' });
    await addCustomer('risk-free');
    await addCustomer('risk-dnc', { ownerId: 'owner-lin', doNotContact: true });
    const flaggedAt = Date.now() - dayMs;
    for (const id of ['risk-owned', 'risk-free', 'risk-dnc']) {
      await test.db.insert(customerLoyalty).values({ customerId: id, stage: 'regular', atRisk: true, atRiskReasons: ['falling_frequency'], computedAt: flaggedAt });
      await test.db.insert(loyaltyChanges).values({ customerId: id, at: flaggedAt, field: 'at_risk', before: 'false', after: 'true', cause: 'recompute', reasons: ['falling_frequency'] });
    }
    await planFollowUps(test.db, { now: Date.now() });
    expect(await planFollowUps(test.db, { now: Date.now() })).toEqual({ planned: 0, skipped: 0 });

    const lin = await clientFor('owner-lin');
    // The owner finds their own customers' tasks in their list.
    expect(ofCustomer(await list(lin, 'view=mine&status=all'), 'vip-owned')).toHaveLength(1);
    expect(ofCustomer(await list(lin, 'view=mine&status=all'), 'risk-dnc')).toMatchObject([{ skipReason: 'do_not_contact' }]);
    const all = await list(manager, 'view=all&status=all');
    expect(ofCustomer(all, 'vip-owned')).toMatchObject([{ kind: 'vip', channel: 'phone', state: 'open', assignee: { id: 'owner-lin', name: 'Lin Tao' } }]);
    expect(ofCustomer(all, 'vip-free')).toMatchObject([{ kind: 'vip', assignee: null }]);
    // An owner who left is no owner: the task goes to the team.
    expect(ofCustomer(all, 'vip-old-owner')).toMatchObject([{ kind: 'vip', channel: 'email', state: 'open', assignee: null }]);
    expect(ofCustomer(all, 'risk-owned')).toMatchObject([{ kind: 'at_risk', state: 'open', assignee: { id: 'owner-lin' }, reasons: ['falling_frequency'] }]);
    expect(ofCustomer(all, 'risk-free')).toMatchObject([{ kind: 'at_risk', state: 'open', assignee: null }]);
    expect(ofCustomer(all, 'risk-dnc')).toMatchObject([{ kind: 'at_risk', state: 'skipped', skipReason: 'do_not_contact', assignee: { id: 'owner-lin' } }]);

    // The managers see the unowned at-risk customer; a support agent sees the VIP call without an owner, not the at-risk one.
    expect(ofCustomer(await list(manager, 'view=team&status=open'), 'risk-free')).toHaveLength(1);
    expect(ofCustomer(await list(lin, 'view=calls&status=open'), 'vip-free')).toHaveLength(1);
    expect(ofCustomer(await list(lin, 'view=calls&status=open'), 'risk-free')).toHaveLength(0);
    const [teamTask] = ofCustomer(all, 'risk-free');
    expect((await lin.request('POST', `/api/follow-ups/${teamTask!.id}/outcome`, { outcome: 'reached' })).status).toBe(403);
    const [owned] = ofCustomer(all, 'risk-owned');
    expect((await support.request('POST', `/api/follow-ups/${owned!.id}/outcome`, { outcome: 'reached' })).status).toBe(403);
    expect((await lin.request('POST', `/api/follow-ups/${owned!.id}/outcome`, { outcome: 'reached' })).status).toBe(200);

    // Flagged at risk again later: a new task.
    await test.db.insert(loyaltyChanges).values({ customerId: 'risk-free', at: Date.now(), field: 'at_risk', before: 'false', after: 'true', cause: 'purchase', reasons: [] });
    expect(await planFollowUps(test.db, { now: Date.now() })).toEqual({ planned: 1, skipped: 0 });
  });
});

describe('account owners', () => {
  it('refuses to deactivate an owner until their customers move, then moves them in turn with their open tasks', async () => {
    const admin = await signedInAs(test, 'admin');
    await staffUser('owner-leaving', 'Qian Li', 'support');
    await staffUser('owner-a', 'Ann A', 'support');
    await staffUser('owner-b', 'Bo B', 'manager');
    await staffUser('owner-interviewer', 'Ivy I', 'interviewer');
    for (let n = 0; n < 5; n += 1) await addCustomer(`owned-${n}`, { ownerId: 'owner-leaving', tier: n === 0 ? 'vip' : 'ordinary', preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
    await planFollowUps(test.db, { now: Date.now() });
    const [vipTask] = ofCustomer(await list(manager, 'view=all&status=open'), 'owned-0');
    expect(vipTask).toMatchObject({ assignee: { id: 'owner-leaving' } });

    const listed = async () => ((await (await admin.request('GET', '/api/users')).json()).users as { id: string; ownedCustomers: number }[]).find((user) => user.id === 'owner-leaving');
    expect(await listed()).toMatchObject({ ownedCustomers: 5 });
    const refused = await admin.request('PATCH', '/api/users/owner-leaving', { active: false });
    expect(refused.status).toBe(409);
    const body = await refused.json();
    expect(body).toMatchObject({ ownedCustomers: 5, openCases: 0 });
    expect(body.error).toMatch(/Qian Li still has 5 customers as their account owner/);
    expect(body.error).toMatch(/POST \/api\/owners\/reassign/);

    // Not to an interviewer, not to themselves.
    const toInterviewer = await admin.request('POST', '/api/owners/reassign', { fromUserId: 'owner-leaving', toUserIds: ['owner-interviewer'] });
    expect(toInterviewer.status).toBe(400);
    expect((await toInterviewer.json()).error).toMatch(/active support agent, manager or admin/);
    expect((await admin.request('POST', '/api/owners/reassign', { fromUserId: 'owner-leaving', toUserIds: ['owner-leaving'] })).status).toBe(400);
    expect((await admin.request('POST', '/api/owners/reassign', { fromUserId: 'owner-leaving', toUserIds: [] })).status).toBe(400);

    const moved = await admin.request('POST', '/api/owners/reassign', { fromUserId: 'owner-leaving', toUserIds: ['owner-a', 'owner-b'] });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ moved: 5, to: { 'owner-a': 3, 'owner-b': 2 } });
    const owners = await test.db.select({ id: customers.id, ownerId: customers.ownerId }).from(customers).where(eq(customers.ownerId, 'owner-a'));
    expect(owners.map((row) => row.id).sort()).toEqual(['owned-0', 'owned-2', 'owned-4']);
    const [task] = await test.db.select().from(followUps).where(eq(followUps.id, vipTask!.id));
    expect(task!.assigneeId).toBe('owner-a');

    expect((await admin.request('PATCH', '/api/users/owner-leaving', { active: false })).status).toBe(200);
    expect(await listed()).toMatchObject({ ownedCustomers: 0, active: false });
  });

  it('moves them all to one person', async () => {
    const admin = await signedInAs(test, 'admin');
    await staffUser('owner-one', 'One Owner', 'support');
    for (let n = 0; n < 3; n += 1) await addCustomer(`one-${n}`, { ownerId: 'owner-one' });
    const moved = await admin.request('POST', '/api/owners/reassign', { fromUserId: 'owner-one', toUserIds: ['owner-b'] });
    expect(await moved.json()).toEqual({ moved: 3, to: { 'owner-b': 3 } });
  });
});

describe('who may do what', () => {
  type Who = Role | 'nobody';
  const everyone: Who[] = ['admin', 'manager', 'support', 'interviewer', 'nobody'];
  const routes: { name: string; method: string; path: () => Promise<string>; body?: unknown; expect: Record<Who, number> }[] = [
    { name: 'list my follow-ups', method: 'GET', path: async () => '/api/follow-ups', expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
    { name: 'list the calls to make', method: 'GET', path: async () => '/api/follow-ups?view=calls', expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
    { name: "list the managers' tasks", method: 'GET', path: async () => '/api/follow-ups?view=team', expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 } },
    { name: 'list all follow-ups', method: 'GET', path: async () => '/api/follow-ups?view=all', expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 } },
    { name: 'count open follow-ups', method: 'GET', path: async () => '/api/follow-ups/counts', expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
    {
      name: 'record an outcome',
      method: 'POST',
      body: { outcome: 'left_message' },
      path: async () => {
        const id = crypto.randomUUID();
        await addCustomer(`roles-${id}`, { preferredChannel: 'phone', consents: { phone: ['follow_up'] } });
        await test.db.insert(followUps).values({ id, dedupeKey: `test:${id}`, customerId: `roles-${id}`, kind: 'thank_you', channel: 'phone', status: 'open', dueAt: Date.now() });
        return `/api/follow-ups/${id}/outcome`;
      },
      expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
    },
    {
      name: 'move an owner’s customers',
      method: 'POST',
      body: { fromUserId: 'nobody-owns', toUserIds: ['owner-b'] },
      path: async () => '/api/owners/reassign',
      expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 },
    },
  ];

  for (const route of routes) {
    it(`${route.name}: ${everyone.map((who) => `${who} ${route.expect[who]}`).join(', ')}`, async () => {
      for (const who of everyone) {
        const path = await route.path();
        let status: number;
        if (who === 'nobody') {
          status = (await test.app.request(path, { method: route.method, headers: { 'content-type': 'application/json' }, body: route.body === undefined ? undefined : JSON.stringify(route.body) })).status;
        } else {
          const client = await signedInAs(test, who);
          status = (await client.request(route.method, path, route.body)).status;
        }
        expect({ who, status }).toEqual({ who, status: route.expect[who] });
      }
    });
  }
});
