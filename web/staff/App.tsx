// Routes of the staff app (served under /app); each page is its own lazily loaded chunk.
import { A, Navigate, Route, Router } from '@solidjs/router';
import { lazy, Show } from 'solid-js';
import { t } from './i18n.ts';
import { canAuthor } from './session.ts';
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

function Home() {
  usePageTitle(() => t('app.home'));
  return (
    <Show when={!canAuthor()} fallback={<Navigate href="/surveys" />}>
      <h1>{t('app.name')}</h1>
      <p>{t('app.homeNoPages')}</p>
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
      <Route path="/users" component={UsersPage} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}
