// /complaints: the queues an agent works from (mine, unassigned, at risk, breached, waiting, all), narrowed by
// category, severity, channel, survey, customer tier, status or a search, all kept in the address so a queue
// can be bookmarked and shared. Rows show how much business time is left on the deadline that runs next; rows
// can be picked and assigned together. Interviewers see the cases they logged, and nothing else.
import { A, useLocation, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js';
import { caseChannels, caseQueues, caseSeverities, caseStatuses, type CaseQueue } from '../../../server/complaints/vocabulary.ts';
import { customerTiers } from '../../../server/customers/vocabulary.ts';
import { localized } from '../i18n.ts';
import { responsesApi } from '../responses/api.ts';
import { appBase } from '../Shell.tsx';
import { canAuthor, currentUser } from '../session.ts';
import { Async, DataTable, EmptyState, ErrorMessage, Field, LoadMore, Select, usePageTitle } from '../ui.tsx';
import { complaintsApi, type ComplaintSettings, type QueuePage, type QueueRow } from './api.ts';
import { nextDeadline } from './deadlines.ts';
import { CaseStatusBadge, categoryName, readingOf, SeverityBadge, TimeLeft, useNow } from './parts.tsx';
import { apiQueryOfView, clearedFilters, isFiltered, viewFromQuery, withFilter, type QueryValues, type QueueFilter, type QueueView } from './queue.ts';
import { t } from './text.ts';
import { customerName } from '../text.ts';

/** Whether the signed-in person works cases (support, managers, admins), or only logs them (interviewers). */
export function worksCases() {
  const role = currentUser()?.role;
  return role === 'support' || role === 'manager' || role === 'admin';
}

/** The tab a role opens on: an agent's own queue; everything for managers. */
export function homeQueue(): CaseQueue {
  return currentUser()?.role === 'support' ? 'mine' : 'all';
}

/** The queue last shown, with its filters (the address's query), so a case's back link returns to it. */
const [lastQueue, setLastQueue] = createSignal<{ queue: CaseQueue; search: string } | null>(null);
export { lastQueue };

export default function QueuesPage() {
  const interviewer = () => currentUser()?.role === 'interviewer';
  usePageTitle(() => (interviewer() ? t('complaints.interviewerTitle') : t('complaints.title')));
  const [params, setParams] = useSearchParams();
  const queues = (): readonly CaseQueue[] => (interviewer() ? ['all'] : caseQueues);
  const view = createMemo(() => viewFromQuery(params as QueryValues, homeQueue(), queues()));
  const [settings] = createResource(() => complaintsApi.settings().then((answer) => answer.settings).catch(() => null));
  const go = (query: Record<string, string | undefined>) => setParams(query, { replace: false });
  const location = useLocation();
  createEffect(() => setLastQueue({ queue: view().queue, search: location.search }));

  return (
    <Show when={worksCases() || interviewer()} fallback={<p class="alert alert-info">{t('complaints.notAllowed')}</p>}>
      <div class="page-header">
        <div>
          <h1>{interviewer() ? t('complaints.interviewerTitle') : t('complaints.title')}</h1>
          <p class="muted">{interviewer() ? t('complaints.interviewerIntro') : t('complaints.intro')}</p>
        </div>
        <div class="actions">
          <Show when={canAuthor()}>
            <A href="/complaints/reassign" class="button">
              {t('complaints.reassign.link')}
            </A>
            <A href="/complaints/macros" class="button">
              {t('complaints.macrosLink')}
            </A>
            <A href="/complaints/settings" class="button">
              {t('complaints.settingsLink')}
            </A>
          </Show>
          <A href="/complaints/new" class="button button-primary" data-testid="log-case">
            {t('complaints.logCase')}
          </A>
        </div>
      </div>
      <Show when={!interviewer()}>
        <nav class="queue-tabs" aria-label={t('complaints.queuesLabel')}>
          <For each={queues()}>
            {(queue) => (
              // A plain link (the router still follows it): the router's own would mark every tab current.
              <a
                href={`${appBase}/complaints${searchOf(withFilter(view(), homeQueue(), 'queue', queue))}`}
                class="queue-tab"
                aria-current={view().queue === queue ? 'page' : undefined}
                data-testid={`queue-${queue}`}
              >
                {t(`complaints.queues.${queue}`)}
              </a>
            )}
          </For>
        </nav>
        <QueueFilters view={view()} settings={settings() ?? null} onChange={go} />
      </Show>
      <Queue view={view()} settings={settings() ?? null} selectable={worksCases()} />
    </Show>
  );
}

function searchOf(values: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

function QueueFilters(props: { view: QueueView; settings: ComplaintSettings | null; onChange: (query: Record<string, string | undefined>) => void }) {
  const [text, setText] = createSignal(props.view.q);
  createEffect(() => setText(props.view.q));
  const [surveys] = createResource(() => responsesApi.explorerSurveys().then((answer) => answer.surveys).catch(() => []));
  const any = { value: '', label: t('complaints.filters.any') };
  const pick = (key: QueueFilter) => (value: string) => props.onChange(withFilter(props.view, homeQueue(), key, value));
  return (
    <form
      class="card filters"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        props.onChange(withFilter(props.view, homeQueue(), 'q', text().trim()));
      }}
    >
      <div class="filters-search">
        <Field label={t('complaints.filters.search')} name="q" type="search" hint={t('complaints.filters.searchHint')} value={text()} onInput={setText} />
        <button type="submit" class="button button-primary" data-testid="queue-search">
          {t('complaints.filters.search')}
        </button>
      </div>
      <fieldset class="filters-row">
        <legend class="sr-only">{t('complaints.filters.label')}</legend>
        <Select
          label={t('complaints.filters.category')}
          name="category"
          value={props.view.category ?? ''}
          options={[any, ...(props.settings?.categories ?? []).map((category) => ({ value: category.key, label: localized(category.label) }))]}
          onChange={pick('category')}
        />
        <Select
          label={t('complaints.filters.severity')}
          name="severity"
          value={props.view.severity ?? ''}
          options={[any, ...caseSeverities.map((value) => ({ value, label: t(`complaints.severities.${value}`) }))]}
          onChange={pick('severity')}
        />
        <Select
          label={t('complaints.filters.channel')}
          name="channel"
          value={props.view.channel ?? ''}
          options={[any, ...caseChannels.map((value) => ({ value, label: t(`complaints.channels.${value}`) }))]}
          onChange={pick('channel')}
        />
        <Select
          label={t('complaints.filters.survey')}
          name="surveyId"
          value={props.view.surveyId ?? ''}
          options={[any, ...(surveys() ?? []).map((survey) => ({ value: survey.id, label: localized(survey.title) }))]}
          onChange={pick('surveyId')}
        />
        <Select
          label={t('complaints.filters.tier')}
          name="tier"
          value={props.view.tier ?? ''}
          options={[any, ...customerTiers.map((value) => ({ value, label: t(`tiers.${value}`) }))]}
          onChange={pick('tier')}
        />
        <Select
          label={t('complaints.filters.status')}
          name="status"
          value={props.view.status ?? ''}
          options={[any, ...caseStatuses.map((value) => ({ value, label: t(`complaints.statuses.${value}`) }))]}
          onChange={pick('status')}
        />
        <Show when={isFiltered(props.view)}>
          <button type="button" class="button" data-testid="queue-clear" onClick={() => props.onChange(clearedFilters(props.view, homeQueue()))}>
            {t('complaints.filters.clear')}
          </button>
        </Show>
      </fieldset>
    </form>
  );
}

function Queue(props: { view: QueueView; settings: ComplaintSettings | null; selectable: boolean }) {
  const [page, { refetch }] = createResource(
    () => apiQueryOfView(props.view),
    (query) => complaintsApi.list(query),
  );
  const [notice, setNotice] = createSignal('');
  createEffect(on(() => props.view, () => setNotice(''), { defer: true }));
  return (
    <>
      <p role="status" class="queue-notice" data-testid="queue-notice">
        {notice()}
      </p>
      <Async resource={page} onRetry={refetch}>
        {(first) => (
          <QueueTable
            first={first}
            view={props.view}
            settings={props.settings}
            selectable={props.selectable}
            onAssigned={(message) => {
              setNotice(message);
              void refetch();
            }}
          />
        )}
      </Async>
    </>
  );
}

function QueueTable(props: { first: QueuePage; view: QueueView; settings: ComplaintSettings | null; selectable: boolean; onAssigned: (message: string) => void }) {
  const navigate = useNavigate();
  const now = useNow();
  const [more, setMore] = createSignal<QueueRow[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(props.first.nextBefore);
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  // A new first page (another tab or filter, or after assigning) starts the list and the selection again.
  createEffect(
    on(
      () => props.first,
      (first) => {
        setMore([]);
        setCursor(first.nextBefore);
        setSelected(new Set<string>());
      },
    ),
  );
  const rows = () => [...props.first.cases, ...more()];
  const loadMore = async (after: string) => {
    const next = await complaintsApi.list(apiQueryOfView(props.view), after);
    setMore([...more(), ...next.cases]);
    setCursor(next.nextBefore);
  };
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allSelected = () => rows().length > 0 && rows().every((row) => selected().has(row.id));
  const href = (row: QueueRow) => `/complaints/cases/${encodeURIComponent(row.id)}`;

  return (
    <Show
      when={rows().length > 0}
      fallback={
        <EmptyState
          testId="queue-empty"
          message={isFiltered(props.view) ? t('complaints.list.noMatch') : t(`complaints.list.empty.${props.view.queue}`)}
          hint={
            isFiltered(props.view)
              ? t('complaints.list.noMatchHint')
              : props.view.queue === 'mine'
                ? t('complaints.list.mineHint')
                : currentUser()?.role === 'interviewer'
                  ? t('complaints.list.loggedHint')
                  : t('complaints.list.emptyHint')
          }
        />
      }
    >
      <Show when={props.selectable}>
        <div class="queue-toolbar">
          <label class="checkbox">
            <input
              type="checkbox"
              data-testid="select-all"
              checked={allSelected()}
              onChange={(event) => setSelected(event.currentTarget.checked ? new Set(rows().map((row) => row.id)) : new Set<string>())}
            />{' '}
            {t('complaints.list.selectAll')}
          </label>
        </div>
        <Show when={selected().size > 0}>
          <BulkAssign ids={[...selected()]} onDone={props.onAssigned} onClear={() => setSelected(new Set<string>())} />
        </Show>
      </Show>
      <DataTable
        label={t('complaints.list.tableLabel')}
        class="table-clickable queue-table"
        headers={[
          ...(props.selectable ? [t('complaints.list.colSelect')] : []),
          t('complaints.list.colReference'),
          t('complaints.list.colCustomer'),
          t('complaints.list.colCategory'),
          t('complaints.list.colSeverity'),
          t('complaints.list.colStatus'),
          t('complaints.list.colAssignee'),
          t('complaints.list.colDeadline'),
        ]}
      >
        <For each={rows()}>
          {(row) => {
            const mark = () => nextDeadline(row);
            return (
              <tr
                data-testid="case-row"
                data-reference={row.reference}
                classList={{ 'row-breached': row.alert === 'breached', 'row-at-risk': row.alert === 'at_risk' }}
                onClick={(event) => {
                  if ((event.target as Element).closest('a, input, label')) return;
                  navigate(href(row));
                }}
              >
                <Show when={props.selectable}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('complaints.list.selectCase', { reference: row.reference })}
                      checked={selected().has(row.id)}
                      onChange={(event) => toggle(row.id, event.currentTarget.checked)}
                    />
                  </td>
                </Show>
                <td class="nowrap">
                  <A href={href(row)} class="strong-link">
                    {row.reference}
                  </A>
                  <Show when={row.escalated}>
                    <span class="muted small block">{t('complaints.list.escalated')}</span>
                  </Show>
                </td>
                <td class="cell-wide">{customerText(row)}</td>
                <td>{categoryName(props.settings?.categories, row.category)}</td>
                <td>
                  <SeverityBadge severity={row.severity} />
                </td>
                <td>
                  <CaseStatusBadge status={row.status} />
                </td>
                <td>{row.assigneeName ?? t('complaints.list.unassigned')}</td>
                <td>
                  <Show when={mark()} fallback={<span class="muted">{t('app.none')}</span>}>
                    {(running) => (
                      <Show when={props.settings} fallback={<span>{t(`complaints.deadlines.${running().deadline}`)}</span>}>
                        {(loaded) => <TimeLeft reading={readingOf(loaded().calendar, row, running(), now(), row.alert)} />}
                      </Show>
                    )}
                  </Show>
                </td>
              </tr>
            );
          }}
        </For>
      </DataTable>
      <LoadMore nextBefore={cursor()} load={loadMore} testId="queue-load-more" label={t('complaints.list.loadMore')} />
    </Show>
  );
}

/** The customer's name, or the contact's, or why none is shown. */
function customerText(row: QueueRow): string {
  if (!row.personal) return t('complaints.list.hidden');
  return customerName(row.customerName) ?? row.contactName ?? t('complaints.list.noContact');
}

function BulkAssign(props: { ids: string[]; onDone: (message: string) => void; onClear: () => void }) {
  const [agents] = createResource(() => complaintsApi.agents().then((answer) => answer.agents));
  const [assignee, setAssignee] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const assign = async () => {
    if (!assignee()) return;
    setBusy(true);
    setError(null);
    try {
      await complaintsApi.bulkAssign({ ids: props.ids, assigneeId: assignee() });
      const name = agents()?.find((agent) => agent.id === assignee())?.name ?? '';
      props.onDone(props.ids.length === 1 ? t('complaints.bulk.doneOne', { name }) : t('complaints.bulk.done', { n: props.ids.length, name }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card bulk-bar" data-testid="bulk-assign">
      <p class="strong">{t('complaints.bulk.selected', { n: props.ids.length })}</p>
      <Select
        label={t('complaints.bulk.assignTo')}
        name="bulkAssignee"
        value={assignee()}
        placeholder={t('complaints.bulk.choose')}
        options={(agents() ?? []).map((agent) => ({ value: agent.id, label: agent.name }))}
        onChange={setAssignee}
      />
      <div class="actions">
        <button type="button" class="button button-primary" disabled={busy() || !assignee()} data-testid="bulk-assign-submit" onClick={assign}>
          {busy() ? t('complaints.bulk.assigning') : t('complaints.bulk.assign')}
        </button>
        <button type="button" class="button" onClick={() => props.onClear()}>
          {t('complaints.bulk.clear')}
        </button>
      </div>
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
    </div>
  );
}
