// /privacy/access-log: who was shown which customer's personal data, where and when, newest first, a page at
// a time; reached from a customer page (?customerId=) and from Users (?staffId=), filtered by dates here.
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { formatDateTime } from '../i18n.ts';
import { Async, DataTable, EmptyState, Field, LoadMore, usePageTitle } from '../ui.tsx';
import { privacyApi, type AccessLogEntry, type AccessLogPage as Page, type AccessLogQuery } from './api.ts';
import { en, t } from './text.ts';
import { customerName } from '../text.ts';

type FieldKey = keyof typeof en.accessLog.fields;
const fieldWord = (field: string) => (field in en.accessLog.fields ? t(`accessLog.fields.${field as FieldKey}`) : field);

export default function AccessLogPage() {
  usePageTitle(() => t('accessLog.title'));
  const [params, setParams] = useSearchParams<{ staffId?: string; customerId?: string; from?: string; to?: string }>();
  const query = () => ({ staffId: params.staffId, customerId: params.customerId, from: params.from, to: params.to });
  const [firstPage, firstPageActions] = createResource(query, (chosen) => privacyApi.accessLog(chosen));
  const first = () => (firstPage.state === 'ready' ? firstPage()?.reads[0] : undefined);
  const heading = () => {
    const row = first();
    if (params.customerId && row) return t('accessLog.forCustomer', { name: customerName(row.customerName) ?? t('accessLog.removedCustomer') });
    if (params.staffId && row) return t('accessLog.forStaff', { name: row.staffName ?? t('accessLog.removedStaff') });
    return t('accessLog.title');
  };
  return (
    <>
      <h1 data-testid="access-log-title">{heading()}</h1>
      <p class="muted">
        {t('accessLog.intro')} <A href="/privacy/retention">{t('accessLog.retentionLink')}</A>
      </p>
      <Show when={params.customerId || params.staffId}>
        <p>
          <A href="/privacy/access-log" data-testid="access-log-all">
            {t('accessLog.showAll')}
          </A>
        </p>
      </Show>
      <div class="filters" role="group" aria-label={t('accessLog.filters')}>
        <Field label={t('accessLog.from')} type="date" value={params.from ?? ''} onInput={(value) => setParams({ from: value || undefined })} />
        <Field label={t('accessLog.to')} type="date" value={params.to ?? ''} onInput={(value) => setParams({ to: value || undefined })} />
      </div>
      <Async resource={firstPage} onRetry={firstPageActions.refetch}>
        {(page) => <ReadsTable firstPage={page} query={query()} />}
      </Async>
    </>
  );
}

function ReadsTable(props: { firstPage: Page; query: AccessLogQuery }) {
  const [more, setMore] = createSignal<Page[]>([]);
  createEffect(on(() => props.firstPage, () => setMore([]), { defer: true }));
  const rows = (): AccessLogEntry[] => [...props.firstPage.reads, ...more().flatMap((page) => page.reads)];
  const nextBefore = () => (more().length ? more()[more().length - 1]!.nextBefore : props.firstPage.nextBefore);
  const loadMore = async (before: string) => setMore([...more(), await privacyApi.accessLog({ ...props.query, before })]);
  return (
    <Show when={rows().length > 0} fallback={<EmptyState testId="access-log-empty" message={t('accessLog.empty')} hint={t('accessLog.emptyHint')} />}>
      <DataTable
        label={t('accessLog.tableLabel')}
        headers={[t('accessLog.colAt'), t('accessLog.colStaff'), t('accessLog.colCustomer'), t('accessLog.colRoute'), t('accessLog.colFields')]}
      >
        <For each={rows()}>
          {(row) => (
            <tr data-testid="access-log-row">
              <td class="nowrap">
                <time datetime={row.at}>{formatDateTime(row.at)}</time>
              </td>
              <td>
                <A href={`/privacy/access-log?staffId=${encodeURIComponent(row.staffId)}`}>{row.staffName ?? t('accessLog.removedStaff')}</A>
                <Show when={row.staffRole}>{(role) => <span class="muted"> ({t(`roles.${role()}`)})</span>}</Show>
              </td>
              <td>
                <A href={`/customers/${encodeURIComponent(row.customerId)}`}>{customerName(row.customerName) ?? t('accessLog.removedCustomer')}</A>
              </td>
              <td>
                <code>{row.route}</code>
              </td>
              <td>{row.fields.map(fieldWord).join(', ')}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} />
    </Show>
  );
}
