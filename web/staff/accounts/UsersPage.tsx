// /users (admins): who has access, their roles, the complaint cases each holds and the customers each owns, staff
// invites (made, pending, revoked) and deactivation; someone still holding cases or owning customers is
// deactivated after moving them to others. Its header leads to the privacy pages: the access log and retention.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Index, Show } from 'solid-js';
import { accountsApi, type CaseAgent, type ListedUser, type PendingStaffInvite, type Role, roles } from './api.ts';
import { formatCount, formatDateTime } from '../i18n.ts';
import { ApiError } from '../request.ts';
import { t } from './text.ts';
import { currentUser, isAdmin } from '../session.ts';
import { absoluteUrl, Async, ConfirmDialog, CopyButton, DataTable, describeError, ErrorMessage, Field, Select, usePageTitle } from '../ui.tsx';
import { createFormState } from '../forms.ts';

export default function UsersPage() {
  usePageTitle(() => t('users.title'));
  return (
    <>
      <div class="page-header">
        <h1>{t('users.title')}</h1>
        <Show when={isAdmin()}>
          <div class="actions">
            <A href="/privacy/access-log" class="button" data-testid="users-access-log">
              {t('users.accessLog')}
            </A>
            <A href="/privacy/retention" class="button" data-testid="users-retention">
              {t('users.retention')}
            </A>
          </div>
        </Show>
      </div>
      <Show when={isAdmin()} fallback={<p class="alert alert-info">{t('users.adminOnly')}</p>}>
        <UserAdmin />
      </Show>
    </>
  );
}

function UserAdmin() {
  const [users, { refetch, mutate }] = createResource(async () => (await accountsApi.users()).users);
  const [invites, invitesActions] = createResource(async () => (await accountsApi.staffInvites()).invites);
  const [revokedNotice, setRevokedNotice] = createSignal('');
  const replaceUser = (updated: Omit<ListedUser, 'openCases' | 'ownedCustomers'>) =>
    mutate((list) => list?.map((user) => (user.id === updated.id ? { ...user, ...updated } : user)));
  const [departing, setDeparting] = createSignal<ListedUser | null>(null);
  const [departure, setDeparture] = createSignal<Departure | null>(null);
  const departed = (outcome: Departure) => {
    setDeparting(null);
    setDeparture(outcome);
    void refetch();
    // The dialog's opener turned into another button; the announcement keeps the keyboard's place.
    requestAnimationFrame(() => document.getElementById('departure-notice')?.focus());
  };
  const revoked = (invite: PendingStaffInvite) => {
    invitesActions.mutate((current) => current?.filter((listed) => listed.id !== invite.id));
    setRevokedNotice(t('users.revoked', { email: invite.email }));
    // The button is gone with its row; the list's heading keeps the keyboard's place.
    requestAnimationFrame(() => document.getElementById('pending-invites-title')?.focus());
  };
  return (
    <>
      <StaffInviteForm
        onCreated={() => {
          setRevokedNotice('');
          void invitesActions.refetch();
        }}
      />
      <section class="card" aria-labelledby="pending-invites-title" data-testid="pending-invites">
        <h2 id="pending-invites-title" tabindex="-1">
          {t('users.pendingTitle')}
        </h2>
        <Show when={revokedNotice()}>
          <p class="alert alert-success" role="status" data-testid="revoke-notice">
            {revokedNotice()}
          </p>
        </Show>
        <Async resource={invites} onRetry={invitesActions.refetch}>
          {(list) => (
            <Show when={list.length > 0} fallback={<p class="empty">{t('users.pendingEmpty')}</p>}>
              <PendingStaffInvites invites={list} onRevoked={revoked} />
            </Show>
          )}
        </Async>
      </section>
      <section aria-labelledby="user-list-title">
        <h2 id="user-list-title" class="sr-only">
          {t('users.tableLabel')}
        </h2>
        <Show when={departure()} keyed>
          {(outcome) => <DepartureNotice outcome={outcome} />}
        </Show>
        <Async resource={users} onRetry={refetch}>
          {(list) => (
            <Show when={list.length > 0} fallback={<p class="empty">{t('users.empty')}</p>}>
              <UserTable
                users={list}
                onUpdated={replaceUser}
                onHoldsCases={(user) => {
                  setDeparture(null);
                  setDeparting(user);
                }}
              />
            </Show>
          )}
        </Async>
      </section>
      <Show when={departing()} keyed>
        {(user) => <MoveCasesDialog user={user} onCancel={() => setDeparting(null)} onDone={departed} />}
      </Show>
    </>
  );
}

/** How deactivating someone who held cases or owned customers ended: what moved (to whom), and whether the account is deactivated. */
interface Departure {
  name: string;
  moved: number;
  shares: { name: string; count: number }[];
  /** Customers moved, and to whom; null when the person owned none. */
  customers: { moved: number; shares: { name: string; count: number }[] } | null;
  /** Why the account is still active, when the deactivation was refused after the move. */
  error: unknown;
}

function DepartureNotice(props: { outcome: Departure }) {
  const to = () => props.outcome.shares.map((share) => t('users.share', share)).join(t('users.listSeparator'));
  const { name, moved, customers } = props.outcome;
  // Someone who owned customers and held no cases: the customers' line says what moved.
  if (customers) return <OwnerDepartureNotice outcome={props.outcome} customers={customers} />;
  return (
    <Show
      when={props.outcome.error}
      fallback={
        <p id="departure-notice" class="alert alert-success" role="status" tabindex="-1" data-testid="departure-notice">
          {moved === 0
            ? t('users.moveDoneNone', { name })
            : moved === 1
              ? t('users.moveDoneOne', { name, to: to() })
              : t('users.moveDone', { name, to: to(), count: moved })}
        </p>
      }
    >
      {(error) => (
        <div id="departure-notice" class="alert alert-error" role="alert" tabindex="-1" data-testid="departure-notice">
          <p>
            {moved === 0
              ? t('users.notDeactivated', { name })
              : moved === 1
                ? t('users.moveHalfOne', { name, to: to() })
                : t('users.moveHalf', { name, to: to(), count: moved })}
          </p>
          <p>{describeError(error())}</p>
        </div>
      )}
    </Show>
  );
}

/** What moved from someone who owned customers (and perhaps held cases), and whether they are deactivated now. */
function OwnerDepartureNotice(props: { outcome: Departure; customers: NonNullable<Departure['customers']> }) {
  const name = props.outcome.name;
  const lines = () => {
    const casesTo = props.outcome.shares.map((share) => t('users.share', share)).join(t('users.listSeparator'));
    const customersTo = props.customers.shares.map((share) => t('users.customerShare', share)).join(t('users.listSeparator'));
    const cases = props.outcome.moved;
    const customers = props.customers.moved;
    return [
      cases === 0 ? null : cases === 1 ? t('users.casesMovedOne', { name, to: casesTo }) : t('users.casesMoved', { name, to: casesTo, count: cases }),
      customers === 0 ? null : customers === 1 ? t('users.customersMovedOne', { name, to: customersTo }) : t('users.customersMoved', { name, to: customersTo, count: customers }),
    ].filter((line): line is string => line !== null);
  };
  return (
    <Show
      when={props.outcome.error}
      fallback={
        <div id="departure-notice" class="alert alert-success" role="status" tabindex="-1" data-testid="departure-notice">
          <For each={lines()}>{(line) => <p>{line}</p>}</For>
          <p>{t('users.deactivatedNow', { name })}</p>
        </div>
      }
    >
      {(error) => (
        <div id="departure-notice" class="alert alert-error" role="alert" tabindex="-1" data-testid="departure-notice">
          <For each={lines()}>{(line) => <p>{line}</p>}</For>
          <p>{t('users.notDeactivated', { name })}</p>
          <p>{describeError(error())}</p>
        </div>
      )}
    </Show>
  );
}

/**
 * "N open cases must move first": the admin picks who takes them, then the cases move (round robin, on the
 * server) and the account is deactivated. A refused move changes nothing and is shown here; a refused
 * deactivation after the move is announced with what did move.
 */
function MoveCasesDialog(props: { user: ListedUser; onCancel: () => void; onDone: (outcome: Departure) => void }) {
  const [agents] = createResource(async () =>
    (await accountsApi.caseAgents()).agents.filter((agent) => agent.id !== props.user.id),
  );
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const count = props.user.openCases;
  const owned = props.user.ownedCustomers;
  const toggle = (id: string, on: boolean) => setChosen((current) => (on ? [...current, id] : current.filter((listed) => listed !== id)));

  const move = async () => {
    if (busy()) return;
    setBusy(true);
    setError(null);
    const user = props.user;
    let result: Awaited<ReturnType<typeof accountsApi.reassignCases>> = { moved: 0, to: {} };
    let customers: Awaited<ReturnType<typeof accountsApi.reassignCustomers>> | null = null;
    const names = new Map((agents() ?? []).map((agent: CaseAgent) => [agent.id, agent.name]));
    const sharesOf = (to: Record<string, number>) =>
      Object.entries(to)
        .filter(([, moved]) => moved > 0)
        .map(([id, moved]) => ({ name: names.get(id) ?? id, count: moved }));
    try {
      if (count > 0) result = await accountsApi.reassignCases({ fromUserId: user.id, toUserIds: chosen() });
      if (owned > 0) customers = await accountsApi.reassignCustomers({ fromUserId: user.id, toUserIds: chosen() });
    } catch (caught) {
      // Cases that moved before the customers were refused are shown moved: the list is read again.
      if (result.moved > 0) props.onDone({ name: user.name, moved: result.moved, shares: sharesOf(result.to), customers: { moved: 0, shares: [] }, error: caught });
      else setError(caught);
      setBusy(false);
      return;
    }
    const shares = sharesOf(result.to);
    let refused: unknown = null;
    try {
      await accountsApi.updateUser(user.id, { active: false });
    } catch (caught) {
      refused = caught;
    }
    setBusy(false);
    props.onDone({
      name: user.name,
      moved: result.moved,
      shares,
      customers: customers ? { moved: customers.moved, shares: sharesOf(customers.to) } : null,
      error: refused,
    });
  };

  return (
    <ConfirmDialog
      open
      title={
        owned === 0
          ? count === 1
            ? t('users.moveTitleOne')
            : t('users.moveTitle', { count })
          : count === 0
            ? owned === 1
              ? t('users.ownersTitleOne')
              : t('users.ownersTitle', { count: owned })
            : t('users.bothTitle', { cases: count, customers: owned })
      }
      confirmLabel={
        busy() ? t('users.moving') : owned > 0 ? t('users.moveAllConfirm') : count === 1 ? t('users.moveConfirmOne') : t('users.moveConfirm', { count })
      }
      confirmTestId="move-cases-confirm"
      danger
      busy={busy()}
      onConfirm={() => void move()}
      onCancel={() => props.onCancel()}
    >
      <p>{owned === 0 ? t('users.moveIntro', { name: props.user.name }) : count === 0 ? t('users.ownersIntro', { name: props.user.name }) : t('users.bothIntro', { name: props.user.name })}</p>
      <Show when={error()}>
        {(caught) => <ErrorMessage error={caught()} labels={(path) => (path === 'toUserIds' ? t('users.moveTo') : undefined)} />}
      </Show>
      <Async resource={agents} loadingLabel={t('users.agentsLoading')}>
        {(list) => (
          <Show when={list.length > 0} fallback={<p class="alert alert-info">{t('users.noAgents')}</p>}>
            <fieldset class="subgroup" data-testid="move-cases-agents">
              <legend>{owned === 0 ? t('users.moveTo') : t('users.moveToBoth')}</legend>
              <For each={list}>
                {(agent) => (
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="move-to"
                      value={agent.id}
                      checked={chosen().includes(agent.id)}
                      onChange={(event) => toggle(agent.id, event.currentTarget.checked)}
                    />
                    <span>
                      {agent.name}{' '}
                      <span class="muted">({t('users.agentDetail', { role: t(`roles.${agent.role}`), count: agent.openCases })})</span>
                    </span>
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
        )}
      </Async>
    </ConfirmDialog>
  );
}

function StaffInviteForm(props: { onCreated: () => void }) {
  const [email, setEmail] = createSignal('');
  // No role until one is chosen: the server refuses an invite without one and the form says so.
  const [role, setRole] = createSignal<Role | ''>('');
  const [created, setCreated] = createSignal<{ url: string; expiresAt: string; emailedTo: string | null } | null>(null);
  const form = createFormState();
  const inviteLabels = (): Record<string, string> => ({ email: t('users.inviteEmail'), role: t('users.inviteRole') });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setCreated(null);
    void form.run(async () => {
      const sentTo = email().trim();
      const invite = await accountsApi.createStaffInvite({ email: sentTo, role: role() as Role });
      setCreated({ url: absoluteUrl(invite.invitePath), expiresAt: invite.expiresAt, emailedTo: invite.emailed ? sentTo : null });
      setEmail('');
      setRole('');
      props.onCreated();
    });
  };

  return (
    <section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('users.inviteTitle')}</h2>
      <Show when={form.error()}>
        {(error) => <ErrorMessage error={error()} labels={(path) => inviteLabels()[path]} />}
      </Show>
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
        <Select<Role | ''>
          label={t('users.inviteRole')}
          name="invite-role"
          id="invite-role"
          hint={t('users.roleHint')}
          placeholder={t('users.chooseRole')}
          value={role()}
          options={roles.map((option) => ({ value: option, label: t(`roles.${option}`) }))}
          onChange={setRole}
          error={form.fieldError('role')}
        />
        <button type="submit" class="button button-primary" data-testid="invite-submit" disabled={form.busy()}>
          {form.busy() ? t('users.inviting') : t('users.inviteSubmit')}
        </button>
      </form>
      <Show when={created()}>
        {(invite) => (
          <div class="alert alert-success invite-result" role="status">
            <p data-testid="invite-ready">
              {invite().emailedTo ? t('users.inviteEmailed', { email: invite().emailedTo! }) : t('users.inviteReady')}
            </p>
            <p class="invite-link-row">
              <span class="label">
                {t('users.inviteLink')}
                {t('app.labelSeparator')}
              </span>
              <a data-testid="invite-link" href={invite().url} class="break">
                {invite().url}
              </a>{' '}
              <CopyButton text={invite().url} />
            </p>
            <p class="muted">{t('users.expires', { date: formatDateTime(invite().expiresAt) })}</p>
          </div>
        )}
      </Show>
    </section>
  );
}

function PendingStaffInvites(props: { invites: PendingStaffInvite[]; onRevoked: (invite: PendingStaffInvite) => void }) {
  const [pending, setPending] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  const revoke = async (invite: PendingStaffInvite) => {
    if (pending()) return;
    setPending(invite.id);
    setError(null);
    try {
      await accountsApi.revokeStaffInvite(invite.id);
      props.onRevoked(invite);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <DataTable
        label={t('users.pendingTitle')}
        headers={[t('users.colEmail'), t('users.colRole'), t('users.colInvitedBy'), t('users.colExpires'), t('users.colActions')]}
      >
        <For each={props.invites}>
          {(invite) => (
            <tr data-testid="pending-invite" data-email={invite.email}>
              <td class="break">{invite.email}</td>
              <td>{t(`roles.${invite.role}`)}</td>
              <td>{invite.invitedBy?.name ?? t('app.none')}</td>
              <td>{formatDateTime(invite.expiresAt)}</td>
              <td>
                <button
                  type="button"
                  class="button button-small button-danger"
                  aria-label={t('users.revokeFor', { email: invite.email })}
                  aria-busy={pending() === invite.id}
                  onClick={() => void revoke(invite)}
                >
                  {t('users.revoke')}
                </button>
              </td>
            </tr>
          )}
        </For>
      </DataTable>
    </>
  );
}

function UserTable(props: {
  users: ListedUser[];
  onUpdated: (user: Omit<ListedUser, 'openCases' | 'ownedCustomers'>) => void;
  /** Deactivating this person waits until their complaint cases and customers are moved. */
  onHoldsCases: (user: ListedUser) => void;
}) {
  const [pending, setPending] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal('');

  /** Applies a change; false when the server refused it. Controls stay enabled so keyboard focus stays put. */
  const update = async (user: ListedUser, change: { active?: boolean; role?: Role }): Promise<boolean> => {
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
      // Cases were given to them since the list was read: move those first.
      const body = caught instanceof ApiError ? (caught.body as { openCases?: unknown; ownedCustomers?: unknown } | null) : null;
      const held = typeof body?.openCases === 'number' ? body.openCases : 0;
      const owned = typeof body?.ownedCustomers === 'number' ? body.ownedCustomers : 0;
      if (change.active === false && (held > 0 || owned > 0)) props.onHoldsCases({ ...user, openCases: held, ownedCustomers: owned });
      else setError(caught);
      return false;
    } finally {
      setPending(null);
    }
  };

  const toggleActive = (user: ListedUser) => {
    if (user.active && (user.openCases > 0 || user.ownedCustomers > 0)) {
      setError(null);
      setNotice('');
      props.onHoldsCases(user);
    } else void update(user, { active: !user.active });
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
          { label: t('users.colOpenCases'), numeric: true },
          { label: t('users.colCustomers'), numeric: true },
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
                <td class="numeric" data-testid="open-cases">
                  {formatCount(user().openCases)}
                </td>
                <td class="numeric" data-testid="owned-customers">
                  {formatCount(user().ownedCustomers)}
                </td>
                <td>
                  <A href={`/privacy/access-log?staffId=${encodeURIComponent(user().id)}`} class="button button-small" data-testid="user-access-log">
                    {t('users.accessLog')}
                  </A>{' '}
                  <Show when={!isSelf()}>
                    <button
                      type="button"
                      class={`button button-small ${user().active ? 'button-danger' : ''}`}
                      aria-busy={pending() === user().id}
                      onClick={() => toggleActive(user())}
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
