import { describe, expect, it } from 'vitest';
import type { Answers } from './answers.ts';
import { parseDefinition, type Locale, type SurveyDefinition } from './definition.ts';
import { catchDescription, describeRule, firedRules, hasLoopRules } from './loop-rules.ts';

const text = (en: string, zh = `中文：${en}`) => ({ 'zh-CN': zh, en });

const questions = [
  { id: 'nps', type: 'nps', title: text('How likely are you to recommend us?', '您向朋友推荐我们的可能性有多大？') },
  { id: 'csat', type: 'csat', title: text('How satisfied are you?', '您满意吗？') },
  { id: 'product', type: 'expectation_experience', title: text('Product'), attribute: 'product', scale: '1-10' },
  { id: 'service', type: 'expectation_experience', title: text('Service'), attribute: 'service', scale: '1-10' },
  { id: 'callback', type: 'consent', title: text('Please contact me', '请联系我') },
  {
    id: 'follow',
    type: 'single_choice',
    title: text('May we call you?'),
    options: [
      { id: 'call_me', label: text('Yes, call me', '是，请给我打电话') },
      { id: 'no_thanks', label: text('No thanks', '不用了') },
    ],
  },
  { id: 'why', type: 'text', title: text('Why?') },
];

function definitionWith(loopRules: unknown[] | undefined): SurveyDefinition {
  const result = parseDefinition({ kind: 'satisfaction', title: text('Survey'), questions, ...(loopRules ? { loopRules } : {}) });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.definition;
}

function issuesOf(loopRules: unknown[], lang: Locale = 'en') {
  const result = parseDefinition({ kind: 'satisfaction', title: text('Survey'), questions, loopRules }, lang);
  if (result.ok) throw new Error('expected the rules to be rejected');
  return result.issues;
}

const pair = (expectation: number, experience: number) => ({ expectation, experience });

describe('firedRules', () => {
  const rules = [
    { id: 'detractor', kind: 'nps_at_most', question: 'nps', value: 6 },
    { id: 'unhappy', kind: 'csat_at_most', question: 'csat', value: 2 },
    { id: 'below_any', kind: 'c_below', value: 0.8 },
    { id: 'below_service', kind: 'c_below', attribute: 'service', value: 0.5 },
    { id: 'ticked', kind: 'contact_requested', question: 'callback' },
    { id: 'chose_call', kind: 'contact_requested', question: 'follow', option: 'call_me' },
  ];
  const definition = definitionWith(rules);

  const table: [name: string, answers: Answers, fired: string[]][] = [
    ['nothing answered', {}, []],
    ['a promoter, happy, expectations met', { nps: 9, csat: 5, product: pair(8, 8), service: pair(8, 9) }, []],
    ['NPS 6 is a detractor', { nps: 6 }, ['detractor']],
    ['NPS 7 is not', { nps: 7 }, []],
    ['NPS 0', { nps: 0 }, ['detractor']],
    ['CSAT 2 fires', { csat: 2 }, ['unhappy']],
    ['CSAT 3 does not', { csat: 3 }, []],
    ['c = 0.75 on product fires the any-attribute rule only', { product: pair(8, 6) }, ['below_any']],
    ['c = 0.8 exactly is not below 0.8', { product: pair(10, 8) }, []],
    ['c = 0.4 on service fires both c rules', { service: pair(10, 4) }, ['below_any', 'below_service']],
    ['c = 0.4 on product does not fire the service rule', { product: pair(10, 4) }, ['below_any']],
    ['an expectation of 0 leaves c undefined', { product: pair(0, 0) }, []],
    ['consent ticked', { callback: true }, ['ticked']],
    ['consent declined', { callback: false }, []],
    ['the contact option chosen', { follow: 'call_me' }, ['chose_call']],
    ['another option chosen', { follow: 'no_thanks' }, []],
    [
      'everything at once, in the rules\' order',
      { follow: 'call_me', callback: true, service: pair(9, 1), csat: 1, nps: 2 },
      ['detractor', 'unhappy', 'below_any', 'below_service', 'ticked', 'chose_call'],
    ],
    ['a text answer is never a rating', { why: '3' } as Answers, []],
  ];
  it.each(table)('%s', (_name, answers, fired) => {
    expect(firedRules(definition, answers)).toEqual(fired);
  });

  it('is off when the rules are absent or empty', () => {
    for (const off of [definitionWith(undefined), definitionWith([])]) {
      expect(hasLoopRules(off)).toBe(false);
      expect(firedRules(off, { nps: 0, csat: 1, callback: true })).toEqual([]);
    }
    expect(hasLoopRules(definition)).toBe(true);
  });
});

describe('loop rules in the definition: bilingual problems naming the question', () => {
  const table: [name: string, rules: unknown[], path: string, en: string, zh: string][] = [
    [
      'NPS rule on a CSAT question',
      [{ id: 'r1', kind: 'nps_at_most', question: 'csat', value: 6 }],
      'loopRules.0.question',
      'loop-closing rule 1: question 2 "How satisfied are you?" is not an NPS question; choose an NPS question',
      '第 1 条闭环规则：第 2 题“您满意吗？”不是 NPS 题，请选择 NPS 题。',
    ],
    [
      'CSAT rule on the NPS question',
      [{ id: 'r1', kind: 'csat_at_most', question: 'nps', value: 2 }],
      'loopRules.0.question',
      'loop-closing rule 1: question 1 "How likely are you to recommend us?" is not a CSAT question; choose a CSAT question',
      '第 1 条闭环规则：第 1 题“您向朋友推荐我们的可能性有多大？”不是 CSAT 题，请选择 CSAT 题。',
    ],
    [
      'unknown question',
      [{ id: 'r1', kind: 'nps_at_most', question: 'nope', value: 6 }],
      'loopRules.0.question',
      'loop-closing rule 1: the survey has no question with the id "nope"',
      '第 1 条闭环规则：问卷中没有 ID 为 "nope" 的问题，请选择已有的问题。',
    ],
    [
      'attribute nobody rates',
      [{ id: 'r1', kind: 'c_below', attribute: 'delivery', value: 0.8 }],
      'loopRules.0.attribute',
      'loop-closing rule 1: no expectation/experience question rates the attribute "delivery"',
      '第 1 条闭环规则：没有“期望与体验”题评价属性 "delivery"，请选择问卷中已有的属性。',
    ],
    [
      'contact rule on a text question',
      [{ id: 'r1', kind: 'contact_requested', question: 'why' }],
      'loopRules.0.question',
      'loop-closing rule 1: question 7 "Why?" is neither a consent question nor a single choice',
      '第 1 条闭环规则：第 7 题“中文：Why?”既不是同意题也不是单选题，请选择同意题或单选题。',
    ],
    [
      'contact rule on a single choice without the option',
      [{ id: 'r1', kind: 'contact_requested', question: 'follow' }],
      'loopRules.0.option',
      'loop-closing rule 1: choose which option of question 6 "May we call you?" asks to be contacted',
      '第 1 条闭环规则：请选择第 6 题“中文：May we call you?”中表示“请联系我”的选项。',
    ],
    [
      'contact rule naming an option the question lacks',
      [{ id: 'r1', kind: 'contact_requested', question: 'follow', option: 'email_me' }],
      'loopRules.0.option',
      'loop-closing rule 1: question 6 "May we call you?" has no option "email_me"',
      '第 1 条闭环规则：第 6 题“中文：May we call you?”没有选项 "email_me"，请选择该题已有的选项。',
    ],
    [
      'an option on a consent question',
      [{ id: 'r1', kind: 'contact_requested', question: 'callback', option: 'yes' }],
      'loopRules.0.option',
      'loop-closing rule 1: question 5 "Please contact me" is a consent question and has no options; leave the option out',
      '第 1 条闭环规则：第 5 题“请联系我”是同意题，没有选项，请不要选择选项。',
    ],
    [
      'the same id twice',
      [
        { id: 'r1', kind: 'nps_at_most', question: 'nps', value: 6 },
        { id: 'r1', kind: 'csat_at_most', question: 'csat', value: 2 },
      ],
      'loopRules.1.id',
      'loop-closing rule 2: the id "r1" is used by an earlier rule',
      '第 2 条闭环规则：ID "r1" 已被前面的规则使用，请换一个 ID。',
    ],
    [
      'NPS threshold out of range',
      [{ id: 'r1', kind: 'nps_at_most', question: 'nps', value: 10 }],
      'loopRules.0.value',
      'the NPS threshold must be a whole number from 0 to 9',
      'NPS 阈值须为 0 到 9 之间的整数。',
    ],
    [
      'CSAT threshold not whole',
      [{ id: 'r1', kind: 'csat_at_most', question: 'csat', value: 2.5 }],
      'loopRules.0.value',
      'the CSAT threshold must be a whole number from 1 to 4',
      'CSAT 阈值须为 1 到 4 之间的整数。',
    ],
    [
      'c threshold of 0',
      [{ id: 'r1', kind: 'c_below', value: 0 }],
      'loopRules.0.value',
      'the c threshold must be a number above 0 and at most 10',
      'c 的阈值须大于 0 且不超过 10。',
    ],
  ];
  it.each(table)('%s', (_name, rules, path, en, zh) => {
    expect(issuesOf(rules, 'en')).toEqual([{ path, message: en }]);
    expect(issuesOf(rules, 'zh-CN')).toEqual([{ path, message: zh }]);
  });

  it('takes rules on satisfaction surveys only', () => {
    const result = parseDefinition(
      { kind: 'complaint', title: text('Survey'), questions, loopRules: [{ id: 'r1', kind: 'nps_at_most', question: 'nps', value: 6 }] },
      'zh-CN',
    );
    expect(result.ok ? [] : result.issues).toEqual([{ path: 'loopRules', message: '闭环规则只适用于满意度问卷，请删除规则或将问卷类型改为满意度问卷。' }]);
  });

  it('asks for an expectation/experience question before a c rule on any attribute', () => {
    const result = parseDefinition({
      kind: 'satisfaction',
      title: text('Survey'),
      questions: [{ id: 'nps', type: 'nps', title: text('NPS') }],
      loopRules: [{ id: 'r1', kind: 'c_below', value: 0.8 }],
    });
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'loopRules.0.attribute', message: 'loop-closing rule 1: the survey has no expectation/experience question, so c cannot be worked out' },
    ]);
  });
});

describe('the words of a catch', () => {
  const definition = definitionWith([
    { id: 'detractor', kind: 'nps_at_most', question: 'nps', value: 6 },
    { id: 'below', kind: 'c_below', value: 0.8 },
    { id: 'chose_call', kind: 'contact_requested', question: 'follow', option: 'call_me' },
  ]);
  it('names each rule and the answers it read, in the customer\'s language', () => {
    const answers: Answers = { nps: 3, service: pair(10, 4), product: pair(5, 5), follow: 'call_me' };
    const fired = firedRules(definition, answers);
    expect(catchDescription(definition, fired, answers, 'en')).toBe(
      [
        'A survey answer caught by loop-closing rules:',
        '- NPS ≤ 6 on question 1 "How likely are you to recommend us?": 3 / 10',
        '- c < 0.8 on any attribute: question 4 "Service" expectation 10, experience 4 (c = 0.40)',
        '- "Yes, call me" chosen on question 6 "May we call you?" (please contact me)',
      ].join('\n'),
    );
    expect(catchDescription(definition, fired, answers, 'zh-CN')).toContain('- 第 1 题“您向朋友推荐我们的可能性有多大？” NPS ≤ 6：3 / 10');
    expect(describeRule(definition, definition.loopRules![2]!, 'zh-CN')).toBe('第 6 题“中文：May we call you?”选择了“是，请给我打电话”（请联系我）');
  });
});
