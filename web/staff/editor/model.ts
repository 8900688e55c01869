// The editor's working copy of a survey: flat, form-friendly records that convert to and from the
// survey definition, so switching a question's type keeps what the author already typed.
import type { IndexModel } from '../../../surveys/index-model.ts';
import type { LoopRule, LoopRuleKind } from '../../../surveys/loop-rules.ts';
import {
  parseDefinition,
  satisfactionFactors,
  type Condition,
  type QuestionType,
  type RatingScale,
  type SurveyDefinition,
  type SurveyKind,
  type TextFormat,
} from '../../../surveys/definition.ts';

export interface TextDraft {
  'zh-CN': string;
  en: string;
}

export type ConditionOp = Condition['op'];

export interface ConditionDraft {
  question: string;
  op: ConditionOp;
  /** One value (eq, neq, gte, lte), or a comma-separated list of numbers for `in` on a scale. */
  value: string;
  /** Chosen option ids for `in` on a choice question. */
  values: string[];
}

export interface OptionDraft {
  id: string;
  label: TextDraft;
}

/** Every field any question type can have; only the ones of `type` are saved. */
export interface QuestionDraft {
  type: QuestionType;
  id: string;
  title: TextDraft;
  help: TextDraft;
  required: boolean;
  showIf: ConditionDraft | null;
  scale: RatingScale;
  labels: { min: TextDraft; max: TextDraft };
  attribute: string;
  withImportance: boolean;
  /** A rating question that measures repurchase intent, which the loyalty score reads. */
  repurchaseIntent: boolean;
  options: OptionDraft[];
  allowOther: boolean;
  /** Kept as typed; empty means the default (1000). */
  maxLength: string;
  multiline: boolean;
  /** A text answer that must be an email address or a phone number; '' for any text. */
  format: TextFormat | '';
}

/** A loop-closing rule as edited: every field any kind has; only the ones of `kind` are saved. */
export interface LoopRuleDraft {
  id: string;
  kind: LoopRuleKind;
  /** The question it reads (all kinds but c_below). */
  question: string;
  /** The threshold as typed: NPS or CSAT at most, c below. */
  value: string;
  /** c_below: the attribute, '' for any attribute. */
  attribute: string;
  /** contact_requested on a single choice: the option that asks to be contacted. */
  option: string;
}

export interface SurveyDraft {
  kind: SurveyKind;
  slug: string;
  title: TextDraft;
  intro: TextDraft;
  thankYou: TextDraft;
  questions: QuestionDraft[];
  /** The index model, edited in its own section (index-model.ts); null when the survey has none. */
  indexModel: IndexModel | null;
  /** Closing the loop: answers that open a complaint case; empty when it is off (the default). */
  loopRules: LoopRuleDraft[];
}

export const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

const scaleTypes = new Set<QuestionType>(['rating', 'nps', 'csat', 'ces', 'expectation_experience']);
const choiceTypes = new Set<QuestionType>(['single_choice', 'multiple_choice']);

export const isScaleType = (type: QuestionType) => scaleTypes.has(type);
export const isChoiceType = (type: QuestionType) => choiceTypes.has(type);
export const hasEndLabels = (type: QuestionType) => scaleTypes.has(type);

/** The tests that make sense for an answer of this type. */
export function opsFor(type: QuestionType | undefined): ConditionOp[] {
  if (!type) return ['answered'];
  if (scaleTypes.has(type)) return ['answered', 'eq', 'neq', 'gte', 'lte', 'in'];
  if (choiceTypes.has(type)) return ['answered', 'eq', 'neq', 'in'];
  return ['answered', 'eq', 'neq'];
}

export const emptyText = (): TextDraft => ({ 'zh-CN': '', en: '' });
const copyText = (text: TextDraft | undefined): TextDraft => ({ 'zh-CN': text?.['zh-CN'] ?? '', en: text?.en ?? '' });

export function newOption(existing: OptionDraft[]): OptionDraft {
  const ids = new Set(existing.map((option) => option.id));
  let n = existing.length + 1;
  while (ids.has(`option${n}`)) n += 1;
  return { id: `option${n}`, label: emptyText() };
}

export function newQuestion(type: QuestionType, existing: QuestionDraft[]): QuestionDraft {
  const ids = new Set(existing.map((question) => question.id));
  let n = existing.length + 1;
  while (ids.has(`q${n}`)) n += 1;
  const question: QuestionDraft = {
    type,
    id: `q${n}`,
    title: emptyText(),
    help: emptyText(),
    required: false,
    showIf: null,
    scale: type === 'expectation_experience' ? '1-7' : '1-5',
    labels: { min: emptyText(), max: emptyText() },
    attribute: satisfactionFactors[1],
    withImportance: false,
    repurchaseIntent: false,
    options: [],
    allowOther: false,
    maxLength: '',
    multiline: true,
    format: '',
  };
  if (isChoiceType(type)) ensureOptions(question);
  return question;
}

/** A choice question starts with two options to fill in. */
export function ensureOptions(question: QuestionDraft) {
  while (question.options.length < 2) question.options.push(newOption(question.options));
}

function conditionDraft(condition: Condition): ConditionDraft {
  if (condition.op === 'answered') return { question: condition.question, op: 'answered', value: '', values: [] };
  if (condition.op === 'in') {
    const values = condition.value.map(String);
    return { question: condition.question, op: 'in', value: values.join(', '), values };
  }
  return { question: condition.question, op: condition.op, value: String(condition.value), values: [] };
}

/** A fresh copy with keys in one order, so a saved model and the one being edited fingerprint the same. */
function copyIndexModel(model: IndexModel): IndexModel {
  return {
    constructs: model.constructs.map((construct) => ({ id: construct.id, name: copyText(construct.name), items: [...construct.items] })),
    paths: model.paths.map(([from, to]) => [from, to]),
    scheme: model.scheme,
  };
}

export function fromDefinition(definition: SurveyDefinition, slug: string): SurveyDraft {
  return {
    kind: definition.kind,
    slug,
    title: copyText(definition.title),
    intro: copyText(definition.intro),
    thankYou: copyText(definition.thankYou),
    indexModel: definition.indexModel ? copyIndexModel(definition.indexModel) : null,
    loopRules: (definition.loopRules ?? []).map(ruleDraft),
    questions: definition.questions.map((source) => {
      const question = newQuestion(source.type, []);
      question.id = source.id;
      question.title = copyText(source.title);
      question.help = copyText(source.help);
      question.required = source.required ?? false;
      question.showIf = source.showIf ? conditionDraft(source.showIf) : null;
      if ('scale' in source) question.scale = source.scale;
      if ('labels' in source && source.labels) {
        question.labels = { min: copyText(source.labels.min), max: copyText(source.labels.max) };
      }
      if ('attribute' in source) question.attribute = source.attribute;
      if ('withImportance' in source) question.withImportance = source.withImportance ?? false;
      if ('measures' in source) question.repurchaseIntent = source.measures === 'repurchase_intent';
      if ('options' in source) {
        question.options = source.options.map((option) => ({ id: option.id, label: copyText(option.label) }));
      }
      if ('allowOther' in source) question.allowOther = source.allowOther ?? false;
      if ('maxLength' in source && source.maxLength !== undefined) question.maxLength = String(source.maxLength);
      if ('multiline' in source) question.multiline = source.multiline ?? true;
      if ('format' in source) question.format = source.format ?? '';
      return question;
    }),
  };
}

const filled = (text: TextDraft) => text['zh-CN'].trim() !== '' || text.en.trim() !== '';
const plainText = (text: TextDraft) => ({ 'zh-CN': text['zh-CN'], en: text.en });

/** A number when the text is one; otherwise the text itself, so the schema reports it at its field. */
function numberOrText(raw: string): number | string {
  const trimmed = raw.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

function toCondition(condition: ConditionDraft, source: QuestionDraft | undefined): unknown {
  const { question, op } = condition;
  if (op === 'answered') return { question, op };
  const type = source?.type;
  if (op === 'in') {
    if (type && isChoiceType(type)) return { question, op, value: [...condition.values] };
    const parts = condition.value.split(/[,，\s]+/).filter(Boolean);
    return { question, op, value: type && isScaleType(type) ? parts.map(numberOrText) : parts };
  }
  if (op === 'gte' || op === 'lte') return { question, op, value: numberOrText(condition.value) };
  if (type && isScaleType(type)) return { question, op, value: numberOrText(condition.value) };
  if (type === 'consent') return { question, op, value: condition.value === 'true' };
  return { question, op, value: condition.value };
}

function toQuestion(question: QuestionDraft, earlier: QuestionDraft[]): unknown {
  const common = {
    id: question.id.trim(),
    type: question.type,
    title: plainText(question.title),
    ...(filled(question.help) ? { help: plainText(question.help) } : {}),
    required: question.required,
    ...(question.showIf
      ? { showIf: toCondition(question.showIf, earlier.find((candidate) => candidate.id === question.showIf!.question)) }
      : {}),
  };
  const labels =
    filled(question.labels.min) || filled(question.labels.max)
      ? { labels: { min: plainText(question.labels.min), max: plainText(question.labels.max) } }
      : {};
  const options = question.options.map((option) => ({ id: option.id.trim(), label: plainText(option.label) }));
  switch (question.type) {
    case 'rating':
      return { ...common, scale: question.scale, ...labels, ...(question.repurchaseIntent ? { measures: 'repurchase_intent' } : {}) };
    case 'nps':
    case 'csat':
    case 'ces':
      return { ...common, ...labels };
    case 'expectation_experience':
      return {
        ...common,
        attribute: question.attribute.trim(),
        scale: question.scale,
        ...labels,
        withImportance: question.withImportance,
      };
    case 'single_choice':
      return { ...common, options };
    case 'multiple_choice':
      return { ...common, options, allowOther: question.allowOther };
    case 'text':
      return {
        ...common,
        ...(question.maxLength.trim() !== '' ? { maxLength: numberOrText(question.maxLength) } : {}),
        multiline: question.multiline,
        ...(question.format ? { format: question.format } : {}),
      };
    case 'consent':
      return common;
  }
}

/** The definition as the schema should see it (not yet validated). */
export function toDefinitionInput(draft: SurveyDraft): unknown {
  return {
    kind: draft.kind,
    title: plainText(draft.title),
    ...(filled(draft.intro) ? { intro: plainText(draft.intro) } : {}),
    ...(filled(draft.thankYou) ? { thankYou: plainText(draft.thankYou) } : {}),
    questions: draft.questions.map((question, index) => toQuestion(question, draft.questions.slice(0, index))),
    ...(draft.indexModel ? { indexModel: draft.indexModel } : {}),
    ...(draft.loopRules.length > 0 ? { loopRules: draft.loopRules.map(toRule) } : {}),
  };
}

function ruleDraft(rule: LoopRule): LoopRuleDraft {
  return {
    id: rule.id,
    kind: rule.kind,
    question: 'question' in rule ? rule.question : '',
    value: 'value' in rule ? String(rule.value) : '',
    attribute: rule.kind === 'c_below' ? (rule.attribute ?? '') : '',
    option: rule.kind === 'contact_requested' ? (rule.option ?? '') : '',
  };
}

function toRule(rule: LoopRuleDraft): unknown {
  const id = rule.id.trim();
  switch (rule.kind) {
    case 'nps_at_most':
    case 'csat_at_most':
      return { id, kind: rule.kind, question: rule.question, value: numberOrText(rule.value) };
    case 'c_below':
      return { id, kind: rule.kind, ...(rule.attribute ? { attribute: rule.attribute } : {}), value: numberOrText(rule.value) };
    case 'contact_requested':
      return { id, kind: rule.kind, question: rule.question, ...(rule.option ? { option: rule.option } : {}) };
  }
}

/** The threshold a new rule of this kind starts with: a detractor, an unhappy CSAT, experience short of expectation. */
export const defaultRuleValue: Record<LoopRuleKind, string> = { nps_at_most: '6', csat_at_most: '2', c_below: '0.8', contact_requested: '' };

/** The questions a rule of this kind can read. */
export function ruleQuestions(kind: LoopRuleKind, questions: readonly QuestionDraft[]): QuestionDraft[] {
  switch (kind) {
    case 'nps_at_most':
      return questions.filter((question) => question.type === 'nps');
    case 'csat_at_most':
      return questions.filter((question) => question.type === 'csat');
    case 'contact_requested':
      return questions.filter((question) => question.type === 'consent' || question.type === 'single_choice');
    case 'c_below':
      return questions.filter((question) => question.type === 'expectation_experience');
  }
}

/** Points a rule at a kind, keeping what still fits and starting the rest afresh. */
export function setRuleKind(rule: LoopRuleDraft, kind: LoopRuleKind, questions: readonly QuestionDraft[]) {
  rule.kind = kind;
  rule.value = defaultRuleValue[kind];
  const fits = ruleQuestions(kind, questions);
  if (kind !== 'c_below' && !fits.some((question) => question.id === rule.question)) rule.question = fits[0]?.id ?? '';
  rule.option = '';
  rule.attribute = '';
}

/** A new rule: the first kind this survey's questions allow (NPS, then CSAT, then c, then "please contact me"). */
export function newLoopRule(existing: readonly LoopRuleDraft[], questions: readonly QuestionDraft[]): LoopRuleDraft {
  const ids = new Set(existing.map((rule) => rule.id));
  let n = existing.length + 1;
  while (ids.has(`rule${n}`)) n += 1;
  const kinds: LoopRuleKind[] = ['nps_at_most', 'csat_at_most', 'c_below', 'contact_requested'];
  const kind = kinds.find((candidate) => ruleQuestions(candidate, questions).length > 0) ?? 'nps_at_most';
  const rule: LoopRuleDraft = { id: `rule${n}`, kind, question: '', value: '', attribute: '', option: '' };
  setRuleKind(rule, kind, questions);
  return rule;
}

/** Rename a question in the loop-closing rules that read it. */
export function renameRuleQuestion(rules: LoopRuleDraft[], from: string, to: string) {
  for (const rule of rules) if (rule.question === from) rule.question = to;
}

/** A stable fingerprint of what would be saved, to tell whether there are unsaved changes. */
export function fingerprint(draft: SurveyDraft): string {
  return JSON.stringify({ slug: draft.slug.trim(), definition: toDefinitionInput(draft) });
}

export type IssueCode =
  | 'duplicateId'
  | 'earlierOnly'
  | 'chooseQuestion'
  | 'enterValue'
  | 'chooseValue'
  | 'slug'
  | 'number'
  | 'wholeNumber';

export interface EditorIssue {
  path: string;
  /** The schema's own message, or empty when `code` says what is wrong. */
  message: string;
  /** The schema's message in Chinese, for issues the editor has no words of its own for. */
  zh?: string;
  code?: IssueCode;
  args?: Record<string, string>;
}

export type CheckResult = { ok: true; definition: SurveyDefinition } | { ok: false; issues: EditorIssue[] };

const duplicateMessage = /^question id ".*" is used twice$/;
const earlierMessage = /^question \d+ ".*" can only depend on an earlier question/

/** Checks that name the exact field, added before the schema's own so they win at the same path. */
function fieldChecks(draft: SurveyDraft, slugLocked: boolean): EditorIssue[] {
  const issues: EditorIssue[] = [];
  if (!slugLocked && !slugPattern.test(draft.slug.trim())) issues.push({ path: 'slug', message: '', code: 'slug' });
  const seen = new Map<string, QuestionDraft>();
  draft.questions.forEach((question, index) => {
    const id = question.id.trim();
    if (seen.has(id)) issues.push({ path: `questions.${index}.id`, message: '', code: 'duplicateId', args: { id } });
    const condition = question.showIf;
    if (condition) {
      const base = `questions.${index}.showIf`;
      const source = seen.get(condition.question);
      if (condition.question === '') issues.push({ path: `${base}.question`, message: '', code: 'chooseQuestion' });
      else if (!source) {
        issues.push({ path: `${base}.question`, message: '', code: 'earlierOnly', args: { id, ref: condition.question } });
      }
      if (condition.op === 'in') {
        const chosen = source && isChoiceType(source.type) ? condition.values.length : condition.value.trim().length;
        if (!chosen) issues.push({ path: `${base}.value`, message: '', code: 'chooseValue' });
      } else if (condition.op !== 'answered' && source?.type !== 'consent' && condition.value.trim() === '') {
        issues.push({ path: `${base}.value`, message: '', code: 'enterValue' });
      } else if (
        (condition.op === 'gte' || condition.op === 'lte' || (source && isScaleType(source.type))) &&
        condition.op !== 'answered' &&
        !Number.isFinite(Number(condition.value.trim()))
      ) {
        issues.push({ path: `${base}.value`, message: '', code: 'number' });
      }
    }
    if (question.type === 'text' && question.maxLength.trim() !== '') {
      const limit = Number(question.maxLength);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
        issues.push({ path: `questions.${index}.maxLength`, message: '', code: 'wholeNumber' });
      }
    }
    seen.set(id, question);
  });
  return issues;
}

/** Validates the working copy with the shared schema plus the field-level checks above. */
/** `withChinese`: also word the schema's issues in Chinese (a second parse), for a screen in Chinese. */
export function checkDraft(draft: SurveyDraft, slugLocked: boolean, withChinese = true): CheckResult {
  const extra = fieldChecks(draft, slugLocked);
  const input = toDefinitionInput(draft);
  const parsed = parseDefinition(input);
  if (parsed.ok && extra.length === 0) return { ok: true, definition: parsed.definition };
  if (parsed.ok) return { ok: false, issues: extra };
  // The same input gives the same issues in the same order; only their language differs.
  const chinese = withChinese ? parseDefinition(input, 'zh-CN') : null;
  const zhIssues = chinese && !chinese.ok && chinese.issues.length === parsed.issues.length ? chinese.issues : [];
  const schemaIssues = parsed.issues
    .map((issue, index) => {
      const zh = zhIssues[index]?.path === issue.path ? zhIssues[index]!.message : undefined;
      return { path: issue.path, message: issue.message, ...(zh === undefined ? {} : { zh }) };
    })
    // Covered at the exact field by fieldChecks.
    .filter((issue) => !duplicateMessage.test(issue.message) && !earlierMessage.test(issue.message));
  return { ok: false, issues: [...extra, ...schemaIssues] };
}

/** Rename references to a question id in later conditions, so renaming keeps them working. */
export function renameReferences(questions: QuestionDraft[], from: string, to: string) {
  for (const question of questions) {
    if (question.showIf && question.showIf.question === from) question.showIf.question = to;
  }
}

/** Rename a question in the index model's items, so renaming a question keeps it measuring its construct. */
export function renameModelItem(model: IndexModel | null, from: string, to: string) {
  for (const construct of model?.constructs ?? []) construct.items = construct.items.map((item) => (item === from ? to : item));
}

/** The question types whose answers read as a number in a condition value box. */
export function conditionInputKind(source: QuestionDraft | undefined, op: ConditionOp) {
  if (!source || op === 'answered') return 'none' as const;
  if (isChoiceType(source.type)) return op === 'in' ? ('options-multi' as const) : ('options' as const);
  if (source.type === 'consent') return 'boolean' as const;
  if (isScaleType(source.type)) return op === 'in' ? ('number-list' as const) : ('number' as const);
  return 'text' as const;
}
