// The pure rules of follow-ups: which channel a follow-up takes, whether it may be made now under the one
// contact rule, when each kind is due, and what an outcome does to a task. No I/O.
import { contactDecision, contactPermission, type ContactSubject } from '../campaigns/rules.ts';
import type { ContactRule } from '../campaigns/vocabulary.ts';
import type { ContactChannel } from '../customers/vocabulary.ts';
import type { LoyaltySettings } from './settings.ts';
import type { FollowUpChannel, FollowUpOutcome, FollowUpSkipReason } from './vocabulary.ts';

export const dayMs = 24 * 3600_000;
/** A task not answered this many times is closed as not reached. */
export const followUpMaxAttempts = 3;

/** What the rules read of a customer. */
export type FollowUpSubject = ContactSubject & { preferredChannel: ContactChannel | null };

/**
 * The channel a follow-up takes: the phone when it is the customer's channel; otherwise email when the customer
 * consented to email follow-up, else the phone when they consented to phone follow-up; otherwise their preferred
 * channel if it is email (the contact rule then says why not). Null: no channel a follow-up can use.
 */
export function followUpChannel(customer: FollowUpSubject): FollowUpChannel | null {
  if (customer.preferredChannel === 'phone') return 'phone';
  if (customer.consents.email?.includes('follow_up')) return 'email';
  if (customer.consents.phone?.includes('follow_up')) return 'phone';
  if (customer.preferredChannel === 'email') return 'email';
  return null;
}

/**
 * Whether a follow-up may be planned for this customer now, and on which channel, or why not. Every kind answers
 * the contact rule's permission (do-not-contact, do-not-call, consent to follow-up on the channel, the details);
 * the thank-you and the VIP follow-up also keep its days between contacts (`lastContactAt`: the latest invitation
 * or follow-up that reached or was to reach the customer). An at-risk customer's task is not held back by a recent
 * contact: the owner is to look after the account whatever was sent last week.
 */
export function planDecision(
  customer: FollowUpSubject,
  input: { kind: 'thank_you' | 'vip' | 'at_risk'; lastContactAt: number | null; rule: ContactRule; now: number },
): { ok: true; channel: FollowUpChannel } | { ok: false; reason: FollowUpSkipReason; channel: FollowUpChannel | null } {
  const channel = followUpChannel(customer);
  if (!channel) {
    if (customer.doNotContact) return { ok: false, reason: 'do_not_contact', channel: null };
    // Someone we could write to or call, who did not consent to follow-up either way; or no way at all.
    return { ok: false, reason: customer.email?.trim() || customer.phone?.trim() ? 'no_consent' : 'no_channel', channel: null };
  }
  if (input.kind === 'at_risk') {
    const permission = contactPermission(customer, channel, 'follow_up');
    return permission.ok ? { ok: true, channel } : { ok: false, reason: permission.reason, channel };
  }
  const decision = contactDecision(customer, channel, { lastInvitedAt: input.lastContactAt, postInLastYear: 0 }, input.rule, input.now, 'follow_up');
  return decision.ok ? { ok: true, channel } : { ok: false, reason: decision.reason as FollowUpSkipReason, channel };
}

/** Whether the customer may still be contacted for follow-up on this channel: asked again when a task is worked. */
export function mayContactNow(customer: ContactSubject | null, channel: FollowUpChannel): { ok: true } | { ok: false; reason: FollowUpSkipReason } {
  if (!customer) return { ok: false, reason: 'customer_gone' };
  return contactPermission(customer, channel, 'follow_up');
}

/** The purchases whose thank-you is due at `now`: bought between max and min days before. */
export function thankYouWindow(settings: Pick<LoyaltySettings['followUp'], 'thankYouAfterDays'>, now: number): { from: number; to: number } {
  return { from: now - settings.thankYouAfterDays.max * dayMs, to: now - settings.thankYouAfterDays.min * dayMs };
}

/** The VIP follow-up period a moment falls in (0 weeks: none), numbered from the epoch. */
export function vipPeriod(everyWeeks: number, now: number): number | null {
  if (everyWeeks <= 0) return null;
  return Math.floor(now / (everyWeeks * 7 * dayMs));
}

/** A task's state after an outcome: no answer keeps it open until its attempts are used, any other closes it. */
export function afterOutcome(outcome: FollowUpOutcome, attemptsBefore: number): { attempts: number; open: boolean } {
  const attempts = attemptsBefore + 1;
  return { attempts, open: outcome === 'no_answer' && attempts < followUpMaxAttempts };
}
