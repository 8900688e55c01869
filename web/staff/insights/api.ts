// The insights API as the staff app calls it. Types come from the server, type-only. The reports are read by
// their path (see reportPath), which is also the CSV download's link with &format=csv.
import type { insightRoutes } from '../../../server/insights/routes.ts';
import type { InsightFilter, InsightSettings, SubscriptionSettings } from '../../../server/insights/types.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { request, type Answer } from '../request.ts';
import { filterQuery, searchOf } from './filters.ts';

export type * from '../../../server/insights/types.ts';

type Routes = typeof insightRoutes;

export type ReportName = 'overview' | 'trend' | 'compare' | 'drivers' | 'levels' | 'model' | 'complaints' | 'loyalty';

/** The API path of a report for a filter and the report's own parameters (metric, unit, split). */
export function reportPath(report: ReportName, filter: InsightFilter, extra: Record<string, string | undefined> = {}): string {
  return `/api/insights/${report}${searchOf({ ...filterQuery(filter), ...extra })}`;
}

/** The same report as a CSV file, in the language on screen (a plain link cannot send x-locale). */
export const csvHref = (path: string, lang: Locale) => `${path}${path.includes('?') ? '&' : '?'}format=csv&lang=${lang}`;

export const insightsApi = {
  options: () => request<Answer<Routes, '/insights/options', '$get'>>('GET', '/api/insights/options'),
  settings: () => request<Answer<Routes, '/insights/settings', '$get'>>('GET', '/api/insights/settings'),
  /** Admins only. */
  saveSettings: (settings: InsightSettings) => request<Answer<Routes, '/insights/settings', '$put'>>('PUT', '/api/insights/settings', settings),
  subscription: () => request<Answer<Routes, '/insights/subscription', '$get'>>('GET', '/api/insights/subscription'),
  saveSubscription: (subscription: SubscriptionSettings) => request<Answer<Routes, '/insights/subscription', '$put'>>('PUT', '/api/insights/subscription', subscription),
};
