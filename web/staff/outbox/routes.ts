// The staff app's Outbox pages: the Outbox, jobs, and one message.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const outboxRoutes: RouteDefinition[] = [
  { path: '/outbox', component: lazy(() => import('./OutboxPage.tsx')) },
  { path: '/outbox/jobs', component: lazy(() => import('./JobsPage.tsx')) },
  { path: '/outbox/:id', component: lazy(() => import('./MessagePage.tsx')) },
];
