// /login: email and password; returns to the page the person came from.
import { Navigate, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { accountsApi } from './api.ts';
import { t } from './text.ts';
import { safeNext, session, signedIn } from '../session.ts';
import { usePageTitle } from '../ui.tsx';
import { createFormState } from '../forms.ts';
import { AuthForm, FormField } from './authForm.tsx';

export default function LoginPage() {
  usePageTitle(() => t('login.title'));
  const [search] = useSearchParams<{ next?: string }>();
  const navigate = useNavigate();
  const form = createFormState();
  // Only a hint for a fresh installation; a failure here must not block signing in.
  const [setup] = createResource(() => accountsApi.setupStatus().catch(() => ({ needed: false })));
  const next = () => safeNext(search.next);

  const login = async () => {
    signedIn(await accountsApi.login({ email: form.value('email').trim(), password: form.value('password') }));
    navigate(next(), { replace: true });
  };

  return (
    <Show when={session().status !== 'signed-in'} fallback={<Navigate href={next()} />}>
      <section class="card auth-card" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <Show when={setup.state === 'ready' && setup()?.needed}>
          <p class="alert alert-info">{t('login.setupNeeded')}</p>
        </Show>
        <AuthForm form={form} texts="login" submitTestId="login-submit" onSubmit={login}>
          <FormField form={form} kind="email" label={t('login.email')} />
          <FormField form={form} kind="password" label={t('login.password')} />
        </AuthForm>
      </section>
    </Show>
  );
}
