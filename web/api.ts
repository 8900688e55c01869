// The thin typed client the staff app uses. Every state-changing call carries the CSRF token.
import type { LocalizedText, Locale, SurveyDefinition, SurveyKind } from '../surveys/definition.ts';
import type { Answers } from '../surveys/answers.ts';

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
}

export interface ResponsePage {
  responses: ResponseRow[];
  total: number;
  /** Pass as ?before= to fetch the next page; null at the end. */
  nextBefore: string | null;
}

export interface ResponseDetail {
  response: ResponseRow;
  definition: SurveyDefinition;
}

/** An error the server answered with: a message for a person, and per-field messages where it has them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken;
  }
  if (requestLocale) headers['x-locale'] = requestLocale;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = response.headers.get('content-type')?.includes('application/json') ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, payload?.error ?? response.statusText, payload?.fields ?? {});
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
  acceptInvitation: (input: { token: string; name: string; password: string }) =>
    request<SessionInfo>('POST', '/api/invitations/accept', input),

  users: () => request<{ users: StaffUser[] }>('GET', '/api/users'),
  invite: (input: { email: string; role: Role }) =>
    request<{ invitePath: string; expiresAt: string }>('POST', '/api/users/invitations', input),
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
};
