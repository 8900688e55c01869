import { describe, expect, it } from 'vitest';
import { defaultContactRule } from '../campaigns/vocabulary.ts';
import { afterOutcome, dayMs, followUpChannel, mayContactNow, planDecision, thankYouWindow, vipPeriod, type FollowUpSubject } from './follow-up-rules.ts';

const now = Date.UTC(2026, 11, 7, 9);
const customer = (change: Partial<FollowUpSubject> = {}): FollowUpSubject => ({
  email: 'li@example.com',
  phone: '+86 138 0000 0000',
  postalAddress: null,
  consents: { email: ['follow_up'], phone: ['follow_up'] },
  doNotContact: false,
  doNotCall: false,
  preferredChannel: null,
  ...change,
});

describe('the channel a follow-up takes', () => {
  it.each([
    ['the phone when it is their channel', customer({ preferredChannel: 'phone', consents: { email: ['follow_up'] } }), 'phone'],
    ['email with email follow-up consent', customer({ preferredChannel: null }), 'email'],
    ['email over post as preferred, with consent', customer({ preferredChannel: 'post' }), 'email'],
    ['the phone with phone consent only', customer({ consents: { phone: ['follow_up'] } }), 'phone'],
    ['their email when preferred, even without consent (the rule then says why)', customer({ preferredChannel: 'email', consents: {} }), 'email'],
    ['none without consent or a preference', customer({ consents: { email: ['survey'] } }), null],
  ] as const)('%s', (_name, subject, channel) => {
    expect(followUpChannel(subject)).toBe(channel);
  });
});

describe('whether a follow-up is planned, or why not', () => {
  const plan = (subject: FollowUpSubject, kind: 'thank_you' | 'vip' | 'at_risk' = 'thank_you', lastContactAt: number | null = null) =>
    planDecision(subject, { kind, lastContactAt, rule: defaultContactRule, now });

  it.each([
    ['planned by email', customer(), { ok: true, channel: 'email' }],
    ['do-not-contact wins over everything', customer({ doNotContact: true }), { ok: false, reason: 'do_not_contact' }],
    ['do-not-contact with no consent at all', customer({ doNotContact: true, consents: {} }), { ok: false, reason: 'do_not_contact' }],
    ['do-not-call on the phone', customer({ preferredChannel: 'phone', doNotCall: true }), { ok: false, reason: 'do_not_call' }],
    ['consent to surveys is not consent to follow-up', customer({ preferredChannel: 'email', consents: { email: ['survey'] } }), { ok: false, reason: 'no_consent' }],
    ['no consent anywhere, but reachable', customer({ consents: {} }), { ok: false, reason: 'no_consent' }],
    ['nothing to reach them by', customer({ consents: {}, email: null, phone: null }), { ok: false, reason: 'no_channel' }],
    ['a phone channel with no number', customer({ preferredChannel: 'phone', phone: ' ' }), { ok: false, reason: 'no_phone' }],
  ] as const)('%s', (_name, subject, expected) => {
    expect(plan(subject)).toMatchObject(expected);
  });

  it('keeps the contact rule’s days between contacts for thank-yous and VIPs, not for an at-risk customer’s task', () => {
    const yesterday = now - dayMs;
    expect(plan(customer(), 'thank_you', yesterday)).toMatchObject({ ok: false, reason: 'contacted_recently' });
    expect(plan(customer(), 'vip', yesterday)).toMatchObject({ ok: false, reason: 'contacted_recently' });
    expect(plan(customer(), 'at_risk', yesterday)).toEqual({ ok: true, channel: 'email' });
    expect(plan(customer(), 'thank_you', now - defaultContactRule.minDaysBetween * dayMs)).toEqual({ ok: true, channel: 'email' });
    expect(plan(customer({ doNotContact: true }), 'at_risk')).toMatchObject({ ok: false, reason: 'do_not_contact' });
  });
});

describe('working a task', () => {
  it('asks the contact rule again on the customer’s current row', () => {
    expect(mayContactNow(customer(), 'phone')).toEqual({ ok: true });
    expect(mayContactNow(customer({ consents: { email: ['follow_up'] } }), 'phone')).toEqual({ ok: false, reason: 'no_consent' });
    expect(mayContactNow(customer({ doNotCall: true }), 'phone')).toEqual({ ok: false, reason: 'do_not_call' });
    expect(mayContactNow(null, 'email')).toEqual({ ok: false, reason: 'customer_gone' });
  });

  it.each([
    ['reached', 0, { attempts: 1, open: false }],
    ['no_answer', 0, { attempts: 1, open: true }],
    ['no_answer', 1, { attempts: 2, open: true }],
    ['no_answer', 2, { attempts: 3, open: false }],
    ['wrong_number', 1, { attempts: 2, open: false }],
  ] as const)('%s after %i tries', (outcome, before, expected) => {
    expect(afterOutcome(outcome, before)).toEqual(expected);
  });
});

describe('when follow-ups are due', () => {
  it('thanks for purchases made between the earliest and latest day before now', () => {
    expect(thankYouWindow({ thankYouAfterDays: { min: 3, max: 7 } }, now)).toEqual({ from: now - 7 * dayMs, to: now - 3 * dayMs });
  });

  it('numbers VIP periods of N weeks, none at 0', () => {
    expect(vipPeriod(0, now)).toBeNull();
    const period = vipPeriod(8, now)!;
    expect(vipPeriod(8, now + 8 * 7 * dayMs)).toBe(period + 1);
    expect(vipPeriod(8, period * 8 * 7 * dayMs)).toBe(period);
  });
});
