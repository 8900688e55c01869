// Responses as spreadsheet columns: one column per answer part, numbers as numbers, options by their label in
// the reader's language. Pure; the server streams the rows (server/responses/export.ts).
import { answerLabel, answerTo, scaleOf, type Answers } from './answers.ts';
import type { Locale, Question, SurveyDefinition } from './definition.ts';

export interface AnswerColumn {
  header: string;
  /** The cell for one response's answers. */
  cell(answers: Answers): string;
}

const pairParts = [
  { key: 'expectation', en: 'expectation', zh: '期望' },
  { key: 'experience', en: 'experience', zh: '体验' },
  { key: 'importance', en: 'importance', zh: '重要性' },
] as const;

function columnsOf(question: Question, locale: Locale): AnswerColumn[] {
  const title = `${question.id} ${question.title[locale]}`;
  if (question.type === 'expectation_experience') {
    return pairParts
      .filter((part) => part.key !== 'importance' || question.withImportance)
      .map((part) => ({
        header: `${title} (${locale === 'zh-CN' ? part.zh : part.en})`,
        cell: (answers) => {
          const value = answerTo(answers, question.id);
          const number = typeof value === 'object' && 'expectation' in value ? value[part.key] : undefined;
          return typeof number === 'number' ? String(number) : '';
        },
      }));
  }
  const numeric = scaleOf(question) !== null;
  return [
    {
      header: title,
      cell: (answers) => {
        const value = answerTo(answers, question.id);
        if (numeric && typeof value === 'number') return String(value);
        return answerLabel(question, value, locale);
      },
    },
  ];
}

/**
 * The answer columns for responses to several versions of one survey: the newest version's questions in its
 * order, then questions only older versions asked. A question keeps the newest wording it has.
 */
export function answerColumns(definitionsNewestFirst: readonly SurveyDefinition[], locale: Locale): AnswerColumn[] {
  const seen = new Set<string>();
  const questions: Question[] = [];
  for (const definition of definitionsNewestFirst) {
    for (const question of definition.questions) {
      if (seen.has(question.id)) continue;
      seen.add(question.id);
      questions.push(question);
    }
  }
  return questions.flatMap((question) => columnsOf(question, locale));
}
