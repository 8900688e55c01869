// The pure rules of postal forms: reading what a data-entry clerk typed for each question into answers, and
// comparing two keyings of the same form. No I/O; the staff app's keying screen uses the same functions.
import type { AnswerValue, Answers } from '../../surveys/answers.ts';
import type { LocalizedText, Question, SurveyDefinition } from '../../surveys/definition.ts';

/** What was typed per question, keyed by question id; a question left blank is not answered. */
export type KeyedForm = Record<string, string>;

export type KeyedRead = { ok: true; answer: AnswerValue | undefined } | { ok: false; error: LocalizedText };

const read = (answer: AnswerValue | undefined): KeyedRead => ({ ok: true, answer });
const refuse = (en: string, zh: string): KeyedRead => ({ ok: false, error: { en, 'zh-CN': zh } });

const yesWords = new Set(['1', 'y', 'yes', '是', 'x']);
const noWords = new Set(['2', '0', 'n', 'no', '否']);

/**
 * The numbers in what was typed: separated by spaces, commas or dots, or, where every allowed number is a
 * single digit, typed straight after one another ("687" is 6, 8, 7).
 */
export function keyedNumbers(text: string, singleDigits: boolean): number[] | null {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parts = /^\d+$/.test(trimmed) && singleDigits && trimmed.length > 1 ? [...trimmed] : trimmed.split(/[\s,，.;、]+/);
  if (!parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  return parts.map(Number);
}

/** What the clerk typed for one question as the answer it stands for, or why it cannot be read. */
export function readKeyedAnswer(question: Question, typed: string): KeyedRead {
  const text = typed.trim();
  if (text === '') return read(undefined);
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces': {
      if (!/^\d{1,3}$/.test(text)) return refuse(`Type the number ticked on the form (got "${text}").`, `请输入问卷上勾选的数字（当前为“${text}”）。`);
      return read(Number(text));
    }
    case 'expectation_experience': {
      const parts = question.withImportance ? 3 : 2;
      const max = Number(question.scale.split('-')[1]);
      const numbers = keyedNumbers(text, max <= 9);
      const shape = question.withImportance ? 'expectation, experience and importance' : 'expectation and experience';
      const shapeZh = question.withImportance ? '期望、体验和重要程度' : '期望和体验';
      if (!numbers || numbers.length !== parts) {
        return refuse(
          `Type ${parts} numbers, ${shape}, separated by spaces (e.g. "${question.withImportance ? '5 6 7' : '5 6'}").`,
          `请输入 ${parts} 个数字：${shapeZh}，用空格分开（例如“${question.withImportance ? '5 6 7' : '5 6'}”）。`,
        );
      }
      const [expectation, experience, importance] = numbers as [number, number, number?];
      return read(importance === undefined ? { expectation, experience } : { expectation, experience, importance });
    }
    case 'single_choice': {
      const count = question.options.length;
      const number = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
      const option = question.options[number - 1];
      if (!option) return refuse(`Type the number of the ticked option, 1 to ${count} (got "${text}").`, `请输入所勾选选项的编号，1 到 ${count}（当前为“${text}”）。`);
      return read(option.id);
    }
    case 'multiple_choice': {
      const count = question.options.length;
      // Numbers first; with an "Other" box, whatever follows the numbers is the other text.
      const match = /^([\d\s,，.;、]*)(.*)$/s.exec(text)!;
      const numbers = keyedNumbers(match[1]!, count <= 9);
      const other = match[2]!.trim();
      if (!numbers) return refuse(`Type the numbers of the ticked options, e.g. "1 3".`, '请输入所勾选选项的编号，例如“1 3”。');
      if (other !== '' && !question.allowOther) {
        return refuse(`Type only option numbers from 1 to ${count}, e.g. "1 3" (got "${text}").`, `只能输入 1 到 ${count} 的选项编号，例如“1 3”（当前为“${text}”）。`);
      }
      const outOfRange = numbers.find((number) => number < 1 || number > count);
      if (outOfRange !== undefined) return refuse(`There is no option ${outOfRange}; the options are 1 to ${count}.`, `没有第 ${outOfRange} 个选项；选项编号为 1 到 ${count}。`);
      const selected = numbers.map((number) => question.options[number - 1]!.id);
      return read(other === '' ? { selected } : { selected, other });
    }
    case 'text':
      return read(text);
    case 'consent': {
      const word = text.toLowerCase();
      if (yesWords.has(word)) return read(true);
      if (noWords.has(word)) return read(false);
      return refuse(`Type 1 for yes or 2 for no (got "${text}").`, `是请输入 1，否请输入 2（当前为“${text}”）。`);
    }
  }
}

/** A whole keyed form as answers; questions left blank are left out. Errors are per question id. */
export function readKeyedForm(
  definition: SurveyDefinition,
  form: KeyedForm,
): { ok: true; answers: Answers } | { ok: false; errors: Record<string, LocalizedText> } {
  const answers: Answers = {};
  const errors: Record<string, LocalizedText> = {};
  for (const question of definition.questions) {
    const typed = Object.hasOwn(form, question.id) ? form[question.id]! : '';
    const result = readKeyedAnswer(question, typed);
    if (!result.ok) errors[question.id] = result.error;
    else if (result.answer !== undefined) answers[question.id] = result.answer;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers };
}

/** An answer as a clerk would type it, so a settled value can be put back into the form. */
export function keyedText(question: Question, answer: AnswerValue | undefined): string {
  if (answer === undefined || answer === null) return '';
  switch (question.type) {
    case 'single_choice': {
      const index = question.options.findIndex((option) => option.id === answer);
      return index < 0 ? String(answer) : String(index + 1);
    }
    case 'multiple_choice': {
      if (typeof answer !== 'object' || !('selected' in answer)) return '';
      const numbers = answer.selected.map((id) => question.options.findIndex((option) => option.id === id) + 1);
      return [...numbers.map(String), ...(answer.other ? [answer.other] : [])].join(' ');
    }
    case 'expectation_experience': {
      if (typeof answer !== 'object' || !('expectation' in answer)) return '';
      return [answer.expectation, answer.experience, answer.importance].filter((part) => part !== undefined).join(' ');
    }
    case 'consent':
      return answer === true ? '1' : '2';
    default:
      return String(answer);
  }
}

export interface KeyingDifference {
  questionId: string;
  /** Absent where that keying left the question blank. */
  first?: AnswerValue;
  second?: AnswerValue;
}

/** An answer in a form where two keyings of the same marks compare equal: text trimmed with its spaces collapsed, choices in option order. */
function comparable(question: Question | undefined, answer: AnswerValue | undefined): string {
  if (answer === undefined || answer === null) return '';
  if (typeof answer === 'string') return answer.trim().replace(/\s+/g, ' ');
  if (typeof answer === 'number' || typeof answer === 'boolean') return String(answer);
  if ('selected' in answer) {
    const order = question?.type === 'multiple_choice' ? question.options.map((option) => option.id) : [];
    const selected = [...new Set(answer.selected)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    return JSON.stringify([selected, (answer.other ?? '').trim().replace(/\s+/g, ' ')]);
  }
  return JSON.stringify([Number(answer.expectation), Number(answer.experience), answer.importance === undefined ? null : Number(answer.importance)]);
}

/** Where two keyings of one form disagree, question by question in survey order (questions the survey no longer has last). */
export function compareKeyings(definition: SurveyDefinition, first: Answers, second: Answers): KeyingDifference[] {
  const byId = new Map(definition.questions.map((question) => [question.id, question]));
  const ids = [...definition.questions.map((question) => question.id)];
  for (const id of [...Object.keys(first), ...Object.keys(second)]) if (!byId.has(id) && !ids.includes(id)) ids.push(id);
  const differences: KeyingDifference[] = [];
  for (const questionId of ids) {
    const a = Object.hasOwn(first, questionId) ? first[questionId] : undefined;
    const b = Object.hasOwn(second, questionId) ? second[questionId] : undefined;
    if (comparable(byId.get(questionId), a) === comparable(byId.get(questionId), b)) continue;
    const difference: KeyingDifference = { questionId };
    if (a !== undefined) difference.first = a;
    if (b !== undefined) difference.second = b;
    differences.push(difference);
  }
  return differences;
}
