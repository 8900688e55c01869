// How much of the survey the server sends as HTML: the questions that fill a phone's first screen. The rest
// arrive with the page's script a moment later, below the fold, so the first response stays small and the
// browser lays out only what the reader sees first.
import type { Question } from '../../surveys/definition.ts';

/** A phone's screen below the title, intro and progress bar (390 x 844 CSS px, the header taking about 300). */
export const firstScreenPx = 544;

/** A rough height of a question's card at phone width, in CSS px, from what survey.css gives each part. */
export function estimatedHeightPx(question: Question): number {
  const card = 70 + (question.help ? 45 : 0);
  switch (question.type) {
    case 'expectation_experience':
      return card + (question.withImportance ? 3 : 2) * 160;
    case 'rating':
    case 'csat':
    case 'ces':
      return card + 80;
    case 'nps':
      // Eleven points wrap to two rows on a phone.
      return card + 130;
    case 'single_choice':
    case 'multiple_choice':
      return card + question.options.length * 56;
    case 'text':
      return card + (question.multiline ? 130 : 60);
    case 'consent':
      return card + 60;
  }
}

/** How many of `questions`, from the first, the server renders: until they fill the first screen; at least one. */
export function firstScreenCount(questions: readonly Question[], screenPx = firstScreenPx): number {
  let used = 0;
  let count = 0;
  for (const question of questions) {
    if (count > 0 && used >= screenPx) break;
    used += estimatedHeightPx(question);
    count++;
  }
  return count;
}
