// /invite?token=…: a colleague accepts a staff invite by choosing a name and a password (the path emailed links use).
import { useNavigate, useSearchParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { accountsApi } from './api.ts';
import { t } from './text.ts';
import { signedIn } from '../session.ts';
import { usePageTitle } from '../ui.tsx';
import { createFormState } from '../forms.ts';
import { AuthForm, FormField } from './authForm.tsx';

export default function StaffInvitePage() {
  usePageTitle(() => t('invite.title'));
  const [search] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const form = createFormState();

  const accept = async () => {
    signedIn(
      await accountsApi.acceptStaffInvite({
        token: search.token ?? '',
        name: form.value('name').trim(),
        password: form.value('password'),
      }),
    );
    navigate('/', { replace: true });
  };

  return (
    <section class="card auth-card" aria-labelledby="invite-title">
      <h1 id="invite-title">{t('invite.title')}</h1>
      <Show when={search.token} fallback={<p class="alert alert-error" role="alert">{t('invite.missingToken')}</p>}>
        <p>{t('invite.intro')}</p>
        <AuthForm form={form} texts="invite" submitTestId="invite-accept" onSubmit={accept}>
          <FormField form={form} kind="name" label={t('invite.name')} />
          <FormField form={form} kind="newPassword" label={t('invite.password')} hint={t('invite.passwordHint')} />
        </AuthForm>
      </Show>
    </section>
  );
}
