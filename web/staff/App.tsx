// Routes of the staff app (served under /app); each page is its own lazily loaded chunk.
import { A, Navigate, Router, type RouteDefinition } from '@solidjs/router';
import { Show } from 'solid-js';
import { t } from './text.ts';
import { accountRoutes } from './accounts/routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { complaintRoutes } from './complaints/routes.ts';
import { customerRoutes } from './customers/routes.ts';
import { insightsRoutes } from './insights/routes.ts';
import { integrationsRoutes } from './integrations/routes.ts';
import { kioskRoutes } from './kiosk/routes.ts';
import { loyaltyRoutes } from './loyalty/routes.ts';
import { homeOf } from './navigation.ts';
import { outboxRoutes } from './outbox/routes.ts';
import { phoneRoutes } from './phone/routes.ts';
import { followUpRoutes } from './followups/routes.ts';
import { postalRoutes } from './postal/routes.ts';
import { privacyRoutes } from './privacy/routes.ts';
import { purchaseRoutes } from './purchases/routes.ts';
import { responseRoutes } from './responses/routes.ts';
import { currentUser } from './session.ts';
import { surveyRoutes } from './surveys/routes.ts';
import { appBase, Shell } from './Shell.tsx';
import { usePageTitle } from './ui.tsx';

/** Every role lands on the first page its menu offers. */
function Home() {
  usePageTitle(() => t('app.home'));
  return <Show when={currentUser()}>{(user) => <Navigate href={homeOf(user().role)} />}</Show>;
}

function NotFound() {
  usePageTitle(() => t('app.notFound'));
  return (
    <>
      <h1>{t('app.notFound')}</h1>
      <p>
        <A href="/">{t('app.goHome')}</A>
      </p>
    </>
  );
}

const routes: RouteDefinition[] = [
  { path: '/', component: Home },
  ...accountRoutes,
  ...surveyRoutes,
  ...responseRoutes,
  ...complaintRoutes,
  ...customerRoutes,
  ...purchaseRoutes,
  ...outboxRoutes,
  ...campaignRoutes,
  ...phoneRoutes,
  ...followUpRoutes,
  ...postalRoutes,
  ...kioskRoutes,
  ...integrationsRoutes,
  ...insightsRoutes,
  ...loyaltyRoutes,
  ...privacyRoutes,
  { path: '*', component: NotFound },
];

export function App() {
  return (
    <Router base={appBase} root={Shell}>
      {routes}
    </Router>
  );
}
