// Small building blocks every staff page uses: loading and error states, form fields, badges, dialogs.
import { useParams } from '@solidjs/router';
import {
  createEffect,
  createResource,
  createSignal,
  createUniqueId,
  For,
  Match,
  on,
  onCleanup,
  Show,
  Switch,
  type JSX,
  type Resource,
} from 'solid-js';
import { ApiError } from './request.ts';
import { type SurveyDetail, surveysApi, type SurveyStatus } from './surveys/api.ts';
import { locale } from './i18n.ts';
import { t } from './text.ts';
import { noticeUnauthorized } from './session.ts';

/** A server message (plain text, or both languages) in the screen's language; read inside JSX it follows a switch. */
export function fieldMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message && typeof message === 'object') {
    const text = message as Partial<Record<'en' | 'zh-CN', string>>;
    return text[locale()] ?? text.en ?? '';
  }
  return '';
}

const httpReasonPhrases = new Set([
  'Bad Request',
  'Unauthorized',
  'Forbidden',
  'Not Found',
  'Conflict',
  'Gone',
  'Too Many Requests',
  'Unprocessable Entity',
]);

/** Turns any thrown value into a sentence a person can act on. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) return t('errors.server');
    // 4xx messages come from the server in both languages (shown in the screen's) and say what to fix;
    // a bare HTTP reason phrase (no JSON body) is replaced by our own sentence.
    if (error.texts) return fieldMessage(error.texts);
    if (error.message && !httpReasonPhrases.has(error.message)) return error.message;
    if (error.status === 401) return t('errors.unauthorized');
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('errors.notFound');
    return t('errors.unknown');
  }
  if (error instanceof TypeError) return t('errors.network');
  return t('errors.unknown');
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? t('app.loading')}
    </p>
  );
}

/**
 * An error above a form or a page. When the server named fields, every problem is listed, each after the label
 * of its field (`labels` maps a field's path to it; a path with no label shows the message alone).
 */
export function ErrorMessage(props: { error: unknown; onRetry?: () => void; labels?: (path: string) => string | undefined }) {
  createEffect(() => noticeUnauthorized(props.error));
  const problems = () => {
    const error = props.error;
    return error instanceof ApiError && error.status < 500 ? Object.entries(error.fields) : [];
  };
  const unlisted = () => (props.error instanceof ApiError ? props.error.unlistedProblems : 0);
  return (
    <div class="alert alert-error" role="alert" data-testid="error-summary">
      <Show when={problems().length > 0} fallback={<p>{describeError(props.error)}</p>}>
        <p>{problems().length === 1 ? t('errors.correctOne') : t('errors.correctMany', { count: problems().length })}</p>
        <ul class="problem-list">
          <For each={problems()}>
            {([path, text]) => {
              const label = () => props.labels?.(path);
              return (
                <li data-path={path}>
                  <Show when={label()}>
                    <strong>{label()}</strong>
                    {t('app.labelSeparator')}
                  </Show>
                  {fieldMessage(text)}
                </li>
              );
            }}
          </For>
        </ul>
        <Show when={unlisted() > 0}>
          <p>{t('errors.notListed', { count: unlisted() })}</p>
        </Show>
      </Show>
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" class="button" onClick={() => retry()()}>
            {t('app.retry')}
          </button>
        )}
      </Show>
    </div>
  );
}

/** Renders a resource: a spinner while loading, an actionable error, or the data. Never suspends the page. */
export function Async<T>(props: {
  resource: Resource<T>;
  onRetry?: () => void;
  loadingLabel?: string;
  children: (data: T) => JSX.Element;
}) {
  return (
    <Switch fallback={<Loading label={props.loadingLabel} />}>
      <Match when={props.resource.state === 'errored'}>
        <ErrorMessage error={props.resource.error} onRetry={props.onRetry} />
      </Match>
      <Match when={props.resource.state === 'ready' || props.resource.state === 'refreshing'}>
        {props.children(props.resource.latest as T)}
      </Match>
    </Switch>
  );
}

/** Loads the survey the route's :id names and renders it like Async does. */
export function RouteSurvey(props: { children: (survey: SurveyDetail) => JSX.Element }) {
  const params = useParams<{ id: string }>();
  const [survey, { refetch }] = createResource(
    () => params.id,
    async (id) => (await surveysApi.survey(id)).survey,
  );
  return (
    <Async resource={survey} onRetry={refetch}>
      {props.children}
    </Async>
  );
}

export function StatusBadge(props: { status: SurveyStatus; testId?: string }) {
  return (
    <span class={`badge badge-${props.status}`} data-testid={props.testId}>
      {t(`status.${props.status}`)}
    </span>
  );
}

export function usePageTitle(title: () => string) {
  createEffect(() => {
    document.title = `${title()} · ${t('app.name')}`;
  });
}

interface FrameProps {
  label: JSX.Element;
  id?: string;
  error?: string | undefined;
  hint?: JSX.Element;
  class?: string;
}

/** The control's id (a generated one unless given) and the ids of its hint and error, for aria-describedby. */
function frameIds(props: FrameProps) {
  const fallbackId = createUniqueId();
  const id = () => props.id ?? `field-${fallbackId}`;
  const describedBy = () =>
    [props.hint ? `${id()}-hint` : '', props.error ? `${id()}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, describedBy };
}

/** The label above a control and its hint and error below it. */
function FieldFrame(props: FrameProps & { id: string; children: JSX.Element }) {
  return (
    <div class={props.class ? `field ${props.class}` : 'field'} classList={{ 'field-invalid': !!props.error }}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      <Show when={props.hint}>
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <Show when={props.error}>
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

interface FieldProps extends FrameProps {
  name?: string;
  type?: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete?: string;
  required?: boolean;
  multiline?: boolean;
  readOnly?: boolean;
  lang?: string;
  inputMode?: 'numeric' | 'text' | 'email';
  min?: number;
  max?: number;
}

/** A labelled text input whose hint and error are announced with it. */
export function Field(props: FieldProps) {
  const { id, describedBy } = frameIds(props);
  const shared = () => ({
    id: id(),
    name: props.name,
    value: props.value,
    required: props.required,
    readOnly: props.readOnly,
    lang: props.lang,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(),
  });
  return (
    <FieldFrame {...props} id={id()}>
      <Show
        when={props.multiline}
        fallback={
          <input
            {...shared()}
            type={props.type ?? 'text'}
            autocomplete={props.autocomplete as JSX.HTMLAutocomplete | undefined}
            inputMode={props.inputMode}
            min={props.min}
            max={props.max}
            onInput={(event) => props.onInput(event.currentTarget.value)}
          />
        }
      >
        <textarea {...shared()} rows={3} onInput={(event) => props.onInput(event.currentTarget.value)} />
      </Show>
    </FieldFrame>
  );
}

/** A labelled drop-down whose hint and error are announced with it; a placeholder is a first, unselectable option. */
export function Select<T extends string>(
  props: FrameProps & {
    name?: string;
    value: T;
    options: readonly { value: T; label: string }[];
    onChange: (value: T) => void;
    placeholder?: string;
    disabled?: boolean;
  },
) {
  const { id, describedBy } = frameIds(props);
  return (
    <FieldFrame {...props} id={id()}>
      <select
        id={id()}
        name={props.name}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        onChange={(event) => props.onChange(event.currentTarget.value as T)}
      >
        <Show when={props.placeholder !== undefined}>
          <option value="" disabled>
            {props.placeholder}
          </option>
        </Show>
        <For each={props.options}>
          {(option) => (
            <option value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          )}
        </For>
      </select>
    </FieldFrame>
  );
}

/** A modal confirmation built on <dialog>, so focus is trapped and Escape cancels. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  confirmTestId?: string;
  /** The cancel button's words; "Cancel" unless given. */
  cancelLabel?: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: JSX.Element;
}) {
  let dialog!: HTMLDialogElement;
  const titleId = createUniqueId();
  createEffect(
    on(
      () => props.open,
      (open) => {
        if (open && !dialog.open) dialog.showModal();
        if (!open && dialog.open) dialog.close();
      },
    ),
  );
  onCleanup(() => dialog?.open && dialog.close());
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={`dialog-${titleId}`}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={`dialog-${titleId}`}>{props.title}</h2>
      <div class="dialog-body">{props.children}</div>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => props.onCancel()} disabled={props.busy}>
          {props.cancelLabel ?? t('app.cancel')}
        </button>
        <button
          type="button"
          class={`button ${props.danger ? 'button-danger' : 'button-primary'}`}
          data-testid={props.confirmTestId}
          disabled={props.busy}
          onClick={() => props.onConfirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function CopyButton(props: { text: string; label?: string }) {
  const [state, setState] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer);
    timer = setTimeout(() => setState('idle'), 4000);
  };
  return (
    <>
      <button type="button" class="button button-small" onClick={copy}>
        {state() === 'copied' ? t('app.copied') : (props.label ?? t('app.copy'))}
      </button>
      <span class="sr-only" role="status">
        {state() === 'copied' ? t('app.copied') : ''}
      </span>
      <Show when={state() === 'failed'}>
        <span class="field-error">{t('app.copyFailed')}</span>
      </Show>
    </>
  );
}

/**
 * The "Load more" button under a list read a page at a time (hidden at the end, nextBefore being null), with
 * the error of a page that failed to load and a retry. `load` fetches the page after `before` and adds it.
 * `label` names the button when "Load more" says too little (e.g. "Show older changes").
 */
export function LoadMore<Cursor extends string | number>(props: {
  nextBefore: Cursor | null;
  load: (before: Cursor) => Promise<unknown>;
  testId?: string;
  label?: string;
}) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  /** The cursor of the next page, or null at the end (an empty cursor is the end too). */
  const cursor = () => (props.nextBefore === '' ? null : props.nextBefore);
  const run = async () => {
    const before = cursor();
    if (before === null || busy()) return;
    setBusy(true);
    setError(null);
    try {
      await props.load(before);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} onRetry={run} />}</Show>
      <Show when={cursor() !== null}>
        <p>
          <button type="button" class="button" data-testid={props.testId ?? 'load-more'} disabled={busy()} onClick={run}>
            {busy() ? t('app.loadingMore') : (props.label ?? t('app.loadMore'))}
          </button>
        </p>
      </Show>
    </>
  );
}

/** A table that scrolls sideways on narrow screens and can be scrolled with the keyboard. */
export function TableScroll(props: { label: string; children: JSX.Element }) {
  return (
    <div class="table-scroll" role="region" aria-label={props.label} tabindex="0">
      {props.children}
    </div>
  );
}

/** A column heading: its text, or its text and `numeric` for a right-aligned column of numbers. */
export type TableHeader = string | { label: string; numeric: true };

/**
 * A staff table: scrolls sideways on narrow screens (see TableScroll), one row of column headings, and the
 * rows given as children. `class` adds to the "table" class.
 */
export function DataTable(props: { label: string; class?: string; headers: readonly TableHeader[]; children: JSX.Element }) {
  return (
    <TableScroll label={props.label}>
      <table class={props.class ? `table ${props.class}` : 'table'}>
        <thead>
          <tr>
            <For each={props.headers}>
              {(header) =>
                typeof header === 'string' ? (
                  <th scope="col">{header}</th>
                ) : (
                  <th scope="col" class="numeric">
                    {header.label}
                  </th>
                )
              }
            </For>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </TableScroll>
  );
}

/** What a list shows when it has nothing in it: what is missing, and what to do about it. */
export function EmptyState(props: { message: string; hint: string; testId?: string }) {
  return (
    <div class="empty-state" data-testid={props.testId}>
      <p class="empty">{props.message}</p>
      <p class="muted">{props.hint}</p>
    </div>
  );
}

/** Absolute URL for a server path, for links people copy and send. */
export function absoluteUrl(path: string): string {
  return new URL(path, window.location.origin).href;
}
