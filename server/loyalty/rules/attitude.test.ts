import { describe, expect, it } from 'vitest';
import type { Answers } from '../../../surveys/answers.ts';
import { parseDefinition, type SurveyDefinition } from '../../../surveys/definition.ts';
import { templates } from '../../../surveys/templates/index.ts';
import { attitudeAnswers } from './attitude.ts';

const text = (en: string) => ({ en, 'zh-CN': `中文：${en}` });
function definitionOf(questions: unknown[]): SurveyDefinition {
  const parsed = parseDefinition({ kind: 'satisfaction', title: text('Survey'), questions });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.definition;
}
const survey = definitionOf([
  { id: 'quality', type: 'rating', title: text('Quality'), scale: '1-5' },
  { id: 'again', type: 'rating', title: text('Buy again?'), scale: '1-5', measures: 'repurchase_intent' },
  { id: 'recommend', type: 'nps', title: text('Recommend?') },
  { id: 'recommend_later', type: 'nps', title: text('Recommend, asked again?') },
]);

describe('attitude from a response', () => {
  const cases: [string, Answers, ReturnType<typeof attitudeAnswers>][] = [
    ['both answered, scaled to 0-100', { quality: 1, again: 4, recommend: 9 }, { repurchaseIntent: { value: 75, scale: '1-5' }, recommendation: { value: 90, scale: '0-10', raw0to10: 9 } }],
    ['the bottom of each scale is 0', { again: 1, recommend: 0 }, { repurchaseIntent: { value: 0, scale: '1-5' }, recommendation: { value: 0, scale: '0-10', raw0to10: 0 } }],
    ['an untagged rating is not repurchase intent', { quality: 5 }, { repurchaseIntent: null, recommendation: null }],
    ['the first NPS answered is the recommendation', { recommend_later: 3 }, { repurchaseIntent: null, recommendation: { value: 30, scale: '0-10', raw0to10: 3 } }],
    ['an answer off its scale counts as none', { again: 6, recommend: 11 }, { repurchaseIntent: null, recommendation: null }],
    ['an answer that is not a whole number counts as none', { again: 2.5, recommend: '9' as unknown as number }, { repurchaseIntent: null, recommendation: null }],
    ['nothing answered', {}, { repurchaseIntent: null, recommendation: null }],
  ];
  it.each(cases)('%s', (_, answers, expected) => {
    expect(attitudeAnswers(survey, answers)).toEqual(expected);
  });

  it('reads the ACSI template: loyal_repurchase on 1-10', () => {
    expect(attitudeAnswers(templates.acsi, { loyal_repurchase: 10, loyal_price_tolerance: 1 }).repurchaseIntent).toEqual({ value: 100, scale: '1-10' });
  });

  it("reads the complaint follow-up: buy_again on 1-5, and the handling score is not intent", () => {
    expect(attitudeAnswers(templates['follow-up'], { handling_csat: 5, resolved: 'yes', buy_again: 3 })).toEqual({
      repurchaseIntent: { value: 50, scale: '1-5' },
      recommendation: null,
    });
  });

  it('reads the relationship NPS template as a recommendation', () => {
    const nps = templates['relationship-nps'].questions.find((question) => question.type === 'nps')!;
    expect(attitudeAnswers(templates['relationship-nps'], { [nps.id]: 10 }).recommendation).toEqual({ value: 100, scale: '0-10', raw0to10: 10 });
  });
});
