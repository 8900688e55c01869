// Answers a customer gave in the server-rendered form before the page's script took over.
import type { SurveyDefinition } from '../../surveys/definition.ts';
import type { Answers, PairAnswer } from '../../surveys/answers.ts';

export function earlyAnswers(root: ParentNode, definition: SurveyDefinition, idPrefix: string): Answers {
  const answers: Answers = {};
  const checked = (name: string) =>
    root.querySelector<HTMLInputElement>(`input[name="${CSS.escape(name)}"]:checked`)?.value;
  for (const question of definition.questions) {
    const name = `${idPrefix}-${question.id}`;
    const field = root.querySelector(`[data-question="${CSS.escape(question.id)}"]`);
    if (!field) continue;
    switch (question.type) {
      case 'rating':
      case 'nps':
      case 'csat':
      case 'ces': {
        const value = checked(name);
        if (value !== undefined) answers[question.id] = Number(value);
        break;
      }
      case 'expectation_experience': {
        const pair: Partial<PairAnswer> = {};
        for (const part of ['expectation', 'experience', 'importance'] as const) {
          const value = checked(`${name}-${part}`);
          if (value !== undefined) pair[part] = Number(value);
        }
        if (Object.keys(pair).length > 0) answers[question.id] = pair as PairAnswer;
        break;
      }
      case 'single_choice': {
        const value = checked(name);
        if (value !== undefined) answers[question.id] = value;
        break;
      }
      case 'multiple_choice': {
        const selected = [...field.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:checked')]
          .map((box) => box.value)
          .filter((value) => question.options.some((option) => option.id === value));
        if (selected.length > 0) answers[question.id] = { selected };
        break;
      }
      case 'text': {
        const value = field.querySelector<HTMLInputElement | HTMLTextAreaElement>('textarea, input')?.value;
        if (value) answers[question.id] = value;
        break;
      }
      case 'consent':
        if (field.querySelector<HTMLInputElement>('input[type="checkbox"]')?.checked) answers[question.id] = true;
        break;
    }
  }
  return answers;
}
