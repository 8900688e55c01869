import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseDefinition, scaleBounds, type Locale, type SurveyDefinitionInput } from './definition.ts';

const text = (en: string, zh = `中文：${en}`) => ({ 'zh-CN': zh, en });

function survey(questions: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { kind: 'satisfaction', title: text('Survey'), questions, ...extra };
}

const yesNo = [
  { id: 'yes', label: text('Yes', '是') },
  { id: 'no', label: text('No', '否') },
];

function issuesOf(input: unknown, lang?: Locale) {
  const result = lang ? parseDefinition(input, lang) : parseDefinition(input);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return result.issues;
}

describe('parseDefinition: accepted definitions and defaults', () => {
  it('parses one question of every type and fills in defaults', () => {
    const input: SurveyDefinitionInput = {
      kind: 'satisfaction',
      title: text('All types'),
      questions: [
        { id: 'rating', type: 'rating', title: text('Rating'), scale: '1-7' },
        { id: 'nps', type: 'nps', title: text('NPS'), required: true },
        { id: 'csat', type: 'csat', title: text('CSAT') },
        { id: 'ces', type: 'ces', title: text('CES') },
        { id: 'pair', type: 'expectation_experience', title: text('Pair'), attribute: 'product', scale: '1-7' },
        { id: 'single', type: 'single_choice', title: text('Single'), options: yesNo },
        { id: 'multi', type: 'multiple_choice', title: text('Multi'), options: yesNo },
        { id: 'comment', type: 'text', title: text('Comment') },
        { id: 'consent', type: 'consent', title: text('Consent') },
      ],
    };
    const result = parseDefinition(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [rating, nps, , , pair, , multi, comment] = result.definition.questions;
    expect(rating).toMatchObject({ type: 'rating', scale: '1-7', required: false });
    expect(nps).toMatchObject({ required: true });
    expect(pair).toMatchObject({ withImportance: false, attribute: 'product' });
    expect(multi).toMatchObject({ allowOther: false });
    expect(comment).toMatchObject({ maxLength: 1000, multiline: true });
  });

  it('trims localized text', () => {
    const result = parseDefinition(survey([{ id: 'q1', type: 'csat', title: { 'zh-CN': '  满意吗？ ', en: ' Satisfied? ' } }]));
    expect(result.ok && result.definition.questions[0]?.title).toEqual({ 'zh-CN': '满意吗？', en: 'Satisfied?' });
  });

  it('accepts conditions that fit the question they test', () => {
    const result = parseDefinition(
      survey([
        { id: 'nps', type: 'nps', title: text('NPS') },
        { id: 'low', type: 'text', title: text('Why low?'), showIf: { question: 'nps', op: 'lte', value: 6 } },
        { id: 'mid', type: 'text', title: text('Why so-so?'), showIf: { question: 'nps', op: 'in', value: [7, 8] } },
        { id: 'buy', type: 'single_choice', title: text('Buy?'), options: yesNo },
        { id: 'why', type: 'text', title: text('Why?'), showIf: { question: 'buy', op: 'neq', value: 'yes' } },
        { id: 'ok', type: 'consent', title: text('OK?') },
        { id: 'thanks', type: 'text', title: text('Thanks'), showIf: { question: 'ok', op: 'eq', value: true } },
        { id: 'more', type: 'text', title: text('More'), showIf: { question: 'why', op: 'answered' } },
      ]),
    );
    expect(result).toMatchObject({ ok: true });
  });
});

describe('parseDefinition: what a rating question measures', () => {
  it('keeps the repurchase-intent tag on a rating question, and leaves untagged ones without it', () => {
    const result = parseDefinition(
      survey([
        { id: 'again', type: 'rating', scale: '1-5', title: text('Again?'), measures: 'repurchase_intent' },
        { id: 'quality', type: 'rating', scale: '1-5', title: text('Quality?') },
      ]),
    );
    expect(result.ok && result.definition.questions.map((question) => question.type === 'rating' && question.measures)).toEqual(['repurchase_intent', undefined]);
  });
});

describe('parseDefinition: rejected definitions', () => {
  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'survey'],
  ])('rejects %s', (_label, input) => {
    expect(issuesOf(input).length).toBeGreaterThan(0);
  });

  it('rejects an unknown survey kind and an empty question list', () => {
    const issues = issuesOf({ kind: 'poll', title: text('Survey'), questions: [] });
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['kind', 'questions']));
    expect(issues.find((issue) => issue.path === 'questions')?.message).toBe('a survey needs at least one question');
  });

  it('requires both languages, naming the missing one', () => {
    const issues = issuesOf(survey([{ id: 'q1', type: 'csat', title: { 'zh-CN': '  ', en: 'Satisfied?' } }]));
    expect(issues).toEqual([{ path: 'questions.0.title.zh-CN', message: 'Chinese (zh-CN) text is required' }]);
  });

  it('rejects a question id that does not start with a letter', () => {
    const issues = issuesOf(survey([{ id: '1st', type: 'csat', title: text('Q') }]));
    expect(issues).toEqual([
      { path: 'questions.0.id', message: 'must start with a letter and use only letters, digits, _ or - (at most 64)' },
    ]);
  });

  it('rejects an unknown question type and an unknown rating scale', () => {
    expect(issuesOf(survey([{ id: 'q1', type: 'slider', title: text('Q') }]))[0]?.path).toBe('questions.0.type');
    expect(issuesOf(survey([{ id: 'q1', type: 'rating', scale: '1-3', title: text('Q') }]))[0]?.path).toBe('questions.0.scale');
  });

  it('rejects choice questions with fewer than two options or repeated option ids', () => {
    const one = issuesOf(survey([{ id: 'q1', type: 'single_choice', title: text('Q'), options: [yesNo[0]] }]));
    expect(one[0]?.message).toBe('a choice question needs at least two options');
    const twice = issuesOf(survey([{ id: 'q1', type: 'multiple_choice', title: text('Q'), options: [yesNo[0], yesNo[0]] }]));
    expect(twice[0]?.message).toBe('option ids must be unique');
  });

  it('rejects a text maxLength outside 1..10000', () => {
    expect(issuesOf(survey([{ id: 'q1', type: 'text', title: text('Q'), maxLength: 0 }]))[0]?.path).toBe('questions.0.maxLength');
    expect(issuesOf(survey([{ id: 'q1', type: 'text', title: text('Q'), maxLength: 10001 }]))[0]?.path).toBe(
      'questions.0.maxLength',
    );
  });

  it('rejects duplicate question ids', () => {
    const issues = issuesOf(
      survey([
        { id: 'q1', type: 'csat', title: text('A') },
        { id: 'q1', type: 'ces', title: text('B') },
      ]),
    );
    expect(issues).toEqual([{ path: 'questions.1', message: 'question id "q1" is used twice' }]);
  });

  it('rejects a condition on a later question', () => {
    const issues = issuesOf(
      survey([
        { id: 'why', type: 'text', title: text('Why?'), showIf: { question: 'nps', op: 'lte', value: 6 } },
        { id: 'nps', type: 'nps', title: text('NPS') },
      ]),
    );
    expect(issues).toEqual([
      { path: 'questions.0', message: 'question 1 "Why?" can only depend on an earlier question (none before it has the id "nps")' },
    ]);
  });

  it('rejects a condition on the question itself or on a missing question', () => {
    const self = issuesOf(survey([{ id: 'q1', type: 'nps', title: text('Q'), showIf: { question: 'q1', op: 'answered' } }]));
    expect(self[0]?.message).toBe('question 1 "Q" can only depend on an earlier question (none before it has the id "q1")');
    const missing = issuesOf(survey([{ id: 'q1', type: 'nps', title: text('Q'), showIf: { question: 'q0', op: 'answered' } }]));
    expect(missing[0]?.message).toContain('none before it has the id "q0"');
  });

  it('rejects an "in" condition with no values and an unknown operator', () => {
    const base = { id: 'nps', type: 'nps', title: text('NPS') };
    expect(issuesOf(survey([base, { id: 'q', type: 'text', title: text('Q'), showIf: { question: 'nps', op: 'in', value: [] } }]))[0]?.path).toBe(
      'questions.1.showIf.value',
    );
    expect(issuesOf(survey([base, { id: 'q', type: 'text', title: text('Q'), showIf: { question: 'nps', op: 'gt', value: 3 } }]))[0]?.path).toBe(
      'questions.1.showIf.op',
    );
  });

  it.each([
    [
      'gte on a choice question',
      { id: 'buy', type: 'single_choice', title: text('Buy?'), options: yesNo },
      { question: 'buy', op: 'gte', value: 1 },
      'question 2 "Follow" cannot use gte on choice question 1 "Buy?"; use eq, neq or in',
    ],
    [
      'an option id the choice question does not have',
      { id: 'buy', type: 'multiple_choice', title: text('Buy?'), options: yesNo },
      { question: 'buy', op: 'in', value: ['yes', 'maybe'] },
      'question 2 "Follow" tests question 1 "Buy?" for "maybe", which is not one of its option ids',
    ],
    [
      'a string compared with a rating',
      { id: 'nps', type: 'nps', title: text('NPS') },
      { question: 'nps', op: 'eq', value: '10' },
      'question 2 "Follow" must compare rating question 1 "NPS" with numbers (got "10")',
    ],
    [
      'a value test on free text',
      { id: 'note', type: 'text', title: text('Note') },
      { question: 'note', op: 'eq', value: 'hello' },
      'question 2 "Follow" can only test whether free-text question 1 "Note" is answered',
    ],
    [
      'a number compared with consent',
      { id: 'ok', type: 'consent', title: text('OK?') },
      { question: 'ok', op: 'eq', value: 1 },
      'question 2 "Follow" must test consent question 1 "OK?" with eq or neq and true or false',
    ],
  ])('rejects a condition that can never be met: %s', (_label, target, showIf, message) => {
    const issues = issuesOf(survey([target, { id: 'follow', type: 'text', title: text('Follow'), showIf }]));
    expect(issues).toEqual([{ path: 'questions.1', message }]);
  });

  it('rejects one attribute rated by two expectation/experience pairs', () => {
    const pair = (id: string) => ({ id, type: 'expectation_experience', title: text(id), attribute: 'service', scale: '1-7' });
    const issues = issuesOf(survey([pair('a'), pair('b')]));
    expect(issues).toEqual([{ path: 'questions.1', message: 'attribute "service" is already rated by question 1 "a"' }]);
  });
});

describe('parseDefinition: messages in the requested language', () => {
  /** The issues of one bad definition, parsed in English and in Chinese. */
  function bothLanguages(input: unknown) {
    return { en: issuesOf(input, 'en'), zh: issuesOf(input, 'zh-CN') };
  }
  const han = /[\u4e00-\u9fff]/;

  it('defaults to English', () => {
    const input = survey([{ id: '1st', type: 'csat', title: text('Q') }]);
    expect(issuesOf(input)).toEqual(issuesOf(input, 'en'));
  });

  it.each([
    [
      'an empty Chinese title',
      survey([{ id: 'q1', type: 'csat', title: { 'zh-CN': ' ', en: 'Satisfied?' } }]),
      'questions.0.title.zh-CN',
      'Chinese (zh-CN) text is required',
      '请填写中文 (zh-CN) 文本。',
    ],
    [
      'a question id that does not start with a letter',
      survey([{ id: '1st', type: 'csat', title: text('Q') }]),
      'questions.0.id',
      'must start with a letter and use only letters, digits, _ or - (at most 64)',
      '请以英文字母开头，且只使用字母、数字、_ 或 -（最多 64 个字符）。',
    ],
    [
      'a choice question with one option',
      survey([{ id: 'q1', type: 'single_choice', title: text('Q'), options: [yesNo[0]] }]),
      'questions.0.options',
      'a choice question needs at least two options',
      '选择题至少需要两个选项，请再添加选项。',
    ],
    [
      'duplicate question ids',
      survey([
        { id: 'q1', type: 'csat', title: text('A') },
        { id: 'q1', type: 'ces', title: text('B') },
      ]),
      'questions.1',
      'question id "q1" is used twice',
      '问题 ID "q1" 重复了，请为每个问题使用不同的 ID。',
    ],
    [
      'a condition on a later question',
      survey([
        { id: 'why', type: 'text', title: text('Why?'), showIf: { question: 'nps', op: 'lte', value: 6 } },
        { id: 'nps', type: 'nps', title: text('NPS') },
      ]),
      'questions.0',
      'question 1 "Why?" can only depend on an earlier question (none before it has the id "nps")',
      '第 1 题“中文：Why?”只能依赖排在它前面的问题（前面没有 ID 为 "nps" 的问题），请改为引用前面的问题或调整题目顺序。',
    ],
    [
      'a condition that can never be met',
      survey([
        { id: 'buy', type: 'single_choice', title: text('Buy?'), options: yesNo },
        { id: 'follow', type: 'text', title: text('Follow'), showIf: { question: 'buy', op: 'gte', value: 1 } },
      ]),
      'questions.1',
      'question 2 "Follow" cannot use gte on choice question 1 "Buy?"; use eq, neq or in',
      '第 2 题“中文：Follow”不能对第 1 题“中文：Buy?”（选择题）使用 gte，请改用 eq、neq 或 in。',
    ],
    [
      'one attribute rated twice',
      survey(['a', 'b'].map((id) => ({ id, type: 'expectation_experience', title: text(id), attribute: 'service', scale: '1-7' }))),
      'questions.1',
      'attribute "service" is already rated by question 1 "a"',
      '属性 "service" 已由第 1 题“中文：a”评价，请为此题选择其他属性。',
    ],
    [
      'a rating tagged with a measure loyalty does not know',
      survey([{ id: 'again', type: 'rating', scale: '1-5', title: text('Again?'), measures: 'recommendation' }]),
      'questions.0.measures',
      'what a rating question measures can only be "repurchase_intent" (how likely the customer is to buy again), or leave it out',
      '评分题的测量内容只能是 "repurchase_intent"（再次购买意愿），或不填写。',
    ],
    [
      'two questions tagged as repurchase intent',
      survey(['again', 'return'].map((id) => ({ id, type: 'rating', scale: '1-5', title: text(id), measures: 'repurchase_intent' }))),
      'questions.1',
      'question 1 "again" already measures repurchase intent; mark only one question per survey',
      '第 1 题“中文：again”已标记为测量再次购买意愿，每份问卷只能标记一道题。',
    ],
    [
      'a missing field (valibot\'s default message)',
      { title: text('Survey'), questions: [{ id: 'q1', type: 'csat', title: text('Q') }] },
      'kind',
      'Invalid key: Expected "kind" but received undefined',
      '缺少必填字段 "kind"，请补上',
    ],
    [
      'a value of the wrong type (valibot\'s default message)',
      survey([{ id: 'q1', type: 'csat', title: { 'zh-CN': '满意吗？', en: 5 } }]),
      'questions.0.title.en',
      'Invalid type: Expected string but received 5',
      '类型无效：应为 string，实际为 5',
    ],
    [
      'a value outside a picklist (valibot\'s default message)',
      survey([{ id: 'q1', type: 'rating', scale: '1-3', title: text('Q') }]),
      'questions.0.scale',
      'Invalid type: Expected ("1-5" | "1-7" | "1-10" | "0-10") but received "1-3"',
      '取值无效：应为 ("1-5" | "1-7" | "1-10" | "0-10")，实际为 "1-3"',
    ],
  ])('%s', (_label, input, path, en, zh) => {
    expect(bothLanguages(input)).toEqual({ en: [{ path, message: en }], zh: [{ path, message: zh }] });
  });

  it('gives every issue of a badly broken definition in Chinese', () => {
    const input = {
      kind: 'poll',
      title: { en: 'Survey' },
      questions: [
        { id: 'nps', type: 'nps', title: text('NPS') },
        { id: 'q', type: 'text', title: text('Q'), maxLength: 0, showIf: { question: 'nps', op: 'in', value: [] } },
        { type: 'slider' },
      ],
    };
    const { en, zh } = bothLanguages(input);
    expect(zh.map((issue) => issue.path)).toEqual(en.map((issue) => issue.path));
    expect(zh.length).toBeGreaterThanOrEqual(5);
    for (const issue of zh) expect(issue.message).toMatch(han);
    for (const issue of en) expect(issue.message).not.toMatch(han);
  });

  it('leaves answers.ts free of runtime imports, so the public page does not ship valibot', () => {
    const source = readFileSync(new URL('./answers.ts', import.meta.url), 'utf8');
    const imports = source.split('\n').filter((line) => /^\s*import\b/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/^import type /);
  });
});

describe('scaleBounds', () => {
  it.each([
    ['1-5', 1, 5],
    ['1-7', 1, 7],
    ['1-10', 1, 10],
    ['0-10', 0, 10],
  ] as const)('%s → %i..%i', (scale, min, max) => {
    expect(scaleBounds(scale)).toEqual({ min, max });
  });
});
