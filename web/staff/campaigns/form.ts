// The campaign form as the page edits it (text in inputs), and the request body it becomes; the funnel's
// numbers as shown; when the page follows an email campaign's sending. Pure: no I/O, no signals.
import type { Audience, BilingualText, CampaignDelivery, CampaignSettings } from '../../../server/campaigns/vocabulary.ts';
import type { CampaignDetail, CampaignInput, CampaignUpdate, SendingProgress } from '../../../server/campaigns/types.ts';
import { defaultInvitationEmail } from '../../../server/campaigns/settings.ts';

export interface AudienceForm {
  q: string;
  segment: string;
  region: string;
  tier: '' | 'vip' | 'important' | 'ordinary';
  kind: '' | 'individual' | 'enterprise';
}

/** Numbers are kept as typed, so a wrong one reaches the server and comes back with its own message. */
export interface CampaignForm {
  name: string;
  surveyId: string;
  delivery: CampaignDelivery;
  audience: AudienceForm;
  email: { subject: BilingualText; body: BilingualText };
  reminders: { afterDays: string; max: string };
  phone: { maxAttempts: string; start: string; end: string; script: BilingualText };
  post: { doubleKeying: boolean };
  kiosk: { location: string; idleSeconds: string };
  /** Event types as typed: names separated by commas or spaces. */
  event: { delayHours: string; eventTypes: string };
}

/** The deliveries that invite an audience of customers; kiosk and event campaigns have none. */
export const audienceDeliveries: readonly CampaignDelivery[] = ['email', 'post', 'phone'];

export function hasAudience(delivery: CampaignDelivery): boolean {
  return audienceDeliveries.includes(delivery);
}

/** A new campaign: every setting at the default the server would give it. */
export function newCampaignForm(): CampaignForm {
  return {
    name: '',
    surveyId: '',
    delivery: 'email',
    audience: { q: '', segment: '', region: '', tier: '', kind: '' },
    email: structuredClone(defaultInvitationEmail),
    reminders: { afterDays: '3', max: '2' },
    phone: { maxAttempts: '5', start: '09:00', end: '20:00', script: { en: '', 'zh-CN': '' } },
    post: { doubleKeying: false },
    kiosk: { location: '', idleSeconds: '60' },
    event: { delayHours: '24', eventTypes: '' },
  };
}

/** A saved campaign's form: its own values over the defaults. */
export function campaignForm(campaign: CampaignDetail): CampaignForm {
  const form = newCampaignForm();
  const settings = campaign.settings;
  const audience = campaign.audience ?? {};
  return {
    name: campaign.name,
    surveyId: campaign.surveyId,
    delivery: campaign.delivery,
    audience: {
      q: audience.q ?? '',
      segment: audience.segment ?? '',
      region: audience.region ?? '',
      tier: audience.tier ?? '',
      kind: audience.kind ?? '',
    },
    email: settings.email ? structuredClone(settings.email) : form.email,
    reminders: settings.reminders
      ? { afterDays: String(settings.reminders.afterDays), max: String(settings.reminders.max) }
      : form.reminders,
    phone: settings.phone
      ? {
          maxAttempts: String(settings.phone.maxAttempts),
          start: settings.phone.callingHours.start,
          end: settings.phone.callingHours.end,
          script: settings.phone.script ? { ...settings.phone.script } : form.phone.script,
        }
      : form.phone,
    post: settings.post ? { doubleKeying: settings.post.doubleKeying } : form.post,
    kiosk: settings.kiosk
      ? { location: settings.kiosk.location, idleSeconds: String(settings.kiosk.idleSeconds) }
      : form.kiosk,
    event: settings.event
      ? { delayHours: String(settings.event.delayHours), eventTypes: settings.event.eventTypes.join(', ') }
      : form.event,
  };
}

/** A number when the text is one; otherwise the text itself, for the server to name the problem. */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The filter with blank fields left out; {} is every customer. */
export function audienceOf(form: AudienceForm): Audience {
  const audience: Audience = {};
  if (form.q.trim()) audience.q = form.q.trim();
  if (form.segment) audience.segment = form.segment;
  if (form.region) audience.region = form.region;
  if (form.tier) audience.tier = form.tier;
  if (form.kind) audience.kind = form.kind;
  return audience;
}

export function eventTypesOf(text: string): string[] {
  return text
    .split(/[\s,，]+/)
    .map((type) => type.trim())
    .filter((type) => type !== '');
}

/** Only the chosen delivery's settings; numbers the server checks are sent as typed when they are not numbers. */
export function settingsOf(form: CampaignForm): CampaignSettings {
  // The server validates each field and answers per field, so a non-number passes through as text here.
  const n = (text: string) => numberOrText(text) as number;
  switch (form.delivery) {
    case 'email':
      return {
        email: structuredClone(form.email),
        reminders: { afterDays: n(form.reminders.afterDays), max: n(form.reminders.max) },
      };
    case 'phone': {
      const script = form.phone.script.en.trim() || form.phone.script['zh-CN'].trim() ? { ...form.phone.script } : undefined;
      return {
        phone: {
          maxAttempts: n(form.phone.maxAttempts),
          callingHours: { start: form.phone.start.trim(), end: form.phone.end.trim() },
          ...(script ? { script } : {}),
        },
      };
    }
    case 'post':
      return { post: { doubleKeying: form.post.doubleKeying } };
    case 'kiosk':
      return { kiosk: { location: form.kiosk.location, idleSeconds: n(form.kiosk.idleSeconds) } };
    case 'event':
      return { event: { delayHours: n(form.event.delayHours), eventTypes: eventTypesOf(form.event.eventTypes) } };
  }
}

/** POST /api/campaigns */
export function createRequest(form: CampaignForm): CampaignInput {
  return {
    name: form.name,
    surveyId: form.surveyId,
    delivery: form.delivery,
    ...(hasAudience(form.delivery) ? { audience: audienceOf(form.audience) } : {}),
    settings: settingsOf(form),
  };
}

/** PUT /api/campaigns/:id: the survey and delivery stay as created. */
export function updateRequest(form: CampaignForm): CampaignUpdate {
  return {
    name: form.name,
    ...(hasAudience(form.delivery) ? { audience: audienceOf(form.audience) } : {}),
    settings: settingsOf(form),
  };
}

/** "42%" for 0.42; a dash when nobody was invited yet. */
export function formatRate(rate: number | null, none = '—'): string {
  if (rate === null || !Number.isFinite(rate)) return none;
  const percent = rate * 100;
  // Below 10% one decimal tells small campaigns apart; above it whole percents read better.
  return `${percent < 10 && percent > 0 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** Messages sent or failed out of all, as a whole percent for the progress bar. */
export function sendingPercent(sending: SendingProgress): number {
  if (sending.total === 0) return 0;
  return Math.round(((sending.sent + sending.failed + sending.skipped) / sending.total) * 100);
}

/** The page reloads the campaign every few seconds while invitations are being made or mail is waiting. */
export function followsSending(campaign: Pick<CampaignDetail, 'status' | 'sending'>): boolean {
  if (campaign.status === 'launching') return true;
  return campaign.sending !== null && campaign.sending.held + campaign.sending.sending > 0;
}

/** Mail held in the Outbox with nothing moving: no server process with SMTP_URL has taken it yet. */
export function mailHeld(sending: SendingProgress | null): boolean {
  return sending !== null && sending.held > 0 && sending.sending === 0;
}
