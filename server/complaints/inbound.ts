// The inbound SMTP listener: customers' email replies to a case come back to reply+<token>@REPLY_DOMAIN and
// land on that case. It is a mail exchanger, so it takes no sign-in; it is never a relay either: a recipient
// that is not one of our case reply addresses is refused at RCPT TO, before any message is sent. The case is
// found by the token in the address, never by the subject. Every message is read under limits (size, parts,
// header size, time), and whatever goes wrong with one is answered to the sender and ends with it.
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { replyTokenFrom } from './reference.ts';
import { dedupeKeyOf, parseMessage, replyBody } from './inbound-mail.ts';
import { caseByReplyToken, recordCustomerReply } from './service.ts';

/** Most recipients one message may name (a reply goes to one case; a few cover a customer copying two). */
const maxRecipients = 10;

export interface InboundOptions {
  db: Db;
  config: Pick<Config, 'inboundSmtp' | 'replyDomain'>;
  /** A problem the listener survived (a broken connection, a message that could not be stored). */
  onProblem?: (text: string, error?: unknown) => void;
}

export interface InboundListener {
  port: number;
  close(): Promise<void>;
}

/** An error the SMTP conversation answers with: the reply code and the reason (smtp-server adds the enhanced code). */
function smtpError(responseCode: number, text: string) {
  return Object.assign(new Error(text), { responseCode });
}

export const refusals = {
  noSuchAddress: () => smtpError(550, 'No such case reply address'),
  lookupFailed: () => smtpError(451, 'Cannot check the address right now; try again later'),
  unreadable: (why: string) => smtpError(554, `The message could not be read: ${why}`),
  noText: () => smtpError(554, 'The message has no text to add to the case'),
  storeFailed: () => smtpError(451, 'Cannot store the message right now; try again later'),
  refused: (why: string) => smtpError(554, `The case did not take the reply: ${why.slice(0, 300)}`),
};

/** Reads the DATA stream into memory up to maxBytes; past it the rest is drained and dropped. */
function collect(stream: SMTPServerDataStream, maxBytes: number): Promise<{ raw: Buffer; over: boolean }> {
  return new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    stream.once('error', failed);
    stream.once('end', () => done({ raw: over ? Buffer.alloc(0) : Buffer.concat(chunks), over: over || stream.sizeExceeded }));
  });
}

/** Starts the listener on config.inboundSmtp; resolves once it listens. */
export async function startInboundSmtp({ db, config, onProblem = () => {} }: InboundOptions): Promise<InboundListener> {
  const settings = config.inboundSmtp;
  if (!settings) throw new Error('The inbound SMTP listener needs INBOUND_SMTP_PORT.');
  // The cases a session's accepted recipients named, by recipient address (lower case).
  const accepted = new WeakMap<SMTPServerSession, Map<string, { id: string; locale: 'zh-CN' | 'en' }>>();

  const server = new SMTPServer({
    name: config.replyDomain,
    banner: 'case replies only',
    // An MX takes mail from anyone; no sign-in is offered, and only case reply addresses are accepted.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: true,
    size: settings.maxBytes,
    rejectOversized: true,
    maxRecipients,
    // Each connection may hold one message of up to maxBytes while it is read: this bounds the memory taken.
    // More connections are told to try again later (421), which mail servers do.
    maxClients: 20,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,

    onRcptTo(address, session, callback) {
      const token = replyTokenFrom(address.address, config.replyDomain);
      if (token === null) return callback(refusals.noSuchAddress());
      caseByReplyToken(db, token).then(
        (found) => {
          if (!found) return callback(refusals.noSuchAddress());
          let cases = accepted.get(session);
          if (!cases) accepted.set(session, (cases = new Map()));
          cases.set(address.address.toLowerCase(), { id: found.id, locale: found.locale });
          callback();
        },
        (error: unknown) => {
          onProblem('Inbound mail: looking up a reply address failed.', error);
          callback(refusals.lookupFailed());
        },
      );
    },

    onData(stream, session, callback) {
      const cases = session.envelope.rcptTo
        .map((recipient) => accepted.get(session)?.get(recipient.address.toLowerCase()))
        .filter((found) => found !== undefined);
      receive(stream, cases).then(
        () => callback(null, 'Reply added to the case'),
        (error: unknown) => {
          if (error instanceof Error && 'responseCode' in error) return callback(error);
          onProblem('Inbound mail: a message could not be stored.', error);
          callback(refusals.storeFailed());
        },
      );
    },
  });

  async function receive(stream: SMTPServerDataStream, cases: { id: string; locale: 'zh-CN' | 'en' }[]) {
    const { raw, over } = await collect(stream, settings!.maxBytes);
    // smtp-server answers an oversized message itself (rejectOversized): 552 with the limit.
    if (over) return;
    let mail: ParsedMail;
    try {
      mail = await parseMessage(raw);
    } catch (error) {
      throw refusals.unreadable(error instanceof Error ? error.message.slice(0, 200) : 'unknown problem');
    }
    const dedupeKey = dedupeKeyOf(mail, raw);
    const seen = new Set<string>();
    for (const found of cases) {
      if (seen.has(found.id)) continue;
      seen.add(found.id);
      const body = replyBody(mail, found.locale);
      if (body === '') throw refusals.noText();
      // One message to two cases is one reply on each: the case's id keeps their keys apart.
      try {
        await recordCustomerReply(db, { caseId: found.id, body, via: 'email', dedupeKey: `${dedupeKey}:${found.id}` });
      } catch (error) {
        // The case refused it (the rules say no): a lasting answer, so the sender is told rather than retrying.
        if (error instanceof DomainError) throw refusals.refused(error.text.en);
        throw error;
      }
    }
  }

  await new Promise<void>((listening, failed) => {
    let started = false;
    // Before it listens, an error (the port taken) stops the start; after, a client that breaks off
    // mid-conversation ends its own session and the listener carries on.
    server.on('error', (error) => (started ? onProblem('Inbound mail: a connection failed.', error) : failed(error)));
    server.listen(settings.port, settings.host, () => {
      started = true;
      listening();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
