// Complaint cases written straight into the database, their clocks set where a test needs them (time is moved
// by writing deadlines into the past, never by waiting), and the mail a real SMTP server received, decoded.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../server/db/client.ts';
import { complaintCases, users } from '../../server/db/schema.ts';
import type { ReceivedMail } from './smtp.ts';

let nextNumber = 1;

export type CaseFields = Partial<typeof complaintCases.$inferInsert>;

/** A case in progress with its reference and tokens; `fields` override anything. Returns its id. */
export async function insertCase(db: Db, fields: CaseFields = {}): Promise<string> {
  const id = fields.id ?? randomUUID();
  const number = fields.number ?? 900_000 + nextNumber++;
  await db.insert(complaintCases).values({
    id,
    number,
    reference: `C-2026-${String(number).padStart(6, '0')}`,
    status: 'in_progress',
    source: 'agent',
    channel: 'phone',
    category: 'delivery',
    severity: 'minor',
    description: 'The parcel came two weeks late.',
    locale: 'en',
    statusToken: randomBytes(18).toString('base64url'),
    replyToken: randomBytes(18).toString('base64url'),
    ...fields,
  });
  return id;
}

export async function insertStaff(db: Db, person: { id: string; role: 'admin' | 'manager' | 'support' | 'interviewer'; active?: boolean; email?: string }) {
  await db.insert(users).values({
    id: person.id,
    email: person.email ?? `${person.id}@example.com`,
    name: person.id,
    role: person.role,
    passwordHash: 'not-used',
    active: person.active ?? true,
  });
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_all, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8'),
  );
}

/** A received text message's subject and body, decoded (encoded words, quoted-printable or base64). */
export function readMail(mail: ReceivedMail): { to: string; subject: string; text: string } {
  const split = mail.raw.search(/\r?\n\r?\n/);
  const body = mail.raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const encoding = (mail.headers['content-transfer-encoding'] ?? '').toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') {
    text = Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { to: mail.to.join(','), subject: decodeWords(mail.headers.subject ?? ''), text: text.replace(/\r\n/g, '\n') };
}

export const uniqueId = () => randomUUID();
