// Editor form fields that find their own error by the definition path they edit
// (e.g. questions.2.title.en), whether the browser's check or the server reported it.
import {
  createContext,
  createEffect,
  createMemo,
  createSignal,
  For,
  onCleanup,
  Show,
  splitProps,
  useContext,
  type JSX,
} from 'solid-js';
import type { Locale } from '../../../surveys/definition.ts';
import { locale } from '../i18n.ts';
import { t } from './text.ts';
import { Field, Select } from '../ui.tsx';
import type { EditorIssue, TextDraft } from './model.ts';

/** DOM id of the control that edits a path. */
export const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const exactMessages: Record<string, () => string> = {
  'Chinese (zh-CN) text is required': () => t('issues.zhRequired'),
  'English (en) text is required': () => t('issues.enRequired'),
  'must start with a letter and use only letters, digits, _ or - (at most 64)': () => t('issues.key'),
  'a choice question needs at least two options': () => t('issues.twoOptions'),
  'option ids must be unique': () => t('issues.uniqueOptions'),
  'a survey needs at least one question': () => t('issues.oneQuestion'),
};

/** The message of an issue in the screen's language where we know it; the schema's text otherwise. */
export function issueText(issue: EditorIssue): string {
  switch (issue.code) {
    case 'slug':
      return t('editor.slugInvalid');
    case 'duplicateId':
      return t('issues.duplicateId', { id: issue.args?.id ?? '' });
    case 'earlierOnly':
      return t('issues.earlierOnly', { id: issue.args?.id ?? '', ref: issue.args?.ref ?? '' });
    case 'chooseQuestion':
    case 'enterValue':
    case 'chooseValue':
    case 'number':
    case 'wholeNumber':
      return t(`issues.${issue.code}`);
  }
  const known = exactMessages[issue.message];
  if (known) return known();
  if (/\.maxLength$/.test(issue.path)) return t('issues.wholeNumber');
  if (/^Invalid type: Expected number/.test(issue.message)) return t('issues.number');
  if (locale() === 'zh-CN' && issue.zh) return issue.zh;
  return issue.message;
}

/** "questions.2.options.0.label.en" → "Question 3 › option 1 › label › English". */
export function describePath(path: string): string {
  const parts = path.split('.');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part in numbered && next !== undefined && /^\d+$/.test(next)) {
      words.push(t(`editor.path.${numbered[part as keyof typeof numbered]}`, { n: Number(next) + 1 }));
      i += 1;
    } else if (part === 'zh-CN' || part === 'en') {
      words.push(t(`locales.${part}`));
    } else if (/^\d+$/.test(part)) {
      words.push(String(Number(part) + 1));
    } else if (part === 'option') {
      words.push(t('editor.path.ruleOption'));
    } else if (part in pathWords) {
      words.push(t(`editor.path.${part as keyof typeof pathWords}`));
    } else if (part !== '') {
      words.push(part);
    }
  }
  return words.join(' › ');
}

const pathWords = {
  questions: 1, title: 1, intro: 1, thankYou: 1, help: 1, labels: 1, min: 1, max: 1, options: 1, label: 1, id: 1,
  showIf: 1, value: 1, question: 1, scale: 1, attribute: 1, maxLength: 1, kind: 1, slug: 1,
  indexModel: 1, constructs: 1, paths: 1, items: 1, name: 1, scheme: 1, loopRules: 1, format: 1,
} as const;

/** Path parts followed by a position, and the word that numbers them. */
const numbered = {
  questions: 'questionN', options: 'option', constructs: 'constructN', paths: 'pathN', items: 'itemN', loopRules: 'ruleN',
} as const;

export interface EditorErrors {
  /** The message to show at a path, if any. */
  errorFor(path: string): string | undefined;
  /** Every shown issue, in form order. */
  all(): { path: string; text: string }[];
  /** Issues under a prefix that no rendered field shows, so a card can show them itself. */
  unclaimedUnder(prefix: string): { path: string; text: string }[];
  claim(path: string): void;
  release(path: string): void;
  /** A person edited the field: the server's old complaint about it no longer applies. */
  edited(path: string): void;
}

export function createEditorErrors(options: {
  clientIssues: () => EditorIssue[];
  showClient: () => boolean;
  serverFields: () => Record<string, string>;
  clearServerField: (path: string) => void;
}): EditorErrors {
  const [claims, setClaims] = createSignal(new Map<string, number>(), { equals: false });
  const shown = createMemo(() => {
    const byPath = new Map<string, string>();
    if (options.showClient()) {
      for (const issue of options.clientIssues()) if (!byPath.has(issue.path)) byPath.set(issue.path, issueText(issue));
    }
    for (const [path, text] of Object.entries(options.serverFields())) if (!byPath.has(path)) byPath.set(path, text);
    return byPath;
  });
  return {
    errorFor: (path) => shown().get(path),
    all: () => [...shown()].map(([path, text]) => ({ path, text })),
    unclaimedUnder(prefix) {
      const claimed = claims();
      return [...shown()]
        .filter(([path]) => (prefix === '' || path === prefix || path.startsWith(`${prefix}.`)) && !claimed.get(path))
        .map(([path, text]) => ({ path, text }));
    },
    claim: (path) =>
      setClaims((map) => {
        map.set(path, (map.get(path) ?? 0) + 1);
        return map;
      }),
    release: (path) =>
      setClaims((map) => {
        const count = (map.get(path) ?? 1) - 1;
        if (count > 0) map.set(path, count);
        else map.delete(path);
        return map;
      }),
    edited: (path) => options.clearServerField(path),
  };
}

export const EditorErrorsContext = createContext<EditorErrors>();

function useEditorErrors() {
  const context = useContext(EditorErrorsContext);
  if (!context) throw new Error('Editor fields must be inside EditorErrorsContext.Provider');
  return context;
}

/** Registers that a control shows the error of `path`, and returns that error. */
export function useFieldError(path: () => string) {
  const errors = useEditorErrors();
  createEffect(() => {
    const current = path();
    errors.claim(current);
    onCleanup(() => errors.release(current));
  });
  return () => errors.errorFor(path());
}

/**
 * The id and error of the control that edits a path, and `edited(handler)`: the control's change handler,
 * called once the server's old complaint about the path is cleared.
 */
function usePathControl(path: () => string) {
  const errors = useEditorErrors();
  const error = useFieldError(path);
  return {
    id: () => fieldId(path()),
    error,
    edited:
      <V,>(handler: (value: V) => void) =>
      (value: V) => {
        errors.edited(path());
        handler(value);
      },
  };
}

export function EditorText(props: {
  path: string;
  label: JSX.Element;
  value: string;
  onInput: (value: string) => void;
  multiline?: boolean;
  hint?: JSX.Element;
  lang?: string;
  readOnly?: boolean;
  type?: string;
  inputMode?: 'numeric' | 'text';
  min?: number;
  max?: number;
  class?: string;
}) {
  const [own, field] = splitProps(props, ['path', 'onInput']);
  const control = usePathControl(() => own.path);
  return <Field {...field} id={control.id()} error={control.error()} onInput={control.edited(own.onInput)} />;
}

/** The name of a language, as the editor labels the box for it. */
export const languageLabel = (locale: Locale) => (locale === 'zh-CN' ? t('editor.languageZh') : t('editor.languageEn'));

/** One text in both languages: a group with a Chinese and an English box. */
export function EditorLocalized(props: {
  path: string;
  label: string;
  value: TextDraft;
  onInput: (locale: Locale, value: string) => void;
  multiline?: boolean;
  hint?: string;
}) {
  const groupError = useFieldError(() => props.path);
  const box = (locale: Locale) => (
    <EditorText
      path={`${props.path}.${locale}`}
      label={languageLabel(locale)}
      lang={locale}
      value={props.value[locale]}
      multiline={props.multiline}
      onInput={(value) => props.onInput(locale, value)}
    />
  );
  return (
    <fieldset class="localized" id={fieldId(props.path)} tabindex="-1" aria-invalid={groupError() ? 'true' : undefined}>
      <legend>{props.label}</legend>
      <Show when={props.hint}>
        <p class="hint">{props.hint}</p>
      </Show>
      <div class="localized-pair">
        {box('zh-CN')}
        {box('en')}
      </div>
      <Show when={groupError()}>
        <p class="field-error" role="alert">
          {groupError()}
        </p>
      </Show>
    </fieldset>
  );
}

export function EditorSelect<T extends string>(props: {
  path: string;
  label: JSX.Element;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  placeholder?: string;
  hint?: string;
  disabled?: boolean;
}) {
  const [own, select] = splitProps(props, ['path', 'onChange']);
  const control = usePathControl(() => own.path);
  return <Select {...select} id={control.id()} error={control.error()} onChange={control.edited(own.onChange)} />;
}

export function EditorCheckbox(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="checkbox">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

/** Errors under a path that no field shows (e.g. "question id is used twice" on the whole question). */
export function UnclaimedErrors(props: { prefix: string; exact?: boolean }) {
  const errors = useEditorErrors();
  const list = () =>
    errors.unclaimedUnder(props.prefix).filter((issue) => !props.exact || issue.path === props.prefix);
  return (
    <Show when={list().length > 0}>
      <ul class="field-error issue-list">
        <For each={list()}>
          {(issue) => (
            <li>
              <Show when={issue.path !== props.prefix}>
                {describePath(issue.path)}
                {t('app.labelSeparator')}
              </Show>
              {issue.text}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** Moves focus to the control that edits a path, or the nearest enclosing group that exists. */
export function focusPath(path: string) {
  let current = path;
  for (;;) {
    const element = document.getElementById(fieldId(current));
    if (element) {
      element.scrollIntoView({ block: 'center' });
      element.focus({ preventScroll: true });
      return;
    }
    const cut = current.lastIndexOf('.');
    if (cut < 0) return;
    current = current.slice(0, cut);
  }
}
