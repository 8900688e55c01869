// A bare SMTP client over a socket, for conversations no well-behaved library would have: a message sent
// exactly as given (dot-stuffed only), a SIZE the client names, a message far over the limit.
import { connect, type Socket } from 'node:net';

export interface SmtpSession {
  /** Sends one command line and resolves with the whole reply (every line of a multi-line one). */
  command(line: string): Promise<string>;
  /** After a 354: sends the message, dot-stuffed, and the final dot; resolves with the reply. */
  data(raw: string | Buffer): Promise<string>;
  close(): void;
  greeting: string;
}

export async function smtpSession(port: number, host = '127.0.0.1'): Promise<SmtpSession> {
  const socket: Socket = connect(port, host);
  let buffered = '';
  let waiting: ((reply: string) => void) | null = null;
  let failure: Error | null = null;
  const replies: string[] = [];
  const deliver = () => {
    // A reply ends at a line "NNN text" (a space after the code); "NNN-text" lines continue it.
    const match = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffered);
    if (!match) return;
    const end = match.index + match[0].length;
    const reply = buffered.slice(0, end).trim();
    buffered = buffered.slice(end);
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(reply);
    } else replies.push(reply);
    deliver();
  };
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    deliver();
  });
  let closed = false;
  const gone = () => `(connection closed${failure ? `: ${failure.message}` : ''})`;
  socket.on('error', (error) => {
    failure = error;
  });
  // A server that went away answers every command still to come with this, so a test fails rather than waits.
  socket.on('close', () => {
    closed = true;
    if (waiting) waiting(gone());
    waiting = null;
  });
  const next = () =>
    new Promise<string>((resolve) => {
      const ready = replies.shift();
      if (ready !== undefined) return resolve(ready);
      if (closed) return resolve(gone());
      waiting = resolve;
    });
  const greeting = await next();
  return {
    greeting,
    command(line) {
      socket.write(`${line}\r\n`);
      return next();
    },
    data(raw) {
      const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
      const stuffed = text.replace(/(^|\r\n)\./g, '$1..');
      socket.write(Buffer.from(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1'));
      return next();
    },
    close() {
      socket.end();
      socket.destroy();
    },
  };
}

/** One whole transaction: EHLO, MAIL FROM, RCPT TO, DATA and the message; every reply on the way. */
export async function sendRaw(port: number, to: string, raw: string | Buffer, mailFromArgs = '') {
  const session = await smtpSession(port);
  try {
    const ehlo = await session.command('EHLO client.example.net');
    const mail = await session.command(`MAIL FROM:<someone@example.net>${mailFromArgs}`);
    const rcpt = await session.command(`RCPT TO:<${to}>`);
    if (!rcpt.startsWith('250')) return { ehlo, mail, rcpt, data: '', final: '' };
    const data = await session.command('DATA');
    const final = data.startsWith('354') ? await session.data(raw) : '';
    await session.command('QUIT');
    return { ehlo, mail, rcpt, data, final };
  } finally {
    session.close();
  }
}
