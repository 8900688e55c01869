// /customers: search, filter and page through customers. The query lives in the address, so a search can be
// bookmarked, shared, and returned to with the back button.
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Show } from 'solid-js';
import { customerKinds, customerTiers } from '../../../server/customers/vocabulary.ts';
import { type CustomerListRow as Customer, type CustomerList, customersApi } from './api.ts';
import { t } from './text.ts';
import { canAuthor } from '../session.ts';
import { Async, DataTable, EmptyState, Field, Select, usePageTitle } from '../ui.tsx';
import { TierBadge } from './parts.tsx';
import { t as purchaseWords } from '../purchases/text.ts';
import { customerName } from '../text.ts';

type Filters = { q?: string; segment?: string; region?: string; tier?: string; kind?: string; page?: string };

export default function CustomersPage() {
  usePageTitle(() => t('customers.title'));
  const [params, setParams] = useSearchParams<Filters>();
  const query = () => ({
    q: params.q ?? '',
    segment: params.segment ?? '',
    region: params.region ?? '',
    tier: customerTiers.find((tier) => tier === params.tier) ?? ('' as const),
    kind: customerKinds.find((kind) => kind === params.kind) ?? ('' as const),
    page: Math.max(1, Number(params.page) || 1),
  });
  const [list, { refetch }] = createResource(query, (current) => customersApi.customers(current));
  const [facets] = createResource(() => customersApi.customerFacets().catch(() => ({ segments: [], regions: [] })));
  /** Changing a filter starts again from the first page. */
  const setFilter = (change: Filters) => setParams({ ...change, page: undefined });
  const filtered = () => Object.entries(query()).some(([key, value]) => key !== 'page' && value !== '');

  return (
    <>
      <div class="page-header">
        <h1>{t('customers.title')}</h1>
        <Show when={canAuthor()}>
          <div class="actions">
            <A href="/customers/import" class="button" data-testid="open-import">
              {t('customers.import')}
            </A>
            <A href="/purchases/import" class="button" data-testid="open-purchase-import">
              {purchaseWords('import.title')}
            </A>
            <A href="/customers/new" class="button button-primary" data-testid="new-customer">
              {t('customers.add')}
            </A>
          </div>
        </Show>
      </div>
      <Show when={!canAuthor()}>
        <p class="muted">{t('customers.readOnly')}</p>
      </Show>
      <SearchForm
        query={query()}
        segments={facets()?.segments ?? []}
        regions={facets()?.regions ?? []}
        onChange={setFilter}
        onClear={() => setParams({ q: undefined, segment: undefined, region: undefined, tier: undefined, kind: undefined, page: undefined })}
      />
      <Async resource={list} onRetry={refetch}>
        {(loaded) => (
          <Show
            when={loaded.customers.length > 0}
            fallback={
              <EmptyState
                testId="customers-empty"
                message={filtered() ? t('customers.noMatch') : t('customers.empty')}
                hint={filtered() ? t('customers.noMatchHint') : t('customers.emptyHint')}
              />
            }
          >
            <CustomerTable list={loaded} />
            <Pager list={loaded} onPage={(page) => setParams({ page: page === 1 ? undefined : String(page) })} />
          </Show>
        )}
      </Async>
    </>
  );
}

function SearchForm(props: {
  query: { q: string; segment: string; region: string; tier: string; kind: string };
  segments: string[];
  regions: string[];
  onChange: (change: Filters) => void;
  onClear: () => void;
}) {
  const [text, setText] = createSignal(props.query.q);
  // Follow the address when it changes by other means (back button, Clear).
  createEffect(() => setText(props.query.q));
  const anyOption = { value: '', label: t('customers.any') };
  const pick = (key: keyof Filters) => (value: string) => props.onChange({ [key]: value === '' ? undefined : value });
  return (
    <form
      class="card filters"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        props.onChange({ q: text().trim() === '' ? undefined : text().trim() });
      }}
    >
      <div class="filters-search">
        <Field
          label={t('customers.search')}
          name="q"
          type="search"
          hint={t('customers.searchHint')}
          value={text()}
          onInput={setText}
        />
        <button type="submit" class="button button-primary" data-testid="customers-search">
          {t('customers.search')}
        </button>
      </div>
      <fieldset class="filters-row">
        <legend class="sr-only">{t('customers.filters')}</legend>
        <Select
          label={t('customerFields.segment')}
          name="segment"
          value={props.query.segment}
          options={[anyOption, ...props.segments.map((value) => ({ value, label: value }))]}
          onChange={pick('segment')}
        />
        <Select
          label={t('customerFields.region')}
          name="region"
          value={props.query.region}
          options={[anyOption, ...props.regions.map((value) => ({ value, label: value }))]}
          onChange={pick('region')}
        />
        <Select
          label={t('customerFields.tier')}
          name="tier"
          value={props.query.tier}
          options={[anyOption, ...customerTiers.map((value) => ({ value, label: t(`tiers.${value}`) }))]}
          onChange={pick('tier')}
        />
        <Select
          label={t('customerFields.kind')}
          name="kind"
          value={props.query.kind}
          options={[anyOption, ...customerKinds.map((value) => ({ value, label: t(`customerKinds.${value}`) }))]}
          onChange={pick('kind')}
        />
        <button type="button" class="button" onClick={() => props.onClear()}>
          {t('customers.clear')}
        </button>
      </fieldset>
    </form>
  );
}

function CustomerTable(props: { list: CustomerList }) {
  const navigate = useNavigate();
  const href = (customer: Customer) => `/customers/${encodeURIComponent(customer.id)}`;
  return (
    <DataTable
      label={t('customers.tableLabel')}
      class="table-clickable"
      headers={[
        t('customerFields.name'),
        t('customerFields.email'),
        t('customerFields.phone'),
        t('customerFields.region'),
        t('customerFields.segment'),
        t('customerFields.tier'),
        t('customers.flags'),
      ]}
    >
      <For each={props.list.customers}>
        {(customer) => (
          <tr
            data-testid="customer-row"
            onClick={(event) => {
              if ((event.target as Element).closest('a')) return;
              navigate(href(customer));
            }}
          >
            <td class="cell-wide">
              <A href={href(customer)} class="strong-link">
                {customerName(customer.name)}
              </A>
              <Show when={customer.kind === 'enterprise'}>
                <span class="muted small"> · {t('customerKinds.enterprise')}</span>
              </Show>
              <Show when={customer.externalId}>
                <span class="muted small block">{customer.externalId}</span>
              </Show>
            </td>
            <td class="break">{customer.email ?? t('app.none')}</td>
            <td>{customer.phone ?? t('app.none')}</td>
            <td>{customer.region ?? t('app.none')}</td>
            <td>{customer.segment ?? t('app.none')}</td>
            <td>
              <TierBadge tier={customer.tier} />
              <Show when={customer.tierSetByHand}>
                <span class="muted small block">{t('customer.setByHand')}</span>
              </Show>
            </td>
            <td>
              <Show when={customer.doNotContact} fallback={<Show when={customer.doNotCall}>{t('customerFields.do_not_call')}</Show>}>
                <span class="badge badge-closed">{t('customerFields.do_not_contact')}</span>
              </Show>
            </td>
          </tr>
        )}
      </For>
    </DataTable>
  );
}

function Pager(props: { list: CustomerList; onPage: (page: number) => void }) {
  const pages = () => Math.max(1, Math.ceil(props.list.total / props.list.pageSize));
  const from = () => (props.list.page - 1) * props.list.pageSize + 1;
  return (
    <nav class="pager" aria-label={t('customers.paging')}>
      <p class="muted" data-testid="customers-count">
        {t('customers.count', { from: from(), to: from() + props.list.customers.length - 1, total: props.list.total })}
      </p>
      <div class="actions">
        <button type="button" class="button" disabled={props.list.page <= 1} onClick={() => props.onPage(props.list.page - 1)}>
          {t('customers.previous')}
        </button>
        <span class="pager-page">{t('customers.pageOf', { page: props.list.page, pages: pages() })}</span>
        <button
          type="button"
          class="button"
          data-testid="customers-next"
          disabled={props.list.page >= pages()}
          onClick={() => props.onPage(props.list.page + 1)}
        >
          {t('customers.next')}
        </button>
      </div>
    </nav>
  );
}
