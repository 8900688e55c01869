// The staff app's account pages: signing in, the first setup, accepting an invitation, and users (admins).
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const accountRoutes: RouteDefinition[] = [
  { path: '/login', component: lazy(() => import('./LoginPage.tsx')) },
  { path: '/setup', component: lazy(() => import('./SetupPage.tsx')) },
  { path: '/invite', component: lazy(() => import('./InvitePage.tsx')) },
  { path: '/users', component: lazy(() => import('./UsersPage.tsx')) },
];
