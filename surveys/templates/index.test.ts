import { readdirSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { isVisible, scaleOf, validateAnswers, visibleQuestions, type AnswerValue, type Answers } from '../answers.ts';
import { parseDefinition, satisfactionFactors, type Question, type SurveyDefinition } from '../definition.ts';
import { templateIds, templates } from './index.ts';

const hasChinese = /[\u4e00-\u9fff]/;

/** Every { 'zh-CN', en } pair anywhere in a value, with where it was found. */
function localizedTexts(value: unknown, path = ''): { path: string; zh: unknown; en: unknown }[] {
  if (typeof value !== 'object' || value === null) return [];
  if ('zh-CN' in value || 'en' in value) return [{ path, zh: (value as Record<string, unknown>)['zh-CN'], en: (value as Record<string, unknown>).en }];
  return Object.entries(value).flatMap(([key, inner]) => localizedTexts(inner, `${path}.${key}`));
}

/** A plausible valid answer to a question, to walk a template from start to end. */
function sampleAnswer(question: Question): AnswerValue {
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces':
      return scaleOf(question).max;
    case 'expectation_experience': {
      const { max } = scaleOf(question);
      return question.withImportance ? { expectation: max, experience: max, importance: max } : { expectation: max, experience: max };
    }
    case 'single_choice':
      return question.options[0]!.id;
    case 'multiple_choice':
      return { selected: [question.options[0]!.id] };
    case 'text':
      return question.format === 'email' ? 'li.wei@example.com' : question.format === 'phone' ? '138 0013 8000' : '很好 / Very good';
    case 'consent':
      return true;
  }
}

function answerEverything(definition: SurveyDefinition, overrides: Answers = {}): Answers {
  const answers: Answers = {};
  for (const question of definition.questions) {
    if (isVisible(question, answers)) answers[question.id] = overrides[question.id] ?? sampleAnswer(question);
  }
  return answers;
}

const entries = Object.entries(templates) as [string, SurveyDefinition][];

describe('templates', () => {
  it('registers every JSON file in the folder, named by its id', () => {
    const files = readdirSync(import.meta.dirname).filter((name) => name.endsWith('.json'));
    expect(files.map((name) => name.replace(/\.json$/, '')).sort()).toEqual([...templateIds].sort());
    expect(Object.keys(templates).sort()).toEqual([...templateIds].sort());
  });

  it.each(entries)('%s parses and is already in parsed form', (_id, template) => {
    const result = parseDefinition(template);
    expect(result).toEqual({ ok: true, definition: template });
  });

  it.each(entries)('%s reads in both Chinese and English', (_id, template) => {
    const texts = localizedTexts(template);
    expect(texts.length).toBeGreaterThan(3);
    for (const { path, zh, en } of texts) {
      expect(typeof zh === 'string' && hasChinese.test(zh), `zh-CN at ${path}`).toBe(true);
      expect(typeof en === 'string' && en.trim() !== '' && !hasChinese.test(en), `en at ${path}`).toBe(true);
    }
  });

  it.each(entries)('%s can be answered from start to end', (_id, template) => {
    const answers = answerEverything(template);
    expect(validateAnswers(template, answers)).toEqual({ ok: true, answers });
  });

  it('uses the survey kinds the platform routes on', () => {
    const kinds = Object.fromEntries(entries.map(([id, template]) => [id, template.kind]));
    expect(kinds).toEqual({
      'transactional-csat': 'satisfaction',
      'relationship-nps': 'satisfaction',
      ces: 'satisfaction',
      'expectation-experience': 'satisfaction',
      acsi: 'satisfaction',
      'complaint-form': 'complaint',
      'follow-up': 'follow_up',
    });
  });
});

describe('transactional-csat', () => {
  const survey = templates['transactional-csat'];
  it('asks for a reason only when CSAT is 3 or lower', () => {
    const ids = (csat: number) => visibleQuestions(survey, { csat }).map((question) => question.id);
    expect(ids(3)).toEqual(['csat', 'reason', 'comment']);
    expect(ids(4)).toEqual(['csat', 'comment']);
  });
});

describe('relationship-nps', () => {
  const survey = templates['relationship-nps'];
  it.each([
    [0, 'detractor_reason'],
    [6, 'detractor_reason'],
    [7, 'passive_reason'],
    [8, 'passive_reason'],
    [9, 'promoter_reason'],
    [10, 'promoter_reason'],
  ])('score %i asks %s and no other follow-up', (nps, followUp) => {
    const ids = visibleQuestions(survey, { nps }).map((question) => question.id);
    expect(ids).toEqual(['nps', followUp, 'segment']);
  });
});

describe('ces', () => {
  it('asks the effort statement on 1-7, then an optional comment', () => {
    const [ces, comment] = templates.ces.questions;
    expect(ces).toMatchObject({ type: 'ces', required: true });
    expect(ces?.title.en).toContain('made it easy for me to handle my issue');
    expect(comment).toMatchObject({ type: 'text', required: false });
  });
});

describe('expectation-experience', () => {
  const survey = templates['expectation-experience'];
  const pairs = survey.questions.filter((question) => question.type === 'expectation_experience');

  it('pairs expectation and experience for exactly the five factors, on 1-7 with importance', () => {
    expect(pairs.map((question) => question.attribute)).toEqual([...satisfactionFactors]);
    for (const pair of pairs) expect(pair).toMatchObject({ scale: '1-7', withImportance: true, required: true });
  });

  it('ends with an overall CSAT and a comment, short enough for a phone', () => {
    expect(survey.questions.slice(pairs.length).map((question) => question.type)).toEqual(['csat', 'text']);
    expect(survey.questions.length).toBeLessThanOrEqual(8);
  });
});

describe('acsi', () => {
  const survey = templates.acsi;
  const byId = new Map(survey.questions.map((question) => [question.id, question]));

  it('has the ACSI constructs as 1-10 ratings with end labels', () => {
    const ratingIds = [
      'exp_overall', 'exp_needs', 'exp_reliability',
      'qual_overall', 'qual_custom', 'qual_reliability',
      'value_price', 'value_quality',
      'sat_overall', 'sat_expect', 'sat_ideal',
      'loyal_repurchase', 'loyal_price_tolerance',
    ];
    for (const id of ratingIds) {
      const question = byId.get(id);
      expect(question, id).toMatchObject({ type: 'rating', scale: '1-10' });
      expect(question?.type === 'rating' && question.labels, id).toBeTruthy();
    }
  });

  it('asks whether the customer complained, and about the handling only if they did', () => {
    expect(byId.get('complained')).toMatchObject({ type: 'single_choice', options: [{ id: 'yes' }, { id: 'no' }] });
    const ids = (complained: string) => visibleQuestions(survey, answerEverything(survey, { complained })).map((q) => q.id);
    expect(ids('yes')).toContain('complaint_handling');
    expect(ids('no')).not.toContain('complaint_handling');
  });
});

describe('complaint-form', () => {
  const byId = new Map(templates['complaint-form'].questions.map((question) => [question.id, question]));
  const optionIds = (id: string) => {
    const question = byId.get(id);
    return question?.type === 'single_choice' ? question.options.map((option) => option.id) : [];
  };

  it('collects category, severity, description, desired outcome and contact consent', () => {
    expect(optionIds('category')).toEqual(['product_quality', 'delivery', 'billing', 'staff_attitude', 'service', 'other']);
    expect(optionIds('severity')).toEqual(['minor', 'major']);
    expect(optionIds('desired_outcome')).toEqual(['refund', 'replacement', 'repair', 'apology', 'explanation', 'other']);
    expect(byId.get('description')).toMatchObject({ type: 'text', required: true, maxLength: 2000 });
    expect(byId.get('contact_consent')).toMatchObject({ type: 'consent' });
  });

  it('asks for name, email and phone only once consent is ticked, and checks their format', () => {
    const definition = templates['complaint-form'];
    const base: Answers = { category: 'delivery', severity: 'minor', description: 'Late', desired_outcome: 'apology' };
    const shown = (answers: Answers) => visibleQuestions(definition, answers).map((question) => question.id);
    expect(shown({ ...base, contact_consent: false })).not.toContain('contact_email');
    expect(shown({ ...base, contact_consent: true }).slice(-3)).toEqual(['contact_name', 'contact_email', 'contact_phone']);
    const checked = validateAnswers(definition, { ...base, contact_consent: true, contact_name: '李伟', contact_email: 'li.wei@', contact_phone: '12' });
    expect(checked.ok ? {} : checked.errors).toEqual({
      contact_email: { en: 'Enter an email address, like name@example.com.', 'zh-CN': '请输入有效的电子邮件地址，例如 name@example.com。' },
      contact_phone: {
        en: 'Enter a phone number: 5 to 20 digits, with spaces, +, - or parentheses if you like.',
        'zh-CN': '请输入电话号码：5 到 20 位数字，可含空格、+、- 或括号。',
      },
    });
  });
});

describe('follow-up', () => {
  it('asks exactly: satisfied with the handling (1-5), resolved (yes / partly / no), buy again (1-5), and an optional comment', () => {
    const questions = templates['follow-up'].questions;
    expect(questions.map((question) => [question.id, question.type, question.required])).toEqual([
      ['handling_csat', 'csat', true],
      ['resolved', 'single_choice', true],
      ['buy_again', 'rating', true],
      ['comment', 'text', false],
    ]);
    expect(scaleOf(questions[0] as Extract<Question, { type: 'csat' }>)).toEqual({ min: 1, max: 5 });
    expect(questions[1]?.type === 'single_choice' && questions[1].options.map((option) => option.id)).toEqual(['yes', 'partly', 'no']);
    expect(questions[2]).toMatchObject({ scale: '1-5' });
  });
});
