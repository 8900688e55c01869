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
    expect(changesOf(null, { severity: 'major' })).toEqual([{ field: 'severity', from: undefined, to: 'major' }]);
    expect(changesOf({ desiredOutcome: 'refund' }, {})).toEqual([{ field: 'desiredOutcome', from: 'refund', to: undefined }]);
  });

  test('ids and the resolution cycle are left out; an assignee is named', () => {
    expect(changesOf({ assigneeId: null }, { assigneeId: 'u1', assigneeName: 'Wang Fang' })).toEqual([{ field: 'assigneeId', from: null, to: 'Wang Fang' }]);
    expect(changesOf({ mergedInto: null }, { mergedInto: 'c2', reference: 'C-2026-000002' })).toEqual([{ field: 'reference', from: undefined, to: 'C-2026-000002' }]);
    expect(changesOf(null, { cycle: 1, runAt: 5, duplicateId: 'c3', previousCaseId: 'c0' })).toEqual([{ field: 'runAt', from: undefined, to: 5 }]);
  });

  test('lists and objects compare by value', () => {
    expect(changesOf({ deadlinesMissed: ['first_response'] }, { deadlinesMissed: ['first_response'] })).toEqual([]);
    expect(changesOf({ deadlinesMissed: [] }, { deadlinesMissed: ['resolution'] })).toHaveLength(1);
  });
});
