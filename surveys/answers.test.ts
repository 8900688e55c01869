import { describe, it, expect } from 'vitest';
import {
  answerLabel,
  formErrorKey,
  isVisible,
  pruneHidden,
  scaleOf,
  validateAnswer,
  validateAnswers,
  visibleQuestions,
  type Answers,
} from './answers.ts';
import { parseDefinition, type Question, type SurveyDefinition } from './definition.ts';

const text = (en: string, zh = `中文：${en}`) => ({ 'zh-CN': zh, en });

function definitionOf(questions: unknown[]): SurveyDefinition {
  const result = parseDefinition({ kind: 'satisfaction', title: text('Test survey'), questions });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.definition;
}

function questionOf(question: Record<string, unknown>): Question {
  return definitionOf([{ id: 'q', title: text('Question'), ...question }]).questions[0]!;
}

const fruit = [
  { id: 'apple', label: text('Apple', '苹果') },
  { id: 'pear', label: text('Pear', '梨') },
  { id: 'plum', label: text('Plum', '李子') },
];

const required = { en: 'This question is required.', 'zh-CN': '此题为必答题。' };

describe('scaleOf', () => {
  it.each([
    [{ type: 'rating', scale: '1-5' }, { min: 1, max: 5 }],
    [{ type: 'rating', scale: '0-10' }, { min: 0, max: 10 }],
    [{ type: 'nps' }, { min: 0, max: 10 }],
    [{ type: 'csat' }, { min: 1, max: 5 }],
    [{ type: 'ces' }, { min: 1, max: 7 }],
    [{ type: 'expectation_experience', attribute: 'product', scale: '1-7' }, { min: 1, max: 7 }],
  ])('%o → %o', (question, scale) => {
    expect(scaleOf(questionOf(question))).toEqual(scale);
  });

  it('is null for questions without a scale', () => {
    expect(scaleOf(questionOf({ type: 'text' }))).toBeNull();
    expect(scaleOf(questionOf({ type: 'single_choice', options: fruit }))).toBeNull();
  });
});

describe('validateAnswer: ratings', () => {
  it.each([
    [{ type: 'nps' }, [0, 10], [-1, 11, 7.5]],
    [{ type: 'csat' }, [1, 5], [0, 6]],
    [{ type: 'ces' }, [1, 7], [0, 8]],
    [{ type: 'rating', scale: '1-5' }, [1, 5], [0, 6]],
    [{ type: 'rating', scale: '1-7' }, [1, 7], [0, 8]],
    [{ type: 'rating', scale: '1-10' }, [1, 10], [0, 11]],
    [{ type: 'rating', scale: '0-10' }, [0, 10], [-1, 11]],
  ])('%o accepts the ends of its scale and rejects values outside it', (question, valid, invalid) => {
    const q = questionOf(question);
    for (const value of valid) expect(validateAnswer(q, value)).toBeNull();
    for (const value of invalid) expect(validateAnswer(q, value)).not.toBeNull();
  });

  it('names the accepted range and the value given, in both languages', () => {
    expect(validateAnswer(questionOf({ type: 'nps' }), 11)).toEqual({
      en: 'Choose a whole number from 0 to 10 (got 11).',
      'zh-CN': '请选择 0 到 10 之间的整数（当前为11）。',
    });
  });

  it('rejects fractions, numeric strings, NaN and booleans', () => {
    const csat = questionOf({ type: 'csat' });
    expect(validateAnswer(csat, 4.5)?.en).toBe('Choose a whole number from 1 to 5 (got 4.5).');
    expect(validateAnswer(csat, '4')?.en).toBe('Choose a whole number from 1 to 5 (got "4").');
    expect(validateAnswer(csat, Number.NaN)?.en).toBe('Choose a whole number from 1 to 5 (got NaN).');
    expect(validateAnswer(csat, true)?.en).toBe('Choose a whole number from 1 to 5 (got true).');
  });
});

describe('validateAnswer: required and missing', () => {
  it.each([undefined, null, '', '   '])('a required question answered with %o is missing', (value) => {
    expect(validateAnswer(questionOf({ type: 'nps', required: true }), value)).toEqual(required);
  });

  it('an optional question may be left unanswered', () => {
    expect(validateAnswer(questionOf({ type: 'nps' }), undefined)).toBeNull();
    expect(validateAnswer(questionOf({ type: 'text' }), '  ')).toBeNull();
    expect(validateAnswer(questionOf({ type: 'multiple_choice', options: fruit }), { selected: [] })).toBeNull();
  });

  it('a multiple choice with nothing selected is missing when required', () => {
    expect(validateAnswer(questionOf({ type: 'multiple_choice', options: fruit, required: true }), { selected: [] })).toEqual(required);
  });
});

describe('validateAnswer: expectation_experience', () => {
  const pair = questionOf({ type: 'expectation_experience', attribute: 'service', scale: '1-7' });
  const weighted = questionOf({ type: 'expectation_experience', attribute: 'service', scale: '1-7', withImportance: true });

  it('accepts both ratings on the scale', () => {
    expect(validateAnswer(pair, { expectation: 1, experience: 7 })).toBeNull();
  });

  it('needs an object with both ratings', () => {
    expect(validateAnswer(pair, 5)).toEqual({
      en: 'Rate both your expectation and your experience, each a whole number from 1 to 7.',
      'zh-CN': '请分别为期望和实际体验打分，均为 1 到 7 之间的整数。',
    });
    expect(validateAnswer(pair, { expectation: 4 })).toEqual({
      en: 'Experience: choose a whole number from 1 to 7 (got nothing).',
      'zh-CN': '实际体验：请选择 1 到 7 之间的整数（当前为空）。',
    });
  });

  it('names which rating is out of range', () => {
    expect(validateAnswer(pair, { expectation: 9, experience: 4 })?.en).toBe(
      'Expectation: choose a whole number from 1 to 7 (got 9).',
    );
    expect(validateAnswer(pair, { expectation: 4, experience: 0 })?.['zh-CN']).toBe('实际体验：请选择 1 到 7 之间的整数（当前为0）。');
  });

  it('allows importance only when the question asks for it, on the same scale', () => {
    expect(validateAnswer(pair, { expectation: 4, experience: 5, importance: 6 })?.en).toBe(
      'This question does not ask how important it is; leave importance out.',
    );
    expect(validateAnswer(weighted, { expectation: 4, experience: 5, importance: 6 })).toBeNull();
    expect(validateAnswer(weighted, { expectation: 4, experience: 5 })).toBeNull();
    expect(validateAnswer(weighted, { expectation: 4, experience: 5, importance: 8 })?.en).toBe(
      'Importance: choose a whole number from 1 to 7 (got 8).',
    );
  });
});

describe('validateAnswer: single_choice', () => {
  const single = questionOf({ type: 'single_choice', options: fruit });

  it('accepts a listed option id', () => {
    expect(validateAnswer(single, 'pear')).toBeNull();
  });

  it('rejects anything else and lists the options in each language', () => {
    expect(validateAnswer(single, 'kiwi')).toEqual({
      en: 'Choose one of the options: Apple, Pear, Plum (got "kiwi").',
      'zh-CN': '请从以下选项中选择一项：苹果、梨、李子（当前为“kiwi”）。',
    });
    expect(validateAnswer(single, ['apple'])?.en).toBe('Choose one of the options: Apple, Pear, Plum (got a list).');
    expect(validateAnswer(single, 'Apple')).not.toBeNull();
  });
});

describe('validateAnswer: multiple_choice', () => {
  const multiple = questionOf({ type: 'multiple_choice', options: fruit });
  const withOther = questionOf({ type: 'multiple_choice', options: fruit, allowOther: true });

  it('accepts known, unique option ids', () => {
    expect(validateAnswer(multiple, { selected: ['apple', 'plum'] })).toBeNull();
  });

  it('rejects a value that is not { selected: [...] }', () => {
    expect(validateAnswer(multiple, ['apple'])).toEqual({
      en: 'Choose one or more of the options: Apple, Pear, Plum.',
      'zh-CN': '请从以下选项中选择一项或多项：苹果、梨、李子。',
    });
    expect(validateAnswer(multiple, { selected: 'apple' })).not.toBeNull();
  });

  it('rejects unknown and repeated options', () => {
    expect(validateAnswer(multiple, { selected: ['apple', 'kiwi'] })).toEqual({
      en: '"kiwi" is not one of the options: Apple, Pear, Plum.',
      'zh-CN': '“kiwi”不是本题的选项，可选：苹果、梨、李子。',
    });
    expect(validateAnswer(multiple, { selected: ['pear', 'pear'] })).toEqual({
      en: 'Each option can be chosen only once ("Pear" appears twice).',
      'zh-CN': '每个选项只能选择一次（“梨”重复出现）。',
    });
  });

  it('allows other text only when the question has an Other box', () => {
    expect(validateAnswer(multiple, { selected: ['apple'], other: 'Mango' })?.en).toBe(
      'This question has no "Other" box; choose from the listed options.',
    );
    expect(validateAnswer(withOther, { selected: ['apple'], other: 'Mango' })).toBeNull();
    expect(validateAnswer(withOther, { selected: [], other: 'Mango' })).toBeNull();
  });

  it('rejects blank or overlong other text', () => {
    expect(validateAnswer(withOther, { selected: ['apple'], other: '   ' })).toEqual({
      en: 'Write your "Other" answer in a few words, or remove it.',
      'zh-CN': '请简要填写“其他”的内容，或将其清空。',
    });
    expect(validateAnswer(withOther, { selected: [], other: 42 })).not.toBeNull();
    expect(validateAnswer(withOther, { selected: [], other: '芒'.repeat(500) })).toBeNull();
    expect(validateAnswer(withOther, { selected: [], other: '芒'.repeat(501) })).toEqual({
      en: 'Keep your "Other" answer to 500 characters or fewer (got 501).',
      'zh-CN': '“其他”的内容不能超过 500 个字符（当前 501 个）。',
    });
  });
});

describe('validateAnswer: text', () => {
  const short = questionOf({ type: 'text', maxLength: 5 });

  it('counts characters as people do, one per code point', () => {
    expect(validateAnswer(short, '满意度很高')).toBeNull();
    expect(validateAnswer(short, '😀😀😀😀😀')).toBeNull();
    expect(validateAnswer(short, '  abcde  ')).toBeNull();
    expect(validateAnswer(short, '满意度非常高')).toEqual({
      en: 'Keep your answer to 5 characters or fewer (got 6).',
      'zh-CN': '回答不能超过 5 个字符（当前 6 个）。',
    });
  });

  it('defaults to 1000 characters', () => {
    const comment = questionOf({ type: 'text' });
    expect(validateAnswer(comment, 'a'.repeat(1000))).toBeNull();
    expect(validateAnswer(comment, 'a'.repeat(1001))?.en).toBe('Keep your answer to 1000 characters or fewer (got 1001).');
  });

  it('rejects a value that is not text', () => {
    expect(validateAnswer(short, 12)).toEqual({ en: 'Enter your answer as text (got 12).', 'zh-CN': '请以文字作答（当前为12）。' });
  });
});

describe('validateAnswer: text formats', () => {
  const email = questionOf({ type: 'text', format: 'email', multiline: false });
  const phone = questionOf({ type: 'text', format: 'phone', multiline: false });
  const emailProblem = { en: 'Enter an email address, like name@example.com.', 'zh-CN': '请输入有效的电子邮件地址，例如 name@example.com。' };
  const phoneProblem = {
    en: 'Enter a phone number: 5 to 20 digits, with spaces, +, - or parentheses if you like.',
    'zh-CN': '请输入电话号码：5 到 20 位数字，可含空格、+、- 或括号。',
  };
  const table: [question: Question, answer: string, problem: typeof emailProblem | null][] = [
    [email, 'li.wei@example.com', null],
    [email, '  li.wei+orders@example.com.cn ', null],
    [email, 'li.wei@', emailProblem],
    [email, 'li wei@example.com', emailProblem],
    [email, '13800138000', emailProblem],
    [phone, '138 0013 8000', null],
    [phone, '+86 (10) 6552-9988', null],
    [phone, '1234', phoneProblem],
    [phone, 'call me', phoneProblem],
    [phone, '1'.repeat(21), phoneProblem],
  ];
  it.each(table.map(([question, answer, problem]) => [(question as { format?: string }).format ?? '', answer, question, problem] as const))('%s %s', (_format, answer, question, problem) => {
    expect(validateAnswer(question, answer)).toEqual(problem);
  });

  it('leaves a blank optional contact detail alone', () => {
    expect(validateAnswer(email, '  ')).toBeNull();
  });
});

describe('validateAnswer: consent', () => {
  it('accepts true or false when optional', () => {
    const consent = questionOf({ type: 'consent' });
    expect(validateAnswer(consent, true)).toBeNull();
    expect(validateAnswer(consent, false)).toBeNull();
    expect(validateAnswer(consent, 'yes')).toEqual({ en: 'Answer yes or no (got "yes").', 'zh-CN': '请选择是或否（当前为“yes”）。' });
  });

  it('needs true when required', () => {
    const consent = questionOf({ type: 'consent', required: true });
    expect(validateAnswer(consent, true)).toBeNull();
    expect(validateAnswer(consent, false)).toEqual({ en: 'Your consent is required to continue.', 'zh-CN': '需要您的同意才能继续。' });
    expect(validateAnswer(consent, undefined)).toEqual(required);
  });
});

describe('isVisible: condition operators', () => {
  const survey = definitionOf([
    { id: 'nps', type: 'nps', title: text('NPS') },
    { id: 'buy', type: 'single_choice', title: text('Buy?'), options: fruit },
    { id: 'picked', type: 'multiple_choice', title: text('Picked'), options: fruit },
    { id: 'ok', type: 'consent', title: text('OK?') },
    { id: 'pair', type: 'expectation_experience', title: text('Pair'), attribute: 'product', scale: '1-7' },
    { id: 'note', type: 'text', title: text('Note') },
  ]);
  const follow = (showIf: unknown) =>
    definitionOf([...survey.questions, { id: 'follow', type: 'text', title: text('Follow'), showIf }]).questions.at(-1)!;

  it('shows a question without a condition', () => {
    expect(isVisible(survey.questions[0]!, {})).toBe(true);
  });

  it.each([
    ['answered', { question: 'note', op: 'answered' }, { note: 'hi' }, {}],
    ['answered (blank text is not an answer)', { question: 'note', op: 'answered' }, { note: 'x' }, { note: '  ' }],
    ['answered (consent false is an answer)', { question: 'ok', op: 'answered' }, { ok: false }, {}],
    ['eq number', { question: 'nps', op: 'eq', value: 10 }, { nps: 10 }, { nps: 9 }],
    ['eq option id', { question: 'buy', op: 'eq', value: 'pear' }, { buy: 'pear' }, { buy: 'apple' }],
    ['eq consent', { question: 'ok', op: 'eq', value: true }, { ok: true }, { ok: false }],
    ['eq multiple choice includes', { question: 'picked', op: 'eq', value: 'pear' }, { picked: { selected: ['apple', 'pear'] } }, { picked: { selected: ['apple'] } }],
    ['eq pair compares experience', { question: 'pair', op: 'eq', value: 3 }, { pair: { expectation: 6, experience: 3 } }, { pair: { expectation: 3, experience: 6 } }],
    ['neq number', { question: 'nps', op: 'neq', value: 10 }, { nps: 9 }, { nps: 10 }],
    ['neq needs an answer', { question: 'buy', op: 'neq', value: 'pear' }, { buy: 'apple' }, {}],
    ['neq multiple choice excludes', { question: 'picked', op: 'neq', value: 'pear' }, { picked: { selected: ['apple'] } }, { picked: { selected: ['pear'] } }],
    ['gte', { question: 'nps', op: 'gte', value: 9 }, { nps: 9 }, { nps: 8 }],
    ['lte', { question: 'nps', op: 'lte', value: 6 }, { nps: 6 }, { nps: 7 }],
    ['lte needs an answer', { question: 'nps', op: 'lte', value: 6 }, { nps: 0 }, {}],
    ['lte on pair experience', { question: 'pair', op: 'lte', value: 3 }, { pair: { expectation: 7, experience: 2 } }, { pair: { expectation: 2, experience: 7 } }],
    ['in numbers', { question: 'nps', op: 'in', value: [7, 8] }, { nps: 8 }, { nps: 9 }],
    ['in option ids', { question: 'buy', op: 'in', value: ['apple', 'plum'] }, { buy: 'plum' }, { buy: 'pear' }],
    ['in multiple choice overlaps', { question: 'picked', op: 'in', value: ['plum', 'pear'] }, { picked: { selected: ['apple', 'plum'] } }, { picked: { selected: ['apple'] } }],
  ])('%s', (_label, showIf, shownFor, hiddenFor) => {
    const question = follow(showIf);
    expect(isVisible(question, shownFor)).toBe(true);
    expect(isVisible(question, hiddenFor)).toBe(false);
  });

  it('does not read inherited properties as answers', () => {
    const definition = definitionOf([
      { id: 'constructor', type: 'nps', title: text('NPS'), required: true },
      { id: 'why', type: 'text', title: text('Why'), showIf: { question: 'constructor', op: 'answered' } },
    ]);
    expect(isVisible(definition.questions[1]!, {})).toBe(false);
    expect(validateAnswers(definition, {})).toEqual({ ok: false, errors: { constructor: required } });
  });
});

describe('visibleQuestions and pruneHidden', () => {
  // nps → (if ≤ 6) reason → (if reason = price) price_detail; promoter_note only for 9-10.
  const survey = definitionOf([
    { id: 'nps', type: 'nps', title: text('NPS'), required: true },
    {
      id: 'reason',
      type: 'single_choice',
      title: text('Reason'),
      required: true,
      options: [
        { id: 'price', label: text('Price', '价格') },
        { id: 'quality', label: text('Quality', '质量') },
      ],
      showIf: { question: 'nps', op: 'lte', value: 6 },
    },
    { id: 'price_detail', type: 'text', title: text('Price detail'), showIf: { question: 'reason', op: 'eq', value: 'price' } },
    { id: 'promoter_note', type: 'text', title: text('Why 9-10'), showIf: { question: 'nps', op: 'gte', value: 9 } },
    { id: 'comment', type: 'text', title: text('Comment') },
  ]);
  const ids = (answers: Answers) => visibleQuestions(survey, answers).map((question) => question.id);

  it('lists only the questions shown for the answers, in order', () => {
    expect(ids({})).toEqual(['nps', 'comment']);
    expect(ids({ nps: 3 })).toEqual(['nps', 'reason', 'comment']);
    expect(ids({ nps: 3, reason: 'price' })).toEqual(['nps', 'reason', 'price_detail', 'comment']);
    expect(ids({ nps: 10 })).toEqual(['nps', 'promoter_note', 'comment']);
  });

  it('hides a question whose condition refers to a hidden question, even if an old answer remains', () => {
    expect(ids({ nps: 10, reason: 'price' })).toEqual(['nps', 'promoter_note', 'comment']);
  });

  it('drops answers to questions hidden by a changed answer', () => {
    const answers: Answers = { nps: 10, reason: 'price', price_detail: 'Too dear', promoter_note: 'Great', comment: 'Thanks' };
    expect(pruneHidden(survey, answers)).toEqual({ nps: 10, promoter_note: 'Great', comment: 'Thanks' });
    expect(pruneHidden(survey, { ...answers, nps: 2 })).toEqual({ nps: 2, reason: 'price', price_detail: 'Too dear', comment: 'Thanks' });
  });

  it('drops answers to unknown questions and leaves its input untouched', () => {
    const answers: Answers = { nps: 5, stray: 'x' };
    expect(pruneHidden(survey, answers)).toEqual({ nps: 5 });
    expect(answers).toEqual({ nps: 5, stray: 'x' });
  });
});

describe('validateAnswers', () => {
  const survey = definitionOf([
    { id: 'nps', type: 'nps', title: text('NPS'), required: true },
    { id: 'reason', type: 'text', title: text('Reason'), required: true, showIf: { question: 'nps', op: 'lte', value: 6 } },
    { id: 'fruit', type: 'multiple_choice', title: text('Fruit'), options: fruit, allowOther: true },
    { id: 'pair', type: 'expectation_experience', title: text('Pair'), attribute: 'product', scale: '1-7', withImportance: true },
    { id: 'comment', type: 'text', title: text('Comment') },
    { id: 'contact', type: 'consent', title: text('Contact me'), required: true },
  ]);

  it.each([
    [null, 'nothing', '空'],
    [['nps', 9], 'a list', '列表'],
    ['nps=9', '"nps=9"', '“nps=9”'],
    [new Date(0), 'an object', '对象'],
  ])('rejects %o as a whole', (input, gotEn, gotZh) => {
    expect(validateAnswers(survey, input)).toEqual({
      ok: false,
      errors: {
        [formErrorKey]: {
          en: `Answers must be an object keyed by question id (got ${gotEn}).`,
          'zh-CN': `答案必须是以题目编号为键的对象（当前为${gotZh}）。`,
        },
      },
    });
  });

  it('returns normalised answers when everything is valid', () => {
    const result = validateAnswers(survey, {
      nps: 4,
      reason: '  Too slow  ',
      fruit: { selected: ['pear'], other: ' Mango ', extra: 1 },
      pair: { expectation: 6, experience: 4, importance: 7, note: 'ignored' },
      comment: '   ',
      contact: true,
    });
    expect(result).toEqual({
      ok: true,
      answers: {
        nps: 4,
        reason: 'Too slow',
        fruit: { selected: ['pear'], other: 'Mango' },
        pair: { expectation: 6, experience: 4, importance: 7 },
        contact: true,
      },
    });
  });

  it('reports required visible questions that are missing', () => {
    expect(validateAnswers(survey, { nps: 3 })).toEqual({ ok: false, errors: { reason: required, contact: required } });
    expect(validateAnswers(survey, { nps: 9, contact: true })).toEqual({ ok: true, answers: { nps: 9, contact: true } });
  });

  it('reports unknown question ids, including keys like __proto__', () => {
    const result = validateAnswers(survey, JSON.parse('{"nps": 9, "contact": true, "colour": "red", "__proto__": 1}'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual(['colour', '__proto__']);
    expect(result.errors.colour).toEqual({ en: 'This survey has no question "colour".', 'zh-CN': '本问卷没有编号为“colour”的题目。' });
    expect(Object.getOwnPropertyDescriptor(result.errors, '__proto__')?.value.en).toBe('This survey has no question "__proto__".');
  });

  it('rejects answers to questions not shown for these answers', () => {
    expect(validateAnswers(survey, { nps: 9, reason: 'Fine', contact: true })).toEqual({
      ok: false,
      errors: {
        reason: {
          en: 'This question was not shown for these answers, so it cannot be answered.',
          'zh-CN': '根据您之前的回答，此题不会显示，不能作答。',
        },
      },
    });
  });

  it('accepts a blank answer to a hidden question as no answer', () => {
    expect(validateAnswers(survey, { nps: 9, reason: '', contact: true })).toEqual({ ok: true, answers: { nps: 9, contact: true } });
  });

  it('checks each answer and keys every error by question id', () => {
    const result = validateAnswers(survey, { nps: 11, fruit: { selected: ['kiwi'] }, contact: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['contact', 'fruit', 'nps']);
    expect(result.errors.nps?.en).toBe('Choose a whole number from 0 to 10 (got 11).');
    expect(result.errors.contact?.en).toBe('Your consent is required to continue.');
  });

  it('decides visibility from what was entered, so one bad answer does not also flag its dependants', () => {
    const result = validateAnswers(survey, { nps: 4.5, reason: 'Slow', contact: true });
    expect(result).toEqual({ ok: false, errors: { nps: expect.objectContaining({ en: 'Choose a whole number from 0 to 10 (got 4.5).' }) } });
  });
});

describe('answerLabel', () => {
  it('renders ratings against their maximum', () => {
    expect(answerLabel(questionOf({ type: 'nps' }), 7, 'en')).toBe('7 / 10');
    expect(answerLabel(questionOf({ type: 'csat' }), 4, 'zh-CN')).toBe('4 / 5');
    expect(answerLabel(questionOf({ type: 'rating', scale: '1-7' }), 6, 'en')).toBe('6 / 7');
  });

  it('renders a pair with its satisfaction index c = experience / expectation', () => {
    const pair = questionOf({ type: 'expectation_experience', attribute: 'product', scale: '1-10', withImportance: true });
    expect(answerLabel(pair, { expectation: 6, experience: 8 }, 'en')).toBe('expectation 6, experience 8 (c = 1.33)');
    expect(answerLabel(pair, { expectation: 6, experience: 8, importance: 9 }, 'zh-CN')).toBe('期望 6，体验 8，重要性 9（c = 1.33）');
    const zeroBased = questionOf({ type: 'expectation_experience', attribute: 'product', scale: '0-10' });
    expect(answerLabel(zeroBased, { expectation: 0, experience: 5 }, 'en')).toBe('expectation 0, experience 5');
  });

  it('renders choices with their labels in the locale', () => {
    expect(answerLabel(questionOf({ type: 'single_choice', options: fruit }), 'pear', 'zh-CN')).toBe('梨');
    expect(answerLabel(questionOf({ type: 'single_choice', options: fruit }), 'gone', 'en')).toBe('gone');
    const multiple = questionOf({ type: 'multiple_choice', options: fruit, allowOther: true });
    expect(answerLabel(multiple, { selected: ['apple', 'plum'], other: 'Mango' }, 'en')).toBe('Apple, Plum, Other: Mango');
    expect(answerLabel(multiple, { selected: ['apple', 'plum'], other: '芒果' }, 'zh-CN')).toBe('苹果、李子、其他：芒果');
  });

  it('renders text, consent and a missing answer', () => {
    expect(answerLabel(questionOf({ type: 'text' }), 'Fast delivery', 'en')).toBe('Fast delivery');
    expect(answerLabel(questionOf({ type: 'consent' }), true, 'en')).toBe('Yes');
    expect(answerLabel(questionOf({ type: 'consent' }), false, 'zh-CN')).toBe('否');
    expect(answerLabel(questionOf({ type: 'nps' }), undefined, 'en')).toBe('');
  });
});
