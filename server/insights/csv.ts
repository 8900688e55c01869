// Every dashboard figure as CSV, in the reader's language: numbers as numbers, names as the dashboard shows
// them, text cells defused against spreadsheet formulas (csvLine). Pure.
import type { Locale } from '../../surveys/definition.ts';
import { quadrantLabels } from '../../surveys/indices/quadrants.ts';
import { csvLine } from '../customers/csv.ts';
import type {
  ComparisonReport,
  DriversReport,
  Estimate,
  LevelsReport,
  ModelReport,
  OverviewReport,
  TrendReport,
} from './types.ts';

export type Cell = string | number;
export const num = (value: number | null): Cell => (value === null ? '' : Math.round(value * 1e6) / 1e6);
export const estimateCells = (e: Estimate): Cell[] => [num(e.value), num(e.low), num(e.high), e.n];

const words = {
  en: {
    figure: 'figure', value: 'value', low: '95% low', high: '95% high', n: 'n', previous: 'previous', change: 'change',
    series: 'series', bucket: 'period start', group: 'group', attribute: 'attribute', performance: 'performance (0-100)',
    importance: 'importance', correlation: 'correlation with overall', weight: 'relative weight (share of R²)', quadrant: 'quadrant',
    part: 'part', level: 'level', count: 'count', share: 'share', people: 'people told per customer', reach: 'word-of-mouth reach',
    construct: 'construct', index: 'index (0-100)', r2: 'R²', from: 'from', to: 'to', coefficient: 'path coefficient',
    item: 'item', loading: 'loading', overall: 'overall index', paths: 'path', items: 'item', constructs: 'construct',
  },
  'zh-CN': {
    figure: '指标', value: '数值', low: '95% 下限', high: '95% 上限', n: '样本量', previous: '上期', change: '变化',
    series: '分组', bucket: '时段起始日', group: '分组', attribute: '属性', performance: '表现 (0-100)',
    importance: '重要性', correlation: '与总体满意度的相关', weight: '相对权重（占 R² 比例）', quadrant: '象限',
    part: '部分', level: '层次', count: '人数', share: '占比', people: '每位客户告知人数', reach: '口碑传播人数',
    construct: '潜变量', index: '指数 (0-100)', r2: 'R²', from: '起点', to: '终点', coefficient: '路径系数',
    item: '题目', loading: '载荷', overall: '总体指数', paths: '路径', items: '题目', constructs: '潜变量',
  },
} as const;

/** This period's figure, the previous period's, and the change. */
const periodHeaders = (w: (typeof words)[Locale]) => [
  w.value, w.low, w.high, w.n, `${w.previous} ${w.value}`, `${w.previous} ${w.low}`, `${w.previous} ${w.high}`, `${w.previous} ${w.n}`, w.change,
];

/** A CSV file of rows, with the byte-order mark spreadsheets need to read UTF-8. */
export const table = (rows: Cell[][]) => `\uFEFF${rows.map((row) => csvLine(row)).join('')}`;

export function overviewCsv(report: OverviewReport, locale: Locale): string {
  const w = words[locale];
  return table([
    [w.figure, ...periodHeaders(w)],
    ...report.figures.map((f) => [f.metric.label[locale], ...estimateCells(f.current), ...estimateCells(f.previous), num(f.change)]),
  ]);
}

export function trendCsv(report: TrendReport, locale: Locale): string {
  const w = words[locale];
  return table([
    [w.series, w.bucket, w.value, w.low, w.high, w.n],
    ...report.series.flatMap((series) => series.points.map((point) => [series.label[locale], point.bucket, ...estimateCells(point)])),
  ]);
}

export function compareCsv(report: ComparisonReport, locale: Locale): string {
  const w = words[locale];
  return table([
    [w.group, ...periodHeaders(w)],
    ...report.rows.map((row) => [row.label[locale], ...estimateCells(row.current), ...estimateCells(row.previous), num(row.change)]),
  ]);
}

export function driversCsv(report: DriversReport, locale: Locale): string {
  const w = words[locale];
  return table([
    [w.attribute, w.performance, w.importance, w.correlation, w.weight, w.quadrant, w.n],
    ...report.rows.map((row) => [row.label[locale], num(row.performance), num(row.importance), num(row.correlation), num(row.relativeWeightShare), row.quadrant ? quadrantLabels[row.quadrant][locale] : '', report.n]),
  ]);
}

export function levelsCsv(report: LevelsReport, locale: Locale): string {
  const w = words[locale];
  return table([
    [w.part, w.attribute, w.value, w.low, w.high, w.n, w.count, w.share, w.people, w.reach],
    ...report.attributes.map((row) => [w.attribute, row.label[locale], ...estimateCells(row), '', '', '', '']),
    [w.overall, '', ...estimateCells(report.overall), '', '', '', ''],
    ...report.levels.map((row) => [w.level, row.level, '', '', '', '', row.count, num(row.share), row.peoplePerCustomer, row.reach]),
  ]);
}

export function modelCsv(report: ModelReport, locale: Locale): string {
  const w = words[locale];
  const estimate = report.estimate;
  if (!estimate) return table([[w.part], [report.problem?.[locale] ?? '']]);
  return table([
    [w.part, w.from, w.to, w.value, w.r2, w.loading, w.n],
    ...estimate.constructs.map((c) => [w.constructs, c.label[locale], '', num(c.index), num(c.rSquared), '', report.n]),
    ...estimate.paths.map((p) => [w.paths, p.from, p.to, num(p.coefficient), '', '', report.n]),
    ...estimate.items.map((i) => [w.items, i.label[locale], i.construct, num(i.weight), '', num(i.loading), report.n]),
  ]);
}
