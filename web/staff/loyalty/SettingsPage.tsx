// /loyalty/settings: admins and managers keep how loyalty is computed (every field of the loyalty settings).
// The form keeps what was typed as text; the server checks every value, and its messages (in the language
// on screen) are shown by the fields they are about and listed above the form.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createFormState } from '../forms.ts';
import { canAuthor } from '../session.ts';
import { Async, ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { loyaltyApi, type LoyaltySettings } from './api.ts';
import { t } from './text.ts';

type Words = Parameters<typeof t>[0];

/** The number fields, by their path in the settings, in groups; each with its words. */
const groups: { legend: Words; hint?: Words; fields: { path: string; label: Words }[] }[] = [
  { legend: 'loyalty.settings.window', fields: [{ path: 'windowMonths', label: 'loyalty.settings.windowMonths' }] },
  {
    legend: 'loyalty.settings.tiers',
    hint: 'loyalty.settings.tiersHint',
    fields: [
      { path: 'tierShares.vip', label: 'loyalty.settings.vip' },
      { path: 'tierShares.important', label: 'loyalty.settings.important' },
    ],
  },
  {
    legend: 'loyalty.settings.stages',
    fields: [
      { path: 'stages.newTenureDays', label: 'loyalty.settings.newTenureDays' },
      { path: 'stages.regularPurchases', label: 'loyalty.settings.regularPurchases' },
      { path: 'stages.longStandingYears', label: 'loyalty.settings.longStandingYears' },
      { path: 'stages.loyalScore', label: 'loyalty.settings.loyalScore' },
      { path: 'stages.loyalRecommendation', label: 'loyalty.settings.loyalRecommendation' },
    ],
  },
  {
    legend: 'loyalty.settings.churn',
    fields: [
      { path: 'churn.gapFactor', label: 'loyalty.settings.gapFactor' },
      { path: 'churn.singlePurchaseGapDays', label: 'loyalty.settings.singlePurchaseGapDays' },
      { path: 'churn.voicedWithinDays', label: 'loyalty.settings.voicedWithinDays' },
    ],
  },
  {
    legend: 'loyalty.settings.weights',
    hint: 'loyalty.settings.weightsHint',
    fields: [
      { path: 'weights.attitude', label: 'loyalty.settings.attitude' },
      { path: 'weights.behaviour', label: 'loyalty.settings.behaviour' },
      { path: 'weights.recovery', label: 'loyalty.settings.recovery' },
    ],
  },
  { legend: 'loyalty.settings.schedule', fields: [{ path: 'recomputeEveryHours', label: 'loyalty.settings.recomputeEveryHours' }] },
  {
    legend: 'loyalty.settings.followUp',
    fields: [
      { path: 'followUp.thankYouAfterDays.min', label: 'loyalty.settings.thankYouMin' },
      { path: 'followUp.thankYouAfterDays.max', label: 'loyalty.settings.thankYouMax' },
      { path: 'followUp.vipEveryWeeks', label: 'loyalty.settings.vipEveryWeeks' },
    ],
  },
  { legend: 'loyalty.settings.tarp', fields: [{ path: 'buyAgainWithinDays', label: 'loyalty.settings.buyAgainWithinDays' }] },
];
const numberPaths = groups.flatMap((group) => group.fields.map((field) => field.path));

const read = (settings: LoyaltySettings, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], settings);
function write(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let place = target;
  for (const key of keys.slice(0, -1)) place = (place[key] ??= {}) as Record<string, unknown>;
  place[keys.at(-1)!] = value;
}

export default function SettingsPage() {
  usePageTitle(() => t('loyalty.settings.title'));
  const [settings, { refetch }] = createResource(canAuthor, () => loyaltyApi.settings());
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('loyalty.settings.managersOnly')}</p>}>
      <p class="breadcrumb">
        <A href="/insights">{t('loyalty.settings.back')}</A>
      </p>
      <h1>{t('loyalty.settings.title')}</h1>
      <p class="muted">{t('loyalty.settings.intro')}</p>
      <Async resource={settings} onRetry={refetch}>
        {(loaded) => <SettingsForm initial={loaded.settings} />}
      </Async>
    </Show>
  );
}

interface Draft {
  numbers: Record<string, string>;
  base: string;
  rates: { code: string; rate: string }[];
  thankYouEnabled: boolean;
}

const draftOf = (settings: LoyaltySettings): Draft => ({
  numbers: Object.fromEntries(numberPaths.map((path) => [path, String(read(settings, path))])),
  base: settings.currency.base,
  rates: Object.entries(settings.currency.rates).map(([code, rate]) => ({ code, rate: String(rate) })),
  thankYouEnabled: settings.followUp.thankYouEnabled,
});

function SettingsForm(props: { initial: LoyaltySettings }) {
  const [draft, setDraft] = createStore<Draft>(draftOf(props.initial));
  const form = createFormState();
  const [saved, setSaved] = createSignal(false);
  // A field left empty or not a number goes to the server as typed, so its own message names the field.
  const number = (value: string): unknown => (value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value);
  const labels = new Map<string, () => string>([
    ...groups.flatMap((group) => group.fields.map((field) => [field.path, () => t(field.label) as string] as const)),
    ['currency.base', () => t('loyalty.settings.base')],
    ['currency.rates', () => t('loyalty.settings.currency')],
    ['followUp.thankYouEnabled', () => t('loyalty.settings.thankYouEnabled')],
  ]);
  const labelOf = (path: string) => labels.get(path)?.() ?? (path.startsWith('currency.rates.') ? t('loyalty.settings.rateOf', { code: path.slice('currency.rates.'.length) }) : undefined);

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    return form.run(async () => {
      const next: Record<string, unknown> = {};
      for (const path of numberPaths) write(next, path, number(draft.numbers[path] ?? ''));
      write(next, 'currency.base', draft.base);
      write(next, 'currency.rates', Object.fromEntries(draft.rates.filter((row) => row.code.trim() !== '' || row.rate.trim() !== '').map((row) => [row.code.trim().toUpperCase(), number(row.rate)])));
      write(next, 'followUp.thankYouEnabled', draft.thankYouEnabled);
      const answer = await loyaltyApi.saveSettings(next as unknown as LoyaltySettings);
      setDraft(draftOf(answer.settings));
      setSaved(true);
    });
  };
  const { busy, error, fieldError } = form;

  return (
    <form class="card insights-settings" onSubmit={save} novalidate data-testid="loyalty-settings">
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} labels={labelOf} />}</Show>
      <fieldset class="insights-settings-group">
        <legend>{t('loyalty.settings.currency')}</legend>
        <p class="hint">{t('loyalty.settings.currencyHint')}</p>
        <Field label={t('loyalty.settings.base')} name="currency.base" value={draft.base} error={fieldError('currency.base')} onInput={(value) => setDraft('base', value)} />
        <Show when={fieldError('currency.rates')}>
          <p class="field-error" role="alert">
            {fieldError('currency.rates')}
          </p>
        </Show>
        <For each={draft.rates}>
          {(row, index) => (
            <div class="grid-2" data-testid="loyalty-rate-row">
              <Field
                label={t('loyalty.settings.codeOf', { n: index() + 1 })}
                name={`rate-code-${index()}`}
                value={row.code}
                onInput={(value) => setDraft('rates', index(), 'code', value)}
              />
              <div>
                <Field
                  label={t('loyalty.settings.rateOf', { code: row.code || '…' })}
                  name={`rate-${index()}`}
                  inputMode="text"
                  value={row.rate}
                  error={fieldError(`currency.rates.${row.code.trim().toUpperCase()}`)}
                  onInput={(value) => setDraft('rates', index(), 'rate', value)}
                />
                <button type="button" class="button button-small" onClick={() => setDraft('rates', (rows) => rows.filter((_, at) => at !== index()))}>
                  {t('loyalty.settings.removeCurrency', { code: row.code || '…' })}
                </button>
              </div>
            </div>
          )}
        </For>
        <button type="button" class="button button-small" data-testid="loyalty-add-currency" onClick={() => setDraft('rates', (rows) => [...rows, { code: '', rate: '' }])}>
          {t('loyalty.settings.addCurrency')}
        </button>
      </fieldset>
      <For each={groups}>
        {(group) => (
          <fieldset class="insights-settings-group">
            <legend>{t(group.legend) as string}</legend>
            <Show when={group.hint}>{(hint) => <p class="hint">{t(hint()) as string}</p>}</Show>
            <Show when={group.legend === 'loyalty.settings.weights' && fieldError('weights')}>
              <p class="field-error">{fieldError('weights')}</p>
            </Show>
            <Show when={group.legend === 'loyalty.settings.tiers' && fieldError('tierShares')}>
              <p class="field-error">{fieldError('tierShares')}</p>
            </Show>
            <Show when={group.legend === 'loyalty.settings.followUp'}>
              <label class="checkbox">
                <input type="checkbox" name="thankYouEnabled" checked={draft.thankYouEnabled} onChange={(event) => setDraft('thankYouEnabled', event.currentTarget.checked)} />
                {t('loyalty.settings.thankYouEnabled')}
              </label>
              <Show when={fieldError('followUp.thankYouAfterDays')}>
                <p class="field-error">{fieldError('followUp.thankYouAfterDays')}</p>
              </Show>
            </Show>
            <div class="grid-2">
              <For each={group.fields}>
                {(field) => (
                  <Field
                    label={t(field.label) as string}
                    name={field.path}
                    inputMode="text"
                    value={draft.numbers[field.path] ?? ''}
                    error={fieldError(field.path)}
                    onInput={(value) => setDraft('numbers', field.path, value)}
                  />
                )}
              </For>
            </div>
          </fieldset>
        )}
      </For>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="save-loyalty-settings">
          {busy() ? t('loyalty.settings.saving') : t('loyalty.settings.save')}
        </button>
      </div>
      <p role="status" class="insights-saved" data-testid="loyalty-settings-saved">
        {saved() ? t('loyalty.settings.saved') : ''}
      </p>
    </form>
  );
}
