// The responses API as the staff app calls it: a survey's responses, newest first, and one response.
import type { responseRoutes } from '../../../server/responses/routes.ts';
import { request, type Answer } from '../request.ts';

type Routes = ReturnType<typeof responseRoutes>;
export type ResponsePage = Answer<Routes, '/surveys/:id/responses', '$get'>;
export type ResponseRow = ResponsePage['responses'][number];
export type ResponseDetail = Answer<Routes, '/responses/:id', '$get'>;

export const responsesApi = {
  responses: (id: string, before?: string) =>
    request<ResponsePage>('GET', `/api/surveys/${encodeURIComponent(id)}/responses${before ? `?before=${encodeURIComponent(before)}` : ''}`),
  response: (id: string) => request<ResponseDetail>('GET', `/api/responses/${encodeURIComponent(id)}`),
};
