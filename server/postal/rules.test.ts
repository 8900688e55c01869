import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { compareKeyings, keyedNumbers, keyedText, readKeyedAnswer, readKeyedForm } from './rules.ts';

const text = (en: string) => ({ en, 'zh-CN': en });

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: text('Form'),
  questions: [
    { id: 'overall', type: 'rating', scale: '1-5', title: text('Overall'), required: true },
    { id: 'nps', type: 'nps', title: text('Recommend'), required: false },
    { id: 'pair', type: 'expectation_experience', attribute: 'product', scale: '1-7', withImportance: true, title: text('Product'), required: false },
    { id: 'visit', type: 'single_choice', options: [{ id: 'shop', label: text('Shop') }, { id: 'web', label: text('Web') }, { id: 'phone', label: text('Phone') }], title: text('Visit'), required: false },
    {
      id: 'liked',
      type: 'multiple_choice',
      allowOther: true,
      options: [{ id: 'price', label: text('Price') }, { id: 'staff', label: text('Staff') }, { id: 'speed', label: text('Speed') }],
      title: text('Liked'),
      required: false,
    },
    { id: 'comment', type: 'text', maxLength: 1000, multiline: true, title: text('Comment'), required: false },
    { id: 'contact', type: 'consent', title: text('May we call you?'), required: false },
  ],
};
const question = (id: string) => definition.questions.find((candidate) => candidate.id === id)!;

describe('reading what a clerk typed', () => {
  it('takes the number typed for a scale, and refuses anything else', () => {
    expect(readKeyedAnswer(question('overall'), ' 4 ')).toEqual({ ok: true, answer: 4 });
    expect(readKeyedAnswer(question('nps'), '10')).toEqual({ ok: true, answer: 10 });
    expect(readKeyedAnswer(question('overall'), '')).toEqual({ ok: true, answer: undefined });
    const refused = readKeyedAnswer(question('overall'), 'four');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.en).toContain('"four"');
  });

  it('reads a pair as spaced numbers, or as digits typed straight on a scale up to 9', () => {
    expect(readKeyedAnswer(question('pair'), '5 6 7')).toEqual({ ok: true, answer: { expectation: 5, experience: 6, importance: 7 } });
    expect(readKeyedAnswer(question('pair'), '567')).toEqual({ ok: true, answer: { expectation: 5, experience: 6, importance: 7 } });
    expect(readKeyedAnswer(question('pair'), '5 6').ok).toBe(false);
  });

  it('takes the option number for a single choice', () => {
    expect(readKeyedAnswer(question('visit'), '2')).toEqual({ ok: true, answer: 'web' });
    expect(readKeyedAnswer(question('visit'), '4').ok).toBe(false);
    expect(readKeyedAnswer(question('visit'), '0').ok).toBe(false);
  });

  it('takes a list of numbers for a multiple choice, with the "Other" text after them', () => {
    expect(readKeyedAnswer(question('liked'), '1 3')).toEqual({ ok: true, answer: { selected: ['price', 'speed'] } });
    expect(readKeyedAnswer(question('liked'), '13')).toEqual({ ok: true, answer: { selected: ['price', 'speed'] } });
    expect(readKeyedAnswer(question('liked'), '2 parking')).toEqual({ ok: true, answer: { selected: ['staff'], other: 'parking' } });
    const refused = readKeyedAnswer(question('liked'), '1 5');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.en).toContain('no option 5');
  });

  it('keeps text as typed, trimmed, and reads consent as 1 yes / 2 no', () => {
    expect(readKeyedAnswer(question('comment'), '  送货很快  ')).toEqual({ ok: true, answer: '送货很快' });
    expect(readKeyedAnswer(question('contact'), '1')).toEqual({ ok: true, answer: true });
    expect(readKeyedAnswer(question('contact'), '2')).toEqual({ ok: true, answer: false });
    expect(readKeyedAnswer(question('contact'), 'maybe').ok).toBe(false);
  });

  it('reads a whole form, leaving blank questions out and naming each one it cannot read', () => {
    expect(readKeyedForm(definition, { overall: '5', visit: '3', comment: ' ' })).toEqual({ ok: true, answers: { overall: 5, visit: 'phone' } });
    const refused = readKeyedForm(definition, { overall: 'x', visit: '9', nps: '8' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.errors)).toEqual(['overall', 'visit']);
  });

  it('writes an answer back as it would be typed', () => {
    for (const [id, typed] of [['visit', '2'], ['liked', '1 3 parking'], ['pair', '5 6 7'], ['contact', '2'], ['overall', '4']] as const) {
      const result = readKeyedAnswer(question(id), typed);
      expect(result.ok).toBe(true);
      if (result.ok) expect(keyedText(question(id), result.answer)).toBe(typed);
    }
  });

  it('splits numbers on spaces and commas', () => {
    expect(keyedNumbers('1, 2，3', false)).toEqual([1, 2, 3]);
    expect(keyedNumbers('12', false)).toEqual([12]);
    expect(keyedNumbers('1 a', true)).toBeNull();
  });
});

describe('comparing two keyings', () => {
  it('finds no difference between the same marks keyed with different spacing or order', () => {
    const first = { overall: 4, comment: 'Fast  delivery ', liked: { selected: ['speed', 'price'] } };
    const second = { overall: 4, comment: 'Fast delivery', liked: { selected: ['price', 'speed'] } };
    expect(compareKeyings(definition, first, second)).toEqual([]);
  });

  it('lists every question where they differ, in survey order, including one left blank by one keyer', () => {
    const first = { overall: 4, visit: 'web', pair: { expectation: 5, experience: 6, importance: 7 } };
    const second = { overall: 5, comment: 'ok', pair: { expectation: 5, experience: 6, importance: 7 } };
    expect(compareKeyings(definition, first, second)).toEqual([
      { questionId: 'overall', first: 4, second: 5 },
      { questionId: 'visit', first: 'web' },
      { questionId: 'comment', second: 'ok' },
    ]);
  });
});
