import { describe, expect, it } from 'vitest';
import { parseDefinition, type SurveyDefinition } from './definition.ts';
import { indexModelProblems, plsModelOf, type IndexModel } from './index-model.ts';
import { parsePlsModel } from './indices/pls-model.ts';
import acsi from './templates/acsi.json' with { type: 'json' };

const text = (en: string) => ({ en, 'zh-CN': `${en}（中文）` });
const rating = (id: string, scale: '1-5' | '1-10' = '1-10') => ({ id, type: 'rating' as const, scale, title: text(id), required: false });
const construct = (id: string, items: string[]) => ({ id, name: text(id), items });

const questions = [rating('a1'), rating('a2'), rating('b1'), rating('c1'), rating('five', '1-5'), { id: 'why', type: 'text' as const, title: text('why'), required: false, maxLength: 500 }];
const survey = (indexModel: Partial<IndexModel>) => ({
  kind: 'satisfaction',
  title: text('Survey'),
  questions,
  indexModel: { constructs: [], paths: [], ...indexModel },
});

const messagesOf = (model: Partial<IndexModel>) =>
  indexModelProblems({ constructs: [], paths: [], scheme: 'path', ...model }, questions as unknown as SurveyDefinition['questions']).map((problem) => problem.message[0]);

describe('the index model of a survey', () => {
  it('ships with the ACSI-style template, valid, and feeds the PLS engine', () => {
    const parsed = parseDefinition(acsi);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const model = plsModelOf(parsed.definition as SurveyDefinition & { indexModel: IndexModel });
    expect(model.constructs.Satisfaction).toEqual(['sat_overall', 'sat_expect', 'sat_ideal']);
    expect(model.scale).toEqual({ min: 1, max: 10 });
    const items = Object.values(model.constructs).flat();
    expect(parsePlsModel(model, items).ok).toBe(true);
  });

  it('accepts a small valid model', () => {
    expect(messagesOf({ constructs: [construct('A', ['a1', 'a2']), construct('B', ['b1'])], paths: [['A', 'B']] })).toEqual([]);
  });

  it('needs two constructs, each with items that are rating questions of the survey, each in one construct', () => {
    expect(messagesOf({ constructs: [construct('A', ['a1'])] })).toEqual(['an index model needs at least two constructs joined by a path']);
    expect(messagesOf({ constructs: [construct('A', []), construct('B', ['b1'])], paths: [['A', 'B']] })).toEqual([
      'construct "A" has no items; choose the rating questions that measure it',
    ]);
    expect(messagesOf({ constructs: [construct('A', ['why', 'nope']), construct('B', ['a1', 'a1'])], paths: [['A', 'B']] })).toEqual([
      '"why" is not a rating question and cannot measure construct "A"',
      'construct "A" names "nope", which is not a question of this survey',
      'question "a1" already measures construct "B"; a question measures one construct',
    ]);
  });

  it('needs every item on one scale', () => {
    expect(messagesOf({ constructs: [construct('A', ['a1']), construct('B', ['five'])], paths: [['A', 'B']] })).toEqual([
      'question "five" is rated 1-5 but "a1" is rated 1-10; every item of the model needs the same scale',
    ]);
  });

  it('refuses paths to unknown constructs, to themselves, twice, missing, or in a cycle', () => {
    const three = [construct('A', ['a1']), construct('B', ['b1']), construct('C', ['c1'])];
    expect(messagesOf({ constructs: three, paths: [['A', 'B'], ['A', 'B'], ['B', 'X'], ['C', 'C']] })).toEqual([
      'path A → B is listed twice',
      'path B → X names "X", which is not a construct',
      'path C → C points a construct at itself',
      'construct "C" is in no path; connect it or remove it',
    ]);
    expect(messagesOf({ constructs: three, paths: [['A', 'B'], ['B', 'C'], ['C', 'A']] })).toEqual([
      'the paths form a cycle A → B → C → A; remove one of its paths',
    ]);
  });

  it('reports problems where the survey is edited, in the editor’s language', () => {
    const parsed = parseDefinition(survey({ constructs: [construct('A', ['a1']), construct('B', ['b1'])], paths: [['A', 'B'], ['B', 'A']] }), 'zh-CN');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual([{ path: 'indexModel.paths', message: '路径形成了循环 A → B → A，请删除其中一条路径。' }]);
    const items = parseDefinition(survey({ constructs: [construct('A', ['why']), construct('B', ['b1'])], paths: [['A', 'B']] }));
    expect(items.ok ? [] : items.issues).toEqual([{ path: 'indexModel.constructs.0.items.0', message: '"why" is not a rating question and cannot measure construct "A"' }]);
  });
});
