// Email campaigns end to end over a real SMTP server: invitations, the personal link, reminders, unsubscribing.
import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remindJobKind } from '../server/campaigns/invitations.ts';
import { campaignInvitations, customers, jobs, responses } from '../server/db/schema.ts';
import type { Worker } from '../server/jobs/queue.ts';
import { createMailer, type Mailer } from '../server/mail/mailer.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { addCustomer, publicUrl, publishedSurvey, startCampaignWorker } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from './support/smtp.ts';

let test: TestApp;
let smtp: TestSmtp;
let manager: StaffClient;
let mailer: Mailer;
let worker: Worker;

beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
  manager = await signedInAs(test, 'manager');
  mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Survey Team <survey@example.com>', perSecond: 1000 });
  worker = startCampaignWorker(test, mailer.handlers);
});
afterEach(async () => {
  await worker.stop();
  mailer.close();
  await smtp.close();
  test.close();
});

/** The raw message with quoted-printable soft line breaks joined, so links read whole. */
const unfolded = (mail: ReceivedMail) => mail.raw.replace(/=\r?\n/g, '');
const tokenIn = (mail: ReceivedMail) => unfolded(mail).match(/\/i\/([0-9A-Z]{16})/)![1]!;
const mailTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));

async function launchEmailCampaign(reminders = { afterDays: 1, max: 2 }) {
  const survey = await publishedSurvey(manager);
  const created = await manager.request('POST', '/api/campaigns', { name: 'Spring', surveyId: survey.id, delivery: 'email', audience: {}, settings: { reminders } });
  const { campaign } = await created.json();
  expect((await manager.request('POST', `/api/campaigns/${campaign.id}/launch`)).status).toBe(202);
  return campaign.id as string;
}

async function campaignDetail(id: string) {
  return (await (await manager.request('GET', `/api/campaigns/${id}`)).json()).campaign;
}

/** Makes a reminder round due now, as if its days had passed. */
async function reminderRoundDue(campaignId: string, round: number) {
  const key = `${remindJobKind}:${campaignId}:${round}`;
  await waitFor(`reminder round ${round} to be scheduled`, async () => (await test.db.select().from(jobs).where(eq(jobs.dedupeKey, key))).length === 1);
  await test.db.update(jobs).set({ runAt: 0 }).where(eq(jobs.dedupeKey, key));
  worker.wake();
  await waitFor(`reminder round ${round} to run`, async () => (await test.db.select().from(jobs).where(eq(jobs.dedupeKey, key)))[0]?.status === 'done');
}

function answer(token: string, id = randomUUID()) {
  return test.app.request(`/api/public/invitations/${token}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, locale: 'en', answers: { csat: 5 }, startedAt: Date.now() - 20_000 }),
  });
}

describe('email campaigns', () => {
  it('delivers each invitation once, in the customer’s language, and the link takes one answer', async () => {
    const ada = await addCustomer(test, { name: 'Ada <b>Lovelace</b>', email: 'ada@example.com', locale: 'en' });
    await addCustomer(test, { name: '王芳', email: 'wang@example.com', locale: 'zh-CN' });
    const campaignId = await launchEmailCampaign();

    await waitFor('both invitations', () => smtp.received.length >= 2 || undefined);
    const toAda = mailTo('ada@example.com');
    const toWang = mailTo('wang@example.com');
    expect(toAda).toHaveLength(1);
    expect(toWang).toHaveLength(1);
    const token = tokenIn(toAda[0]!);
    expect(unfolded(toAda[0]!)).toContain(`${publicUrl}/i/${token}`);
    // The HTML part escapes the name; the text part has it as written.
    expect(unfolded(toAda[0]!)).toContain('<p>Dear Ada &#60;b&#62;Lovelace&#60;/b&#62;,</p>');
    expect(unfolded(toAda[0]!)).not.toContain('<p>Dear Ada <b>');
    expect(toAda[0]!.headers['list-unsubscribe']).toBe(`<${publicUrl}/u/${token}>`);
    expect(toAda[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(toWang[0]!.headers.subject).toMatch(/^=\?UTF-8\?/i);

    await waitFor('delivered in the funnel', async () => (await campaignDetail(campaignId)).funnel.delivered === 2);

    // The personal link opens the campaign's survey with the token, and counts as opened and started.
    const page = await test.app.request(`/i/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`"token":"${token}"`);
    expect(html).toContain('<html lang="en"');
    const opened = await campaignDetail(campaignId);
    expect(opened.funnel).toMatchObject({ invited: 2, delivered: 2, opened: 1, started: 1, completed: 0 });

    const responseId = randomUUID();
    expect((await answer(token, responseId)).status).toBe(201);
    expect((await answer(token, responseId)).status).toBe(200);
    const second = await answer(token);
    expect(second.status).toBe(409);
    expect((await second.json()).error).toMatch(/already been answered/);
    const stored = await test.db.select().from(responses);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: responseId, channel: 'mail', customerId: ada, campaignId });
    expect((await campaignDetail(campaignId)).funnel).toMatchObject({ completed: 1, responseRate: 0.5 });

    // Answered: the link shows thanks; an unknown token the not-found notice.
    expect(await (await test.app.request(`/i/${token}`)).text()).toContain('"answered":true');
    expect((await test.app.request('/i/0000000000000000')).status).toBe(404);

    // Closed: the other link shows the closed notice and takes no answer.
    const wangToken = tokenIn(toWang[0]!);
    expect((await manager.request('POST', `/api/campaigns/${campaignId}/close`)).status).toBe(200);
    expect((await test.app.request(`/i/${wangToken}`)).status).toBe(410);
    expect((await answer(wangToken)).status).toBe(410);
  });

  it('reminds non-responders only, at most the maximum, and stops for unsubscribers', async () => {
    await addCustomer(test, { name: 'Answers', email: 'answers@example.com', locale: 'en' });
    await addCustomer(test, { name: 'Silent', email: 'silent@example.com', locale: 'en' });
    const leaver = await addCustomer(test, { name: 'Leaves', email: 'leaves@example.com', locale: 'zh-CN' });
    const clicker = await addCustomer(test, { name: 'Clicks', email: 'clicks@example.com', locale: 'en' });
    const campaignId = await launchEmailCampaign({ afterDays: 2, max: 2 });
    await waitFor('four invitations', () => smtp.received.length >= 4 || undefined);

    expect((await answer(tokenIn(mailTo('answers@example.com')[0]!))).status).toBe(201);

    // Unsubscribing from the page: a confirmation in the customer's language, then the POST.
    const leaverToken = tokenIn(mailTo('leaves@example.com')[0]!);
    const confirm = await test.app.request(`/u/${leaverToken}`);
    expect(confirm.status).toBe(200);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('<html lang="zh-CN"');
    expect(confirmPage).toContain(`<form method="post" action="/u/${leaverToken}">`);
    expect((await test.app.request(`/u/${leaverToken}`, { method: 'POST' })).status).toBe(200);

    // The one-click unsubscribe a mail client makes: a form POST with no Origin.
    const clickerToken = tokenIn(mailTo('clicks@example.com')[0]!);
    const oneClick = await test.app.request(`/u/${clickerToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    for (const id of [leaver, clicker]) {
      const [customer] = await test.db.select().from(customers).where(eq(customers.id, id));
      expect(customer!.consents.email ?? []).not.toContain('survey');
    }
    expect((await test.app.request('/u/not-a-token', { method: 'POST' })).status).toBe(404);

    await reminderRoundDue(campaignId, 1);
    await waitFor('the first reminder', () => mailTo('silent@example.com').length >= 2 || undefined);
    await reminderRoundDue(campaignId, 2);
    await waitFor('the second reminder', () => mailTo('silent@example.com').length >= 3 || undefined);

    const reminders = mailTo('silent@example.com').slice(1);
    expect(reminders.map((mail) => mail.headers.subject)).toEqual([expect.stringMatching(/^Reminder: /), expect.stringMatching(/^Reminder: /)]);
    expect(tokenIn(reminders[0]!)).toBe(tokenIn(mailTo('silent@example.com')[0]!));
    expect(mailTo('answers@example.com')).toHaveLength(1);
    expect(mailTo('leaves@example.com')).toHaveLength(1);
    expect(mailTo('clicks@example.com')).toHaveLength(1);
    expect(await test.db.select().from(jobs).where(like(jobs.dedupeKey, `${remindJobKind}:${campaignId}:3`))).toEqual([]);
    const [silent] = await test.db
      .select({ remindersSent: campaignInvitations.remindersSent })
      .from(campaignInvitations)
      .innerJoin(customers, eq(customers.id, campaignInvitations.customerId))
      .where(eq(customers.email, 'silent@example.com'));
    expect(silent!.remindersSent).toBe(2);
    expect(smtp.received).toHaveLength(6);
  });
});
