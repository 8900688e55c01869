// /follow-ups: the follow-up list. "Mine" holds the tasks for customers the signed-in person owns (VIP and at-risk
// follow-ups); "Calls to make" the thank-you and VIP calls anyone may take; admins and managers also see the
// at-risk customers without an owner ("Managers' tasks") and everything. Each row says what to do and how (the
// number to call), or why it was skipped; working a task records its outcome, and the contact rule is asked again
// first, so a customer who withdrew consent meanwhile is not called.
import { A, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { appBase } from '../Shell.tsx';
import { canAuthor } from '../session.ts';
import { formatDateTime } from '../i18n.ts';
import { Async, ConfirmDialog, DataTable, EmptyState, ErrorMessage, Field, LoadMore, Select, usePageTitle } from '../ui.tsx';
import { followUpsApi, type FollowUpOutcome, type FollowUpStatusFilter, type FollowUpView, type ListedFollowUp } from './api.ts';
import { t } from './text.ts';
import { customerName } from '../text.ts';

const views: FollowUpView[] = ['mine', 'calls', 'team', 'all'];
const statuses: FollowUpStatusFilter[] = ['open', 'closed', 'skipped', 'all'];
const outcomes: FollowUpOutcome[] = ['reached', 'left_message', 'no_answer', 'wrong_number', 'refused'];

const viewWord = { mine: 'viewMine', calls: 'viewCalls', team: 'viewTeam', all: 'viewAll' } as const;
const statusWord = { open: 'statusOpen', closed: 'statusClosed', skipped: 'statusSkipped', all: 'statusAll' } as const;
const emptyWord = { mine: 'emptyMine', calls: 'emptyCalls', team: 'emptyTeam', all: 'emptyAll' } as const;

type Params = { view?: string; status?: string };

export default function FollowUpsPage() {
  usePageTitle(() => t('followUps.title'));
  const [params, setParams] = useSearchParams<Params>();
  const shownViews = () => views.filter((view) => canAuthor() || (view !== 'team' && view !== 'all'));
  const view = (): FollowUpView => (shownViews().includes(params.view as FollowUpView) ? (params.view as FollowUpView) : 'mine');
  const status = (): FollowUpStatusFilter => (statuses.includes(params.status as FollowUpStatusFilter) ? (params.status as FollowUpStatusFilter) : 'open');
  const [counts, { refetch: refetchCounts }] = createResource(() => followUpsApi.counts());
  const query = createMemo(() => ({ view: view(), status: status() }));
  const [page, { refetch, mutate }] = createResource(query, (current) => followUpsApi.list(current));
  const [working, setWorking] = createSignal<ListedFollowUp | null>(null);
  const [notice, setNotice] = createSignal('');

  const countOf = (view: FollowUpView) => {
    const loaded = counts();
    if (!loaded || view === 'all') return null;
    return loaded[view];
  };
  const loadMore = async (before: string) => {
    const next = await followUpsApi.list({ ...query(), before });
    mutate((current) => (current ? { followUps: [...current.followUps, ...next.followUps], nextBefore: next.nextBefore } : next));
  };
  const worked = (name: string) => {
    setWorking(null);
    setNotice(t('followUps.saved', { name }));
    void refetch();
    void refetchCounts();
  };

  return (
    <>
      <div class="page-header">
        <h1>{t('followUps.title')}</h1>
      </div>
      <p class="muted">{t('followUps.intro')}</p>
      <nav class="queue-tabs" aria-label={t('followUps.views')}>
        <For each={shownViews()}>
          {(option) => (
            // A plain link (the router still follows it): the router's own would mark every tab current.
            <a
              href={`${appBase}/follow-ups?view=${option}&status=${status()}`}
              class="queue-tab"
              aria-current={view() === option ? 'page' : undefined}
              data-testid={`view-${option}`}
            >
              {countOf(option) === null ? t(`followUps.${viewWord[option]}`) : t('followUps.viewCount', { label: t(`followUps.${viewWord[option]}`), count: countOf(option)! })}
            </a>
          )}
        </For>
      </nav>
      <div class="filters">
        <Select<FollowUpStatusFilter>
          label={t('followUps.statusFilter')}
          id="follow-up-status"
          value={status()}
          options={statuses.map((option) => ({ value: option, label: t(`followUps.${statusWord[option]}`) }))}
          onChange={(value) => setParams({ status: value })}
        />
      </div>
      <Show when={notice()}>
        <p class="alert alert-success" role="status" data-testid="follow-up-notice">
          {notice()}
        </p>
      </Show>
      <Async resource={page} onRetry={refetch}>
        {(loaded) => (
          <Show
            when={loaded.followUps.length > 0}
            fallback={<EmptyState message={t('followUps.empty')} hint={t(`followUps.${emptyWord[view()]}`)} testId="follow-ups-empty" />}
          >
            <DataTable
              label={t('followUps.tableLabel')}
              headers={[
                t('followUps.colCustomer'),
                t('followUps.colWhat'),
                t('followUps.colHow'),
                t('followUps.colDue'),
                t('followUps.colAssignee'),
                t('followUps.colStatus'),
                t('followUps.colActions'),
              ]}
            >
              <For each={loaded.followUps}>{(item) => <FollowUpRow item={item} onWork={() => (setNotice(''), setWorking(item))} />}</For>
            </DataTable>
            <LoadMore nextBefore={loaded.nextBefore} load={loadMore} />
          </Show>
        )}
      </Async>
      <Show when={working()} keyed>
        {(item) => <OutcomeDialog item={item} onCancel={() => setWorking(null)} onDone={() => worked(customerName(item.customer?.name) ?? '')} onClosed={() => (setWorking(null), void refetch(), void refetchCounts())} />}
      </Show>
    </>
  );
}

function FollowUpRow(props: { item: ListedFollowUp; onWork: () => void }) {
  const item = () => props.item;
  const reasons = () =>
    item()
      .reasons.map((reason) => t(`followUps.atRiskReasons.${reason as 'low_attitude'}`) || reason)
      .join(t('followUps.listSeparator'));
  const skip = (reason: string | null) => (reason ? t(`followUps.skipReasons.${reason as 'no_consent'}`) || reason : '');
  return (
    <tr data-testid="follow-up" data-kind={item().kind} data-state={item().state}>
      <td>
        <Show when={item().customer} fallback={t('app.none')}>
          {(customer) => (
            <A class="strong-link" href={`/customers/${encodeURIComponent(customer().id)}`}>
              {customerName(customer().name)}
            </A>
          )}
        </Show>
      </td>
      <td>
        {t(`followUps.kinds.${item().kind}`)}
        <Show when={item().purchase}>
          {(purchase) => <div class="muted">{t('followUps.order', { order: purchase().orderId })}</div>}
        </Show>
        <Show when={item().reasons.length > 0}>
          <div class="muted">{t('followUps.why', { reasons: reasons() })}</div>
        </Show>
      </td>
      <td>
        <Show when={item().channel} fallback={t('app.none')}>
          {(channel) => (
            <Show
              when={item().state === 'open'}
              fallback={t(`followUps.channels.${channel()}`)}
            >
              {channel() === 'phone'
                ? t('followUps.callNumber', { phone: item().customer?.phone ?? '' })
                : t('followUps.writeTo', { email: item().customer?.email ?? '' })}
            </Show>
          )}
        </Show>
      </td>
      <td>{formatDateTime(item().dueAt)}</td>
      <td>{item().assignee?.name ?? (item().kind === 'at_risk' ? t('followUps.team') : t('followUps.pool'))}</td>
      <td data-testid="follow-up-state">
        <span class={`badge ${item().state === 'skipped' || item().state === 'failed' ? 'badge-closed' : item().state === 'open' ? 'badge-draft' : 'badge-published'}`}>
          {t(`followUps.states.${item().state}`)}
        </span>
        <Show when={item().state === 'skipped' && item().skipReason}>
          <div data-testid="skip-reason">{t('followUps.skippedBecause', { reason: skip(item().skipReason) })}</div>
        </Show>
        <Show when={item().contactNow?.ok === false}>
          <div class="field-error" data-testid="contact-now">
            {t('followUps.doNotContactNow', { reason: skip(item().contactNow?.ok === false ? (item().contactNow as { reason: string }).reason : null) })}
          </div>
        </Show>
        <Show when={item().outcome}>
          {(outcome) => <div>{t(`followUps.outcomes.${outcome()}`)}</div>}
        </Show>
        <Show when={item().state === 'open' && item().attempts > 0}>
          <div class="muted">{t('followUps.attempts', { count: item().attempts })}</div>
        </Show>
        <Show when={item().workedBy && item().workedAt}>
          <div class="muted">{t('followUps.workedBy', { name: item().workedBy!.name, at: formatDateTime(item().workedAt!) })}</div>
        </Show>
      </td>
      <td>
        <Show when={item().state === 'open'}>
          <button
            type="button"
            class="button button-small"
            aria-label={t('followUps.recordFor', { name: customerName(item().customer?.name) ?? '' })}
            onClick={() => props.onWork()}
          >
            {t('followUps.record')}
          </button>
        </Show>
      </td>
    </tr>
  );
}

/**
 * Records what a follow-up came to. The server asks the contact rule again first: a customer who may no longer be
 * contacted closes the task as skipped, and the dialog says why.
 */
function OutcomeDialog(props: { item: ListedFollowUp; onCancel: () => void; onDone: () => void; onClosed: () => void }) {
  const [outcome, setOutcome] = createSignal<FollowUpOutcome | ''>('');
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [closed, setClosed] = createSignal(false);
  const [missing, setMissing] = createSignal(false);
  const name = () => customerName(props.item.customer?.name) ?? '';

  const save = async () => {
    if (busy()) return;
    if (closed()) return props.onClosed();
    const chosen = outcome();
    if (!chosen) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await followUpsApi.outcome(props.item.id, { outcome: chosen, ...(note().trim() ? { note: note().trim() } : {}) });
      props.onDone();
    } catch (caught) {
      setError(caught);
      // The contact rule closed the task: the list is read again when the dialog is closed.
      const body = (caught as { body?: { skipReason?: unknown } } | null)?.body;
      if (typeof body?.skipReason === 'string') setClosed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open
      title={t('followUps.recordTitle', { name: name() })}
      confirmLabel={closed() ? t('followUps.close') : busy() ? t('followUps.saving') : t('followUps.save')}
      confirmTestId="follow-up-save"
      busy={busy()}
      onConfirm={() => void save()}
      onCancel={() => (closed() ? props.onClosed() : props.onCancel())}
    >
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <Show when={!closed()}>
        <Select<FollowUpOutcome | ''>
          label={t('followUps.outcome')}
          id="follow-up-outcome"
          placeholder={t('followUps.chooseOutcome')}
          value={outcome()}
          options={outcomes.map((option) => ({ value: option, label: t(`followUps.outcomes.${option}`) }))}
          onChange={(value) => {
            setMissing(false);
            setOutcome(value);
          }}
          error={missing() ? t('followUps.chooseFirst') : undefined}
        />
        <Field label={t('followUps.note')} id="follow-up-note" multiline value={note()} onInput={setNote} />
      </Show>
    </ConfirmDialog>
  );
}
