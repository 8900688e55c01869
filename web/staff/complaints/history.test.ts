import { describe, expect, test } from 'vitest';
import { changesOf } from './history.ts';

describe('what an event changed', () => {
  test('each field that differs, as it was and as it became', () => {
    expect(changesOf({ status: 'new' }, { status: 'acknowledged' })).toEqual([{ field: 'status', from: 'new', to: 'acknowledged' }]);
  });

  test('fields that stayed the same are left out, null and missing count as the same', () => {
    expect(changesOf({ status: 'new', severity: 'major', assigneeId: null }, { status: 'new', severity: 'minor' })).toEqual([
      { field: 'severity', from: 'major', to: 'minor' },
    ]);
  });

  test('a field only after was set; a field only before was cleared', () => {
    expect(changesOf(null, { assigneeId: 'u1' })).toEqual([{ field: 'assigneeId', from: undefined, to: 'u1' }]);
    expect(changesOf({ mergedInto: 'c2' }, {})).toEqual([{ field: 'mergedInto', from: 'c2', to: undefined }]);
  });

  test('lists and objects compare by value', () => {
    expect(changesOf({ deadlinesMissed: ['first_response'] }, { deadlinesMissed: ['first_response'] })).toEqual([]);
    expect(changesOf({ deadlinesMissed: [] }, { deadlinesMissed: ['resolution'] })).toHaveLength(1);
  });
});
