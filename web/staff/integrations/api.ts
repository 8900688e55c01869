// The Integrations page's typed calls to /api/integrations.
import type { ApiKey } from '../../../server/integrations/keys.ts';
import type { EventCampaign, IntegrationEventRow } from '../../../server/integrations/service.ts';
import { queryString, request } from '../request.ts';

export type { ApiKey, EventCampaign, IntegrationEventRow };

export interface EventPage {
  events: IntegrationEventRow[];
  nextBefore: string | null;
}

export const integrationsApi = {
  keys: () => request<{ keys: ApiKey[] }>('GET', '/api/integrations/keys'),
  createKey: (name: string) => request<{ key: ApiKey; secret: string }>('POST', '/api/integrations/keys', { name }),
  revokeKey: (id: string) => request<{ key: ApiKey }>('POST', `/api/integrations/keys/${encodeURIComponent(id)}/revoke`),
  eventCampaigns: () => request<{ campaigns: EventCampaign[] }>('GET', '/api/integrations/campaigns'),
  events: (before?: string) => request<EventPage>('GET', `/api/integrations/events${queryString({ before, limit: 50 })}`),
};
