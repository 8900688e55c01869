// Unsaved editor work, kept in this browser's storage until it is saved or discarded: it survives moving to
// the preview and back, leaving the editor, closing the tab and coming back another day. Kept per staff
// account, so a colleague signing in on the same browser does not find it.
import { currentUser } from '../session.ts';
import type { SurveyDraft } from './model.ts';

export interface WorkingDraft {
  /** Fingerprint of the saved draft the work started from; stale work is dropped. */
  baseFingerprint: string;
  draft: SurveyDraft;
  /** When the work was last kept, ms since the epoch. */
  keptAt: number;
}

const keyPrefix = 'staff.editor.workingDraft';
/** Where work goes when the browser keeps no storage (e.g. some private windows): this visit only. */
const memory = new Map<string, string>();

const keyOf = (surveyId: string) => `${keyPrefix}:${currentUser()?.id ?? ''}:${surveyId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage refused (unavailable or full): keep the work for this visit at least.
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

export function keepWorkingDraft(surveyId: string, baseFingerprint: string, draft: SurveyDraft) {
  const entry: WorkingDraft = { baseFingerprint, draft, keptAt: Date.now() };
  write(keyOf(surveyId), JSON.stringify(entry));
}

export function forgetWorkingDraft(surveyId: string) {
  write(keyOf(surveyId), null);
}

/** The unsaved work on a survey with when it was kept, if it was started from the draft the server has now. */
export function keptWorkingDraft(surveyId: string, currentFingerprint: string): WorkingDraft | null {
  const text = read(keyOf(surveyId));
  if (!text) return null;
  let entry: WorkingDraft;
  try {
    entry = JSON.parse(text) as WorkingDraft;
  } catch {
    forgetWorkingDraft(surveyId);
    return null;
  }
  // Someone saved the survey since: this work started from an older draft, and would undo their change.
  if (entry.baseFingerprint !== currentFingerprint || !entry.draft) {
    forgetWorkingDraft(surveyId);
    return null;
  }
  // Work kept before the editor had these fields.
  entry.draft.loopRules ??= [];
  for (const question of entry.draft.questions ?? []) question.format ??= '';
  return entry;
}

/** The unsaved work on a survey, if it was started from the draft the server has now. */
export function workingDraftFor(surveyId: string, currentFingerprint: string): SurveyDraft | null {
  return keptWorkingDraft(surveyId, currentFingerprint)?.draft ?? null;
}
