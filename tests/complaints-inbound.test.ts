// Customers' email replies through the real inbound listener: the server as its own process with
// INBOUND_SMTP_PORT on loopback, mail sent by nodemailer or written raw over a socket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/client.ts';
import { complaintCases, complaintEvents } from '../server/db/schema.ts';
import { replyAddress } from '../server/complaints/reference.ts';
import { hostileMessages } from './support/hostile-mail.ts';
import { waitFor } from './support/poll.ts';
import { freePort, startServerProcess, type ServerProcess } from './support/server.ts';
import { sendRaw, smtpSession } from './support/smtp-talk.ts';
import { openTestCase } from './support/complaints.ts';

const domain = 'support.example.com';
const maxBytes = 4_000_000;

let dir: string;
let db: Db;
let server: ServerProcess;
let smtpPort: number;

const outputOf = () => `--- the server said:\n${server.output.join('')}`;
process.once('exit', () => server?.child.kill('SIGKILL'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inbound-test-'));
  const databaseUrl = `file:${join(dir, 'app.db')}`;
  smtpPort = await freePort();
  server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    // The start-up line saying the listener is up is written at info.
    LOG_LEVEL: 'info',
    WORKER: 'off',
    INBOUND_SMTP_PORT: String(smtpPort),
    INBOUND_SMTP_HOST: '127.0.0.1',
    INBOUND_MAX_BYTES: String(maxBytes),
    REPLY_DOMAIN: domain,
  });
  await waitFor(
    `the inbound listener to start\n${outputOf()}`,
    () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf()}`);
      return server.output.join('').includes('Taking case replies by email');
    },
    { withinMs: 30_000, everyMs: 100 },
  );
  db = await openDatabase(databaseUrl);
}, 60_000);

afterAll(async () => {
  db?.$client.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

async function repliesOn(caseId: string) {
  return db
    .select({ body: complaintEvents.body, dedupeKey: complaintEvents.dedupeKey })
    .from(complaintEvents)
    .where(and(eq(complaintEvents.caseId, caseId), eq(complaintEvents.type, 'customer_replied')));
}

async function replyTokenOf(caseId: string) {
  const [row] = await db.select({ replyToken: complaintCases.replyToken }).from(complaintCases).where(eq(complaintCases.id, caseId));
  return row!.replyToken;
}

describe('replies by email', () => {
  it('lands a reply on its case once, even when it is delivered twice', async () => {
    const opened = await openTestCase(db);
    const other = await openTestCase(db);
    const to = replyAddress(await replyTokenOf(opened.id), domain);
    const mail = {
      from: 'Li Wei <li@example.net>',
      to,
      // The subject names another case: matching is by the address alone.
      subject: `Re: [${other.reference}] Your complaint`,
      messageId: '<reply-1@example.net>',
      text: 'The replacement is broken too.\n\nOn Tue, 3 Mar 2026 at 10:00, Support <x@example.com> wrote:\n> We sent a replacement.',
    };
    const first = await transport().sendMail(mail);
    expect(first.accepted).toEqual([to]);
    const again = await transport().sendMail(mail);
    expect(again.accepted).toEqual([to]);
    const replies = await repliesOn(opened.id);
    expect(replies.map((reply) => reply.body)).toEqual(['The replacement is broken too.']);
    expect(await repliesOn(other.id)).toEqual([]);
  });

  it('takes the address in any letter case a mail system gives it', async () => {
    const opened = await openTestCase(db);
    const to = replyAddress(await replyTokenOf(opened.id), domain).toUpperCase();
    await transport().sendMail({ from: 'li@example.net', to, subject: 'Re: hi', messageId: '<upper@example.net>', text: '大写地址也能收到。' });
    expect((await repliesOn(opened.id)).map((reply) => reply.body)).toEqual(['大写地址也能收到。']);
  });

  it('refuses at RCPT TO an address that is no case reply address, with the reason', async () => {
    const unknown = replyAddress('a'.repeat(32), domain);
    const sent = transport().sendMail({ from: 'li@example.net', to: unknown, subject: 'hi', text: 'hello' });
    await expect(sent).rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/^550 5\.1\.1 No such case reply address/) });

    // Never a relay: a known token at another domain, or any other address, is refused the same way.
    const opened = await openTestCase(db);
    const token = await replyTokenOf(opened.id);
    for (const to of [replyAddress(token, 'elsewhere.example.org'), 'someone@gmail.com', `support@${domain}`, 'not an address']) {
      const talk = await smtpSession(smtpPort);
      await talk.command('EHLO client.example.net');
      await talk.command('MAIL FROM:<someone@example.net>');
      expect(await talk.command(`RCPT TO:<${to}>`), to).toMatch(/^5\d\d /);
      talk.close();
    }
    expect(await repliesOn(opened.id)).toEqual([]);
  });

  it('refuses an oversized message, named by SIZE or found while it streams, with the limit', async () => {
    const opened = await openTestCase(db);
    const to = replyAddress(await replyTokenOf(opened.id), domain);
    const talk = await smtpSession(smtpPort);
    expect(await talk.command('EHLO client.example.net')).toContain(`SIZE ${maxBytes}`);
    expect(await talk.command(`MAIL FROM:<someone@example.net> SIZE=${maxBytes + 1}`)).toMatch(new RegExp(`^552 5\\.3\\.4 .*${maxBytes}`));
    talk.close();

    const big = `From: li@example.net\r\nTo: ${to}\r\nSubject: big\r\n\r\n${'x'.repeat(998)}\r\n`.repeat(Math.ceil((maxBytes + 1000) / 1000));
    const streamed = await sendRaw(smtpPort, to, big);
    expect(streamed.rcpt).toMatch(/^250/);
    expect(streamed.final).toMatch(new RegExp(`^552 5\\.3\\.4 .*${maxBytes}`));
    expect(await repliesOn(opened.id)).toEqual([]);
  });

  it('answers every hostile message and stays up', async () => {
    const opened = await openTestCase(db);
    const to = replyAddress(await replyTokenOf(opened.id), domain);
    for (const message of hostileMessages(to)) {
      const result = await sendRaw(smtpPort, to, Buffer.from(message.raw, 'latin1'));
      // Taken (250), refused for good (5xx) or for now (4xx): an answer, never a dropped connection.
      expect(result.final, message.name).toMatch(/^(250|4\d\d|5\d\d) /);
    }
    // Hostile conversations: an endless command line, NUL bytes in a command, a client gone mid-message.
    const talk = await smtpSession(smtpPort);
    await talk.command('EHLO client.example.net');
    expect(await talk.command(`MAIL FROM:<${'a'.repeat(100_000)}@example.net>`)).toMatch(/^(421|5\d\d) /);
    talk.close();
    const nul = await smtpSession(smtpPort);
    expect(await nul.command('EHLO \u0000\u0000')).toMatch(/^(250|5\d\d)[ -]/);
    nul.close();
    const gone = await smtpSession(smtpPort);
    await gone.command('EHLO client.example.net');
    await gone.command('MAIL FROM:<someone@example.net>');
    await gone.command(`RCPT TO:<${to}>`);
    expect(await gone.command('DATA')).toMatch(/^354/);
    gone.close();

    expect(server.child.exitCode).toBeNull();
    // The listener and the web server still work after all that.
    await transport().sendMail({ from: 'li@example.net', to, subject: 'Re: hi', messageId: '<after-hostile@example.net>', text: 'Still here?' });
    expect((await repliesOn(opened.id)).map((reply) => reply.body)).toContain('Still here?');
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).ok).toBe(true);
  }, 60_000);

  it('stops with the server, an idle client connected or not', async () => {
    const idle = await smtpSession(smtpPort);
    await idle.command('EHLO client.example.net');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    idle.close();
    const refused = await new Promise<string>((resolve) => {
      const probe = connect(smtpPort, '127.0.0.1');
      probe.once('connect', () => resolve('connected'));
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  }, 30_000);
});
