// The insights API as the staff app calls it. Types come from the server, type-only. The reports are read by
// their path (see reportPath), which is also the CSV download's link with &format=csv.
import type { InsightFilter, InsightOptions, InsightSettings, SubscriptionSettings } from '../../../server/insights/types.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { request } from '../request.ts';
import { filterQuery, searchOf } from './filters.ts';

export type * from '../../../server/insights/types.ts';

export type ReportName = 'overview' | 'trend' | 'compare' | 'drivers' | 'levels' | 'model';

/** The API path of a report for a filter and the report's own parameters (metric, unit, split). */
export function reportPath(report: ReportName, filter: InsightFilter, extra: Record<string, string | undefined> = {}): string {
  return `/api/insights/${report}${searchOf({ ...filterQuery(filter), ...extra })}`;
}

/** The same report as a CSV file, in the language on screen (a plain link cannot send x-locale). */
export const csvHref = (path: string, lang: Locale) => `${path}${path.includes('?') ? '&' : '?'}format=csv&lang=${lang}`;

export const insightsApi = {
  options: () => request<InsightOptions>('GET', '/api/insights/options'),
  settings: () => request<InsightSettings>('GET', '/api/insights/settings'),
  /** Admins only. */
  saveSettings: (settings: InsightSettings) => request<InsightSettings>('PUT', '/api/insights/settings', settings),
  subscription: () => request<SubscriptionSettings>('GET', '/api/insights/subscription'),
  saveSubscription: (subscription: SubscriptionSettings) => request<SubscriptionSettings>('PUT', '/api/insights/subscription', subscription),
};
