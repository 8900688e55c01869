// Shared state of the small sign-in style forms: busy flag, the error, and per-field messages.
import { createSignal } from 'solid-js';
import { ApiError } from '../../api.ts';
import { fieldMessage } from '../ui.tsx';

export function createFormState() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});

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

  return { busy, error, fields, run, fieldError: (name: string) => fields()[name] };
}
