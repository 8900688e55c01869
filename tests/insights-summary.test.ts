// The weekly summary end to end: a real database, the aggregates built from real responses, the job run by
// a worker, the messages delivered over a real SMTP server and read back as a mail client would.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, bucketOf, dayOf, dayStart } from '../surveys/indices/periods.ts';
import { jobs, outgoingMessages, responses, settings, surveyVersions, users } from '../server/db/schema.ts';
import { enqueue, startWorker, type Worker } from '../server/jobs/queue.ts';
import { createMailer, mailSendKind, type Mailer } from '../server/mail/mailer.ts';
import { catchUp } from '../server/insights/processor.ts';
import { subscriptionKey } from '../server/insights/settings.ts';
import { scheduleWeeklySummary, sendWeeklySummary, weeklySummaryHandlers, weeklySummaryJob, weeklySummaryKind } from '../server/insights/summary.ts';
import { runInstant } from '../server/insights/summary-text.ts';
import type { OverviewReport } from '../server/insights/types.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { publicUrl, publishedSurvey } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from './support/smtp.ts';

const zone = 'Asia/Shanghai';
let test: TestApp;
let smtp: TestSmtp;
let mailer: Mailer;
let worker: Worker;

beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
  mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Survey Team <survey@example.com>', perSecond: 1000 });
  worker = startWorker({
    db: test.db,
    handlers: { ...mailer.handlers, ...weeklySummaryHandlers({ db: test.db, config: { publicUrl } }) },
    processId: 'summary-test',
    pollMs: 20,
    backoff: { baseMs: 10, maxMs: 40 },
    onProblem: () => {},
  });
});
afterEach(async () => {
  await worker.stop();
  mailer.close();
  await smtp.close();
  test.close();
});

/** A staff member and their email address. */
async function staff(role: 'manager' | 'admin' | 'interviewer') {
  const known = new Set((await test.db.select({ id: users.id }).from(users)).map((row) => row.id));
  const client = await signedInAs(test, role);
  const [person] = (await test.db.select().from(users)).filter((row) => !known.has(row.id));
  return { client, id: person!.id, email: person!.email };
}

async function subscribe(client: StaffClient, locale: 'en' | 'zh-CN', weeklySummary = true) {
  const saved = await client.request('PUT', '/api/insights/subscription', { weeklySummary, locale });
  expect(saved.status).toBe(200);
}

// Reading mail as a client would: encoded-word subjects, quoted-printable or base64 parts.
function decodeWords(header: string) {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_match, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuoted(text.replace(/_/g, ' ')),
    );
}
function decodeQuoted(text: string) {
  return decodeURIComponent(text.replace(/=\r?\n/g, '').replace(/%/g, '%25').replace(/=([0-9A-F]{2})/gi, '%$1'));
}
function partOf(mail: ReceivedMail, type: 'text/plain' | 'text/html') {
  const boundary = /boundary="?([^";\s]+)"?/i.exec(mail.headers['content-type'] ?? '')![1]!;
  const part = mail.raw.split(`--${boundary}`).find((chunk) => new RegExp(`content-type:\\s*${type}`, 'i').test(chunk))!;
  const split = part.search(/\r?\n\r?\n/);
  const [head, body] = [part.slice(0, split), part.slice(split).trim()];
  return /content-transfer-encoding:\s*base64/i.test(head) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : decodeQuoted(body);
}
const subjectOf = (mail: ReceivedMail) => decodeWords(mail.headers.subject ?? '');

const summaryJobs = () => test.db.select().from(jobs).where(eq(jobs.kind, weeklySummaryKind));
const mailJobs = () => test.db.select().from(jobs).where(eq(jobs.kind, mailSendKind));

async function runSummaryJob(runDay: string) {
  await enqueue(test.db, { ...weeklySummaryJob(runDay, zone), runAt: Date.now() });
  worker.wake();
  await waitFor('the weekly summary to run', async () => (await summaryJobs()).find((job) => job.dedupeKey === `${weeklySummaryKind}:${runDay}`)?.status === 'done');
}

async function allMailSent() {
  await waitFor('every message to be sent', async () => (await mailJobs()).every((job) => job.status === 'done'));
}

describe('the weekly summary email', () => {
  it('reaches each opted-in manager once, in their language, with the dashboard’s figures', async () => {
    const english = await staff('manager');
    const chinese = await staff('manager');
    const notOptedIn = await staff('manager');
    const interviewer = await staff('interviewer');
    await subscribe(english.client, 'en');
    await subscribe(chinese.client, 'zh-CN');
    await subscribe(notOptedIn.client, 'en', false);
    // An interviewer cannot opt in through the API; a stray setting must not reach them either.
    await test.db.insert(settings).values({ key: subscriptionKey(interviewer.id), value: { weeklySummary: true, locale: 'en' }, updatedBy: interviewer.id });

    const survey = await publishedSurvey(english.client);
    const [version] = await test.db.select().from(surveyVersions).where(eq(surveyVersions.surveyId, survey.id));
    const runDay = bucketOf(dayOf(Date.now(), zone), 'week');
    const answer = async (day: string, csat: number, hour: number) => {
      const submittedAt = dayStart(day, zone) + hour * 3_600_000;
      await test.db.insert(responses).values({
        id: randomUUID(),
        surveyId: survey.id,
        versionId: version!.id,
        channel: 'web',
        locale: 'en',
        answers: { csat },
        submittedAt,
        startedAt: submittedAt - 90_000,
        durationMs: 90_000,
      });
    };
    // Last week (Monday to Sunday before the run) and the week before it.
    const lastWeek = [5, 4, 4, 2, 5, 3, 4, 5, 1, 4, 5, 4];
    for (const [index, csat] of lastWeek.entries()) await answer(addDays(runDay, -7 + (index % 7)), csat, 9 + (index % 5));
    for (const [index, csat] of [3, 2, 4, 5, 2, 3, 4, 1].entries()) await answer(addDays(runDay, -14 + (index % 7)), csat, 10);
    await catchUp(test.db);

    await runSummaryJob(runDay);
    await allMailSent();

    expect(smtp.received.map((mail) => mail.to).flat().sort()).toEqual([english.email, chinese.email].sort());
    const from = addDays(runDay, -7);
    const to = addDays(runDay, -1);
    const overview = (await (await english.client.request('GET', `/api/insights/overview?from=${from}&to=${to}&flagged=exclude`)).json()) as OverviewReport;
    const csat = overview.figures.find((figure) => figure.metric.key === 'csat')!;
    const responsesFigure = overview.figures.find((figure) => figure.metric.key === 'responses')!;
    expect(responsesFigure.current.n).toBe(lastWeek.length);
    const value = csat.current.value!.toFixed(1);
    const [low, high] = [csat.current.low!.toFixed(1), csat.current.high!.toFixed(1)];
    const dashboard = `${publicUrl}/app/insights?from=${from}&to=${to}&flagged=exclude`;

    const toEnglish = smtp.received.find((mail) => mail.to.includes(english.email))!;
    const englishText = partOf(toEnglish, 'text/plain');
    expect(subjectOf(toEnglish)).toMatch(/^Weekly satisfaction summary, /);
    expect(englishText).toContain(`- CSAT: ${value} (95% interval ${low} to ${high}), n = ${csat.current.n};`);
    expect(englishText).toContain(`- Responses: ${lastWeek.length}; week before 8;`);
    expect(englishText).toContain(dashboard);
    expect(englishText).toContain('Send me the weekly summary');
    expect(partOf(toEnglish, 'text/html')).toContain(`>${value}</td>`);

    const toChinese = smtp.received.find((mail) => mail.to.includes(chinese.email))!;
    const chineseText = partOf(toChinese, 'text/plain');
    expect(subjectOf(toChinese)).toMatch(/^每周满意度摘要（\d{4}年/);
    expect(chineseText).toContain(`- 满意度 (CSAT)：${value}（95% 置信区间 ${low} 至 ${high}），样本量 ${csat.current.n}；`);
    expect(chineseText).toContain(dashboard);
    expect(chineseText).toContain('关闭“每周给我发送摘要”');
    expect(chineseText).not.toContain('week before');

    // A second run of the same week, as after a crash, queues and sends nothing new.
    await test.db.update(jobs).set({ status: 'pending', runAt: 0, finishedAt: null }).where(eq(jobs.dedupeKey, `${weeklySummaryKind}:${runDay}`));
    worker.wake();
    await waitFor('the run to be done again', async () => {
      const [job] = await test.db.select().from(jobs).where(eq(jobs.dedupeKey, `${weeklySummaryKind}:${runDay}`));
      return job!.status === 'done' && job!.attempts === 2;
    });
    await allMailSent();
    expect(await mailJobs()).toHaveLength(2);
    expect(await test.db.select({ id: outgoingMessages.id }).from(outgoingMessages)).toHaveLength(2);
    expect(smtp.received).toHaveLength(2);

    // The run scheduled next week's; scheduling again from any number of processes adds nothing.
    const next = addDays(runDay, 7);
    expect((await scheduleWeeklySummary(test.db)).created).toBe(false);
    expect((await scheduleWeeklySummary(test.db)).created).toBe(false);
    const scheduled = await summaryJobs();
    expect(scheduled.map((job) => job.dedupeKey).sort()).toEqual([`${weeklySummaryKind}:${runDay}`, `${weeklySummaryKind}:${next}`]);
    expect(scheduled.find((job) => job.dedupeKey === `${weeklySummaryKind}:${next}`)!.runAt).toBe(runInstant(next, zone));
  });

  it('still writes in a week without responses, saying so', async () => {
    const manager = await staff('manager');
    await subscribe(manager.client, 'en');
    const runDay = bucketOf(dayOf(Date.now(), zone), 'week');
    await runSummaryJob(runDay);
    await allMailSent();
    expect(smtp.received).toHaveLength(1);
    expect(partOf(smtp.received[0]!, 'text/plain')).toContain('No responses came in this week');
  });

  it('waits while last week’s responses are still being counted, and sends once they are', async () => {
    const manager = await staff('manager');
    await subscribe(manager.client, 'en');
    const survey = await publishedSurvey(manager.client);
    const [version] = await test.db.select().from(surveyVersions).where(eq(surveyVersions.surveyId, survey.id));
    const runDay = bucketOf(dayOf(Date.now(), zone), 'week');
    const submittedAt = dayStart(addDays(runDay, -3), zone) + 10 * 3_600_000;
    await test.db.insert(responses).values({
      id: randomUUID(), surveyId: survey.id, versionId: version!.id, channel: 'web', locale: 'en', answers: { csat: 5 }, submittedAt,
    });
    await expect(sendWeeklySummary(test.db, { publicUrl }, runDay)).rejects.toThrow('still being counted (1 to go)');
    expect(await mailJobs()).toHaveLength(0);
    await catchUp(test.db);
    expect(await sendWeeklySummary(test.db, { publicUrl }, runDay)).toBe(1);
  });

  it('skips a run held up past the next Monday and goes on from the coming one', async () => {
    const manager = await staff('manager');
    await subscribe(manager.client, 'en');
    const stale = addDays(bucketOf(dayOf(Date.now(), zone), 'week'), -21);
    await runSummaryJob(stale);
    expect(await mailJobs()).toHaveLength(0);
    const coming = await scheduleWeeklySummary(test.db);
    expect(coming.created).toBe(false);
    expect((await summaryJobs()).map((job) => job.dedupeKey).sort()).toEqual([`${weeklySummaryKind}:${stale}`, `${weeklySummaryKind}:${coming.runDay}`].sort());
  });

  it('schedules the coming Monday 08:00 once, however often a process starts', async () => {
    const wednesday = Date.parse('2030-01-09T03:00:00Z');
    const first = await scheduleWeeklySummary(test.db, wednesday);
    const again = await scheduleWeeklySummary(test.db, wednesday);
    expect(first).toEqual({ runDay: '2030-01-14', created: true });
    expect(again).toEqual({ runDay: '2030-01-14', created: false });
    const scheduled = await summaryJobs();
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.runAt).toBe(Date.parse('2030-01-14T00:00:00Z'));
    expect(scheduled[0]!.payload).toEqual({ runDay: '2030-01-14' });
    expect((await test.db.select().from(jobs).where(inArray(jobs.kind, [mailSendKind]))).length).toBe(0);
  });
});
