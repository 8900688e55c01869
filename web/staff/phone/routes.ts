// The staff app's phone pages.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const phoneRoutes: RouteDefinition[] = [
  { path: '/calls', component: lazy(() => import('./CallListPage.tsx')) },
  { path: '/calls/:campaignId', component: lazy(() => import('./CallPage.tsx')) },
];
