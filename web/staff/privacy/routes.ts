// The staff app's privacy pages: the access log (admins).
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const privacyRoutes: RouteDefinition[] = [{ path: '/privacy/access-log', component: lazy(() => import('./AccessLogPage.tsx')) }];
