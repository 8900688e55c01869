// /purchases/import: pick a CSV file of orders and refunds, check its encoding, delimiter and columns on a
// preview of its first rows, then send the whole file. The server reads it as it arrives and records its
// progress; the page polls it, then shows what was stored, every row not imported and why, and the purchases of
// the customers the file reached, as the customer page shows them.
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Index, Match, onCleanup, Show, Switch } from 'solid-js';
import { CsvReader, detectDelimiter, detectEncoding, type CsvDelimiter, type CsvEncoding } from '../../../server/customers/csv.ts';
import {
  proposePurchaseMapping,
  purchaseImportFields,
  purchaseImportLimitBytes,
  purchaseMappingProblems,
  type PurchaseColumnMapping,
  type PurchaseImportField,
} from '../../../server/purchases/rules.ts';
import { formatBytes } from '../customers/parts.tsx';
import { formatCount, locale, localized } from '../i18n.ts';
import { canAuthor } from '../session.ts';
import { Async, DataTable, ErrorMessage, Loading, Select, TableScroll, usePageTitle } from '../ui.tsx';
import { purchasesApi, type PurchaseImport, type PurchaseImportRejection } from './api.ts';
import { CustomerPurchases } from './CustomerPurchases.tsx';
import { t } from './text.ts';

const sampleBytes = 256 * 1024;
const previewRows = 10;
const pollEveryMs = 400;

interface Preview {
  header: string[];
  rows: string[][];
}

function readPreview(sample: Uint8Array, wholeFile: boolean, encoding: CsvEncoding, delimiter: CsvDelimiter): Preview {
  const text = new TextDecoder(encoding).decode(sample, { stream: !wholeFile });
  const reader = new CsvReader(delimiter);
  const records = reader.push(text);
  if (wholeFile) records.push(...reader.end().records);
  const [header = [], ...rows] = records.filter((cells) => cells.some((cell) => cell.trim() !== '')).slice(0, previewRows + 1);
  return { header: header.map((cell) => cell.trim()), rows };
}

export default function PurchaseImportPage() {
  usePageTitle(() => t('import.title'));
  return (
    <>
      <p class="breadcrumb">
        <A href="/customers">← {t('import.back')}</A>
      </p>
      <div class="page-header">
        <h1>{t('import.title')}</h1>
      </div>
      <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('import.readOnly')}</p>}>
        <Importer />
      </Show>
    </>
  );
}

function Importer() {
  const [file, setFile] = createSignal<File | null>(null);
  const [sample, setSample] = createSignal<Uint8Array | null>(null);
  const [detected, setDetected] = createSignal<CsvEncoding>('utf-8');
  const [encoding, setEncoding] = createSignal<CsvEncoding>('utf-8');
  const [delimiter, setDelimiter] = createSignal<CsvDelimiter>(',');
  const [mapping, setMapping] = createSignal<PurchaseColumnMapping>([]);
  const [readError, setReadError] = createSignal<unknown>(null);
  const [started, setStarted] = createSignal<PurchaseImport | null>(null);
  const [startError, setStartError] = createSignal<unknown>(null);
  let fileInput!: HTMLInputElement;

  const preview = createMemo(() => {
    const bytes = sample();
    const chosen = file();
    return bytes && chosen ? readPreview(bytes, chosen.size <= bytes.byteLength, encoding(), delimiter()) : null;
  });
  const problems = () => {
    const current = preview();
    return current ? purchaseMappingProblems(mapping(), current.header.length) : [];
  };
  const tooLarge = () => (file()?.size ?? 0) > purchaseImportLimitBytes;

  const choose = async (chosen: File | undefined) => {
    setFile(chosen ?? null);
    setSample(null);
    setReadError(null);
    if (!chosen) return;
    try {
      const bytes = new Uint8Array(await chosen.slice(0, sampleBytes).arrayBuffer());
      const found = detectEncoding(bytes);
      setDetected(found);
      setEncoding(found);
      setDelimiter(detectDelimiter(new TextDecoder(found).decode(bytes, { stream: true })));
      setSample(bytes);
      setMapping(proposePurchaseMapping(preview()?.header ?? []));
    } catch (error) {
      setReadError(error);
    }
  };

  const reread = (change: () => void) => {
    change();
    setMapping(proposePurchaseMapping(preview()?.header ?? []));
  };

  const start = async () => {
    const chosen = file();
    if (!chosen || !preview() || problems().length > 0) return;
    setStartError(null);
    try {
      const { import: created } = await purchasesApi.createImport({
        fileName: chosen.name,
        sizeBytes: chosen.size,
        encoding: encoding(),
        delimiter: delimiter(),
        mapping: mapping(),
      });
      setStarted(created);
    } catch (error) {
      setStartError(error);
    }
  };

  const reset = () => {
    setStarted(null);
    setStartError(null);
    setFile(null);
    setSample(null);
    if (fileInput) fileInput.value = '';
  };

  return (
    <Show
      when={started()}
      fallback={
        <>
          <section class="card">
            <p>{t('import.intro')}</p>
            <p class="muted">{t('import.matching')}</p>
            <p class="muted">{t('import.times')}</p>
            <div class="field">
              <label for="purchase-import-file">{t('import.file')}</label>
              <input
                ref={fileInput}
                id="purchase-import-file"
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                aria-describedby="purchase-import-file-hint"
                data-testid="import-file"
                onChange={(event) => void choose(event.currentTarget.files?.[0])}
              />
              <p class="hint" id="purchase-import-file-hint">
                {t('import.fileHint', { limit: formatBytes(purchaseImportLimitBytes) })}
              </p>
            </div>
            <Show when={readError()}>{(error) => <ErrorMessage error={error()} />}</Show>
            <Show when={file()}>
              {(chosen) => (
                <Switch fallback={<Loading label={t('import.reading')} />}>
                  <Match when={tooLarge()}>
                    <p class="alert alert-error" role="alert">
                      {t('import.tooLarge', { size: formatBytes(chosen().size), limit: formatBytes(purchaseImportLimitBytes) })}
                    </p>
                  </Match>
                  <Match when={preview()}>
                    {(current) => (
                      <>
                        <p class="muted" data-testid="import-file-facts">
                          {t('import.fileFacts', { name: chosen().name, size: formatBytes(chosen().size) })}
                        </p>
                        <div class="grid-2">
                          <Select
                            id="purchase-import-encoding"
                            label={t('import.encoding')}
                            value={encoding()}
                            hint={t('import.detected', { value: detected().toUpperCase() })}
                            options={[
                              { value: 'utf-8', label: 'UTF-8' },
                              { value: 'gb18030', label: 'GB18030 (GBK, GB2312)' },
                            ]}
                            onChange={(value) => reread(() => setEncoding(value))}
                          />
                          <Select
                            id="purchase-import-delimiter"
                            label={t('import.delimiter')}
                            value={delimiter() === '\t' ? 'tab' : 'comma'}
                            options={[
                              { value: 'comma', label: t('import.comma') },
                              { value: 'tab', label: t('import.tab') },
                            ]}
                            onChange={(value) => reread(() => setDelimiter(value === 'tab' ? '\t' : ','))}
                          />
                        </div>
                        <Show when={current().header.length > 0} fallback={<p class="alert alert-error">{t('import.noRows')}</p>}>
                          <MappingPreview preview={current()} mapping={mapping()} onMap={setMapping} />
                        </Show>
                      </>
                    )}
                  </Match>
                </Switch>
              )}
            </Show>
          </section>
          <Show when={preview() && !tooLarge() && (preview()?.header.length ?? 0) > 0}>
            <Show when={problems().length > 0}>
              <div class="alert alert-error" role="alert" data-testid="mapping-problems">
                <p>{t('import.fixMapping')}</p>
                <ul>
                  <For each={problems()}>{(problem) => <li>{localized(problem)}</li>}</For>
                </ul>
              </div>
            </Show>
            <Show when={startError()}>{(error) => <ErrorMessage error={error()} />}</Show>
            <button type="button" class="button button-primary" data-testid="import-start" disabled={problems().length > 0} onClick={() => void start()}>
              {t('import.start')}
            </button>
          </Show>
        </>
      }
    >
      {(created) => <ImportRun created={created()} file={file()!} onAnother={reset} />}
    </Show>
  );
}

function MappingPreview(props: { preview: Preview; mapping: PurchaseColumnMapping; onMap: (mapping: PurchaseColumnMapping) => void }) {
  const options = () => [
    { value: '', label: t('import.skipColumn') },
    ...purchaseImportFields.map((field) => ({ value: field, label: `${t(`fields.${field}`)} (${field})` })),
  ];
  const mapColumn = (column: number, field: string) =>
    props.onMap(props.mapping.map((current, index) => (index === column ? ((field || null) as PurchaseImportField | null) : current)));
  return (
    <>
      <h2 class="subheading">{t('import.preview')}</h2>
      <p class="hint">{t('import.previewHint', { count: props.preview.rows.length })}</p>
      <TableScroll label={t('import.previewLabel')}>
        <table class="table preview-table" data-testid="import-preview">
          <thead>
            <tr>
              <Index each={props.preview.header}>{(name) => <th scope="col">{name()}</th>}</Index>
            </tr>
            <tr class="mapping-row">
              <Index each={props.preview.header}>
                {(name, column) => (
                  <td>
                    <select
                      aria-label={t('import.mapColumn', { header: name() })}
                      data-testid={`mapping-${column}`}
                      value={props.mapping[column] ?? ''}
                      onChange={(event) => mapColumn(column, event.currentTarget.value)}
                    >
                      <For each={options()}>
                        {(option) => (
                          <option value={option.value} selected={option.value === (props.mapping[column] ?? '')}>
                            {option.label}
                          </option>
                        )}
                      </For>
                    </select>
                  </td>
                )}
              </Index>
            </tr>
          </thead>
          <tbody>
            <For each={props.preview.rows}>
              {(cells) => (
                <tr>
                  <Index each={props.preview.header}>{(_, column) => <td>{cells[column] ?? ''}</td>}</Index>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** Sends the file, follows the import's progress to its end, and shows the outcome. */
function ImportRun(props: { created: PurchaseImport; file: File; onAnother: () => void }) {
  const [state, setState] = createSignal<PurchaseImport>(props.created);
  const [error, setError] = createSignal<unknown>(null);
  const finished = () => state().status === 'done' || state().status === 'failed';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  onCleanup(() => {
    stopped = true;
    clearTimeout(timer);
  });

  const poll = async () => {
    if (stopped || finished()) return;
    try {
      const { import: latest } = await purchasesApi.purchaseImport(props.created.id);
      if (!finished()) setState(latest);
    } catch {
      // A missed poll is retried; the upload's answer ends the wait either way.
    }
    if (!stopped && !finished()) timer = setTimeout(() => void poll(), pollEveryMs);
  };
  timer = setTimeout(() => void poll(), pollEveryMs);

  purchasesApi.uploadImport(props.created.id, props.file).then(
    ({ import: done }) => setState(done),
    async (caught: unknown) => {
      setError(caught);
      try {
        setState((await purchasesApi.purchaseImport(props.created.id)).import);
      } catch {
        // The error above already says what went wrong.
      }
    },
  );

  const percent = () => {
    if (state().status === 'done') return 100;
    return state().sizeBytes > 0 ? Math.min(100, Math.floor((state().processedBytes / state().sizeBytes) * 100)) : 0;
  };
  const counts = () => [
    { key: 'created', label: t('import.created'), value: state().rows.created },
    { key: 'unchanged', label: t('import.unchanged'), value: state().rows.unchanged },
    { key: 'rejected', label: t('import.rejected'), value: state().rows.rejected },
    { key: 'blank', label: t('import.blank'), value: state().rows.blank },
  ];

  return (
    <>
      <section class="card" aria-labelledby="import-progress-title" data-testid="import-run" data-status={state().status}>
        <h2 id="import-progress-title">
          <Switch fallback={t('import.progress')}>
            <Match when={state().status === 'done'}>{t('import.done')}</Match>
            <Match when={state().status === 'failed'}>{t('import.failed')}</Match>
          </Switch>
        </h2>
        <p class="muted">{t('import.fileFacts', { name: state().fileName, size: formatBytes(state().sizeBytes) })}</p>
        <progress
          class="import-progress"
          max={100}
          value={percent()}
          aria-labelledby="import-progress-title"
          aria-valuetext={t('import.progressText', { percent: percent(), rows: state().rows.read })}
        />
        <p role="status">{state().status === 'waiting' ? t('import.waiting') : t('import.progressText', { percent: percent(), rows: state().rows.read })}</p>
        <Show when={state().error}>
          {(text) => (
            <p class="alert alert-error" role="alert" data-testid="import-error">
              {localized(text())}
            </p>
          )}
        </Show>
        <Show when={!state().error && error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
        <dl class="details import-summary" data-testid="import-summary">
          <For each={counts()}>
            {(count) => (
              <div>
                <dt>{count.label}</dt>
                <dd data-testid={`import-${count.key}`}>{formatCount(count.value)}</dd>
              </div>
            )}
          </For>
        </dl>
        <Show when={finished()}>
          <div class="actions">
            <button type="button" class="button" data-testid="import-another" onClick={() => props.onAnother()}>
              {t('import.another')}
            </button>
          </div>
        </Show>
      </section>
      <Show when={finished() && state().rows.read > 0}>
        <Rejections importRun={state()} />
      </Show>
      <Show when={finished() && state().rows.created + state().rows.unchanged > 0}>
        <ImportCustomers importId={state().id} />
      </Show>
    </>
  );
}

function Rejections(props: { importRun: PurchaseImport }) {
  const [rows, setRows] = createSignal<PurchaseImportRejection[]>([]);
  const [nextAfter, setNextAfter] = createSignal<number | null>(0);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const header = () => props.importRun.header ?? [];
  const load = async () => {
    const after = nextAfter();
    if (after === null || loading()) return;
    setLoading(true);
    setError(null);
    try {
      const page = await purchasesApi.rejections(props.importRun.id, after);
      setRows([...rows(), ...page.rejections]);
      setNextAfter(page.nextAfter);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  if (props.importRun.rows.rejected > 0) void load();

  return (
    <section class="card" aria-labelledby="rejected-title">
      <h2 id="rejected-title">{t('import.rejectedTitle')}</h2>
      <Show when={props.importRun.rows.rejected > 0} fallback={<p data-testid="rejected-none">{t('import.rejectedNone')}</p>}>
        <p class="muted">{t('import.rejectedHint')}</p>
        <p>
          <a class="button" href={purchasesApi.rejectionReportHref(props.importRun.id, locale())} download="" data-testid="rejected-download">
            {t('import.download')}
          </a>
        </p>
        <Show when={error()}>{(caught) => <ErrorMessage error={caught()} onRetry={() => void load()} />}</Show>
        <DataTable label={t('import.rejectedLabel')} class="rejected-table" headers={[{ label: t('import.row'), numeric: true }, t('import.reason'), ...header()]}>
          <For each={rows()}>
            {(rejection) => (
              <tr data-testid="rejected-row" data-row={rejection.rowNumber}>
                <td class="numeric">{formatCount(rejection.rowNumber)}</td>
                <td class="reason-cell">{localized(rejection.reason)}</td>
                <Index each={header()}>{(_, column) => <td>{rejection.cells[column] ?? ''}</td>}</Index>
              </tr>
            )}
          </For>
        </DataTable>
        <Show when={loading()}>
          <Loading />
        </Show>
        <Show when={!loading() && nextAfter() !== null && rows().length > 0}>
          <button type="button" class="button" onClick={() => void load()}>
            {t('import.showMore')}
          </button>
        </Show>
      </Show>
    </section>
  );
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
                  <A href={`/customers/${encodeURIComponent(customer.id)}`}>{customer.name}</A>
                  {customer.externalId ? <span class="muted"> ({customer.externalId})</span> : null}{' '}
                  <button
                    type="button"
                    class="button"
                    aria-expanded={open() === customer.id}
                    data-testid="show-purchases"
                    onClick={() => setOpen(open() === customer.id ? null : customer.id)}
                  >
                    {open() === customer.id ? t('import.hidePurchases') : t('import.showPurchases', { name: customer.name })}
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
