import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from './definition.ts';
import { answerColumns } from './export.ts';

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const v1 = {
  kind: 'satisfaction',
  title: text('S', 'S'),
  questions: [
    { id: 'old', type: 'text', title: text('Old question', '旧问题'), required: false, maxLength: 100 },
    { id: 'csat', type: 'csat', title: text('Satisfied?', '满意吗？'), required: true },
  ],
} as unknown as SurveyDefinition;
const v2 = {
  kind: 'satisfaction',
  title: text('S', 'S'),
  questions: [
    { id: 'csat', type: 'csat', title: text('How satisfied?', '有多满意？'), required: true },
    { id: 'speed', type: 'expectation_experience', attribute: 'service', scale: '1-7', withImportance: true, title: text('Speed', '速度'), required: false },
    { id: 'how', type: 'single_choice', title: text('How?', '方式？'), options: [{ id: 'web', label: text('Online', '网上') }], required: false },
    { id: 'ok', type: 'consent', title: text('May we call?', '可以回访吗？'), required: false },
  ],
} as unknown as SurveyDefinition;

describe('response columns', () => {
  it('take the newest version’s questions first, then those only older versions asked', () => {
    expect(answerColumns([v2, v1], 'en').map((column) => column.header)).toEqual([
      'csat How satisfied?',
      'speed Speed (expectation)',
      'speed Speed (experience)',
      'speed Speed (importance)',
      'how How?',
      'ok May we call?',
      'old Old question',
    ]);
    expect(answerColumns([v2], 'zh-CN')[1]!.header).toBe('speed 速度 (期望)');
  });

  it('write numbers as numbers and options by their label, blank when unanswered', () => {
    const cells = (answers: Record<string, unknown>, locale: 'en' | 'zh-CN' = 'en') =>
      answerColumns([v2, v1], locale).map((column) => column.cell(answers as never));
    expect(cells({ csat: 4, speed: { expectation: 5, experience: 6, importance: 7 }, how: 'web', ok: true, old: 'fine' })).toEqual([
      '4', '5', '6', '7', 'Online', 'Yes', 'fine',
    ]);
    expect(cells({ csat: 2, ok: false }, 'zh-CN')).toEqual(['2', '', '', '', '', '否', '']);
  });
});
