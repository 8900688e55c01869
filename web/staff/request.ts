// How the staff app calls the server: every state-changing call carries the CSRF token, every call the
// language on screen, and a failure becomes an ApiError. Each area's api.ts lists its calls; the shapes they
// answer with are derived from the server's routes (Answer), type-only, so no server code reaches the bundle.
import type { ExtractSchema } from 'hono/types';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';

type Success = 200 | 201 | 202 | 204;
type SuccessOutput<E> = E extends { status: infer S; output: infer O } ? ([Extract<S, Success>] extends [never] ? never : O) : never;

/**
 * The JSON a server route answers with when it succeeds, as the browser parses it (a Date arrives as a string),
 * e.g. Answer<typeof surveyRoutes, '/surveys/:id', '$get'>. A changed route changes this type.
 */
export type Answer<
  Routes,
  Path extends keyof ExtractSchema<Routes>,
  Method extends keyof ExtractSchema<Routes>[Path],
> = SuccessOutput<ExtractSchema<Routes>[Path][Method]>;

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
