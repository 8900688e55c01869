// The staff app's complaints pages: the queues, a case, logging a case, the settings, the saved replies and
// moving an agent's cases to others.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

const QueuesPage = lazy(() => import('./QueuesPage.tsx'));

export const complaintRoutes: RouteDefinition[] = [
  { path: '/complaints', component: QueuesPage },
  /** An interviewer's menu entry: the cases they logged (the same page, which knows the role). */
  { path: '/complaints/logged', component: QueuesPage },
  { path: '/complaints/new', component: lazy(() => import('./NewCasePage.tsx')) },
  { path: '/complaints/cases/:id', component: lazy(() => import('./CasePage.tsx')) },
  { path: '/complaints/settings', component: lazy(() => import('./SettingsPage.tsx')) },
  { path: '/complaints/macros', component: lazy(() => import('./MacrosPage.tsx')) },
  { path: '/complaints/reassign', component: lazy(() => import('./ReassignPage.tsx')) },
];
