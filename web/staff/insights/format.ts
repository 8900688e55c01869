// How the dashboard writes its numbers and dates in the screen's language. Pure: the locale is passed in.
import type { BucketUnit, Estimate, MetricKind } from '../../../server/insights/types.ts';
import { numberFormat } from '../../numbers.ts';

export type ScreenLocale = 'zh-CN' | 'en';

/** Decimal places a figure of the kind is shown with: counts whole, ratios and means to two, indices to one. */
export function digitsOf(kind: MetricKind): number {
  if (kind === 'responses') return 0;
  if (kind === 'c' || kind === 'ces') return 2;
  return 1;
}

export function formatNumber(value: number | null, locale: ScreenLocale, digits: number, none = '—'): string {
  return value === null || !Number.isFinite(value) ? none : numberFormat(locale, digits).format(value);
}

/** "72.4 (70.1–74.6)", or the value alone when there is no interval, or "—" when there is no value. */
export function formatEstimate(estimate: Estimate, kind: MetricKind, locale: ScreenLocale, none = '—'): string {
  const digits = digitsOf(kind);
  const value = formatNumber(estimate.value, locale, digits, none);
  if (estimate.value === null || estimate.low === null || estimate.high === null) return value;
  return `${value} (${formatNumber(estimate.low, locale, digits)}–${formatNumber(estimate.high, locale, digits)})`;
}

/** "n = 1,234" */
export function formatN(n: number, locale: ScreenLocale): string {
  return `n = ${numberFormat(locale, 0).format(n)}`;
}

export type Direction = 'up' | 'down' | 'same' | 'unknown';

/** Which way a figure moved, with the change written with its sign ("+2.1", "−0.4"). */
export function describeChange(change: number | null, kind: MetricKind, locale: ScreenLocale, none = '—'): { direction: Direction; text: string } {
  if (change === null || !Number.isFinite(change)) return { direction: 'unknown', text: none };
  const digits = digitsOf(kind);
  const rounded = Number(change.toFixed(digits));
  const direction: Direction = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'same';
  return { direction, text: numberFormat(locale, digits, true).format(rounded) };
}

export const arrows: Record<Direction, string> = { up: '▲', down: '▼', same: '▶', unknown: '' };

/** A share from 0 to 1 as a percentage, "42%" / "42%". */
export function formatRate(rate: number | null, locale: ScreenLocale, none = '—'): string {
  if (rate === null || !Number.isFinite(rate)) return none;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** A day as the locale writes it, e.g. "23 Nov 2026" / "2026年11月23日". */
export function formatDay(day: string, locale: ScreenLocale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(dayDate(day));
}

/** "23 Nov 2026 – 22 Dec 2026" */
export function formatRange(range: { from: string; to: string }, locale: ScreenLocale): string {
  return `${formatDay(range.from, locale)} – ${formatDay(range.to, locale)}`;
}

/** A bucket's first day as its axis label: days and weeks by date, months by month, quarters as Q1–Q4. */
export function formatBucket(bucket: string, unit: BucketUnit, locale: ScreenLocale): string {
  const date = dayDate(bucket);
  if (unit === 'quarter') {
    const quarter = Math.floor(date.getUTCMonth() / 3) + 1;
    return locale === 'zh-CN' ? `${date.getUTCFullYear()}年第${quarter}季度` : `Q${quarter} ${date.getUTCFullYear()}`;
  }
  if (unit === 'month') return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Escapes text put into chart tooltips, which ECharts renders as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Cuts a label to about `room` Latin letters' width (a Chinese character counts as two), ending it with "…". */
export function fitLabel(text: string, room: number): string {
  const widthOf = (char: string) => (/[\u2E80-\uFFEF]/.test(char) ? 2 : 1);
  const chars = [...text];
  if (chars.reduce((sum, char) => sum + widthOf(char), 0) <= room) return text;
  let used = 1; // the "…"
  let kept = '';
  for (const char of chars) {
    if (used + widthOf(char) > room) break;
    used += widthOf(char);
    kept += char;
  }
  return `${kept.trimEnd()}…`;
}

/** Where a leading clause ends: a comma, a colon or a full stop, in either language, with words after it. */
const clauseEnd = /^(.+?[,，:：.。])\s*(\S.*)$/s;

/**
 * Labels short enough to sit beside a point in a chart, still told apart: a leading clause two or more
 * labels share ("Before you became our customer, …") is left out of them, the rest is cut to `room`
 * (Chinese characters counting two), and labels still alike are numbered. The full text belongs in the
 * tooltip and the table.
 */
export function shortLabels(labels: readonly string[], room: number): string[] {
  const clauses = labels.map((label) => clauseEnd.exec(label));
  const shared = new Map<string, number>();
  for (const clause of clauses) if (clause) shared.set(clause[1]!, (shared.get(clause[1]!) ?? 0) + 1);
  const trimmed = labels.map((label, index) => {
    const clause = clauses[index];
    if (!clause || (shared.get(clause[1]!) ?? 0) < 2) return label;
    const rest = clause[2]!;
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  });
  const fitted = trimmed.map((label) => fitLabel(label, room));
  const seen = new Map<string, number>();
  for (const label of fitted) seen.set(label, (seen.get(label) ?? 0) + 1);
  const numbered = new Map<string, number>();
  return fitted.map((label) => {
    if ((seen.get(label) ?? 0) < 2) return label;
    const number = (numbered.get(label) ?? 0) + 1;
    numbered.set(label, number);
    return `${fitLabel(label.replace(/…$/, ''), room - 3)} ${number}`;
  });
}
