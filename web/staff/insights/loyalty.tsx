// The dashboard's loyalty figures: stage distribution, monthly flows between stages (who moved into at-risk,
// and why), the pyramid of tiers, voiced and silent churn, the customers at risk by value, and our own TARP
// table beside both published versions. Each part has its CSV; each chart has a table saying the same.
import { A, useSearchParams } from '@solidjs/router';
import { createMemo, For, Show, type JSX } from 'solid-js';
import type { AtRiskOrder, FlowPoint, FlowRow, LoyaltyReport } from '../../../server/loyalty/figures.ts';
import type { CaseSeverity, RecoveryOutcome } from '../../../server/complaints/vocabulary.ts';
import { loyaltyStages, type LoyaltyStage } from '../../../server/loyalty/vocabulary.ts';
import { localized } from '../i18n.ts';
import { DataTable, EmptyState, Select, TableScroll } from '../ui.tsx';
import { reportPath, type Estimate, type InsightFilter } from './api.ts';
import { Chart } from './Chart.tsx';
import { barsOption, palette } from './charts.ts';
import { formatBucket, formatNumber, formatRate, type ScreenLocale } from './format.ts';
import { seriesBarsOption, tarpOption } from './loyalty-charts.ts';
import { t } from './loyalty-text.ts';
import { countText, CsvLink, Part, percentEstimate, rateInterval, Report, screenLocale, Section, withInterval } from './parts.tsx';
import { customerName } from '../text.ts';

type ChartKey = 'stages' | 'flows' | 'reasons' | 'pyramid' | 'churn' | 'at-risk' | 'tarp';

const none = () => t('app.none');
const loc = (): ScreenLocale => screenLocale();
const count = countText;
const percent = percentEstimate;
const pointName = (point: FlowPoint) => t(`loyalty.points.${point}`);
const reasonName = (reason: string) => (reason in reasonKeys ? t(`loyalty.reasons.${reason as keyof typeof reasonKeys}`) : reason);
const reasonKeys = { unresolved_major_complaint: 1, falling_recency: 1, falling_frequency: 1, overdue_purchase: 1, low_attitude: 1, unknown: 1 } as const;
const month = (bucket: string) => formatBucket(bucket, 'month', loc());

/** A value in the base currency's minor units, written as money in the screen's language. */
function money(report: LoyaltyReport, minor: number): string {
  const major = minor / 10 ** report.currency.fractionDigits;
  try {
    return new Intl.NumberFormat(loc(), { style: 'currency', currency: report.currency.base }).format(major);
  } catch {
    return `${formatNumber(major, loc(), report.currency.fractionDigits)} ${report.currency.base}`;
  }
}
const when = (at: number | null) => (at === null ? none() : new Intl.DateTimeFormat(loc(), { dateStyle: 'medium' }).format(new Date(at)));

export function LoyaltySection(props: { filter: InsightFilter }) {
  const [params, setParams] = useSearchParams<{ loyaltyOrder?: string; loyaltyFrom?: string }>();
  const order = (): AtRiskOrder => (params.loyaltyOrder === 'value_asc' ? 'value_asc' : 'value_desc');
  const moverStage = (): LoyaltyStage => ((loyaltyStages as readonly string[]).includes(params.loyaltyFrom ?? '') ? (params.loyaltyFrom as LoyaltyStage) : 'regular');
  const path = () => reportPath('loyalty', props.filter, { order: order() });
  const csv = (chart: ChartKey) => `${path()}&chart=${chart}`;
  return (
    <Section id="insights-loyalty" title={t('loyalty.title')} intro={t('loyalty.intro')} testId="insights-loyalty">
      <Report<LoyaltyReport> path={path()}>
        {(report) => (
          <Show
            when={report.customers - report.notComputed > 0 || report.flows.length > 0 || report.tarp.cells.some((cell) => cell.share.n > 0)}
            fallback={<EmptyState message={t('loyalty.empty')} hint={t('loyalty.emptyHint')} testId="loyalty-empty" />}
          >
            <p class="hint" data-testid="loyalty-computed-at">
              {t('loyalty.computedAt', { time: new Intl.DateTimeFormat(loc(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(report.computedAt)) })}
              <Show when={report.notComputed > 0}> {t('loyalty.notComputed', { n: count(report.notComputed) })}</Show>
            </p>
            <div class="insights-pair">
              <Stages report={report} csv={csv} />
              <Churn report={report} csv={csv} />
            </div>
            <Flows report={report} csv={csv} />
            <Movers report={report} csv={csv} stage={moverStage()} onStage={(stage) => setParams({ loyaltyFrom: stage })} />
            <Pyramid report={report} csv={csv} />
            <AtRisk report={report} csv={csv} order={order()} onOrder={(next) => setParams({ loyaltyOrder: next })} />
            <Tarp report={report} csv={csv} />
          </Show>
        )}
      </Report>
    </Section>
  );
}


function Stages(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string }) {
  const rows = () => props.report.stages;
  return (
    <Part title={t('loyalty.stages.title')} intro={t('loyalty.stages.intro')} csvPath={props.csv('stages')} testId="loyalty-stages">
      <Chart
        testId="loyalty-stages-chart"
        height={220}
        label={t('loyalty.stages.chartLabel')}
        option={barsOption({
          label: t('loyalty.stages.chartLabel'),
          categories: rows().map((row) => pointName(row.stage)),
          values: rows().map((row) => row.customers),
          colors: rows().map(() => palette.current),
          tooltips: rows().map((row) => [pointName(row.stage), `${count(row.customers)} · ${formatRate(row.share, loc(), none())}`]),
        })}
      />
      <DataTable
        label={t('loyalty.stages.chartLabel')}
        headers={[
          t('loyalty.stages.colStage'),
          { label: t('loyalty.customers'), numeric: true },
          { label: t('loyalty.share'), numeric: true },
          { label: t('loyalty.stages.colAtRisk'), numeric: true },
          { label: t('loyalty.stages.colChurned'), numeric: true },
        ]}
      >
        <For each={rows()}>
          {(row) => (
            <tr data-testid="loyalty-stage-row" data-stage={row.stage}>
              <td>{pointName(row.stage)}</td>
              <td class="numeric">{count(row.customers)}</td>
              <td class="numeric">{formatRate(row.share, loc(), none())}</td>
              <td class="numeric">{count(row.atRisk)}</td>
              <td class="numeric">{count(row.churned)}</td>
            </tr>
          )}
        </For>
      </DataTable>
    </Part>
  );
}

function Churn(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string }) {
  const trend = () => props.report.churn.trend;
  const now = () => props.report.churn.now;
  return (
    <Part title={t('loyalty.churn.title')} intro={t('loyalty.churn.intro')} csvPath={props.csv('churn')} testId="loyalty-churn">
      <Chart
        testId="loyalty-churn-chart"
        height={220}
        label={t('loyalty.churn.chartLabel')}
        option={seriesBarsOption({
          label: t('loyalty.churn.chartLabel'),
          categories: trend().map((row) => month(row.bucket)),
          series: [
            { name: t('loyalty.churn.voiced'), values: trend().map((row) => row.voiced) },
            { name: t('loyalty.churn.silent'), values: trend().map((row) => row.silent) },
          ],
          stacked: true,
          tooltips: trend().map((row) => [month(row.bucket), `${t('loyalty.churn.voiced')}: ${count(row.voiced)}`, `${t('loyalty.churn.silent')}: ${count(row.silent)}`]),
        })}
      />
      <ul class="plain-list">
        <li data-testid="loyalty-churn-now">{t('loyalty.churn.now', { voiced: count(now().voiced), silent: count(now().silent) })}</li>
        <li data-testid="loyalty-churn-voiced-share">
          {t('loyalty.churn.voicedShare')}: <strong>{withInterval(formatRate(now().voicedShare.value, loc(), none()), rateInterval(now().voicedShare))}</strong> ·{' '}
          {t('loyalty.n', { n: count(now().voicedShare.n) })}
        </li>
      </ul>
    </Part>
  );
}

const stageRank = (point: FlowPoint) => (loyaltyStages as readonly string[]).indexOf(point);
/** The kind of a move, for the chart's series. */
function kindOf(row: FlowRow): 'up' | 'down' | 'intoRisk' | 'outOfRisk' | 'voiced' | 'silent' | 'back' {
  if (row.to === 'at_risk') return 'intoRisk';
  if (row.from === 'at_risk') return 'outOfRisk';
  if (row.from === 'voiced' || row.from === 'silent') return 'back';
  if (row.to === 'voiced' || row.to === 'silent') return row.to;
  return stageRank(row.to) < stageRank(row.from) ? 'down' : 'up';
}

function Flows(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string }) {
  const kinds = ['up', 'down', 'intoRisk', 'outOfRisk', 'voiced', 'silent', 'back'] as const;
  const kindName = (kind: (typeof kinds)[number]) => (kind === 'voiced' || kind === 'silent' ? pointName(kind) : t(`loyalty.flows.${kind}`));
  const totals = createMemo(() => {
    const byMonth = new Map(props.report.months.map((bucket) => [bucket, Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<(typeof kinds)[number], number>]));
    for (const row of props.report.flows) {
      const tally = byMonth.get(row.bucket);
      if (tally) tally[kindOf(row)] += row.customers;
    }
    return byMonth;
  });
  const months = () => props.report.months;
  return (
    <Part title={t('loyalty.flows.title')} intro={t('loyalty.flows.intro')} csvPath={props.csv('flows')} testId="loyalty-flows">
      <Chart
        testId="loyalty-flows-chart"
        height={260}
        label={t('loyalty.flows.chartLabel')}
        option={seriesBarsOption({
          label: t('loyalty.flows.chartLabel'),
          categories: months().map(month),
          series: kinds.map((kind) => ({ name: kindName(kind), values: months().map((bucket) => totals().get(bucket)?.[kind] ?? 0) })),
          stacked: true,
          tooltips: months().map((bucket) => [month(bucket), ...kinds.map((kind) => `${kindName(kind)}: ${count(totals().get(bucket)?.[kind] ?? 0)}`)]),
        })}
      />
      <Show when={props.report.flows.length > 0} fallback={<p class="muted">{t('loyalty.flows.none')}</p>}>
        <DataTable
          label={t('loyalty.flows.tableLabel')}
          class="insights-table-tall"
          headers={[t('loyalty.flows.colMonth'), t('loyalty.flows.colFrom'), t('loyalty.flows.colTo'), { label: t('loyalty.customers'), numeric: true }]}
        >
          <For each={props.report.flows}>
            {(row) => (
              <tr data-testid="loyalty-flow-row" data-from={row.from} data-to={row.to}>
                <td class="nowrap">{month(row.bucket)}</td>
                <td>{pointName(row.from)}</td>
                <td>{pointName(row.to)}</td>
                <td class="numeric">{count(row.customers)}</td>
              </tr>
            )}
          </For>
        </DataTable>
      </Show>
    </Part>
  );
}

function Movers(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string; stage: LoyaltyStage; onStage: (stage: LoyaltyStage) => void }) {
  const reasons = () => props.report.reasons.filter((row) => row.from === props.stage);
  const movers = () => props.report.movers.filter((move) => move.from === props.stage);
  const stageName = () => pointName(props.stage);
  return (
    <Part
      title={t('loyalty.movers.title')}
      intro={t('loyalty.movers.intro')}
      csvPath={props.csv('reasons')}
      testId="loyalty-movers"
      controls={
        <div class="complaints-controls">
          <Select
            label={t('loyalty.movers.from')}
            name="loyaltyFrom"
            value={props.stage}
            options={loyaltyStages.map((stage) => ({ value: stage, label: pointName(stage) }))}
            onChange={props.onStage}
          />
        </div>
      }
    >
      <Show when={movers().length > 0 || reasons().length > 0} fallback={<p class="muted" data-testid="loyalty-movers-none">{t('loyalty.movers.none', { stage: stageName() })}</p>}>
        <div class="insights-pair">
          <DataTable
            label={t('loyalty.movers.reasonsLabel', { stage: stageName() })}
            headers={[t('loyalty.flows.colMonth'), t('loyalty.movers.colReason'), { label: t('loyalty.customers'), numeric: true }]}
          >
            <For each={reasons()}>
              {(row) => (
                <tr data-testid="loyalty-reason-row" data-reason={row.reason}>
                  <td class="nowrap">{month(row.bucket)}</td>
                  <td>{reasonName(row.reason)}</td>
                  <td class="numeric">{count(row.customers)}</td>
                </tr>
              )}
            </For>
          </DataTable>
          <DataTable label={t('loyalty.movers.listLabel', { stage: stageName() })} headers={[t('loyalty.movers.colCustomer'), t('loyalty.movers.colWhen'), t('loyalty.movers.colReasons')]}>
            <For each={movers()}>
              {(move) => (
                <tr data-testid="loyalty-mover-row">
                  <td>
                    <A href={`/customers/${encodeURIComponent(move.customerId)}`}>{move.name}</A>
                  </td>
                  <td class="nowrap">{when(move.at)}</td>
                  <td>{move.reasons.length > 0 ? move.reasons.map(reasonName).join(loc() === 'zh-CN' ? '、' : ', ') : reasonName('unknown')}</td>
                </tr>
              )}
            </For>
          </DataTable>
        </div>
      </Show>
    </Part>
  );
}

function Pyramid(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string }) {
  const rows = () => props.report.pyramid.rows;
  const pct = (share: number | null) => (share === null ? 0 : Math.round(share * 1000) / 10);
  return (
    <Part title={t('loyalty.pyramid.title')} intro={t('loyalty.pyramid.intro', { months: props.report.windowMonths })} csvPath={props.csv('pyramid')} testId="loyalty-pyramid">
      <Chart
        testId="loyalty-pyramid-chart"
        height={260}
        label={t('loyalty.pyramid.chartLabel')}
        option={seriesBarsOption({
          label: t('loyalty.pyramid.chartLabel'),
          categories: rows().map((row) => t(`loyalty.tiers.${row.tier}`)),
          series: [
            { name: t('loyalty.pyramid.customers'), values: rows().map((row) => pct(row.customerShare)) },
            { name: t('loyalty.pyramid.value'), values: rows().map((row) => pct(row.valueShare)) },
            { name: t('loyalty.pyramid.publishedCustomers'), values: rows().map((row) => pct(row.published.customers)) },
            { name: t('loyalty.pyramid.publishedValue'), values: rows().map((row) => pct(row.published.value)) },
          ],
          stacked: false,
          percent: true,
          tooltips: rows().map((row) => [
            t(`loyalty.tiers.${row.tier}`),
            `${t('loyalty.pyramid.customers')}: ${formatRate(row.customerShare, loc(), none())} (${count(row.customers)})`,
            `${t('loyalty.pyramid.value')}: ${formatRate(row.valueShare, loc(), none())} (${money(props.report, row.value)})`,
            `${t('loyalty.pyramid.publishedCustomers')}: ${formatRate(row.published.customers, loc())} · ${t('loyalty.pyramid.publishedValue')}: ${formatRate(row.published.value, loc())}`,
          ]),
        })}
      />
      <DataTable
        label={t('loyalty.pyramid.chartLabel')}
        headers={[
          t('loyalty.pyramid.colTier'),
          { label: t('loyalty.customers'), numeric: true },
          { label: t('loyalty.pyramid.customers'), numeric: true },
          { label: t('loyalty.pyramid.colValue'), numeric: true },
          { label: t('loyalty.pyramid.value'), numeric: true },
          { label: t('loyalty.pyramid.publishedCustomers'), numeric: true },
          { label: t('loyalty.pyramid.publishedValue'), numeric: true },
        ]}
      >
        <For each={rows()}>
          {(row) => (
            <tr data-testid="loyalty-tier-row" data-tier={row.tier}>
              <td>{t(`loyalty.tiers.${row.tier}`)}</td>
              <td class="numeric">{count(row.customers)}</td>
              <td class="numeric">{formatRate(row.customerShare, loc(), none())}</td>
              <td class="numeric nowrap">{money(props.report, row.value)}</td>
              <td class="numeric">{formatRate(row.valueShare, loc(), none())}</td>
              <td class="numeric">{formatRate(row.published.customers, loc())}</td>
              <td class="numeric">{formatRate(row.published.value, loc())}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <Show when={props.report.pyramid.withoutPurchases > 0}>
        <p class="small muted">{t('loyalty.pyramid.withoutPurchases', { n: count(props.report.pyramid.withoutPurchases) })}</p>
      </Show>
    </Part>
  );
}

function AtRisk(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string; order: AtRiskOrder; onOrder: (order: AtRiskOrder) => void }) {
  const rows = () => props.report.atRisk.rows;
  const next = (): AtRiskOrder => (props.order === 'value_desc' ? 'value_asc' : 'value_desc');
  return (
    <Part
      title={t('loyalty.atRisk.title')}
      intro={t('loyalty.atRisk.intro', { shown: count(rows().length), total: count(props.report.atRisk.total) })}
      csvPath={props.csv('at-risk')}
      testId="loyalty-at-risk"
    >
      <Show when={rows().length > 0} fallback={<p class="muted">{t('loyalty.atRisk.none')}</p>}>
        <TableScroll label={t('loyalty.atRisk.tableLabel')}>
          <table class="table insights-table-tall">
            <thead>
              <tr>
                <th scope="col">{t('loyalty.atRisk.colCustomer')}</th>
                <th scope="col">{t('loyalty.atRisk.colStage')}</th>
                <th scope="col">{t('loyalty.atRisk.colTier')}</th>
                <th scope="col">{t('loyalty.atRisk.colReasons')}</th>
                <th scope="col" class="numeric" aria-sort={props.order === 'value_desc' ? 'descending' : 'ascending'}>
                  <button
                    type="button"
                    class="button-link"
                    data-testid="loyalty-at-risk-sort"
                    onClick={() => props.onOrder(next())}
                  >
                    {t('loyalty.atRisk.colValue')} <span aria-hidden="true">{props.order === 'value_desc' ? '▼' : '▲'}</span>
                    <span class="sr-only">
                      {' '}
                      ({t('loyalty.atRisk.sortValue')}: {t(next() === 'value_desc' ? 'loyalty.atRisk.highestFirst' : 'loyalty.atRisk.lowestFirst')})
                    </span>
                  </button>
                </th>
                <th scope="col">{t('loyalty.atRisk.colLastPurchase')}</th>
                <th scope="col" class="numeric">
                  {t('loyalty.atRisk.colScore')}
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(row) => (
                  <tr data-testid="loyalty-at-risk-row" data-value={row.value}>
                    <td>
                      <A href={`/customers/${encodeURIComponent(row.customerId)}`}>{customerName(row.name)}</A>
                    </td>
                    <td>{pointName(row.stage)}</td>
                    <td>
                      {t(`loyalty.tiers.${row.tier}`)}
                      <Show when={row.tierSetByHand}> ({t('loyalty.atRisk.byHand')})</Show>
                    </td>
                    <td>
                      <ul class="plain-list">
                        <For each={row.reasons.length > 0 ? row.reasons : ['unknown']}>{(reason) => <li>{reasonName(reason)}</li>}</For>
                      </ul>
                    </td>
                    <td class="numeric nowrap">{money(props.report, row.value)}</td>
                    <td class="nowrap">{when(row.lastPurchaseAt)}</td>
                    <td class="numeric">{row.score === null ? none() : count(row.score)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
      </Show>
    </Part>
  );
}

function Tarp(props: { report: LoyaltyReport; csv: (chart: ChartKey) => string }) {
  const tarp = () => props.report.tarp;
  const groups = ['none', 'unresolved', 'resolved', 'resolved_quickly'] as const;
  const own = (severity: CaseSeverity, group: (typeof groups)[number]) =>
    group === 'none' ? { boughtAgain: tarp().noComplaint.boughtAgain, share: tarp().noComplaint.share } : tarp().cells.find((cell) => cell.severity === severity && cell.outcome === group)!;
  const published = (version: number, severity: CaseSeverity, group: (typeof groups)[number]) => {
    const shares = tarp().published[version]!.shares[severity];
    return group === 'none' ? shares.notComplained : shares[group as RecoveryOutcome];
  };
  const publishedText = (share: { low: number; high: number } | null) =>
    share === null ? t('loyalty.tarp.notGiven') : share.low === share.high ? formatRate(share.low, loc()) : `${formatRate(share.low, loc())}–${formatRate(share.high, loc())}`;
  const versionName = (index: number) => t('loyalty.tarp.colVersion', { n: index + 1 });
  return (
    <Part title={t('loyalty.tarp.title')} intro={t('loyalty.tarp.intro', { days: count(tarp().withinDays) })} csvPath={props.csv('tarp')} testId="loyalty-tarp">
      <div class="small" data-testid="loyalty-tarp-sources">
        <p>{t('loyalty.tarp.versions')}</p>
        <ol>
          <For each={tarp().published}>
            {(version, index) => (
              <li data-testid="loyalty-tarp-source" data-version={version.key}>
                {t('loyalty.tarp.version', { n: index() + 1, source: localized(version.source) })}
                <Show when={version.note}>{(note) => <span class="muted"> {localized(note())}</span>}</Show>
              </li>
            )}
          </For>
        </ol>
      </div>
      <div>
        <For each={['minor', 'major'] as const}>
          {(severity) => {
            const severityWord = () => t(`loyalty.tarp.severities.${severity}`);
            const label = () => t('loyalty.tarp.chartLabel', { severity: severityWord() });
            return (
              <div data-testid="loyalty-tarp-table" data-severity={severity}>
                <h4>{t(`loyalty.tarp.severityTitles.${severity}`)}</h4>
                <Chart
                  testId={`loyalty-tarp-chart-${severity}`}
                  height={220}
                  label={label()}
                  option={tarpOption({
                    label: label(),
                    ownName: t('loyalty.tarp.ours'),
                    versionNames: tarp().published.map((_, index) => versionName(index)),
                    rows: groups.map((group) => ({
                      label: t(`loyalty.tarp.groups.${group}`),
                      own: percent(own(severity, group).share),
                      published: tarp().published.flatMap((_, index) => {
                        const share = published(index, severity, group);
                        return share === null ? [] : [{ name: versionName(index), low: share.low * 100, high: share.high * 100 }];
                      }),
                    })),
                    tooltips: groups.map((group) => [
                      t(`loyalty.tarp.groups.${group}`),
                      `${t('loyalty.tarp.ours')}: ${withInterval(formatRate(own(severity, group).share.value, loc(), none()), rateInterval(own(severity, group).share))} · ${t('loyalty.n', { n: count(own(severity, group).share.n) })}`,
                      ...tarp().published.map((_, index) => `${versionName(index)}: ${publishedText(published(index, severity, group))}`),
                    ]),
                  })}
                />
                <DataTable
                  label={t('loyalty.tarp.tableLabel', { severity: severityWord() })}
                  headers={[
                    t('loyalty.tarp.colGroup'),
                    { label: t('loyalty.tarp.colOurs'), numeric: true },
                    { label: t('loyalty.tarp.colN'), numeric: true },
                    ...tarp().published.map((_, index) => ({ label: versionName(index), numeric: true as const })),
                  ]}
                >
                  <For each={groups}>
                    {(group) => (
                      <tr data-testid="loyalty-tarp-row" data-group={group}>
                        <td>{t(`loyalty.tarp.groups.${group}`)}</td>
                        <td class="numeric nowrap">{withInterval(formatRate(own(severity, group).share.value, loc(), none()), rateInterval(own(severity, group).share))}</td>
                        <td class="numeric">{count(own(severity, group).share.n)}</td>
                        <For each={tarp().published}>{(_, index) => <td class="numeric nowrap">{publishedText(published(index(), severity, group))}</td>}</For>
                      </tr>
                    )}
                  </For>
                </DataTable>
              </div>
            );
          }}
        </For>
      </div>
      <p class="small muted">{t('loyalty.tarp.referenceNote')}</p>
      <p class="small muted" data-testid="loyalty-tarp-pending">
        {t('loyalty.tarp.pending', {
          cases: count(tarp().pending.noOutcome),
          complainants: count(tarp().pending.complainantsWaiting),
          reference: count(tarp().pending.referenceWaiting),
        })}
      </p>
    </Part>
  );
}
