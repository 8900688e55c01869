// The responses explorer's calls. Its answers' types come from the server, type-only; the filters are the
// page's own query string passed on as it is (answer= may repeat), so the page's address and the API agree.
import type { explorerOptions, explorerPage, explorerSummary, explorerSurveys } from '../../../server/responses/explorer.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { request } from '../../api.ts';

export type ExplorerOptions = Awaited<ReturnType<typeof explorerOptions>>;
export type ExplorerSummary = Awaited<ReturnType<typeof explorerSummary>>;
export type QuestionSummary = ExplorerSummary['questions'][number];
export type ExplorerPage = Awaited<ReturnType<typeof explorerPage>>;
export type ExplorerRow = ExplorerPage['responses'][number];

const base = (surveyId: string) => `/api/surveys/${encodeURIComponent(surveyId)}`;
const join = (path: string, query: string, extra = '') => {
  const parts = [query, extra].filter(Boolean).join('&');
  return parts ? `${path}?${parts}` : path;
};

export const explorerApi = {
  options: (surveyId: string) => request<ExplorerOptions>('GET', `${base(surveyId)}/explorer/options`),
  summary: (surveyId: string, query: string) => request<ExplorerSummary>('GET', join(`${base(surveyId)}/explorer/summary`, query)),
  page: (surveyId: string, query: string, before?: string) =>
    request<ExplorerPage>('GET', join(`${base(surveyId)}/explorer/responses`, query, before ? `before=${encodeURIComponent(before)}` : '')),
};

/** The CSV of exactly the filtered set, headers in the language on screen (a plain link cannot send x-locale). */
export const explorerCsvHref = (surveyId: string, query: string, lang: Locale) => join(`${base(surveyId)}/responses.csv`, query, `lang=${lang}`);

export type ExplorerSurveys = Awaited<ReturnType<typeof explorerSurveys>>;
export const explorerSurveysApi = {
  list: () => request<ExplorerSurveys>('GET', '/api/explorer/surveys'),
};
