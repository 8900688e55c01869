// The shapes the campaigns API answers with, shared by the server and the staff app. Types only.
import type {
  Audience,
  BilingualText,
  CallState,
  CampaignDelivery,
  CampaignSettings,
  CampaignStatus,
  ContactRule,
  InvitationDelivery,
  SkipReason,
} from './vocabulary.ts';

export type { Audience, BilingualText, CampaignDelivery, CampaignSettings, CampaignStatus, InvitationDelivery, SkipReason };

/** How far a campaign has got. responseRate = completed / invited, null when nobody was invited. */
export interface Funnel {
  audience: number;
  skipped: number;
  invited: number;
  delivered: number;
  opened: number;
  started: number;
  completed: number;
  responseRate: number | null;
}

export interface CampaignSummary {
  id: string;
  name: string;
  surveyId: string;
  surveyTitle: BilingualText;
  delivery: CampaignDelivery;
  status: CampaignStatus;
  /** ISO 8601. */
  createdAt: string;
  launchedAt: string | null;
  closedAt: string | null;
  /** Customers the audience matched at launch; null before launch and for kiosk and event campaigns. */
  audienceSize: number | null;
  funnel: Funnel;
}

/** An email campaign's messages in the Outbox, by status. */
export interface SendingProgress {
  held: number;
  sending: number;
  sent: number;
  failed: number;
  /** Not sent: the customer could no longer be contacted when the message was due. */
  skipped: number;
  total: number;
}

export interface CampaignDetail extends CampaignSummary {
  /** Null for kiosk and event campaigns. */
  audience: Audience | null;
  settings: CampaignSettings;
  /** The published version sent: fixed at launch, the survey's latest published version before. */
  versionId: string | null;
  version: number | null;
  surveySlug: string;
  /** '/k/<kioskKey>' for kiosk campaigns, else null. */
  kioskPath: string | null;
  /** Email campaigns only. */
  sending: SendingProgress | null;
}

/** POST /api/campaigns */
export interface CampaignInput {
  name: string;
  surveyId: string;
  delivery: CampaignDelivery;
  /** Required for email, post and phone ({} means all customers); not allowed for kiosk and event. */
  audience?: Audience;
  settings?: CampaignSettings;
}

/** PUT /api/campaigns/:id (drafts only). */
export interface CampaignUpdate {
  name: string;
  audience?: Audience;
  settings?: CampaignSettings;
}

export type InvitationState = 'skipped' | 'invited' | 'completed';

export interface InvitationRow {
  id: string;
  customerId: string;
  customerName: string;
  delivery: InvitationDelivery;
  skipReason: SkipReason | null;
  /** The response code as printed (XXXX-XXXX-XXXX-XXXX); null for skipped rows. */
  code: string | null;
  invitedAt: string;
  deliveredAt: string | null;
  openedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  remindersSent: number;
  unsubscribedAt: string | null;
  callState: CallState | null;
  callAttempts: number;
}

export type SurveyChannel = 'mail' | 'phone' | 'onsite' | 'web';

/**
 * One survey channel's funnel across campaigns. For onsite and web (open link) only `completed` is known;
 * the other counts and responseRate are null there.
 */
export interface FunnelRow {
  channel: SurveyChannel;
  /** How the channel was reached: mail via email or via post; null for onsite and web. */
  delivery: 'email' | 'post' | 'phone' | 'kiosk' | null;
  audience: number | null;
  skipped: number | null;
  invited: number | null;
  delivered: number | null;
  opened: number | null;
  started: number | null;
  completed: number;
  responseRate: number | null;
}

export type ContactRuleSettings = ContactRule;
