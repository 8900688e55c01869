// The CSV import every area shares: pick a file, check its encoding, delimiter and columns on a preview of its
// first rows, then send the whole file. The server reads it as it arrives and records its progress; the flow
// polls it, then shows the counts, every row not imported and why, and what the area adds below. Each area
// (customers, purchases) gives its fields, its API calls and its words.
import { A } from '@solidjs/router';
import { createMemo, createSignal, For, Index, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { CsvReader, detectDelimiter, detectEncoding, type CsvDelimiter, type CsvEncoding } from '../../../server/customers/csv.ts';
import type { Locale, LocalizedText } from '../../../surveys/definition.ts';
import { formatBytes } from '../customers/parts.tsx';
import { formatCount, locale, localized } from '../i18n.ts';
import { canAuthor } from '../session.ts';
import { DataTable, ErrorMessage, Loading, Select, TableScroll, usePageTitle } from '../ui.tsx';

/** Enough of the file for the preview rows, whatever their length. */
const sampleBytes = 256 * 1024;
const previewRows = 10;
const pollEveryMs = 400;

/** What the flow reads of an import, whichever area's. */
export interface ImportRunBase {
  id: string;
  fileName: string;
  sizeBytes: number;
  processedBytes: number;
  status: 'waiting' | 'running' | 'done' | 'failed';
  header: string[] | null;
  error: LocalizedText | null;
  rows: { read: number; rejected: number };
}

export interface ImportRejection {
  rowNumber: number;
  reason: LocalizedText;
  cells: string[];
}

/** The words of the flow, under import.* in the area's text.ts. */
export type ImportWords = (key: `import.${string}`, params?: Record<string, string | number>) => string;

/** What an area gives the flow. */
export interface ImportArea<Field extends string, Run extends ImportRunBase> {
  /** Starts the ids of the file, encoding and delimiter fields. */
  idPrefix: string;
  words: ImportWords;
  /** Paragraphs under the introduction: how rows are matched, what else to know. */
  notes: () => JSX.Element;
  fields: readonly Field[];
  fieldLabel: (field: Field) => string;
  limitBytes: number;
  proposeMapping: (header: string[]) => (Field | null)[];
  mappingProblems: (mapping: (Field | null)[], columns: number) => LocalizedText[];
  createImport: (input: { fileName: string; sizeBytes: number; encoding: CsvEncoding; delimiter: CsvDelimiter; mapping: (Field | null)[] }) => Promise<{ import: Run }>;
  getImport: (id: string) => Promise<{ import: Run }>;
  upload: (id: string, file: File) => Promise<{ import: Run }>;
  rejections: (id: string, after: number) => Promise<{ rejections: ImportRejection[]; nextAfter: number | null }>;
  rejectionReportHref: (id: string, locale: Locale) => string;
  /** The counts of a run, each shown under data-testid import-<key>. */
  counts: (run: Run) => { key: string; label: string; value: number }[];
  /** Beside "Import another file" once the import ended. */
  finishedActions?: () => JSX.Element;
  /** Below the rejected rows once the import ended. */
  outcome: (run: Run) => JSX.Element;
}

interface Preview {
  header: string[];
  rows: string[][];
}

/** The header and first rows of the sample, read as the server will read the whole file. */
function readPreview(sample: Uint8Array, wholeFile: boolean, encoding: CsvEncoding, delimiter: CsvDelimiter): Preview {
  const text = new TextDecoder(encoding).decode(sample, { stream: !wholeFile });
  const reader = new CsvReader(delimiter);
  const records = reader.push(text);
  // A record cut off at the end of the sample is left out, unless the sample is the whole file.
  if (wholeFile) records.push(...reader.end().records);
  const [header = [], ...rows] = records.filter((cells) => cells.some((cell) => cell.trim() !== '')).slice(0, previewRows + 1);
  return { header: header.map((cell) => cell.trim()), rows };
}

/** An import page: back to the customers, the title, and the flow for those who may import (the reason otherwise). */
export function ImportPage<Field extends string, Run extends ImportRunBase>(props: { area: ImportArea<Field, Run>; readOnly: string }) {
  const t = props.area.words;
  usePageTitle(() => t('import.title'));
  return (
    <>
      <p class="breadcrumb">
        <A href="/customers">← {t('import.back')}</A>
      </p>
      <div class="page-header">
        <h1>{t('import.title')}</h1>
      </div>
      <Show when={canAuthor()} fallback={<p class="alert alert-info">{props.readOnly}</p>}>
        <ImportFlow area={props.area} />
      </Show>
    </>
  );
}

export function ImportFlow<Field extends string, Run extends ImportRunBase>(props: { area: ImportArea<Field, Run> }) {
  const area = props.area;
  const t = area.words;
  const [file, setFile] = createSignal<File | null>(null);
  const [sample, setSample] = createSignal<Uint8Array | null>(null);
  const [detected, setDetected] = createSignal<CsvEncoding>('utf-8');
  const [encoding, setEncoding] = createSignal<CsvEncoding>('utf-8');
  const [delimiter, setDelimiter] = createSignal<CsvDelimiter>(',');
  const [mapping, setMapping] = createSignal<(Field | null)[]>([]);
  const [readError, setReadError] = createSignal<unknown>(null);
  const [started, setStarted] = createSignal<Run | null>(null);
  const [startError, setStartError] = createSignal<unknown>(null);
  let fileInput!: HTMLInputElement;

  const preview = createMemo(() => {
    const bytes = sample();
    const chosen = file();
    return bytes && chosen ? readPreview(bytes, chosen.size <= bytes.byteLength, encoding(), delimiter()) : null;
  });
  const problems = () => {
    const current = preview();
    return current ? area.mappingProblems(mapping(), current.header.length) : [];
  };
  const tooLarge = () => (file()?.size ?? 0) > area.limitBytes;

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
      setMapping(area.proposeMapping(preview()?.header ?? []));
    } catch (error) {
      setReadError(error);
    }
  };

  const reread = (change: () => void) => {
    change();
    setMapping(area.proposeMapping(preview()?.header ?? []));
  };

  const start = async () => {
    const chosen = file();
    if (!chosen || !preview() || problems().length > 0) return;
    setStartError(null);
    try {
      const { import: created } = await area.createImport({
        fileName: chosen.name,
        sizeBytes: chosen.size,
        encoding: encoding(),
        delimiter: delimiter(),
        mapping: mapping(),
      });
      setStarted(() => created);
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
            {area.notes()}
            <div class="field">
              <label for={`${area.idPrefix}-file`}>{t('import.file')}</label>
              <input
                ref={fileInput}
                id={`${area.idPrefix}-file`}
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                aria-describedby={`${area.idPrefix}-file-hint`}
                data-testid="import-file"
                onChange={(event) => void choose(event.currentTarget.files?.[0])}
              />
              <p class="hint" id={`${area.idPrefix}-file-hint`}>
                {t('import.fileHint', { limit: formatBytes(area.limitBytes) })}
              </p>
            </div>
            <Show when={readError()}>{(error) => <ErrorMessage error={error()} />}</Show>
            <Show when={file()}>
              {(chosen) => (
                <Switch fallback={<Loading label={t('import.reading')} />}>
                  <Match when={tooLarge()}>
                    <p class="alert alert-error" role="alert">
                      {t('import.tooLarge', { size: formatBytes(chosen().size), limit: formatBytes(area.limitBytes) })}
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
                            id={`${area.idPrefix}-encoding`}
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
                            id={`${area.idPrefix}-delimiter`}
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
                          <MappingPreview area={area} preview={current()} mapping={mapping()} onMap={setMapping} />
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
      {(created) => <ImportRun area={area} created={created()} file={file()!} onAnother={reset} />}
    </Show>
  );
}

function MappingPreview<Field extends string, Run extends ImportRunBase>(props: {
  area: ImportArea<Field, Run>;
  preview: Preview;
  mapping: (Field | null)[];
  onMap: (mapping: (Field | null)[]) => void;
}) {
  const t = props.area.words;
  const options = () => [
    { value: '', label: t('import.skipColumn') },
    ...props.area.fields.map((field) => ({ value: field, label: `${props.area.fieldLabel(field)} (${field})` })),
  ];
  const mapColumn = (column: number, field: string) =>
    props.onMap(props.mapping.map((current, index) => (index === column ? ((field || null) as Field | null) : current)));
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
function ImportRun<Field extends string, Run extends ImportRunBase>(props: { area: ImportArea<Field, Run>; created: Run; file: File; onAnother: () => void }) {
  const t = props.area.words;
  const [state, setState] = createSignal<Run>(props.created);
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
      const { import: latest } = await props.area.getImport(props.created.id);
      if (!finished()) setState(() => latest);
    } catch {
      // A missed poll is retried; the upload's answer ends the wait either way.
    }
    if (!stopped && !finished()) timer = setTimeout(() => void poll(), pollEveryMs);
  };
  timer = setTimeout(() => void poll(), pollEveryMs);

  props.area.upload(props.created.id, props.file).then(
    ({ import: done }) => setState(() => done),
    async (caught: unknown) => {
      setError(caught);
      try {
        const { import: latest } = await props.area.getImport(props.created.id);
        setState(() => latest);
      } catch {
        // The error above already says what went wrong.
      }
    },
  );

  const percent = () => {
    if (state().status === 'done') return 100;
    return state().sizeBytes > 0 ? Math.min(100, Math.floor((state().processedBytes / state().sizeBytes) * 100)) : 0;
  };
  const counts = () => props.area.counts(state());

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
          data-testid="import-progress"
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
            {props.area.finishedActions?.()}
          </div>
        </Show>
      </section>
      <Show when={finished() && state().rows.read > 0}>
        <Rejections area={props.area} importRun={state()} />
      </Show>
      <Show when={finished()}>{props.area.outcome(state())}</Show>
    </>
  );
}

/**
 * The rows of an import's report, read a page at a time by row number: `load` adds the next page, and
 * does nothing while a page is on its way or after the last one.
 */
export function rowPages<Row>(fetchPage: (after: number) => Promise<{ rows: Row[]; nextAfter: number | null }>) {
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
export function ShowMore<Row>(props: { pages: ReturnType<typeof rowPages<Row>>; label: string }) {
  return (
    <>
      <Show when={props.pages.loading()}>
        <Loading />
      </Show>
      <Show when={props.pages.more()}>
        <button type="button" class="button" onClick={() => void props.pages.load()}>
          {props.label}
        </button>
      </Show>
    </>
  );
}

function Rejections<Field extends string, Run extends ImportRunBase>(props: { area: ImportArea<Field, Run>; importRun: Run }) {
  const t = props.area.words;
  const pages = rowPages<ImportRejection>(async (after) => {
    const page = await props.area.rejections(props.importRun.id, after);
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
          <a class="button" href={props.area.rejectionReportHref(props.importRun.id, locale())} download="" data-testid="rejected-download">
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
        <ShowMore pages={pages} label={t('import.showMore')} />
      </Show>
    </section>
  );
}
