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

/** How many problems one error lists; the rest are counted, so a body naming thousands stays small. */
export const maxReportedProblems = 20;

/** The first maxReportedProblems entries of a list of problems keyed by field or question, and how many were left out. */
export function firstProblems<T>(problems: Record<string, T>): { shown: Record<string, T>; omitted: number } {
  const keys = Object.keys(problems);
  if (keys.length <= maxReportedProblems) return { shown: problems, omitted: 0 };
  // fromEntries defines own properties, so even a key "__proto__" stays data.
  const shown = Object.fromEntries(keys.slice(0, maxReportedProblems).map((key) => [key, problems[key]!]));
  return { shown, omitted: keys.length - maxReportedProblems };
}

/** " The first 20 are listed; 59980 more are not." in both languages, or nothing when all are listed. */
export function omittedText(omitted: number): LocalizedText {
  if (omitted === 0) return { en: '', 'zh-CN': '' };
  return {
    en: ` The first ${maxReportedProblems} are listed; ${omitted} more are not.`,
    'zh-CN': `下面列出前 ${maxReportedProblems} 个，另有 ${omitted} 个未列出。`,
  };
}
