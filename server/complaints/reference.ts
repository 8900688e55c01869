// A case's reference (C-2026-000123, readable over the phone) and its tokens: the status page link and the
// reply address. Pure; the random source is the platform's Web Crypto.
//
//   formatReference(year, number) → "C-2026-000123"
//   parseReference(text) → "C-2026-000123" | null     tolerant of what a caller reads out and an agent types
//   newCaseToken() → 32 characters of lowercase base32 (160 random bits), URL-safe, survives lower-casing
//   isCaseToken(text) → boolean
//   replyAddress(token, domain) → "reply+<token>@<domain>"
//   replyTokenFrom(address, domain?) → token | null    the token of a reply address (any case), null otherwise;
//                                                         with a domain, only an address at that domain counts
//
// Tokens use the alphabet a–z and 2–7 so that a mail system that lower-cases (or upper-cases) the local part
// of an address cannot change which case a reply belongs to.

/** The reference of case `number` opened in `year`: C-2026-000123. */
export function formatReference(year: number, number: number): string {
  return `C-${year}-${String(number).padStart(6, '0')}`;
}

// Dashes, hyphens and minus signs of every width a keyboard or an input method may give.
const separators = /[\s\-\u2010-\u2015\u2212\u30fc\uff0d\u00b7._/\\:#]+/g;

/**
 * What an agent typed for a reference, made canonical: "c 2026 123", "C2026000123", "ｃ－２０２６－０００１２３",
 * "2026-123" (the C left out, the year and number apart) and "C-2O26-OOO123" (letter O for zero) all give
 * "C-2026-000123". Null when it cannot be a reference; digits alone without the C (a phone number) are not one.
 */
export function parseReference(text: string): string | null {
  const upper = text.normalize('NFKC').toUpperCase().trim();
  let digits: string;
  if (upper.startsWith('C')) digits = upper.slice(1).replace(separators, '');
  else {
    // Without the C, the year and the number must be apart ("2026 123"), so a phone number such as
    // 2025550123 or 202-555-0123 is not taken for a reference.
    const apart = /^([\dOIL]{4})[\s\-\u2010-\u2015\u2212\u30fc\uff0d\u00b7._/\\:#]+([\dOIL]+)$/.exec(upper);
    if (!apart) return null;
    digits = apart[1]! + apart[2]!;
  }
  // Letters a caller or a tired agent uses for digits.
  digits = digits.replace(/O/g, '0').replace(/[IL]/g, '1');
  const match = /^(\d{4})(\d{1,12})$/.exec(digits);
  if (!match) return null;
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (year < 2000 || number < 1) return null;
  return formatReference(year, number);
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const tokenPattern = /^[a-z2-7]{32}$/;

/** An unguessable token: 160 random bits as 32 characters of lowercase base32. */
export function newCaseToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** Whether text has the shape of a case token (any case is accepted by the readers below; this checks the stored form). */
export function isCaseToken(text: string): boolean {
  return tokenPattern.test(text);
}

/** The address a customer's email reply goes to: reply+<token>@<domain>. */
export function replyAddress(token: string, domain: string): string {
  return `reply+${token}@${domain}`;
}

/**
 * The token in a reply address, whatever case a mail system gave it ("REPLY+ABC…@Example.COM", with or
 * without angle brackets and a display name). Null for any other address, or, when a domain is given, for an
 * address at another domain.
 */
export function replyTokenFrom(address: string, domain?: string): string | null {
  const bracketed = /<([^<>]*)>\s*$/.exec(address);
  const plain = (bracketed ? bracketed[1]! : address).trim().toLowerCase();
  const match = /^reply\+([a-z2-7]{32})@([^@\s]+)$/.exec(plain);
  if (!match) return null;
  if (domain !== undefined && match[2] !== domain.trim().toLowerCase()) return null;
  return match[1]!;
}
