// The state of a staff form: its busy flag, the error, field values and the server's per-field messages.
import { createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ApiError } from './request.ts';
import { fieldMessage } from './ui.tsx';

export function createFormState() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [values, setValues] = createStore<Record<string, string>>({});

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
        setFields(Object.fromEntries(Object.entries(caught.fields).map(([path, message]) => [path, fieldMessage(message)])));
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
    fieldError: (name: string) => fields()[name],
    /** What a FormField of this name holds ('' until typed in). */
    value: (name: string) => values[name] ?? '',
    setValue: (name: string, value: string) => setValues(name, value),
  };
}

export type FormState = ReturnType<typeof createFormState>;
