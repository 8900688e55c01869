// The campaigns API as the staff app calls it. Types come from the server, type-only.
import type { campaignRoutes } from '../../../server/campaigns/routes.ts';
import type { CampaignInput, CampaignUpdate, ContactRuleSettings, InvitationState } from '../../../server/campaigns/types.ts';
import type { Audience } from '../../../server/campaigns/vocabulary.ts';
import { queryString, request, type Answer } from '../request.ts';

type Routes = typeof campaignRoutes;

export type {
  CampaignDetail,
  CampaignSummary,
  Funnel,
  FunnelRow,
  InvitationRow,
  InvitationState,
  SendingProgress,
} from '../../../server/campaigns/types.ts';

const path = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

export const campaignsApi = {
  list: (before?: string) => request<Answer<Routes, '/campaigns', '$get'>>('GET', `/api/campaigns${queryString({ before })}`),
  create: (input: CampaignInput) => request<Answer<Routes, '/campaigns', '$post'>>('POST', '/api/campaigns', input),
  get: (id: string) => request<Answer<Routes, '/campaigns/:id', '$get'>>('GET', path(id)),
  update: (id: string, input: CampaignUpdate) => request<Answer<Routes, '/campaigns/:id', '$put'>>('PUT', path(id), input),
  launch: (id: string) => request<Answer<Routes, '/campaigns/:id/launch', '$post'>>('POST', `${path(id)}/launch`),
  close: (id: string) => request<Answer<Routes, '/campaigns/:id/close', '$post'>>('POST', `${path(id)}/close`),
  audiencePreview: (audience: Audience) =>
    request<Answer<Routes, '/campaigns/audience-preview', '$get'>>('GET', `/api/campaigns/audience-preview${queryString({ ...audience })}`),
  invitations: (id: string, state: InvitationState, before?: string) =>
    request<Answer<Routes, '/campaigns/:id/invitations', '$get'>>('GET', `${path(id)}/invitations${queryString({ state, before })}`),
  funnel: (surveyId?: string) => request<Answer<Routes, '/campaigns/funnel', '$get'>>('GET', `/api/campaigns/funnel${queryString({ surveyId })}`),
  contactRule: () => request<Answer<Routes, '/settings/contact-rule', '$get'>>('GET', '/api/settings/contact-rule'),
  /** Admins only. */
  setContactRule: (rule: ContactRuleSettings) => request<Answer<Routes, '/settings/contact-rule', '$put'>>('PUT', '/api/settings/contact-rule', rule),
  /** A plain link: the server answers with the PDF of every letter. */
  lettersHref: (id: string) => `${path(id)}/letters.pdf`,
};
