// Domain errors that services throw and the transport maps to HTTP statuses.
import type { LocalizedText } from '../surveys/definition.ts';

export type ErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'gone' | 'too_large' | 'too_many';

const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  too_many: 429,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly text: LocalizedText,
    /** Per-field messages, keyed by the field's path (e.g. "email" or "questions.2.title.en"). */
    readonly fields: Record<string, LocalizedText | string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(text.en);
  }

  get status() {
    return statusOf[this.code];
  }
}
