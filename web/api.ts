// The thin typed client the staff app uses. Every state-changing call carries the CSRF token.
import type { LocalizedText, Locale, SurveyDefinition, SurveyKind } from '../surveys/definition.ts';
import type { Answers } from '../surveys/answers.ts';
import type { CsvDelimiter, CsvEncoding } from '../server/customers/csv.ts';
import type { ConsentChange } from '../server/customers/consent-history.ts';
import type { CustomerImport } from '../server/customers/imports.ts';
import type { ColumnMapping, CustomerDraft } from '../server/customers/rules.ts';
import type { Customer } from '../server/customers/service.ts';
import type { ConsentFact, CustomerKind, CustomerTier } from '../server/customers/vocabulary.ts';
import type { PendingStaffInvite } from '../server/accounts/service.ts';
import type { Job, JobStatus } from '../server/jobs/queue.ts';
import type { getOutgoingMessage, listOutbox, MessageStatus, outboxProgress } from '../server/mail/outbox.ts';

export type { ConsentChange, PendingStaffInvite, Customer, CustomerDraft, CustomerImport, Job, JobStatus, MessageStatus };

export interface ConsentHistoryPage {
  changes: ConsentChange[];
  nextBefore: number | null;
}

/** A row of an import whose consent stayed withdrawn at the customer's request. */
export interface ImportConsentKept {
  rowNumber: number;
  customerId: string;
  customerName: string;
  facts: ConsentFact[];
  reasons: LocalizedText[];
}

export type Role = 'admin' | 'manager' | 'support' | 'interviewer';
export const roles: Role[] = ['admin', 'manager', 'support', 'interviewer'];
export type Channel = 'phone' | 'mail' | 'onsite' | 'web';

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}

export interface SessionInfo {
  user: StaffUser;
  csrfToken: string;
}

export type SurveyStatus = 'draft' | 'published' | 'closed';

export interface SurveySummary {
  id: string;
  slug: string;
  title: LocalizedText;
  kind: SurveyKind;
  status: SurveyStatus;
  /** Version number of the latest published version, null before the first publish. */
  latestVersion: number | null;
  /** True when the draft differs from the latest published version. */
  hasUnpublishedChanges: boolean;
  responseCount: number;
  updatedAt: string;
}

export interface SurveyVersionInfo {
  id: string;
  version: number;
  publishedAt: string;
  responseCount: number;
}

export interface SurveyDetail extends SurveySummary {
  draft: SurveyDefinition;
  versions: SurveyVersionInfo[];
  /** Public link path, e.g. /s/demo */
  publicPath: string;
}

export interface TemplateInfo {
  id: string;
  definition: SurveyDefinition;
}

export interface ResponseRow {
  id: string;
  surveyId: string;
  version: number;
  channel: Channel;
  locale: Locale;
  submittedAt: string;
  durationMs: number | null;
  answers: Answers;
  /** Values the link carried, e.g. {store: "123"}; null when none. */
  hiddenFields: Record<string, string> | null;
}

export interface ResponsePage {
  responses: ResponseRow[];
  total: number;
  /** Pass as ?before= to fetch the next page; null at the end. */
  nextBefore: string | null;
}

export interface ResponseDetail {
  response: ResponseRow & {
    /** Who answered, the campaign it came through, who keyed it in; null where the channel does not know. */
    customer: { id: string; name: string } | null;
    campaign: { id: string; name: string } | null;
    interviewer: { id: string; name: string } | null;
    /** Data-quality flags; null until the response has been judged. */
    qualityFlags: ('speeder' | 'straight_liner' | 'duplicate')[] | null;
  };
  definition: SurveyDefinition;
}

export interface CustomerQuery {
  q?: string;
  segment?: string;
  region?: string;
  tier?: CustomerTier | '';
  kind?: CustomerKind | '';
  page?: number;
}

export interface CustomerList {
  customers: Customer[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CustomerResponseRow {
  id: string;
  surveyId: string;
  version: number;
  surveyTitle: LocalizedText;
  channel: Channel;
  locale: Locale;
  submittedAt: string;
}

export interface CustomerResponsePage {
  responses: CustomerResponseRow[];
  total: number;
  nextBefore: string | null;
}

export interface ImportRejection {
  rowNumber: number;
  reason: LocalizedText;
  cells: string[];
}

export interface NewCustomerImport {
  fileName: string;
  sizeBytes: number;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  mapping: ColumnMapping;
}

/** One page of the Outbox, newest first, without bodies; times are milliseconds since the epoch. */
export type OutboxPage = Awaited<ReturnType<typeof listOutbox>>;
export type OutboxSummary = OutboxPage['messages'][number];
/** One message with its text and HTML part. */
export type OutboxMessage = Awaited<ReturnType<typeof getOutgoingMessage>>;
/** Why a message to a customer was skipped when it was due. */
export type MessageSkipReason = NonNullable<OutboxSummary['skipReason']>;
export interface OutboxProgress {
  /** False when the process that answered has no SMTP_URL: it leaves sending to the processes that have one. */
  smtpConfigured: boolean;
  counts: Awaited<ReturnType<typeof outboxProgress>>;
  /** Held mail has waited over a minute and no process is sending: none can. */
  untaken: boolean;
  /** Held messages an older version set aside, sent only after a release. */
  toRelease: number;
}

export interface JobPage {
  jobs: Job[];
  nextBefore: string | null;
}

/** A query string of the values given (empty ones left out). */
export function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A server message in both languages, or as plain text when the server gave only one. */
export type ServerMessage = string | LocalizedText;

/** An error the server answered with: a message for a person, and per-field messages where it has them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Per-field messages by the field's path; in both languages when the server sent both. */
    readonly fields: Record<string, ServerMessage> = {},
    /** The whole JSON answer, for errors that carry more than a message (e.g. keying differences). */
    readonly body: unknown = null,
  ) {
    super(message);
  }

  /** The message in both languages, when the server sent both (so a page can follow a language switch). */
  get texts(): LocalizedText | null {
    const messages = (this.body as { messages?: { error?: LocalizedText } } | null)?.messages;
    return messages?.error ?? null;
  }

  /** Problems the server found but left out of `fields` (it lists the first 20). */
  get unlistedProblems(): number {
    const more = (this.body as { moreProblems?: unknown } | null)?.moreProblems;
    return typeof more === 'number' ? more : 0;
  }
}

let csrfToken = '';
export function setCsrfToken(token: string) {
  csrfToken = token;
}

let requestLocale: Locale | null = null;
/** The language chosen on screen, sent as x-locale so the server's messages match it. */
export function setRequestLocale(locale: Locale) {
  requestLocale = locale;
}

/** Sends JSON, or a file (a Blob) as it is. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = body instanceof Blob ? 'text/csv' : 'application/json';
    headers['x-csrf-token'] = csrfToken;
  }
  if (requestLocale) headers['x-locale'] = requestLocale;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
  });
  const payload = response.headers.get('content-type')?.includes('application/json') ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, payload?.error ?? response.statusText, payload?.messages?.fields ?? payload?.fields ?? {}, payload);
  }
  return payload as T;
}

export const api = {
  session: () => request<SessionInfo>('GET', '/api/session'),
  login: (input: { email: string; password: string }) => request<SessionInfo>('POST', '/api/session', input),
  logout: () => request<{ ok: true }>('DELETE', '/api/session'),

  setupStatus: () => request<{ needed: boolean }>('GET', '/api/setup'),
  setup: (input: { token: string; email: string; name: string; password: string }) =>
    request<SessionInfo>('POST', '/api/setup', input),
  acceptStaffInvite: (input: { token: string; name: string; password: string }) =>
    request<SessionInfo>('POST', '/api/staff-invites/accept', input),

  users: () => request<{ users: StaffUser[] }>('GET', '/api/users'),
  staffInvites: () => request<{ invites: PendingStaffInvite[] }>('GET', '/api/staff-invites'),
  /** emailed: true when the server has SMTP and queued an email with the link. */
  createStaffInvite: (input: { email: string; role: Role }) =>
    request<{ id: string; invitePath: string; expiresAt: string; emailed: boolean }>('POST', '/api/staff-invites', input),
  revokeStaffInvite: (id: string) => request<{ ok: true }>('DELETE', `/api/staff-invites/${encodeURIComponent(id)}`),
  updateUser: (id: string, input: { active?: boolean; role?: Role }) =>
    request<{ user: StaffUser }>('PATCH', `/api/users/${encodeURIComponent(id)}`, input),

  templates: () => request<{ templates: TemplateInfo[] }>('GET', '/api/templates'),
  surveys: () => request<{ surveys: SurveySummary[] }>('GET', '/api/surveys'),
  createSurvey: (input: { templateId?: string; slug?: string; definition?: SurveyDefinition }) =>
    request<{ survey: SurveyDetail }>('POST', '/api/surveys', input),
  survey: (id: string) => request<{ survey: SurveyDetail }>('GET', `/api/surveys/${encodeURIComponent(id)}`),
  saveDraft: (id: string, input: { definition: SurveyDefinition; slug?: string }) =>
    request<{ survey: SurveyDetail }>('PUT', `/api/surveys/${encodeURIComponent(id)}/draft`, input),
  publish: (id: string) => request<{ survey: SurveyDetail }>('POST', `/api/surveys/${encodeURIComponent(id)}/publish`),
  close: (id: string) => request<{ survey: SurveyDetail }>('POST', `/api/surveys/${encodeURIComponent(id)}/close`),
  reopen: (id: string) => request<{ survey: SurveyDetail }>('POST', `/api/surveys/${encodeURIComponent(id)}/reopen`),
  responses: (id: string, before?: string) =>
    request<ResponsePage>(
      'GET',
      `/api/surveys/${encodeURIComponent(id)}/responses${before ? `?before=${encodeURIComponent(before)}` : ''}`,
    ),
  response: (id: string) => request<ResponseDetail>('GET', `/api/responses/${encodeURIComponent(id)}`),

  customers: (query: CustomerQuery) => request<CustomerList>('GET', `/api/customers${queryString({ ...query })}`),
  customerFacets: () => request<{ segments: string[]; regions: string[] }>('GET', '/api/customers/facets'),
  customer: (id: string) => request<{ customer: Customer }>('GET', `/api/customers/${encodeURIComponent(id)}`),
  createCustomer: (input: CustomerDraft) => request<{ customer: Customer }>('POST', '/api/customers', input),
  updateCustomer: (id: string, input: CustomerDraft) =>
    request<{ customer: Customer }>('PUT', `/api/customers/${encodeURIComponent(id)}`, input),
  consentHistory: (id: string, before?: number) =>
    request<ConsentHistoryPage>('GET', `/api/customers/${encodeURIComponent(id)}/consent-history${queryString({ before, limit: 20 })}`),
  customerResponses: (id: string, before?: string) =>
    request<CustomerResponsePage>('GET', `/api/customers/${encodeURIComponent(id)}/responses${queryString({ before })}`),

  createCustomerImport: (input: NewCustomerImport) => request<{ import: CustomerImport }>('POST', '/api/customer-imports', input),
  /** Sends the whole file; the server answers when every row is read. Poll customerImport meanwhile. */
  uploadCustomerImport: (id: string, file: Blob) =>
    request<{ import: CustomerImport }>('PUT', `/api/customer-imports/${encodeURIComponent(id)}/file`, file),
  customerImport: (id: string) => request<{ import: CustomerImport }>('GET', `/api/customer-imports/${encodeURIComponent(id)}`),
  importRejections: (id: string, after?: number) =>
    request<{ rejections: ImportRejection[]; nextAfter: number | null }>(
      'GET',
      `/api/customer-imports/${encodeURIComponent(id)}/rejections${queryString({ after })}`,
    ),
  importConsentKept: (id: string, after?: number) =>
    request<{ rows: ImportConsentKept[]; nextAfter: number | null }>(
      'GET',
      `/api/customer-imports/${encodeURIComponent(id)}/consent-kept${queryString({ after })}`,
    ),
  /** A plain link that downloads the rejected rows as CSV, reasons in the given language. */
  rejectionReportHref: (id: string, locale: Locale) =>
    `/api/customer-imports/${encodeURIComponent(id)}/rejections.csv${queryString({ lang: locale })}`,

  outbox: (query: { status?: MessageStatus; topic?: string; before?: string; limit?: number }) =>
    request<OutboxPage>('GET', `/api/outbox${queryString({ ...query })}`),
  outboxProgress: (topic?: string) => request<OutboxProgress>('GET', `/api/outbox/progress${queryString({ topic })}`),
  outboxMessage: (id: string) => request<{ message: OutboxMessage }>('GET', `/api/outbox/${encodeURIComponent(id)}`),
  /** Admins: puts the held messages an older version set aside back in the queue. */
  releaseHeld: () => request<{ released: number }>('POST', '/api/outbox/release'),

  jobs: (query: { status?: JobStatus; kind?: string; before?: string; limit?: number }) =>
    request<JobPage>('GET', `/api/jobs${queryString({ ...query })}`),
  retryJob: (id: string) => request<{ job: Job }>('POST', `/api/jobs/${encodeURIComponent(id)}/retry`),
};
