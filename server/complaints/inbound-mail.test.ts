import { describe, expect, it } from 'vitest';
import { hostileMessages } from '../../tests/support/hostile-mail.ts';
import { dedupeKeyOf, parseMessage, replyBody } from './inbound-mail.ts';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('reading an inbound reply', () => {
  it('takes the text part, leaves the quoted message out and names attachments without keeping them', async () => {
    const raw = crlf([
      'From: Li <li@example.net>',
      'To: reply+abc@support.example.com',
      'Subject: Re: [C-2026-000001] Your complaint',
      'Message-ID: <one@example.net>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      '--m',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'The replacement is broken too.',
      '',
      'On Tue, 3 Mar 2026 at 10:00, Support <reply+abc@support.example.com> wrote:',
      '> We sent a replacement.',
      '--m',
      'Content-Type: image/jpeg; name="photo.jpg"',
      'Content-Disposition: attachment; filename="photo.jpg"',
      'Content-Transfer-Encoding: base64',
      '',
      '/9j/4AAQSkZJRgABAQ==',
      '--m--',
    ]);
    const mail = await parseMessage(raw);
    expect(replyBody(mail, 'en')).toBe('The replacement is broken too.\n\n(Email attachments not kept: photo.jpg)');
    expect(replyBody(mail, 'zh-CN')).toBe('The replacement is broken too.\n\n（邮件附件未保存：photo.jpg）');
    expect(dedupeKeyOf(mail, raw)).toBe('email:<one@example.net>');
  });

  it('turns an HTML-only reply into text', async () => {
    const raw = crlf([
      'From: Li <li@example.net>',
      'To: reply+abc@support.example.com',
      'Subject: Re: hi',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><body><p>还是<b>没有</b>收到退款。</p><div class="gmail_quote"><div>On Tue, 3 Mar 2026 at 10:00, Support &lt;x@example.com&gt; wrote:<br></div><blockquote>已为您退款。</blockquote></div></body></html>',
    ]);
    const mail = await parseMessage(raw);
    expect(replyBody(mail, 'zh-CN')).toBe('还是没有收到退款。');
  });

  it('knows a message without a Message-ID again by its body, whatever relays added above it', async () => {
    const first = crlf(['Received: from a by b', 'Subject: Re: hi', '', 'same words']);
    const again = crlf(['Received: from c by d', 'Received: from a by b', 'Subject: Re: hi', '', 'same words']);
    const other = crlf(['Received: from a by b', 'Subject: Re: hi', '', 'other words']);
    const key = dedupeKeyOf(await parseMessage(first), first);
    expect(key).toMatch(/^email-sha256:[0-9a-f]{64}$/);
    expect(dedupeKeyOf(await parseMessage(again), again)).toBe(key);
    expect(dedupeKeyOf(await parseMessage(other), other)).not.toBe(key);
  });

  it('answers every hostile message, read or refused with an Error, and never hangs', async () => {
    for (const message of hostileMessages('reply+abc@support.example.com')) {
      const outcome = await parseMessage(Buffer.from(message.raw, 'latin1')).then(
        (mail) => ({ read: true as const, body: replyBody(mail, 'en') }),
        (error: unknown) => ({ read: false as const, error }),
      );
      if (!outcome.read) expect(outcome.error, message.name).toBeInstanceOf(Error);
      else expect(outcome.body, message.name).not.toContain('\u0000');
    }
  });
});
