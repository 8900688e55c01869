// /setup?token=…: creates the first administrator of a fresh installation.
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { api } from '../../api.ts';
import { t } from '../i18n.ts';
import { signedIn } from '../session.ts';
import { Async, ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { createFormState } from './authForm.ts';

export default function SetupPage() {
  usePageTitle(() => t('setup.title'));
  const [search] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const [status, { refetch }] = createResource(
    () => !search.token,
    () => api.setupStatus(),
  );
  const [email, setEmail] = createSignal('');
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const form = createFormState();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void form.run(async () => {
      signedIn(
        await api.setup({ token: search.token ?? '', email: email().trim(), name: name().trim(), password: password() }),
      );
      navigate('/surveys', { replace: true });
    });
  };

  const setupForm = () => (
    <>
      <p>{t('setup.intro')}</p>
      <Show when={form.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <form onSubmit={submit} novalidate>
        <Field
          label={t('setup.email')}
          name="email"
          type="email"
          autocomplete="username"
          required
          value={email()}
          onInput={setEmail}
          error={form.fieldError('email')}
        />
        <Field
          label={t('setup.name')}
          name="name"
          autocomplete="name"
          required
          value={name()}
          onInput={setName}
          error={form.fieldError('name')}
        />
        <Field
          label={t('setup.password')}
          name="password"
          type="password"
          autocomplete="new-password"
          required
          hint={t('setup.passwordHint')}
          value={password()}
          onInput={setPassword}
          error={form.fieldError('password')}
        />
        <button type="submit" class="button button-primary" data-testid="setup-submit" disabled={form.busy()}>
          {form.busy() ? t('setup.submitting') : t('setup.submit')}
        </button>
      </form>
    </>
  );

  // The one-time token is what authorises setup, so a link that carries one always gets the form
  // (the server says if it is used up); without a token, tell the person where they stand.
  return (
    <section class="card auth-card" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <Show
        when={search.token}
        fallback={
          <Async resource={status} onRetry={refetch} loadingLabel={t('setup.checking')}>
            {(current) => (
              <Show
                when={current.needed}
                fallback={
                  <p>
                    {t('setup.done')} <A href="/login">{t('setup.signIn')}</A>
                  </p>
                }
              >
                <p class="alert alert-error" role="alert">
                  {t('setup.missingToken')}
                </p>
              </Show>
            )}
          </Async>
        }
      >
        {setupForm()}
      </Show>
    </section>
  );
}
