// The staff app's response pages: the surveys to explore, a survey's responses in the explorer, one response.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const responseRoutes: RouteDefinition[] = [
  { path: '/responses', component: lazy(() => import('./ExplorerSurveysPage.tsx')) },
  { path: '/surveys/:id/responses', component: lazy(() => import('./ExplorerPage.tsx')) },
  { path: '/responses/:id', component: lazy(() => import('./ResponsePage.tsx')) },
];
