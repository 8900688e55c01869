// The access log as the staff app calls it: staff reads of customers' personal data, for admins.
import type { privacyRoutes } from '../../../server/privacy/routes.ts';
import type { retentionRoutes } from '../../../server/privacy/retention-routes.ts';
import type { RetentionSettings } from '../../../server/privacy/retention-rules.ts';
import { queryString, request, type Answer } from '../request.ts';

export type AccessLogPage = Answer<typeof privacyRoutes, '/privacy/access-log', '$get'>;
export type AccessLogEntry = AccessLogPage['reads'][number];
export type RetentionView = Answer<typeof retentionRoutes, '/privacy/retention', '$get'>;
export type RetentionPreview = Answer<typeof retentionRoutes, '/privacy/retention/preview', '$post'>;
export type { RetentionSettings };

export interface AccessLogQuery {
  staffId?: string | undefined;
  customerId?: string | undefined;
  /** Dates, YYYY-MM-DD (from midnight UTC; "to" through the end of that day). */
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
}

export const privacyApi = {
  accessLog: (query: AccessLogQuery) => {
    const to = query.to ? `${query.to}T23:59:59.999Z` : undefined;
    return request<AccessLogPage>('GET', `/api/privacy/access-log${queryString({ ...query, to })}`);
  },
  retention: () => request<RetentionView>('GET', '/api/privacy/retention'),
  /** The server checks every period and names the kind of each problem (settings.<kind>.count). */
  saveRetention: (settings: RetentionSettings) => request<RetentionView>('PUT', '/api/privacy/retention', { settings }),
  /** What the next run would take with these periods; nothing is saved. */
  previewRetention: (settings: RetentionSettings) => request<RetentionPreview>('POST', '/api/privacy/retention/preview', { settings }),
};
