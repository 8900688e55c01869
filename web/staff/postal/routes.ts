// The staff app's postal pages.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const postalRoutes: RouteDefinition[] = [{ path: '/keying', component: lazy(() => import('./KeyingPage.tsx')) }];
