// A real SMTP server on loopback (the smtp-server package) that keeps what it receives.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  /** The header block as received, unfolded. */
  headers: Record<string, string>;
  raw: string;
  receivedAt: number;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** RCPT TO commands seen, accepted or not. */
  recipientAttempts: string[];
  /** Connection errors the server survived, e.g. ECONNRESET from a client killed mid-send. */
  errors: Error[];
  /** Recipients matching this are answered 550 at RCPT TO, as a real server refusing a mailbox would. */
  refuse: RegExp | undefined;
  close(): Promise<void>;
}

/** The settings every loopback SMTP server of ours runs with: no auth, no TLS, no DNS, quiet, quick to close. */
export const loopbackSmtpOptions = {
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  closeTimeout: 100,
} satisfies SMTPServerOptions;

/** A message's header block, unfolded, as a record of lower-case names (the block may come alone, cut at its end). */
export function parseHeaders(raw: string) {
  const block = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export async function startSmtpServer(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const recipientAttempts: string[] = [];
  const errors: Error[] = [];
  let smtp: TestSmtp;
  const server = new SMTPServer({
    ...loopbackSmtpOptions,
    onRcptTo(address, _session, callback) {
      recipientAttempts.push(address.address);
      if (smtp.refuse?.test(address.address)) {
        const error = Object.assign(new Error(`Mailbox ${address.address} does not exist`), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      // A client gone before the final dot: the message is not received, and the session ends.
      stream.on('error', (error) => errors.push(error));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = parseHeaders(raw);
        received.push({
          messageId: headers['message-id'] ?? '',
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          headers,
          raw,
          receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  // A client that goes away mid-conversation (a sending process killed) resets its connection: that ends
  // the session, as on a real server, and must not bring the server down.
  server.on('error', (error) => errors.push(error));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.server.address() as AddressInfo;
  smtp = {
    url: `smtp://127.0.0.1:${port}`,
    received,
    recipientAttempts,
    errors,
    refuse: undefined,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
  return smtp;
}
