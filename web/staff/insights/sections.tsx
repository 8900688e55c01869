// The dashboard's headline figures, trend and period comparison.
import { For, Show } from 'solid-js';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { DataTable, EmptyState } from '../ui.tsx';
import { reportPath, type ComparisonReport, type InsightFilter, type OverviewReport, type PeriodFigure, type TrendReport } from './api.ts';
import { Chart } from './Chart.tsx';
import { compareOption, sharedRange, trendOption } from './charts.ts';
import { hasInterval, type DashboardView } from './filters.ts';
import { arrows, describeChange, digitsOf, formatBucket, formatEstimate, formatN, formatNumber, formatRange, formatRate } from './format.ts';
import { Report, screenLocale, Section } from './parts.tsx';

const none = () => t('app.none');

export function OverviewSection(props: { filter: InsightFilter }) {
  const path = () => reportPath('overview', props.filter);
  return (
    <Section id="insights-overview" title={t('insights.overview.title')} csvPath={path()} testId="insights-overview">
      <Report<OverviewReport> path={path()}>
        {(report) => (
          <>
            <Show when={report.pending > 0}>
              <p class="muted insights-pending" role="status" data-testid="insights-pending">
                {t('insights.overview.pending', { n: report.pending })}
              </p>
            </Show>
            <p class="muted small" data-testid="previous-period">
              {t('insights.overview.previous', { range: formatRange(report.previous, screenLocale()) })}
            </p>
            <Show when={report.figures.length > 0} fallback={<EmptyState message={t('insights.empty')} hint={t('insights.emptyHint')} />}>
              <ul class="insights-figures plain-list">
                <For each={report.figures}>{(figure) => <FigureCard figure={figure} />}</For>
              </ul>
            </Show>
            <div class="insights-overview-details">
              <div>
                <h3 class="subheading">{t('insights.overview.rates')}</h3>
                <Show when={report.responseRates.some((rate) => rate.invited > 0)} fallback={<p class="muted">{t('insights.overview.noInvitations')}</p>}>
                  <DataTable
                    label={t('insights.overview.ratesLabel')}
                    headers={[
                      t('insights.overview.colChannel'),
                      { label: t('insights.overview.colInvited'), numeric: true },
                      { label: t('insights.overview.colCompleted'), numeric: true },
                      { label: t('insights.overview.colRate'), numeric: true },
                    ]}
                  >
                    <For each={report.responseRates}>
                      {(rate) => (
                        <tr data-testid="response-rate" data-channel={rate.channel}>
                          <td>{t(`channels.${rate.channel}`)}</td>
                          <td class="numeric">{formatNumber(rate.invited, screenLocale(), 0)}</td>
                          <td class="numeric">{formatNumber(rate.completed, screenLocale(), 0)}</td>
                          <td class="numeric">{formatRate(rate.rate, screenLocale(), none())}</td>
                        </tr>
                      )}
                    </For>
                  </DataTable>
                </Show>
              </div>
              <div>
                <h3 class="subheading">{t('insights.overview.flagged')}</h3>
                <dl class="insights-flags" data-testid="flagged-counts">
                  <For each={['speeder', 'straightLiner', 'duplicate', 'any', 'total'] as const}>
                    {(flag) => (
                      <div>
                        <dt>{t(`insights.overview.flags.${flag}`)}</dt>
                        <dd>{formatNumber(report.flagged[flag], screenLocale(), 0)}</dd>
                      </div>
                    )}
                  </For>
                </dl>
                <p class="hint">{t('insights.overview.flaggedHint')}</p>
              </div>
            </div>
          </>
        )}
      </Report>
    </Section>
  );
}

function FigureCard(props: { figure: PeriodFigure }) {
  const kind = () => props.figure.metric.kind;
  const current = () => props.figure.current;
  const change = () => describeChange(props.figure.change, kind(), screenLocale(), none());
  const changeWords = () => {
    const { direction } = change();
    const text = change().text.replace(/^[+\-−]/, '');
    if (direction === 'up') return t('insights.overview.changeUp', { change: text });
    if (direction === 'down') return t('insights.overview.changeDown', { change: text });
    if (direction === 'same') return t('insights.overview.changeSame');
    return t('insights.overview.changeUnknown');
  };
  const interval = () =>
    current().low !== null && current().high !== null
      ? `${formatNumber(current().low, screenLocale(), digitsOf(kind()))}–${formatNumber(current().high, screenLocale(), digitsOf(kind()))}`
      : null;
  return (
    <li class="card insights-figure" data-testid="figure-card" data-metric={props.figure.metric.key}>
      <h3>{localized(props.figure.metric.label)}</h3>
      <p class="insights-figure-value" data-testid="figure-value">
        {current().value === null ? t('insights.overview.noValue') : formatNumber(current().value, screenLocale(), digitsOf(kind()))}
      </p>
      <Show when={interval()}>
        {(text) => (
          <p class="small muted">
            {t('insights.overview.interval')} {text()}
          </p>
        )}
      </Show>
      <p class="small" data-testid="figure-n">
        {formatN(current().n, screenLocale())}
      </p>
      <p class={`small insights-change insights-change-${change().direction}`} data-testid="figure-change">
        <span aria-hidden="true">{arrows[change().direction]} </span>
        <span class="sr-only">{t('insights.overview.change')}: </span>
        {changeWords()}
        <span class="muted"> · {t('insights.overview.previousValue', { value: formatNumber(props.figure.previous.value, screenLocale(), digitsOf(kind()), none()) })}</span>
      </p>
    </li>
  );
}

export function TrendSection(props: { view: DashboardView }) {
  const path = () => reportPath('trend', props.view.filter, { metric: props.view.metric, unit: props.view.unit, split: props.view.split });
  return (
    <Section id="insights-trend" title={t('insights.trend.title')} intro={t('insights.trend.gaps')} csvPath={path()} testId="insights-trend">
      <Report<TrendReport> path={path()}>
        {(report) => {
          const kind = report.metric.kind;
          const seriesLabel = (label: { en: string; 'zh-CN': string }, key: string) => (key === 'all' ? t('insights.trend.all') : localized(label) || none());
          const range = () => sharedRange(report.series.flatMap((series) => series.points), kind);
          const bucketLabels = () => report.buckets.map((bucket) => formatBucket(bucket, report.unit, screenLocale()));
          return (
            <Show when={report.series.length > 0} fallback={<p class="muted">{t('insights.trend.noSeries')}</p>}>
              <div class="insights-multiples" classList={{ 'insights-multiples-single': report.series.length === 1 }}>
                <For each={report.series}>
                  {(series) => (
                    <figure class="insights-multiple" data-testid="trend-multiple" data-series={series.key}>
                      <Show when={report.series.length > 1}>
                        <figcaption>{seriesLabel(series.label, series.key)}</figcaption>
                      </Show>
                      <Chart
                        testId="trend-chart"
                        height={report.series.length > 1 ? 200 : 280}
                        label={t('insights.trend.chartLabel', { metric: localized(report.metric.label), series: seriesLabel(series.label, series.key) })}
                        option={trendOption({
                          label: t('insights.trend.chartLabel', { metric: localized(report.metric.label), series: seriesLabel(series.label, series.key) }),
                          bucketLabels: bucketLabels(),
                          points: series.points,
                          range: range(),
                          showBand: hasInterval(kind),
                          compact: report.series.length > 1,
                          tooltips: series.points.map((point, index) => [
                            bucketLabels()[index] ?? point.bucket,
                            `${localized(report.metric.label)}: ${formatEstimate(point, kind, screenLocale(), none())}`,
                            formatN(point.n, screenLocale()),
                          ]),
                        })}
                      />
                    </figure>
                  )}
                </For>
              </div>
              <DataTable
                label={t('insights.trend.tableLabel')}
                class="insights-table-tall"
                headers={[
                  ...(report.series.length > 1 ? [t('insights.trend.colSeries')] : []),
                  t('insights.trend.colBucket'),
                  { label: t('insights.trend.colValue'), numeric: true },
                  { label: t('insights.trend.colN'), numeric: true },
                ]}
              >
                <For each={report.series}>
                  {(series) => (
                    <For each={series.points}>
                      {(point) => (
                        <tr data-testid="trend-row">
                          <Show when={report.series.length > 1}>
                            <td>{seriesLabel(series.label, series.key)}</td>
                          </Show>
                          <td class="nowrap">{formatBucket(point.bucket, report.unit, screenLocale())}</td>
                          <td class="numeric nowrap">{formatEstimate(point, kind, screenLocale(), none())}</td>
                          <td class="numeric">{formatNumber(point.n, screenLocale(), 0)}</td>
                        </tr>
                      )}
                    </For>
                  )}
                </For>
              </DataTable>
            </Show>
          );
        }}
      </Report>
    </Section>
  );
}

export function CompareSection(props: { view: DashboardView }) {
  const path = () => reportPath('compare', props.view.filter, { metric: props.view.metric, split: props.view.split });
  return (
    <Section id="insights-compare" title={t('insights.compare.title')} csvPath={path()} testId="insights-compare">
      <Report<ComparisonReport> path={path()}>
        {(report) => {
          const kind = report.metric.kind;
          const label = (row: ComparisonReport['rows'][number]) => (row.key === 'all' ? t('insights.trend.all') : localized(row.label) || none());
          return (
            <>
              <p class="muted small">{t('insights.overview.previous', { range: formatRange(report.previous, screenLocale()) })}</p>
              <p class="muted small" data-testid="compare-reading">
                {hasInterval(kind) ? t('insights.compare.readPoints') : t('insights.compare.readBars')}
              </p>
              <Chart
                testId="compare-chart"
                height={80 + report.rows.length * 44}
                label={t('insights.compare.chartLabel', { metric: localized(report.metric.label) })}
                option={compareOption({
                  label: t('insights.compare.chartLabel', { metric: localized(report.metric.label) }),
                  categories: report.rows.map(label),
                  current: report.rows.map((row) => row.current),
                  previous: report.rows.map((row) => row.previous),
                  currentName: t('insights.compare.current'),
                  previousName: t('insights.compare.previous'),
                  intervals: hasInterval(kind),
                  tooltips: report.rows.map((row) => [
                    label(row),
                    `${t('insights.compare.current')}: ${formatEstimate(row.current, kind, screenLocale(), none())} · ${formatN(row.current.n, screenLocale())}`,
                    `${t('insights.compare.previous')}: ${formatEstimate(row.previous, kind, screenLocale(), none())} · ${formatN(row.previous.n, screenLocale())}`,
                  ]),
                })}
              />
              <DataTable
                label={t('insights.compare.tableLabel')}
                headers={[
                  t('insights.compare.colGroup'),
                  { label: t('insights.compare.colCurrent'), numeric: true },
                  { label: t('insights.trend.colN'), numeric: true },
                  { label: t('insights.compare.colPrevious'), numeric: true },
                  { label: t('insights.trend.colN'), numeric: true },
                  { label: t('insights.compare.colChange'), numeric: true },
                ]}
              >
                <For each={report.rows}>
                  {(row) => (
                    <tr data-testid="compare-row">
                      <td>{label(row)}</td>
                      <td class="numeric nowrap">{formatEstimate(row.current, kind, screenLocale(), none())}</td>
                      <td class="numeric">{formatNumber(row.current.n, screenLocale(), 0)}</td>
                      <td class="numeric nowrap">{formatEstimate(row.previous, kind, screenLocale(), none())}</td>
                      <td class="numeric">{formatNumber(row.previous.n, screenLocale(), 0)}</td>
                      <td class="numeric nowrap">{describeChange(row.change, kind, screenLocale(), none()).text}</td>
                    </tr>
                  )}
                </For>
              </DataTable>
            </>
          );
        }}
      </Report>
    </Section>
  );
}
