// The small sign-in style forms: their state (busy flag, the error, field values and per-field messages) and parts.
import { createSignal, Show, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ApiError, type ServerMessage } from '../../api.ts';
import { t } from '../i18n.ts';
import { ErrorMessage, Field, fieldMessage } from '../ui.tsx';

export function createFormState() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [fields, setFields] = createSignal<Record<string, ServerMessage>>({});
  const [values, setValues] = createStore<Record<string, string>>({});
  const labels = new Map<string, () => string>();

  /** Runs a submit; failures become a message at the top and at each field the server named. */
  async function run(action: () => Promise<void>) {
    if (busy()) return;
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await action();
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError) {
        setFields(caught.fields);
      }
    } finally {
      setBusy(false);
    }
  }

  return {
    busy,
    error,
    fields,
    run,
    /** The server's message about a field, in the screen's language (it follows a language switch). */
    fieldError: (name: string) => fieldMessage(fields()[name]) || undefined,
    /** Names a field for the error summary, which lists each problem after its field's label. */
    setLabel: (name: string, label: () => string) => labels.set(name, label),
    labelOf: (name: string) => labels.get(name)?.(),
    /** What a FormField of this name holds ('' until typed in). */
    value: (name: string) => values[name] ?? '',
    setValue: (name: string, value: string) => setValues(name, value),
  };
}

export type FormState = ReturnType<typeof createFormState>;

/**
 * The error above the form, its fields, and a submit button that runs `onSubmit` through the form state;
 * the button shows the `submit` text of the page's `texts` section, and `submitting` while busy.
 */
export function AuthForm(props: {
  form: FormState;
  texts: 'login' | 'setup' | 'invite';
  submitTestId: string;
  onSubmit: () => Promise<void>;
  children: JSX.Element;
}) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void props.form.run(props.onSubmit);
  };
  return (
    <>
      <Show when={props.form.error()}>{(error) => <ErrorMessage error={error()} labels={props.form.labelOf} />}</Show>
      <form onSubmit={submit} novalidate>
        {props.children}
        <button
          type="submit"
          class="button button-primary"
          data-testid={props.submitTestId}
          disabled={props.form.busy()}
        >
          {props.form.busy() ? t(`${props.texts}.submitting`) : t(`${props.texts}.submit`)}
        </button>
      </form>
    </>
  );
}

/** The fields these forms have: the name the server knows each by, and how browsers and password managers fill it. */
const fieldKinds = {
  email: { name: 'email', type: 'email', autocomplete: 'username' },
  name: { name: 'name', type: 'text', autocomplete: 'name' },
  password: { name: 'password', type: 'password', autocomplete: 'current-password' },
  newPassword: { name: 'password', type: 'password', autocomplete: 'new-password' },
} as const;

/** A required field of such a form: its value and the server's message about it are the form's under its name. */
export function FormField(props: { form: FormState; kind: keyof typeof fieldKinds; label: string; hint?: string }) {
  const name = () => fieldKinds[props.kind].name;
  props.form.setLabel(name(), () => props.label);
  return (
    <Field
      label={props.label}
      name={name()}
      type={fieldKinds[props.kind].type}
      autocomplete={fieldKinds[props.kind].autocomplete}
      required
      hint={props.hint}
      value={props.form.value(name())}
      onInput={(value) => props.form.setValue(name(), value)}
      error={props.form.fieldError(name())}
    />
  );
}
