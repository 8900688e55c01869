// The staff app's insight dashboard pages; the dashboard is its own chunk, so its charts load only here.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const insightsRoutes: RouteDefinition[] = [
  { path: '/insights', component: lazy(() => import('./InsightsPage.tsx')) },
  { path: '/insights/settings', component: lazy(() => import('./SettingsPage.tsx')) },
];
