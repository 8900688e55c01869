// /users (admins): who has access, their roles, invitations and deactivation.
import { createResource, createSignal, For, Index, Show } from 'solid-js';
import { accountsApi, type Role, roles, type StaffUser } from './api.ts';
import { formatDateTime } from '../i18n.ts';
import { t } from './text.ts';
import { currentUser, isAdmin } from '../session.ts';
import { absoluteUrl, Async, CopyButton, DataTable, ErrorMessage, Field, Select, usePageTitle } from '../ui.tsx';
import { createFormState } from '../forms.ts';

export default function UsersPage() {
  usePageTitle(() => t('users.title'));
  return (
    <>
      <div class="page-header">
        <h1>{t('users.title')}</h1>
      </div>
      <Show when={isAdmin()} fallback={<p class="alert alert-info">{t('users.adminOnly')}</p>}>
        <UserAdmin />
      </Show>
    </>
  );
}

function UserAdmin() {
  const [users, { refetch, mutate }] = createResource(async () => (await accountsApi.users()).users);
  const replaceUser = (updated: StaffUser) =>
    mutate((list) => list?.map((user) => (user.id === updated.id ? updated : user)));
  return (
    <>
      <InviteForm />
      <section aria-labelledby="user-list-title">
        <h2 id="user-list-title" class="sr-only">
          {t('users.tableLabel')}
        </h2>
        <Async resource={users} onRetry={refetch}>
          {(list) => (
            <Show when={list.length > 0} fallback={<p class="empty">{t('users.empty')}</p>}>
              <UserTable users={list} onUpdated={replaceUser} />
            </Show>
          )}
        </Async>
      </section>
    </>
  );
}

function InviteForm() {
  const [email, setEmail] = createSignal('');
  const [role, setRole] = createSignal<Role>('manager');
  const [invitation, setInvitation] = createSignal<{ url: string; expiresAt: string } | null>(null);
  const form = createFormState();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setInvitation(null);
    void form.run(async () => {
      const created = await accountsApi.invite({ email: email().trim(), role: role() });
      setInvitation({ url: absoluteUrl(created.invitePath), expiresAt: created.expiresAt });
      setEmail('');
    });
  };

  return (
    <section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('users.inviteTitle')}</h2>
      <Show when={form.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <form class="invite-form" onSubmit={submit} novalidate>
        <Field
          label={t('users.inviteEmail')}
          name="invite-email"
          id="invite-email"
          type="email"
          autocomplete="off"
          required
          value={email()}
          onInput={setEmail}
          error={form.fieldError('email')}
        />
        <Select
          label={t('users.inviteRole')}
          name="invite-role"
          id="invite-role"
          value={role()}
          options={roles.map((option) => ({ value: option, label: t(`roles.${option}`) }))}
          onChange={setRole}
          error={form.fieldError('role')}
        />
        <button type="submit" class="button button-primary" data-testid="invite-submit" disabled={form.busy()}>
          {form.busy() ? t('users.inviting') : t('users.inviteSubmit')}
        </button>
      </form>
      <Show when={invitation()}>
        {(created) => (
          <div class="alert alert-success invite-result" role="status">
            <p>{t('users.inviteReady')}</p>
            <p class="invite-link-row">
              <span class="label">
                {t('users.inviteLink')}
                {t('app.labelSeparator')}
              </span>
              <a data-testid="invite-link" href={created().url} class="break">
                {created().url}
              </a>{' '}
              <CopyButton text={created().url} />
            </p>
            <p class="muted">{t('users.expires', { date: formatDateTime(created().expiresAt) })}</p>
          </div>
        )}
      </Show>
    </section>
  );
}

function UserTable(props: { users: StaffUser[]; onUpdated: (user: StaffUser) => void }) {
  const [pending, setPending] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal('');

  /** Applies a change; false when the server refused it. Controls stay enabled so keyboard focus stays put. */
  const update = async (user: StaffUser, change: { active?: boolean; role?: Role }): Promise<boolean> => {
    if (pending() === user.id) return false;
    setPending(user.id);
    setError(null);
    setNotice('');
    try {
      const { user: updated } = await accountsApi.updateUser(user.id, change);
      props.onUpdated(updated);
      setNotice(t('users.updated', { name: updated.name }));
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <p class="sr-only" role="status">
        {notice()}
      </p>
      <DataTable
        label={t('users.tableLabel')}
        headers={[
          t('users.colName'),
          t('users.colEmail'),
          t('users.colRole'),
          t('users.colStatus'),
          t('users.colActions'),
        ]}
      >
        <Index each={props.users}>
          {(user) => {
            const isSelf = () => currentUser()?.id === user().id;
            return (
              <tr data-testid="user-row" data-email={user().email}>
                <td>
                  {user().name}
                  <Show when={isSelf()}>
                    <span class="muted"> ({t('users.you')})</span>
                  </Show>
                </td>
                <td class="break">{user().email}</td>
                <td>
                  <select
                    aria-label={t('users.roleFor', { name: user().name })}
                    value={user().role}
                    disabled={isSelf()}
                    onChange={(event) => {
                      const select = event.currentTarget;
                      void update(user(), { role: select.value as Role }).then((ok) => {
                        // Show the role the server still has.
                        if (!ok) select.value = user().role;
                      });
                    }}
                  >
                    <For each={roles}>
                      {(option) => (
                        <option value={option} selected={option === user().role}>
                          {t(`roles.${option}`)}
                        </option>
                      )}
                    </For>
                  </select>
                </td>
                <td>
                  <span class={`badge ${user().active ? 'badge-published' : 'badge-closed'}`}>
                    {user().active ? t('users.active') : t('users.inactive')}
                  </span>
                </td>
                <td>
                  <Show when={!isSelf()}>
                    <button
                      type="button"
                      class={`button button-small ${user().active ? 'button-danger' : ''}`}
                      aria-busy={pending() === user().id}
                      onClick={() => void update(user(), { active: !user().active })}
                    >
                      {user().active ? t('users.deactivate') : t('users.reactivate')}
                    </button>
                  </Show>
                </td>
              </tr>
            );
          }}
        </Index>
      </DataTable>
    </>
  );
}
