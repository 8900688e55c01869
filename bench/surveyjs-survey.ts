// Our survey definition as SurveyJS JSON, question for question, so both pages show the same form.
import { scaleBounds, type LocalizedText, type Question, type SurveyDefinition } from '../surveys/definition.ts';

/** A SurveyJS localizable string: `default` is English, `zh-cn` Chinese. */
type SurveyJsText = { default: string; 'zh-cn': string };
type SurveyJsElement = Record<string, unknown>;

export interface SurveyJsSurvey {
  title: SurveyJsText;
  description?: SurveyJsText;
  completedHtml?: SurveyJsText;
  showQuestionNumbers: 'off';
  pages: { name: string; elements: SurveyJsElement[] }[];
}

function text(localized: LocalizedText): SurveyJsText {
  return { default: localized.en, 'zh-cn': localized['zh-CN'] };
}

function bilingual(en: string, zh: string): SurveyJsText {
  return { default: en, 'zh-cn': zh };
}

// The sub-question wording and end labels our respondent page shows (web/respond/i18n.ts).
const pairParts = [
  { key: 'expectation', title: bilingual('Expectation', '期望'), hint: bilingual('What you expected beforehand', '您事先的期望') },
  { key: 'experience', title: bilingual('Experience', '实际体验'), hint: bilingual('What you actually experienced', '您实际的感受') },
  { key: 'importance', title: bilingual('Importance', '重要程度'), hint: bilingual('How much this matters to you', '这一点对您有多重要') },
] as const;
const levelEnds = [bilingual('Very low', '很低'), bilingual('Very high', '很高')] as const;
const importanceEnds = [bilingual('Not important', '不重要'), bilingual('Very important', '非常重要')] as const;
const defaultEnds: Record<'nps' | 'csat' | 'ces', readonly [SurveyJsText, SurveyJsText]> = {
  nps: [bilingual('Not at all likely', '完全不可能'), bilingual('Extremely likely', '非常可能')],
  csat: [bilingual('Very dissatisfied', '非常不满意'), bilingual('Very satisfied', '非常满意')],
  ces: [bilingual('Very difficult', '非常困难'), bilingual('Very easy', '非常容易')],
};
const fixedScales = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } };

function rating(
  name: string,
  title: SurveyJsText,
  required: boolean,
  bounds: { min: number; max: number },
  ends: readonly [SurveyJsText, SurveyJsText],
  description?: SurveyJsText,
): SurveyJsElement {
  return {
    type: 'rating',
    name,
    title,
    ...(description ? { description } : {}),
    isRequired: required,
    rateMin: bounds.min,
    rateMax: bounds.max,
    minRateDescription: ends[0],
    maxRateDescription: ends[1],
  };
}

function element(question: Question): SurveyJsElement {
  const common = {
    name: question.id,
    title: text(question.title),
    ...(question.help ? { description: text(question.help) } : {}),
    isRequired: question.required,
  };
  switch (question.type) {
    case 'expectation_experience': {
      const bounds = scaleBounds(question.scale);
      const ends = question.labels ? [text(question.labels.min), text(question.labels.max)] as const : levelEnds;
      const parts = question.withImportance ? pairParts : pairParts.slice(0, 2);
      return {
        type: 'panel',
        name: question.id,
        title: common.title,
        ...(question.help ? { description: common.description } : {}),
        elements: parts.map((part) =>
          rating(`${question.id}_${part.key}`, part.title, question.required, bounds, part.key === 'importance' ? importanceEnds : ends, part.hint),
        ),
      };
    }
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces': {
      const bounds = question.type === 'rating' ? scaleBounds(question.scale) : fixedScales[question.type];
      const ends = question.labels
        ? ([text(question.labels.min), text(question.labels.max)] as const)
        : question.type === 'rating' ? levelEnds : defaultEnds[question.type];
      return rating(question.id, common.title, question.required, bounds, ends, common.description);
    }
    case 'single_choice':
      return { ...common, type: 'radiogroup', choices: question.options.map((o) => ({ value: o.id, text: text(o.label) })) };
    case 'multiple_choice':
      return {
        ...common,
        type: 'checkbox',
        showOtherItem: question.allowOther,
        choices: question.options.map((o) => ({ value: o.id, text: text(o.label) })),
      };
    case 'text':
      return { ...common, type: question.multiline === false ? 'text' : 'comment', maxLength: question.maxLength ?? 1000 };
    case 'consent':
      return { ...common, type: 'boolean', renderAs: 'checkbox' };
  }
}

/** One page with every question, like our single-page form; conditions are left out (the demo has none). */
export function toSurveyJs(definition: SurveyDefinition): SurveyJsSurvey {
  return {
    title: text(definition.title),
    ...(definition.intro ? { description: text(definition.intro) } : {}),
    ...(definition.thankYou ? { completedHtml: text(definition.thankYou) } : {}),
    showQuestionNumbers: 'off',
    pages: [{ name: 'answers', elements: definition.questions.map(element) }],
  };
}

/** How many answerable inputs a definition asks for: each pair counts two or three ratings. */
export function countInputs(definition: SurveyDefinition): number {
  return definition.questions.reduce(
    (sum, q) => sum + (q.type === 'expectation_experience' ? (q.withImportance ? 3 : 2) : 1),
    0,
  );
}
