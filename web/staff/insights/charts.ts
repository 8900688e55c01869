// ECharts options for the dashboard's charts, built from the API's reports and words already in the screen's
// language. Pure: no DOM, no signals, so the layouts and ranges can be tested directly.
import type { EChartsCoreOption } from 'echarts/core';
import type { Estimate, MetricKind } from '../../../server/insights/types.ts';
import { escapeHtml } from './format.ts';

/** Colours that keep 3:1 contrast on white: current period, previous period, accents. */
export const palette = { current: '#1d4ed8', previous: '#94a3b8', band: '#93c5fd', accent: '#b45309', grid: '#cbd5e1', text: '#1f2937' };

/** The natural scale of a kind of figure, where it has one. */
function naturalBounds(kind: MetricKind): { min: number; max: number } | null {
  switch (kind) {
    case 'csat':
    case 'rating':
    case 'acsi':
      return { min: 0, max: 100 };
    case 'nps':
      return { min: -100, max: 100 };
    case 'ces':
      return { min: 1, max: 7 };
    default:
      return null;
  }
}

function niceStep(span: number): number {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/** A tooltip formatter showing the lines kept for the point under the pointer, escaped. */
function tooltipLines(tooltips: readonly (readonly string[])[]) {
  return (params: unknown) => {
    const index = (Array.isArray(params) ? params[0] : params)?.dataIndex as number | undefined;
    return index === undefined ? '' : (tooltips[index] ?? []).map(escapeHtml).join('<br>');
  };
}

/**
 * One y range for every small multiple, so their heights compare: it covers each value and interval end,
 * rounded out to a tidy step and kept within the figure's natural scale. Null when there is nothing to show.
 */
export function sharedRange(estimates: readonly Estimate[], kind: MetricKind): { min: number; max: number } | null {
  const ends = estimates.flatMap((estimate) => [estimate.value, estimate.low, estimate.high]).filter((value): value is number => value !== null && Number.isFinite(value));
  if (ends.length === 0) return null;
  let low = Math.min(...ends);
  let high = Math.max(...ends);
  if (kind === 'responses') low = 0;
  if (high === low) {
    high += 1;
    low -= kind === 'responses' ? 0 : 1;
  }
  const step = niceStep(high - low);
  let min = Math.floor(low / step) * step;
  let max = Math.ceil(high / step) * step;
  const bounds = naturalBounds(kind);
  if (bounds) {
    min = Math.max(min, bounds.min);
    max = Math.min(max, bounds.max);
  }
  return { min, max };
}

const baseOption = (label: string) => ({
  aria: { enabled: true, label: { description: label } },
  // ECharts measures text itself, so it needs a real font list rather than 'inherit'.
  textStyle: { fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" },
  animation: false,
});

export interface TrendChartInput {
  label: string;
  bucketLabels: string[];
  points: Estimate[];
  /** Tooltip lines per point, already escaped or plain text (they are escaped here). */
  tooltips: string[][];
  range: { min: number; max: number } | null;
  showBand: boolean;
  compact: boolean;
}

/** A line with its 95% interval as a shaded band; empty buckets (n = 0 or no value) break the line. */
export function trendOption(input: TrendChartInput): EChartsCoreOption {
  const value = (point: Estimate) => (point.n > 0 && point.value !== null ? point.value : null);
  const banded = (point: Estimate) => input.showBand && point.n > 0 && point.low !== null && point.high !== null;
  return {
    ...baseOption(input.label),
    grid: { left: 8, right: 12, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: tooltipLines(input.tooltips),
    },
    xAxis: {
      type: 'category',
      data: input.bucketLabels,
      boundaryGap: false,
      axisLabel: { hideOverlap: true, fontSize: input.compact ? 10 : 12 },
    },
    yAxis: { type: 'value', min: input.range?.min, max: input.range?.max, splitLine: { lineStyle: { color: palette.grid } } },
    series: [
      {
        name: 'low',
        type: 'line',
        stack: 'interval',
        stackStrategy: 'all',
        data: input.points.map((point) => (banded(point) ? point.low : null)),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        connectNulls: false,
      },
      {
        name: 'interval',
        type: 'line',
        stack: 'interval',
        stackStrategy: 'all',
        data: input.points.map((point) => (banded(point) ? point.high! - point.low! : null)),
        lineStyle: { opacity: 0 },
        areaStyle: { color: palette.band, opacity: 0.45 },
        symbol: 'none',
        silent: true,
        connectNulls: false,
      },
      {
        name: input.label,
        type: 'line',
        data: input.points.map(value),
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { color: palette.current, width: 2 },
        itemStyle: { color: palette.current },
      },
    ],
  };
}

export interface CompareChartInput {
  label: string;
  categories: string[];
  current: Estimate[];
  previous: Estimate[];
  currentName: string;
  previousName: string;
  /** Draw each period as a point with its 95% interval (rates and means) rather than a bar from zero (counts). */
  intervals: boolean;
  tooltips: string[][];
}

/** Where a period's point sits above or below its category's line, so the two periods' intervals do not overlap. */
const periodOffset = 0.18;

/**
 * This period and the one before, per split value, categories down the side. Counts are bars, and a bar's
 * length is its value, so the axis starts at zero; rates and means are points with their 95% intervals, on
 * an axis fitted to the intervals, since a difference is read against its interval rather than a length.
 */
export function compareOption(input: CompareChartInput): EChartsCoreOption {
  const value = (estimate: Estimate) => (estimate.n > 0 && estimate.value !== null ? estimate.value : null);
  const common = {
    ...baseOption(input.label),
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, data: [input.currentName, input.previousName] },
  };
  if (!input.intervals) {
    return {
      ...common,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: tooltipLines(input.tooltips) },
      xAxis: { type: 'value', min: 0, splitLine: { lineStyle: { color: palette.grid } } },
      yAxis: { type: 'category', data: input.categories, inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
      series: [
        { name: input.currentName, type: 'bar', data: input.current.map(value), itemStyle: { color: palette.current } },
        { name: input.previousName, type: 'bar', data: input.previous.map(value), itemStyle: { color: palette.previous } },
      ],
    };
  }
  const ends = [...input.current, ...input.previous]
    .filter((estimate) => estimate.n > 0)
    .flatMap((estimate) => [estimate.value, estimate.low, estimate.high])
    .filter((end): end is number => end !== null && Number.isFinite(end));
  const low = ends.length ? Math.min(...ends) : 0;
  const high = ends.length ? Math.max(...ends) : 1;
  const step = niceStep(Math.max(high - low, 1e-9));
  const period = (name: string, estimates: Estimate[], offset: number, color: string) => ({
    name,
    type: 'scatter',
    symbolSize: 10,
    itemStyle: { color },
    data: estimates.map((estimate, index) => (value(estimate) === null ? null : { value: [value(estimate), index + offset], tooltipIndex: index })),
    markLine: {
      silent: true,
      symbol: ['none', 'none'],
      label: { show: false },
      lineStyle: { color, width: 2, type: 'solid' },
      data: estimates.flatMap((estimate, index) =>
        estimate.n > 0 && estimate.low !== null && estimate.high !== null
          ? [[{ coord: [estimate.low, index + offset] }, { coord: [estimate.high, index + offset] }]]
          : [],
      ),
    },
  });
  return {
    ...common,
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params: unknown) => {
        const index = (params as { data?: { tooltipIndex?: number } }).data?.tooltipIndex;
        return index === undefined ? '' : (input.tooltips[index] ?? []).map(escapeHtml).join('<br>');
      },
    },
    xAxis: {
      type: 'value',
      min: Math.floor(low / step) * step,
      max: Math.ceil(high / step) * step,
      interval: step,
      axisLine: { onZero: false },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    // A value axis holding the categories at whole numbers, so each period's point can sit just off its line.
    yAxis: {
      type: 'value',
      inverse: true,
      min: -0.5,
      max: input.categories.length - 0.5,
      splitLine: { show: false },
      axisTick: { show: false },
      axisLabel: {
        customValues: input.categories.map((_, index) => index),
        width: 110,
        overflow: 'truncate',
        formatter: (position: number) => input.categories[Math.round(position)] ?? '',
      },
    },
    series: [period(input.currentName, input.current, -periodOffset, palette.current), period(input.previousName, input.previous, periodOffset, palette.previous)],
  };
}

export interface DriverPoint {
  label: string;
  performance: number;
  importance: number;
}

/** Room around the points and split lines, so labels and quadrant names fit. */
export function driverBounds(points: readonly DriverPoint[], performanceSplit: number | null, importanceSplit: number | null) {
  const xs = [...points.map((point) => point.performance), ...(performanceSplit === null ? [] : [performanceSplit])];
  const ys = [...points.map((point) => point.importance), ...(importanceSplit === null ? [] : [importanceSplit])];
  // Rounded out to whole steps, so the axis ends on a tidy number.
  const pad = (values: number[], fallback: [number, number], step: number, floor: number, ceiling: number) => {
    if (values.length === 0) return { min: fallback[0], max: fallback[1] };
    const span = Math.max(Math.max(...values) - Math.min(...values), step * 2);
    const round = (value: number) => Math.round(value * 1e6) / 1e6;
    return {
      min: Math.max(floor, round(Math.floor((Math.min(...values) - span * 0.15) / step) * step)),
      max: Math.min(ceiling, round(Math.ceil((Math.max(...values) + span * 0.15) / step) * step)),
    };
  };
  return { x: pad(xs, [0, 100], 5, 0, 100), y: pad(ys, [0, 1], 0.05, Math.max(-1, Math.min(0, ...ys)), 1) };
}

export interface DriversChartInput {
  label: string;
  points: DriverPoint[];
  performanceSplit: number | null;
  importanceSplit: number | null;
  performanceName: string;
  importanceName: string;
  quadrantNames: { keep_up: string; concentrate_here: string; low_priority: string; possible_overkill: string };
  tooltips: string[][];
}

/** Importance against performance, with the two split lines and the four quadrants named in their corners. */
export function driversOption(input: DriversChartInput): EChartsCoreOption {
  const bounds = driverBounds(input.points, input.performanceSplit, input.importanceSplit);
  const xSplit = input.performanceSplit ?? (bounds.x.min + bounds.x.max) / 2;
  const ySplit = input.importanceSplit ?? (bounds.y.min + bounds.y.max) / 2;
  const quadrantLabel = (position: string) => ({ show: true, position, color: palette.text, fontSize: 11, fontWeight: 'bold' as const });
  return {
    ...baseOption(input.label),
    grid: { left: 8, right: 24, top: 32, bottom: 28, containLabel: true },
    tooltip: {
      trigger: 'item',
      confine: true,
      // A question's full text wraps inside the chart instead of running off a narrow screen.
      extraCssText: 'white-space: normal; max-width: min(28rem, 80vw);',
      formatter: tooltipLines(input.tooltips),
    },
    xAxis: { type: 'value', name: input.performanceName, nameLocation: 'middle', nameGap: 24, min: bounds.x.min, max: bounds.x.max, splitLine: { show: false } },
    yAxis: { type: 'value', name: input.importanceName, nameLocation: 'end', min: bounds.y.min, max: bounds.y.max, splitLine: { show: false } },
    series: [
      {
        type: 'scatter',
        symbolSize: 10,
        itemStyle: { color: palette.current },
        data: input.points.map((point) => ({ value: [point.performance, point.importance], name: point.label })),
        // Labels come short (see shortLabels), so none is cut here into another's twin.
        label: { show: true, position: 'right', formatter: '{b}', fontSize: 11, color: palette.text },
        labelLayout: { hideOverlap: true },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          lineStyle: { color: palette.accent, type: 'dashed' },
          data: [{ xAxis: xSplit }, { yAxis: ySplit }],
        },
        markArea: {
          silent: true,
          itemStyle: { color: 'transparent' },
          data: [
            [{ name: input.quadrantNames.concentrate_here, coord: [bounds.x.min, bounds.y.max], label: quadrantLabel('insideTopLeft') }, { coord: [xSplit, ySplit] }],
            [{ name: input.quadrantNames.keep_up, coord: [xSplit, bounds.y.max], label: quadrantLabel('insideTopRight') }, { coord: [bounds.x.max, ySplit] }],
            [{ name: input.quadrantNames.low_priority, coord: [bounds.x.min, ySplit], label: quadrantLabel('insideBottomLeft') }, { coord: [xSplit, bounds.y.min] }],
            [{ name: input.quadrantNames.possible_overkill, coord: [xSplit, ySplit], label: quadrantLabel('insideBottomRight') }, { coord: [bounds.x.max, bounds.y.min] }],
          ],
        },
      },
    ],
  };
}

export interface IntervalRow {
  label: string;
  estimate: Estimate;
}

/** Each row's value as a dot and its interval as a whisker, with reference lines (e.g. c = 1, the cut-offs). */
export function intervalsOption(input: { label: string; rows: IntervalRow[]; references: { value: number; name: string }[]; tooltips: string[][] }): EChartsCoreOption {
  const lows = input.rows.map((row) => (row.estimate.low !== null && row.estimate.high !== null ? row.estimate.low : null));
  const spans = input.rows.map((row) => (row.estimate.low !== null && row.estimate.high !== null ? row.estimate.high - row.estimate.low : null));
  const values = input.rows.flatMap((row) => [row.estimate.value, row.estimate.low, row.estimate.high]).filter((value): value is number => value !== null);
  const ends = [...values, ...input.references.map((reference) => reference.value)];
  const min = ends.length ? Math.floor((Math.min(...ends) - 0.05) * 10) / 10 : 0;
  const max = ends.length ? Math.ceil((Math.max(...ends) + 0.05) * 10) / 10 : 1;
  return {
    ...baseOption(input.label),
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: tooltipLines(input.tooltips),
    },
    xAxis: { type: 'value', min, max, splitLine: { lineStyle: { color: palette.grid } } },
    yAxis: { type: 'category', data: input.rows.map((row) => row.label), inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      { name: 'low', type: 'bar', stack: 'interval', stackStrategy: 'all', data: lows, itemStyle: { color: 'transparent' }, silent: true, barWidth: 4 },
      {
        name: 'interval',
        type: 'bar',
        stack: 'interval',
        stackStrategy: 'all',
        data: spans,
        itemStyle: { color: palette.band },
        silent: true,
        barWidth: 4,
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: palette.accent, type: 'dashed' },
          label: { formatter: '{b}', position: 'start', fontSize: 10 },
          data: input.references.map((reference) => ({ xAxis: reference.value, name: reference.name })),
        },
      },
      {
        name: input.label,
        type: 'scatter',
        symbolSize: 10,
        itemStyle: { color: palette.current },
        data: input.rows.map((row, index) => [row.estimate.value, index]),
      },
    ],
  };
}

/** Plain bars, one per category (the three satisfaction levels). */
export function barsOption(input: { label: string; categories: string[]; values: (number | null)[]; colors: string[]; tooltips: string[][] }): EChartsCoreOption {
  return {
    ...baseOption(input.label),
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: tooltipLines(input.tooltips),
    },
    xAxis: { type: 'category', data: input.categories, axisLabel: { interval: 0, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', splitLine: { lineStyle: { color: palette.grid } } },
    series: [{ type: 'bar', data: input.values.map((value, index) => ({ value, itemStyle: { color: input.colors[index] } })) }],
  };
}

export interface ModelConstruct {
  id: string;
  label: string;
  index: number;
  rSquared: number | null;
}

export interface ModelPath {
  from: string;
  to: string;
  coefficient: number;
}

/**
 * Where each construct sits in the path diagram: its column is its path depth (0 for constructs nothing
 * points at, else one more than the deepest construct pointing at it), rows in the order given, each column
 * centred. A cycle (not a valid model) is cut where it closes.
 */
export function layoutModel(constructs: readonly { id: string }[], paths: readonly ModelPath[]): Map<string, { column: number; row: number; x: number; y: number }> {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const sources = paths.filter((path) => path.to === id).map((path) => depthOf(path.from) + 1);
    visiting.delete(id);
    const result = sources.length ? Math.max(...sources) : 0;
    depth.set(id, result);
    return result;
  };
  const columns = new Map<number, string[]>();
  for (const construct of constructs) {
    const column = depthOf(construct.id);
    columns.set(column, [...(columns.get(column) ?? []), construct.id]);
  }
  const tallest = Math.max(0, ...[...columns.values()].map((ids) => ids.length));
  const positions = new Map<string, { column: number; row: number; x: number; y: number }>();
  for (const [column, ids] of columns) {
    const offset = (tallest - ids.length) / 2;
    ids.forEach((id, row) => positions.set(id, { column, row, x: column * 100, y: (row + offset) * 100 }));
  }
  return positions;
}

export const diagramNode = { width: 172, height: 64 };

export interface Diagram {
  width: number;
  height: number;
  nodes: { id: string; x: number; y: number }[];
  /** From the edge of one node's box to the edge of the other's; (labelX, labelY) is the middle. */
  edges: (ModelPath & { x1: number; y1: number; x2: number; y2: number; labelX: number; labelY: number })[];
}

/** Where a line from a box's centre towards (dx, dy) leaves the box. */
function boxEdge(x: number, y: number, dx: number, dy: number): { x: number; y: number } {
  const scale = Math.min(dx === 0 ? Infinity : diagramNode.width / 2 / Math.abs(dx), dy === 0 ? Infinity : diagramNode.height / 2 / Math.abs(dy));
  return { x: x + dx * scale, y: y + dy * scale };
}

/**
 * The path diagram in SVG units: columns left to right (top to bottom when `vertical`, for narrow screens),
 * every other column nudged aside so a chain of single constructs zigzags and an arrow that skips a column
 * does not run through the node between.
 */
export function modelDiagram(constructs: readonly { id: string }[], paths: readonly ModelPath[], vertical: boolean): Diagram {
  const margin = 8;
  const nodes: Diagram['nodes'] = [];
  for (const [id, place] of layoutModel(constructs, paths)) {
    const across = (place.y / 100) * (vertical ? diagramNode.width + 24 : diagramNode.height + 40) + (place.column % 2) * (vertical ? 110 : diagramNode.height + 40);
    const along = place.column * (vertical ? diagramNode.height + 56 : diagramNode.width + 56);
    nodes.push(vertical ? { id, x: across, y: along } : { id, x: along, y: across });
  }
  const width = Math.max(0, ...nodes.map((node) => node.x)) + diagramNode.width + 2 * margin;
  const height = Math.max(0, ...nodes.map((node) => node.y)) + diagramNode.height + 2 * margin;
  for (const node of nodes) {
    node.x += margin + diagramNode.width / 2;
    node.y += margin + diagramNode.height / 2;
  }
  const at = new Map(nodes.map((node) => [node.id, node]));
  const columns = layoutModel(constructs, paths);
  const edges: Diagram['edges'] = [];
  for (const path of paths) {
    const from = at.get(path.from);
    const to = at.get(path.to);
    if (!from || !to || from === to) continue;
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const start = boxEdge(from.x, from.y, dx, dy);
    const end = boxEdge(to.x, to.y, -dx, -dy);
    // A long arrow's label sits nearer its start, clear of the labels of the short arrows it passes.
    const skips = Math.abs((columns.get(path.to)?.column ?? 0) - (columns.get(path.from)?.column ?? 0)) > 1;
    const along = skips ? 0.3 : 0.5;
    edges.push({
      ...path,
      x1: start.x,
      y1: start.y,
      x2: end.x,
      y2: end.y,
      labelX: start.x + (end.x - start.x) * along,
      labelY: start.y + (end.y - start.y) * along,
    });
  }
  return { width, height, nodes, edges };
}
