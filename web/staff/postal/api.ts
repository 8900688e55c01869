// The postal pages' calls: opening a returned form by its code, keying it in, settling a second keying.
import type { Answers } from '../../../surveys/answers.ts';
import type { postalRoutes } from '../../../server/postal/routes.ts';
import type { KeyingDifference } from '../../../server/postal/rules.ts';
import { request, type Answer } from '../request.ts';

type Routes = typeof postalRoutes;
export type { KeyingDifference };
export type KeyingForm = Answer<Routes, '/keying/:code', '$get'>;
export type KeyingOutcome = Answer<Routes, '/keying/:code', '$post'>;
export type KeyingProgress = Answer<Routes, '/keying/campaigns/:id', '$get'>;

const codePath = (code: string) => `/api/keying/${encodeURIComponent(code.trim())}`;

export const postalApi = {
  form: (code: string) => request<KeyingForm>('GET', codePath(code)),
  /** 201 stored, 200 a retry of a stored keying, 202 first of two keyings kept; differences come as a 409 ApiError. */
  key: (code: string, input: { answers: Answers; responseId: string }) => request<KeyingOutcome>('POST', codePath(code), input),
  resolve: (code: string, input: { answers: Answers; responseId: string }) =>
    request<Answer<Routes, '/keying/:code/resolve', '$post'>>('POST', `${codePath(code)}/resolve`, input),
  progress: (campaignId: string) => request<KeyingProgress>('GET', `/api/keying/campaigns/${encodeURIComponent(campaignId)}`),
  lettersHref: (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}/letters.pdf`,
};
