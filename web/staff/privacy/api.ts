// The access log as the staff app calls it: staff reads of customers' personal data, for admins.
import type { privacyRoutes } from '../../../server/privacy/routes.ts';
import { queryString, request, type Answer } from '../request.ts';

export type AccessLogPage = Answer<typeof privacyRoutes, '/privacy/access-log', '$get'>;
export type AccessLogEntry = AccessLogPage['reads'][number];

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
};
