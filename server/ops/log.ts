// The server's log: one JSON object a line on stdout (pino), at the level LOG_LEVEL names. A log line carries
// no personal data and no secret: requests are logged by their route pattern (never the path itself, which may
// hold a token, nor the query, body, cookies or headers), and errors by their kind and the first line of their
// message, without the parameters a failed query lists.
import { pino, type Logger } from 'pino';
import type { Config } from '../config.ts';

export type { Logger } from 'pino';

export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Levels as words ("info"), which a person and a log collector both read.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorFields },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * What a log line says of an error: its kind, code and the first line of its message with any email address
 * blanked, and the same of its cause. A failed query's message goes on with the values it was given ("params: …"), which may be a
 * customer's; those lines are left out, and so is the stack's message line (the frames stay).
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: typeof error === 'string' ? firstLine(error) : 'A value that is not an Error was thrown.' };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: firstLine(error.message),
    ...(error.stack ? { stack: error.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12).join('\n') } : {}),
    ...(error.cause !== undefined ? { cause: errorFields(error.cause) } : {}),
  };
}

// An error from elsewhere may name an address (an SMTP server refusing <zhang@example.com>): it is blanked.
const emailLike = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;
const firstLine = (text: string) => text.split('\n', 1)[0]!.slice(0, 500).replace(emailLike, '<address>');
