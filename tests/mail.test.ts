import { connect } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { customers, jobs, outgoingMessages } from '../server/db/schema.ts';
import { DomainError } from '../server/errors.ts';
import { completeJob, enqueue, leaseJobs, startWorker, type Worker } from '../server/jobs/queue.ts';
import { createMailer, mailSendKind, messageIdFor, queueMessage, queueMessages, type Mailer } from '../server/mail/mailer.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer, type TestSmtp } from './support/smtp.ts';
import { changeUnderWriteLock } from './support/write-lock.ts';

const mailFrom = 'Survey Team <survey@example.com>';
let test: TestApp;
let smtp: TestSmtp;
const running: { worker: Worker; mailer: Mailer }[] = [];

beforeEach(async () => {
  test = await startTestApp();
  smtp = await startSmtpServer();
});
afterEach(async () => {
  for (const { worker, mailer } of running.splice(0)) {
    await worker.stop();
    mailer.close();
  }
  await smtp.close();
  test.close();
});

/** A process's worker with its mailer, as server/main.ts starts them. */
function startSending(options: { smtpUrl?: string | undefined; perSecond?: number } = {}) {
  const mailer = createMailer({
    db: test.db,
    smtpUrl: 'smtpUrl' in options ? options.smtpUrl : smtp.url,
    mailFrom,
    perSecond: options.perSecond ?? 1000,
  });
  const worker = startWorker({
    db: test.db,
    handlers: { ...mailer.handlers, probe: async () => {} },
    processId: `mail-test-${running.length + 1}`,
    pollMs: 20,
    backoff: { baseMs: 10, maxMs: 40 },
    onProblem: () => {},
  });
  running.push({ worker, mailer });
  return { worker, mailer };
}

/** The app as a process configured with (or without) an SMTP server serves it. */
function appWith(smtpUrl: string | undefined): TestApp {
  const config = loadConfig({ DATABASE_URL: test.databaseUrl, LOG_LEVEL: 'silent', MAIL_FROM: mailFrom, ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}) });
  return { ...test, app: createApp({ db: test.db, config }) };
}

async function message(id: string) {
  const [row] = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id));
  return row!;
}

async function jobById(id: string) {
  const [row] = await test.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

/** A job of another kind that a process without SMTP still runs. */
async function enqueueProbe() {
  return (await enqueue(test.db, { kind: 'probe', payload: {} })).id;
}

async function sendJobOf(id: string) {
  const [row] = await test.db.select().from(jobs).where(eq(jobs.dedupeKey, `${mailSendKind}:${id}`));
  return row!;
}

describe('messageIdFor', () => {
  it('names the message on the sender’s domain, the same on every attempt', () => {
    expect(messageIdFor('0b7c', 'Survey Team <survey@example.com>')).toBe('<0b7c@example.com>');
    expect(messageIdFor('0b7c', 'no-reply@mail.example.cn')).toBe('<0b7c@mail.example.cn>');
    expect(messageIdFor('0b7c', 'Survey Team')).toBe('<0b7c@localhost>');
  });
});

describe('the test SMTP server', () => {
  it('survives a client reset in the middle of a message, as from a process killed mid-send', async () => {
    const port = Number(new URL(smtp.url).port);
    const socket = connect(port, '127.0.0.1');
    const said: string[] = [];
    socket.on('data', (chunk: Buffer) => said.push(chunk.toString()));
    socket.on('error', () => {});
    const heard = (code: string) => waitFor(`the server to answer ${code}`, () => said.join('').split('\r\n').some((line) => line.startsWith(code)));
    await heard('220');
    socket.write('EHLO killed.example\r\nMAIL FROM:<survey@example.com>\r\nRCPT TO:<cut@example.org>\r\nDATA\r\n');
    await heard('354');
    socket.write('Subject: cut short\r\n\r\nhalf a messa');
    socket.resetAndDestroy();
    await waitFor('the server to see the reset', () => smtp.errors.length > 0);

    // Still serving: the next message arrives whole.
    const id = await queueMessage(test.db, { to: 'after@example.org', subject: 'After the reset', text: 'x' });
    startSending();
    await waitFor('the next message to be sent', async () => (await message(id)).status === 'sent');
    expect(smtp.received.map((mail) => mail.to)).toEqual([['after@example.org']]);
  });
});

describe('queueing', () => {
  it('writes the message and its send job together', async () => {
    const id = await queueMessage(test.db, { to: ' Wang@Example.com ', subject: 'Your survey', text: 'Hello', topic: 'invitation:1' });
    expect(await message(id)).toMatchObject({ toAddress: 'Wang@Example.com', status: 'held', topic: 'invitation:1', html: null });
    expect(await sendJobOf(id)).toMatchObject({ kind: 'mail.send', status: 'pending', payload: { messageId: id }, maxAttempts: 10 });
  });

  it('queues nothing when one message is wrong, and says which in both languages', async () => {
    const attempt = queueMessages(test.db, [
      { to: 'good@example.com', subject: 'Fine', text: 'x' },
      { to: 'not an address', subject: 'Bad', text: 'x' },
    ]);
    const error = await attempt.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).text).toEqual({
      en: 'Message 2 cannot be queued: The recipient address is not a valid email address.',
      'zh-CN': '第 2 封邮件无法加入队列：收件人地址不是有效的电子邮件地址。',
    });
    expect(await test.db.select().from(outgoingMessages)).toHaveLength(0);
    expect(await test.db.select().from(jobs)).toHaveLength(0);
  });
});

describe('sending', () => {
  it('sends through the SMTP server with the sender, recipient, subject and a Message-ID from the message id', async () => {
    const id = await queueMessage(test.db, {
      to: 'customer@example.org',
      subject: 'How did we do?',
      text: 'Tell us in two minutes: 请花两分钟告诉我们。',
      html: '<p>Tell us in two minutes</p>',
    });
    startSending();
    await waitFor('the message to be sent', async () => (await message(id)).status === 'sent');

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.messageId).toBe(`<${id}@example.com>`);
    expect(mail.from).toBe('survey@example.com');
    expect(mail.to).toEqual(['customer@example.org']);
    expect(mail.headers.from).toBe('Survey Team <survey@example.com>');
    expect(mail.headers.to).toBe('customer@example.org');
    expect(mail.headers.subject).toBe('How did we do?');
    expect(mail.headers['content-type']).toMatch(/multipart\/alternative/);
    expect(mail.raw).toContain('<p>Tell us in two minutes</p>');

    const row = await message(id);
    expect(row).toMatchObject({ status: 'sent', smtpMessageId: `<${id}@example.com>`, error: null });
    expect(row.sentAt).toBeGreaterThanOrEqual(row.createdAt);
    expect((await sendJobOf(id)).status).toBe('done');
  });

  it('keeps the pace asked for', async () => {
    const startedAt = Date.now();
    const ids = await queueMessages(
      test.db,
      Array.from({ length: 6 }, (_, n) => ({ to: `c${n}@example.org`, subject: `Survey ${n}`, text: 'x' })),
    );
    startSending({ perSecond: 10 });
    await waitFor('all six to be sent', async () => {
      const rows = await test.db.select({ status: outgoingMessages.status }).from(outgoingMessages);
      return rows.every((row) => row.status === 'sent');
    });
    expect(new Set(smtp.received.map((mail) => mail.messageId)).size).toBe(ids.length);
    // At 10 a second the sixth send cannot start before five 100 ms intervals have passed.
    expect(Math.max(...smtp.received.map((mail) => mail.receivedAt)) - startedAt).toBeGreaterThanOrEqual(500);
  });

  it('leaves send jobs to a process with SMTP: held mail spends no attempt while nothing can send, and the Outbox says so', async () => {
    const id = await queueMessage(test.db, { to: 'held@example.org', subject: 'Waiting', text: 'x' });
    const { worker } = startSending({ smtpUrl: undefined });
    const other = await enqueueProbe();
    await waitFor('the process without SMTP to work its other jobs', async () => (await jobById(other)).status === 'done');
    worker.wake();
    expect(await sendJobOf(id)).toMatchObject({ status: 'pending', attempts: 0, leasedBy: null });
    expect(await message(id)).toMatchObject({ status: 'held', sentAt: null, smtpMessageId: null, error: null });
    expect(smtp.received).toHaveLength(0);

    // A minute on with nothing sending, the Outbox says that no process can send it.
    const manager = await signedInAs(appWith(undefined), 'manager');
    expect(await (await manager.request('GET', '/api/outbox/progress')).json()).toMatchObject({ smtpConfigured: false, untaken: false, toRelease: 0 });
    await test.db.update(jobs).set({ runAt: Date.now() - 2 * 60_000 }).where(eq(jobs.dedupeKey, `${mailSendKind}:${id}`));
    expect(await (await manager.request('GET', '/api/outbox/progress')).json()).toMatchObject({ smtpConfigured: false, untaken: true, toRelease: 0 });

    // A process with SMTP_URL starts: it sends the message with no release needed.
    startSending();
    await waitFor('the held message to be sent', async () => (await message(id)).status === 'sent');
    expect(smtp.received.map((mail) => mail.messageId)).toEqual([`<${id}@example.com>`]);
    expect(await sendJobOf(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('sends, once released, mail an older version held after finishing its send job without sending', async () => {
    const id = await queueMessage(test.db, { to: 'old@example.org', subject: 'Held before', text: 'x' });
    // What an older version left: the message held, its send job done.
    await test.db.update(jobs).set({ status: 'done', attempts: 1, finishedAt: Date.now() }).where(eq(jobs.dedupeKey, `${mailSendKind}:${id}`));
    startSending();
    const admin = await signedInAs(appWith(undefined), 'admin');
    expect(await (await admin.request('GET', '/api/outbox/progress')).json()).toMatchObject({ toRelease: 1 });
    // Any process can release: the message goes back to the queue, and a process with SMTP sends it.
    const released = await admin.request('POST', '/api/outbox/release');
    expect(released.status).toBe(200);
    expect(await released.json()).toEqual({ released: 1 });
    await waitFor('the released message to be sent', async () => (await message(id)).status === 'sent');
    expect(smtp.received.map((mail) => mail.messageId)).toEqual([`<${id}@example.com>`]);
    expect(await (await admin.request('POST', '/api/outbox/release')).json()).toEqual({ released: 0 });
  });

  it('retries a refused recipient, then marks the message failed and its job dead; an admin can send it again', async () => {
    smtp.refuse = /^nobody@/;
    const [refusedId, fineId] = await queueMessages(
      test.db,
      [
        { to: 'nobody@example.org', subject: 'Lost', text: 'x' },
        { to: 'somebody@example.org', subject: 'Found', text: 'x' },
      ],
      { maxAttempts: 3 },
    );
    startSending();
    await waitFor('the refused message to fail', async () => (await message(refusedId!)).status === 'failed');

    expect(smtp.recipientAttempts.filter((address) => address === 'nobody@example.org')).toHaveLength(3);
    const failed = await message(refusedId!);
    expect(failed.error).toMatch(/550/);
    expect(failed.sentAt).toBeNull();
    const job = await sendJobOf(refusedId!);
    expect(job).toMatchObject({ status: 'dead', attempts: 3 });
    expect(job.lastError).toMatch(/550/);
    await waitFor('the other message to be sent', async () => (await message(fineId!)).status === 'sent');
    expect(smtp.received.map((mail) => mail.to)).toEqual([['somebody@example.org']]);

    smtp.refuse = undefined;
    const admin = await signedInAs(test, 'admin');
    expect((await admin.request('POST', `/api/jobs/${job.id}/retry`)).status).toBe(200);
    await waitFor('the retried message to be sent', async () => (await message(refusedId!)).status === 'sent');
    expect(await message(refusedId!)).toMatchObject({ error: null, smtpMessageId: `<${refusedId}@example.com>` });
  });
});

describe('a customer’s “no” that arrives while a message is on its way to the sender', () => {
  it.each([
    ['the customer withdraws consent', `UPDATE customers SET consents = '{}' WHERE id = 'c-1'`, 'no_consent'],
    [
      'the customer is erased (unsent mail withdrawn, address gone)',
      `UPDATE outgoing_messages SET status = 'skipped', skip_reason = 'erased' WHERE customer_id = 'c-1' AND status IN ('held', 'sending')`,
      'erased',
    ],
  ])('sends nothing when %s between the send job starting and the message going out', async (_, statement, reason) => {
    await test.db.insert(customers).values({ id: 'c-1', name: 'Wang Fang', email: 'wang.fang@example.com', consents: { email: ['survey'] } });
    const id = await queueMessage(test.db, { to: 'wang.fang@example.com', subject: 'How did we do?', text: 'x', contact: { customerId: 'c-1', purpose: 'survey' } });
    const [lease] = await leaseJobs(test.db, { processId: 'mail-test', kinds: [mailSendKind], limit: 1, leaseMs: 30_000 });
    const mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom, perSecond: 1000 });
    try {
      const { committed } = await changeUnderWriteLock(
        test.databaseUrl,
        reason === 'erased' ? [statement, `UPDATE customers SET email = NULL, erased_at = 1 WHERE id = 'c-1'`] : [statement],
      );
      await mailer.handlers[mailSendKind]!(lease!.payload, {
        jobId: lease!.id,
        attempt: 1,
        maxAttempts: 10,
        isLastAttempt: false,
        signal: new AbortController().signal,
        completeIn: (tx) => completeJob(tx, lease!),
      });
      await committed;
    } finally {
      mailer.close();
    }
    expect(smtp.received).toEqual([]);
    expect(await message(id)).toMatchObject({ status: 'skipped', skipReason: reason });
  });
});

describe('Outbox API', () => {
  it('lists messages by status and topic, newest first, a page at a time, without their bodies', async () => {
    const manager = await signedInAs(test, 'manager');
    const ids = [];
    for (let n = 0; n < 3; n++) ids.push(await queueMessage(test.db, { to: `a${n}@example.org`, subject: `Invite ${n}`, text: 'body', topic: `invitation:${n}` }));
    const other = await queueMessage(test.db, { to: 'b@example.org', subject: 'Follow-up', text: 'body', topic: 'follow_up:9' });
    await test.db.update(outgoingMessages).set({ status: 'sent', sentAt: Date.now() }).where(eq(outgoingMessages.id, other));

    const first = await (await manager.request('GET', '/api/outbox?status=held&limit=2')).json();
    expect(first.messages).toHaveLength(2);
    expect(first.messages[0]).not.toHaveProperty('text');
    expect(first.messages[0]).toMatchObject({ status: 'held', toAddress: expect.stringMatching(/@example.org$/) });
    const second = await (await manager.request('GET', `/api/outbox?status=held&limit=2&before=${first.nextBefore}`)).json();
    expect(second.nextBefore).toBeNull();
    expect([...first.messages, ...second.messages].map((row: { id: string }) => row.id).sort()).toEqual([...ids].sort());

    const sent = await (await manager.request('GET', '/api/outbox?status=sent')).json();
    expect(sent.messages.map((row: { id: string }) => row.id)).toEqual([other]);
    const invitations = await (await manager.request('GET', '/api/outbox?topic=invitation:')).json();
    expect(invitations.messages).toHaveLength(3);

    const progress = await (await manager.request('GET', '/api/outbox/progress?topic=invitation:')).json();
    expect(progress).toEqual({ smtpConfigured: false, counts: { held: 3, sending: 0, sent: 0, failed: 0, skipped: 0, total: 3 }, untaken: false, toRelease: 0 });
    const all = await (await manager.request('GET', '/api/outbox/progress')).json();
    expect(all.counts).toEqual({ held: 3, sending: 0, sent: 1, failed: 0, skipped: 0, total: 4 });
  });

  it('shows one message with its text and HTML', async () => {
    const admin = await signedInAs(test, 'admin');
    const id = await queueMessage(test.db, { to: 'c@example.org', subject: '满意度调查', text: '您好', html: '<p>您好</p>' });
    const response = await admin.request('GET', `/api/outbox/${id}`);
    expect(response.status).toBe(200);
    expect((await response.json()).message).toMatchObject({ id, subject: '满意度调查', text: '您好', html: '<p>您好</p>', status: 'held' });

    const missing = await admin.request('GET', '/api/outbox/nope', undefined, { 'x-locale': 'zh-CN' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBe('发件箱中没有这封邮件。');
    const english = await admin.request('GET', '/api/outbox/nope');
    expect((await english.json()).error).toBe('No such message in the Outbox.');
  });

  it('refuses a bad query in the reader’s language', async () => {
    const admin = await signedInAs(test, 'admin');
    const bad = await admin.request('GET', '/api/outbox?status=lost', undefined, { 'x-locale': 'zh-CN' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields.status).toBe('"status" 必须是 held、sending、sent、failed、skipped 之一。');
    const badCursor = await admin.request('GET', '/api/outbox?before=yesterday');
    expect(badCursor.status).toBe(400);
    expect((await badCursor.json()).fields.before).toMatch(/nextBefore/);
  });

  it('is read by admins and managers; only admins release held mail', async () => {
    const id = await queueMessage(test.db, { to: 'c@example.org', subject: 'x', text: 'x' });
    for (const role of ['support', 'interviewer'] as const) {
      const staff = await signedInAs(test, role);
      const list = await staff.request('GET', '/api/outbox', undefined, { 'x-locale': 'zh-CN' });
      expect(list.status).toBe(403);
      expect((await list.json()).error).toBe('您的角色无权执行此操作，请联系管理员。');
      expect((await staff.request('GET', `/api/outbox/${id}`)).status).toBe(403);
    }
    expect((await test.app.request('/api/outbox')).status).toBe(401);
    const manager = await signedInAs(appWith(smtp.url), 'manager');
    expect((await manager.request('GET', '/api/outbox')).status).toBe(200);
    const release = await manager.request('POST', '/api/outbox/release');
    expect(release.status).toBe(403);
  });
});
