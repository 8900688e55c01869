// The parts of the small sign-in style forms (sign in, setup, invitation); their state is web/staff/forms.ts.
import { Show, type JSX } from 'solid-js';
import type { FormState } from '../forms.ts';
import { t } from './text.ts';
import { ErrorMessage, Field } from '../ui.tsx';

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
