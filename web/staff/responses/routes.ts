// The staff app's response pages: a survey's responses and one response.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const responseRoutes: RouteDefinition[] = [
  { path: '/surveys/:id/responses', component: lazy(() => import('./ResponsesPage.tsx')) },
  { path: '/responses/:id', component: lazy(() => import('./ResponsePage.tsx')) },
];
