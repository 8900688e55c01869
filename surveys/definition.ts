// The survey language: one valibot schema that the server, the staff app and the public page share.
import * as v from 'valibot';
import { message } from './i18n.ts';
import { indexModelProblems } from './index-model.ts';
import { loopRuleProblems, LoopRules } from './loop-rules.ts';
import { weightingSchemes } from './indices/pls-model.ts';
import './valibot-zh.ts';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

// Messages follow the `lang` given to parseDefinition. The English texts are matched verbatim by the staff
// editor (web/staff/editor), so change them there too if you reword them.

/** Every text a customer or staff member reads exists in both languages. */
export const LocalizedText = v.object({
  'zh-CN': v.pipe(v.string(), v.trim(), v.nonEmpty(message('Chinese (zh-CN) text is required', '请填写中文 (zh-CN) 文本。'))),
  en: v.pipe(v.string(), v.trim(), v.nonEmpty(message('English (en) text is required', '请填写英文 (en) 文本。'))),
});
export type LocalizedText = v.InferOutput<typeof LocalizedText>;

const OptionalLocalizedText = v.optional(LocalizedText);

/** Stable key of a question or option: letters, digits, _ and -, starting with a letter. */
export const Key = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    message(
      'must start with a letter and use only letters, digits, _ or - (at most 64)',
      '请以英文字母开头，且只使用字母、数字、_ 或 -（最多 64 个字符）。',
    ),
  ),
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
  v.object({
    question: Key,
    op: v.literal('in'),
    value: v.pipe(
      v.array(v.union([v.string(), v.number()])),
      v.minLength(1, message('an "in" condition needs at least one value', '"in" 条件至少需要一个取值，请添加取值。')),
    ),
  }),
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
  v.minLength(2, message('a choice question needs at least two options', '选择题至少需要两个选项，请再添加选项。')),
  v.check(
    (list) => new Set(list.map((o) => o.id)).size === list.length,
    message('option ids must be unique', '选项 ID 不能重复，请为每个选项使用不同的 ID。'),
  ),
);

const maxLengthMessage = message(
  'the maximum length must be a whole number from 1 to 10000',
  '最大长度须为 1 到 10000 之间的整数，请修改。',
);

export const textFormats = ['email', 'phone'] as const;
export type TextFormat = (typeof textFormats)[number];

/**
 * What a rating question measures, when loyalty reads it: `repurchase_intent` (how likely the customer is to buy
 * again) feeds the loyalty score's attitude part. NPS questions are the recommendation and need no tag.
 */
export const questionMeasures = ['repurchase_intent'] as const;
export type QuestionMeasure = (typeof questionMeasures)[number];

export const Question = v.variant('type', [
  v.object({
    ...common,
    type: v.literal('rating'),
    scale: v.picklist(ratingScales),
    labels: v.optional(EndLabels),
    measures: v.optional(
      v.picklist(
        questionMeasures,
        message(
          'what a rating question measures can only be "repurchase_intent" (how likely the customer is to buy again), or leave it out',
          '评分题的测量内容只能是 "repurchase_intent"（再次购买意愿），或不填写。',
        ),
      ),
    ),
  }),
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
    maxLength: v.optional(
      v.pipe(v.number(), v.integer(maxLengthMessage), v.minValue(1, maxLengthMessage), v.maxValue(10000, maxLengthMessage)),
      1000,
    ),
    multiline: v.optional(v.boolean(), true),
    /** The answer must look like an email address or a phone number (contact details on a form). */
    format: v.optional(v.picklist(textFormats)),
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

/** Which rating questions measure which construct, and the paths between them (surveys/index-model.ts). */
const IndexModelSchema = v.object({
  constructs: v.pipe(
    v.array(v.object({ id: Key, name: LocalizedText, items: v.array(Key) })),
    v.maxLength(20, message('an index model can have at most 20 constructs', '指数模型最多只能有 20 个潜变量。')),
  ),
  paths: v.array(v.tuple([Key, Key])),
  scheme: v.optional(v.picklist(weightingSchemes), 'path'),
});

export const SurveyDefinition = v.pipe(
  v.object({
    kind: v.picklist(surveyKinds),
    title: LocalizedText,
    intro: OptionalLocalizedText,
    thankYou: OptionalLocalizedText,
    questions: v.pipe(
      v.array(Question),
      v.minLength(1, message('a survey needs at least one question', '问卷至少需要一个问题，请添加问题。')),
      v.maxLength(200, message('a survey can have at most 200 questions', '问卷最多只能有 200 个问题，请删减问题。')),
    ),
    /** The ACSI-style index model, for surveys with rating items. */
    indexModel: v.optional(IndexModelSchema),
    /** Closing the loop: answers that open a complaint case (surveys/loop-rules.ts); absent or empty = off. */
    loopRules: v.optional(LoopRules),
  }),
  v.rawCheck(({ dataset, addIssue, config }) => {
    if (!dataset.typed) return;
    const say = ([en, zh]: Bilingual) => (config.lang === 'zh-CN' ? zh : en);
    const seen = new Map<string, Question>();
    const positions = new Map<Question, number>();
    dataset.value.questions.forEach((question, index) => positions.set(question, index));
    /** How a person knows a question: its number and its title (the id only when it has no title). */
    const named = (question: Question): Bilingual => {
      const n = (positions.get(question) ?? 0) + 1;
      const title = (lang: Locale) => question.title[lang] || question.title[lang === 'en' ? 'zh-CN' : 'en'] || question.id;
      return [`question ${n} "${title('en')}"`, `第 ${n} 题“${title('zh-CN')}”`];
    };
    const attributeRatedBy = new Map<string, Question>();
    let repurchaseIntentBy: Question | undefined;
    dataset.value.questions.forEach((question, index) => {
      const path = questionPath(dataset.value, index);
      if (seen.has(question.id)) {
        addIssue({
          message: say([`question id "${question.id}" is used twice`, `问题 ID "${question.id}" 重复了，请为每个问题使用不同的 ID。`]),
          path,
        });
      }
      const condition = question.showIf;
      if (condition) {
        const target = seen.get(condition.question);
        const [self, selfZh] = named(question);
        const problem = target
          ? conditionProblem(named(question), condition, target, named(target))
          : ([
              `${self} can only depend on an earlier question (none before it has the id "${condition.question}")`,
              `${selfZh}只能依赖排在它前面的问题（前面没有 ID 为 "${condition.question}" 的问题），请改为引用前面的问题或调整题目顺序。`,
            ] as const);
        if (problem) addIssue({ message: say(problem), path });
      }
      if (question.type === 'expectation_experience') {
        // The index averages one ratio per attribute, so an attribute rated twice would count twice.
        const earlier = attributeRatedBy.get(question.attribute);
        if (earlier !== undefined) {
          const [by, byZh] = named(earlier);
          addIssue({
            message: say([
              `attribute "${question.attribute}" is already rated by ${by}`,
              `属性 "${question.attribute}" 已由${byZh}评价，请为此题选择其他属性。`,
            ]),
            path,
          });
        }
        attributeRatedBy.set(question.attribute, question);
      }
      if (question.type === 'rating' && question.measures === 'repurchase_intent') {
        // Loyalty reads one repurchase-intent answer per response; two would leave it guessing which.
        if (repurchaseIntentBy !== undefined) {
          const [by, byZh] = named(repurchaseIntentBy);
          addIssue({
            message: say([
              `${by} already measures repurchase intent; mark only one question per survey`,
              `${byZh}已标记为测量再次购买意愿，每份问卷只能标记一道题。`,
            ]),
            path,
          });
        }
        repurchaseIntentBy ??= question;
      }
      if (!seen.has(question.id)) seen.set(question.id, question);
    });
    const model = dataset.value.indexModel;
    if (model) {
      for (const problem of indexModelProblems(model, dataset.value.questions)) {
        addIssue({ message: say(problem.message), path: fieldPath(dataset.value, ['indexModel', ...problem.path]) });
      }
    }
    const rules = dataset.value.loopRules;
    if (rules && rules.length > 0 && dataset.value.kind !== 'satisfaction') {
      addIssue({
        message: say([
          'loop-closing rules apply to satisfaction surveys; remove them or make this a satisfaction survey',
          '闭环规则只适用于满意度问卷，请删除规则或将问卷类型改为满意度问卷。',
        ]),
        path: fieldPath(dataset.value, ['loopRules']),
      });
    }
    if (rules && rules.length > 0) {
      for (const problem of loopRuleProblems(rules, dataset.value.questions, named)) {
        addIssue({ message: say(problem.message), path: fieldPath(dataset.value, ['loopRules', ...problem.path]) });
      }
    }
  }),
);
export type SurveyDefinition = v.InferOutput<typeof SurveyDefinition>;
export type SurveyDefinitionInput = v.InferInput<typeof SurveyDefinition>;

/** A message as [English, Chinese]; the rawCheck above picks one by the parse's `lang`. */
type Bilingual = readonly [en: string, zh: string];

/** Why the condition of question `self` on `target` (both as a person knows them) could never be met, or null when it can. */
function conditionProblem(self: Bilingual, condition: Condition, target: Question, targetName: Bilingual): Bilingual | null {
  const [question, questionZh] = self;
  const [targetEn, targetZh] = targetName;
  if (condition.op === 'answered') return null;
  const values = condition.op === 'in' ? condition.value : [condition.value];
  switch (target.type) {
    case 'text':
      return [
        `${question} can only test whether free-text ${targetEn} is answered`,
        `${questionZh}对${targetZh}（文本题）只能判断是否已回答，请把条件改为 answered（已回答）。`,
      ];
    case 'consent':
      return (condition.op === 'eq' || condition.op === 'neq') && typeof condition.value === 'boolean'
        ? null
        : [
            `${question} must test consent ${targetEn} with eq or neq and true or false`,
            `${questionZh}对${targetZh}（同意题）只能用 eq 或 neq 与 true 或 false 比较，请修改条件。`,
          ];
    case 'single_choice':
    case 'multiple_choice': {
      if (condition.op === 'gte' || condition.op === 'lte') {
        return [
          `${question} cannot use ${condition.op} on choice ${targetEn}; use eq, neq or in`,
          `${questionZh}不能对${targetZh}（选择题）使用 ${condition.op}，请改用 eq、neq 或 in。`,
        ];
      }
      const unknown = values.find((value) => !target.options.some((option) => option.id === value));
      return unknown === undefined
        ? null
        : [
            `${question} tests ${targetEn} for ${JSON.stringify(unknown)}, which is not one of its option ids`,
            `${questionZh}的条件要求${targetZh}为 ${JSON.stringify(unknown)}，但这不是该题的选项 ID，请改为该题已有的选项。`,
          ];
    }
    default: {
      const notNumber = values.find((value) => typeof value !== 'number');
      return notNumber === undefined
        ? null
        : [
            `${question} must compare rating ${targetEn} with numbers (got ${JSON.stringify(notNumber)})`,
            `${questionZh}须用数字与${targetZh}（评分题）比较（当前为 ${JSON.stringify(notNumber)}），请填写数字。`,
          ];
    }
  }
}

/** A valibot issue path through the survey's fields, e.g. ['indexModel', 'constructs', 0, 'items']. */
function fieldPath(survey: object, keys: (string | number)[]) {
  const path: v.IssuePathItem[] = [];
  let value: unknown = survey;
  for (const key of keys) {
    const input = value;
    value = (input as Record<string | number, unknown> | undefined)?.[key];
    path.push({ type: typeof key === 'number' ? 'array' : 'object', origin: 'value', input, key, value } as unknown as v.IssuePathItem);
  }
  return path as [v.IssuePathItem, ...v.IssuePathItem[]];
}

function questionPath(survey: { questions: unknown[] }, index: number) {
  return fieldPath(survey, ['questions', index]);
}

/** Parse an unknown value as a survey definition; issues carry a dotted path a person can follow
 *  and a message in `lang` (valibot's own defaults too: surveys/valibot-zh.ts registers the Chinese ones). */
export function parseDefinition(
  input: unknown,
  lang: Locale = 'en',
):
  | { ok: true; definition: SurveyDefinition }
  | { ok: false; issues: { path: string; message: string }[] } {
  const result = v.safeParse(SurveyDefinition, input, { lang });
  if (result.success) return { ok: true, definition: result.output };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message })),
  };
}
