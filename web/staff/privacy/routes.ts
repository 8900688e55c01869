// The staff app's privacy pages, for admins: retention (how long data is kept) and the access log.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const privacyRoutes: RouteDefinition[] = [
  { path: '/privacy/access-log', component: lazy(() => import('./AccessLogPage.tsx')) },
  { path: '/privacy/retention', component: lazy(() => import('./RetentionPage.tsx')) },
];
