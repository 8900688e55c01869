// The dashboard's complaint figures: volume, times in business hours, deadlines met, handling and reopening,
// the recovery outcome beside the TARP table, detractors followed up and the trend, each part with its CSV.
import { useSearchParams } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import type { ComplaintReport } from '../../../server/complaints/figures.ts';
import type { CountRow, DurationFigure, OutcomeRow } from '../../../server/complaints/figure-stats.ts';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { DataTable, EmptyState, Select } from '../ui.tsx';
import { reportPath, type Estimate, type InsightFilter } from './api.ts';
import { Chart } from './Chart.tsx';
import { barsOption, intervalsOption, palette, sharedRange, trendOption } from './charts.ts';
import { formatBucket, formatNumber, formatRate, type ScreenLocale } from './format.ts';
import { countText, CsvLink, Part, percentEstimate, rateInterval, Report, screenLocale, Section, withInterval } from './parts.tsx';

const units = ['week', 'month'] as const;
type Unit = (typeof units)[number];
type ChartKey = 'category' | 'channel' | 'severity' | 'source' | 'rules' | 'times' | 'deadlines' | 'handling' | 'outcomes' | 'follow-up' | 'trend';

const none = () => t('app.none');
const loc = (): ScreenLocale => screenLocale();
const count = countText;
const hours = (value: number | null) => (value === null ? none() : t('insights.complaints.hours', { hours: formatNumber(value, loc(), 1) }));
const hoursInterval = (e: Estimate) => (e.low === null || e.high === null ? null : `${formatNumber(e.low, loc(), 1)}–${formatNumber(e.high, loc(), 1)}`);
const meanInterval = (e: Estimate) => (e.low === null || e.high === null ? null : `${formatNumber(e.low, loc(), 2)}–${formatNumber(e.high, loc(), 2)}`);
const percent = percentEstimate;

export function ComplaintsSection(props: { filter: InsightFilter }) {
  const [params, setParams] = useSearchParams<{ complaintUnit?: string }>();
  const unit = (): Unit => (params.complaintUnit === 'month' ? 'month' : 'week');
  const path = () => reportPath('complaints', props.filter, { unit: unit() });
  const csv = (chart: ChartKey) => `${path()}&chart=${chart}`;
  return (
    <Section id="insights-complaints" title={t('insights.complaints.title')} intro={t('insights.complaints.intro')} testId="insights-complaints">
      <Report<ComplaintReport> path={path()}>
        {(report) => (
          <Show
            when={report.figures.cases + report.figures.merged > 0 || report.figures.followUp.catches > 0}
            fallback={<EmptyState message={t('insights.complaints.empty')} hint={t('insights.complaints.emptyHint')} testId="complaints-empty" />}
          >
            <p class="hint" data-testid="complaints-calendar">
              {report.calendar.alwaysOpen ? t('insights.complaints.alwaysOpen', { zone: report.calendar.timeZone }) : t('insights.complaints.calendar', { zone: report.calendar.timeZone })}
            </p>
            <Headline report={report} />
            <Volume report={report} csv={csv} />
            <Rules report={report} csv={csv} />
            <Times report={report} csv={csv} />
            <div class="insights-pair">
              <Deadlines report={report} csv={csv} />
              <Handling report={report} csv={csv} />
            </div>
            <Outcomes report={report} csv={csv} />
            <FollowUp report={report} csv={csv} />
            <Trend report={report} csv={csv} unit={unit()} onUnit={(next) => setParams({ complaintUnit: next })} />
          </Show>
        )}
      </Report>
    </Section>
  );
}


/** A headline figure; null when there are too few cases for it (a dash, and the reason in words). */
function Card(props: { title: string; value: string | null; detail?: string | null; n?: number; testId: string; extra?: string }) {
  return (
    <li class="card insights-figure" data-testid="complaint-card" data-figure={props.testId}>
      <h3>{props.title}</h3>
      <p class="insights-figure-value" data-testid="complaint-card-value">
        {props.value ?? none()}
      </p>
      <Show when={props.value === null}>
        <p class="small muted">{t('insights.complaints.noValue')}</p>
      </Show>
      <Show when={props.detail}>
        {(detail) => (
          <p class="small muted">
            {t('insights.complaints.interval')} {detail()}
          </p>
        )}
      </Show>
      <Show when={props.n !== undefined}>
        <p class="small">{t('insights.complaints.n', { n: count(props.n!) })}</p>
      </Show>
      <Show when={props.extra}>
        <p class="small muted">{props.extra}</p>
      </Show>
    </li>
  );
}

function Headline(props: { report: ComplaintReport }) {
  const f = () => props.report.figures;
  const rate = (e: Estimate) => (e.value === null ? null : formatRate(e.value, loc()));
  const duration = (d: DurationFigure) => (d.median.value === null ? null : hours(d.median.value));
  return (
    <ul class="insights-figures plain-list" data-testid="complaints-headline">
      <Card
        testId="cases"
        title={t('insights.complaints.headline.cases')}
        value={count(f().cases)}
        extra={[t('insights.complaints.headline.open', { n: count(f().open) }), ...(f().merged > 0 ? [t('insights.complaints.headline.merged', { n: count(f().merged) })] : [])].join(' · ')}
      />
      <Card testId="first-response" title={t('insights.complaints.headline.firstResponse')} value={duration(f().firstResponse)} detail={hoursInterval(f().firstResponse.median)} n={f().firstResponse.n} />
      <Card testId="resolution" title={t('insights.complaints.headline.resolution')} value={duration(f().resolution)} detail={hoursInterval(f().resolution.median)} n={f().resolution.n} />
      <Card testId="deadlines" title={t('insights.complaints.headline.deadlines')} value={rate(f().deadlines.all)} detail={rateInterval(f().deadlines.all)} n={f().deadlines.all.n} />
      <Card testId="reopen" title={t('insights.complaints.headline.reopen')} value={rate(f().reopenRate)} detail={rateInterval(f().reopenRate)} n={f().reopenRate.n} />
      <Card
        testId="handling"
        title={t('insights.complaints.headline.handling')}
        value={f().handling.value === null ? null : formatNumber(f().handling.value, loc(), 2)}
        detail={meanInterval(f().handling)}
        n={f().handling.n}
      />
      <Card testId="followed-up" title={t('insights.complaints.headline.followedUp')} value={rate(f().followUp.withCase)} detail={rateInterval(f().followUp.withCase)} n={f().followUp.withCase.n} />
    </ul>
  );
}

function Volume(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const categoryLabels = () => new Map(props.report.categories.map((category) => [category.key, localized(category.label)]));
  const dimensions = () =>
    [
      { chart: 'category', rows: props.report.figures.volume.category, label: (key: string) => categoryLabels().get(key) ?? key },
      { chart: 'channel', rows: props.report.figures.volume.channel, label: (key: string) => t(`insights.complaints.channels.${key}` as 'insights.complaints.channels.web') },
      { chart: 'severity', rows: props.report.figures.volume.severity, label: (key: string) => t(`insights.complaints.severities.${key}` as 'insights.complaints.severities.minor') },
      { chart: 'source', rows: props.report.figures.volume.source, label: (key: string) => t(`insights.complaints.sources.${key}` as 'insights.complaints.sources.form') },
    ] as const satisfies readonly { chart: ChartKey; rows: CountRow[]; label: (key: string) => string }[];
  return (
    <>
      <h3 class="subheading">{t('insights.complaints.volume.title')}</h3>
      <div class="insights-multiples complaints-volume">
        <For each={dimensions()}>
          {(dimension) => {
            const what = () => t(`insights.complaints.volume.${dimension.chart}`);
            return (
              <figure class="insights-multiple" data-testid="complaints-volume" data-by={dimension.chart}>
                <div class="insights-section-header">
                  <figcaption>{what()}</figcaption>
                  <CsvLink path={props.csv(dimension.chart)} what={t('insights.complaints.volume.chartLabel', { what: what() })} testId={`complaints-volume-${dimension.chart}-csv`} />
                </div>
                <Chart
                  height={200}
                  label={t('insights.complaints.volume.chartLabel', { what: what() })}
                  option={barsOption({
                    label: t('insights.complaints.volume.chartLabel', { what: what() }),
                    categories: dimension.rows.map((row) => dimension.label(row.key)),
                    values: dimension.rows.map((row) => row.count),
                    colors: dimension.rows.map(() => palette.current),
                    tooltips: dimension.rows.map((row) => [dimension.label(row.key), `${count(row.count)} · ${formatRate(row.share, loc(), none())}`]),
                  })}
                />
                <DataTable label={t('insights.complaints.volume.chartLabel', { what: what() })} headers={[t('insights.complaints.volume.colKey'), { label: t('insights.complaints.volume.colCount'), numeric: true }, { label: t('insights.complaints.volume.colShare'), numeric: true }]}>
                  <For each={dimension.rows}>
                    {(row) => (
                      <tr data-testid="complaints-volume-row" data-key={row.key}>
                        <td>{dimension.label(row.key)}</td>
                        <td class="numeric">{count(row.count)}</td>
                        <td class="numeric">{formatRate(row.share, loc(), none())}</td>
                      </tr>
                    )}
                  </For>
                </DataTable>
              </figure>
            );
          }}
        </For>
      </div>
    </>
  );
}

function Rules(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const rows = () => props.report.figures.rules;
  return (
    <Part title={t('insights.complaints.rules.title')} intro={t('insights.complaints.rules.intro')} csvPath={props.csv('rules')} testId="complaints-rules">
      <Show when={rows().length > 0} fallback={<p class="muted">{t('insights.complaints.rules.none')}</p>}>
        <DataTable
          label={t('insights.complaints.rules.chartLabel')}
          headers={[
            t('insights.complaints.rules.colSurvey'),
            t('insights.complaints.rules.colRule'),
            { label: t('insights.complaints.rules.colCatches'), numeric: true },
            { label: t('insights.complaints.rules.colCases'), numeric: true },
            { label: t('insights.complaints.rules.colSilent'), numeric: true },
          ]}
        >
          <For each={rows()}>
            {(row) => (
              <tr data-testid="complaints-rule-row">
                <td>{localized(row.survey)}</td>
                <td>{localized(row.rule)}</td>
                <td class="numeric">{count(row.catches)}</td>
                <td class="numeric">{count(row.cases)}</td>
                <td class="numeric">{count(row.silent)}</td>
              </tr>
            )}
          </For>
        </DataTable>
      </Show>
    </Part>
  );
}

function DurationRows(props: { rows: { label: string; estimate: Estimate; pending: number }[]; label: string; testId: string }) {
  return (
    <>
      <Show when={props.rows.some((row) => row.estimate.value !== null)}>
      <Chart
        testId={props.testId}
        height={60 + props.rows.length * 40}
        label={props.label}
        option={intervalsOption({
          label: props.label,
          rows: props.rows.map((row) => ({ label: row.label, estimate: row.estimate })),
          references: [],
          tooltips: props.rows.map((row) => [row.label, withInterval(hours(row.estimate.value), hoursInterval(row.estimate)), t('insights.complaints.n', { n: count(row.estimate.n) })]),
        })}
      />
      </Show>
      <DataTable
        label={props.label}
        headers={[
          t('insights.complaints.times.colFigure'),
          { label: t('insights.complaints.times.colHours'), numeric: true },
          { label: t('insights.complaints.times.colInterval'), numeric: true },
          { label: t('insights.complaints.times.colN'), numeric: true },
          { label: t('insights.complaints.times.colPending'), numeric: true },
        ]}
      >
        <For each={props.rows}>
          {(row) => (
            <tr data-testid={`${props.testId}-row`}>
              <td>{row.label}</td>
              <td class="numeric nowrap">{formatNumber(row.estimate.value, loc(), 1, none())}</td>
              <td class="numeric nowrap">{hoursInterval(row.estimate) ?? none()}</td>
              <td class="numeric">{count(row.estimate.n)}</td>
              <td class="numeric">{count(row.pending)}</td>
            </tr>
          )}
        </For>
      </DataTable>
    </>
  );
}

function Times(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const f = () => props.report.figures;
  return (
    <Part title={t('insights.complaints.times.title')} intro={t('insights.complaints.times.intro')} csvPath={props.csv('times')} testId="complaints-times">
      <DurationRows
        testId="complaints-times-chart"
        label={t('insights.complaints.times.chartLabel')}
        rows={[
          { label: t('insights.complaints.times.firstMedian'), estimate: f().firstResponse.median, pending: f().firstResponse.pending },
          { label: t('insights.complaints.times.firstP90'), estimate: f().firstResponse.p90, pending: f().firstResponse.pending },
          { label: t('insights.complaints.times.resolutionMedian'), estimate: f().resolution.median, pending: f().resolution.pending },
          { label: t('insights.complaints.times.resolutionP90'), estimate: f().resolution.p90, pending: f().resolution.pending },
        ]}
      />
    </Part>
  );
}

function ShareRows(props: { rows: { label: string; estimate: Estimate }[]; label: string; testId: string }) {
  return (
    <>
      <Show when={props.rows.some((row) => row.estimate.value !== null)}>
      <Chart
        testId={props.testId}
        height={60 + props.rows.length * 40}
        label={props.label}
        option={intervalsOption({
          label: props.label,
          rows: props.rows.map((row) => ({ label: row.label, estimate: percent(row.estimate) })),
          references: [],
          tooltips: props.rows.map((row) => [row.label, withInterval(formatRate(row.estimate.value, loc(), none()), rateInterval(row.estimate)), t('insights.complaints.n', { n: count(row.estimate.n) })]),
        })}
      />
      </Show>
      <ul class="plain-list">
        <For each={props.rows}>
          {(row) => (
            <li data-testid={`${props.testId}-row`}>
              {row.label}: <strong>{withInterval(formatRate(row.estimate.value, loc(), none()), rateInterval(row.estimate))}</strong> · {t('insights.complaints.n', { n: count(row.estimate.n) })}
            </li>
          )}
        </For>
      </ul>
    </>
  );
}

function Deadlines(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const d = () => props.report.figures.deadlines;
  return (
    <Part title={t('insights.complaints.deadlines.title')} intro={t('insights.complaints.deadlines.intro')} csvPath={props.csv('deadlines')} testId="complaints-deadlines">
      <ShareRows
        testId="complaints-deadlines-chart"
        label={t('insights.complaints.deadlines.chartLabel')}
        rows={[
          { label: t('insights.complaints.deadlines.firstResponse'), estimate: d().firstResponse },
          { label: t('insights.complaints.deadlines.resolution'), estimate: d().resolution },
          { label: t('insights.complaints.deadlines.all'), estimate: d().all },
        ]}
      />
    </Part>
  );
}

function Handling(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const f = () => props.report.figures;
  return (
    <Part title={t('insights.complaints.handling.title')} intro={t('insights.complaints.handling.intro')} csvPath={props.csv('handling')} testId="complaints-handling">
      <Show when={f().handling.value !== null}>
      <Chart
        height={100}
        label={t('insights.complaints.handling.chartLabel')}
        option={intervalsOption({
          label: t('insights.complaints.handling.chartLabel'),
          rows: [{ label: t('insights.complaints.headline.handling'), estimate: f().handling }],
          references: [],
          tooltips: [[t('insights.complaints.headline.handling'), withInterval(formatNumber(f().handling.value, loc(), 2, none()), meanInterval(f().handling)), t('insights.complaints.n', { n: count(f().handling.n) })]],
        })}
      />
      </Show>
      <ul class="plain-list">
        <li data-testid="complaints-handling-mean">
          {t('insights.complaints.headline.handling')}: <strong>{withInterval(formatNumber(f().handling.value, loc(), 2, none()), meanInterval(f().handling))}</strong> ·{' '}
          {t('insights.complaints.n', { n: count(f().handling.n) })}
        </li>
        <li data-testid="complaints-reopen">
          {t('insights.complaints.headline.reopen')}: <strong>{withInterval(formatRate(f().reopenRate.value, loc(), none()), rateInterval(f().reopenRate))}</strong> ·{' '}
          {t('insights.complaints.n', { n: count(f().reopenRate.n) })}
        </li>
      </ul>
    </Part>
  );
}

function Outcomes(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const severityName = (severity: 'minor' | 'major') => t(`insights.complaints.severities.${severity}`);
  const rowsOf = (severity: 'minor' | 'major'): OutcomeRow[] => props.report.figures.outcomes.filter((row) => row.severity === severity);
  return (
    <Part title={t('insights.complaints.outcomes.title')} intro={t('insights.complaints.outcomes.intro')} csvPath={props.csv('outcomes')} testId="complaints-outcomes">
      <p class="small" data-testid="complaints-tarp-source">
        {t('insights.complaints.outcomes.source', { source: localized(props.report.tarpSource) })}
      </p>
      <div class="insights-pair">
        <For each={['minor', 'major'] as const}>
          {(severity) => (
            <div data-testid="complaints-outcome-table" data-severity={severity}>
              <h4>{severityName(severity)}</h4>
              <DataTable
                label={t('insights.complaints.outcomes.tableLabel', { severity: severityName(severity) })}
                headers={[
                  t('insights.complaints.outcomes.colOutcome'),
                  { label: t('insights.complaints.outcomes.colCases'), numeric: true },
                  { label: t('insights.complaints.outcomes.colShare'), numeric: true },
                  { label: t('insights.complaints.outcomes.colPublished'), numeric: true },
                ]}
              >
                <For each={rowsOf(severity)}>
                  {(row) => (
                    <tr data-testid="complaints-outcome-row" data-outcome={row.outcome}>
                      <td>{t(`insights.complaints.outcomeNames.${row.outcome}`)}</td>
                      <td class="numeric">{count(row.count)}</td>
                      <td class="numeric nowrap">{withInterval(formatRate(row.share.value, loc(), none()), rateInterval(row.share))}</td>
                      <td class="numeric">{row.published === null ? t('insights.complaints.outcomes.left') : formatRate(row.published, loc())}</td>
                    </tr>
                  )}
                </For>
              </DataTable>
              <p class="small muted">{t('insights.complaints.outcomes.notComplained', { share: formatRate(props.report.tarp[severity].notComplained, loc()) })}</p>
            </div>
          )}
        </For>
      </div>
      <Show when={props.report.figures.outcomePending > 0}>
        <p class="small muted">{t('insights.complaints.outcomes.pending', { n: count(props.report.figures.outcomePending) })}</p>
      </Show>
    </Part>
  );
}

function FollowUp(props: { report: ComplaintReport; csv: (chart: ChartKey) => string }) {
  const f = () => props.report.figures.followUp;
  return (
    <Part title={t('insights.complaints.followUp.title')} intro={t('insights.complaints.followUp.intro')} csvPath={props.csv('follow-up')} testId="complaints-follow-up">
      <ul class="plain-list">
        <li data-testid="complaints-followed-up">
          {t('insights.complaints.followUp.withCase')}: <strong>{withInterval(formatRate(f().withCase.value, loc(), none()), rateInterval(f().withCase))}</strong> ·{' '}
          {t('insights.complaints.n', { n: count(f().catches) })}
        </li>
        <For each={['no_customer', 'no_consent'] as const}>
          {(reason) => (
            <li data-testid="complaints-silent" data-reason={reason}>
              {t(`insights.complaints.silent.${reason}`)}: <strong>{count(f().silent[reason])}</strong>
            </li>
          )}
        </For>
      </ul>
      <DurationRows
        testId="complaints-follow-up-chart"
        label={t('insights.complaints.followUp.chartLabel')}
        rows={[
          { label: t('insights.complaints.followUp.median'), estimate: f().firstResponse.median, pending: f().firstResponse.pending },
          { label: t('insights.complaints.followUp.p90'), estimate: f().firstResponse.p90, pending: f().firstResponse.pending },
        ]}
      />
    </Part>
  );
}

function Trend(props: { report: ComplaintReport; csv: (chart: ChartKey) => string; unit: Unit; onUnit: (unit: Unit) => void }) {
  const rows = () => props.report.figures.trend;
  const labels = () => rows().map((row) => formatBucket(row.bucket, props.unit, loc()));
  const opened = () => rows().map((row): Estimate => ({ n: row.opened, value: row.opened, low: null, high: null }));
  const first = () => rows().map((row) => row.firstResponse);
  return (
    <Part
      title={t('insights.complaints.trend.title')}
      csvPath={props.csv('trend')}
      testId="complaints-trend"
      controls={
        <div class="complaints-controls">
          <Select
            label={t('insights.complaints.unit')}
            name="complaintUnit"
            value={props.unit}
            options={units.map((unit) => ({ value: unit, label: t(`insights.complaints.units.${unit}`) }))}
            onChange={props.onUnit}
          />
        </div>
      }
    >
      <div class="insights-pair">
        <figure class="insights-multiple">
          <figcaption>{t('insights.complaints.trend.opened')}</figcaption>
          <Chart
            testId="complaints-trend-opened"
            height={220}
            label={t('insights.complaints.trend.chartOpened')}
            option={trendOption({
              label: t('insights.complaints.trend.chartOpened'),
              bucketLabels: labels(),
              points: opened(),
              range: sharedRange(opened(), 'responses'),
              showBand: false,
              compact: true,
              tooltips: rows().map((row, index) => [labels()[index] ?? row.bucket, `${t('insights.complaints.trend.opened')}: ${count(row.opened)}`]),
            })}
          />
        </figure>
        <figure class="insights-multiple">
          <figcaption>{t('insights.complaints.trend.firstResponse')}</figcaption>
          <Chart
            testId="complaints-trend-first"
            height={220}
            label={t('insights.complaints.trend.chartFirst')}
            option={trendOption({
              label: t('insights.complaints.trend.chartFirst'),
              bucketLabels: labels(),
              points: first(),
              range: sharedRange(first(), 'responses'),
              showBand: true,
              compact: true,
              tooltips: rows().map((row, index) => [
                labels()[index] ?? row.bucket,
                withInterval(hours(row.firstResponse.value), hoursInterval(row.firstResponse)),
                t('insights.complaints.n', { n: count(row.firstResponse.n) }),
              ]),
            })}
          />
        </figure>
      </div>
      <DataTable
        label={t('insights.complaints.trend.tableLabel')}
        class="insights-table-tall"
        headers={[
          t('insights.complaints.trend.colBucket'),
          { label: t('insights.complaints.trend.opened'), numeric: true },
          { label: t('insights.complaints.trend.firstResponse'), numeric: true },
          { label: t('insights.complaints.trend.deadlines'), numeric: true },
          { label: t('insights.complaints.trend.colHandling'), numeric: true },
        ]}
      >
        <For each={rows()}>
          {(row, index) => (
            <tr data-testid="complaints-trend-row">
              <td class="nowrap">{labels()[index()]}</td>
              <td class="numeric">{count(row.opened)}</td>
              <td class="numeric nowrap">{withInterval(formatNumber(row.firstResponse.value, loc(), 1, none()), hoursInterval(row.firstResponse))}</td>
              <td class="numeric nowrap">{withInterval(formatRate(row.deadlinesMet.value, loc(), none()), rateInterval(row.deadlinesMet))}</td>
              <td class="numeric nowrap">{withInterval(formatNumber(row.handling.value, loc(), 2, none()), meanInterval(row.handling))}</td>
            </tr>
          )}
        </For>
      </DataTable>
    </Part>
  );
}
