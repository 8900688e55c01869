import { describe, expect, it } from 'vitest';
import { formatCount, numberFormat } from './numbers.ts';

describe('formatCount', () => {
  it('groups thousands as each language writes them', () => {
    expect(formatCount(10_003, 'en')).toBe('10,003');
    expect(formatCount(10_003, 'zh-CN')).toBe('10,003');
    expect(formatCount(5, 'en')).toBe('5');
    expect(formatCount(1_234_567.5, 'en')).toBe('1,234,567.5');
  });
  it('keeps the decimals asked for, and a sign when asked', () => {
    expect(numberFormat('en', 1).format(72.44)).toBe('72.4');
    expect(numberFormat('en', 1, true).format(2.1)).toBe('+2.1');
  });
});
