// The pure rules of campaigns: the contact rule, invitation tokens and calling hours. No I/O.
import type { ContactChannel, ContactPurpose, Consents } from '../customers/vocabulary.ts';
import type { ContactRefusal, ContactRule, InvitationDelivery, SkipReason } from './vocabulary.ts';

const dayMs = 24 * 3600_000;

/** What the contact rule needs to know of a customer. */
export interface ContactSubject {
  email: string | null;
  phone: string | null;
  postalAddress: string | null;
  consents: Consents;
  doNotContact: boolean;
  doNotCall: boolean;
}

/** The customer's invitations so far, on every channel (skipped ones not counted). */
export interface ContactHistory {
  /** Epoch ms of the latest invitation, or null. */
  lastInvitedAt: number | null;
  /** Postal invitations in the 365 days before now. */
  postInLastYear: number;
}

const consentChannel: Record<InvitationDelivery, ContactChannel> = { email: 'email', post: 'post', phone: 'phone' };

/** What the customer's own "no" is made of, read from the customer's current row. */
export type ConsentSubject = ContactSubject & {
  /** The customer unsubscribed through a link in one of our emails and gave no email consent since. */
  unsubscribed?: boolean;
};

/**
 * May this customer be contacted on this channel for this purpose now, or why not? The one rule every
 * outgoing contact answers to, at launch and again at the moment of sending. The reasons are checked in
 * this order, so the one shown is the most lasting: do-not-contact, do-not-call (phone), consent (shown as
 * an unsubscribe when the customer withdrew through a link), then missing contact details.
 */
export function contactPermission(
  customer: ConsentSubject,
  channel: ContactChannel,
  purpose: ContactPurpose,
): { ok: true } | { ok: false; reason: ContactRefusal } {
  if (customer.doNotContact) return { ok: false, reason: 'do_not_contact' };
  if (channel === 'phone' && customer.doNotCall) return { ok: false, reason: 'do_not_call' };
  if (!(customer.consents[channel] ?? []).includes(purpose)) {
    return { ok: false, reason: channel === 'email' && customer.unsubscribed ? 'unsubscribed' : 'no_consent' };
  }
  if (channel === 'email' && !customer.email?.trim()) return { ok: false, reason: 'no_email' };
  if (channel === 'phone' && !customer.phone?.trim()) return { ok: false, reason: 'no_phone' };
  if (channel === 'post' && !customer.postalAddress?.trim()) return { ok: false, reason: 'no_address' };
  return { ok: true };
}

/**
 * Whether a customer may be invited to a survey on this channel now, or why not: the contact permission
 * for the purpose (a survey; the follow-up after a complaint) first, then the limits that pass with time.
 */
export function contactDecision(
  customer: ContactSubject,
  delivery: InvitationDelivery,
  history: ContactHistory,
  rule: ContactRule,
  now: number,
  purpose: ContactPurpose = 'survey',
): { ok: true } | { ok: false; reason: SkipReason } {
  const permission = contactPermission({ ...customer, unsubscribed: false }, consentChannel[delivery], purpose);
  if (!permission.ok) return permission as { ok: false; reason: SkipReason };
  if (history.lastInvitedAt !== null && now - history.lastInvitedAt < rule.minDaysBetween * dayMs) {
    return { ok: false, reason: 'contacted_recently' };
  }
  if (delivery === 'post' && history.postInLastYear >= rule.postPerYear) return { ok: false, reason: 'post_limit' };
  return { ok: true };
}

export const yearMs = 365 * dayMs;

/** What a customer must have consented to for a campaign's contacts: follow-up surveys ask about a complaint, the rest are surveys. */
export const contactPurposeOf = (surveyKind: 'satisfaction' | 'complaint' | 'follow_up'): ContactPurpose =>
  surveyKind === 'follow_up' ? 'follow_up' : 'survey';

// Crockford's base32: no I, L, O or U, so a code read off paper is not mistaken.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const tokenLength = 16;

/** A token of 16 characters (80 random bits) from 10 random bytes. */
export function tokenFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 10) throw new Error('A token needs exactly 10 random bytes.');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** A token as printed on paper: four groups of four, e.g. 7K3M-Q9TX-... */
export function formatCode(token: string) {
  return token.match(/.{1,4}/g)?.join('-') ?? token;
}

/**
 * A code as a person typed it back into a token: case, spaces and dashes ignored, and the letters that
 * look like digits read as those digits (O as 0, I and L as 1). Null when it cannot be a token.
 */
export function normalizeCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== tokenLength) return null;
  for (const ch of cleaned) if (!alphabet.includes(ch)) return null;
  return cleaned;
}

/** Minutes after local midnight for "HH:MM". */
export function minutesOf(clock: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The local time of day, in minutes after midnight, at `now` in a time zone. */
export function localMinutes(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/**
 * Whether `now` falls inside the calling hours in the customer's time zone. The start is inclusive, the
 * end exclusive; hours that pass midnight (e.g. 18:00 to 02:00) are allowed.
 */
export function withinCallingHours(now: number, timeZone: string, hours: { start: string; end: string }): boolean {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === null || end === null || start === end) return false;
  const local = localMinutes(now, timeZone);
  return start < end ? local >= start && local < end : local >= start || local < end;
}
