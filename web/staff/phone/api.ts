// The phone pages' typed calls to /api/calls.
import type { Answers } from '../../../surveys/answers.ts';
import type { Locale } from '../../../surveys/definition.ts';
import type { CallOutcome } from '../../../server/campaigns/vocabulary.ts';
import type { phoneRoutes } from '../../../server/phone/routes.ts';
import { request, type Answer } from '../request.ts';

type Routes = typeof phoneRoutes;
export type { CallOutcome };
export type CallCampaignSummary = Answer<Routes, '/calls', '$get'>['campaigns'][number];
export type NextCallReply = Answer<Routes, '/calls/:campaignId/next', '$post'>;
export type CallSheet = Extract<NextCallReply, { none: false }>;
export type OutcomeReply = Answer<Routes, '/calls/invitations/:id/outcome', '$post'>;

export interface OutcomeRequest {
  attemptId: string;
  outcome: CallOutcome;
  /** ISO time with offset. */
  callbackAt?: string;
  note?: string;
  answers?: Answers;
  responseId?: string;
  locale?: Locale;
  startedAt?: number;
}

const path = (id: string) => encodeURIComponent(id);

export const phoneApi = {
  campaigns: () => request<Answer<Routes, '/calls', '$get'>>('GET', '/api/calls'),
  next: (campaignId: string) => request<NextCallReply>('POST', `/api/calls/${path(campaignId)}/next`),
  renew: (invitationId: string) => request<Answer<Routes, '/calls/invitations/:id/claim', '$post'>>('POST', `/api/calls/invitations/${path(invitationId)}/claim`),
  outcome: (invitationId: string, input: OutcomeRequest) =>
    request<OutcomeReply>('POST', `/api/calls/invitations/${path(invitationId)}/outcome`, input),
};
