// /customers/:id: who the customer is, where they stand in loyalty and why, everything that happened with them
// (the timeline), what they bought, how they may be contacted, and every response they gave.
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import {
  type ConsentChange,
  type ConsentHistoryPage,
  type Customer,
  type CustomerLoyalty,
  type CustomerResponsePage,
  type CustomerResponseRow,
  customersApi,
} from './api.ts';
import { isFlag as isConsentFlag } from '../../../server/customers/consent.ts';
import { LoyaltyPanel } from './LoyaltyPanel.tsx';
import { CustomerTimeline } from './Timeline.tsx';
import { CustomerPurchases } from '../purchases/CustomerPurchases.tsx';
import { formatDateTime, localized } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor, isAdmin } from '../session.ts';
import { DataRightsPanel } from './DataRightsPanel.tsx';
import { Async, DataTable, LoadMore, usePageTitle } from '../ui.tsx';
import { ConsentSummary, TierBadge } from './parts.tsx';
import { customerName } from '../text.ts';

export default function CustomerPage() {
  const params = useParams<{ id: string }>();
  const [customer, { refetch }] = createResource(() => params.id, (id) => customersApi.customer(id));
  return (
    <Async resource={customer} onRetry={refetch}>
      {(loaded) => <CustomerView customer={loaded.customer} loyalty={loaded.loyalty} personal={loaded.personal} onChanged={refetch} />}
    </Async>
  );
}

function Detail(props: { label: string; children: JSX.Element; testId?: string }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

const orNone = (value: string | null) => value ?? t('app.none');

function CustomerView(props: { customer: Customer; loyalty: CustomerLoyalty; personal: boolean; onChanged: () => void }) {
  const customer = () => props.customer;
  usePageTitle(() => customerName(customer().name));
  return (
    <>
      <p class="breadcrumb">
        <A href="/customers">← {t('customer.back')}</A>
      </p>
      <div class="page-header">
        <div>
          <h1 data-testid="customer-name">{customerName(customer().name)}</h1>
          <p class="muted">
            {t(`customerKinds.${customer().kind}`)} · <TierBadge tier={customer().tier} />
            <Show when={customer().tierSetByHand}>
              {' '}
              <span class="muted small" data-testid="tier-set-by-hand">
                ({t('customer.setByHand')})
              </span>
            </Show>
            <Show when={customer().externalId}> · {customer().externalId}</Show>
          </p>
        </div>
        <div class="actions">
          <Show when={isAdmin()}>
            <A href={`/privacy/access-log?customerId=${encodeURIComponent(customer().id)}`} class="button" data-testid="customer-access-log">
              {t('customer.whoRead')}
            </A>
          </Show>
          <Show when={canAuthor()}>
            <A href={`/customers/${encodeURIComponent(customer().id)}/edit`} class="button" data-testid="edit-customer">
              {t('customer.edit')}
            </A>
            <a href={customersApi.exportUrl(customer().id, 'json')} class="button" download="" data-testid="export-json" title={t('customer.exportHint')}>
              {t('customer.exportJson')}
            </a>
            <a href={customersApi.exportUrl(customer().id, 'zip')} class="button" download="" data-testid="export-zip" title={t('customer.exportHint')}>
              {t('customer.exportZip')}
            </a>
          </Show>
        </div>
      </div>
      <Show when={!props.personal}>
        <p class="alert alert-info" data-testid="customer-masked">
          {t('customer.masked')}
        </p>
      </Show>
      <Show when={isAdmin() || customer().erasedAt !== null}>
        <DataRightsPanel customer={customer()} onChanged={props.onChanged} />
      </Show>
      <LoyaltyPanel customer={customer()} loyalty={props.loyalty} />
      <CustomerTimeline customerId={customer().id} />
      <CustomerPurchases customerId={customer().id} />
      <section class="card" aria-labelledby="customer-contact">
        <h2 id="customer-contact">{t('customer.contact')}</h2>
        <dl class="details">
          <Show when={customer().kind === 'enterprise'}>
            <Detail label={t('customerFields.contact_name')}>{orNone(customer().contactName)}</Detail>
          </Show>
          <Detail label={t('customerFields.email')} testId="customer-email">
            <span class="break">{orNone(customer().email)}</span>
          </Detail>
          <Detail label={t('customerFields.phone')}>{orNone(customer().phone)}</Detail>
          <Detail label={t('customerFields.postal_address')}>
            <span class="preserve-lines">{orNone(customer().postalAddress)}</span>
          </Detail>
          <Detail label={t('customerFields.locale')}>{t(`locales.${customer().locale}`)}</Detail>
          <Detail label={t('customerFields.time_zone')}>{customer().timeZone}</Detail>
          <Detail label={t('customerFields.preferred_channel')}>
            {customer().preferredChannel ? t(`contactChannels.${customer().preferredChannel!}`) : t('customerFields.preferred_none')}
          </Detail>
        </dl>
        <h3 class="subheading">{t('customer.consent')}</h3>
        <Show
          when={!customer().doNotContact}
          fallback={<p class="alert alert-error" data-testid="customer-do-not-contact">{t('customerFields.do_not_contact')}: {t('customerForm.doNotContactHint')}</p>}
        >
          <ConsentSummary consents={customer().consents} />
          <Show when={customer().doNotCall}>
            <p class="alert alert-info">{t('customerFields.do_not_call')}: {t('customerForm.doNotCallHint')}</p>
          </Show>
        </Show>
        <Show when={customer().objectsToProfiling}>
          <p class="alert alert-info">
            {t('customerFields.objects_to_profiling')}: {t('customerForm.objectsToProfilingHint')}
          </p>
        </Show>
      </section>
      <section class="card" aria-labelledby="consent-history">
        <h2 id="consent-history">{t('consent.historyTitle')}</h2>
        <p class="muted small">{t('consent.historyHint')}</p>
        <ConsentHistory customerId={customer().id} />
      </section>
      <section class="card" aria-labelledby="customer-details">
        <h2 id="customer-details">{t('customer.details')}</h2>
        <dl class="details">
          <Detail label={t('customer.owner')} testId="customer-owner">
            <Show when={customer().owner} fallback={t('customer.noOwner')}>
              {(owner) => (owner().active ? (owner().name ?? owner().id) : t('customer.ownerInactive', { name: owner().name ?? owner().id }))}
            </Show>
          </Detail>
          <Detail label={t('customerFields.region')} testId="customer-region">{orNone(customer().region)}</Detail>
          <Detail label={t('customerFields.segment')}>{orNone(customer().segment)}</Detail>
          <Detail label={t('customerFields.industry')}>{orNone(customer().industry)}</Detail>
          <Detail label={t('customer.added')}>{formatDateTime(customer().createdAt)}</Detail>
          <Detail label={t('customer.updated')}>{formatDateTime(customer().updatedAt)}</Detail>
        </dl>
      </section>
      <section class="card" aria-labelledby="customer-responses">
        <h2 id="customer-responses">{t('customer.responses')}</h2>
        <Show when={canAuthor()} fallback={<p class="muted">{t('customer.responsesHidden')}</p>}>
          <CustomerResponses customerId={customer().id} />
        </Show>
      </section>
    </>
  );
}

function CustomerResponses(props: { customerId: string }) {
  const [firstPage, { refetch }] = createResource(() => props.customerId, (id) => customersApi.customerResponses(id));
  return (
    <Async resource={firstPage} onRetry={refetch}>
      {(page) => <ResponseList customerId={props.customerId} firstPage={page} />}
    </Async>
  );
}

function ResponseList(props: { customerId: string; firstPage: CustomerResponsePage }) {
  const [more, setMore] = createSignal<CustomerResponsePage[]>([]);
  const rows = (): CustomerResponseRow[] => [...props.firstPage.responses, ...more().flatMap((page) => page.responses)];
  const nextBefore = () => (more().length ? more().at(-1)!.nextBefore : props.firstPage.nextBefore);
  const loadMore = async (before: string) => setMore([...more(), await customersApi.customerResponses(props.customerId, before)]);
  return (
    <Show
      when={rows().length > 0}
      fallback={
        <div data-testid="customer-responses-empty">
          <p class="empty">{t('customer.responsesEmpty')}</p>
          <p class="muted small">{t('customer.responsesHint')}</p>
        </div>
      }
    >
      <p class="muted">{t('customer.responsesCount', { shown: rows().length, total: props.firstPage.total })}</p>
      <DataTable
        label={t('customer.responsesLabel')}
        headers={[t('customer.time'), t('customer.survey'), t('customer.channel')]}
      >
        <For each={rows()}>
          {(row) => (
            <tr data-testid="customer-response-row">
              <td>
                <A href={`/responses/${encodeURIComponent(row.id)}`}>
                  <time datetime={row.submittedAt}>{formatDateTime(row.submittedAt)}</time>
                </A>
              </td>
              <td class="cell-wide">
                <A
                  href={`/surveys/${encodeURIComponent(row.surveyId)}/responses?customer=${encodeURIComponent(props.customerId)}`}
                  title={t('customer.surveyResponses', { survey: localized(row.surveyTitle) })}
                  data-testid="customer-survey-responses"
                >
                  {localized(row.surveyTitle)}
                </A>
              </td>
              <td>{t(`channels.${row.channel}`)}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="customer-responses-more" />
    </Show>
  );
}

function ConsentHistory(props: { customerId: string }) {
  const [firstPage, { refetch }] = createResource(() => props.customerId, (id) => customersApi.consentHistory(id));
  return (
    <Async resource={firstPage} onRetry={refetch}>
      {(page) => <ConsentChangeList customerId={props.customerId} firstPage={page} />}
    </Async>
  );
}

const isFlag = (change: ConsentChange) => isConsentFlag(change.fact);
const valueText = (change: ConsentChange, value: boolean) =>
  isFlag(change) ? t(value ? 'consent.flagOn' : 'consent.flagOff') : t(value ? 'consent.given' : 'consent.withdrawn');

function ConsentChangeList(props: { customerId: string; firstPage: ConsentHistoryPage }) {
  const [more, setMore] = createSignal<ConsentHistoryPage[]>([]);
  const rows = (): ConsentChange[] => [...props.firstPage.changes, ...more().flatMap((page) => page.changes)];
  const nextBefore = () => (more().length ? more().at(-1)!.nextBefore : props.firstPage.nextBefore);
  const loadMore = async (before: number) => setMore([...more(), await customersApi.consentHistory(props.customerId, before)]);
  return (
    <Show when={rows().length > 0} fallback={<p class="empty" data-testid="consent-history-empty">{t('consent.historyEmpty')}</p>}>
      <DataTable
        label={t('consent.historyLabel')}
        headers={[t('consent.colWhen'), t('consent.colWhat'), t('consent.colChange'), t('consent.colSource'), t('consent.colWho'), t('consent.colNote')]}
      >
        <For each={rows()}>
          {(change) => (
            <tr data-testid="consent-change" data-source={change.source}>
              <td>
                <time datetime={change.changedAt}>{formatDateTime(change.changedAt)}</time>
              </td>
              <td>{localized(change.label)}</td>
              <td>{t('consent.change', { from: valueText(change, change.oldValue), to: valueText(change, change.newValue) })}</td>
              <td>
                {t(`consent.sources.${change.source}`)}
                <Show when={change.customerRequest}>
                  <br />
                  <span class="muted small">
                    {change.newValue === isFlag(change) ? t('consent.customerRequest') : t('consent.customerConsent')}
                  </span>
                </Show>
              </td>
              <td>{change.actorName ?? (change.source === 'unsubscribe' || change.source === 'form' ? t('consent.theCustomer') : t('app.none'))}</td>
              <td class="cell-wide">{change.note ?? ''}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="consent-history-more" label={t('consent.loadMore')} />
    </Show>
  );
}
