// What survives a reload: the answers so far, the response id and start time, and a "submitted" marker.
import type { Locale } from '../../surveys/definition.ts';
import type { Answers } from '../../surveys/answers.ts';
import type { HiddenFields } from '../../surveys/hidden-fields.ts';
import type { CaseReceipt } from './send.ts';

export interface Progress {
  /** Response id, made once per respondent and reused by every retry so the server stores it once. */
  id: string;
  startedAt: number;
  answers: Answers;
  /** Hidden fields the link carried (e.g. store=123), sent with the response. */
  hidden?: HiddenFields;
}

const prefix = 'respond:';
const localeKey = `${prefix}locale`;
const progressKey = (slug: string, versionId: string) => `${prefix}progress:${slug}:${versionId}`;
const submittedKey = (slug: string, versionId: string) => `${prefix}submitted:${slug}:${versionId}`;

// Storage can be missing or full (private browsing, quota); the survey still works, it just forgets.
function read<T>(key: string, session = false): T | undefined {
  try {
    const raw = (session ? sessionStorage : localStorage).getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown, session = false) {
  try {
    const store = session ? sessionStorage : localStorage;
    if (value === undefined) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch {
    /* see read() */
  }
}

export function savedLocale(): Locale | undefined {
  const locale = read<string>(localeKey);
  return locale === 'zh-CN' || locale === 'en' ? locale : undefined;
}

export function saveLocale(locale: Locale) {
  write(localeKey, locale);
}

export function loadProgress(slug: string, versionId: string): Progress | undefined {
  const saved = read<Progress>(progressKey(slug, versionId));
  if (!saved || typeof saved.id !== 'string' || typeof saved.startedAt !== 'number') return undefined;
  const answers = saved.answers && typeof saved.answers === 'object' ? saved.answers : {};
  const hidden = saved.hidden && typeof saved.hidden === 'object' ? saved.hidden : undefined;
  return { id: saved.id, startedAt: saved.startedAt, answers, ...(hidden ? { hidden } : {}) };
}

export function saveProgress(slug: string, versionId: string, progress: Progress) {
  write(progressKey(slug, versionId), progress);
}

export function isSubmitted(slug: string, versionId: string): boolean {
  return read(submittedKey(slug, versionId)) !== undefined;
}

/**
 * The case the submitted answers opened (a complaint form), kept for this tab only: a reload still shows it, but
 * not the next visit, which on a shared computer may be someone else's (its status link is the key to the case).
 */
export function submittedCase(slug: string, versionId: string): CaseReceipt | undefined {
  return read<CaseReceipt>(submittedKey(slug, versionId), true);
}

export function markSubmitted(slug: string, versionId: string, responseId: string, opened?: CaseReceipt) {
  write(progressKey(slug, versionId), undefined);
  write(submittedKey(slug, versionId), { id: responseId, at: Date.now() });
  write(submittedKey(slug, versionId), opened, true);
}

/** Progress kept for an older version of this survey can never be sent; drop it. */
export function forgetOtherVersions(slug: string, versionId: string) {
  try {
    const stale = progressKey(slug, '');
    for (let index = localStorage.length - 1; index >= 0; index--) {
      const key = localStorage.key(index);
      if (key?.startsWith(stale) && key !== progressKey(slug, versionId)) localStorage.removeItem(key);
    }
  } catch {
    /* see read() */
  }
}

/** crypto.randomUUID exists only on https or localhost; a kiosk on a plain-http LAN address still needs ids. */
export function newResponseId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
