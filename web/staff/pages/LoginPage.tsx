// /login: email and password; returns to the page the person came from.
import { Navigate, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { api } from '../../api.ts';
import { t } from '../i18n.ts';
import { safeNext, session, signedIn } from '../session.ts';
import { ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { createFormState } from './authForm.ts';

export default function LoginPage() {
  usePageTitle(() => t('login.title'));
  const [search] = useSearchParams<{ next?: string }>();
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const form = createFormState();
  // Only a hint for a fresh installation; a failure here must not block signing in.
  const [setup] = createResource(() => api.setupStatus().catch(() => ({ needed: false })));
  const next = () => safeNext(search.next);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void form.run(async () => {
      signedIn(await api.login({ email: email().trim(), password: password() }));
      navigate(next(), { replace: true });
    });
  };

  return (
    <Show when={session().status !== 'signed-in'} fallback={<Navigate href={next()} />}>
      <section class="card auth-card" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <Show when={setup.state === 'ready' && setup()?.needed}>
          <p class="alert alert-info">{t('login.setupNeeded')}</p>
        </Show>
        <Show when={form.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <form onSubmit={submit} novalidate>
          <Field
            label={t('login.email')}
            name="email"
            type="email"
            autocomplete="username"
            required
            value={email()}
            onInput={setEmail}
            error={form.fieldError('email')}
          />
          <Field
            label={t('login.password')}
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={setPassword}
            error={form.fieldError('password')}
          />
          <button type="submit" class="button button-primary" data-testid="login-submit" disabled={form.busy()}>
            {form.busy() ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </section>
    </Show>
  );
}
