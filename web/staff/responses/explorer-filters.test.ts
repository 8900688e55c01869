import { describe, expect, it } from 'vitest';
import { answerFilter, filtersOf, paramsOf, parseAnswer, queryOf, testsFor } from './explorer-filters.ts';

describe('the explorer filters in the address', () => {
  it('reads repeated answer filters and a channel list, and writes them back in one order', () => {
    const filters = filtersOf({ channel: 'web,phone', answer: ['nps:le:6', 'reason:eq:price'], q: '服务', segment: '' });
    expect(filters).toMatchObject({ channel: ['web', 'phone'], answer: ['nps:le:6', 'reason:eq:price'], q: '服务', segment: undefined });
    expect(queryOf(filters)).toBe('channel=web%2Cphone&q=%E6%9C%8D%E5%8A%A1&answer=nps%3Ale%3A6&answer=reason%3Aeq%3Aprice');
    expect(paramsOf(filtersOf({ answer: 'nps:le:6' }))).toMatchObject({ answer: ['nps:le:6'], channel: null, from: null });
  });

  it('takes answer filters apart and puts them together again', () => {
    expect(parseAnswer('ee_service.c:lt:0.9')).toEqual({ question: 'ee_service', part: 'c', test: 'lt', value: '0.9' });
    expect(parseAnswer('comment:answered')).toEqual({ question: 'comment', test: 'answered' });
    expect(parseAnswer('not a filter')).toBeNull();
    expect(answerFilter({ question: 'nps', test: 'le', value: '6' })).toBe('nps:le:6');
    expect(answerFilter({ question: 'comment', test: 'answered', value: 'ignored' })).toBe('comment:answered');
  });

  it('offers the tests each kind of question can take', () => {
    const title = { en: 'T', 'zh-CN': 'T' };
    expect(testsFor({ id: 'c', type: 'text', title, required: false, maxLength: 10, multiline: false })).toEqual(['answered', 'unanswered']);
    expect(testsFor({ id: 'p', type: 'expectation_experience', title, required: false, attribute: 'service', scale: '1-10', withImportance: false }, 'c')).toEqual(['lt', 'le', 'gt', 'ge']);
  });
});
