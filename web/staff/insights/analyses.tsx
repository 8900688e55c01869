// The single-survey analyses: key drivers, the three levels of satisfaction, and the index model.
import { For, Show } from 'solid-js';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { DataTable } from '../ui.tsx';
import { reportPath, type DriversReport, type InsightFilter, type LevelsReport, type ModelReport } from './api.ts';
import { Chart } from './Chart.tsx';
import { barsOption, diagramNode, driversOption, intervalsOption, modelDiagram, palette, type ModelConstruct, type ModelPath } from './charts.ts';
import { fitLabel, formatEstimate, formatN, formatNumber, formatRate, shortLabels } from './format.ts';
import { Report, screenLocale, Section, useNarrowScreen } from './parts.tsx';

const none = () => t('app.none');
const decimal = (value: number | null, digits = 2) => formatNumber(value, screenLocale(), digits, none());

export function DriversSection(props: { filter: InsightFilter }) {
  const path = () => reportPath('drivers', props.filter);
  return (
    <Section id="insights-drivers" title={t('insights.drivers.title')} csvPath={path()} testId="insights-drivers">
      <Report<DriversReport> path={path()}>
        {(report) => {
          const placed = () => {
            const rows = report.rows.filter((row) => row.performance !== null && row.importance !== null);
            // Short labels beside the points; the full text is in the tooltip and the table below.
            const labels = shortLabels(rows.map((row) => localized(row.label)), 24);
            return rows.map((row, index) => ({ label: labels[index]!, fullLabel: localized(row.label), performance: row.performance!, importance: row.importance!, row }));
          };
          const driverTooltips = () =>
            placed().map((point) => [
              point.fullLabel,
              `${t('insights.drivers.colPerformance')}: ${decimal(point.performance, 1)}`,
              `${t('insights.drivers.colImportance')}: ${decimal(point.importance)}`,
              point.row.quadrant ? t(`insights.drivers.quadrants.${point.row.quadrant}`) : '',
            ]);
          return (
            <>
              <p class="muted">{t('insights.drivers.intro', { overall: localized(report.overall.label) })}</p>
              <p class="small" data-testid="drivers-summary">
                {t('insights.drivers.summary', { n: formatN(report.n, screenLocale()), r2: decimal(report.rSquared) })} ·{' '}
                {t(`insights.drivers.importanceMeasures.${report.importanceMeasure}`)}
              </p>
              <Show when={placed().length > 0} fallback={<p class="muted">{t('insights.drivers.none')}</p>}>
                <Chart
                  testId="drivers-chart"
                  height={360}
                  label={t('insights.drivers.chartLabel')}
                  points={{ count: placed().length, describe: (index) => driverTooltips()[index]!.filter(Boolean).join(' · ') }}
                  option={driversOption({
                    label: t('insights.drivers.chartLabel'),
                    points: placed(),
                    performanceSplit: report.performanceSplit,
                    importanceSplit: report.importanceSplit,
                    performanceName: t('insights.drivers.performance'),
                    importanceName: t('insights.drivers.importance'),
                    quadrantNames: {
                      keep_up: t('insights.drivers.quadrants.keep_up'),
                      concentrate_here: t('insights.drivers.quadrants.concentrate_here'),
                      low_priority: t('insights.drivers.quadrants.low_priority'),
                      possible_overkill: t('insights.drivers.quadrants.possible_overkill'),
                    },
                    tooltips: driverTooltips(),
                  })}
                />
              </Show>
              <DataTable
                label={t('insights.drivers.tableLabel')}
                headers={[
                  t('insights.drivers.colAttribute'),
                  { label: t('insights.drivers.colPerformance'), numeric: true },
                  { label: t('insights.drivers.colImportance'), numeric: true },
                  { label: t('insights.drivers.colCorrelation'), numeric: true },
                  { label: t('insights.drivers.colShare'), numeric: true },
                  t('insights.drivers.colQuadrant'),
                ]}
              >
                <For each={report.rows}>
                  {(row) => (
                    <tr data-testid="driver-row" data-quadrant={row.quadrant ?? ''}>
                      <td>{localized(row.label)}</td>
                      <td class="numeric">{decimal(row.performance, 1)}</td>
                      <td class="numeric">{decimal(row.importance)}</td>
                      <td class="numeric">{decimal(row.correlation)}</td>
                      <td class="numeric">{formatRate(row.relativeWeightShare, screenLocale(), none())}</td>
                      <td>{row.quadrant ? t(`insights.drivers.quadrants.${row.quadrant}`) : none()}</td>
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

const levelColors = { dissatisfied: '#b91c1c', satisfied: '#64748b', highly_satisfied: '#047857' };

export function LevelsSection(props: { filter: InsightFilter }) {
  const path = () => reportPath('levels', props.filter);
  return (
    <Section id="insights-levels" title={t('insights.levels.title')} intro={t('insights.levels.intro')} csvPath={path()} testId="insights-levels">
      <Report<LevelsReport> path={path()}>
        {(report) => {
          const rows = () => [
            ...report.attributes.map((attribute) => ({ label: localized(attribute.label), estimate: attribute })),
            { label: t('insights.levels.overall'), estimate: report.overall },
          ];
          return (
            <>
              <p class="insights-overall" data-testid="levels-overall">
                <strong>{t('insights.levels.overall')}</strong>: {formatEstimate(report.overall, 'c', screenLocale(), none())} · {formatN(report.overall.n, screenLocale())}
              </p>
              <p class="muted small">
                {t('insights.levels.cutoffs', { low: decimal(report.cutoffs.dissatisfiedBelow), high: decimal(report.cutoffs.highlySatisfiedAbove) })}
              </p>
              <div class="insights-pair">
                <div>
                  <Chart
                    testId="levels-chart"
                    height={60 + rows().length * 36}
                    label={t('insights.levels.chartLabel')}
                    option={intervalsOption({
                      label: t('insights.levels.chartLabel'),
                      rows: rows(),
                      references: [{ value: 1, name: t('insights.levels.met') }],
                      tooltips: rows().map((row) => [row.label, `c: ${formatEstimate(row.estimate, 'c', screenLocale(), none())}`, formatN(row.estimate.n, screenLocale())]),
                    })}
                  />
                  <DataTable
                    label={t('insights.levels.tableLabel')}
                    headers={[t('insights.levels.colAttribute'), { label: t('insights.levels.colC'), numeric: true }, { label: t('insights.levels.colN'), numeric: true }]}
                  >
                    <For each={rows()}>
                      {(row) => (
                        <tr data-testid="level-attribute">
                          <td>{row.label}</td>
                          <td class="numeric nowrap">{formatEstimate(row.estimate, 'c', screenLocale(), none())}</td>
                          <td class="numeric">{formatNumber(row.estimate.n, screenLocale(), 0)}</td>
                        </tr>
                      )}
                    </For>
                  </DataTable>
                </div>
                <div>
                  <Chart
                    testId="levels-distribution"
                    height={240}
                    label={t('insights.levels.distributionLabel')}
                    option={barsOption({
                      label: t('insights.levels.distributionLabel'),
                      categories: report.levels.map((level) => t(`insights.levels.levels.${level.level}`)),
                      values: report.levels.map((level) => level.count),
                      colors: report.levels.map((level) => levelColors[level.level]),
                      tooltips: report.levels.map((level) => [
                        t(`insights.levels.levels.${level.level}`),
                        `${formatNumber(level.count, screenLocale(), 0)} (${formatRate(level.share, screenLocale(), none())})`,
                      ]),
                    })}
                  />
                  <DataTable
                    label={t('insights.levels.distributionTable')}
                    headers={[
                      t('insights.levels.colLevel'),
                      { label: t('insights.levels.colCount'), numeric: true },
                      { label: t('insights.levels.colShare'), numeric: true },
                      { label: t('insights.levels.colPeople'), numeric: true },
                      { label: t('insights.levels.colReach'), numeric: true },
                    ]}
                  >
                    <For each={report.levels}>
                      {(level) => (
                        <tr data-testid="level-row" data-level={level.level}>
                          <td>{t(`insights.levels.levels.${level.level}`)}</td>
                          <td class="numeric">{formatNumber(level.count, screenLocale(), 0)}</td>
                          <td class="numeric">{formatRate(level.share, screenLocale(), none())}</td>
                          <td class="numeric">{formatNumber(level.peoplePerCustomer, screenLocale(), 0)}</td>
                          <td class="numeric">{formatNumber(level.reach, screenLocale(), 0)}</td>
                        </tr>
                      )}
                    </For>
                  </DataTable>
                  <p data-testid="levels-reach">{t('insights.levels.totalReach', { n: formatNumber(report.totalReach, screenLocale(), 0) })}</p>
                </div>
              </div>
            </>
          );
        }}
      </Report>
    </Section>
  );
}

export function ModelSection(props: { filter: InsightFilter }) {
  const path = () => reportPath('model', props.filter);
  const narrow = useNarrowScreen();
  return (
    <Section id="insights-model" title={t('insights.model.title')} csvPath={path()} testId="insights-model">
      <Report<ModelReport> path={path()}>
        {(report) => (
          <Show
            when={report.estimate}
            fallback={
              <div class="alert alert-info" data-testid="model-problem">
                <p>{report.problem ? localized(report.problem) : t('insights.model.unavailable')}</p>
                <p class="small">{formatN(report.n, screenLocale())}</p>
              </div>
            }
          >
            {(estimate) => {
              const constructs = () => estimate().constructs.map((construct) => ({ ...construct, label: localized(construct.label) }));
              const nameOf = (id: string) => constructs().find((construct) => construct.id === id)?.label ?? id;
              return (
                <>
                  <p class="small" data-testid="model-summary">
                    {t('insights.model.summary', { n: formatN(report.n, screenLocale()), iterations: estimate().iterations })} ·{' '}
                    <span classList={{ 'insights-warning': !estimate().converged }}>
                      {estimate().converged ? t('insights.model.converged') : t('insights.model.notConverged')}
                    </span>
                  </p>
                  <ModelDiagram constructs={constructs()} paths={estimate().paths} vertical={narrow()} />
                  <div class="insights-pair">
                    <DataTable
                      label={t('insights.model.tableLabel')}
                      headers={[t('insights.model.colConstruct'), { label: t('insights.model.colIndex'), numeric: true }, { label: t('insights.model.colR2'), numeric: true }]}
                    >
                      <For each={constructs()}>
                        {(construct) => (
                          <tr data-testid="model-construct">
                            <td>{construct.label}</td>
                            <td class="numeric">{decimal(construct.index, 1)}</td>
                            <td class="numeric">{decimal(construct.rSquared)}</td>
                          </tr>
                        )}
                      </For>
                    </DataTable>
                    <DataTable
                      label={t('insights.model.pathsLabel')}
                      headers={[t('insights.model.colFrom'), t('insights.model.colTo'), { label: t('insights.model.colCoefficient'), numeric: true }]}
                    >
                      <For each={estimate().paths}>
                        {(path) => (
                          <tr data-testid="model-path">
                            <td>{nameOf(path.from)}</td>
                            <td>{nameOf(path.to)}</td>
                            <td class="numeric">{decimal(path.coefficient)}</td>
                          </tr>
                        )}
                      </For>
                    </DataTable>
                  </div>
                </>
              );
            }}
          </Show>
        )}
      </Report>
    </Section>
  );
}

/** The index model drawn as plain SVG: constructs as boxes with their index and R², paths as arrows with their coefficient. */
function ModelDiagram(props: { constructs: ModelConstruct[]; paths: ModelPath[]; vertical: boolean }) {
  const diagram = () => modelDiagram(props.constructs, props.paths, props.vertical);
  const byId = () => new Map(props.constructs.map((construct) => [construct.id, construct]));
  return (
    <svg
      class="insights-diagram"
      data-testid="model-chart"
      viewBox={`0 0 ${diagram().width} ${diagram().height}`}
      role="img"
      aria-label={t('insights.model.chartLabel')}
      style={{ 'max-width': `${diagram().width}px` }}
    >
      <defs>
        <marker id="insights-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill={palette.current} />
        </marker>
      </defs>
      <For each={diagram().edges}>
        {(edge) => (
          <g data-testid="model-arrow">
            <line
              x1={edge.x1}
              y1={edge.y1}
              x2={edge.x2}
              y2={edge.y2}
              stroke={palette.current}
              stroke-width={1 + 2.5 * Math.min(1, Math.abs(edge.coefficient))}
              marker-end="url(#insights-arrow)"
            />
            <rect x={edge.labelX - 18} y={edge.labelY - 10} width="36" height="20" rx="4" fill="#fff" stroke={palette.grid} />
            <text x={edge.labelX} y={edge.labelY + 4} text-anchor="middle" font-size="12" fill={palette.accent}>
              {decimal(edge.coefficient)}
            </text>
          </g>
        )}
      </For>
      <For each={diagram().nodes}>
        {(node) => {
          const construct = () => byId().get(node.id)!;
          return (
            <g>
              <title>{construct().label}</title>
              <rect
                x={node.x - diagramNode.width / 2}
                y={node.y - diagramNode.height / 2}
                width={diagramNode.width}
                height={diagramNode.height}
                rx="8"
                fill="#eff6ff"
                stroke={palette.current}
              />
              <text x={node.x} y={node.y - 10} text-anchor="middle" font-size="12" font-weight="600" fill={palette.text}>
                {fitLabel(construct().label, 24)}
              </text>
              <text x={node.x} y={node.y + 7} text-anchor="middle" font-size="12" fill={palette.text}>
                {t('insights.model.nodeIndex', { index: decimal(construct().index, 1) })}
              </text>
              <Show when={construct().rSquared !== null}>
                <text x={node.x} y={node.y + 23} text-anchor="middle" font-size="11" fill={palette.text}>
                  R² {decimal(construct().rSquared)}
                </text>
              </Show>
            </g>
          );
        }}
      </For>
    </svg>
  );
}
