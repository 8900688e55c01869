// Closing the loop: per survey, rules that catch an answer worth a call back (a detractor, an unhappy CSAT,
// experience below expectation, "please contact me" ticked). Pure, shared by the editor, the public page and
// the server's intake, which asks `firedRules` for every response it stores. The schema is part of the survey
// definition (definition.ts calls loopRuleProblems from its own check, so a rule naming the wrong question is
// reported where the survey is edited).
import * as v from 'valibot';
import { answerLabel, answerTo, type Answers, type AnswerValue, type PairAnswer } from './answers.ts';
import type { Locale, LocalizedText, Question, SurveyDefinition } from './definition.ts';
import { message } from './i18n.ts';

export const loopRuleKinds = ['nps_at_most', 'csat_at_most', 'c_below', 'contact_requested'] as const;
export type LoopRuleKind = (typeof loopRuleKinds)[number];

/** At most this many rules on one survey. */
export const maxLoopRules = 20;

const ruleId = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    message(
      'a rule id must start with a letter and use only letters, digits, _ or - (at most 64)',
      '规则 ID 须以英文字母开头，且只使用字母、数字、_ 或 -（最多 64 个字符）。',
    ),
  ),
);
const questionRef = v.pipe(v.string(), v.trim(), v.nonEmpty(message('choose a question for the rule', '请为规则选择一个问题。')));

const npsValue = message('the NPS threshold must be a whole number from 0 to 9', 'NPS 阈值须为 0 到 9 之间的整数。');
const csatValue = message('the CSAT threshold must be a whole number from 1 to 4', 'CSAT 阈值须为 1 到 4 之间的整数。');
const cValue = message('the c threshold must be a number above 0 and at most 10', 'c 的阈值须大于 0 且不超过 10。');

/** One loop-closing rule. Ids are stable: a case and a catch record the ids of the rules that fired. */
export const LoopRule = v.variant('kind', [
  /** The NPS answer to `question` is `value` or lower (e.g. ≤ 6: a detractor). */
  v.object({
    id: ruleId,
    kind: v.literal('nps_at_most'),
    question: questionRef,
    value: v.pipe(v.number(npsValue), v.integer(npsValue), v.minValue(0, npsValue), v.maxValue(9, npsValue)),
  }),
  /** The CSAT answer (1-5) to `question` is `value` or lower (e.g. ≤ 2). */
  v.object({
    id: ruleId,
    kind: v.literal('csat_at_most'),
    question: questionRef,
    value: v.pipe(v.number(csatValue), v.integer(csatValue), v.minValue(1, csatValue), v.maxValue(4, csatValue)),
  }),
  /** c = experience / expectation is below `value` on the named attribute, or on any attribute when none is named. */
  v.object({
    id: ruleId,
    kind: v.literal('c_below'),
    attribute: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty())),
    value: v.pipe(v.number(cValue), v.gtValue(0, cValue), v.maxValue(10, cValue)),
  }),
  /** "Please contact me": a consent question answered yes, or `option` chosen on a single-choice question. */
  v.object({
    id: ruleId,
    kind: v.literal('contact_requested'),
    question: questionRef,
    option: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty())),
  }),
]);
export type LoopRule = v.InferOutput<typeof LoopRule>;

export const LoopRules = v.pipe(
  v.array(LoopRule),
  v.maxLength(maxLoopRules, message(`a survey can have at most ${maxLoopRules} loop-closing rules`, `一份问卷最多只能有 ${maxLoopRules} 条闭环规则。`)),
);

/** A message as [English, Chinese]. */
export type Bilingual = readonly [en: string, zh: string];

export interface LoopRuleProblem {
  /** Below loopRules, e.g. [2, 'question']. */
  path: (string | number)[];
  message: Bilingual;
}

/**
 * Every problem with the rules against the survey's questions: a rule id used twice, a rule naming a question
 * the survey does not have or one of the wrong type, an option the question does not offer, an attribute no
 * expectation/experience question rates. `named` words a question as a person knows it (number and title).
 */
export function loopRuleProblems(rules: readonly LoopRule[], questions: readonly Question[], named: (question: Question) => Bilingual): LoopRuleProblem[] {
  const problems: LoopRuleProblem[] = [];
  const byId = new Map<string, Question>();
  for (const question of questions) if (!byId.has(question.id)) byId.set(question.id, question);
  const attributes = new Set(questions.flatMap((question) => (question.type === 'expectation_experience' ? [question.attribute] : [])));
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const [ruleEn, ruleZh] = ruleName(index);
    const add = (field: string, en: string, zh: string) => problems.push({ path: [index, field], message: [`${ruleEn}: ${en}`, `${ruleZh}：${zh}`] });
    if (seen.has(rule.id)) add('id', `the id "${rule.id}" is used by an earlier rule`, `ID "${rule.id}" 已被前面的规则使用，请换一个 ID。`);
    seen.add(rule.id);
    if (rule.kind === 'c_below') {
      if (rule.attribute === undefined) {
        if (attributes.size === 0) {
          add('attribute', 'the survey has no expectation/experience question, so c cannot be worked out', '问卷中没有“期望与体验”题，无法计算 c，请先添加此类问题或删除该规则。');
        }
      } else if (!attributes.has(rule.attribute)) {
        add('attribute', `no expectation/experience question rates the attribute "${rule.attribute}"`, `没有“期望与体验”题评价属性 "${rule.attribute}"，请选择问卷中已有的属性。`);
      }
      return;
    }
    const question = byId.get(rule.question);
    if (!question) {
      add('question', `the survey has no question with the id "${rule.question}"`, `问卷中没有 ID 为 "${rule.question}" 的问题，请选择已有的问题。`);
      return;
    }
    const [questionEn, questionZh] = named(question);
    switch (rule.kind) {
      case 'nps_at_most':
        if (question.type !== 'nps') add('question', `${questionEn} is not an NPS question; choose an NPS question`, `${questionZh}不是 NPS 题，请选择 NPS 题。`);
        break;
      case 'csat_at_most':
        if (question.type !== 'csat') add('question', `${questionEn} is not a CSAT question; choose a CSAT question`, `${questionZh}不是 CSAT 题，请选择 CSAT 题。`);
        break;
      case 'contact_requested':
        if (question.type === 'consent') {
          if (rule.option !== undefined) add('option', `${questionEn} is a consent question and has no options; leave the option out`, `${questionZh}是同意题，没有选项，请不要选择选项。`);
        } else if (question.type === 'single_choice') {
          if (rule.option === undefined) {
            add('option', `choose which option of ${questionEn} asks to be contacted`, `请选择${questionZh}中表示“请联系我”的选项。`);
          } else if (!question.options.some((option) => option.id === rule.option)) {
            add('option', `${questionEn} has no option "${rule.option}"`, `${questionZh}没有选项 "${rule.option}"，请选择该题已有的选项。`);
          }
        } else {
          add('question', `${questionEn} is neither a consent question nor a single choice`, `${questionZh}既不是同意题也不是单选题，请选择同意题或单选题。`);
        }
        break;
    }
  });
  return problems;
}

function ruleName(index: number): Bilingual {
  return [`loop-closing rule ${index + 1}`, `第 ${index + 1} 条闭环规则`];
}

// Firing

type Test = (answers: Answers) => boolean;
interface Compiled {
  ids: string[];
  tests: Test[];
}

const none: readonly string[] = Object.freeze([]);
/** Published versions never change and the intake keeps their definitions, so each is compiled once. */
const compiledRules = new WeakMap<SurveyDefinition, Compiled | null>();

function isPair(value: AnswerValue | undefined): value is PairAnswer {
  return typeof value === 'object' && value !== null && 'expectation' in value;
}

/** c of one pair answer, or null where it is undefined (no answer, or an expectation of 0). */
function ratioOf(value: AnswerValue | undefined): number | null {
  if (!isPair(value) || value.expectation === 0) return null;
  return value.experience / value.expectation;
}

function compileRule(rule: LoopRule, questions: readonly Question[]): Test {
  switch (rule.kind) {
    case 'nps_at_most':
    case 'csat_at_most': {
      const { question, value } = rule;
      return (answers) => {
        const answer = answerTo(answers, question);
        return typeof answer === 'number' && answer <= value;
      };
    }
    case 'c_below': {
      const ids = questions
        .filter((question) => question.type === 'expectation_experience' && (rule.attribute === undefined || question.attribute === rule.attribute))
        .map((question) => question.id);
      const { value } = rule;
      return (answers) => {
        for (const id of ids) {
          const c = ratioOf(answerTo(answers, id));
          if (c !== null && c < value) return true;
        }
        return false;
      };
    }
    case 'contact_requested': {
      const { question, option } = rule;
      if (option === undefined) return (answers) => answerTo(answers, question) === true;
      return (answers) => answerTo(answers, question) === option;
    }
  }
}

function compiled(definition: SurveyDefinition): Compiled | null {
  let entry = compiledRules.get(definition);
  if (entry === undefined) {
    const rules = definition.loopRules ?? [];
    entry = rules.length === 0 ? null : { ids: rules.map((rule) => rule.id), tests: rules.map((rule) => compileRule(rule, definition.questions)) };
    compiledRules.set(definition, entry);
  }
  return entry;
}

/** Whether the survey has any loop-closing rule (absent or empty: the loop is off). */
export function hasLoopRules(definition: SurveyDefinition): boolean {
  return compiled(definition) !== null;
}

/**
 * The ids of the rules these answers fire, in the survey's order; empty when none does or the survey has no
 * rules. Answers are a stored response's (validated, hidden questions pruned).
 */
export function firedRules(definition: SurveyDefinition, answers: Answers): readonly string[] {
  const entry = compiled(definition);
  if (entry === null) return none;
  let fired: string[] | null = null;
  for (let index = 0; index < entry.tests.length; index++) {
    if (entry.tests[index]!(answers)) (fired ??= []).push(entry.ids[index]!);
  }
  return fired ?? none;
}

// Words

/** How a question is known in one language: its number and title. */
function questionWords(definition: SurveyDefinition, id: string, locale: Locale): string {
  const index = definition.questions.findIndex((question) => question.id === id);
  if (index < 0) return locale === 'zh-CN' ? `问题 "${id}"` : `question "${id}"`;
  const title = definition.questions[index]!.title[locale];
  return locale === 'zh-CN' ? `第 ${index + 1} 题“${title}”` : `question ${index + 1} "${title}"`;
}

/** A rule as staff and customers read it, e.g. `NPS ≤ 6 on question 2 "How likely…"`. */
export function describeRule(definition: SurveyDefinition, rule: LoopRule, locale: Locale): string {
  const zh = locale === 'zh-CN';
  switch (rule.kind) {
    case 'nps_at_most':
      return zh ? `${questionWords(definition, rule.question, locale)} NPS ≤ ${rule.value}` : `NPS ≤ ${rule.value} on ${questionWords(definition, rule.question, locale)}`;
    case 'csat_at_most':
      return zh ? `${questionWords(definition, rule.question, locale)} CSAT ≤ ${rule.value}` : `CSAT ≤ ${rule.value} on ${questionWords(definition, rule.question, locale)}`;
    case 'c_below':
      if (rule.attribute === undefined) return zh ? `任一属性的 c < ${rule.value}` : `c < ${rule.value} on any attribute`;
      return zh ? `属性 "${rule.attribute}" 的 c < ${rule.value}` : `c < ${rule.value} on the attribute "${rule.attribute}"`;
    case 'contact_requested': {
      const where = questionWords(definition, rule.question, locale);
      if (rule.option === undefined) return zh ? `勾选了${where}（请联系我）` : `"please contact me" ticked on ${where}`;
      const question = definition.questions.find((candidate) => candidate.id === rule.question);
      const label = question?.type === 'single_choice' ? (question.options.find((option) => option.id === rule.option)?.label[locale] ?? rule.option) : rule.option;
      return zh ? `${where}选择了“${label}”（请联系我）` : `"${label}" chosen on ${where} (please contact me)`;
    }
  }
}

/** The questions whose answers made a rule fire, for quoting them (the rule itself says what was ticked). */
function questionsOf(definition: SurveyDefinition, rule: LoopRule, answers: Answers): Question[] {
  switch (rule.kind) {
    case 'contact_requested':
      return [];
    case 'c_below':
      return definition.questions.filter((question) => {
        if (question.type !== 'expectation_experience' || (rule.attribute !== undefined && question.attribute !== rule.attribute)) return false;
        const c = ratioOf(answerTo(answers, question.id));
        return c !== null && c < rule.value;
      });
    default:
      return definition.questions.filter((question) => question.id === rule.question);
  }
}

/**
 * What a case opened by these rules says, in the customer's language: each rule that fired and the answers it
 * read, e.g. `NPS ≤ 6 on question 1 "How likely…": 3 / 10`.
 */
export function catchDescription(definition: SurveyDefinition, ruleIds: readonly string[], answers: Answers, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const lines = [zh ? '闭环规则发现的回答：' : 'A survey answer caught by loop-closing rules:'];
  for (const id of ruleIds) {
    const rule = definition.loopRules?.find((candidate) => candidate.id === id);
    if (!rule) continue;
    const quoted = questionsOf(definition, rule, answers)
      .filter((question) => answerTo(answers, question.id) !== undefined)
      .map((question) => {
        const label = answerLabel(question, answerTo(answers, question.id), locale);
        return rule.kind === 'c_below' ? `${questionWords(definition, question.id, locale)} ${label}` : label;
      });
    lines.push(`- ${describeRule(definition, rule, locale)}${quoted.length > 0 ? (zh ? '：' : ': ') + quoted.join(zh ? '；' : '; ') : ''}`);
  }
  return lines.join('\n');
}

/** The rules' kinds in both languages, for lists and the editor's picker. */
export const loopRuleKindLabels: Record<LoopRuleKind, LocalizedText> = {
  nps_at_most: { en: 'NPS at most', 'zh-CN': 'NPS 不高于' },
  csat_at_most: { en: 'CSAT at most', 'zh-CN': 'CSAT 不高于' },
  c_below: { en: 'c (experience ÷ expectation) below', 'zh-CN': 'c（体验 ÷ 期望）低于' },
  contact_requested: { en: '"Please contact me" ticked', 'zh-CN': '勾选“请联系我”' },
};
