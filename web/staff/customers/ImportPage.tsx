// /customers/import: the CSV import of customers (imports/ImportFlow.tsx), which ends with the rows whose consent
// stayed withdrawn because the customer had withdrawn it themselves.
import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { importFields, importLimitBytes, mappingProblems, proposeMapping, type ImportField } from '../../../server/customers/rules.ts';
import { ImportPage, rowPages, ShowMore, type ImportArea, type ImportWords } from '../imports/ImportFlow.tsx';
import { type CustomerImport, customersApi, type ImportConsentKept } from './api.ts';
import { formatCount, localized } from '../i18n.ts';
import { t } from './text.ts';
import { DataTable, ErrorMessage } from '../ui.tsx';
import { customerName } from '../text.ts';

const area: ImportArea<ImportField, CustomerImport> = {
  idPrefix: 'import',
  words: t as unknown as ImportWords,
  notes: () => <p class="muted">{t('import.matching')}</p>,
  fields: importFields,
  fieldLabel: (field) => t(`customerFields.${field}`),
  limitBytes: importLimitBytes,
  proposeMapping,
  mappingProblems,
  createImport: (input) => customersApi.createCustomerImport(input),
  getImport: (id) => customersApi.customerImport(id),
  upload: (id, file) => customersApi.uploadCustomerImport(id, file),
  rejections: (id, after) => customersApi.importRejections(id, after),
  rejectionReportHref: (id, locale) => customersApi.rejectionReportHref(id, locale),
  counts: (run) => [
    { key: 'created', label: t('import.created'), value: run.rows.created },
    { key: 'updated', label: t('import.updated'), value: run.rows.updated },
    { key: 'rejected', label: t('import.rejected'), value: run.rows.rejected },
    { key: 'blank', label: t('import.blank'), value: run.rows.blank },
    { key: 'consent-kept', label: t('consent.keptCount'), value: run.rows.consentKept },
  ],
  finishedActions: () => (
    <A href="/customers" class="button">
      {t('import.viewCustomers')}
    </A>
  ),
  outcome: (run) => (
    <Show when={run.rows.consentKept > 0}>
      <ConsentKept importRun={run} />
    </Show>
  ),
};

export default function CustomerImportPage() {
  return <ImportPage area={area} readOnly={t('customers.readOnly')} />;
}

/** The rows whose consent stayed withdrawn because the customer had withdrawn it themselves. */
function ConsentKept(props: { importRun: CustomerImport }) {
  const pages = rowPages<ImportConsentKept>((after) => customersApi.importConsentKept(props.importRun.id, after));
  const { rows, error, load } = pages;
  void load();

  return (
    <section class="card" aria-labelledby="consent-kept-title">
      <h2 id="consent-kept-title">{t('consent.keptTitle')}</h2>
      <p class="muted">{t('consent.keptHint')}</p>
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} onRetry={() => void load()} />}</Show>
      <DataTable label={t('consent.keptLabel')} headers={[{ label: t('consent.colRow'), numeric: true }, t('consent.colCustomer'), t('consent.colKept')]}>
        <For each={rows()}>
          {(row) => (
            <tr data-testid="consent-kept-row" data-row={row.rowNumber}>
              <td class="numeric">{formatCount(row.rowNumber)}</td>
              <td>
                <A href={`/customers/${encodeURIComponent(row.customerId)}`}>{customerName(row.customerName)}</A>
              </td>
              <td class="reason-cell">{row.reasons.map((reason) => localized(reason)).join(' ')}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <ShowMore pages={pages} label={t('import.showMore')} />
    </section>
  );
}
