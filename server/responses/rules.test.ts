import { describe, expect, it } from 'vitest';
import type { Answers } from '../../surveys/answers.ts';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { answerTests, codesOf, commentsOf, questionsOf, searchableText, searchQuery, summarize, withVersionSlots } from './rules.ts';

const first: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '问卷', en: 'Survey' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐', en: 'Recommend' } },
    {
      id: 'reasons',
      type: 'multiple_choice',
      required: false,
      allowOther: true,
      title: { 'zh-CN': '原因', en: 'Reasons' },
      options: [
        { id: 'price', label: { 'zh-CN': '价格', en: 'Price' } },
        { id: 'staff', label: { 'zh-CN': '员工', en: 'Staff' } },
      ],
    },
    { id: 'ee_product', type: 'expectation_experience', attribute: 'product', scale: '1-7', required: false, withImportance: true, title: { 'zh-CN': '产品', en: 'Product' } },
    { id: 'ok', type: 'consent', required: false, title: { 'zh-CN': '同意', en: 'Agree' } },
    { id: 'comment', type: 'text', required: false, maxLength: 100, multiline: true, title: { 'zh-CN': '意见', en: 'Comment' } },
  ],
};
const second: SurveyDefinition = {
  ...first,
  questions: [{ id: 'csat', type: 'csat', required: false, title: { 'zh-CN': '满意', en: 'Satisfied' } }, ...first.questions.filter((q) => q.id !== 'ok')],
};

describe('coding answers', () => {
  it('keeps every earlier slot where it was when a new version adds questions', () => {
    const slots = withVersionSlots([], first);
    expect(slots.map((slot) => `${slot.question}.${slot.part}`)).toEqual([
      'nps.value', 'reasons.option:price', 'reasons.option:staff', 'reasons.other',
      'ee_product.expectation', 'ee_product.experience', 'ee_product.importance', 'ok.value', 'comment.answered',
    ]);
    const later = withVersionSlots(slots, second);
    expect(later.slice(0, slots.length)).toEqual(slots);
    expect(later.slice(slots.length)).toEqual([{ question: 'csat', part: 'value' }]);
    expect(withVersionSlots(later, first)).toBe(later);
  });

  it('writes one character per part: the value above "0", a space where unanswered', () => {
    const slots = withVersionSlots(withVersionSlots([], first), second);
    expect(codesOf(slots, { nps: 10, reasons: { selected: ['staff'], other: 'parking' }, ee_product: { expectation: 6, experience: 3, importance: 7 }, ok: false, comment: 'fine', csat: 5 })).toBe(
      ':011637015',
    );
    expect(codesOf(slots, { nps: 0 })).toBe(`0${' '.repeat(9)}`);
  });
});

describe('searching', () => {
  it('sets each Chinese character apart and leaves other words whole', () => {
    expect(searchableText('VIP服务, 很好!')).toBe('VIP 服 务 , 很 好 !');
    expect(commentsOf(first, { comment: '送货慢', reasons: { selected: [], other: 'Parking' } })).toBe('Parking 送 货 慢');
  });

  it('makes each typed word a phrase that must appear, Latin words also matching by their beginning', () => {
    expect(searchQuery('服务')).toBe('"服 务"');
    expect(searchQuery('  deliv  服务 ')).toBe('"deliv"* "服 务"');
    expect(searchQuery('say "hi"')).toBe('"say"* """hi"""');
    expect(searchQuery('VIP服务')).toBe('"VIP 服 务"');
    expect(searchQuery(' ,, " ')).toBeNull();
  });
});

describe('answer filters', () => {
  const slots = withVersionSlots([], first);
  const questions = questionsOf([first]);
  it('turns each filter into tests on the coded parts', () => {
    expect(answerTests('nps:le:6', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: 0, op: '<=', value: 6 }] });
    expect(answerTests('reasons:eq:staff', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: 2, op: '=', value: 1 }] });
    expect(answerTests('reasons:ne:price', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: 1, op: '=', value: 0 }] });
    expect(answerTests('ee_product.c:lt:1', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'ratio', expectation: 4, experience: 5, op: '<', value: 1 }] });
    expect(answerTests('ee_product.importance:ge:6', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: 6, op: '>=', value: 6 }] });
    expect(answerTests('ee_product:gt:3', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: 5, op: '>', value: 3 }] });
    expect(answerTests('ok:eq:no', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: 7, op: '=', value: 0 }] });
    expect(answerTests('comment:unanswered', questions, slots)).toEqual({ ok: true, tests: [{ kind: 'answered', slot: 8, answered: false }] });
  });

  it('takes a question no indexed response has answered yet, with no slot to test', () => {
    const later = questionsOf([second]);
    expect(answerTests('csat:le:3', later, slots)).toEqual({ ok: true, tests: [{ kind: 'compare', slot: -1, op: '<=', value: 3 }] });
    expect(answerTests('csat:unanswered', later, slots)).toEqual({ ok: true, tests: [{ kind: 'answered', slot: -1, answered: false }] });
    expect(answerTests('csat:le:6', later, slots)).toMatchObject({ ok: false });
  });

  it('says in both languages what does not fit the survey', () => {
    const error = (filter: string) => {
      const checked = answerTests(filter, questions, slots);
      if (checked.ok) throw new Error(`${filter} was taken`);
      return checked.error;
    };
    expect(error('nps:le:11')).toEqual({ en: '"nps" (Recommend) is answered from 0 to 10 (got 11).', 'zh-CN': '"nps"（推荐） 的答案范围是 0 到 10（当前为 11）。' });
    expect(error('nps.c:lt:1').en).toContain('Only expectation–experience questions have parts');
    expect(error('nps:le:2.5').en).toContain('a whole number');
    expect(error('reasons:eq:parking').en).toContain('its options are price, staff');
    expect(error('nps:answered:3').en).toContain('takes no value');
    expect(error('nps:le').en).toContain('Give a value');
    expect(error('csat:le:3').en).toContain('no question "csat"');
  });
});

describe('summaries', () => {
  it('counts every part of a set of coded rows, with means, intervals and c per response', () => {
    const slots = withVersionSlots([], first);
    const rows = ([
      { nps: 10, reasons: { selected: ['staff', 'price'] }, ee_product: { expectation: 4, experience: 2, importance: 5 }, comment: 'x' },
      { nps: 6, reasons: { selected: ['price'] }, ee_product: { expectation: 2, experience: 4, importance: 5 }, ok: true },
      { nps: 8 },
    ] as Answers[]).map((answers) => `${codesOf(slots, answers)}\n`);
    // A row coded before later slots existed is shorter: its missing parts count as unanswered.
    const summaries = summarize(questionsOf([first]), slots, new TextEncoder().encode(`${rows.join('')}7\n`));
    const byId = Object.fromEntries(summaries.map((summary) => [summary.id, summary]));
    const nps = byId.nps!;
    if (nps.kind !== 'scale') throw new Error('nps is a scale');
    expect(nps.n).toBe(4);
    expect(nps.mean.mean).toBeCloseTo(7.75, 12);
    expect(nps.distribution.filter((share) => share.count > 0).map((share) => [share.value, share.count])).toEqual([['6', 1], ['7', 1], ['8', 1], ['10', 1]]);
    // One promoter, one detractor, two passives: NPS 0.
    expect(nps.headline).toMatchObject({ figure: 'nps', value: 0 });
    const reasons = byId.reasons!;
    if (reasons.kind !== 'choice') throw new Error('reasons is a choice');
    expect(reasons.n).toBe(2);
    expect(reasons.distribution.map((share) => [share.value, share.count])).toEqual([['price', 2], ['staff', 1], ['other', 0]]);
    const pair = byId.ee_product!;
    if (pair.kind !== 'pair') throw new Error('ee_product is a pair');
    expect(pair.c).toMatchObject({ n: 2, mean: 1.25 });
    expect(pair.below).toBe(1);
    expect(pair.importance).toMatchObject({ n: 2, mean: 5 });
    expect(byId.ok).toMatchObject({ n: 1, distribution: [{ value: 'yes', count: 1 }, { value: 'no', count: 0 }] });
    expect(byId.comment).toMatchObject({ kind: 'text', n: 1 });
  });
});
