// A customer's "no" wins at the moment of sending: invitations and reminders re-check the customer's current
// consent, do-not-contact and unsubscribes right before the message goes to SMTP, and a skipped message
// stays in the Outbox with its reason. Over a real database and a real SMTP server.
import { eq, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inviteEmailJobKind, inviteOne, remindJobKind } from '../server/campaigns/invitations.ts';
import { launchJobKind } from '../server/campaigns/service.ts';
import { campaignInvitations, customers, jobs, outgoingMessages } from '../server/db/schema.ts';
import type { Worker } from '../server/jobs/queue.ts';
import { createMailer, type Mailer } from '../server/mail/mailer.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { addCustomer, publishedSurvey, startCampaignWorker } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from './support/smtp.ts';

let test: TestApp;
let smtp: TestSmtp;
let manager: StaffClient;
let mailer: Mailer;
let workers: Worker[];

beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
  manager = await signedInAs(test, 'manager');
  mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Survey Team <survey@example.com>', perSecond: 1000 });
  workers = [];
});
afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  mailer.close();
  await smtp.close();
  test.close();
});

/** A worker for the campaign jobs, sending mail too unless told not to. */
function startWorker(options: { sending: boolean }) {
  const worker = startCampaignWorker(test, options.sending ? mailer.handlers : {}, `contact-test-${workers.length}`);
  workers.push(worker);
  return worker;
}

const tokenIn = (mail: ReceivedMail) => mail.raw.replace(/=\r?\n/g, '').match(/\/u\/([0-9A-Z]{16})/)![1]!;
const mailTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));

async function launchEmailCampaign(name: string, reminders?: { afterDays: number; max: number }) {
  const survey = await publishedSurvey(manager);
  const created = await manager.request('POST', '/api/campaigns', {
    name,
    surveyId: survey.id,
    delivery: 'email',
    audience: {},
    settings: reminders ? { reminders } : {},
  });
  const { campaign } = await created.json();
  expect((await manager.request('POST', `/api/campaigns/${campaign.id}/launch`)).status).toBe(202);
  return campaign.id as string;
}

async function jobDone(dedupeKey: string) {
  await waitFor(`job ${dedupeKey} to be done`, async () => (await test.db.select().from(jobs).where(eq(jobs.dedupeKey, dedupeKey)))[0]?.status === 'done');
}

/** Makes a reminder round due now, as if its days had passed, and waits until it ran. */
async function reminderRoundDue(campaignId: string, round: number) {
  const key = `${remindJobKind}:${campaignId}:${round}`;
  await waitFor(`reminder round ${round} to be scheduled`, async () => (await test.db.select().from(jobs).where(eq(jobs.dedupeKey, key))).length === 1);
  await test.db.update(jobs).set({ runAt: 0 }).where(eq(jobs.dedupeKey, key));
  for (const worker of workers) worker.wake();
  await jobDone(key);
}

async function messagesAbout(campaignId: string, kind: 'invitation' | 'reminder') {
  return test.db
    .select()
    .from(outgoingMessages)
    .where(like(outgoingMessages.topic, `campaign:${campaignId}:${kind}:%`));
}

async function settled(campaignId: string, kind: 'invitation' | 'reminder', count: number) {
  return waitFor(`${count} ${kind} messages sent or skipped`, async () => {
    const rows = await messagesAbout(campaignId, kind);
    return rows.length === count && rows.every((row) => row.status === 'sent' || row.status === 'skipped') ? rows : undefined;
  });
}

describe('consent re-checked when a message is sent', () => {
  it('skips the reminder of a customer whose email consent staff removed after launch, with the reason', async () => {
    startWorker({ sending: true });
    const kept = await addCustomer(test, { name: 'Keeps', email: 'keeps@example.com', locale: 'en' });
    const withdrawn = await addCustomer(test, { name: 'Withdraws', email: 'withdraws@example.com', locale: 'en' });
    const barred = await addCustomer(test, { name: 'Barred', email: 'barred@example.com', locale: 'en' });
    const campaignId = await launchEmailCampaign('Spring', { afterDays: 2, max: 1 });
    await settled(campaignId, 'invitation', 3);
    expect(smtp.received).toHaveLength(3);

    // After launch, staff remove one customer's email consent for surveys and mark another do-not-contact.
    await test.db.update(customers).set({ consents: { email: ['marketing'], post: ['survey'] } }).where(eq(customers.id, withdrawn));
    await test.db.update(customers).set({ doNotContact: true }).where(eq(customers.id, barred));
    await reminderRoundDue(campaignId, 1);
    const reminders = await settled(campaignId, 'reminder', 3);

    expect(mailTo('keeps@example.com')).toHaveLength(2);
    expect(mailTo('withdraws@example.com')).toHaveLength(1);
    expect(mailTo('barred@example.com')).toHaveLength(1);
    const byCustomer = new Map(reminders.map((row) => [row.customerId, row]));
    expect(byCustomer.get(kept)).toMatchObject({ status: 'sent', skipReason: null });
    expect(byCustomer.get(withdrawn)).toMatchObject({ status: 'skipped', skipReason: 'no_consent', sentAt: null });
    expect(byCustomer.get(barred)).toMatchObject({ status: 'skipped', skipReason: 'do_not_contact', sentAt: null });

    // The Outbox lists them by status, with the reason, and counts them for the campaign.
    const skipped = await (await manager.request('GET', '/api/outbox?status=skipped')).json();
    expect(skipped.messages.map((row: { toAddress: string; skipReason: string }) => [row.toAddress, row.skipReason]).sort()).toEqual([
      ['barred@example.com', 'do_not_contact'],
      ['withdraws@example.com', 'no_consent'],
    ]);
    const progress = await (await manager.request('GET', `/api/outbox/progress?topic=campaign:${campaignId}:`)).json();
    expect(progress.counts).toMatchObject({ sent: 4, skipped: 2, held: 0 });
    const detail = (await (await manager.request('GET', `/api/campaigns/${campaignId}`)).json()).campaign;
    expect(detail.sending).toMatchObject({ sent: 4, skipped: 2 });
  });

  it('sends no reminder of a newer campaign to a customer who unsubscribed through an older campaign’s link', async () => {
    startWorker({ sending: true });
    const leaver = await addCustomer(test, { name: 'Leaves', email: 'leaves@example.com', locale: 'en' });
    await addCustomer(test, { name: 'Stays', email: 'stays@example.com', locale: 'en' });
    const older = await launchEmailCampaign('Older');
    await settled(older, 'invitation', 2);
    // The older campaign was months ago, so the contact rule lets the newer one invite both again.
    await test.db.update(campaignInvitations).set({ invitedAt: Date.now() - 90 * 24 * 3600_000 }).where(eq(campaignInvitations.campaignId, older));
    const newer = await launchEmailCampaign('Newer', { afterDays: 2, max: 1 });
    await settled(newer, 'invitation', 2);
    expect(mailTo('leaves@example.com')).toHaveLength(2);

    // The customer unsubscribes with the link in the older campaign's email.
    const [olderInvitation] = await test.db
      .select({ token: campaignInvitations.token })
      .from(campaignInvitations)
      .where(eq(campaignInvitations.dedupeKey, `${older}:${leaver}`));
    expect(mailTo('leaves@example.com').map(tokenIn)).toContain(olderInvitation!.token);
    expect((await test.app.request(`/u/${olderInvitation!.token}`, { method: 'POST' })).status).toBe(200);

    await reminderRoundDue(newer, 1);
    const reminders = await settled(newer, 'reminder', 2);
    expect(mailTo('leaves@example.com')).toHaveLength(2);
    expect(mailTo('stays@example.com')).toHaveLength(3);
    expect(reminders.find((row) => row.customerId === leaver)).toMatchObject({ status: 'skipped', skipReason: 'unsubscribed' });
  });

  it('skips an invitation queued but not yet sent when the customer is marked do-not-contact or loses the address', async () => {
    // The campaign's jobs run, but nothing can send yet: the invitations wait, held, in the Outbox.
    const noSender = startWorker({ sending: false });
    const barred = await addCustomer(test, { name: 'Barred', email: 'barred@example.com', locale: 'en' });
    const gone = await addCustomer(test, { name: 'No address', email: 'gone@example.com', locale: 'en' });
    const fine = await addCustomer(test, { name: 'Fine', email: 'fine@example.com', locale: 'en' });
    const campaignId = await launchEmailCampaign('Spring');
    await jobDone(`${launchJobKind}:${campaignId}`);
    const queued = await messagesAbout(campaignId, 'invitation');
    expect(queued.map((row) => row.status)).toEqual(['held', 'held', 'held']);

    await test.db.update(customers).set({ doNotContact: true }).where(eq(customers.id, barred));
    await test.db.update(customers).set({ email: null }).where(eq(customers.id, gone));
    await test.db.update(customers).set({ email: 'fine.new@example.com' }).where(eq(customers.id, fine));
    await noSender.stop();
    startWorker({ sending: true });
    const done = await settled(campaignId, 'invitation', 3);

    // The one still to be invited gets it at the address the customer has now.
    expect(smtp.received.map((mail) => mail.to)).toEqual([['fine.new@example.com']]);
    const byCustomer = new Map(done.map((row) => [row.customerId, row]));
    expect(byCustomer.get(barred)).toMatchObject({ status: 'skipped', skipReason: 'do_not_contact' });
    expect(byCustomer.get(gone)).toMatchObject({ status: 'skipped', skipReason: 'no_email' });
    // The send jobs are done, not retried: a skip is an outcome, not a failure.
    const sendJobs = await test.db.select().from(jobs).where(like(jobs.dedupeKey, 'mail.send:%'));
    expect(sendJobs.map((job) => [job.status, job.attempts])).toEqual([['done', 1], ['done', 1], ['done', 1]]);
  });

  it('skips an event invitation whose customer withdrew between the event and the email', async () => {
    startWorker({ sending: false });
    const customerId = await addCustomer(test, { name: 'Event', email: 'event@example.com', locale: 'en', preferredChannel: 'email' });
    const survey = await publishedSurvey(manager);
    const created = await manager.request('POST', '/api/campaigns', {
      name: 'After delivery',
      surveyId: survey.id,
      delivery: 'event',
      settings: { event: { delayHours: 0, eventTypes: ['delivered'] } },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { campaign } = await created.json();
    expect((await manager.request('POST', `/api/campaigns/${campaign.id}/launch`)).status).toBe(202);
    const invited = await inviteOne(test.db, { campaignId: campaign.id, customerId, delivery: 'email', dedupeKey: 'event:test-1' });
    expect(invited.skipReason).toBeNull();
    await jobDone(`${inviteEmailJobKind}:${invited.invitationId}`);

    await test.db.update(customers).set({ consents: {} }).where(eq(customers.id, customerId));
    startWorker({ sending: true });
    const [message] = await settled(campaign.id, 'invitation', 1);
    expect(message).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(smtp.received).toHaveLength(0);
  });
});
