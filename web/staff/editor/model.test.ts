import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../../surveys/definition.ts';
import { templates } from '../../../surveys/templates/index.ts';
import {
  checkDraft,
  fingerprint,
  fromDefinition,
  newLoopRule,
  newQuestion,
  renameModelItem,
  renameReferences,
  renameRuleQuestion,
  toDefinitionInput,
  type SurveyDraft,
} from './model.ts';

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });

function draftWith(definition: SurveyDefinition): SurveyDraft {
  return fromDefinition(definition, 'my-survey');
}

describe('editor model', () => {
  it('round-trips every template unchanged', () => {
    for (const [id, template] of Object.entries(templates)) {
      const checked = checkDraft(draftWith(template as SurveyDefinition), false);
      expect(checked.ok, id).toBe(true);
      if (checked.ok) expect(checked.definition, id).toEqual(template);
    }
  });

  it('gives the same fingerprint to a draft and its saved copy', () => {
    const template = Object.values(templates)[0] as SurveyDefinition;
    const draft = draftWith(template);
    expect(fingerprint(draft)).toBe(fingerprint(draftWith(template)));
    draft.title.en = 'Changed';
    expect(fingerprint(draft)).not.toBe(fingerprint(draftWith(template)));
  });

  it('reports a missing translation at the exact field path', () => {
    const draft = draftWith({
      kind: 'satisfaction',
      title: text('Survey', '问卷'),
      questions: [{ id: 'csat', type: 'csat', title: text('How satisfied?', '满意吗？'), required: true }],
    });
    draft.questions[0]!.title.en = ' ';
    const checked = checkDraft(draft, false);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues.map((issue) => issue.path)).toContain('questions.0.title.en');
  });

  it('points a duplicate id and a bad link name at their fields', () => {
    const draft = draftWith({
      kind: 'satisfaction',
      title: text('Survey', '问卷'),
      questions: [
        { id: 'a', type: 'csat', title: text('One', '一'), required: false },
        { id: 'a', type: 'nps', title: text('Two', '二'), required: false },
      ],
    });
    draft.slug = '-Bad';
    const checked = checkDraft(draft, false);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.issues).toContainEqual(expect.objectContaining({ path: 'questions.1.id', code: 'duplicateId' }));
      expect(checked.issues).toContainEqual(expect.objectContaining({ path: 'slug', code: 'slug' }));
    }
    expect(checkDraft(draft, true).ok).toBe(false);
  });

  it('types condition values by the question they test', () => {
    const draft = draftWith({
      kind: 'satisfaction',
      title: text('Survey', '问卷'),
      questions: [
        { id: 'nps', type: 'nps', title: text('Recommend?', '推荐吗？'), required: true },
        { id: 'ok', type: 'consent', title: text('Agree?', '同意吗？'), required: false },
        { id: 'why', type: 'text', title: text('Why?', '为什么？'), required: false, maxLength: 1000, multiline: true },
      ],
    });
    draft.questions[2]!.showIf = { question: 'nps', op: 'in', value: '9, 10', values: [] };
    const input = toDefinitionInput(draft) as { questions: { showIf?: unknown }[] };
    expect(input.questions[2]!.showIf).toEqual({ question: 'nps', op: 'in', value: [9, 10] });
    draft.questions[2]!.showIf = { question: 'ok', op: 'eq', value: 'false', values: [] };
    expect((toDefinitionInput(draft) as typeof input).questions[2]!.showIf).toEqual({ question: 'ok', op: 'eq', value: false });
    expect(checkDraft(draft, true).ok).toBe(true);
  });

  it('asks for an earlier question when a condition points forward', () => {
    const draft = draftWith({
      kind: 'satisfaction',
      title: text('Survey', '问卷'),
      questions: [
        { id: 'a', type: 'csat', title: text('One', '一'), required: false, showIf: { question: 'b', op: 'answered' } },
        { id: 'b', type: 'csat', title: text('Two', '二'), required: false },
      ],
    });
    const checked = checkDraft(draft, true);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues[0]).toMatchObject({ path: 'questions.0.showIf.question', code: 'earlierOnly' });
  });

  it('starts choice questions with two options and unique ids', () => {
    const first = newQuestion('single_choice', []);
    expect(first.options).toHaveLength(2);
    expect(new Set(first.options.map((option) => option.id)).size).toBe(2);
    expect(newQuestion('text', [first]).id).not.toBe(first.id);
  });

  it('follows a renamed question in later conditions', () => {
    const questions = [newQuestion('csat', []), newQuestion('text', [])];
    questions[1]!.showIf = { question: 'q1', op: 'answered', value: '', values: [] };
    renameReferences(questions.slice(1), 'q1', 'overall');
    expect(questions[1]!.showIf!.question).toBe('overall');
  });

  it('renames a question in the index model too', () => {
    const draft = draftWith(templates.acsi as SurveyDefinition);
    renameModelItem(draft.indexModel, 'sat_overall', 'satisfaction_overall');
    expect(draft.indexModel?.constructs.find((construct) => construct.id === 'Satisfaction')?.items).toEqual(['satisfaction_overall', 'sat_expect', 'sat_ideal']);
    draft.questions.find((question) => question.id === 'sat_overall')!.id = 'satisfaction_overall';
    expect(checkDraft(draft, false).ok).toBe(true);
    renameModelItem(null, 'a', 'b');
  });
});

describe('editor model: loop-closing rules', () => {
  const survey = (loopRules?: unknown[]) =>
    ({
      kind: 'satisfaction',
      title: text('Survey', '问卷'),
      questions: [
        { id: 'nps', type: 'nps', title: text('Recommend?', '推荐吗？'), required: false },
        { id: 'pair', type: 'expectation_experience', title: text('Service', '服务'), attribute: 'service', scale: '1-7', required: false, withImportance: false },
        { id: 'callback', type: 'consent', title: text('Call me', '请联系我'), required: false },
      ],
      ...(loopRules ? { loopRules } : {}),
    }) as SurveyDefinition;

  it('is off for a survey without rules, and round-trips every kind of rule', () => {
    expect(draftWith(survey()).loopRules).toEqual([]);
    expect(toDefinitionInput(draftWith(survey()))).not.toHaveProperty('loopRules');
    const rules = [
      { id: 'detractor', kind: 'nps_at_most', question: 'nps', value: 6 },
      { id: 'below', kind: 'c_below', value: 0.8 },
      { id: 'below_service', kind: 'c_below', attribute: 'service', value: 0.5 },
      { id: 'ticked', kind: 'contact_requested', question: 'callback' },
    ];
    const checked = checkDraft(draftWith(survey(rules)), false);
    expect(checked.ok && checked.definition.loopRules).toEqual(rules);
  });

  it('starts a new rule on the first kind the questions allow, and follows a renamed question', () => {
    const draft = draftWith(survey());
    draft.loopRules.push(newLoopRule(draft.loopRules, draft.questions));
    expect(draft.loopRules).toEqual([{ id: 'rule1', kind: 'nps_at_most', question: 'nps', value: '6', attribute: '', option: '' }]);
    renameRuleQuestion(draft.loopRules, 'nps', 'recommend');
    expect(draft.loopRules[0]!.question).toBe('recommend');
  });
});
