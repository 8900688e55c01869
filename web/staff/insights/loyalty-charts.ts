// ECharts options for the loyalty figures: stacked bars per month, paired bars per group, and our own TARP
// shares with their intervals beside the published figures. Pure, like charts.ts: words arrive in the
// screen's language, nothing here touches the DOM.
import type { EChartsCoreOption } from 'echarts/core';
import type { Estimate } from '../../../server/insights/types.ts';
import { palette } from './charts.ts';
import { escapeHtml } from './format.ts';

/** Series colours that keep 3:1 contrast on white and tell apart without relying on hue alone (the tables say the same). */
export const seriesColors = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#475569', '#0e7490'];

const base = (label: string) => ({
  aria: { enabled: true, label: { description: label } },
  textStyle: { fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" },
  animation: false,
});

const lines = (tooltips: readonly (readonly string[])[]) => (params: unknown) => {
  const index = (Array.isArray(params) ? params[0] : params)?.dataIndex as number | undefined;
  return index === undefined ? '' : (tooltips[index] ?? []).map(escapeHtml).join('<br>');
};

export interface BarSeries {
  name: string;
  values: number[];
}

/** Bars per category, one per series: stacked (counts that add up) or side by side (shares to compare). */
export function seriesBarsOption(input: { label: string; categories: string[]; series: BarSeries[]; stacked: boolean; tooltips: string[][]; percent?: boolean }): EChartsCoreOption {
  return {
    ...base(input.label),
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: palette.text } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: lines(input.tooltips) },
    xAxis: { type: 'category', data: input.categories, axisLabel: { hideOverlap: true } },
    yAxis: {
      type: 'value',
      max: input.percent ? 100 : undefined,
      minInterval: input.percent ? undefined : 1,
      axisLabel: input.percent ? { formatter: '{value}%' } : undefined,
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series: input.series.map((series, index) => ({
      name: series.name,
      type: 'bar',
      stack: input.stacked ? 'all' : undefined,
      data: series.values,
      itemStyle: { color: seriesColors[index % seriesColors.length], decal: undefined },
    })),
  };
}

export interface TarpChartRow {
  label: string;
  /** Our own share as a percentage estimate. */
  own: Estimate;
  /** Published figures in percent: a point, or a range (low, high). */
  published: { name: string; low: number; high: number }[];
}

/**
 * Our own shares (dot with its 95% interval as a band) per row, with each published version as its own
 * marker: a diamond for the TARP study, triangles at both ends of a range for the variant.
 */
export function tarpOption(input: { label: string; rows: TarpChartRow[]; ownName: string; versionNames: string[]; tooltips: string[][] }): EChartsCoreOption {
  const lows = input.rows.map((row) => (row.own.low !== null && row.own.high !== null ? row.own.low : null));
  const spans = input.rows.map((row) => (row.own.low !== null && row.own.high !== null ? row.own.high - row.own.low : null));
  const symbols = ['diamond', 'triangle', 'rect'];
  return {
    ...base(input.label),
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: [input.ownName, ...input.versionNames], textStyle: { color: palette.text } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: lines(input.tooltips) },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: palette.grid } } },
    yAxis: { type: 'category', data: input.rows.map((row) => row.label), inverse: true, axisLabel: { width: 200, overflow: 'break' } },
    series: [
      { name: 'low', type: 'bar', stack: 'interval', stackStrategy: 'all', data: lows, itemStyle: { color: 'transparent' }, silent: true, barWidth: 6 },
      { name: 'interval', type: 'bar', stack: 'interval', stackStrategy: 'all', data: spans, itemStyle: { color: palette.band }, silent: true, barWidth: 6 },
      {
        name: input.ownName,
        type: 'scatter',
        symbolSize: 11,
        itemStyle: { color: palette.current },
        data: input.rows.map((row, index) => [row.own.value, index]),
      },
      ...input.versionNames.map((name, version) => ({
        name,
        type: 'scatter',
        symbol: symbols[version % symbols.length],
        symbolSize: 10,
        itemStyle: { color: seriesColors[(version + 1) % seriesColors.length] },
        data: input.rows.flatMap((row, index) => {
          const published = row.published.find((each) => each.name === name);
          if (!published) return [];
          return published.low === published.high ? [[published.low, index]] : [[published.low, index], [published.high, index]];
        }),
      })),
    ],
  };
}
