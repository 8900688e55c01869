// The staff app's follow-up list.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const followUpRoutes: RouteDefinition[] = [{ path: '/follow-ups', component: lazy(() => import('./FollowUpsPage.tsx')) }];
