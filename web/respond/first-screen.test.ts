import { describe, expect, it } from 'vitest';
import type { Question } from '../../surveys/definition.ts';
import { estimatedHeightPx, firstScreenCount, firstScreenPx } from './first-screen.ts';

const title = { 'zh-CN': '问题', en: 'Question' };
const pair = (id: string): Question => ({
  id,
  type: 'expectation_experience',
  required: true,
  title,
  attribute: 'product',
  scale: '1-7',
  withImportance: true,
});
const nps = (id: string): Question => ({ id, type: 'nps', required: true, title });
const comment = (id: string): Question => ({ id, type: 'text', required: false, title, maxLength: 500, multiline: true });

describe('firstScreenCount', () => {
  it('sends one expectation/experience question with importance: it fills a phone screen by itself', () => {
    expect(estimatedHeightPx(pair('a'))).toBeGreaterThanOrEqual(firstScreenPx);
    expect(firstScreenCount([pair('a'), pair('b'), nps('c')])).toBe(1);
  });

  it('sends short questions until the screen is full, and the one that crosses its edge', () => {
    expect(firstScreenCount([nps('a'), comment('b'), comment('c'), comment('d'), comment('e')])).toBe(3);
  });

  it('sends at least one question, and never more than there are', () => {
    expect(firstScreenCount([pair('a')], 10)).toBe(1);
    expect(firstScreenCount([nps('a')])).toBe(1);
    expect(firstScreenCount([])).toBe(0);
  });
});
