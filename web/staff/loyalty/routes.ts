// The staff app's loyalty pages: the settings admins and managers keep.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const loyaltyRoutes: RouteDefinition[] = [{ path: '/loyalty/settings', component: lazy(() => import('./SettingsPage.tsx')) }];
