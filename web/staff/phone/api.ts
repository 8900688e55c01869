// The phone pages' typed calls to /api/calls.
import type { Answers } from '../../../surveys/answers.ts';
import type { Locale } from '../../../surveys/definition.ts';
import type { CallOutcome } from '../../../server/campaigns/vocabulary.ts';
import type { CallCampaignSummary, CallSheet, NextCall, recordOutcome } from '../../../server/phone/service.ts';
import { request } from '../request.ts';

export type { CallCampaignSummary, CallOutcome, CallSheet };

export type NextCallReply = ({ none: false } & CallSheet) | Extract<NextCall, { none: true }>;
export type OutcomeReply = Awaited<ReturnType<typeof recordOutcome>>;

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
  campaigns: () => request<{ campaigns: CallCampaignSummary[] }>('GET', '/api/calls'),
  next: (campaignId: string) => request<NextCallReply>('POST', `/api/calls/${path(campaignId)}/next`),
  renew: (invitationId: string) => request<{ claimedUntil: string }>('POST', `/api/calls/invitations/${path(invitationId)}/claim`),
  outcome: (invitationId: string, input: OutcomeRequest) =>
    request<OutcomeReply>('POST', `/api/calls/invitations/${path(invitationId)}/outcome`, input),
};
