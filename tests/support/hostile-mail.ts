// Raw messages made to hurt a mail reader: deep nesting, huge headers, bad encodings, endless base64,
// missing boundaries, NUL bytes. Each is a whole message (CRLF line ends, no final dot) to a given address.

const crlf = (lines: string[]) => lines.join('\r\n');

function headers(to: string, extra: string[] = []) {
  return [`From: Someone <someone@example.net>`, `To: ${to}`, `Subject: hostile`, `Message-ID: <${Math.random().toString(36).slice(2)}@example.net>`, 'MIME-Version: 1.0', ...extra];
}

/** multipart inside multipart, `depth` levels down, with a text part at the bottom. */
function nested(depth: number) {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level++) {
    open.push(`--b${level}`, `Content-Type: multipart/mixed; boundary="b${level + 1}"`, '');
    close.unshift(`--b${level}--`);
  }
  return [...open, `--b${depth}`, 'Content-Type: text/plain', '', 'deep down', `--b${depth}--`, ...close];
}

export function hostileMessages(to: string): { name: string; raw: string }[] {
  return [
    {
      name: 'multipart nested 5000 deep',
      raw: crlf([...headers(to, ['Content-Type: multipart/mixed; boundary="b0"']), '', ...nested(5000)]),
    },
    {
      name: 'a header block of 2 MB',
      raw: crlf([...headers(to, [`X-Filler: ${'a'.repeat(2 * 1024 * 1024)}`]), '', 'body']),
    },
    {
      name: '20000 headers',
      raw: crlf([...headers(to, Array.from({ length: 20_000 }, (_, index) => `X-H${index}: v`)), '', 'body']),
    },
    {
      name: 'a multipart without its boundary parameter',
      raw: crlf([...headers(to, ['Content-Type: multipart/alternative']), '', '--x', 'Content-Type: text/plain', '', 'hello', '--x--']),
    },
    {
      name: 'a boundary that never appears and no closing one',
      raw: crlf([...headers(to, ['Content-Type: multipart/mixed; boundary="never"']), '', 'text with no parts at all', '--other', 'more']),
    },
    {
      name: 'base64 that is not base64, at 3 MB',
      raw: crlf([...headers(to, ['Content-Type: text/plain', 'Content-Transfer-Encoding: base64']), '', ...Array.from({ length: 40_000 }, () => '!!!!@@@@####$$$$%%%%^^^^&&&&****(((())))____++++====~~~~````').slice(0, 40_000)]),
    },
    {
      name: 'an attachment of one repeated base64 character (zip-bomb-like)',
      raw: crlf([
        ...headers(to, ['Content-Type: multipart/mixed; boundary="z"']),
        '',
        '--z',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--z',
        'Content-Type: application/zip; name="bomb.zip"',
        'Content-Disposition: attachment; filename="bomb.zip"',
        'Content-Transfer-Encoding: base64',
        '',
        ...Array.from({ length: 30_000 }, () => 'A'.repeat(76)),
        '--z--',
      ]),
    },
    {
      name: 'NUL bytes in headers and body',
      raw: crlf([...headers(to, ['X-Nul: a\u0000b']), '', 'hello\u0000world\u0000']),
    },
    {
      name: 'an unknown charset and broken quoted-printable',
      raw: crlf([...headers(to, ['Content-Type: text/plain; charset="x-no-such-charset"', 'Content-Transfer-Encoding: quoted-printable']), '', '=ZZ=4=\u00ff=E4=BD=A0 hello =']),
    },
    {
      name: 'encoded words gone wrong in the subject',
      raw: crlf([
        `From: =?utf-8?B?!!!?= <someone@example.net>`,
        `To: ${to}`,
        `Subject: ${'=?x-unknown?Q?=FF=FE?= '.repeat(5000)}`,
        'Message-ID: <encoded-words@example.net>',
        '',
        'body',
      ]),
    },
    {
      name: '300 parts side by side',
      raw: crlf([
        ...headers(to, ['Content-Type: multipart/mixed; boundary="p"']),
        '',
        ...Array.from({ length: 300 }, (_, index) => ['--p', 'Content-Type: text/plain', '', `part ${index}`]).flat(),
        '--p--',
      ]),
    },
    {
      name: 'a 1.5 MB HTML part with deep tags',
      raw: crlf([...headers(to, ['Content-Type: text/html']), '', `<html><body>${'<div>'.repeat(200_000)}hi${'</div>'.repeat(100_000)}`]),
    },
    {
      name: 'binary junk with no headers at all',
      raw: Array.from({ length: 50_000 }, (_, index) => String.fromCharCode((index * 7919) % 256)).join('').replace(/\r?\n\.\r?\n/g, ''),
    },
  ];
}
