import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../../surveys/definition.ts';
import acsi from '../../../surveys/templates/acsi.json' with { type: 'json' };
import {
  addConstruct,
  addPath,
  newIndexModel,
  offeredItems,
  offersIndexModel,
  pathEndChoices,
  ratingQuestions,
  removeConstruct,
  removePath,
  renameConstruct,
  setItem,
  setPathEnd,
} from './index-model.ts';
import { checkDraft, fingerprint, fromDefinition, newQuestion, type SurveyDraft } from './model.ts';

const acsiDraft = (): SurveyDraft => fromDefinition(acsi as SurveyDefinition, 'acsi');
const modelOf = (draft: SurveyDraft) => draft.indexModel!;
const issuesOf = (draft: SurveyDraft) => {
  const result = checkDraft(draft, true);
  return result.ok ? [] : result.issues;
};

describe('index model editing', () => {
  it('is offered once a survey has two rating-type questions, or already has a model', () => {
    const questions = [newQuestion('rating', []), newQuestion('text', [])];
    expect(offersIndexModel(questions, null)).toBe(false);
    expect(offersIndexModel(questions, newIndexModel())).toBe(true);
    questions.push(newQuestion('expectation_experience', questions));
    expect(offersIndexModel(questions, null)).toBe(false);
    questions.push(newQuestion('nps', questions));
    expect(offersIndexModel(questions, null)).toBe(true);
    expect(ratingQuestions(questions).map((question) => question.type)).toEqual(['rating', 'nps']);
  });

  it('starts a model with two empty constructs that the checks then ask to fill', () => {
    const model = newIndexModel();
    expect(model).toEqual({
      constructs: [
        { id: 'construct1', name: { 'zh-CN': '', en: '' }, items: [] },
        { id: 'construct2', name: { 'zh-CN': '', en: '' }, items: [] },
      ],
      paths: [],
      scheme: 'path',
    });
    addConstruct(model);
    expect(model.constructs.map((construct) => construct.id)).toEqual(['construct1', 'construct2', 'construct3']);

    const draft = acsiDraft();
    draft.indexModel = newIndexModel();
    const paths = issuesOf(draft).map((issue) => issue.path);
    expect(paths).toContain('indexModel.constructs.0.items');
    expect(paths).toContain('indexModel.constructs.1.name.en');
  });

  it('removes a construct together with the paths that name it', () => {
    const draft = acsiDraft();
    removeConstruct(modelOf(draft), 2);
    expect(modelOf(draft).constructs.map((construct) => construct.id)).toEqual(['Expectation', 'Quality', 'Satisfaction', 'Loyalty']);
    expect(modelOf(draft).paths).toEqual([
      ['Expectation', 'Quality'],
      ['Expectation', 'Satisfaction'],
      ['Quality', 'Satisfaction'],
      ['Satisfaction', 'Loyalty'],
    ]);
    expect(checkDraft(draft, true).ok).toBe(true);
  });

  it('renames a construct in its paths, but not when another construct shares the old id', () => {
    const model = modelOf(acsiDraft());
    renameConstruct(model, 4, 'Retention');
    expect(model.paths.at(-1)).toEqual(['Satisfaction', 'Retention']);
    model.constructs[3]!.id = 'Quality';
    renameConstruct(model, 3, 'Satisfaction');
    expect(model.paths.filter(([from]) => from === 'Quality')).toHaveLength(2);
  });

  it('ticks items in survey order and unticks them', () => {
    const draft = acsiDraft();
    const model = modelOf(draft);
    setItem(model, 0, 'exp_needs', false, draft.questions);
    expect(model.constructs[0]!.items).toEqual(['exp_overall', 'exp_reliability']);
    setItem(model, 0, 'exp_needs', true, draft.questions);
    expect(model.constructs[0]!.items).toEqual(['exp_overall', 'exp_needs', 'exp_reliability']);
    setItem(model, 0, 'exp_needs', true, draft.questions);
    expect(model.constructs[0]!.items).toEqual(['exp_overall', 'exp_needs', 'exp_reliability']);
  });

  it('offers every rating question, marking those another construct uses, and keeps items that are no longer offered', () => {
    const draft = acsiDraft();
    const model = modelOf(draft);
    const offered = offeredItems(model, 2, draft.questions);
    expect(offered.map((item) => item.questionId)).not.toContain('complained');
    expect(offered.find((item) => item.questionId === 'value_quality')).toMatchObject({ itemIndex: 1, usedBy: null });
    expect(offered.find((item) => item.questionId === 'qual_overall')).toMatchObject({ itemIndex: null, usedBy: 'Quality' });
    expect(offered.find((item) => item.questionId === 'complaint_handling')).toMatchObject({ itemIndex: null, usedBy: null });

    model.constructs[2]!.items.push('complained', 'gone');
    const stale = offeredItems(model, 2, draft.questions).filter((item) => item.question === null);
    expect(stale).toEqual([
      { questionId: 'complained', question: null, itemIndex: 2, usedBy: null },
      { questionId: 'gone', question: null, itemIndex: 3, usedBy: null },
    ]);
    const paths = issuesOf(draft).map((issue) => issue.path);
    expect(paths).toEqual(['indexModel.constructs.2.items.2', 'indexModel.constructs.2.items.3']);
  });

  it('adds a path no path joins yet, changes its ends and removes it', () => {
    const model = newIndexModel();
    addPath(model);
    expect(model.paths).toEqual([['construct1', 'construct2']]);
    addPath(model);
    expect(model.paths[1]).toEqual(['construct1', 'construct2']);
    setPathEnd(model, 1, 0, 'construct2');
    setPathEnd(model, 1, 1, 'construct1');
    expect(model.paths[1]).toEqual(['construct2', 'construct1']);
    removePath(model, 0);
    expect(model.paths).toEqual([['construct2', 'construct1']]);
  });

  it('reports a cycle at the paths, in both languages', () => {
    const draft = acsiDraft();
    const model = modelOf(draft);
    addPath(model);
    const added = model.paths.length - 1;
    setPathEnd(model, added, 0, 'Loyalty');
    setPathEnd(model, added, 1, 'Expectation');
    const cycle = issuesOf(draft).find((issue) => issue.path === 'indexModel.paths');
    expect(cycle?.message).toMatch(/^the paths form a cycle .*Loyalty.*; remove one of its paths$/);
    expect(cycle?.zh).toMatch(/^路径形成了循环 .*Loyalty/);
  });

  it('gives a model the same fingerprint before and after the server normalises it', () => {
    const checked = checkDraft(acsiDraft(), true);
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(fingerprint(fromDefinition(checked.definition, 'acsi'))).toBe(fingerprint(acsiDraft()));
  });

  it('lets a path name an id no construct has, so the problem shows where it is', () => {
    const model = modelOf(acsiDraft());
    expect(pathEndChoices(model, 'Value')).toEqual(['Expectation', 'Quality', 'Value', 'Satisfaction', 'Loyalty']);
    expect(pathEndChoices(model, 'Old')).toEqual(['Expectation', 'Quality', 'Value', 'Satisfaction', 'Loyalty', 'Old']);
  });
});
