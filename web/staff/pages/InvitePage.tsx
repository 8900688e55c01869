// /invite?token=…: a colleague accepts an invitation by choosing a name and a password.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { api } from '../../api.ts';
import { t } from '../i18n.ts';
import { signedIn } from '../session.ts';
import { ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { createFormState } from './authForm.ts';

export default function InvitePage() {
  usePageTitle(() => t('invite.title'));
  const [search] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const form = createFormState();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void form.run(async () => {
      signedIn(await api.acceptInvitation({ token: search.token ?? '', name: name().trim(), password: password() }));
      navigate('/', { replace: true });
    });
  };

  return (
    <section class="card auth-card" aria-labelledby="invite-title">
      <h1 id="invite-title">{t('invite.title')}</h1>
      <Show when={search.token} fallback={<p class="alert alert-error" role="alert">{t('invite.missingToken')}</p>}>
        <p>{t('invite.intro')}</p>
        <Show when={form.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
        <form onSubmit={submit} novalidate>
          <Field
            label={t('invite.name')}
            name="name"
            autocomplete="name"
            required
            value={name()}
            onInput={setName}
            error={form.fieldError('name')}
          />
          <Field
            label={t('invite.password')}
            name="password"
            type="password"
            autocomplete="new-password"
            required
            hint={t('invite.passwordHint')}
            value={password()}
            onInput={setPassword}
            error={form.fieldError('password')}
          />
          <button type="submit" class="button button-primary" data-testid="invite-accept" disabled={form.busy()}>
            {form.busy() ? t('invite.submitting') : t('invite.submit')}
          </button>
        </form>
      </Show>
    </section>
  );
}
