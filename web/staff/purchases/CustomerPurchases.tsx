// A customer's purchases and refunds, newest first, with the totals per currency: the part of the customer page
// that shows what the customer bought. Mounted with the customer's id: <CustomerPurchases customerId={id} />.
import { createResource, createSignal, For, Show } from 'solid-js';
import { formatCount, formatDateTime } from '../i18n.ts';
import { Async, DataTable, EmptyState, LoadMore } from '../ui.tsx';
import { purchasesApi, type CustomerPurchase } from './api.ts';
import { t } from './text.ts';

export function CustomerPurchases(props: { customerId: string }) {
  const [first] = createResource(() => props.customerId, (id) => purchasesApi.customerPurchases(id));
  /** Older pages read with "show older", for the customer they were read for (another customer starts again). */
  const [older, setOlder] = createSignal<{ customerId: string; rows: CustomerPurchase[]; nextBefore: string | null } | null>(null);
  const olderPages = () => (older()?.customerId === props.customerId ? older() : null);
  const rows = () => [...(first()?.purchases ?? []), ...(olderPages()?.rows ?? [])];
  const nextBefore = () => (olderPages() ? olderPages()!.nextBefore : (first()?.nextBefore ?? null));
  const loadOlder = async (before: string) => {
    const customerId = props.customerId;
    const page = await purchasesApi.customerPurchases(customerId, before);
    setOlder({ customerId, rows: [...(olderPages()?.rows ?? []), ...page.purchases], nextBefore: page.nextBefore });
  };

  return (
    <section class="card" aria-labelledby={`purchases-title-${props.customerId}`} data-testid="customer-purchases">
      <h2 id={`purchases-title-${props.customerId}`}>{t('purchases.title')}</h2>
      <Async resource={first}>
        {(page) => (
          <Show when={page.purchases.length > 0} fallback={<EmptyState message={t('purchases.empty')} hint={t('purchases.emptyHint')} testId="purchases-empty" />}>
            <For each={page.totals ?? []}>
              {(total) => (
                <p data-testid="purchases-total">
                  {t('purchases.totals', { purchases: formatCount(total.purchases), refunds: formatCount(total.refunds), net: total.net, currency: total.currency })}
                  {' · '}
                  {t('purchases.lastAt', { when: formatDateTime(total.lastAt) })}
                </p>
              )}
            </For>
            <DataTable
              label={t('purchases.label')}
              headers={[t('purchases.when'), t('purchases.order'), { label: t('purchases.amount'), numeric: true }, t('purchases.channel'), t('purchases.source')]}
            >
              <For each={rows()}>
                {(purchase) => (
                  <tr data-testid="purchase-row" data-order={purchase.orderId}>
                    <td>{formatDateTime(purchase.occurredAt)}</td>
                    <td>
                      {purchase.orderId}
                      <Show when={purchase.refundOf}>{(order) => <span class="muted"> ({t('purchases.refundOf', { order: order() })})</span>}</Show>
                    </td>
                    <td class="numeric">
                      {purchase.amount} {purchase.currency}
                    </td>
                    <td>{purchase.channel ?? ''}</td>
                    <td>{t(`purchases.sources.${purchase.source}`)}</td>
                  </tr>
                )}
              </For>
            </DataTable>
            <LoadMore nextBefore={nextBefore()} load={loadOlder} label={t('purchases.more')} testId="purchases-more" />
          </Show>
        )}
      </Async>
    </section>
  );
}
