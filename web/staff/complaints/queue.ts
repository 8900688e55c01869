// A queue's view (tab, filters, search) to and from the page's URL query, so a queue can be bookmarked,
// shared and returned to with the back button. The query uses the complaints API's own parameter names, so
// the list is read with the page's query as it is. Pure: no I/O, no signals.
import {
  caseChannels,
  caseQueues,
  caseSeverities,
  caseStatuses,
  type CaseChannel,
  type CaseQueue,
  type CaseSeverity,
  type CaseStatus,
} from '../../../server/complaints/vocabulary.ts';
import { customerTiers, type CustomerTier } from '../../../server/customers/vocabulary.ts';

export interface QueueView {
  queue: CaseQueue;
  category: string | null;
  severity: CaseSeverity | null;
  channel: CaseChannel | null;
  surveyId: string | null;
  tier: CustomerTier | null;
  status: CaseStatus | null;
  /** A reference, a name or words of the description. */
  q: string;
}

/** What a URL query reads as: one value, several (a repeated parameter), or none. */
export type QueryValues = Record<string, string | string[] | undefined>;

/** The filters beside the tab, in the order the page shows them. */
export const queueFilters = ['category', 'severity', 'channel', 'surveyId', 'tier', 'status'] as const;
export type QueueFilter = (typeof queueFilters)[number];

function first(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? undefined : one.trim();
}

function oneOf<T extends string>(options: readonly T[], value: string | undefined): T | null {
  return value !== undefined && (options as readonly string[]).includes(value) ? (value as T) : null;
}

/** A free-text value (a category key, a survey id): anything short and printable, else nothing. */
function word(value: string | undefined): string | null {
  return value !== undefined && value !== '' && value.length <= 200 ? value : null;
}

/**
 * Reads the URL query into a view. A missing or unknown tab is the role's own (`home`); a filter that is
 * malformed or not on offer is dropped, so a stale link still shows a queue.
 */
export function viewFromQuery(query: QueryValues, home: CaseQueue, queues: readonly CaseQueue[] = caseQueues): QueueView {
  const asked = oneOf(queues, first(query.queue));
  return {
    queue: asked ?? (queues.includes(home) ? home : queues[0]!),
    category: word(first(query.category)),
    severity: oneOf(caseSeverities, first(query.severity)),
    channel: oneOf(caseChannels, first(query.channel)),
    surveyId: word(first(query.surveyId)),
    tier: oneOf(customerTiers, first(query.tier)),
    status: oneOf(caseStatuses, first(query.status)),
    q: (first(query.q) ?? '').slice(0, 200),
  };
}

/**
 * The view as query values, for the URL and the API alike; what is "any" is left out, and so is the tab when
 * it is the role's own. Keys in a fixed order.
 */
export function queryOfView(view: QueueView, home: CaseQueue): Record<string, string | undefined> {
  return {
    queue: view.queue === home ? undefined : view.queue,
    category: view.category ?? undefined,
    severity: view.severity ?? undefined,
    channel: view.channel ?? undefined,
    surveyId: view.surveyId ?? undefined,
    tier: view.tier ?? undefined,
    status: view.status ?? undefined,
    q: view.q === '' ? undefined : view.q,
  };
}

/** The list's API query: the tab always named, so the server never guesses. */
export function apiQueryOfView(view: QueueView): Record<string, string | undefined> {
  return { ...queryOfView(view, view.queue), queue: view.queue };
}

/** Whether anything narrows the tab (a filter or a search). */
export function isFiltered(view: QueueView): boolean {
  return queueFilters.some((key) => view[key] !== null) || view.q !== '';
}

/** The URL query that changes one filter and keeps the rest; '' clears it. */
export function withFilter(view: QueueView, home: CaseQueue, key: QueueFilter | 'q' | 'queue', value: string): Record<string, string | undefined> {
  const next = queryOfView(view, home);
  if (key === 'queue') next.queue = value === home ? undefined : value;
  else next[key] = value === '' ? undefined : value;
  return next;
}

/** The URL query of the tab alone, every filter cleared. */
export function clearedFilters(view: QueueView, home: CaseQueue): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(queryOfView(view, home)).map((key) => [key, key === 'queue' && view.queue !== home ? view.queue : undefined]));
}
