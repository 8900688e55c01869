// The Outbox and jobs API as the staff app calls it: what the product sent, holds or skipped, and the
// background jobs. Times of the Outbox are milliseconds since the epoch.
import type { jobRoutes } from '../../../server/jobs/routes.ts';
import type { JobStatus } from '../../../server/jobs/queue.ts';
import type { MessageStatus } from '../../../server/mail/outbox.ts';
import type { outboxRoutes } from '../../../server/mail/routes.ts';
import { queryString, request, type Answer } from '../request.ts';

type Outbox = typeof outboxRoutes;
type Jobs = typeof jobRoutes;
export type { JobStatus, MessageStatus };
/** One page of the Outbox, newest first, without bodies. */
export type OutboxPage = Answer<Outbox, '/outbox', '$get'>;
export type OutboxSummary = OutboxPage['messages'][number];
/** One message with its text and HTML part. */
export type OutboxMessage = Answer<Outbox, '/outbox/:id', '$get'>['message'];
/** Why a message to a customer was skipped when it was due. */
export type MessageSkipReason = NonNullable<OutboxSummary['skipReason']>;
/** smtpConfigured is false when the process that answered leaves sending to those that have an SMTP_URL. */
export type OutboxProgress = Answer<Outbox, '/outbox/progress', '$get'>;
export type JobPage = Answer<Jobs, '/jobs', '$get'>;
export type Job = JobPage['jobs'][number];

export const outboxApi = {
  outbox: (query: { status?: MessageStatus; topic?: string; before?: string; limit?: number }) =>
    request<OutboxPage>('GET', `/api/outbox${queryString({ ...query })}`),
  outboxProgress: (topic?: string) => request<OutboxProgress>('GET', `/api/outbox/progress${queryString({ topic })}`),
  outboxMessage: (id: string) => request<Answer<Outbox, '/outbox/:id', '$get'>>('GET', `/api/outbox/${encodeURIComponent(id)}`),
  /** Admins: puts the held messages an older version set aside back in the queue. */
  releaseHeld: () => request<Answer<Outbox, '/outbox/release', '$post'>>('POST', '/api/outbox/release'),

  jobs: (query: { status?: JobStatus; kind?: string; before?: string; limit?: number }) =>
    request<JobPage>('GET', `/api/jobs${queryString({ ...query })}`),
  retryJob: (id: string) => request<Answer<Jobs, '/jobs/:id/retry', '$post'>>('POST', `/api/jobs/${encodeURIComponent(id)}/retry`),
};
