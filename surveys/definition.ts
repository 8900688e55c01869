// The survey language: one valibot schema that the server, the staff app and the public page share.
import * as v from 'valibot';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

/** Every text a customer or staff member reads exists in both languages. */
export const LocalizedText = v.object({
  'zh-CN': v.pipe(v.string(), v.trim(), v.nonEmpty('Chinese (zh-CN) text is required')),
  en: v.pipe(v.string(), v.trim(), v.nonEmpty('English (en) text is required')),
});
export type LocalizedText = v.InferOutput<typeof LocalizedText>;

const OptionalLocalizedText = v.optional(LocalizedText);

/** Stable key of a question or option: letters, digits, _ and -, starting with a letter. */
export const Key = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter and use only letters, digits, _ or - (at most 64)'),
);

export const ratingScales = ['1-5', '1-7', '1-10', '0-10'] as const;
export type RatingScale = (typeof ratingScales)[number];

export function scaleBounds(scale: RatingScale): { min: number; max: number } {
  const [min, max] = scale.split('-').map(Number) as [number, number];
  return { min, max };
}

/** The five factors the practice names as drivers of satisfaction. */
export const satisfactionFactors = ['product', 'service', 'communication', 'customer_care', 'company_image'] as const;

const EndLabels = v.object({ min: LocalizedText, max: LocalizedText });

/** Show a question only when an earlier answer meets a test. */
export const Condition = v.variant('op', [
  v.object({ question: Key, op: v.literal('answered') }),
  v.object({ question: Key, op: v.picklist(['eq', 'neq']), value: v.union([v.string(), v.number(), v.boolean()]) }),
  v.object({ question: Key, op: v.picklist(['gte', 'lte']), value: v.number() }),
  v.object({ question: Key, op: v.literal('in'), value: v.pipe(v.array(v.union([v.string(), v.number()])), v.minLength(1)) }),
]);
export type Condition = v.InferOutput<typeof Condition>;

const common = {
  id: Key,
  title: LocalizedText,
  help: OptionalLocalizedText,
  required: v.optional(v.boolean(), false),
  showIf: v.optional(Condition),
};

export const ChoiceOption = v.object({ id: Key, label: LocalizedText });
export type ChoiceOption = v.InferOutput<typeof ChoiceOption>;

const options = v.pipe(
  v.array(ChoiceOption),
  v.minLength(2, 'a choice question needs at least two options'),
  v.check((list) => new Set(list.map((o) => o.id)).size === list.length, 'option ids must be unique'),
);

export const Question = v.variant('type', [
  v.object({ ...common, type: v.literal('rating'), scale: v.picklist(ratingScales), labels: v.optional(EndLabels) }),
  v.object({ ...common, type: v.literal('nps'), labels: v.optional(EndLabels) }),
  v.object({ ...common, type: v.literal('csat'), labels: v.optional(EndLabels) }),
  v.object({ ...common, type: v.literal('ces'), labels: v.optional(EndLabels) }),
  v.object({
    ...common,
    type: v.literal('expectation_experience'),
    /** Which attribute the pair rates; one of the five factors or a custom key. */
    attribute: Key,
    scale: v.picklist(ratingScales),
    labels: v.optional(EndLabels),
    withImportance: v.optional(v.boolean(), false),
  }),
  v.object({ ...common, type: v.literal('single_choice'), options }),
  v.object({ ...common, type: v.literal('multiple_choice'), options, allowOther: v.optional(v.boolean(), false) }),
  v.object({
    ...common,
    type: v.literal('text'),
    maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10000)), 1000),
    multiline: v.optional(v.boolean(), true),
  }),
  v.object({ ...common, type: v.literal('consent') }),
]);
export type Question = v.InferOutput<typeof Question>;
export type QuestionType = Question['type'];
export const questionTypes: QuestionType[] = [
  'rating', 'nps', 'csat', 'ces', 'expectation_experience', 'single_choice', 'multiple_choice', 'text', 'consent',
];

export const surveyKinds = ['satisfaction', 'complaint', 'follow_up'] as const;
export type SurveyKind = (typeof surveyKinds)[number];

export const SurveyDefinition = v.pipe(
  v.object({
    kind: v.picklist(surveyKinds),
    title: LocalizedText,
    intro: OptionalLocalizedText,
    thankYou: OptionalLocalizedText,
    questions: v.pipe(v.array(Question), v.minLength(1, 'a survey needs at least one question'), v.maxLength(200)),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const seen = new Map<string, Question>();
    const attributeRatedBy = new Map<string, string>();
    dataset.value.questions.forEach((question, index) => {
      const path = questionPath(dataset.value, index);
      if (seen.has(question.id)) {
        addIssue({ message: `question id "${question.id}" is used twice`, path });
      }
      const condition = question.showIf;
      if (condition) {
        const target = seen.get(condition.question);
        const problem = target
          ? conditionProblem(condition, target)
          : `can only depend on an earlier question (no earlier "${condition.question}")`;
        if (problem) addIssue({ message: `question "${question.id}" ${problem}`, path });
      }
      if (question.type === 'expectation_experience') {
        // The index averages one ratio per attribute, so an attribute rated twice would count twice.
        const earlier = attributeRatedBy.get(question.attribute);
        if (earlier !== undefined) {
          addIssue({ message: `attribute "${question.attribute}" is already rated by question "${earlier}"`, path });
        }
        attributeRatedBy.set(question.attribute, question.id);
      }
      if (!seen.has(question.id)) seen.set(question.id, question);
    });
  }),
);
export type SurveyDefinition = v.InferOutput<typeof SurveyDefinition>;
export type SurveyDefinitionInput = v.InferInput<typeof SurveyDefinition>;

/** Why a condition could never be met by the question it tests, or null when it can. */
function conditionProblem(condition: Condition, target: Question): string | null {
  if (condition.op === 'answered') return null;
  const values = condition.op === 'in' ? condition.value : [condition.value];
  switch (target.type) {
    case 'text':
      return `can only test whether free-text question "${target.id}" is answered`;
    case 'consent':
      return (condition.op === 'eq' || condition.op === 'neq') && typeof condition.value === 'boolean'
        ? null
        : `must test consent question "${target.id}" with eq or neq and true or false`;
    case 'single_choice':
    case 'multiple_choice': {
      if (condition.op === 'gte' || condition.op === 'lte') {
        return `cannot use ${condition.op} on choice question "${target.id}"; use eq, neq or in`;
      }
      const unknown = values.find((value) => !target.options.some((option) => option.id === value));
      return unknown === undefined ? null : `tests "${target.id}" for ${JSON.stringify(unknown)}, which is not one of its option ids`;
    }
    default: {
      const notNumber = values.find((value) => typeof value !== 'number');
      return notNumber === undefined ? null : `must compare rating question "${target.id}" with numbers (got ${JSON.stringify(notNumber)})`;
    }
  }
}

function questionPath(survey: { questions: unknown[] }, index: number) {
  return [
    { type: 'object', origin: 'value', input: survey, key: 'questions', value: survey.questions },
    { type: 'array', origin: 'value', input: survey.questions, key: index, value: survey.questions[index] },
  ] as unknown as [v.IssuePathItem];
}

/** Parse an unknown value as a survey definition; issues carry a dotted path a person can follow. */
export function parseDefinition(input: unknown):
  | { ok: true; definition: SurveyDefinition }
  | { ok: false; issues: { path: string; message: string }[] } {
  const result = v.safeParse(SurveyDefinition, input);
  if (result.success) return { ok: true, definition: result.output };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message })),
  };
}
