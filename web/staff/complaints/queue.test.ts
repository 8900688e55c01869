import { describe, expect, test } from 'vitest';
import { apiQueryOfView, clearedFilters, isFiltered, queryOfView, viewFromQuery, withFilter, type QueueView } from './queue.ts';

const empty: QueueView = { queue: 'mine', category: null, severity: null, channel: null, surveyId: null, tier: null, status: null, q: '' };

describe('a queue in the URL', () => {
  test('an empty query is the role’s own tab with nothing filtered', () => {
    expect(viewFromQuery({}, 'mine')).toEqual(empty);
    expect(viewFromQuery({}, 'all').queue).toBe('all');
  });

  test('every filter is read, trimmed, and written back in a fixed order', () => {
    const query = { queue: 'at_risk', category: 'billing', severity: 'major', channel: 'email', surveyId: 's1', tier: 'vip', status: 'waiting', q: ' C-2026-000123 ' };
    const view = viewFromQuery(query, 'mine');
    expect(view).toEqual({ queue: 'at_risk', category: 'billing', severity: 'major', channel: 'email', surveyId: 's1', tier: 'vip', status: 'waiting', q: 'C-2026-000123' });
    expect(Object.keys(queryOfView(view, 'mine'))).toEqual(['queue', 'category', 'severity', 'channel', 'surveyId', 'tier', 'status', 'q']);
    expect(viewFromQuery(queryOfView(view, 'mine') as Record<string, string>, 'mine')).toEqual(view);
  });

  test('unknown tabs and values not on offer fall back instead of failing', () => {
    const view = viewFromQuery({ queue: 'everything', severity: 'huge', channel: 'fax', tier: 'gold', status: 'lost', category: '' }, 'mine');
    expect(view).toEqual(empty);
    // A tab the role does not have is not offered, even when named.
    expect(viewFromQuery({ queue: 'unassigned' }, 'all', ['all']).queue).toBe('all');
    // A repeated parameter counts once.
    expect(viewFromQuery({ severity: ['minor', 'major'] }, 'mine').severity).toBe('minor');
  });

  test('the role’s own tab and "any" are left out of the URL, but the API is always told the tab', () => {
    expect(queryOfView(empty, 'mine')).toEqual({ queue: undefined, category: undefined, severity: undefined, channel: undefined, surveyId: undefined, tier: undefined, status: undefined, q: undefined });
    expect(queryOfView({ ...empty, queue: 'breached' }, 'mine').queue).toBe('breached');
    expect(apiQueryOfView(empty).queue).toBe('mine');
    expect(apiQueryOfView({ ...empty, queue: 'all', severity: 'major' })).toMatchObject({ queue: 'all', severity: 'major', category: undefined });
  });

  test('one filter changes and the others stay; clearing keeps the tab', () => {
    const view: QueueView = { ...empty, queue: 'waiting', severity: 'major', q: 'refund' };
    expect(withFilter(view, 'mine', 'channel', 'phone')).toMatchObject({ queue: 'waiting', severity: 'major', channel: 'phone', q: 'refund' });
    expect(withFilter(view, 'mine', 'severity', '')).toMatchObject({ severity: undefined, q: 'refund' });
    expect(withFilter(view, 'mine', 'queue', 'mine').queue).toBeUndefined();
    const cleared = clearedFilters(view, 'mine');
    expect(cleared.queue).toBe('waiting');
    expect(Object.values(cleared).filter((value) => value !== undefined)).toEqual(['waiting']);
  });

  test('a search or a filter counts as narrowing; the tab does not', () => {
    expect(isFiltered({ ...empty, queue: 'breached' })).toBe(false);
    expect(isFiltered({ ...empty, tier: 'vip' })).toBe(true);
    expect(isFiltered({ ...empty, q: 'x' })).toBe(true);
  });
});
