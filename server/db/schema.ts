// One schema module for the whole database. Times are epoch milliseconds.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import type { Answers } from '../../surveys/answers.ts';

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
  },
  (table) => [index('responses_survey_time_idx').on(table.surveyId, table.submittedAt)],
);
