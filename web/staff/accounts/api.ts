// The accounts API as the staff app calls it: the session, the first setup, invitations and users.
import type { accountRoutes } from '../../../server/accounts/routes.ts';
import type { Role } from '../../../server/accounts/service.ts';
import { request, type Answer } from '../request.ts';

type Routes = typeof accountRoutes;
export type SessionInfo = Answer<Routes, '/session', '$get'>;
export type StaffUser = SessionInfo['user'];
export type { Role };
export const roles: Role[] = ['admin', 'manager', 'support', 'interviewer'];

export const accountsApi = {
  session: () => request<SessionInfo>('GET', '/api/session'),
  login: (input: { email: string; password: string }) => request<Answer<Routes, '/session', '$post'>>('POST', '/api/session', input),
  logout: () => request<Answer<Routes, '/session', '$delete'>>('DELETE', '/api/session'),

  setupStatus: () => request<Answer<Routes, '/setup', '$get'>>('GET', '/api/setup'),
  setup: (input: { token: string; email: string; name: string; password: string }) =>
    request<Answer<Routes, '/setup', '$post'>>('POST', '/api/setup', input),
  acceptInvitation: (input: { token: string; name: string; password: string }) =>
    request<Answer<Routes, '/invitations/accept', '$post'>>('POST', '/api/invitations/accept', input),

  users: () => request<Answer<Routes, '/users', '$get'>>('GET', '/api/users'),
  invite: (input: { email: string; role: Role }) =>
    request<Answer<Routes, '/users/invitations', '$post'>>('POST', '/api/users/invitations', input),
  updateUser: (id: string, input: { active?: boolean; role?: Role }) =>
    request<Answer<Routes, '/users/:id', '$patch'>>('PATCH', `/api/users/${encodeURIComponent(id)}`, input),
};
