// What a survey version measures, and what one response adds to the aggregates: pure, no I/O.
//
// Measures (the keys of answer_cells.stats):
// - `#`: one per response, its value the response's quality flags (0-7), so counts per flag come for free;
// - a rating, NPS, CSAT or CES question's id: its whole-number answer;
// - `<id>.a`, `<id>.b`, `<id>.i`: an expectation/experience pair's expectation, experience and importance;
// - `c:<attribute>`: the pair's ratio c = b / a (not when a = 0); `c`: the response's importance-weighted
//   index; `level`: its level (0 dissatisfied, 1 satisfied, 2 highly satisfied) under the cut-offs.
// Moment items (momentStats): the overall-satisfaction question, the key-driver attributes and the index
// model's items, over responses that answered them all.
import { createHash } from 'node:crypto';
import { answerTo, scaleOf, type Answers, type PairAnswer, type Scale } from '../../surveys/answers.ts';
import type { LocalizedText, Question, SurveyDefinition } from '../../surveys/definition.ts';
import { factorNames } from '../../surveys/factors.ts';
import {
  expectationIndex,
  satisfactionLevel,
  satisfactionLevels,
  type LevelCutoffs,
  type PairsByAttribute,
} from '../../surveys/indices/expectation.ts';
import { gridsOf } from '../../surveys/indices/quality.ts';
import type { MetricOption } from './types.ts';

export const countMeasure = '#';
export const indexMeasure = 'c';
export const levelMeasure = 'level';

type ScaledType = 'rating' | 'nps' | 'csat' | 'ces';
type PairQuestion = Extract<Question, { type: 'expectation_experience' }>;

export interface DriverSetup {
  overall: { key: string; label: LocalizedText };
  attributes: { key: string; label: LocalizedText }[];
  /** The attributes' answer scale (performance is rescaled 0-100 from it). */
  scale: Scale;
}

/** What one survey version measures, worked out once per version. */
export interface VersionPlan {
  surveyId: string;
  definition: SurveyDefinition;
  scaled: { id: string; type: ScaledType }[];
  pairs: { id: string; attribute: string; withImportance: boolean }[];
  grids: string[][];
  drivers: DriverSetup | null;
  /** Keys of the moment items, in order; empty when there is nothing to correlate. */
  items: string[];
  /** Names the item list: the survey and its items. */
  itemSet: string;
}

const pairScale: Scale = { min: 0, max: 10 }; // every rating scale lies within it

export function planOf(surveyId: string, definition: SurveyDefinition): VersionPlan {
  const scaled: VersionPlan['scaled'] = [];
  const pairs: VersionPlan['pairs'] = [];
  for (const question of definition.questions) {
    if (question.type === 'rating' || question.type === 'nps' || question.type === 'csat' || question.type === 'ces') {
      scaled.push({ id: question.id, type: question.type });
    } else if (question.type === 'expectation_experience') {
      pairs.push({ id: question.id, attribute: question.attribute, withImportance: question.withImportance });
    }
  }
  const drivers = driverSetup(definition);
  const modelItems = definition.indexModel?.constructs.flatMap((construct) => construct.items) ?? [];
  const items = drivers || modelItems.length > 0
    ? [...new Set([...(drivers ? [drivers.overall.key, ...drivers.attributes.map((a) => a.key)] : []), ...modelItems])]
    : [];
  return { surveyId, definition, scaled, pairs, grids: gridsOf(definition), drivers, items, itemSet: itemSetOf(surveyId, items) };
}

export function itemSetOf(surveyId: string, items: readonly string[]): string {
  return createHash('sha256').update(`${surveyId}\u0000${items.join('\u0000')}`).digest('base64url').slice(0, 16);
}

/** A whole-number answer to a measure, or a continuous value (c ratios). */
export interface MeasureValues {
  whole: [measure: string, value: number][];
  continuous: [measure: string, value: number][];
}

export function measuresOf(plan: VersionPlan, answers: Answers, cutoffs: LevelCutoffs, flags = 0): MeasureValues {
  const whole: [string, number][] = [[countMeasure, flags]];
  const continuous: [string, number][] = [];
  for (const { id } of plan.scaled) {
    const value = answerTo(answers, id);
    if (typeof value === 'number') whole.push([id, value]);
  }
  if (plan.pairs.length > 0) {
    const pairsByAttribute: Record<string, PairAnswer> = {};
    for (const { id, attribute } of plan.pairs) {
      const pair = pairAnswer(answerTo(answers, id));
      if (!pair) continue;
      pairsByAttribute[attribute] = pair;
      whole.push([`${id}.a`, pair.expectation], [`${id}.b`, pair.experience]);
      if (typeof pair.importance === 'number') whole.push([`${id}.i`, pair.importance]);
      if (pair.expectation > 0) continuous.push([`c:${attribute}`, pair.experience / pair.expectation]);
    }
    const index = responseIndex(pairsByAttribute);
    if (index !== null) {
      continuous.push([indexMeasure, index]);
      whole.push([levelMeasure, satisfactionLevels.indexOf(satisfactionLevel(index, cutoffs))]);
    }
  }
  return { whole, continuous };
}

/** The response's importance-weighted c, as the expectation index computes it; null with no usable pair. */
export function responseIndex(pairs: PairsByAttribute): number | null {
  if (Object.keys(pairs).length === 0) return null;
  return expectationIndex([pairs], { scale: pairScale }).perResponse[0] ?? null;
}

function pairAnswer(value: unknown): PairAnswer | null {
  if (typeof value !== 'object' || value === null || !('expectation' in value) || !('experience' in value)) return null;
  return value as PairAnswer;
}

/** The response's values of the moment items, in order; null when any is unanswered. */
export function itemValues(plan: VersionPlan, answers: Answers): number[] | null {
  if (plan.items.length === 0) return null;
  const values: number[] = [];
  for (const key of plan.items) {
    const value = itemValue(answers, key);
    if (value === null) return null;
    values.push(value);
  }
  return values;
}

function itemValue(answers: Answers, key: string): number | null {
  if (key.endsWith('.b')) {
    const pair = pairAnswer(answerTo(answers, key.slice(0, -2)));
    return pair ? pair.experience : null;
  }
  const value = answerTo(answers, key);
  return typeof value === 'number' ? value : null;
}

/**
 * The key drivers a survey offers, or null:
 * - overall satisfaction is its first CSAT question, else its first NPS question, else (with an index model)
 *   the first item of the construct most paths lead into;
 * - the attributes are its expectation/experience pairs (by experience), else, with an index model, the items
 *   of the constructs with a path into the overall question's construct, else its other rating questions;
 * - only questions every respondent is asked (no show-if), on the first attribute's scale.
 */
export function driverSetup(definition: SurveyDefinition): DriverSetup | null {
  const asked = definition.questions.filter((question) => !question.showIf);
  const byId = new Map(asked.map((question) => [question.id, question]));
  const model = definition.indexModel;
  let overall: Question | undefined = asked.find((q) => q.type === 'csat') ?? asked.find((q) => q.type === 'nps');
  let overallConstruct: string | undefined;
  if (!overall && model) {
    const target = targetConstruct(model);
    overallConstruct = target?.id;
    overall = target ? byId.get(target.items[0] ?? '') : undefined;
  } else if (overall && model) {
    overallConstruct = model.constructs.find((construct) => construct.items.includes(overall!.id))?.id;
  }
  if (!overall) return null;

  let candidates: { key: string; question: Question; label: LocalizedText }[];
  const pairs = asked.filter((q): q is PairQuestion => q.type === 'expectation_experience');
  if (pairs.length > 0) {
    candidates = pairs.map((question) => ({ key: `${question.id}.b`, question, label: attributeLabel(question) }));
  } else if (model && overallConstruct) {
    const sources = new Set(model.paths.filter(([, to]) => to === overallConstruct).map(([from]) => from));
    const ids = model.constructs.filter((construct) => sources.has(construct.id)).flatMap((construct) => construct.items);
    candidates = ids.flatMap((id) => {
      const question = byId.get(id);
      return question ? [{ key: id, question, label: question.title }] : [];
    });
  } else {
    candidates = asked
      .filter((q) => q.type === 'rating' && q.id !== overall!.id)
      .map((question) => ({ key: question.id, question, label: question.title }));
  }
  const first = candidates[0];
  if (!first) return null;
  const scale = scaleOf(first.question)!;
  const attributes = candidates
    .filter(({ question }) => {
      const other = scaleOf(question);
      return other !== null && other.min === scale.min && other.max === scale.max;
    })
    .map(({ key, label }) => ({ key, label }));
  return { overall: { key: overall.id, label: overall.title }, attributes, scale };
}

/** The construct most paths lead into: the model's satisfaction, its headline index. */
export function targetConstruct<T extends { id: string }>(model: { constructs: T[]; paths: [string, string][] }): T | undefined {
  const incoming = new Map<string, number>();
  for (const [, to] of model.paths) incoming.set(to, (incoming.get(to) ?? 0) + 1);
  return [...model.constructs].sort((a, b) => (incoming.get(b.id) ?? 0) - (incoming.get(a.id) ?? 0))[0];
}

function attributeLabel(question: PairQuestion): LocalizedText {
  const factor = question.attribute as keyof (typeof factorNames)['en'];
  if (factor in factorNames.en) return { en: factorNames.en[factor], 'zh-CN': factorNames['zh-CN'][factor] };
  return question.title;
}

const kindLabels = {
  responses: { en: 'Responses', 'zh-CN': '回答数' },
  csat: { en: 'CSAT', 'zh-CN': '满意度 (CSAT)' },
  nps: { en: 'NPS', 'zh-CN': '净推荐值 (NPS)' },
  ces: { en: 'Customer effort (CES)', 'zh-CN': '客户费力度 (CES)' },
  c: { en: 'Satisfaction index c = b/a', 'zh-CN': '满意度指数 c = b/a' },
} satisfies Record<string, LocalizedText>;

const withName = (label: LocalizedText, name: LocalizedText): LocalizedText => ({
  en: `${label.en}: ${name.en}`,
  'zh-CN': `${label['zh-CN']}：${name['zh-CN']}`,
});

/** Figures that work across surveys: each survey's first item of the kind. */
export const crossSurveyMetrics: MetricOption[] = (['responses', 'csat', 'nps', 'ces', 'c'] as const).map((kind) => ({
  key: kind,
  kind,
  label: kindLabels[kind],
}));

/** Every figure one survey offers, in its question order. */
export function metricsOf(definition: SurveyDefinition): MetricOption[] {
  const metrics: MetricOption[] = [{ key: 'responses', kind: 'responses', label: kindLabels.responses }];
  const pairs: MetricOption[] = [];
  for (const question of definition.questions) {
    switch (question.type) {
      case 'csat':
      case 'nps':
      case 'ces':
        metrics.push({ key: `${question.type}:${question.id}`, kind: question.type, label: withName(kindLabels[question.type], question.title) });
        break;
      case 'rating':
        metrics.push({ key: `rating:${question.id}`, kind: 'rating', label: question.title });
        break;
      case 'expectation_experience':
        pairs.push({ key: `c:${question.attribute}`, kind: 'c', label: withName({ en: 'c', 'zh-CN': 'c' }, attributeLabel(question)) });
        break;
    }
  }
  if (pairs.length > 0) metrics.push({ key: 'c', kind: 'c', label: kindLabels.c }, ...pairs);
  for (const construct of definition.indexModel?.constructs ?? []) {
    metrics.push({ key: `acsi:${construct.id}`, kind: 'acsi', label: withName({ en: 'Index', 'zh-CN': '指数' }, construct.name) });
  }
  return metrics;
}

/** The figure a view of one survey opens on: its model's headline index where it has one, else its first figure that is not a count. */
export function defaultMetricOf(definition: SurveyDefinition): string {
  const model = definition.indexModel;
  const target = model ? targetConstruct(model) : undefined;
  if (target) return `acsi:${target.id}`;
  return metricsOf(definition).find((metric) => metric.kind !== 'responses')?.key ?? 'responses';
}

/** The question a cross-survey metric reads in a survey: its first of the kind; null when it has none. */
export function firstOfKind(definition: SurveyDefinition, kind: 'csat' | 'nps' | 'ces'): string | null {
  return definition.questions.find((question) => question.type === kind)?.id ?? null;
}
