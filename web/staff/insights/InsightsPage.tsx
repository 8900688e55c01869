// /insights: the managers' dashboard. Every choice on it lives in the URL query, so a view is shared by link
// and comes back on reload; the sections below read the insights API for the view.
import { A, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js';
import { responseChannels, splits } from '../../../server/insights/types.ts';
import { localized, locale } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor, isAdmin } from '../session.ts';
import { surveyChoiceLabel } from '../surveyChoice.ts';
import { Async, ErrorMessage, Select, usePageTitle } from '../ui.tsx';
import { DriversSection, LevelsSection, ModelSection } from './analyses.tsx';
import { ComplaintsSection } from './complaints.tsx';
import { LoyaltySection } from './loyalty.tsx';
import { insightsApi, type InsightFilter, type InsightOptions } from './api.ts';
import {
  bucketUnits,
  daysBetween,
  isDay,
  maxDayBuckets,
  metricChoices,
  presetOf,
  presetRange,
  queryOfView,
  rangePresets,
  toggleChannel,
  viewFromQuery,
  type DashboardView,
  type QueryValues,
} from './filters.ts';
import { CompareSection, OverviewSection, TrendSection } from './sections.tsx';

export default function InsightsPage() {
  usePageTitle(() => t('insights.title'));
  const [options, { refetch }] = createResource(canAuthor, () => insightsApi.options());
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('insights.managersOnly')}</p>}>
      <div class="page-header">
        <div>
          <h1>{t('insights.title')}</h1>
          <p class="muted">{t('insights.intro')}</p>
        </div>
        <div class="actions">
          <SubscriptionSwitch />
          <A href="/loyalty/settings" class="button button-small" data-testid="loyalty-settings-link">
            {t('insights.loyaltySettingsLink')}
          </A>
          <Show when={isAdmin()}>
            <A href="/insights/settings" class="button button-small" data-testid="insights-settings-link">
              {t('insights.settingsLink')}
            </A>
          </Show>
        </div>
      </div>
      <Async resource={options} onRetry={refetch}>
        {(loaded) => <Dashboard options={loaded} />}
      </Async>
    </Show>
  );
}

function Dashboard(props: { options: InsightOptions }) {
  const [params, setParams] = useSearchParams<QueryValues>();
  const view = createMemo(() => viewFromQuery({ ...params }, props.options));
  const show = (next: DashboardView, replace = false) =>
    setParams(queryOfView(viewFromQuery(queryOfView(next), props.options)), { replace });
  // The URL always spells the whole view out, so a link sent today shows the same dates tomorrow.
  onMount(() => show(view(), true));

  const survey = () => props.options.surveys.find((each) => each.id === view().filter.surveyId) ?? null;
  const metricOffered = () => metricChoices(props.options, view().filter.surveyId).some((each) => each.key === view().metric);

  return (
    <>
      <FilterBar options={props.options} view={view()} onChange={show} />
      <OverviewSection filter={view().filter} />
      <div class="insights-view">
        <ViewPickers options={props.options} view={view()} onChange={show} />
        <Show when={metricOffered()}>
          <TrendSection view={view()} />
          <CompareSection view={view()} />
        </Show>
      </div>
      <Show when={survey()?.hasDrivers}>
        <DriversSection filter={view().filter} />
      </Show>
      <Show when={survey()?.hasLevels}>
        <LevelsSection filter={view().filter} />
      </Show>
      <Show when={survey()?.hasModel}>
        <ModelSection filter={view().filter} />
      </Show>
      <ComplaintsSection filter={view().filter} />
      <LoyaltySection filter={view().filter} />
    </>
  );
}

function FilterBar(props: { options: InsightOptions; view: DashboardView; onChange: (view: DashboardView) => void }) {
  const filter = () => props.view.filter;
  const [rangeError, setRangeError] = createSignal(false);
  const setFilter = (change: Partial<InsightFilter>) => props.onChange({ ...props.view, filter: { ...filter(), ...change } });
  const setDate = (which: 'from' | 'to', value: string) => {
    if (!isDay(value)) return;
    const range = { from: filter().from, to: filter().to, [which]: value };
    setRangeError(range.from > range.to);
    if (range.from <= range.to) setFilter(range);
  };
  const preset = () => presetOf(filter(), props.options.today);

  return (
    <form class="card insights-filters" aria-label={t('insights.filters.label')} onSubmit={(event) => event.preventDefault()} data-testid="insights-filters">
      <div class="insights-filter-dates">
        <div class="field">
          <label for="insights-from">{t('insights.filters.from')}</label>
          <input
            id="insights-from"
            name="from"
            type="date"
            value={filter().from}
            aria-invalid={rangeError() ? 'true' : undefined}
            aria-describedby={rangeError() ? 'insights-range-error' : undefined}
            onChange={(event) => setDate('from', event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="insights-to">{t('insights.filters.to')}</label>
          <input id="insights-to" name="to" type="date" value={filter().to} onChange={(event) => setDate('to', event.currentTarget.value)} />
        </div>
        <div class="segmented insights-presets" role="group" aria-label={t('insights.filters.presets')}>
          <For each={rangePresets}>
            {(option) => (
              <button
                type="button"
                aria-pressed={preset() === option}
                data-testid={`preset-${option}`}
                onClick={() => {
                  setRangeError(false);
                  setFilter(presetRange(option, props.options.today));
                }}
              >
                {t(`insights.filters.preset.${option}`)}
              </button>
            )}
          </For>
        </div>
      </div>
      <Show when={rangeError()}>
        <p class="field-error" id="insights-range-error" role="alert">
          {t('insights.filters.badRange')}
        </p>
      </Show>
      <p class="hint">{t('insights.filters.timeZone', { zone: props.options.timeZone })}</p>
      <div class="insights-filter-grid">
        <Select
          label={t('insights.filters.survey')}
          name="survey"
          value={filter().surveyId ?? ''}
          options={[{ value: '', label: t('insights.filters.allSurveys') }, ...props.options.surveys.map((survey) => ({ value: survey.id, label: surveyChoiceLabel(survey) }))]}
          // Another survey opens on its own default figure (its index where it has one).
          onChange={(value) => props.onChange({ ...props.view, metric: '', filter: { ...filter(), surveyId: value || null } })}
        />
        <Select
          label={t('insights.filters.segment')}
          name="segment"
          value={filter().segment ?? ''}
          options={[{ value: '', label: t('insights.filters.allSegments') }, ...props.options.segments.map((segment) => ({ value: segment, label: segment }))]}
          onChange={(value) => setFilter({ segment: value || null })}
        />
        <fieldset class="insights-channels">
          <legend>{t('insights.filters.channels')}</legend>
          <div class="insights-channel-list">
            <For each={responseChannels}>
              {(channel) => (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    name="channel"
                    value={channel}
                    checked={filter().channels.includes(channel)}
                    onChange={(event) => setFilter({ channels: toggleChannel(filter().channels, channel, event.currentTarget.checked) })}
                  />
                  {t(`channels.${channel}`)}
                </label>
              )}
            </For>
          </div>
          <p class="hint">{t('insights.filters.channelsHint')}</p>
        </fieldset>
        <label class="checkbox insights-flagged">
          <input
            type="checkbox"
            role="switch"
            name="flagged"
            checked={filter().excludeFlagged}
            onChange={(event) => setFilter({ excludeFlagged: event.currentTarget.checked })}
          />
          {t('insights.filters.excludeFlagged')}
        </label>
      </div>
    </form>
  );
}

function ViewPickers(props: { options: InsightOptions; view: DashboardView; onChange: (view: DashboardView) => void }) {
  const choices = () => metricChoices(props.options, props.view.filter.surveyId);
  const dayAllowed = () => daysBetween(props.view.filter.from, props.view.filter.to) <= maxDayBuckets;
  const splitChoices = () => splits.filter((split) => !(split === 'survey' && props.view.filter.surveyId !== null));
  return (
    <div class="card insights-pickers" data-testid="insights-pickers">
      <Select
        label={t('insights.filters.metric')}
        name="metric"
        value={props.view.metric}
        options={choices().map((metric) => ({ value: metric.key, label: localized(metric.label) }))}
        onChange={(metric) => props.onChange({ ...props.view, metric })}
      />
      <Select
        label={t('insights.filters.unit')}
        name="unit"
        value={props.view.unit}
        hint={dayAllowed() ? undefined : t('insights.filters.dayTooLong')}
        options={bucketUnits.filter((unit) => unit !== 'day' || dayAllowed()).map((unit) => ({ value: unit, label: t(`insights.filters.units.${unit}`) }))}
        onChange={(unit) => props.onChange({ ...props.view, unit })}
      />
      <Select
        label={t('insights.filters.split')}
        name="split"
        value={props.view.split}
        options={splitChoices().map((split) => ({ value: split, label: t(`insights.filters.splits.${split}`) }))}
        onChange={(split) => props.onChange({ ...props.view, split })}
      />
    </div>
  );
}

function SubscriptionSwitch() {
  const [subscription, { mutate }] = createResource(() => insightsApi.subscription());
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  const [saved, setSaved] = createSignal('');
  const change = async (weeklySummary: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const next = await insightsApi.saveSubscription({ weeklySummary, locale: locale() });
      mutate(next);
      setSaved(next.weeklySummary ? t('insights.subscription.saved') : t('insights.subscription.stopped'));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="insights-subscription">
      <Show when={subscription.state === 'errored' ? subscription.error : error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <Show when={subscription.state === 'ready' || subscription.state === 'refreshing'}>
        <label class="checkbox">
          <input
            type="checkbox"
            role="switch"
            data-testid="weekly-summary"
            checked={subscription.latest?.weeklySummary ?? false}
            disabled={busy()}
            aria-describedby="weekly-summary-hint"
            onChange={(event) => void change(event.currentTarget.checked)}
          />
          {t('insights.subscription.label')}
        </label>
        <p class="hint" id="weekly-summary-hint">
          {t('insights.subscription.hint')}
        </p>
        <p class="sr-only" role="status">
          {saved()}
        </p>
      </Show>
    </div>
  );
}
