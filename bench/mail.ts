// What the mail benchmarks share: a loopback SMTP server in the bench's own process, which reads only each
// message's header block, keeps how often each Message-ID arrived and throws the bodies away (a sender killed
// in the middle of a message, its connection reset, is survived); and the server processes that send to it.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { loopbackSmtpOptions, parseHeaders } from '../tests/support/smtp.ts';
import { projectRoot } from './build.ts';
import { freePort, startNode, waitForHttp, type Child } from './processes.ts';

/** Past this a header block is not read further. */
const headLimit = 64 * 1024;

export async function startCountingSmtp() {
  const times = new Map<string, number>();
  let received = 0;
  let duplicates = 0;
  let cutShort = 0;
  let lastAt = 0;
  const server = new SMTPServer({
    ...loopbackSmtpOptions,
    size: 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      let headDone = false;
      stream.on('data', (chunk: Buffer) => {
        if (headDone) return;
        head += chunk.toString('latin1');
        const end = head.search(/\r?\n\r?\n/);
        if (end >= 0) {
          head = head.slice(0, end);
          headDone = true;
        } else if (head.length > headLimit) {
          headDone = true;
        }
      });
      // The sender died before the final dot: not received, as on any SMTP server.
      stream.on('error', () => (cutShort += 1));
      stream.on('end', () => {
        const messageId = parseHeaders(head)['message-id'] || `(none ${received})`;
        const before = times.get(messageId) ?? 0;
        if (before > 0) duplicates += 1;
        times.set(messageId, before + 1);
        received += 1;
        lastAt = performance.now();
        callback();
      });
    },
  });
  // A killed sender resets its connections.
  server.on('error', () => {});
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** How many times each Message-ID arrived. */
    times,
    get received() {
      return received;
    },
    /** Messages received with a Message-ID already received. */
    get duplicates() {
      return duplicates;
    },
    /** Distinct Message-IDs received. */
    get distinct() {
      return times.size;
    },
    /** Messages begun but not ended: their sender went away mid-message. */
    get cutShort() {
      return cutShort;
    },
    /** performance.now() at the last message received. */
    get lastAt() {
      return lastAt;
    },
    reset() {
      times.clear();
      received = 0;
      duplicates = 0;
      cutShort = 0;
      lastAt = 0;
    },
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

export type CountingSmtp = Awaited<ReturnType<typeof startCountingSmtp>>;

/**
 * Starts `count` server processes on one database, each sending mail to `smtpUrl` at `mailPerSecond`, and
 * waits until every one answers /health. `logPath(index)` names each one's log (index from 1).
 */
export async function startSendingServers(input: {
  count: number;
  databaseUrl: string;
  smtpUrl: string;
  mailPerSecond: number;
  logPath: (index: number) => string;
  env?: Record<string, string>;
}): Promise<Child[]> {
  const children: Child[] = [];
  for (let index = 1; index <= input.count; index += 1) {
    const port = await freePort();
    const child = startNode('server/main.ts', {
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        ...input.env,
        DATABASE_URL: input.databaseUrl,
        SMTP_URL: input.smtpUrl,
        MAIL_FROM: 'Survey Team <survey@example.com>',
        MAIL_PER_SECOND: String(input.mailPerSecond),
        ADMIN_EMAIL: 'bench-admin@example.com',
        ADMIN_PASSWORD: randomBytes(12).toString('hex'),
        LOG_LEVEL: 'error',
      },
      logPath: input.logPath(index),
      cwd: projectRoot,
    });
    children.push(child);
    await waitForHttp(`http://127.0.0.1:${port}/health`, child, 30_000);
  }
  return children;
}
