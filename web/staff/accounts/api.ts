// The accounts API as the staff app calls it: the session, the first setup, staff invites and users, and the
// calls the users page needs to move a departing person's cases and customers (who can take them; move them).
import type { accountRoutes } from '../../../server/accounts/routes.ts';
import type { complaintRoutes } from '../../../server/complaints/routes.ts';
import type { followUpRoutes } from '../../../server/loyalty/follow-up-routes.ts';
import type { Role } from '../../../server/accounts/service.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { request, type Answer } from '../request.ts';

type Routes = typeof accountRoutes;
type ComplaintRoutes = typeof complaintRoutes;
type FollowUpRoutes = typeof followUpRoutes;
export type SessionInfo = Answer<Routes, '/session', '$get'>;
export type StaffUser = SessionInfo['user'];
export type { Role };
/** A staff account in the users list, with the complaint cases it still holds (openCases). */
export type ListedUser = Answer<Routes, '/users', '$get'>['users'][number];
/** Someone complaint cases can be given to. */
export type CaseAgent = Answer<ComplaintRoutes, '/complaints/agents', '$get'>['agents'][number];
export type PendingStaffInvite = Answer<Routes, '/staff-invites', '$get'>['invites'][number];
export const roles: Role[] = ['admin', 'manager', 'support', 'interviewer'];

export const accountsApi = {
  /** Who is signed in, or null: answered 200 either way. */
  currentSession: () => request<Answer<Routes, '/session/current', '$get'>>('GET', '/api/session/current'),
  login: (input: { email: string; password: string }) => request<Answer<Routes, '/session', '$post'>>('POST', '/api/session', input),
  /** Saves the language chosen on screen with the signed-in account; answers the account. */
  saveLocale: (locale: Locale) => request<Answer<Routes, '/session/locale', '$put'>>('PUT', '/api/session/locale', { locale }),
  logout: () => request<Answer<Routes, '/session', '$delete'>>('DELETE', '/api/session'),

  setupStatus: () => request<Answer<Routes, '/setup', '$get'>>('GET', '/api/setup'),
  setup: (input: { token: string; email: string; name: string; password: string }) =>
    request<Answer<Routes, '/setup', '$post'>>('POST', '/api/setup', input),
  acceptStaffInvite: (input: { token: string; name: string; password: string }) =>
    request<Answer<Routes, '/staff-invites/accept', '$post'>>('POST', '/api/staff-invites/accept', input),

  users: () => request<Answer<Routes, '/users', '$get'>>('GET', '/api/users'),
  staffInvites: () => request<Answer<Routes, '/staff-invites', '$get'>>('GET', '/api/staff-invites'),
  /** emailed: true when the server has SMTP and queued an email with the link. */
  createStaffInvite: (input: { email: string; role: Role; locale?: Locale }) =>
    request<Answer<Routes, '/staff-invites', '$post'>>('POST', '/api/staff-invites', input),
  revokeStaffInvite: (id: string) =>
    request<Answer<Routes, '/staff-invites/:id', '$delete'>>('DELETE', `/api/staff-invites/${encodeURIComponent(id)}`),
  updateUser: (id: string, input: { active?: boolean; role?: Role }) =>
    request<Answer<Routes, '/users/:id', '$patch'>>('PATCH', `/api/users/${encodeURIComponent(id)}`, input),

  caseAgents: () => request<Answer<ComplaintRoutes, '/complaints/agents', '$get'>>('GET', '/api/complaints/agents'),
  /** Shares every case the person still holds among the agents named, in turn; answers how many went to whom. */
  reassignCases: (input: { fromUserId: string; toUserIds: string[] }) =>
    request<Answer<ComplaintRoutes, '/complaints/reassign', '$post'>>('POST', '/api/complaints/reassign', input),
  /** Moves every customer the person owns to the people named (one takes all; several in turn); answers how many went to whom. */
  reassignCustomers: (input: { fromUserId: string; toUserIds: string[] }) =>
    request<Answer<FollowUpRoutes, '/owners/reassign', '$post'>>('POST', '/api/owners/reassign', input),
};
