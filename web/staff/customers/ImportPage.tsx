// /customers/import: pick a CSV file, check its encoding, delimiter and columns on a preview of its first rows,
// then send the whole file. The server reads it as it arrives and records its progress in the database;
// the page polls that progress, then shows what was added and updated, and every row it did not take, and why.
import { A } from '@solidjs/router';
import { createMemo, createSignal, For, Index, Match, onCleanup, Show, Switch } from 'solid-js';
import { CsvReader, detectDelimiter, detectEncoding, type CsvDelimiter, type CsvEncoding } from '../../../server/customers/csv.ts';
import { importFields, importLimitBytes, mappingProblems, proposeMapping, type ColumnMapping, type ImportField } from '../../../server/customers/rules.ts';
import { type CustomerImport, customersApi, type ImportConsentKept, type ImportRejection } from './api.ts';
import { formatCount, locale, localized } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor } from '../session.ts';
import { DataTable, ErrorMessage, Loading, Select, TableScroll, usePageTitle } from '../ui.tsx';
import { formatBytes } from './parts.tsx';

/** Enough of the file for the preview rows, whatever their length. */
const sampleBytes = 256 * 1024;
const previewRows = 10;
const pollEveryMs = 400;

interface Preview {
  header: string[];
  rows: string[][];
}

/** The header and first rows of the sample, read as the server will read the whole file. */
function readPreview(sample: Uint8Array, wholeFile: boolean, encoding: CsvEncoding, delimiter: CsvDelimiter): Preview {
  const text = new TextDecoder(encoding).decode(sample, { stream: !wholeFile });
  const reader = new CsvReader(delimiter);
  // A record cut off at the end of the sample is left out, unless the sample is the whole file.
  const records = reader.push(text);
  if (wholeFile) records.push(...reader.end().records);
  const [header = [], ...rows] = records.filter((cells) => cells.some((cell) => cell.trim() !== '')).slice(0, previewRows + 1);
  return { header: header.map((cell) => cell.trim()), rows };
}

export default function ImportPage() {
  usePageTitle(() => t('import.title'));
  return (
    <>
      <p class="breadcrumb">
        <A href="/customers">← {t('import.back')}</A>
      </p>
      <div class="page-header">
        <h1>{t('import.title')}</h1>
      </div>
      <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('customers.readOnly')}</p>}>
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
  const [mapping, setMapping] = createSignal<ColumnMapping>([]);
  const [readError, setReadError] = createSignal<unknown>(null);
  const [started, setStarted] = createSignal<CustomerImport | null>(null);
  const [uploadError, setUploadError] = createSignal<unknown>(null);
  let fileInput!: HTMLInputElement;

  const preview = createMemo(() => {
    const bytes = sample();
    const chosen = file();
    return bytes && chosen ? readPreview(bytes, chosen.size <= bytes.byteLength, encoding(), delimiter()) : null;
  });
  const problems = () => {
    const current = preview();
    return current ? mappingProblems(mapping(), current.header.length) : [];
  };
  const tooLarge = () => (file()?.size ?? 0) > importLimitBytes;

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
      setMapping(proposeMapping(preview()?.header ?? []));
    } catch (error) {
      setReadError(error);
    }
  };

  /** A different encoding or delimiter can change the columns; propose again from the header it gives. */
  const reread = (change: () => void) => {
    change();
    setMapping(proposeMapping(preview()?.header ?? []));
  };

  const start = async () => {
    const chosen = file();
    const current = preview();
    if (!chosen || !current || problems().length > 0) return;
    setUploadError(null);
    try {
      const { import: created } = await customersApi.createCustomerImport({
        fileName: chosen.name,
        sizeBytes: chosen.size,
        encoding: encoding(),
        delimiter: delimiter(),
        mapping: mapping(),
      });
      setStarted(created);
    } catch (error) {
      setUploadError(error);
    }
  };

  const reset = () => {
    setStarted(null);
    setUploadError(null);
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
            <div class="field">
              <label for="import-file">{t('import.file')}</label>
              <input
                ref={fileInput}
                id="import-file"
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                aria-describedby="import-file-hint"
                data-testid="import-file"
                onChange={(event) => void choose(event.currentTarget.files?.[0])}
              />
              <p class="hint" id="import-file-hint">
                {t('import.fileHint', { limit: formatBytes(importLimitBytes) })}
              </p>
            </div>
            <Show when={readError()}>{(error) => <ErrorMessage error={error()} />}</Show>
            <Show when={file()}>
              {(chosen) => (
                <Switch fallback={<Loading label={t('import.reading')} />}>
                  <Match when={tooLarge()}>
                    <p class="alert alert-error" role="alert">
                      {t('import.tooLarge', { size: formatBytes(chosen().size), limit: formatBytes(importLimitBytes) })}
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
                            id="import-encoding"
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
                            id="import-delimiter"
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
            <Show when={uploadError()}>{(error) => <ErrorMessage error={error()} />}</Show>
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

function MappingPreview(props: { preview: Preview; mapping: ColumnMapping; onMap: (mapping: ColumnMapping) => void }) {
  const options = () => [
    { value: '', label: t('import.skipColumn') },
    ...importFields.map((field) => ({ value: field, label: `${t(`customerFields.${field}`)} (${field})` })),
  ];
  const mapColumn = (column: number, field: string) =>
    props.onMap(props.mapping.map((current, index) => (index === column ? ((field || null) as ImportField | null) : current)));
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
function ImportRun(props: { created: CustomerImport; file: File; onAnother: () => void }) {
  const [state, setState] = createSignal<CustomerImport>(props.created);
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
      const { import: latest } = await customersApi.customerImport(props.created.id);
      // The upload's own answer may already have brought the final state.
      if (!finished()) setState(latest);
    } catch {
      // A missed poll is retried; the upload's answer ends the wait either way.
    }
    if (!stopped && !finished()) timer = setTimeout(() => void poll(), pollEveryMs);
  };
  timer = setTimeout(() => void poll(), pollEveryMs);

  customersApi.uploadCustomerImport(props.created.id, props.file).then(
    ({ import: done }) => setState(done),
    async (caught: unknown) => {
      setError(caught);
      try {
        setState((await customersApi.customerImport(props.created.id)).import);
      } catch {
        // The error above already says what went wrong.
      }
    },
  );

  const percent = () => {
    if (state().status === 'done') return 100;
    return state().sizeBytes > 0 ? Math.min(100, Math.floor((state().processedBytes / state().sizeBytes) * 100)) : 0;
  };

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
          data-testid="import-progress"
          max={100}
          value={percent()}
          aria-labelledby="import-progress-title"
          aria-valuetext={t('import.progressText', { percent: percent(), rows: state().rows.read })}
        />
        <p role="status" data-testid="import-progress-text">
          {state().status === 'waiting' ? t('import.waiting') : t('import.progressText', { percent: percent(), rows: state().rows.read })}
        </p>
        <Show when={state().error}>
          {(text) => (
            <p class="alert alert-error" role="alert" data-testid="import-error">
              {localized(text())}
            </p>
          )}
        </Show>
        <Show when={!state().error && error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
        <dl class="details import-summary" data-testid="import-summary">
          <div>
            <dt>{t('import.created')}</dt>
            <dd data-testid="import-created">{formatCount(state().rows.created)}</dd>
          </div>
          <div>
            <dt>{t('import.updated')}</dt>
            <dd data-testid="import-updated">{formatCount(state().rows.updated)}</dd>
          </div>
          <div>
            <dt>{t('import.rejected')}</dt>
            <dd data-testid="import-rejected">{formatCount(state().rows.rejected)}</dd>
          </div>
          <div>
            <dt>{t('import.blank')}</dt>
            <dd data-testid="import-blank">{formatCount(state().rows.blank)}</dd>
          </div>
          <div>
            <dt>{t('consent.keptCount')}</dt>
            <dd data-testid="import-consent-kept">{formatCount(state().rows.consentKept)}</dd>
          </div>
        </dl>
        <Show when={finished()}>
          <div class="actions">
            <button type="button" class="button" data-testid="import-another" onClick={() => props.onAnother()}>
              {t('import.another')}
            </button>
            <A href="/customers" class="button">
              {t('import.viewCustomers')}
            </A>
          </div>
        </Show>
      </section>
      <Show when={finished() && state().rows.read > 0}>
        <Rejections importRun={state()} />
      </Show>
      <Show when={finished() && state().rows.consentKept > 0}>
        <ConsentKept importRun={state()} />
      </Show>
    </>
  );
}

/**
 * The rows of an import's report, read a page at a time by row number: `load` adds the next page, and
 * does nothing while a page is on its way or after the last one.
 */
function rowPages<Row>(fetchPage: (after: number) => Promise<{ rows: Row[]; nextAfter: number | null }>) {
  const [rows, setRows] = createSignal<Row[]>([]);
  const [nextAfter, setNextAfter] = createSignal<number | null>(0);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);

  const load = async () => {
    const after = nextAfter();
    if (after === null || loading()) return;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPage(after);
      setRows([...rows(), ...page.rows]);
      setNextAfter(page.nextAfter);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  /** Whether another page can be asked for now. */
  const more = () => !loading() && nextAfter() !== null && rows().length > 0;
  return { rows, loading, error, load, more };
}

/** The end of a paged report: the spinner while a page loads, then the button for the next one. */
function ShowMore(props: { pages: ReturnType<typeof rowPages> }) {
  return (
    <>
      <Show when={props.pages.loading()}>
        <Loading />
      </Show>
      <Show when={props.pages.more()}>
        <button type="button" class="button" onClick={() => void props.pages.load()}>
          {t('import.showMore')}
        </button>
      </Show>
    </>
  );
}

function Rejections(props: { importRun: CustomerImport }) {
  const pages = rowPages<ImportRejection>(async (after) => {
    const page = await customersApi.importRejections(props.importRun.id, after);
    return { rows: page.rejections, nextAfter: page.nextAfter };
  });
  const { rows, error, load } = pages;
  const header = () => props.importRun.header ?? [];
  if (props.importRun.rows.rejected > 0) void load();

  return (
    <section class="card" aria-labelledby="rejected-title">
      <h2 id="rejected-title">{t('import.rejectedTitle')}</h2>
      <Show when={props.importRun.rows.rejected > 0} fallback={<p data-testid="rejected-none">{t('import.rejectedNone')}</p>}>
        <p class="muted">{t('import.rejectedHint')}</p>
        <p>
          <a class="button" href={customersApi.rejectionReportHref(props.importRun.id, locale())} download="" data-testid="rejected-download">
            {t('import.download')}
          </a>
        </p>
        <Show when={error()}>{(caught) => <ErrorMessage error={caught()} onRetry={() => void load()} />}</Show>
        <DataTable
          label={t('import.rejectedLabel')}
          class="rejected-table"
          headers={[{ label: t('import.row'), numeric: true }, t('import.reason'), ...header()]}
        >
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
        <ShowMore pages={pages} />
      </Show>
    </section>
  );
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
                <A href={`/customers/${encodeURIComponent(row.customerId)}`}>{row.customerName}</A>
              </td>
              <td class="reason-cell">{row.reasons.map((reason) => localized(reason)).join(' ')}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <ShowMore pages={pages} />
    </section>
  );
}
