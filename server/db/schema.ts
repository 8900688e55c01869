// One schema module for the whole database. Times are epoch milliseconds.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { LocalizedText, SurveyDefinition } from '../../surveys/definition.ts';
import type { Answers } from '../../surveys/answers.ts';
import { consentSources, contactChannels, contactPurposes, customerKinds, customerTiers, type ConsentFact, type Consents } from '../customers/vocabulary.ts';
import {
  callOutcomes,
  callStates,
  campaignDeliveries,
  campaignStatuses,
  messageSkipReasons,
  invitationDeliveries,
  skipReasons,
  type Audience,
  type CampaignSettings,
} from '../campaigns/vocabulary.ts';
import {
  caseActors,
  caseChannels,
  caseEventTypes,
  caseSeverities,
  caseSources,
  caseStatuses,
  deadlineAlerts,
  openCaseStatuses,
  recoveryOutcomes,
  silentDetractorReasons,
} from '../complaints/vocabulary.ts';
import {
  churnKinds,
  followUpChannels,
  followUpKinds,
  followUpOutcomes,
  followUpSkipReasons,
  followUpStatuses,
  loyaltyChangeCauses,
  loyaltyChangeFields,
  loyaltyStages,
  purchaseSources,
  type AtRiskReason,
  type LoyaltyParts,
} from '../loyalty/vocabulary.ts';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
/** The database's clock in epoch ms, for writes: every process agrees on it. */
export const dbNow = sql`cast(unixepoch('subsec') * 1000 as integer)`;

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'manager', 'support', 'interviewer'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  /** The language the person chose for the staff app and the mail they get; null until they choose one. */
  locale: text('locale', { enum: ['zh-CN', 'en'] }),
  createdAt: integer('created_at').notNull().default(now),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull().default(now),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

/**
 * Staff invites: one-time links to a staff account, the first admin's set-up link among them (the table
 * keeps its first name, "invitations"; campaign invitations to customers are campaign_invitations). Only the
 * token's hash is kept, and it names the invite in the API: it cannot be turned back into the link.
 */
export const staffInvites = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  purpose: text('purpose', { enum: ['setup', 'invite'] }).notNull(),
  email: text('email'),
  role: text('role', { enum: ['admin', 'manager', 'support', 'interviewer'] }).notNull(),
  invitedBy: text('invited_by'),
  createdAt: integer('created_at').notNull().default(now),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  /** When and by whom an admin withdrew the invite; its link no longer works. */
  revokedAt: integer('revoked_at'),
  revokedBy: text('revoked_by'),
  /** The language the new account starts with (the inviting admin's when the invite named none). */
  locale: text('locale', { enum: ['zh-CN', 'en'] }),
});

/** Failed sign-ins, counted per email and per client address to throttle guessing across all processes. */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subject: text('subject').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [index('login_failures_subject_idx').on(table.subject, table.at)],
);

export const surveys = sqliteTable('surveys', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  kind: text('kind', { enum: ['satisfaction', 'complaint', 'follow_up'] }).notNull(),
  status: text('status', { enum: ['draft', 'published', 'closed'] }).notNull().default('draft'),
  /** The editable definition; publishing copies it into a frozen version. */
  draft: text('draft', { mode: 'json' }).$type<SurveyDefinition>().notNull(),
  latestVersionId: text('latest_version_id'),
  createdBy: text('created_by'),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});

export const surveyVersions = sqliteTable(
  'survey_versions',
  {
    id: text('id').primaryKey(),
    surveyId: text('survey_id').notNull().references(() => surveys.id),
    version: integer('version').notNull(),
    definition: text('definition', { mode: 'json' }).$type<SurveyDefinition>().notNull(),
    publishedBy: text('published_by'),
    publishedAt: integer('published_at').notNull().default(now),
  },
  (table) => [uniqueIndex('survey_versions_number_idx').on(table.surveyId, table.version)],
);

export const responses = sqliteTable(
  'responses',
  {
    /** Made by the answering device, so a retried submission finds the same row. */
    id: text('id').primaryKey(),
    surveyId: text('survey_id').notNull().references(() => surveys.id),
    versionId: text('version_id').notNull().references(() => surveyVersions.id),
    channel: text('channel', { enum: ['phone', 'mail', 'onsite', 'web'] }).notNull(),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull(),
    answers: text('answers', { mode: 'json' }).$type<Answers>().notNull(),
    startedAt: integer('started_at'),
    submittedAt: integer('submitted_at').notNull(),
    durationMs: integer('duration_ms'),
    interviewerId: text('interviewer_id'),
    /** Who answered, where the channel knows (a personal link, a phone call, a mailed form). */
    customerId: text('customer_id'),
    campaignId: text('campaign_id'),
    /** Values a link carried for the response, e.g. store=123. */
    hiddenFields: text('hidden_fields', { mode: 'json' }).$type<Record<string, string>>(),
    /**
     * When retention made the response anonymous (privacy/retention.ts): its words gone and its link to the
     * customer cut; null while it is whole.
     */
    anonymisedAt: integer('anonymised_at'),
    /** The customer's tier, segment and region as they were when retention cut the link, for the figures' splits; null while linked. */
    tier: text('tier'),
    segment: text('segment'),
    region: text('region'),
  },
  (table) => [
    index('responses_survey_time_idx').on(table.surveyId, table.submittedAt),
    // The responses retention has still to make anonymous, oldest first, with their customer (a legal hold keeps them).
    index('responses_retention_idx').on(table.submittedAt, table.customerId).where(sql`${table.anonymisedAt} IS NULL`),
    // A customer's responses newest first (the customer page and its timeline), a page at a time.
    index('responses_customer_time_idx').on(table.customerId, table.submittedAt),
    index('responses_campaign_idx').on(table.campaignId, table.submittedAt),
  ],
);

export { contactChannels, contactPurposes, type ContactChannel, type ContactPurpose, type Consents } from '../customers/vocabulary.ts';

export const customers = sqliteTable(
  'customers',
  {
    id: text('id').primaryKey(),
    /** The customer's id in the company's own systems; re-imports and integrations update by it. */
    externalId: text('external_id').unique(),
    kind: text('kind', { enum: customerKinds }).notNull().default('individual'),
    /** A person's name, or an enterprise's company name. */
    name: text('name').notNull(),
    /** An enterprise's contact person. */
    contactName: text('contact_name'),
    email: text('email').unique(),
    phone: text('phone'),
    /** Postal address block, lines separated by newlines, as printed on a questionnaire. */
    postalAddress: text('postal_address'),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
    /** IANA time zone, for calling hours. */
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    region: text('region'),
    segment: text('segment'),
    industry: text('industry'),
    /** Kept by loyalty tracking from the customer's share of value, unless a staff member set it by hand. */
    tier: text('tier', { enum: customerTiers }).notNull().default('ordinary'),
    /** The tier was set by hand: the schedule leaves it, and the customer page marks it. */
    tierSetByHand: integer('tier_set_by_hand', { mode: 'boolean' }).notNull().default(false),
    /** The staff member who owns the account; deactivating them moves their customers to others. */
    ownerId: text('owner_id'),
    /** The customer objects to profiling: no loyalty score and no stage beyond what purchases alone say. */
    objectsToProfiling: integer('objects_to_profiling', { mode: 'boolean' }).notNull().default(false),
    consents: text('consents', { mode: 'json' }).$type<Consents>().notNull().default({}),
    doNotContact: integer('do_not_contact', { mode: 'boolean' }).notNull().default(false),
    doNotCall: integer('do_not_call', { mode: 'boolean' }).notNull().default(false),
    /** The channel the customer prefers to be invited on (event invitations use it). */
    preferredChannel: text('preferred_channel', { enum: contactChannels }),
    /** A legal hold's reason, set by an admin: while set, the customer's data cannot be erased. */
    legalHold: text('legal_hold'),
    /** When the customer's identity was erased (privacy/erasure.ts); the row stays for the figures. */
    erasedAt: integer('erased_at'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (table) => [
    index('customers_name_idx').on(table.name),
    index('customers_segment_idx').on(table.segment),
    index('customers_region_idx').on(table.region),
    index('customers_owner_idx').on(table.ownerId),
    // The few customers whose tier was set by hand (the dashboard's pyramid counts them by that tier).
    index('customers_tier_by_hand_idx').on(table.tier).where(sql`${table.tierSetByHand} = 1`),
    // The few customers under a legal hold, which retention leaves alone.
    index('customers_legal_hold_idx').on(table.id).where(sql`${table.legalHold} IS NOT NULL`),
  ],
);

/**
 * A CSV import of customers. Its progress lives here, not in a process, so whichever server process answers
 * the page's polling sees how far the one reading the upload has got.
 */
export const customerImports = sqliteTable(
  'customer_imports',
  {
    id: text('id').primaryKey(),
    createdBy: text('created_by').notNull(),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    encoding: text('encoding', { enum: ['utf-8', 'gb18030'] }),
    delimiter: text('delimiter', { enum: [',', '\t'] }),
    /** The customer field each column fills (by position), null for a column left out. */
    mapping: text('mapping', { mode: 'json' }).$type<(string | null)[]>(),
    header: text('header', { mode: 'json' }).$type<string[]>(),
    /** waiting: created, file not sent yet; running: the file is being read; done; failed (see error). */
    status: text('status', { enum: ['waiting', 'running', 'done', 'failed'] }).notNull().default('waiting'),
    processedBytes: integer('processed_bytes').notNull().default(0),
    /** Data rows read so far (the header and blank rows not counted). */
    rowsRead: integer('rows_read').notNull().default(0),
    rowsCreated: integer('rows_created').notNull().default(0),
    rowsUpdated: integer('rows_updated').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    rowsBlank: integer('rows_blank').notNull().default(0),
    /** Rows whose consent the customer had withdrawn themselves: kept withdrawn, the rest of the row taken. */
    rowsConsentKept: integer('rows_consent_kept').notNull().default(0),
    error: text('error', { mode: 'json' }).$type<LocalizedText>(),
    createdAt: integer('created_at').notNull().default(now),
    /** Moves with every batch, so an import whose process died can be told from a slow one. */
    updatedAt: integer('updated_at').notNull().default(now),
    finishedAt: integer('finished_at'),
  },
  (table) => [index('customer_imports_created_idx').on(table.createdAt)],
);

/** Every row an import did not take, with why, and its cells as they were in the file. */
export const customerImportRejections = sqliteTable(
  'customer_import_rejections',
  {
    importId: text('import_id').notNull().references(() => customerImports.id),
    /** The row's number as a spreadsheet shows it: the header is row 1. */
    rowNumber: integer('row_number').notNull(),
    reason: text('reason', { mode: 'json' }).$type<LocalizedText>().notNull(),
    cells: text('cells', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.rowNumber] })],
);

/** The rows of an import that asked to give back consent the customer had withdrawn, and which consent stayed withdrawn. */
export const customerImportConsentKept = sqliteTable(
  'customer_import_consent_kept',
  {
    importId: text('import_id').notNull().references(() => customerImports.id),
    rowNumber: integer('row_number').notNull(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    facts: text('facts', { mode: 'json' }).$type<ConsentFact[]>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.rowNumber] })],
);

/**
 * Every change to a customer's consent fields (consents, do_not_contact, do_not_call), one fact a row, written
 * in the same transaction as the change. The customers table stays what sending reads; this is its history,
 * and the latest row of a fact says whether the customer withdrew it themselves (see customers/consent.ts).
 */
export const consentChanges = sqliteTable(
  'consent_changes',
  {
    /** Rising with every change (rows are never deleted), so the latest change of a fact has the highest id. */
    id: integer('id').primaryKey(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    /** "email.survey" and the like, or do_not_contact / do_not_call. */
    fact: text('fact').$type<ConsentFact>().notNull(),
    /** Consent given, or the flag set. */
    oldValue: integer('old_value', { mode: 'boolean' }).notNull(),
    newValue: integer('new_value', { mode: 'boolean' }).notNull(),
    source: text('source', { enum: consentSources }).notNull(),
    /** The customer's own doing: their request to withdraw, or their new consent. */
    customerRequest: integer('customer_request', { mode: 'boolean' }).notNull().default(false),
    /** Who made it: a staff user's id, an import's id, an API key's id, or the invitation unsubscribed from. */
    actorId: text('actor_id'),
    /** Their name when it was made: the staff member, the imported file, the API key. */
    actorName: text('actor_name'),
    /** How the customer gave consent again, or any remark recorded with the change. */
    note: text('note'),
    changedAt: integer('changed_at').notNull().default(now),
  },
  (table) => [index('consent_changes_customer_idx').on(table.customerId, table.fact, table.id)],
);

/**
 * Background work kept in the database, so several server processes share it: a job is leased by one
 * process at a time, retried with backoff when it fails, and set aside as dead after its last attempt.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<unknown>().notNull(),
    /** Enqueueing the same key twice makes one job. */
    dedupeKey: text('dedupe_key').unique(),
    status: text('status', { enum: ['pending', 'running', 'done', 'dead'] }).notNull().default('pending'),
    runAt: integer('run_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    leasedBy: text('leased_by'),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull().default(now),
    finishedAt: integer('finished_at'),
  },
  (table) => [
    index('jobs_due_idx').on(table.status, table.runAt),
    // The queue's depth and oldest job by kind, read from the index alone (GET /metrics).
    index('jobs_kind_idx').on(table.status, table.kind, table.runAt),
  ],
);

export const messageStatuses = ['held', 'sending', 'sent', 'failed', 'skipped'] as const;

/**
 * Every message the product sends. With no SMTP server configured it stays here, unsent, and the Outbox
 * page shows it, so nothing looks sent that was not.
 */
export const outgoingMessages = sqliteTable(
  'outgoing_messages',
  {
    id: text('id').primaryKey(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** What the message is about, e.g. an invitation id, for linking back. */
    topic: text('topic'),
    /** Extra headers, e.g. List-Unsubscribe on invitations. */
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>(),
    /**
     * held: waiting for a process with SMTP to send it; sending: underway or waiting to retry; sent; failed;
     * skipped: not sent because the customer may no longer be contacted (skip_reason says why).
     */
    status: text('status', { enum: messageStatuses }).notNull().default('held'),
    /** A message to a customer (an invitation, a reminder): whose consent is checked again when it is sent. */
    customerId: text('customer_id'),
    /** What the customer must have consented to for this message (with email as the channel). */
    purpose: text('purpose', { enum: contactPurposes }),
    skipReason: text('skip_reason', { enum: messageSkipReasons }),
    smtpMessageId: text('smtp_message_id'),
    error: text('error'),
    createdAt: integer('created_at').notNull().default(now),
    sentAt: integer('sent_at'),
  },
  (table) => [
    index('outgoing_messages_status_idx').on(table.status, table.createdAt),
    index('outgoing_messages_topic_idx').on(table.topic),
    // A customer's messages newest first, for the timeline on the customer page.
    index('outgoing_messages_customer_idx').on(table.customerId, table.createdAt),
  ],
);

/** Settings an admin changes in the app, by key (e.g. contact_rule). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
  updatedBy: text('updated_by'),
  updatedAt: integer('updated_at').notNull().default(now),
});

/**
 * A campaign sends one survey version to an audience on one channel (or runs it on a kiosk, or invites
 * customers one at a time as integrations report events).
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    surveyId: text('survey_id').notNull().references(() => surveys.id),
    /** The published version sent; fixed at launch. */
    versionId: text('version_id').references(() => surveyVersions.id),
    delivery: text('delivery', { enum: campaignDeliveries }).notNull(),
    status: text('status', { enum: campaignStatuses }).notNull().default('draft'),
    /** The saved filter over customers; null for kiosk and event campaigns. */
    audience: text('audience', { mode: 'json' }).$type<Audience>(),
    settings: text('settings', { mode: 'json' }).$type<CampaignSettings>().notNull().default({}),
    /** The kiosk link's secret: opening /k/<key> runs the survey with no staff account. */
    kioskKey: text('kiosk_key').unique(),
    /** Customers the audience matched at launch. */
    audienceSize: integer('audience_size'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull().default(now),
    launchedAt: integer('launched_at'),
    closedAt: integer('closed_at'),
  },
  (table) => [index('campaigns_survey_idx').on(table.surveyId), index('campaigns_created_idx').on(table.createdAt)],
);

/**
 * One customer in one campaign: invited with a single-use token, or skipped with the reason. Its times
 * make the funnel (invited, delivered, opened, started, completed).
 */
export const campaignInvitations = sqliteTable(
  'campaign_invitations',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull().references(() => campaigns.id),
    customerId: text('customer_id').notNull().references(() => customers.id),
    /** One invitation per customer per campaign (campaign:customer), or per reported event. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    delivery: text('delivery', { enum: invitationDeliveries }).notNull(),
    /** Single-use, unguessable; also the response code printed on a postal form. Null when skipped. */
    token: text('token').unique(),
    skipReason: text('skip_reason', { enum: skipReasons }),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull(),
    invitedAt: integer('invited_at').notNull().default(now),
    /** The invitation email in the Outbox. */
    messageId: text('message_id'),
    /** Email accepted by the SMTP server, letter printed, or call answered. */
    deliveredAt: integer('delivered_at'),
    openedAt: integer('opened_at'),
    startedAt: integer('started_at'),
    completedAt: integer('completed_at'),
    responseId: text('response_id').unique(),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: integer('last_reminded_at'),
    unsubscribedAt: integer('unsubscribed_at'),
    /** Phone: calls made, where the invitation stands, when it may be called next, who holds it now. */
    callAttempts: integer('call_attempts').notNull().default(0),
    callState: text('call_state', { enum: callStates }),
    nextCallAt: integer('next_call_at'),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
  },
  (table) => [
    index('invitations_campaign_idx').on(table.campaignId, table.skipReason),
    index('invitations_customer_time_idx').on(table.customerId, table.invitedAt),
    index('invitations_calls_idx').on(table.campaignId, table.callState, table.nextCallAt),
    index('invitations_time_idx').on(table.invitedAt),
  ],
);

/** Every phone call made for an invitation. */
export const callAttempts = sqliteTable(
  'call_attempts',
  {
    id: text('id').primaryKey(),
    invitationId: text('invitation_id').notNull().references(() => campaignInvitations.id),
    interviewerId: text('interviewer_id').notNull().references(() => users.id),
    outcome: text('outcome', { enum: callOutcomes }).notNull(),
    /** For outcome callback: when the customer asked to be called again. */
    callbackAt: integer('callback_at'),
    note: text('note'),
    at: integer('at').notNull().default(now),
  },
  (table) => [index('call_attempts_invitation_idx').on(table.invitationId, table.at)],
);

/** A returned postal form as one person keyed it in; with double keying a second person keys it again. */
export const postalKeyings = sqliteTable(
  'postal_keyings',
  {
    invitationId: text('invitation_id').notNull().references(() => campaignInvitations.id),
    /** 1 for the first keying, 2 for the second. */
    round: integer('round').notNull(),
    keyedBy: text('keyed_by').notNull().references(() => users.id),
    answers: text('answers', { mode: 'json' }).$type<Answers>().notNull(),
    keyedAt: integer('keyed_at').notNull().default(now),
  },
  (table) => [primaryKey({ columns: [table.invitationId, table.round] })],
);

/** Keys other systems use on the integration API. Only a hash of the key is kept. */
export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The key's first characters, shown so people can tell keys apart. */
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull().default(now),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
  revokedBy: text('revoked_by'),
});

/** An event an integration reported (a purchase, a visit, a delivery) and the invitation it led to. */
export const integrationEvents = sqliteTable(
  'integration_events',
  {
    id: text('id').primaryKey(),
    apiKeyId: text('api_key_id').notNull().references(() => apiKeys.id),
    /** The caller's own id for the event: reporting it again changes nothing. */
    externalId: text('external_id').notNull(),
    campaignId: text('campaign_id').notNull().references(() => campaigns.id),
    customerId: text('customer_id').notNull().references(() => customers.id),
    type: text('type').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    /** When the invitation is due: the event's time plus the campaign's delay. */
    inviteAt: integer('invite_at').notNull(),
    status: text('status', { enum: ['scheduled', 'invited', 'skipped'] }).notNull().default('scheduled'),
    /** Why a skipped event led to no invitation: the contact rule's reason, or the campaign having closed. */
    skipReason: text('skip_reason', { enum: [...skipReasons, 'campaign_closed'] }),
    invitationId: text('invitation_id'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (table) => [
    uniqueIndex('integration_events_external_idx').on(table.apiKeyId, table.externalId),
    index('integration_events_campaign_idx').on(table.campaignId, table.createdAt),
  ],
);

/**
 * Where the insights processor has got to: every response with a rowid up to `cursor` is folded into the
 * aggregates below, under the reporting time zone and level cut-offs recorded here (changing either
 * rebuilds them). One row, id 1.
 */
export const insightState = sqliteTable('insight_state', {
  id: integer('id').primaryKey(),
  cursor: integer('cursor').notNull().default(0),
  timeZone: text('time_zone').notNull(),
  /** The settings the aggregates were built with, as JSON text, compared whole. */
  basis: text('basis').notNull(),
  rebuiltAt: integer('rebuilt_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});

/**
 * Each processed response's data-quality flags (bit 1 speeder, 2 straight-liner, 4 likely duplicate), with
 * what later responses are judged against: its duration and a fingerprint of its survey and answers.
 */
export const responseQuality = sqliteTable(
  'response_quality',
  {
    /** The response's rowid: eight bytes in every index instead of its 36-character id. */
    responseRowid: integer('response_rowid').primaryKey(),
    surveyId: text('survey_id').notNull(),
    customerId: text('customer_id'),
    submittedAt: integer('submitted_at').notNull(),
    durationMs: integer('duration_ms'),
    fingerprint: text('fingerprint').notNull(),
    flags: integer('flags').notNull().default(0),
  },
  (table) => [
    index('response_quality_duration_idx').on(table.surveyId, table.durationMs),
    index('response_quality_customer_idx').on(table.customerId, table.fingerprint),
    index('response_quality_fingerprint_idx').on(table.fingerprint, table.submittedAt),
  ],
);

/**
 * Pre-aggregated answers, one row per survey, cube, grain, period and cell. `stats` is JSON: per measure (a
 * question id, or a derived figure such as `c:product`) [n, sum, sum of squares, then how many gave each
 * whole value 0, 1, …, trailing zeros left off]. Four cubes: `c` by channel × flagged, `a` adds segment,
 * `t` is channel × tier × flagged, `r` channel × region × flagged (unused dimensions hold ''). Three grains:
 * `d` day, `w` ISO week, `m` month, each period named by its first day.
 */
export const answerCells = sqliteTable(
  'answer_cells',
  {
    // A rowid table rather than one keyed by the cell: its rows of up to 4 kB stay on their page, where an
    // index-organised table would spill every row over 1 kB to a mostly empty overflow page.
    id: integer('id').primaryKey(),
    surveyId: text('survey_id').notNull(),
    cube: text('cube', { enum: ['c', 'a', 't', 'r'] }).notNull(),
    grain: text('grain', { enum: ['d', 'w', 'm'] }).notNull(),
    period: text('period').notNull(),
    channel: text('channel').notNull(),
    segment: text('segment').notNull(),
    tier: text('tier').notNull(),
    region: text('region').notNull(),
    flagged: integer('flagged').notNull(),
    stats: text('stats', { mode: 'json' }).$type<Record<string, number[]>>().notNull(),
  },
  (table) => [
    uniqueIndex('answer_cells_cell_idx').on(
      table.surveyId, table.cube, table.grain, table.period, table.channel, table.segment, table.tier, table.region, table.flagged,
    ),
  ],
);

/**
 * Cross-products of a survey's rating items over the responses that answered all of them, per period and
 * cube-`a` cell, for key drivers and the PLS model: `sums` holds k sums then the k(k+1)/2 products of the
 * upper triangle, row by row, as little-endian float64. `itemSet` names the item list (momentItemSets).
 */
export const momentStats = sqliteTable(
  'moment_stats',
  {
    surveyId: text('survey_id').notNull(),
    itemSet: text('item_set').notNull(),
    grain: text('grain', { enum: ['d', 'w', 'm'] }).notNull(),
    period: text('period').notNull(),
    channel: text('channel').notNull(),
    segment: text('segment').notNull(),
    flagged: integer('flagged').notNull(),
    n: integer('n').notNull(),
    sums: blob('sums', { mode: 'buffer' }).notNull(),
  },
  (table) => [
    primaryKey({
      columns: [table.surveyId, table.itemSet, table.grain, table.period, table.channel, table.segment, table.flagged],
    }),
  ],
);

/** The item lists moment_stats rows are kept over, by a signature of the list. */
export const momentItemSets = sqliteTable('moment_item_sets', {
  signature: text('signature').primaryKey(),
  surveyId: text('survey_id').notNull(),
  items: text('items', { mode: 'json' }).$type<string[]>().notNull(),
});

/**
 * The case is open. Written out as literals, not bound values, so the partial indexes on open cases below
 * serve every query that uses it: SQLite matches a partial index's condition against the query's text.
 */
export const isOpenCase = (status: SQLiteColumn) => sql`${status} IN (${sql.raw(openCaseStatuses.map((value) => `'${value}'`).join(', '))})`;

/**
 * A complaint case: one complaint, however it arrived, worked to resolution under deadlines. Its history is
 * complaint_events; every change to a row here appends one there in the same transaction.
 */
export const complaintCases = sqliteTable(
  'complaint_cases',
  {
    id: text('id').primaryKey(),
    /** Rising number behind the reference; the reference adds the year it was opened: C-2026-000123. */
    number: integer('number').notNull().unique(),
    reference: text('reference').notNull().unique(),
    status: text('status', { enum: caseStatuses }).notNull().default('new'),
    source: text('source', { enum: caseSources }).notNull(),
    channel: text('channel', { enum: caseChannels }).notNull(),
    /** A key of the category list in the complaint settings. */
    category: text('category').notNull(),
    severity: text('severity', { enum: caseSeverities }).notNull().default('minor'),
    description: text('description').notNull(),
    desiredOutcome: text('desired_outcome'),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull(),
    /** The customer, when one is known; else the contact details given on the form or to the agent. */
    customerId: text('customer_id'),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    /** The customer agreed to be contacted about this complaint, and on which channel. */
    contactConsent: integer('contact_consent', { mode: 'boolean' }).notNull().default(false),
    contactChannel: text('contact_channel', { enum: contactChannels }),
    /** The response that opened it (a complaint form, or a survey answer a loop-closing rule caught). */
    responseId: text('response_id').unique(),
    surveyId: text('survey_id'),
    /** The loop-closing rules that fired, by id. */
    ruleIds: text('rule_ids', { mode: 'json' }).$type<string[]>(),
    /** An integration's own id for the complaint, unique per API key: reporting it again changes nothing. */
    apiKeyId: text('api_key_id'),
    externalId: text('external_id'),
    orderValue: integer('order_value'),
    assigneeId: text('assignee_id'),
    escalated: integer('escalated', { mode: 'boolean' }).notNull().default(false),
    /** A merged duplicate points at the case that carries on. */
    mergedInto: text('merged_into'),
    /** A new case opened when the customer came back after the reopen window points at the earlier one. */
    previousCaseId: text('previous_case_id'),
    /** Times the case was reopened; each reopen starts a new resolution cycle. */
    reopenCount: integer('reopen_count').notNull().default(0),
    /** Deadlines (epoch ms) and the 80% marks before them, in business time; null when not running. */
    firstResponseDueAt: integer('first_response_due_at'),
    firstResponseAtRiskAt: integer('first_response_at_risk_at'),
    nextResponseDueAt: integer('next_response_due_at'),
    nextResponseAtRiskAt: integer('next_response_at_risk_at'),
    resolutionDueAt: integer('resolution_due_at'),
    resolutionAtRiskAt: integer('resolution_at_risk_at'),
    /** The worst alert a running deadline has reached, kept by the deadline sweep for the queues. */
    alert: text('alert', { enum: deadlineAlerts }),
    /** When the sweep next has something to look at (the earliest mark not yet passed); null while none runs. */
    watchAt: integer('watch_at'),
    /** When waiting on the customer began: deadlines are paused from then. */
    pausedAt: integer('paused_at'),
    firstRespondedAt: integer('first_responded_at'),
    resolvedAt: integer('resolved_at'),
    closedAt: integer('closed_at'),
    /** Deadlines missed over the case's life, by name (for "resolved quickly" and the figures). */
    deadlinesMissed: text('deadlines_missed', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** The customer's own word on the status page: it is resolved, or it is not. */
    customerConfirmed: integer('customer_confirmed', { mode: 'boolean' }),
    /** From the post-resolution survey: satisfaction with the handling (1-5), resolved (yes/partly/no), buy again (1-5). */
    handlingScore: integer('handling_score'),
    resolvedAnswer: text('resolved_answer', { enum: ['yes', 'partly', 'no'] }),
    buyAgainScore: integer('buy_again_score'),
    /** The post-resolution survey's invitation for the current resolution cycle. */
    followUpInvitationId: text('follow_up_invitation_id'),
    customerLeft: integer('customer_left', { mode: 'boolean' }).notNull().default(false),
    outcome: text('outcome', { enum: recoveryOutcomes }),
    /** The customer's status page: /c/<token>, unguessable; revoking it makes the link show nothing. */
    statusToken: text('status_token').notNull().unique(),
    statusTokenRevokedAt: integer('status_token_revoked_at'),
    /** Replies by email come back to reply+<token>@…; matched by this, never by the subject. */
    replyToken: text('reply_token').notNull().unique(),
    /** Rises with every change: a write names the version it read, so of two agents at once one wins. */
    version: integer('version').notNull().default(1),
    openedBy: text('opened_by'),
    /** When retention made the closed case anonymous (privacy/retention.ts); null while it is whole. */
    anonymisedAt: integer('anonymised_at'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (table) => [
    index('complaint_cases_status_idx').on(table.status, table.createdAt),
    index('complaint_cases_assignee_idx').on(table.assigneeId, table.status),
    // The queues of open cases (mine, unassigned, at risk, breached) read these newest first and stop at a page.
    index('complaint_cases_open_assignee_idx').on(table.assigneeId, table.createdAt, table.id).where(isOpenCase(table.status)),
    index('complaint_cases_open_alert_idx').on(table.alert, table.createdAt, table.id).where(isOpenCase(table.status)),
    index('complaint_cases_watch_idx').on(table.watchAt),
    index('complaint_cases_customer_idx').on(table.customerId, table.createdAt),
    // A customer's resolutions newest first, for the timeline on the customer page.
    index('complaint_cases_customer_resolved_idx').on(table.customerId, table.resolvedAt).where(sql`${table.resolvedAt} IS NOT NULL`),
    index('complaint_cases_created_idx').on(table.createdAt),
    // The case page lists the duplicates merged into a case; without it each view reads every case.
    index('complaint_cases_merged_idx').on(table.mergedInto),
    uniqueIndex('complaint_cases_external_idx').on(table.apiKeyId, table.externalId),
    // The closed cases retention has still to make anonymous, oldest first, with their customer (a legal hold keeps them).
    index('complaint_cases_retention_idx').on(table.closedAt, table.customerId).where(sql`${table.status} = 'closed' AND ${table.anonymisedAt} IS NULL`),
  ],
);

/** A case's history: appended, never changed. */
export const complaintEvents = sqliteTable(
  'complaint_events',
  {
    id: integer('id').primaryKey(),
    caseId: text('case_id').notNull().references(() => complaintCases.id),
    type: text('type', { enum: caseEventTypes }).notNull(),
    actor: text('actor', { enum: caseActors }).notNull(),
    /** A staff user's id, an API key's id; null for the customer and the system. */
    actorId: text('actor_id'),
    /** The name when it happened (a staff member, an API key). */
    actorName: text('actor_name'),
    /** The fields the event changed, as they were and as they became. */
    before: text('before', { mode: 'json' }).$type<Record<string, unknown>>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** A note's or a reply's text. */
    body: text('body'),
    /** Whether the customer sees it on the status page (replies both ways, status changes), or staff only (notes). */
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    /** The Outbox message a reply went out as. */
    messageId: text('message_id'),
    /** Makes a repeated delivery one event: an inbound mail's Message-ID, a sweep's deadline mark. */
    dedupeKey: text('dedupe_key').unique(),
    at: integer('at').notNull().default(now),
  },
  (table) => [index('complaint_events_case_idx').on(table.caseId, table.id)],
);

/** Saved replies agents insert into a reply, in both languages. */
export const complaintMacros = sqliteTable('complaint_macros', {
  id: text('id').primaryKey(),
  name: text('name', { mode: 'json' }).$type<LocalizedText>().notNull(),
  body: text('body', { mode: 'json' }).$type<LocalizedText>().notNull(),
  createdBy: text('created_by'),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});

/**
 * Every survey answer a loop-closing rule caught: it opened a case, or it is a silent detractor (no customer,
 * or no consent to follow-up contact) counted in the figures but never contacted.
 */
export const loopCatches = sqliteTable(
  'loop_catches',
  {
    responseId: text('response_id').primaryKey(),
    surveyId: text('survey_id').notNull(),
    customerId: text('customer_id'),
    ruleIds: text('rule_ids', { mode: 'json' }).$type<string[]>().notNull(),
    caseId: text('case_id'),
    silentReason: text('silent_reason', { enum: silentDetractorReasons }),
    submittedAt: integer('submitted_at').notNull(),
  },
  (table) => [index('loop_catches_survey_idx').on(table.surveyId, table.submittedAt)],
);

/**
 * A purchase, or a refund (a negative amount, naming the order it refunds). The caller's order id makes
 * reporting it again change nothing; the same id with different content is refused.
 */
export const purchases = sqliteTable(
  'purchases',
  {
    id: integer('id').primaryKey(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    orderId: text('order_id').notNull().unique(),
    /** A refund's original order; null for a purchase. */
    refundOf: text('refund_of'),
    occurredAt: integer('occurred_at').notNull(),
    /** In the currency's minor unit (分, cents): 12.34 CNY is 1234. Negative for a refund. */
    amountMinor: integer('amount_minor').notNull(),
    /** ISO 4217 code the loyalty settings know, e.g. CNY. */
    currency: text('currency').notNull(),
    /** Where it was bought (e.g. web, store, phone), as the caller names it. */
    channel: text('channel'),
    source: text('source', { enum: purchaseSources }).notNull(),
    apiKeyId: text('api_key_id'),
    importId: text('import_id'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (table) => [
    index('purchases_customer_idx').on(table.customerId, table.occurredAt),
    // Refunds are few: only they are indexed by the order they refund (a refund is checked against its order's rest).
    index('purchases_refund_of_idx').on(table.refundOf).where(sql`${table.refundOf} IS NOT NULL`),
    // Only imported purchases are indexed by their import (the import page lists the customers it reached).
    index('purchases_import_idx').on(table.importId).where(sql`${table.importId} IS NOT NULL`),
  ],
);

/** A CSV import of purchases; like customer_imports, its progress lives here for whichever process is asked. */
export const purchaseImports = sqliteTable(
  'purchase_imports',
  {
    id: text('id').primaryKey(),
    createdBy: text('created_by').notNull(),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    encoding: text('encoding', { enum: ['utf-8', 'gb18030'] }),
    delimiter: text('delimiter', { enum: [',', '\t'] }),
    /** The purchase field each column fills (by position), null for a column left out. */
    mapping: text('mapping', { mode: 'json' }).$type<(string | null)[]>(),
    header: text('header', { mode: 'json' }).$type<string[]>(),
    /** waiting: created, file not sent yet; running: the file is being read; done; failed (see error). */
    status: text('status', { enum: ['waiting', 'running', 'done', 'failed'] }).notNull().default('waiting'),
    processedBytes: integer('processed_bytes').notNull().default(0),
    /** Data rows read so far (the header and blank rows not counted). */
    rowsRead: integer('rows_read').notNull().default(0),
    rowsCreated: integer('rows_created').notNull().default(0),
    /** Rows whose order was already stored with the same content: nothing changed. */
    rowsUnchanged: integer('rows_unchanged').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    rowsBlank: integer('rows_blank').notNull().default(0),
    error: text('error', { mode: 'json' }).$type<LocalizedText>(),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
    finishedAt: integer('finished_at'),
  },
  (table) => [index('purchase_imports_created_idx').on(table.createdAt)],
);

/** Every row a purchase import did not take, with why, and its cells as they were in the file. */
export const purchaseImportRejections = sqliteTable(
  'purchase_import_rejections',
  {
    importId: text('import_id').notNull().references(() => purchaseImports.id),
    /** The row's number as a spreadsheet shows it: the header is row 1. */
    rowNumber: integer('row_number').notNull(),
    reason: text('reason', { mode: 'json' }).$type<LocalizedText>().notNull(),
    cells: text('cells', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.rowNumber] })],
);

/**
 * Where each customer stands now: RFM, stage and its overlays, the loyalty score and its parts. One row per
 * customer with anything to say; kept current by the loyalty update job and replaced whole by a recompute.
 * The tier itself lives on customers.tier.
 */
export const customerLoyalty = sqliteTable(
  'customer_loyalty',
  {
    customerId: text('customer_id').primaryKey(),
    stage: text('stage', { enum: loyaltyStages }).notNull(),
    /** When the customer reached the current stage. */
    stageSince: integer('stage_since'),
    /** When the customer became regular (long-standing counts from here); null when not regular now. */
    regularSince: integer('regular_since'),
    atRisk: integer('at_risk', { mode: 'boolean' }).notNull().default(false),
    atRiskReasons: text('at_risk_reasons', { mode: 'json' }).$type<AtRiskReason[]>().notNull().default([]),
    churned: text('churned', { enum: churnKinds }),
    churnedAt: integer('churned_at'),
    /** RFM scores 1-5 over the window (recency inverted: 5 is the most recent); null without purchases. */
    recency: integer('recency'),
    frequency: integer('frequency'),
    monetary: integer('monetary'),
    firstPurchaseAt: integer('first_purchase_at'),
    lastPurchaseAt: integer('last_purchase_at'),
    /** Purchases ever (refunds not counted). */
    purchaseCount: integer('purchase_count').notNull().default(0),
    /** Purchases and net value in the window, the value in the base currency's minor unit. */
    windowPurchases: integer('window_purchases').notNull().default(0),
    windowValue: integer('window_value').notNull().default(0),
    /** The median gap between the customer's purchases, in days; null with fewer than two. */
    medianGapDays: real('median_gap_days'),
    /** The tier the value share gives, whatever a hand-set tier on the customer says. */
    computedTier: text('computed_tier', { enum: customerTiers }),
    /** 0-100; null when the customer objects to profiling or nothing can be scored. */
    score: integer('score'),
    parts: text('parts', { mode: 'json' }).$type<LoyaltyParts>(),
    computedAt: integer('computed_at').notNull(),
  },
  (table) => [
    index('customer_loyalty_stage_idx').on(table.stage),
    index('customer_loyalty_at_risk_idx').on(table.atRisk, table.windowValue),
    // The dashboard's stage distribution and churn counts read this index alone, never the rows.
    index('customer_loyalty_overlays_idx').on(table.stage, table.atRisk, table.churned, table.customerId),
    // The pyramid: tier and value of every customer who bought in the window, from the index alone.
    index('customer_loyalty_value_idx').on(table.computedTier, table.windowValue, table.customerId).where(sql`${table.windowPurchases} > 0`),
  ],
);

/** Each move of a customer's stage, tier, at-risk flag or churn: the customer's history and the monthly flows. */
export const loyaltyChanges = sqliteTable(
  'loyalty_changes',
  {
    id: integer('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    at: integer('at').notNull(),
    field: text('field', { enum: loyaltyChangeFields }).notNull(),
    before: text('before'),
    after: text('after'),
    cause: text('cause', { enum: loyaltyChangeCauses }).notNull(),
    /** Why, in keys the staff app words (e.g. at-risk reasons, "no purchase in 3 × the usual gap"). */
    reasons: text('reasons', { mode: 'json' }).$type<string[]>().notNull().default([]),
  },
  (table) => [index('loyalty_changes_customer_idx').on(table.customerId, table.at), index('loyalty_changes_at_idx').on(table.at)],
);

/**
 * Customers whose loyalty must be brought up to date: a purchase, a response or a case outcome marked them,
 * in the same transaction as the arrival. The loyalty update job works through them and removes each it did.
 */
export const loyaltyStale = sqliteTable('loyalty_stale', {
  customerId: text('customer_id').primaryKey(),
  cause: text('cause', { enum: loyaltyChangeCauses }).notNull(),
  /** When it was last marked: an update that read it earlier leaves the mark for the next round. */
  markedAt: integer('marked_at').notNull(),
});

/**
 * The follow-ups the practice prescribes (server/loyalty/follow-ups.ts): a thank-you after a purchase, a VIP's
 * regular follow-up, an at-risk customer's task for the account owner. One row per planned contact, made once
 * by its dedupe key; an email's row names its Outbox message, a task's row its outcome once worked.
 */
export const followUps = sqliteTable(
  'follow_ups',
  {
    id: text('id').primaryKey(),
    /** thank_you:<purchase id>, vip:<customer>:<period>, at_risk:<customer>:<since>: the plan makes each once. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    customerId: text('customer_id').notNull(),
    kind: text('kind', { enum: followUpKinds }).notNull(),
    /** null when skipped before a channel was chosen. */
    channel: text('channel', { enum: followUpChannels }),
    /** The purchase a thank-you is for. */
    purchaseId: integer('purchase_id'),
    /** Who works the task: the account owner; null: the team (calls to make; an at-risk customer's: the managers). */
    assigneeId: text('assignee_id'),
    status: text('status', { enum: followUpStatuses }).notNull(),
    skipReason: text('skip_reason', { enum: followUpSkipReasons }),
    /** The Outbox message of an emailed follow-up. */
    messageId: text('message_id'),
    /** Why it was planned, in keys the staff app words (e.g. an at-risk customer's reasons). */
    reasons: text('reasons', { mode: 'json' }).$type<string[]>().notNull().default([]),
    dueAt: integer('due_at').notNull(),
    outcome: text('outcome', { enum: followUpOutcomes }),
    note: text('note'),
    attempts: integer('attempts').notNull().default(0),
    workedBy: text('worked_by'),
    workedAt: integer('worked_at'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (table) => [
    index('follow_ups_assignee_idx').on(table.assigneeId, table.status, table.createdAt),
    index('follow_ups_status_idx').on(table.status, table.createdAt),
    index('follow_ups_customer_idx').on(table.customerId, table.createdAt),
  ],
);

export const privacyRequestKinds = ['export', 'erasure'] as const;
export const exportFormats = ['json', 'zip'] as const;

/**
 * Every export and erasure of a customer's data, for the customer's history and an admin's audit. It names
 * the staff member and the customer's internal id only: nothing here says who the customer was.
 */
export const privacyRequests = sqliteTable(
  'privacy_requests',
  {
    id: integer('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    kind: text('kind', { enum: privacyRequestKinds }).notNull(),
    /** An export's format. */
    format: text('format', { enum: exportFormats }),
    /** An erasure's reason, as the admin gave it. */
    reason: text('reason'),
    actorId: text('actor_id'),
    /** The staff member's name when it happened. */
    actorName: text('actor_name'),
    at: integer('at').notNull().default(now),
  },
  (table) => [index('privacy_requests_customer_idx').on(table.customerId, table.at)],
);

/**
 * Keys of erased customers (a SHA-256 of "external:<id>" or "email:<address>"): an import or the integration
 * API that sends one of them again is refused, so an erased customer is not brought back. The key cannot be
 * turned back into the id or the address.
 */
export const erasedKeys = sqliteTable('erased_keys', {
  keyHash: text('key_hash').primaryKey(),
  erasedAt: integer('erased_at').notNull().default(now),
});

/**
 * An erasure of many customers at once, worked by a job a batch at a time; its progress lives here, so
 * whichever process answers the page's polling sees how far the one working it has got. Customers are named by
 * internal id only.
 */
export const erasureRuns = sqliteTable('erasure_runs', {
  id: text('id').primaryKey(),
  reason: text('reason').notNull(),
  actorId: text('actor_id'),
  actorName: text('actor_name'),
  /** The customers to erase, by internal id, in the order they are worked. */
  customerIds: text('customer_ids', { mode: 'json' }).$type<string[]>().notNull(),
  /** How many keys given named no customer. */
  unknown: integer('unknown').notNull().default(0),
  status: text('status', { enum: ['waiting', 'running', 'done'] }).notNull().default('waiting'),
  /** Customers worked through so far (the first `done` of customerIds). */
  done: integer('done').notNull().default(0),
  erased: integer('erased').notNull().default(0),
  alreadyErased: integer('already_erased').notNull().default(0),
  /** Customers under a legal hold, not erased, with the hold's reason. */
  held: text('held', { mode: 'json' }).$type<{ id: string; reason: string }[]>().notNull().default([]),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
  finishedAt: integer('finished_at'),
});
/**
 * Every read of a customer's personal data by a staff member: who, which customer, on which route and which
 * fields, when (server/privacy/access.ts). Written in batches behind the reads; admins read it.
 */
export const staffReads = sqliteTable(
  'staff_reads',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    staffId: text('staff_id').notNull(),
    customerId: text('customer_id').notNull(),
    /** The route as declared, e.g. GET /customers/:id. */
    route: text('route').notNull(),
    /** The personal fields the answer showed in full, comma separated (masked ones are not a read). */
    fields: text('fields').notNull(),
  },
  (table) => [
    index('staff_reads_at_idx').on(table.at, table.id),
    index('staff_reads_staff_idx').on(table.staffId, table.at, table.id),
    index('staff_reads_customer_idx').on(table.customerId, table.at, table.id),
  ],
);
