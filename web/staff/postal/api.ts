// The postal pages' calls: opening a returned form by its code, keying it in, settling a second keying.
import type { Answers } from '../../../surveys/answers.ts';
import { request } from '../request.ts';
import type { KeyingForm, KeyingOutcome, keyingProgress } from '../../../server/postal/keying.ts';
import type { KeyingDifference } from '../../../server/postal/rules.ts';

export type { KeyingDifference, KeyingForm, KeyingOutcome };
export type KeyingProgress = Awaited<ReturnType<typeof keyingProgress>>;

const codePath = (code: string) => `/api/keying/${encodeURIComponent(code.trim())}`;

export const postalApi = {
  form: (code: string) => request<KeyingForm>('GET', codePath(code)),
  /** 201 stored, 200 a retry of a stored keying, 202 first of two keyings kept; differences come as a 409 ApiError. */
  key: (code: string, input: { answers: Answers; responseId: string }) => request<KeyingOutcome>('POST', codePath(code), input),
  resolve: (code: string, input: { answers: Answers; responseId: string }) =>
    request<KeyingOutcome>('POST', `${codePath(code)}/resolve`, input),
  progress: (campaignId: string) => request<KeyingProgress>('GET', `/api/keying/campaigns/${encodeURIComponent(campaignId)}`),
  lettersHref: (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}/letters.pdf`,
};
