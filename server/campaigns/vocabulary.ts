// The words of campaigns, shared by the database schema, the API, the rules and the staff app.
// Kept free of imports so the schema and the browser bundle can both take it.

/**
 * How a campaign reaches customers. email, post and phone invite an audience; kiosk runs a survey on a
 * device at a location; event invites one customer at a time when an integration reports an event, on
 * the customer's preferred channel.
 */
export const campaignDeliveries = ['email', 'post', 'phone', 'kiosk', 'event'] as const;
export type CampaignDelivery = (typeof campaignDeliveries)[number];

/** How one invitation reaches its customer. */
export const invitationDeliveries = ['email', 'post', 'phone'] as const;
export type InvitationDelivery = (typeof invitationDeliveries)[number];

/** The survey channel a response arrives on, by how the customer was reached. */
export const responseChannelOf = {
  email: 'mail',
  post: 'mail',
  phone: 'phone',
  kiosk: 'onsite',
} as const satisfies Record<Exclude<CampaignDelivery, 'event'>, 'phone' | 'mail' | 'onsite' | 'web'>;

/** draft: being set up; launching: invitations being made; running: taking answers; closed: no more. */
export const campaignStatuses = ['draft', 'launching', 'running', 'closed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/**
 * Why a customer may not be contacted at all right now, whatever the campaign: the customer's own "no" or
 * missing contact details. Checked when a campaign invites and again when each contact is made (an email
 * handed to SMTP, a letter printed, a call offered), so a withdrawal after launch still wins.
 */
export const contactRefusals = ['do_not_contact', 'do_not_call', 'no_consent', 'unsubscribed', 'no_email', 'no_phone', 'no_address'] as const;
export type ContactRefusal = (typeof contactRefusals)[number];

/** Why a message was not sent: the customer may not be contacted, or their data was erased before it went. */
export const messageSkipReasons = [...contactRefusals, 'erased'] as const;

/** Why a customer in a campaign's audience was not invited. */
export const skipReasons = [
  'do_not_contact',
  'do_not_call',
  'no_consent',
  'contacted_recently',
  'post_limit',
  'no_email',
  'no_phone',
  'no_address',
  'no_preferred_channel',
] as const;
export type SkipReason = (typeof skipReasons)[number];

/** What a phone call came to. */
export const callOutcomes = ['completed', 'no_answer', 'busy', 'refused', 'wrong_number', 'callback'] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/** Where a phone invitation stands: open to be called, or closed for good and why. */
export const callStates = ['open', 'completed', 'refused', 'wrong_number', 'attempts_used', 'do_not_call'] as const;
export type CallState = (typeof callStates)[number];

/** The saved filter over customers that is a campaign's audience (the customer list's filters). */
export interface Audience {
  q?: string;
  segment?: string;
  region?: string;
  tier?: 'vip' | 'important' | 'ordinary';
  kind?: 'individual' | 'enterprise';
}

/** Text in both languages (as surveys/definition.ts LocalizedText, repeated here to stay import-free). */
export interface BilingualText {
  'zh-CN': string;
  en: string;
}

export interface CampaignSettings {
  /** email: the invitation's subject and body in both languages; {{name}}, {{survey}}, {{link}} are filled in. */
  email?: { subject: BilingualText; body: BilingualText };
  /** email: reminders to non-responders, the first after `afterDays`, at most `max`. */
  reminders?: { afterDays: number; max: number };
  /** phone: calls per customer at most, the hours (customer's local time) calls may be made, what to say. */
  phone?: { maxAttempts: number; callingHours: { start: string; end: string }; script?: BilingualText };
  /** post: every form is keyed in twice by two people, and differences are settled before storing. */
  post?: { doubleKeying: boolean };
  /** kiosk: where the device stands, and seconds without a touch before the form resets. */
  kiosk?: { location: string; idleSeconds: number };
  /** event: hours after the event before the invitation goes out, and which events trigger it. */
  event?: { delayHours: number; eventTypes: string[] };
}

/** The one contact rule across channels (admin setting). */
export interface ContactRule {
  /** No customer is invited more often than once in this many days, whatever the channel. */
  minDaysBetween: number;
  /** Postal questionnaires per customer in any 365 days, at most. */
  postPerYear: number;
}

export const defaultContactRule: ContactRule = { minDaysBetween: 30, postPerYear: 2 };
