// The returned-form survey the postal tests key in: a rating, a choice, and a text shown only after a low rating.
import type { SurveyDefinition } from '../../surveys/definition.ts';

export const both = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const postalForm: SurveyDefinition = {
  kind: 'satisfaction',
  title: both('How did we do?', '我们做得怎么样？'),
  intro: both('Three short questions.', '三个简短的问题。'),
  questions: [
    { id: 'overall', type: 'rating', scale: '1-5', title: both('Overall satisfaction', '总体满意度'), required: true },
    {
      id: 'visit',
      type: 'single_choice',
      title: both('How did you buy?', '您是如何购买的？'),
      options: [
        { id: 'shop', label: both('In a shop', '门店') },
        { id: 'online', label: both('Online', '网上') },
      ],
      required: false,
    },
    {
      id: 'why',
      type: 'text',
      title: both('What went wrong?', '哪里做得不好？'),
      showIf: { question: 'overall', op: 'lte', value: 2 },
      maxLength: 1000,
      multiline: true,
      required: false,
    },
  ],
};
