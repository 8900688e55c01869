// Routes of the staff app (served under /app); each page is its own lazily loaded chunk.
import { A, Navigate, Route, Router } from '@solidjs/router';
import { lazy, Show } from 'solid-js';
import { t } from './i18n.ts';
import { canAuthor, canReadCustomers } from './session.ts';
import { appBase, Shell } from './Shell.tsx';
import { usePageTitle } from './ui.tsx';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const SetupPage = lazy(() => import('./pages/SetupPage.tsx'));
const InvitePage = lazy(() => import('./pages/InvitePage.tsx'));
const SurveysPage = lazy(() => import('./pages/SurveysPage.tsx'));
const EditorPage = lazy(() => import('./editor/EditorPage.tsx'));
const PreviewPage = lazy(() => import('./pages/PreviewPage.tsx'));
const ResponsesPage = lazy(() => import('./pages/ResponsesPage.tsx'));
const ResponsePage = lazy(() => import('./pages/ResponsePage.tsx'));
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
    <Show when={!canAuthor()} fallback={<Navigate href="/surveys" />}>
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

export function App() {
  return (
    <Router base={appBase} root={Shell}>
      <Route path="/login" component={LoginPage} />
      <Route path="/setup" component={SetupPage} />
      <Route path="/invite" component={InvitePage} />
      <Route path="/" component={Home} />
      <Route path="/surveys" component={SurveysPage} />
      <Route path="/surveys/:id" component={EditorPage} />
      <Route path="/surveys/:id/preview" component={PreviewPage} />
      <Route path="/surveys/:id/responses" component={ResponsesPage} />
      <Route path="/responses/:id" component={ResponsePage} />
      <Route path="/customers" component={CustomersPage} />
      <Route path="/customers/new" component={CustomerFormPage} />
      <Route path="/customers/import" component={ImportPage} />
      <Route path="/customers/:id" component={CustomerPage} />
      <Route path="/customers/:id/edit" component={CustomerFormPage} />
      <Route path="/outbox" component={OutboxPage} />
      <Route path="/outbox/jobs" component={JobsPage} />
      <Route path="/outbox/:id" component={MessagePage} />
      <Route path="/users" component={UsersPage} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}
