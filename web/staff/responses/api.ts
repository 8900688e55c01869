// The responses API as the staff app calls it: one response, and the explorer's surveys, filter options,
// summary and pages. The explorer's filters are the page's own query string passed on as it is (answer= may
// repeat), so the page's address and the API agree.
import type { responseRoutes } from '../../../server/responses/routes.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { request, type Answer } from '../request.ts';

type Routes = ReturnType<typeof responseRoutes>;
export type ResponseDetail = Answer<Routes, '/responses/:id', '$get'>;
export type ExplorerSurveys = Answer<Routes, '/explorer/surveys', '$get'>;
export type ExplorerOptions = Answer<Routes, '/surveys/:id/explorer/options', '$get'>;
export type ExplorerSummary = Answer<Routes, '/surveys/:id/explorer/summary', '$get'>;
export type QuestionSummary = ExplorerSummary['questions'][number];
export type ExplorerPage = Answer<Routes, '/surveys/:id/explorer/responses', '$get'>;
export type ExplorerRow = ExplorerPage['responses'][number];

const surveyPath = (surveyId: string) => `/api/surveys/${encodeURIComponent(surveyId)}`;
const withQuery = (path: string, query: string, extra = '') => {
  const parts = [query, extra].filter(Boolean).join('&');
  return parts ? `${path}?${parts}` : path;
};

export const responsesApi = {
  response: (id: string) => request<ResponseDetail>('GET', `/api/responses/${encodeURIComponent(id)}`),
  explorerSurveys: () => request<ExplorerSurveys>('GET', '/api/explorer/surveys'),
  /** With the customer a filter names, to show their name. */
  explorerOptions: (surveyId: string, customerId?: string) =>
    request<ExplorerOptions>('GET', withQuery(`${surveyPath(surveyId)}/explorer/options`, customerId ? `customer=${encodeURIComponent(customerId)}` : '')),
  summary: (surveyId: string, query: string) => request<ExplorerSummary>('GET', withQuery(`${surveyPath(surveyId)}/explorer/summary`, query)),
  page: (surveyId: string, query: string, before?: string) =>
    request<ExplorerPage>('GET', withQuery(`${surveyPath(surveyId)}/explorer/responses`, query, before ? `before=${encodeURIComponent(before)}` : '')),
};

/** The CSV of exactly the filtered set, headers in the language on screen (a plain link cannot send x-locale). */
export const explorerCsvHref = (surveyId: string, query: string, lang: Locale) => withQuery(`${surveyPath(surveyId)}/responses.csv`, query, `lang=${lang}`);
