// The staff app's purchases pages: the CSV import (a customer's purchases are a part of the customer page).
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const purchaseRoutes: RouteDefinition[] = [{ path: '/purchases/import', component: lazy(() => import('./ImportPage.tsx')) }];
