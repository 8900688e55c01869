// What a respondent's answers look like, and the rules that check them against a survey version.
// Pure and dependency-free (types only from definition.ts) so the public page can ship it cheaply.
import type { Condition, Locale, LocalizedText, Question, SurveyDefinition } from './definition.ts';

export interface PairAnswer {
  expectation: number;
  experience: number;
  importance?: number;
}
export interface MultipleChoiceAnswer {
  selected: string[];
  other?: string;
}
/** rating/nps/csat/ces: number; expectation_experience: PairAnswer; single_choice: option id;
 *  multiple_choice: MultipleChoiceAnswer; text: string; consent: boolean. An unanswered question has no key. */
export type AnswerValue = number | string | boolean | PairAnswer | MultipleChoiceAnswer;
export type Answers = Record<string, AnswerValue>;
export type QuestionErrors = Record<string, LocalizedText>;

/** Key of an error about the answers as a whole; question ids start with a letter, so it cannot clash. */
export const formErrorKey = '_form';

export const otherMaxLength = 500;

export interface Scale {
  min: number;
  max: number;
}
export type ScaledQuestion = Extract<Question, { type: 'rating' | 'nps' | 'csat' | 'ces' | 'expectation_experience' }>;

/** The whole-number range a rating-like question is answered on; null for questions without a scale. */
export function scaleOf(question: ScaledQuestion): Scale;
export function scaleOf(question: Question): Scale | null;
export function scaleOf(question: Question): Scale | null {
  switch (question.type) {
    case 'rating':
    case 'expectation_experience': {
      const [min, max] = question.scale.split('-').map(Number) as [number, number];
      return { min, max };
    }
    case 'nps':
      return { min: 0, max: 10 };
    case 'csat':
      return { min: 1, max: 5 };
    case 'ces':
      return { min: 1, max: 7 };
    default:
      return null;
  }
}

// Visibility

/**
 * Whether a question is shown, given the answers to the questions shown before it.
 * Every test but `answered` needs an answer to compare, so a condition on an unanswered question hides;
 * pass answers without those to hidden questions (as visibleQuestions and pruneHidden do), and a
 * question that depends on a hidden one is hidden too.
 */
export function isVisible(question: Question, answers: Readonly<Record<string, unknown>>): boolean {
  const condition = question.showIf;
  if (condition === undefined) return true;
  const answer = answerTo(answers, condition.question);
  if (isMissing(answer)) return false;
  return conditionMet(condition, answer);
}

/** The questions shown for these answers, in survey order. */
export function visibleQuestions(definition: SurveyDefinition, answers: Answers): Question[] {
  const shown: Question[] = [];
  const shownAnswers: Answers = {};
  for (const question of definition.questions) {
    if (!isVisible(question, shownAnswers)) continue;
    shown.push(question);
    const answer = answerTo(answers, question.id);
    if (answer !== undefined) shownAnswers[question.id] = answer;
  }
  return shown;
}

/** The answers to questions still shown; answers to hidden or unknown questions are dropped. */
export function pruneHidden(definition: SurveyDefinition, answers: Answers): Answers {
  const kept: Answers = {};
  for (const question of visibleQuestions(definition, answers)) {
    const answer = answerTo(answers, question.id);
    if (answer !== undefined) kept[question.id] = answer;
  }
  return kept;
}

function conditionMet(condition: Condition, answer: unknown): boolean {
  switch (condition.op) {
    case 'answered':
      return true;
    case 'eq':
      return answerMatches(answer, condition.value);
    case 'neq':
      return !answerMatches(answer, condition.value);
    case 'in':
      return condition.value.some((value) => answerMatches(answer, value));
    case 'gte':
    case 'lte': {
      const rating = comparableNumber(answer);
      if (rating === undefined) return false;
      return condition.op === 'gte' ? rating >= condition.value : rating <= condition.value;
    }
  }
}

/** eq for every answer kind: a multiple choice matches an option it selected, a pair its experience rating. */
function answerMatches(answer: unknown, value: string | number | boolean): boolean {
  if (isMultipleChoiceShape(answer)) return answer.selected.includes(value);
  if (isPairShape(answer)) return answer.experience === value;
  return answer === value;
}

function comparableNumber(answer: unknown): number | undefined {
  if (typeof answer === 'number') return answer;
  if (isPairShape(answer) && typeof answer.experience === 'number') return answer.experience;
  return undefined;
}

// Validation

const requiredMessage: LocalizedText = { en: 'This question is required.', 'zh-CN': '此题为必答题。' };

/** Why this answer to one question is not acceptable, in both languages, or null when it is. */
export function validateAnswer(question: Question, value: unknown): LocalizedText | null {
  const checked = checkAnswer(question, value);
  return checked.ok ? null : checked.error;
}

/**
 * Check a whole submission against a survey version. On success the answers come back normalised
 * (text trimmed, pairs and choices copied with known fields only, empty answers left out).
 */
export function validateAnswers(
  definition: SurveyDefinition,
  input: unknown,
): { ok: true; answers: Answers } | { ok: false; errors: QuestionErrors } {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      errors: {
        [formErrorKey]: {
          en: `Answers must be an object keyed by question id (got ${describe(input).en}).`,
          'zh-CN': `答案必须是以题目编号为键的对象（当前为${describe(input).zh}）。`,
        },
      },
    };
  }
  // A Map, so that even a key like "__proto__" is reported as an ordinary unknown question.
  const errors = new Map<string, LocalizedText>();
  const questionIds = new Set(definition.questions.map((question) => question.id));
  for (const id of Object.keys(input)) {
    if (!questionIds.has(id)) {
      const shown = describe(id);
      errors.set(id, { en: `This survey has no question ${shown.en}.`, 'zh-CN': `本问卷没有编号为${shown.zh}的题目。` });
    }
  }

  const answers: Answers = {};
  // Visibility follows what the respondent entered, even where it is invalid, so one bad answer
  // does not also flag the questions that depend on it.
  const shownAnswers: Record<string, unknown> = {};
  for (const question of definition.questions) {
    const value = answerTo(input, question.id);
    if (!isVisible(question, shownAnswers)) {
      if (!isMissing(value)) {
        errors.set(question.id, {
          en: 'This question was not shown for these answers, so it cannot be answered.',
          'zh-CN': '根据您之前的回答，此题不会显示，不能作答。',
        });
      }
      continue;
    }
    const checked = checkAnswer(question, value);
    if (!checked.ok) {
      errors.set(question.id, checked.error);
      shownAnswers[question.id] = value;
    } else if (checked.answer !== undefined) {
      answers[question.id] = checked.answer;
      shownAnswers[question.id] = checked.answer;
    }
  }
  return errors.size === 0 ? { ok: true, answers } : { ok: false, errors: Object.fromEntries(errors) };
}

type Checked = { ok: true; answer: AnswerValue | undefined } | { ok: false; error: LocalizedText };

const accept = (answer: AnswerValue | undefined): Checked => ({ ok: true, answer });
const reject = (en: string, zh: string): Checked => ({ ok: false, error: { en, 'zh-CN': zh } });

/** Validates and normalises one answer; a missing answer to an optional question is accepted as undefined. */
function checkAnswer(question: Question, value: unknown): Checked {
  if (isMissing(value)) return question.required ? { ok: false, error: requiredMessage } : accept(undefined);
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces':
      return checkRating(value, scaleOf(question));
    case 'expectation_experience':
      return checkPair(question, value);
    case 'single_choice':
      return checkSingleChoice(question, value);
    case 'multiple_choice':
      return checkMultipleChoice(question, value);
    case 'text':
      return checkText(question, value);
    case 'consent':
      return checkConsent(question, value);
  }
}

function checkRating(value: unknown, scale: Scale, part?: { en: string; zh: string }): Checked {
  if (typeof value === 'number' && Number.isInteger(value) && value >= scale.min && value <= scale.max) {
    return accept(value);
  }
  const got = describe(value);
  const en = `choose a whole number from ${scale.min} to ${scale.max} (got ${got.en}).`;
  const zh = `请选择 ${scale.min} 到 ${scale.max} 之间的整数（当前为${got.zh}）。`;
  return part ? reject(`${part.en}: ${en}`, `${part.zh}：${zh}`) : reject(capitalise(en), zh);
}

function checkPair(question: Extract<Question, { type: 'expectation_experience' }>, value: unknown): Checked {
  const scale = scaleOf(question);
  if (!isPlainObject(value)) {
    return reject(
      `Rate both your expectation and your experience, each a whole number from ${scale.min} to ${scale.max}.`,
      `请分别为期望和实际体验打分，均为 ${scale.min} 到 ${scale.max} 之间的整数。`,
    );
  }
  const expectation = checkRating(value.expectation, scale, { en: 'Expectation', zh: '期望' });
  if (!expectation.ok) return expectation;
  const experience = checkRating(value.experience, scale, { en: 'Experience', zh: '实际体验' });
  if (!experience.ok) return experience;
  const pair: PairAnswer = { expectation: value.expectation as number, experience: value.experience as number };
  if (!isAbsent(value.importance)) {
    if (!question.withImportance) {
      return reject('This question does not ask how important it is; leave importance out.', '此题不需要评价重要程度，请不要填写。');
    }
    const importance = checkRating(value.importance, scale, { en: 'Importance', zh: '重要程度' });
    if (!importance.ok) return importance;
    pair.importance = value.importance as number;
  }
  return accept(pair);
}

function checkSingleChoice(question: Extract<Question, { type: 'single_choice' }>, value: unknown): Checked {
  if (typeof value === 'string' && question.options.some((option) => option.id === value)) return accept(value);
  const labels = optionLabels(question);
  const got = describe(value);
  return reject(
    `Choose one of the options: ${labels.en} (got ${got.en}).`,
    `请从以下选项中选择一项：${labels.zh}（当前为${got.zh}）。`,
  );
}

function checkMultipleChoice(question: Extract<Question, { type: 'multiple_choice' }>, value: unknown): Checked {
  const labels = optionLabels(question);
  if (!isPlainObject(value) || !Array.isArray(value.selected)) {
    return reject(`Choose one or more of the options: ${labels.en}.`, `请从以下选项中选择一项或多项：${labels.zh}。`);
  }
  const selected: string[] = [];
  for (const id of value.selected as unknown[]) {
    const option = question.options.find((candidate) => candidate.id === id);
    if (!option) {
      const got = describe(id);
      return reject(`${capitalise(got.en)} is not one of the options: ${labels.en}.`, `${got.zh}不是本题的选项，可选：${labels.zh}。`);
    }
    if (selected.includes(option.id)) {
      return reject(
        `Each option can be chosen only once ("${option.label.en}" appears twice).`,
        `每个选项只能选择一次（“${option.label['zh-CN']}”重复出现）。`,
      );
    }
    selected.push(option.id);
  }
  const answer: MultipleChoiceAnswer = { selected };
  if (!isAbsent(value.other)) {
    if (!question.allowOther) {
      return reject('This question has no "Other" box; choose from the listed options.', '此题没有“其他”选项，请从列出的选项中选择。');
    }
    const other = typeof value.other === 'string' ? value.other.trim() : '';
    if (other === '') {
      return reject('Write your "Other" answer in a few words, or remove it.', '请简要填写“其他”的内容，或将其清空。');
    }
    const length = characterCount(other);
    if (length > otherMaxLength) {
      return reject(
        `Keep your "Other" answer to ${otherMaxLength} characters or fewer (got ${length}).`,
        `“其他”的内容不能超过 ${otherMaxLength} 个字符（当前 ${length} 个）。`,
      );
    }
    answer.other = other;
  }
  return accept(answer);
}

function checkText(question: Extract<Question, { type: 'text' }>, value: unknown): Checked {
  if (typeof value !== 'string') {
    const got = describe(value);
    return reject(`Enter your answer as text (got ${got.en}).`, `请以文字作答（当前为${got.zh}）。`);
  }
  const text = value.trim();
  const length = characterCount(text);
  if (length > question.maxLength) {
    return reject(
      `Keep your answer to ${question.maxLength} characters or fewer (got ${length}).`,
      `回答不能超过 ${question.maxLength} 个字符（当前 ${length} 个）。`,
    );
  }
  if (question.format === 'email' && !isEmailAddress(text)) {
    return reject('Enter an email address, like name@example.com.', '请输入有效的电子邮件地址，例如 name@example.com。');
  }
  if (question.format === 'phone' && !isPhoneNumber(text)) {
    return reject(
      'Enter a phone number: 5 to 20 digits, with spaces, +, - or parentheses if you like.',
      '请输入电话号码：5 到 20 位数字，可含空格、+、- 或括号。',
    );
  }
  return accept(text);
}

// The same tests as the customer records' (server/customers/rules.ts, valibot's email), kept here without
// imports so the public page stays small.
const emailPattern = /^[\w+-]+(?:\.[\w+-]+)*@[\da-zA-Z]+(?:[.-][\da-zA-Z]+)*\.[a-zA-Z]{2,}$/u;
const phonePattern = /^\+?[\d\s()-]+$/;

/** An email address as the platform accepts one anywhere. */
export function isEmailAddress(text: string): boolean {
  return emailPattern.test(text);
}

/** Digits, spaces, +, -, parentheses, with 5 to 20 digits (at most 32 characters). */
export function isPhoneNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return phonePattern.test(text) && digits >= 5 && digits <= 20 && text.length <= 32;
}

function checkConsent(question: Extract<Question, { type: 'consent' }>, value: unknown): Checked {
  if (typeof value !== 'boolean') {
    const got = describe(value);
    return reject(`Answer yes or no (got ${got.en}).`, `请选择是或否（当前为${got.zh}）。`);
  }
  if (question.required && !value) return reject('Your consent is required to continue.', '需要您的同意才能继续。');
  return accept(value);
}

// Display

/** An answer as staff read it: option labels in the locale, "7 / 10", "expectation 6, experience 8 (c = 1.33)". */
export function answerLabel(question: Question, value: AnswerValue | undefined, locale: Locale): string {
  if (isAbsent(value)) return '';
  const zh = locale === 'zh-CN';
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces':
      return typeof value === 'number' ? `${value} / ${scaleOf(question).max}` : String(value);
    case 'expectation_experience': {
      if (typeof value !== 'object' || !('expectation' in value)) break;
      const parts = zh
        ? [`期望 ${value.expectation}`, `体验 ${value.experience}`]
        : [`expectation ${value.expectation}`, `experience ${value.experience}`];
      if (typeof value.importance === 'number') parts.push(zh ? `重要性 ${value.importance}` : `importance ${value.importance}`);
      const text = parts.join(zh ? '，' : ', ');
      // c = b / a is undefined when the expectation is 0 (possible on a 0-10 scale).
      if (value.expectation === 0) return text;
      const index = `c = ${(value.experience / value.expectation).toFixed(2)}`;
      return zh ? `${text}（${index}）` : `${text} (${index})`;
    }
    case 'single_choice':
      return typeof value === 'string' ? optionLabel(question, value, locale) : String(value);
    case 'multiple_choice': {
      if (typeof value !== 'object' || !('selected' in value)) break;
      const parts = value.selected.map((id) => optionLabel(question, id, locale));
      if (value.other !== undefined) parts.push(zh ? `其他：${value.other}` : `Other: ${value.other}`);
      return parts.join(zh ? '、' : ', ');
    }
    case 'text':
      return String(value);
    case 'consent':
      if (typeof value !== 'boolean') break;
      return zh ? (value ? '是' : '否') : value ? 'Yes' : 'No';
  }
  return JSON.stringify(value);
}

// Helpers

/** The answer to a question, own keys only (an id such as "constructor" finds nothing). */
export function answerTo<T>(answers: Readonly<Record<string, T>>, questionId: string): T | undefined {
  // Own keys only: an id such as "constructor" must not find Object.prototype.constructor.
  return Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** No answer: nothing, blank text, or a multiple choice with nothing selected and no other text. */
function isMissing(value: unknown): boolean {
  if (isAbsent(value)) return true;
  if (typeof value === 'string') return value.trim() === '';
  return isMultipleChoiceShape(value) && value.selected.length === 0 && isAbsent(value.other);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isMultipleChoiceShape(value: unknown): value is { selected: unknown[]; other?: unknown } {
  return isPlainObject(value) && Array.isArray(value.selected);
}

function isPairShape(value: unknown): value is { expectation: unknown; experience: unknown; importance?: unknown } {
  return isPlainObject(value) && 'expectation' in value && 'experience' in value;
}

/** Length as a person counts it: one per code point, so 中文 and emoji count as one each. */
function characterCount(text: string): number {
  return [...text].length;
}

function optionLabel(question: Extract<Question, { type: 'single_choice' | 'multiple_choice' }>, id: string, locale: Locale) {
  return question.options.find((option) => option.id === id)?.label[locale] ?? id;
}

function optionLabels(question: Extract<Question, { type: 'single_choice' | 'multiple_choice' }>) {
  return {
    en: question.options.map((option) => option.label.en).join(', '),
    zh: question.options.map((option) => option.label['zh-CN']).join('、'),
  };
}

/** A short rendering of an unexpected value for the "(got …)" part of a message. */
function describe(value: unknown): { en: string; zh: string } {
  if (isAbsent(value)) return { en: 'nothing', zh: '空' };
  if (typeof value === 'string') {
    const characters = [...value];
    const shown = characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : value;
    return { en: `"${shown}"`, zh: `“${shown}”` };
  }
  if (typeof value === 'number' || typeof value === 'boolean') return { en: String(value), zh: String(value) };
  if (Array.isArray(value)) return { en: 'a list', zh: '列表' };
  if (typeof value === 'object') return { en: 'an object', zh: '对象' };
  return { en: typeof value, zh: typeof value };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
