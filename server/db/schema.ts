// One schema module for the whole database. Times are epoch milliseconds.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { LocalizedText, SurveyDefinition } from '../../surveys/definition.ts';
import type { Answers } from '../../surveys/answers.ts';
import { customerKinds, customerTiers, type Consents } from '../customers/vocabulary.ts';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'manager', 'support', 'interviewer'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
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

/** One-time links: the first admin's set-up link and staff invitations. Only the token's hash is kept. */
export const invitations = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  purpose: text('purpose', { enum: ['setup', 'invite'] }).notNull(),
  email: text('email'),
  role: text('role', { enum: ['admin', 'manager', 'support', 'interviewer'] }).notNull(),
  invitedBy: text('invited_by'),
  createdAt: integer('created_at').notNull().default(now),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
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
  },
  (table) => [
    index('responses_survey_time_idx').on(table.surveyId, table.submittedAt),
    index('responses_customer_idx').on(table.customerId),
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
    tier: text('tier', { enum: customerTiers }).notNull().default('ordinary'),
    consents: text('consents', { mode: 'json' }).$type<Consents>().notNull().default({}),
    doNotContact: integer('do_not_contact', { mode: 'boolean' }).notNull().default(false),
    doNotCall: integer('do_not_call', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (table) => [
    index('customers_name_idx').on(table.name),
    index('customers_segment_idx').on(table.segment),
    index('customers_region_idx').on(table.region),
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
  (table) => [index('jobs_due_idx').on(table.status, table.runAt)],
);

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
    status: text('status', { enum: ['held', 'sending', 'sent', 'failed'] }).notNull().default('held'),
    smtpMessageId: text('smtp_message_id'),
    error: text('error'),
    createdAt: integer('created_at').notNull().default(now),
    sentAt: integer('sent_at'),
  },
  (table) => [index('outgoing_messages_status_idx').on(table.status, table.createdAt)],
);
