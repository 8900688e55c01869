import { describe, expect, it } from 'vitest';
import { roles } from './accounts/api.ts';
import { homeOf, menu, menuFor } from './navigation.ts';

describe('where each role lands', () => {
  it('lands every role on the first page of its own menu', () => {
    expect(Object.fromEntries(roles.map((role) => [role, homeOf(role)]))).toEqual({
      admin: '/insights',
      manager: '/insights',
      support: '/complaints',
      interviewer: '/calls',
    });
    for (const role of roles) {
      expect(menuFor(role).length).toBeGreaterThan(0);
      expect(homeOf(role)).toBe(menuFor(role)[0]!.href);
    }
  });

  it('offers an interviewer calls, data entry, kiosks and the complaints they logged, and only those', () => {
    expect(menuFor('interviewer').map((entry) => entry.href)).toEqual(['/calls', '/keying', '/kiosks', '/complaints/logged']);
  });

  it('lands support on their complaints queue, with the customers, their follow-ups and the responses to explore', () => {
    expect(menuFor('support').map((entry) => entry.href)).toEqual(['/complaints', '/customers', '/follow-ups', '/responses']);
  });

  it('offers managers and admins the complaints, after the figures and surveys', () => {
    for (const role of ['admin', 'manager'] as const) expect(menuFor(role).map((entry) => entry.href).slice(0, 3)).toEqual(['/insights', '/surveys', '/complaints']);
  });

  it('names each page once', () => {
    expect(new Set(menu.map((entry) => entry.href)).size).toBe(menu.length);
  });
});
