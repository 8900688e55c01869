// One inbound email read into a case reply: parsed by mailparser under limits a hostile message cannot get
// past (header size, number of parts, HTML size, time), the customer's own words kept, attachments named.
import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { replyText } from './reply-text.ts';

/** The longest one message may take to be read; a message that takes longer is refused. */
export const parseTimeoutMs = 15_000;

/** The text of a parsed message as the customer wrote it, attachments named (never kept). */
export function replyBody(mail: ParsedMail, locale: 'zh-CN' | 'en'): string {
  const text = replyText(typeof mail.text === 'string' ? mail.text : '');
  const names = mail.attachments
    .filter((attachment) => !attachment.related)
    .map((attachment) => (attachment.filename ?? attachment.contentType).replace(/[\u0000-\u001f]/g, ' ').slice(0, 200))
    .slice(0, 20);
  if (names.length === 0) return text;
  const note = locale === 'zh-CN' ? `（邮件附件未保存：${names.join('、')}）` : `(Email attachments not kept: ${names.join(', ')})`;
  return text === '' ? note : `${text}\n\n${note}`;
}

/** mailparser with limits on what a hostile message can make it do, and a time limit. */
export async function parseMessage(raw: Buffer): Promise<ParsedMail> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, failed) => {
    timer = setTimeout(() => failed(new Error('it took too long to read')), parseTimeoutMs);
  });
  try {
    return await Promise.race([
      simpleParser(raw, {
        skipImageLinks: true,
        keepCidLinks: true,
        skipTextToHtml: true,
        skipTextLinks: true,
        checksumAlgo: false,
        ignoreEmbedded: true,
        maxHeadSize: 128 * 1024,
        maxChildNodes: 200,
        maxHtmlLengthToParse: 1024 * 1024,
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The key a repeated delivery of one message is known by: its Message-ID, or a digest of it without one. */
export function dedupeKeyOf(mail: ParsedMail, raw: Buffer): string {
  const messageId = typeof mail.messageId === 'string' ? mail.messageId.trim().slice(0, 500) : '';
  if (messageId !== '') return `email:${messageId}`;
  // No Message-ID: the body without the trace headers relays add (a redelivery carries new Received lines).
  const split = raw.indexOf('\r\n\r\n');
  const body = split < 0 ? raw : raw.subarray(split);
  return `email-sha256:${createHash('sha256').update(body).digest('hex')}`;
}
