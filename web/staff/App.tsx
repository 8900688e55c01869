// Routes of the staff app (served under /app); each page is its own lazily loaded chunk.
import { A, Navigate, Router, type RouteDefinition } from '@solidjs/router';
import { lazy, Show } from 'solid-js';
import { t } from './i18n.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { insightsRoutes } from './insights/routes.ts';
import { integrationsRoutes } from './integrations/routes.ts';
import { kioskRoutes } from './kiosk/routes.ts';
import { phoneRoutes } from './phone/routes.ts';
import { postalRoutes } from './postal/routes.ts';
import { canAuthor, canReadCustomers } from './session.ts';
import { appBase, Shell } from './Shell.tsx';
import { usePageTitle } from './ui.tsx';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const SetupPage = lazy(() => import('./pages/SetupPage.tsx'));
const InvitePage = lazy(() => import('./pages/InvitePage.tsx'));
const SurveysPage = lazy(() => import('./pages/SurveysPage.tsx'));
const EditorPage = lazy(() => import('./editor/EditorPage.tsx'));
const PreviewPage = lazy(() => import('./pages/PreviewPage.tsx'));
const ResponsesPage = lazy(() => import('./responses/ExplorerPage.tsx'));
const ResponsePage = lazy(() => import('./pages/ResponsePage.tsx'));
const ExplorerSurveysPage = lazy(() => import('./responses/ExplorerSurveysPage.tsx'));
const UsersPage = lazy(() => import('./pages/UsersPage.tsx'));
const CustomersPage = lazy(() => import('./customers/CustomersPage.tsx'));
const CustomerPage = lazy(() => import('./customers/CustomerPage.tsx'));
const CustomerFormPage = lazy(() => import('./customers/CustomerFormPage.tsx'));
const ImportPage = lazy(() => import('./customers/ImportPage.tsx'));
const OutboxPage = lazy(() => import('./outbox/OutboxPage.tsx'));
const MessagePage = lazy(() => import('./outbox/MessagePage.tsx'));
const JobsPage = lazy(() => import('./outbox/JobsPage.tsx'));

function Home() {
  usePageTitle(() => t('app.home'));
  return (
    <Show when={!canAuthor()} fallback={<Navigate href="/insights" />}>
      <Show when={!canReadCustomers()} fallback={<Navigate href="/customers" />}>
        <h1>{t('app.name')}</h1>
        <p>{t('app.homeNoPages')}</p>
      </Show>
    </Show>
  );
}

function NotFound() {
  usePageTitle(() => t('app.notFound'));
  return (
    <>
      <h1>{t('app.notFound')}</h1>
      <p>
        <A href="/surveys">{t('app.goHome')}</A>
      </p>
    </>
  );
}

const routes: RouteDefinition[] = [
  { path: '/login', component: LoginPage },
  { path: '/setup', component: SetupPage },
  { path: '/invite', component: InvitePage },
  { path: '/', component: Home },
  { path: '/surveys', component: SurveysPage },
  { path: '/surveys/:id', component: EditorPage },
  { path: '/surveys/:id/preview', component: PreviewPage },
  { path: '/surveys/:id/responses', component: ResponsesPage },
  { path: '/responses', component: ExplorerSurveysPage },
  { path: '/responses/:id', component: ResponsePage },
  { path: '/customers', component: CustomersPage },
  { path: '/customers/new', component: CustomerFormPage },
  { path: '/customers/import', component: ImportPage },
  { path: '/customers/:id', component: CustomerPage },
  { path: '/customers/:id/edit', component: CustomerFormPage },
  { path: '/outbox', component: OutboxPage },
  { path: '/outbox/jobs', component: JobsPage },
  { path: '/outbox/:id', component: MessagePage },
  { path: '/users', component: UsersPage },
  ...campaignRoutes,
  ...phoneRoutes,
  ...postalRoutes,
  ...kioskRoutes,
  ...integrationsRoutes,
  ...insightsRoutes,
  { path: '*', component: NotFound },
];

export function App() {
  return (
    <Router base={appBase} root={Shell}>
      {routes}
    </Router>
  );
}
