// The staff app's survey pages: the list, the editor (web/staff/editor) and the preview.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const surveyRoutes: RouteDefinition[] = [
  { path: '/surveys', component: lazy(() => import('./SurveysPage.tsx')) },
  { path: '/surveys/:id', component: lazy(() => import('../editor/EditorPage.tsx')) },
  { path: '/surveys/:id/preview', component: lazy(() => import('./PreviewPage.tsx')) },
];
