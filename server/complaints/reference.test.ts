import { describe, expect, it } from 'vitest';
import { formatReference, isCaseToken, newCaseToken, parseReference, replyAddress, replyTokenFrom } from './reference.ts';

describe('references', () => {
  it('are C-year-number with six digits at least', () => {
    expect(formatReference(2026, 123)).toBe('C-2026-000123');
    expect(formatReference(2026, 1)).toBe('C-2026-000001');
    expect(formatReference(2027, 1234567)).toBe('C-2027-1234567');
  });

  const read: [string, string | null][] = [
    ['C-2026-000123', 'C-2026-000123'],
    ['c-2026-000123', 'C-2026-000123'],
    ['  C 2026 000123 ', 'C-2026-000123'],
    ['C2026000123', 'C-2026-000123'],
    ['c 2026 123', 'C-2026-000123'],
    ['2026-123', 'C-2026-000123'],
    ['Ｃ－２０２６－０００１２３', 'C-2026-000123'],
    ['ｃ２０２６　０００１２３', 'C-2026-000123'],
    ['C—2026—000123', 'C-2026-000123'],
    ['C-2O26-OOO123', 'C-2026-000123'],
    ['C-2026-1234567', 'C-2026-1234567'],
    ['2026 123', 'C-2026-000123'],
    ['２０２６－１２３', 'C-2026-000123'],
    ['2025550123', null],
    ['202-555-0123', null],
    ['2026-123-4', null],
    ['C-2026', null],
    ['C-2026-000000', null],
    ['C-1999-000123', null],
    ['D-2026-000123', null],
    ['C-2026-00012X', null],
    ['', null],
    ['hello', null],
  ];
  it.each(read)('read %j as %j', (text, reference) => {
    expect(parseReference(text)).toBe(reference);
  });
});

describe('case tokens and reply addresses', () => {
  it('are 160 random bits in lowercase base32, different every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newCaseToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(isCaseToken(token)).toBe(true);
    // Every character of the alphabet turns up over 32 000 characters.
    expect(new Set([...tokens].join('')).size).toBe(32);
    expect(encodeURIComponent([...tokens][0]!)).toBe([...tokens][0]);
  });

  it('come back from a reply address whatever the case of the mail system', () => {
    const token = newCaseToken();
    const address = replyAddress(token, 'mail.example.com');
    expect(address).toBe(`reply+${token}@mail.example.com`);
    expect(replyTokenFrom(address)).toBe(token);
    expect(replyTokenFrom(address.toUpperCase())).toBe(token);
    expect(replyTokenFrom(`"Support" <${address.toUpperCase()}>`)).toBe(token);
    expect(replyTokenFrom(address, 'MAIL.example.com')).toBe(token);
    expect(replyTokenFrom(address, 'other.example.com')).toBeNull();
  });

  const others = ['support@mail.example.com', 'reply@mail.example.com', 'reply+short@mail.example.com', `reply+${'a'.repeat(31)}1@x.com`, `noreply+${'a'.repeat(32)}@x.com`, ''];
  it.each(others)('find no token in %j', (address) => {
    expect(replyTokenFrom(address)).toBeNull();
  });
});
