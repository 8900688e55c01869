// Unsaved editor work, kept in memory while the person moves between the editor and its preview
// (or elsewhere in the app), so nothing typed is lost by a click on a link.
import type { SurveyDraft } from './model.ts';

interface WorkingDraft {
  /** Fingerprint of the saved draft the work started from; stale work is dropped. */
  baseFingerprint: string;
  draft: SurveyDraft;
}

const working = new Map<string, WorkingDraft>();

export function keepWorkingDraft(surveyId: string, baseFingerprint: string, draft: SurveyDraft) {
  working.set(surveyId, { baseFingerprint, draft: structuredClone(draft) });
}

export function forgetWorkingDraft(surveyId: string) {
  working.delete(surveyId);
}

/** The unsaved work on a survey, if it was started from the draft the server has now. */
export function workingDraftFor(surveyId: string, currentFingerprint: string): SurveyDraft | null {
  const entry = working.get(surveyId);
  if (!entry) return null;
  if (entry.baseFingerprint !== currentFingerprint) {
    working.delete(surveyId);
    return null;
  }
  return structuredClone(entry.draft);
}
