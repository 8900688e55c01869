// The surveys API as the staff app calls it: templates, surveys, drafts, publishing and closing.
import type { surveyRoutes } from '../../../server/surveys/routes.ts';
import type { SurveyDefinition } from '../../../surveys/definition.ts';
import { request, type Answer } from '../request.ts';

type Routes = typeof surveyRoutes;
export type TemplateInfo = Answer<Routes, '/templates', '$get'>['templates'][number];
export type SurveySummary = Answer<Routes, '/surveys', '$get'>['surveys'][number];
export type SurveyDetail = Answer<Routes, '/surveys/:id', '$get'>['survey'];
export type SurveyStatus = SurveySummary['status'];

const path = (id: string) => `/api/surveys/${encodeURIComponent(id)}`;

export const surveysApi = {
  templates: () => request<Answer<Routes, '/templates', '$get'>>('GET', '/api/templates'),
  surveys: () => request<Answer<Routes, '/surveys', '$get'>>('GET', '/api/surveys'),
  createSurvey: (input: { templateId?: string; slug?: string; definition?: SurveyDefinition }) =>
    request<Answer<Routes, '/surveys', '$post'>>('POST', '/api/surveys', input),
  survey: (id: string) => request<Answer<Routes, '/surveys/:id', '$get'>>('GET', path(id)),
  saveDraft: (id: string, input: { definition: SurveyDefinition; slug?: string }) =>
    request<Answer<Routes, '/surveys/:id/draft', '$put'>>('PUT', `${path(id)}/draft`, input),
  publish: (id: string) => request<Answer<Routes, '/surveys/:id/publish', '$post'>>('POST', `${path(id)}/publish`),
  close: (id: string) => request<Answer<Routes, '/surveys/:id/close', '$post'>>('POST', `${path(id)}/close`),
  reopen: (id: string) => request<Answer<Routes, '/surveys/:id/reopen', '$post'>>('POST', `${path(id)}/reopen`),
};
