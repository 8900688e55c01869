// One attempt to store a response: POST /api/public/responses (or a personal link's), read into what the
// page does next.
import type { LocalizedText, Locale } from '../../surveys/definition.ts';
import type { Answers, QuestionErrors } from '../../surveys/answers.ts';
import type { HiddenFields } from '../../surveys/hidden-fields.ts';

export interface ResponseSubmission {
  id: string;
  versionId: string;
  locale: Locale;
  answers: Answers;
  startedAt: number;
  channel: string;
  /** Hidden fields from the link; left out when there are none. */
  hidden?: HiddenFields;
}

/** The case a complaint form opened, as the submit answer names it (no statusPath on a kiosk). */
export interface CaseReceipt {
  reference: string;
  statusPath?: string;
  /** When the first reply is due (ISO), shown in the business calendar's time zone. */
  firstResponseDueAt?: string;
  timeZone?: string;
}

export type SendResult =
  | { kind: 'stored'; case?: CaseReceipt }
  | { kind: 'rejected'; message?: string; questionErrors?: QuestionErrors }
  | { kind: 'closed' }
  | { kind: 'unknown' }
  /** A personal link already answered by another response. */
  | { kind: 'answered' }
  /** Worth trying again: no network, a timeout, throttling or a server error. */
  | { kind: 'failed' };

const attemptTimeoutMs = 20_000;

export async function sendResponse(submission: ResponseSubmission, url = '/api/public/responses'): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(submission),
      signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(attemptTimeoutMs) : undefined,
    });
  } catch {
    return { kind: 'failed' };
  }
  // 201 stored, 200 duplicate: either way the answers are safely on the server.
  if (response.ok) return { kind: 'stored', case: ((await response.json().catch(() => null)) as { case?: CaseReceipt } | null)?.case };
  if (response.status === 410) return { kind: 'closed' };
  if (response.status === 404) return { kind: 'unknown' };
  if (response.status === 409) return { kind: 'answered' };
  if (response.status === 408 || response.status === 429 || response.status >= 500) return { kind: 'failed' };
  const body = (await response.json().catch(() => null)) as {
    error?: unknown;
    questionErrors?: Record<string, LocalizedText>;
  } | null;
  return {
    kind: 'rejected',
    message: typeof body?.error === 'string' ? body.error : undefined,
    questionErrors: body?.questionErrors && typeof body.questionErrors === 'object' ? body.questionErrors : undefined,
  };
}
