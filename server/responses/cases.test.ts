import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { templates } from '../../surveys/templates/index.ts';
import { defaultComplaintSettings } from '../complaints/settings.ts';
import { caseChannelOf, caseIntentOf, categoryFor } from './cases.ts';
import type { NewResponse } from './intake.ts';

const response = (answers: Record<string, unknown>, extra: Partial<NewResponse> = {}): NewResponse => ({
  id: 'r1',
  surveyId: 's1',
  versionId: 'v1',
  channel: 'web',
  locale: 'en',
  answers,
  startedAt: null,
  submittedAt: 0,
  durationMs: null,
  interviewerId: null,
  hiddenFields: null,
  ...extra,
});

describe('caseChannelOf', () => {
  const table: [channel: NewResponse['channel'], interviewer: string | null, expected: string][] = [
    ['web', null, 'web'],
    ['onsite', null, 'onsite'],
    ['phone', 'interviewer-1', 'phone'],
    ['mail', 'keyer-1', 'mail'],
    ['mail', null, 'web'],
  ];
  it.each(table)('%s answered by %s is a %s case', (channel, interviewerId, expected) => {
    expect(caseChannelOf({ channel, interviewerId })).toBe(expected);
  });
});

describe('categoryFor', () => {
  const settings = defaultComplaintSettings('Asia/Shanghai');
  const retiredService = { ...settings, categories: settings.categories.map((category) => (category.key === 'service' ? { ...category, retired: true } : category)) };
  const table: [name: string, value: typeof settings, answer: string | null, fallback: string | null, expected: string][] = [
    ['a settings key as it is', settings, 'delivery', null, 'delivery'],
    ['the template\'s product_quality as product', settings, 'product_quality', null, 'product'],
    ['an unknown option as other', settings, 'weather', null, 'other'],
    ['no answer, with a fallback', settings, null, 'service', 'service'],
    ['a retired category as other', retiredService, 'service', null, 'other'],
    ['a retired fallback as other', retiredService, null, 'service', 'other'],
  ];
  it.each(table)('%s', (_name, value, answer, fallback, expected) => {
    expect(categoryFor(value, answer, fallback)).toBe(expected);
  });
});

describe('caseIntentOf', () => {
  const form = templates['complaint-form'] as SurveyDefinition;
  it('maps the complaint form\'s answers to a case draft in the response\'s language', () => {
    const intent = caseIntentOf(
      form,
      response(
        { category: 'billing', severity: 'minor', description: '  Charged twice. ', desired_outcome: 'refund', contact_consent: true, contact_phone: '138 0013 8000' },
        { locale: 'zh-CN', customerId: 'c1', channel: 'phone', interviewerId: 'u1' },
      ),
    );
    expect(intent).toMatchObject({
      kind: 'form',
      draft: {
        source: 'form',
        channel: 'phone',
        categoryAnswer: 'billing',
        severity: 'minor',
        description: 'Charged twice.',
        desiredOutcome: '退款',
        locale: 'zh-CN',
        customerId: 'c1',
        contactEmail: null,
        contactPhone: '138 0013 8000',
        contactConsent: true,
        contactChannel: 'phone',
        responseId: 'r1',
        actor: { type: 'staff', id: 'u1' },
      },
    });
  });

  it('asks nothing of a satisfaction survey without rules or whose rules do not fire', () => {
    const csat = templates['transactional-csat'] as SurveyDefinition;
    expect(caseIntentOf(csat, response({ csat: 1 }))).toBeNull();
    const ruled = { ...csat, loopRules: [{ id: 'low', kind: 'csat_at_most' as const, question: 'csat', value: 2 }] };
    expect(caseIntentOf(ruled, response({ csat: 3 }))).toBeNull();
    expect(caseIntentOf(ruled, response({ csat: 2 }))).toMatchObject({ kind: 'rules', ruleIds: ['low'], draft: { source: 'survey_rule', ruleIds: ['low'] } });
  });
});
