// The staff app's customer pages: the list, a customer, the form and the CSV import.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

const CustomerFormPage = lazy(() => import('./CustomerFormPage.tsx'));

export const customerRoutes: RouteDefinition[] = [
  { path: '/customers', component: lazy(() => import('./CustomersPage.tsx')) },
  { path: '/customers/new', component: CustomerFormPage },
  { path: '/customers/import', component: lazy(() => import('./ImportPage.tsx')) },
  { path: '/customers/:id', component: lazy(() => import('./CustomerPage.tsx')) },
  { path: '/customers/:id/edit', component: CustomerFormPage },
];
