// The state of a staff form: its busy flag, the error, field values and the server's per-field messages.
import { createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ApiError, type ServerMessage } from './request.ts';
import { fieldMessage } from './ui.tsx';

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
