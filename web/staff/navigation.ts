// The staff app's menu, and where each role lands: one list, so a role lands on the first page its menu
// offers and never on a page it cannot use. Pure: no signals, so every role's menu and landing are tested.
import type { Role } from './accounts/api.ts';

const authors: readonly Role[] = ['admin', 'manager'];

export interface MenuEntry {
  href: string;
  /** Its word, under nav. in the dictionary. */
  word: 'insights' | 'surveys' | 'complaints' | 'complaintsLogged' | 'customers' | 'followUps' | 'responses' | 'campaigns' | 'calls' | 'keying' | 'kiosks' | 'outbox' | 'users' | 'integrations';
  roles: readonly Role[];
}

/** The menu in its order; the first entry a role has is its home. */
export const menu: readonly MenuEntry[] = [
  { href: '/insights', word: 'insights', roles: authors },
  { href: '/surveys', word: 'surveys', roles: authors },
  // Support agents land on their own queue of complaints.
  { href: '/complaints', word: 'complaints', roles: ['admin', 'manager', 'support'] },
  { href: '/customers', word: 'customers', roles: ['admin', 'manager', 'support'] },
  // Thank-you calls, VIP follow-ups and at-risk customers' tasks for their owners.
  { href: '/follow-ups', word: 'followUps', roles: ['admin', 'manager', 'support'] },
  // Managers reach a survey's responses from the survey; support, who has no survey list, from here.
  { href: '/responses', word: 'responses', roles: ['support'] },
  { href: '/campaigns', word: 'campaigns', roles: authors },
  { href: '/calls', word: 'calls', roles: ['admin', 'manager', 'interviewer'] },
  { href: '/keying', word: 'keying', roles: ['admin', 'manager', 'interviewer'] },
  { href: '/kiosks', word: 'kiosks', roles: ['admin', 'manager', 'interviewer'] },
  // Interviewers log complaints taken on calls and follow the cases they logged; calls stay their start page.
  { href: '/complaints/logged', word: 'complaintsLogged', roles: ['interviewer'] },
  { href: '/outbox', word: 'outbox', roles: authors },
  { href: '/users', word: 'users', roles: ['admin'] },
  { href: '/integrations', word: 'integrations', roles: ['admin'] },
];

export function menuFor(role: Role): MenuEntry[] {
  return menu.filter((entry) => entry.roles.includes(role));
}

/** Where a role lands after signing in or on opening the app: the first page of its menu. */
export function homeOf(role: Role): string {
  return menuFor(role)[0]?.href ?? '/';
}
