// The campaigns API as the staff app calls it. Types come from the server, type-only.
import type {
  AudiencePreview,
  CampaignInput,
  CampaignListResponse,
  CampaignResponse,
  CampaignUpdate,
  ContactRuleResponse,
  ContactRuleSettings,
  FunnelResponse,
  InvitationListResponse,
  InvitationState,
} from '../../../server/campaigns/types.ts';
import type { Audience } from '../../../server/campaigns/vocabulary.ts';
import { queryString, request } from '../request.ts';

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
  list: (before?: string) => request<CampaignListResponse>('GET', `/api/campaigns${queryString({ before })}`),
  create: (input: CampaignInput) => request<CampaignResponse>('POST', '/api/campaigns', input),
  get: (id: string) => request<CampaignResponse>('GET', path(id)),
  update: (id: string, input: CampaignUpdate) => request<CampaignResponse>('PUT', path(id), input),
  launch: (id: string) => request<CampaignResponse>('POST', `${path(id)}/launch`),
  close: (id: string) => request<CampaignResponse>('POST', `${path(id)}/close`),
  audiencePreview: (audience: Audience) =>
    request<AudiencePreview>('GET', `/api/campaigns/audience-preview${queryString({ ...audience })}`),
  invitations: (id: string, state: InvitationState, before?: string) =>
    request<InvitationListResponse>('GET', `${path(id)}/invitations${queryString({ state, before })}`),
  funnel: (surveyId?: string) => request<FunnelResponse>('GET', `/api/campaigns/funnel${queryString({ surveyId })}`),
  contactRule: () => request<ContactRuleResponse>('GET', '/api/settings/contact-rule'),
  /** Admins only. */
  setContactRule: (rule: ContactRuleSettings) => request<ContactRuleResponse>('PUT', '/api/settings/contact-rule', rule),
  /** A plain link: the server answers with the PDF of every letter. */
  lettersHref: (id: string) => `${path(id)}/letters.pdf`,
};
