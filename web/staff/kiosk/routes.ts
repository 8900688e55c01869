// The staff app's kiosk pages.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

const PosterPage = lazy(() => import('./PosterPage.tsx'));

export const kioskRoutes: RouteDefinition[] = [
  { path: '/kiosks', component: lazy(() => import('./KioskListPage.tsx')) },
  { path: '/kiosks/:id', component: PosterPage },
  { path: '/kiosks/:id/poster', component: PosterPage },
];
