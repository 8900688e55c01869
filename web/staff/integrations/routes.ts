// The staff app's integrations pages.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const integrationsRoutes: RouteDefinition[] = [
  { path: '/integrations', component: lazy(() => import('./IntegrationsPage.tsx')) },
];
