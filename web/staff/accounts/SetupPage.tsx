// /setup?token=…: creates the first administrator of a fresh installation.
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { accountsApi } from './api.ts';
import { t } from './text.ts';
import { signedIn } from '../session.ts';
import { Async, usePageTitle } from '../ui.tsx';
import { createFormState } from '../forms.ts';
import { AuthForm, FormField } from './authForm.tsx';

export default function SetupPage() {
  usePageTitle(() => t('setup.title'));
  const [search] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const [status, { refetch }] = createResource(
    () => !search.token,
    () => accountsApi.setupStatus(),
  );
  const form = createFormState();

  const setUp = async () => {
    signedIn(
      await accountsApi.setup({
        token: search.token ?? '',
        email: form.value('email').trim(),
        name: form.value('name').trim(),
        password: form.value('password'),
      }),
    );
    navigate('/surveys', { replace: true });
  };

  const setupForm = () => (
    <>
      <p>{t('setup.intro')}</p>
      <AuthForm form={form} texts="setup" submitTestId="setup-submit" onSubmit={setUp}>
        <FormField form={form} kind="email" label={t('setup.email')} />
        <FormField form={form} kind="name" label={t('setup.name')} />
        <FormField form={form} kind="newPassword" label={t('setup.password')} hint={t('setup.passwordHint')} />
      </AuthForm>
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
