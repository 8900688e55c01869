// The frame around every staff page: top bar, navigation, language switch, and the sign-in gate.
import { A, Navigate, useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, Show, Suspense, Switch } from 'solid-js';
import { locales } from '../../surveys/definition.ts';
import { accountsApi } from './accounts/api.ts';
import { locale } from './i18n.ts';
import { menuFor } from './navigation.ts';
import { t } from './text.ts';
import { chooseLocale, currentUser, loadSession, session, signedOut } from './session.ts';
import { ErrorMessage, Loading } from './ui.tsx';

export const appBase = '/app';

/** Pages a person reaches before signing in. */
const publicPages = new Set(['/login', '/setup', '/invite']);

function inAppPath(pathname: string) {
  return pathname.startsWith(appBase) ? pathname.slice(appBase.length) || '/' : pathname;
}

export function LanguageSwitch() {
  return (
    <div class="language-switch" role="group" aria-label={t('nav.language')}>
      <For each={locales}>
        {(option) => (
          <button
            type="button"
            lang={option}
            aria-pressed={locale() === option}
            onClick={() => chooseLocale(option)}
          >
            {t(`locales.${option}`)}
          </button>
        )}
      </For>
    </div>
  );
}

function TopBar() {
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = createSignal(false);
  createEffect(on(() => location.pathname, () => setMenuOpen(false), { defer: true }));

  const logout = async () => {
    try {
      await accountsApi.logout();
    } catch {
      // The session is gone either way once the cookie is cleared or expired.
    }
    signedOut();
    navigate('/login', { replace: true });
  };

  return (
    <header class="topbar">
      <A href="/" class="brand">
        {t('app.name')}
      </A>
      <button
        type="button"
        class="menu-toggle"
        aria-expanded={menuOpen()}
        aria-controls="topbar-menu"
        onClick={() => setMenuOpen(!menuOpen())}
      >
        <span aria-hidden="true">☰</span> {t('nav.menu')}
      </button>
      <div id="topbar-menu" class="topbar-menu" classList={{ open: menuOpen() }}>
        <nav aria-label={t('nav.main')} class="topnav">
          <For each={currentUser() ? menuFor(currentUser()!.role) : []}>
            {(entry) => (
              <A href={entry.href} activeClass="active" data-testid={`nav-${entry.word}`}>
                {t(`nav.${entry.word}`)}
              </A>
            )}
          </For>
        </nav>
        <div class="topbar-user">
          <Show when={currentUser()}>
            {(user) => {
              const signedInAs = () => t('nav.signedInAs', { name: user().name, role: t(`roles.${user().role}`) });
              return (
                <span class="current-user" title={signedInAs()}>
                  {signedInAs()}
                </span>
              );
            }}
          </Show>
          <LanguageSwitch />
          <button type="button" class="button button-small" onClick={logout}>
            {t('nav.logout')}
          </button>
        </div>
      </div>
    </header>
  );
}

export function Shell(props: RouteSectionProps) {
  const location = useLocation();
  const isPublic = () => publicPages.has(inAppPath(location.pathname));
  const loginTarget = () => {
    const next = inAppPath(location.pathname) + location.search;
    return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
  };
  const failedSession = () => {
    const state = session();
    return state.status === 'failed' ? state : null;
  };
  void loadSession();

  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Show
        when={!isPublic()}
        fallback={
          <>
            <header class="topbar topbar-public">
              <span class="brand">{t('app.name')}</span>
              <LanguageSwitch />
            </header>
            <main id="main" class="page page-narrow" tabindex="-1">
              <Suspense fallback={<Loading />}>{props.children}</Suspense>
            </main>
          </>
        }
      >
        <Switch>
          <Match when={session().status === 'loading'}>
            <main id="main" class="page" tabindex="-1">
              <Loading />
            </main>
          </Match>
          <Match when={session().status === 'signed-out'}>
            <Navigate href={loginTarget()} />
          </Match>
          <Match when={failedSession()}>
            {(failed) => (
              <main id="main" class="page" tabindex="-1">
                <ErrorMessage error={failed().error} onRetry={() => void loadSession()} />
              </main>
            )}
          </Match>
          <Match when={session().status === 'signed-in'}>
            <TopBar />
            <main id="main" class="page" tabindex="-1">
              <Suspense fallback={<Loading />}>{props.children}</Suspense>
            </main>
          </Match>
        </Switch>
      </Show>
    </>
  );
}
