import { describe, expect, it } from 'vitest';
import { defaultContactRule } from './vocabulary.ts';
import {
  contactDecision,
  contactPermission,
  contactPurposeOf,
  formatCode,
  normalizeCode,
  tokenFromBytes,
  withinCallingHours,
  type ContactSubject,
} from './rules.ts';

const day = 24 * 3600_000;
const now = Date.UTC(2026, 10, 23, 12);
const customer: ContactSubject = {
  email: 'li@example.com',
  phone: '+86 138 0013 8000',
  postalAddress: '上海市 浦东新区\n世纪大道 100 号',
  consents: { email: ['survey'], phone: ['survey'], post: ['survey'] },
  doNotContact: false,
  doNotCall: false,
};
const fresh = { lastInvitedAt: null, postInLastYear: 0 };

describe('contact rule', () => {
  it('asks for consent to the purpose: a follow-up after a complaint needs follow-up consent, a survey survey consent', () => {
    const followUpOnly = { ...customer, consents: { email: ['follow_up' as const] } };
    expect(contactDecision(followUpOnly, 'email', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactDecision(followUpOnly, 'email', fresh, defaultContactRule, now, 'follow_up')).toEqual({ ok: true });
    expect(contactDecision(customer, 'email', fresh, defaultContactRule, now, 'follow_up')).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactDecision(followUpOnly, 'email', { lastInvitedAt: now - day, postInLastYear: 0 }, defaultContactRule, now, 'follow_up')).toEqual({
      ok: false,
      reason: 'contacted_recently',
    });
    expect([contactPurposeOf('follow_up'), contactPurposeOf('satisfaction'), contactPurposeOf('complaint')]).toEqual(['follow_up', 'survey', 'survey']);
  });

  it('invites a consenting customer never contacted', () => {
    for (const delivery of ['email', 'post', 'phone'] as const) {
      expect(contactDecision(customer, delivery, fresh, defaultContactRule, now)).toEqual({ ok: true });
    }
  });

  it('skips do-not-contact first, whatever else holds', () => {
    const decision = contactDecision({ ...customer, doNotContact: true, consents: {} }, 'email', fresh, defaultContactRule, now);
    expect(decision).toEqual({ ok: false, reason: 'do_not_contact' });
  });

  it('skips do-not-call on the phone only', () => {
    const subject = { ...customer, doNotCall: true };
    expect(contactDecision(subject, 'phone', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'do_not_call' });
    expect(contactDecision(subject, 'email', fresh, defaultContactRule, now)).toEqual({ ok: true });
  });

  it('needs consent for surveys on that channel', () => {
    const subject = { ...customer, consents: { email: ['marketing' as const], phone: ['survey' as const] } };
    expect(contactDecision(subject, 'email', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactDecision(subject, 'post', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactDecision(subject, 'phone', fresh, defaultContactRule, now)).toEqual({ ok: true });
  });

  it('needs the contact detail the channel uses', () => {
    expect(contactDecision({ ...customer, email: null }, 'email', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_email' });
    expect(contactDecision({ ...customer, phone: null }, 'phone', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_phone' });
    expect(contactDecision({ ...customer, postalAddress: '  ' }, 'post', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_address' });
  });

  it('waits N days after any invitation, on any channel', () => {
    const recent = { lastInvitedAt: now - 29 * day, postInLastYear: 0 };
    expect(contactDecision(customer, 'phone', recent, defaultContactRule, now)).toEqual({ ok: false, reason: 'contacted_recently' });
    const old = { lastInvitedAt: now - 30 * day, postInLastYear: 0 };
    expect(contactDecision(customer, 'phone', old, defaultContactRule, now)).toEqual({ ok: true });
    const shorter = { ...defaultContactRule, minDaysBetween: 7 };
    expect(contactDecision(customer, 'phone', { lastInvitedAt: now - 8 * day, postInLastYear: 0 }, shorter, now)).toEqual({ ok: true });
  });

  it('sends at most two postal forms a year', () => {
    const twice = { lastInvitedAt: now - 100 * day, postInLastYear: 2 };
    expect(contactDecision(customer, 'post', twice, defaultContactRule, now)).toEqual({ ok: false, reason: 'post_limit' });
    expect(contactDecision(customer, 'email', twice, defaultContactRule, now)).toEqual({ ok: true });
    expect(contactDecision(customer, 'post', { ...twice, postInLastYear: 1 }, defaultContactRule, now)).toEqual({ ok: true });
  });
});

describe('tokens and response codes', () => {
  it('spells 80 bits in 16 characters of Crockford base32', () => {
    expect(tokenFromBytes(new Uint8Array(10))).toBe('0000000000000000');
    expect(tokenFromBytes(new Uint8Array(10).fill(255))).toBe('ZZZZZZZZZZZZZZZZ');
    expect(tokenFromBytes(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe('0000000000000001');
    expect(() => tokenFromBytes(new Uint8Array(9))).toThrow();
  });

  it('prints codes in groups and reads back what a person typed', () => {
    const token = '7K3MQ9TX0AB1CDEF';
    expect(formatCode(token)).toBe('7K3M-Q9TX-0AB1-CDEF');
    expect(normalizeCode('7k3m-q9tx-oab1-cdef')).toBe(token);
    expect(normalizeCode(' 7K3M Q9TX 0ABI CDEF ')).toBe(token);
    expect(normalizeCode('7K3M-Q9TX-0ABL-CDEF')).toBe(token);
    expect(normalizeCode('7K3M-Q9TX-0AB1')).toBeNull();
    expect(normalizeCode('7K3M-Q9TX-0AB1-CDEU')).toBeNull();
  });
});

describe('calling hours', () => {
  const hours = { start: '09:00', end: '20:00' };
  it('uses the customer’s own time zone', () => {
    // 12:00 UTC is 20:00 in Shanghai (closed) and 07:00 in New York in November (closed), 13:00 in London.
    expect(withinCallingHours(now, 'Asia/Shanghai', hours)).toBe(false);
    expect(withinCallingHours(now, 'America/New_York', hours)).toBe(false);
    expect(withinCallingHours(now, 'Europe/London', hours)).toBe(true);
    expect(withinCallingHours(now - 3600_000, 'Asia/Shanghai', hours)).toBe(true);
  });

  it('takes the start, not the end, and hours across midnight', () => {
    const shanghai9 = Date.UTC(2026, 10, 23, 1, 0);
    expect(withinCallingHours(shanghai9, 'Asia/Shanghai', hours)).toBe(true);
    expect(withinCallingHours(shanghai9 - 60_000, 'Asia/Shanghai', hours)).toBe(false);
    const late = { start: '18:00', end: '02:00' };
    expect(withinCallingHours(Date.UTC(2026, 10, 23, 17), 'Asia/Shanghai', late)).toBe(true); // 01:00
    expect(withinCallingHours(Date.UTC(2026, 10, 23, 19), 'Asia/Shanghai', late)).toBe(false); // 03:00
    expect(withinCallingHours(now, 'Asia/Shanghai', { start: '09:00', end: '09:00' })).toBe(false);
  });
});

describe('contact permission: may this customer be contacted on this channel for this purpose now?', () => {
  it('allows a consenting customer with the contact details the channel needs', () => {
    for (const channel of ['email', 'post', 'phone'] as const) expect(contactPermission(customer, channel, 'survey')).toEqual({ ok: true });
  });

  it('asks for consent to this purpose on this channel, not another', () => {
    const marketingOnly = { ...customer, consents: { email: ['marketing' as const], phone: ['survey' as const] } };
    expect(contactPermission(marketingOnly, 'email', 'survey')).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactPermission(marketingOnly, 'email', 'marketing')).toEqual({ ok: true });
    expect(contactPermission(marketingOnly, 'post', 'survey')).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactPermission(marketingOnly, 'phone', 'survey')).toEqual({ ok: true });
  });

  it('names an email withdrawal made through an unsubscribe link as such, and a consent given since wins', () => {
    const unsubscribed = { ...customer, consents: { post: ['survey' as const] }, unsubscribed: true };
    expect(contactPermission(unsubscribed, 'email', 'survey')).toEqual({ ok: false, reason: 'unsubscribed' });
    expect(contactPermission(unsubscribed, 'post', 'survey')).toEqual({ ok: true });
    expect(contactPermission({ ...customer, unsubscribed: true }, 'email', 'survey')).toEqual({ ok: true });
  });

  it('puts do-not-contact first, do-not-call on the phone only, then consent, then missing details', () => {
    expect(contactPermission({ ...customer, doNotContact: true, doNotCall: true, consents: {} }, 'phone', 'survey')).toEqual({ ok: false, reason: 'do_not_contact' });
    expect(contactPermission({ ...customer, doNotCall: true, consents: {} }, 'phone', 'survey')).toEqual({ ok: false, reason: 'do_not_call' });
    expect(contactPermission({ ...customer, doNotCall: true }, 'email', 'survey')).toEqual({ ok: true });
    expect(contactPermission({ ...customer, email: null, consents: {} }, 'email', 'survey')).toEqual({ ok: false, reason: 'no_consent' });
    expect(contactPermission({ ...customer, email: '  ' }, 'email', 'survey')).toEqual({ ok: false, reason: 'no_email' });
    expect(contactPermission({ ...customer, phone: null }, 'phone', 'survey')).toEqual({ ok: false, reason: 'no_phone' });
    expect(contactPermission({ ...customer, postalAddress: '\n' }, 'post', 'survey')).toEqual({ ok: false, reason: 'no_address' });
  });

  it('is the first part of the contact rule, which never names an unsubscribe', () => {
    const subject = { ...customer, consents: {}, unsubscribed: true } as ContactSubject;
    expect(contactDecision(subject, 'email', fresh, defaultContactRule, now)).toEqual({ ok: false, reason: 'no_consent' });
  });
});
