// /purchases/import: the CSV import of orders and refunds (imports/ImportFlow.tsx), which ends with the purchases
// of the customers the file reached, as the customer page shows them.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import {
  proposePurchaseMapping,
  purchaseImportFields,
  purchaseImportLimitBytes,
  purchaseMappingProblems,
  type PurchaseImportField,
} from '../../../server/purchases/rules.ts';
import { ImportPage, type ImportArea, type ImportWords } from '../imports/ImportFlow.tsx';
import { Async } from '../ui.tsx';
import { purchasesApi, type PurchaseImport } from './api.ts';
import { CustomerPurchases } from './CustomerPurchases.tsx';
import { t } from './text.ts';
import { customerName } from '../text.ts';

const area: ImportArea<PurchaseImportField, PurchaseImport> = {
  idPrefix: 'purchase-import',
  words: t as unknown as ImportWords,
  notes: () => (
    <>
      <p class="muted">{t('import.matching')}</p>
      <p class="muted">{t('import.times')}</p>
    </>
  ),
  fields: purchaseImportFields,
  fieldLabel: (field) => t(`fields.${field}`),
  limitBytes: purchaseImportLimitBytes,
  proposeMapping: proposePurchaseMapping,
  mappingProblems: purchaseMappingProblems,
  createImport: (input) => purchasesApi.createImport(input),
  getImport: (id) => purchasesApi.purchaseImport(id),
  upload: (id, file) => purchasesApi.uploadImport(id, file),
  rejections: (id, after) => purchasesApi.rejections(id, after),
  rejectionReportHref: (id, locale) => purchasesApi.rejectionReportHref(id, locale),
  counts: (run) => [
    { key: 'created', label: t('import.created'), value: run.rows.created },
    { key: 'unchanged', label: t('import.unchanged'), value: run.rows.unchanged },
    { key: 'rejected', label: t('import.rejected'), value: run.rows.rejected },
    { key: 'blank', label: t('import.blank'), value: run.rows.blank },
  ],
  outcome: (run) => (
    <Show when={run.rows.created + run.rows.unchanged > 0}>
      <ImportCustomers importId={run.id} />
    </Show>
  ),
};

export default function PurchaseImportPage() {
  return <ImportPage area={area} readOnly={t('import.readOnly')} />;
}

/** The first customers the import reached; each opens to their purchases as the customer page shows them. */
function ImportCustomers(props: { importId: string }) {
  const [list, { refetch }] = createResource(() => props.importId, (id) => purchasesApi.importCustomers(id));
  const [open, setOpen] = createSignal<string | null>(null);
  return (
    <section class="card" aria-labelledby="import-customers-title">
      <h2 id="import-customers-title">{t('import.customersTitle')}</h2>
      <p class="muted">{t('import.customersHint')}</p>
      <Async resource={list} onRetry={() => void refetch()}>
        {(found) => (
          <ul class="plain-list" aria-label={t('import.customersLabel')}>
            <For each={found.customers}>
              {(customer) => (
                <li data-testid="import-customer">
                  <A href={`/customers/${encodeURIComponent(customer.id)}`}>{customerName(customer.name)}</A>
                  {customer.externalId ? <span class="muted"> ({customer.externalId})</span> : null}{' '}
                  <button
                    type="button"
                    class="button"
                    aria-expanded={open() === customer.id}
                    data-testid="show-purchases"
                    onClick={() => setOpen(open() === customer.id ? null : customer.id)}
                  >
                    {open() === customer.id ? t('import.hidePurchases') : t('import.showPurchases', { name: customerName(customer.name) })}
                  </button>
                  <Show when={open() === customer.id}>
                    <CustomerPurchases customerId={customer.id} />
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </Async>
    </section>
  );
}
