// The Integrations page's typed calls to /api/integrations.
import type { integrationRoutes } from '../../../server/integrations/routes.ts';
import { queryString, request, type Answer } from '../request.ts';

type Routes = typeof integrationRoutes;
export type ApiKey = Answer<Routes, '/integrations/keys', '$get'>['keys'][number];
export type EventCampaign = Answer<Routes, '/integrations/campaigns', '$get'>['campaigns'][number];
export type EventPage = Answer<Routes, '/integrations/events', '$get'>;
export type IntegrationEventRow = EventPage['events'][number];

export const integrationsApi = {
  keys: () => request<Answer<Routes, '/integrations/keys', '$get'>>('GET', '/api/integrations/keys'),
  createKey: (name: string) => request<Answer<Routes, '/integrations/keys', '$post'>>('POST', '/api/integrations/keys', { name }),
  revokeKey: (id: string) => request<Answer<Routes, '/integrations/keys/:id/revoke', '$post'>>('POST', `/api/integrations/keys/${encodeURIComponent(id)}/revoke`),
  eventCampaigns: () => request<Answer<Routes, '/integrations/campaigns', '$get'>>('GET', '/api/integrations/campaigns'),
  events: (before?: string) => request<EventPage>('GET', `/api/integrations/events${queryString({ before, limit: 50 })}`),
};
