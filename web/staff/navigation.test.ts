import { describe, expect, it } from 'vitest';
import { roles } from './accounts/api.ts';
import { homeOf, menu, menuFor } from './navigation.ts';

describe('where each role lands', () => {
  it('lands every role on the first page of its own menu', () => {
    expect(Object.fromEntries(roles.map((role) => [role, homeOf(role)]))).toEqual({
      admin: '/insights',
      manager: '/insights',
      support: '/customers',
      interviewer: '/calls',
    });
    for (const role of roles) {
      expect(menuFor(role).length).toBeGreaterThan(0);
      expect(homeOf(role)).toBe(menuFor(role)[0]!.href);
    }
  });

  it('offers an interviewer calls, data entry and kiosks, and only those', () => {
    expect(menuFor('interviewer').map((entry) => entry.href)).toEqual(['/calls', '/keying', '/kiosks']);
  });

  it('offers support the customers and the responses to explore', () => {
    expect(menuFor('support').map((entry) => entry.href)).toEqual(['/customers', '/responses']);
  });

  it('names each page once', () => {
    expect(new Set(menu.map((entry) => entry.href)).size).toBe(menu.length);
  });
});
