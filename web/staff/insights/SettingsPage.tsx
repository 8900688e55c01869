// /insights/settings: admins set how the dashboard counts (reporting time zone, level cut-offs, word of
// mouth). The server checks every value; its messages are shown by the fields they are about.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { t } from './text.ts';
import { isAdmin } from '../session.ts';
import { createFormState } from '../forms.ts';
import { Async, ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { insightsApi, type InsightSettings } from './api.ts';

const levelKeys = ['dissatisfied', 'satisfied', 'highly_satisfied'] as const;

export default function SettingsPage() {
  usePageTitle(() => t('insights.settings.title'));
  const [settings, { refetch }] = createResource(isAdmin, () => insightsApi.settings());
  return (
    <Show when={isAdmin()} fallback={<p class="alert alert-info">{t('insights.settings.adminsOnly')}</p>}>
      <p class="breadcrumb">
        <A href="/insights">{t('insights.settings.back')}</A>
      </p>
      <h1>{t('insights.settings.title')}</h1>
      <p class="muted">{t('insights.settings.intro')}</p>
      <Async resource={settings} onRetry={refetch}>
        {(loaded) => <SettingsForm initial={loaded} />}
      </Async>
    </Show>
  );
}

/** The form keeps what was typed as text, so a half-typed number is not lost; the server judges the values. */
function SettingsForm(props: { initial: InsightSettings }) {
  const text = (value: number) => String(value);
  const [draft, setDraft] = createStore({
    timeZone: props.initial.timeZone,
    dissatisfiedBelow: text(props.initial.cutoffs.dissatisfiedBelow),
    highlySatisfiedAbove: text(props.initial.cutoffs.highlySatisfiedAbove),
    dissatisfied: text(props.initial.wordOfMouth.dissatisfied),
    satisfied: text(props.initial.wordOfMouth.satisfied),
    highly_satisfied: text(props.initial.wordOfMouth.highly_satisfied),
  });
  const form = createFormState();
  const [saved, setSaved] = createSignal(false);
  // A field left empty or not a number goes to the server as such, so its own message names the field.
  const number = (value: string) => (value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : (value as unknown as number));

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    return form.run(async () => {
      const next = await insightsApi.saveSettings({
        timeZone: draft.timeZone,
        cutoffs: { dissatisfiedBelow: number(draft.dissatisfiedBelow), highlySatisfiedAbove: number(draft.highlySatisfiedAbove) },
        wordOfMouth: { dissatisfied: number(draft.dissatisfied), satisfied: number(draft.satisfied), highly_satisfied: number(draft.highly_satisfied) },
      });
      setDraft({
        timeZone: next.timeZone,
        dissatisfiedBelow: text(next.cutoffs.dissatisfiedBelow),
        highlySatisfiedAbove: text(next.cutoffs.highlySatisfiedAbove),
        dissatisfied: text(next.wordOfMouth.dissatisfied),
        satisfied: text(next.wordOfMouth.satisfied),
        highly_satisfied: text(next.wordOfMouth.highly_satisfied),
      });
      setSaved(true);
    });
  };
  const { busy, error, fieldError } = form;

  return (
    <form class="card insights-settings" onSubmit={save} novalidate data-testid="insights-settings">
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <Field
        label={t('insights.settings.timeZone')}
        name="timeZone"
        value={draft.timeZone}
        hint={t('insights.settings.timeZoneHint')}
        error={fieldError('timeZone')}
        onInput={(value) => setDraft('timeZone', value)}
      />
      <fieldset class="insights-settings-group">
        <legend>{t('insights.settings.cutoffs')}</legend>
        <div class="grid-2">
          <Field
            label={t('insights.settings.dissatisfiedBelow')}
            name="dissatisfiedBelow"
            inputMode="text"
            value={draft.dissatisfiedBelow}
            error={fieldError('cutoffs.dissatisfiedBelow')}
            onInput={(value) => setDraft('dissatisfiedBelow', value)}
          />
          <Field
            label={t('insights.settings.highlySatisfiedAbove')}
            name="highlySatisfiedAbove"
            inputMode="text"
            value={draft.highlySatisfiedAbove}
            error={fieldError('cutoffs.highlySatisfiedAbove')}
            onInput={(value) => setDraft('highlySatisfiedAbove', value)}
          />
        </div>
      </fieldset>
      <fieldset class="insights-settings-group">
        <legend>{t('insights.settings.wordOfMouth')}</legend>
        <div class="grid-2">
          <For each={levelKeys}>
            {(level) => (
              <Field
                label={t(`insights.levels.levels.${level}`)}
                name={`wordOfMouth-${level}`}
                inputMode="numeric"
                value={draft[level]}
                error={fieldError(`wordOfMouth.${level}`)}
                onInput={(value) => setDraft(level, value)}
              />
            )}
          </For>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="save-insights-settings">
          {busy() ? t('insights.settings.saving') : t('insights.settings.save')}
        </button>
      </div>
      <p role="status" class="insights-saved">
        {saved() ? t('insights.settings.saved') : ''}
      </p>
    </form>
  );
}
