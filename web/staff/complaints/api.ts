// The complaints API as the staff app calls it. Types come from the server, type-only.
import type { complaintRoutes } from '../../../server/complaints/routes.ts';
import { queryString, request, type Answer } from '../request.ts';

type Routes = typeof complaintRoutes;

export type QueuePage = Answer<Routes, '/complaints/cases', '$get'>;
export type QueueRow = QueuePage['cases'][number];
export type CaseAnswer = Answer<Routes, '/complaints/cases/:id', '$get'>;
export type CaseDetail = CaseAnswer['case'];
export type CaseEvent = CaseAnswer['events'][number];
export type ComplaintSettings = Answer<Routes, '/complaints/settings', '$get'>['settings'];
export type Macro = Answer<Routes, '/complaints/macros', '$get'>['macros'][number];
export type Agent = Answer<Routes, '/complaints/agents', '$get'>['agents'][number];
export type NewCase = Parameters<typeof complaintsApi.create>[0];

const casePath = (id: string) => `/api/complaints/cases/${encodeURIComponent(id)}`;

export const complaintsApi = {
  list: (query: Record<string, string | undefined>, before?: string) =>
    request<QueuePage>('GET', `/api/complaints/cases${queryString({ ...query, before })}`),
  get: (id: string) => request<CaseAnswer>('GET', casePath(id)),
  create: (input: Record<string, unknown>) => request<Answer<Routes, '/complaints/cases', '$post'>>('POST', '/api/complaints/cases', input),
  edit: (id: string, input: { version: number; category?: string; severity?: 'minor' | 'major' }) =>
    request<Answer<Routes, '/complaints/cases/:id', '$patch'>>('PATCH', casePath(id), input),
  transition: (id: string, input: { action: string; version: number; reason?: string }) =>
    request<Answer<Routes, '/complaints/cases/:id/transitions', '$post'>>('POST', `${casePath(id)}/transitions`, input),
  note: (id: string, input: { body: string }) =>
    request<Answer<Routes, '/complaints/cases/:id/notes', '$post'>>('POST', `${casePath(id)}/notes`, input),
  reply: (id: string, input: { body: string; version: number }) =>
    request<Answer<Routes, '/complaints/cases/:id/replies', '$post'>>('POST', `${casePath(id)}/replies`, input),
  assign: (id: string, input: { assigneeId: string | null; version: number }) =>
    request<Answer<Routes, '/complaints/cases/:id/assign', '$post'>>('POST', `${casePath(id)}/assign`, input),
  bulkAssign: (input: { ids: string[]; assigneeId: string }) =>
    request<Answer<Routes, '/complaints/assign', '$post'>>('POST', '/api/complaints/assign', input),
  /** A new status page link for the customer; the old one shows nothing from then on. */
  renewStatusLink: (id: string, input: { version: number }) =>
    request<Answer<Routes, '/complaints/cases/:id/status-link', '$post'>>('POST', `${casePath(id)}/status-link`, input),
  /** Managers and admins: every case one person holds, shared out among others in turn. */
  reassign: (input: { fromUserId: string; toUserIds: string[] }) => request<Answer<Routes, '/complaints/reassign', '$post'>>('POST', '/api/complaints/reassign', input),
  merge: (id: string, input: { intoId: string; version: number }) =>
    request<Answer<Routes, '/complaints/cases/:id/merge', '$post'>>('POST', `${casePath(id)}/merge`, input),
  agents: () => request<Answer<Routes, '/complaints/agents', '$get'>>('GET', '/api/complaints/agents'),
  macros: () => request<Answer<Routes, '/complaints/macros', '$get'>>('GET', '/api/complaints/macros'),
  createMacro: (input: Record<string, unknown>) => request<Answer<Routes, '/complaints/macros', '$post'>>('POST', '/api/complaints/macros', input),
  updateMacro: (id: string, input: Record<string, unknown>) =>
    request<Answer<Routes, '/complaints/macros/:id', '$put'>>('PUT', `/api/complaints/macros/${encodeURIComponent(id)}`, input),
  deleteMacro: (id: string) => request<Answer<Routes, '/complaints/macros/:id', '$delete'>>('DELETE', `/api/complaints/macros/${encodeURIComponent(id)}`),
  settings: () => request<Answer<Routes, '/complaints/settings', '$get'>>('GET', '/api/complaints/settings'),
  saveSettings: (settings: ComplaintSettings) => request<Answer<Routes, '/complaints/settings', '$put'>>('PUT', '/api/complaints/settings', settings),
};
