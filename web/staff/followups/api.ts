// The follow-up pages' typed calls to /api/follow-ups.
import type { followUpRoutes } from '../../../server/loyalty/follow-up-routes.ts';
import type { FollowUpKind, FollowUpOutcome } from '../../../server/loyalty/vocabulary.ts';
import type { FollowUpStatusFilter, FollowUpView } from '../../../server/loyalty/follow-ups.ts';
import { request, type Answer } from '../request.ts';

type Routes = typeof followUpRoutes;
export type { FollowUpKind, FollowUpOutcome, FollowUpStatusFilter, FollowUpView };
export type FollowUpPage = Answer<Routes, '/follow-ups', '$get'>;
export type ListedFollowUp = FollowUpPage['followUps'][number];
export type FollowUpCounts = Answer<Routes, '/follow-ups/counts', '$get'>;

export const followUpsApi = {
  list: (query: { view: FollowUpView; status: FollowUpStatusFilter; kind?: FollowUpKind; before?: string }) => {
    const params = new URLSearchParams({ view: query.view, status: query.status, limit: '50' });
    if (query.kind) params.set('kind', query.kind);
    if (query.before) params.set('before', query.before);
    return request<FollowUpPage>('GET', `/api/follow-ups?${params}`);
  },
  counts: () => request<FollowUpCounts>('GET', '/api/follow-ups/counts'),
  outcome: (id: string, input: { outcome: FollowUpOutcome; note?: string }) =>
    request<Answer<Routes, '/follow-ups/:id/outcome', '$post'>>('POST', `/api/follow-ups/${encodeURIComponent(id)}/outcome`, input),
};
