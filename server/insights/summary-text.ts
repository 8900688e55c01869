// The weekly summary email: which week a run covers and when it runs, and the report written out as plain
// text and HTML in the reader's language. Pure: no I/O.
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { addDays, bucketOf, dayStart, type DayRange } from '../../surveys/indices/periods.ts';
import { localMinutes } from '../campaigns/rules.ts';
import { escapeHtml } from '../web.ts';
import type { MetricKind, PeriodFigure, ResponseChannel, ResponseRate } from './types.ts';

// ---------------------------------------------------------------------------------------------------------
// The weeks: a run on a Monday at 08:00 (reporting time zone) covers the seven days before it.

/** Minutes after midnight, local time, a weekly run is due. */
export const summaryRunMinutes = 8 * 60;

/** The Monday of the next run: today when it is Monday before 08:00, otherwise the following Monday. */
export function comingRunDay(today: string, minutesNow: number): string {
  const monday = bucketOf(today, 'week');
  return today === monday && minutesNow < summaryRunMinutes ? today : addDays(monday, 7);
}

/** The Monday-to-Sunday week a run on `runDay` summarises. */
export function summaryWeek(runDay: string): DayRange {
  return { from: addDays(runDay, -7), to: addDays(runDay, -1) };
}

/** The instant 08:00 falls on a day in a time zone (a clock change in the night is allowed for). */
export function runInstant(runDay: string, timeZone: string): number {
  const guess = dayStart(runDay, timeZone) + summaryRunMinutes * 60_000;
  return guess + (summaryRunMinutes - localMinutes(guess, timeZone)) * 60_000;
}

// ---------------------------------------------------------------------------------------------------------
// The report and its email.

export interface SurveySummary {
  id: string;
  title: LocalizedText;
  /** The survey's headline figures, responses first. */
  figures: PeriodFigure[];
  dashboardUrl: string;
}

export interface SummaryReport {
  week: DayRange;
  previous: DayRange;
  /** Across all surveys, responses first. */
  figures: PeriodFigure[];
  /** Surveys with responses in the week. */
  surveys: SurveySummary[];
  responseRates: ResponseRate[];
  /** Responses in the week carrying a data-quality flag, left out of every figure. */
  flaggedLeftOut: number;
  dashboardUrl: string;
}

export interface SummaryEmail {
  subject: string;
  text: string;
  html: string;
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(day: string) {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return { year, month, date };
}

/** "17–23 Nov 2026", "30 Nov – 6 Dec 2026" / "2026年11月17日至23日", "2026年11月30日至12月6日". */
export function formatWeek(range: DayRange, locale: Locale): string {
  const a = parts(range.from);
  const b = parts(range.to);
  if (locale === 'zh-CN') {
    if (a.year !== b.year) return `${a.year}年${a.month}月${a.date}日至${b.year}年${b.month}月${b.date}日`;
    if (a.month !== b.month) return `${a.year}年${a.month}月${a.date}日至${b.month}月${b.date}日`;
    return `${a.year}年${a.month}月${a.date}日至${b.date}日`;
  }
  const en = (p: typeof a) => `${p.date} ${monthsEn[p.month - 1]}`;
  if (a.year !== b.year) return `${en(a)} ${a.year} – ${en(b)} ${b.year}`;
  if (a.month !== b.month) return `${en(a)} – ${en(b)} ${b.year}`;
  return `${a.date}–${b.date} ${monthsEn[b.month - 1]} ${b.year}`;
}

/** Decimal places a figure is written with, as on the dashboard: counts whole, means to two, the rest to one. */
function digitsOf(kind: MetricKind): number {
  if (kind === 'responses') return 0;
  if (kind === 'c' || kind === 'ces') return 2;
  return 1;
}

function formatNumber(value: number | null, locale: Locale, digits: number, signed = false): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(signed ? Number(value.toFixed(digits)) : value);
}

function formatRate(rate: number | null, locale: Locale): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

const channelNames: Record<ResponseChannel, LocalizedText> = {
  phone: { en: 'Phone', 'zh-CN': '电话' },
  mail: { en: 'Mail (email and post)', 'zh-CN': '邮件（电子邮件和信件）' },
  onsite: { en: 'Onsite', 'zh-CN': '现场' },
  web: { en: 'Web', 'zh-CN': '网上' },
};

const words = {
  en: {
    subject: (week: string) => `Weekly satisfaction summary, ${week}`,
    intro: (week: string, previous: string) =>
      `Satisfaction across all surveys for ${week}, compared with the week before (${previous}).`,
    allSurveys: 'All surveys',
    noResponses: 'No responses came in this week, so there are no figures to show.',
    figure: 'Figure',
    thisWeek: 'This week',
    interval: '95% interval',
    range: (low: string, high: string) => `${low} to ${high}`,
    n: 'n',
    weekBefore: 'Week before',
    change: 'Change',
    figureLine: (label: string, value: string, interval: string | null, n: string, before: string, beforeN: string, change: string) =>
      `${label}: ${value}${interval ? ` (95% interval ${interval})` : ''}, n = ${n}; week before ${before}, n = ${beforeN}; change ${change}`,
    responsesLine: (value: string, before: string, change: string) => `Responses: ${value}; week before ${before}; change ${change}`,
    bySurvey: 'By survey',
    rates: 'Response rates (invitations sent this week)',
    rateLine: (channel: string, completed: string, invited: string, rate: string) => `${channel}: ${completed} of ${invited} answered (${rate})`,
    channel: 'Channel',
    invited: 'Invited',
    answered: 'Answered',
    rate: 'Rate',
    flagged: (n: string) => `${n} flagged responses (speeders, straight-lining, likely duplicates) are left out of these figures.`,
    noneFlagged: 'No responses were flagged for data quality.',
    dashboard: 'See the figures on the dashboard:',
    dashboardLink: 'Open the dashboard for this week',
    surveyLink: 'Open on the dashboard',
    stop: 'You get this email because you turned on the weekly summary. To stop it, turn off “Send me the weekly summary” on the Insights dashboard.',
  },
  'zh-CN': {
    subject: (week: string) => `每周满意度摘要（${week}）`,
    intro: (week: string, previous: string) => `${week}全部问卷的满意度，与前一周（${previous}）对比。`,
    allSurveys: '全部问卷',
    noResponses: '本周没有收到回答，因此没有可显示的指标。',
    figure: '指标',
    thisWeek: '本周',
    interval: '95% 置信区间',
    range: (low: string, high: string) => `${low} 至 ${high}`,
    n: '样本量',
    weekBefore: '前一周',
    change: '变化',
    figureLine: (label: string, value: string, interval: string | null, n: string, before: string, beforeN: string, change: string) =>
      `${label}：${value}${interval ? `（95% 置信区间 ${interval}）` : ''}，样本量 ${n}；前一周 ${before}，样本量 ${beforeN}；变化 ${change}`,
    responsesLine: (value: string, before: string, change: string) => `回答数：${value}；前一周 ${before}；变化 ${change}`,
    bySurvey: '各问卷',
    rates: '回复率（本周发出的邀请）',
    rateLine: (channel: string, completed: string, invited: string, rate: string) => `${channel}：${invited} 份邀请中 ${completed} 份已回答（${rate}）`,
    channel: '渠道',
    invited: '邀请数',
    answered: '已回答',
    rate: '回复率',
    flagged: (n: string) => `${n} 份被标记为数据质量可疑的回答（答题过快、直线作答、疑似重复）未计入这些指标。`,
    noneFlagged: '没有回答被标记为数据质量可疑。',
    dashboard: '在仪表板上查看这些指标：',
    dashboardLink: '打开本周的仪表板',
    surveyLink: '在仪表板上打开',
    stop: '你收到这封邮件，是因为你开启了每周摘要。如需停止，请在“洞察”仪表板上关闭“每周给我发送摘要”。',
  },
} as const;

interface FigureCells {
  label: string;
  kind: MetricKind;
  value: string;
  interval: string | null;
  n: string;
  before: string;
  beforeN: string;
  change: string;
}

function cellsOf(figure: PeriodFigure, locale: Locale): FigureCells {
  const digits = digitsOf(figure.metric.kind);
  const { current, previous } = figure;
  const interval =
    current.value !== null && current.low !== null && current.high !== null
      ? words[locale].range(formatNumber(current.low, locale, digits), formatNumber(current.high, locale, digits))
      : null;
  return {
    label: figure.metric.label[locale],
    kind: figure.metric.kind,
    value: formatNumber(current.value, locale, digits),
    interval,
    n: formatNumber(current.n, locale, 0),
    before: formatNumber(previous.value, locale, digits),
    beforeN: formatNumber(previous.n, locale, 0),
    change: formatNumber(figure.change, locale, digits, true),
  };
}

const responsesOf = (figures: readonly PeriodFigure[]) => figures.find((figure) => figure.metric.kind === 'responses')?.current.value ?? 0;

function figureLines(figures: readonly PeriodFigure[], locale: Locale): string[] {
  const w = words[locale];
  return figures.map((figure) => {
    const c = cellsOf(figure, locale);
    return c.kind === 'responses'
      ? `- ${w.responsesLine(c.value, c.before, c.change)}`
      : `- ${w.figureLine(c.label, c.value, c.interval, c.n, c.before, c.beforeN, c.change)}`;
  });
}

const cellStyle = 'padding:4px 10px;border-bottom:1px solid #ddd;text-align:left';
const numberStyle = 'padding:4px 10px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap';

function htmlTable(head: string[], rows: { cells: string[]; numeric: boolean[] }[]): string {
  const th = head.map((cell, index) => `<th style="${index === 0 ? cellStyle : numberStyle};background:#f3f3f3">${escapeHtml(cell)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.cells.map((cell, index) => `<td style="${row.numeric[index] ? numberStyle : cellStyle}">${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;margin:8px 0 16px">\n<tr>${th}</tr>\n${body}\n</table>`;
}

function figuresHtml(figures: readonly PeriodFigure[], locale: Locale): string {
  const w = words[locale];
  return htmlTable(
    [w.figure, w.thisWeek, w.interval, w.n, w.weekBefore, w.change],
    figures.map((figure) => {
      const c = cellsOf(figure, locale);
      return { cells: [c.label, c.value, c.interval ?? '—', c.n, c.before, c.change], numeric: [false, true, true, true, true, true] };
    }),
  );
}

const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/** The summary as an email in one language: subject, plain text and HTML, every value escaped in the HTML. */
export function summaryEmail(report: SummaryReport, locale: Locale): SummaryEmail {
  const w = words[locale];
  const week = formatWeek(report.week, locale);
  const subject = w.subject(week);
  const intro = w.intro(week, formatWeek(report.previous, locale));
  const empty = responsesOf(report.figures) === 0;
  const flagged = report.flaggedLeftOut > 0 ? w.flagged(formatNumber(report.flaggedLeftOut, locale, 0)) : w.noneFlagged;
  const rates = report.responseRates.map((rate) => ({
    channel: channelNames[rate.channel][locale],
    invited: formatNumber(rate.invited, locale, 0),
    completed: formatNumber(rate.completed, locale, 0),
    rate: formatRate(rate.rate, locale),
  }));

  const text: string[] = [subject, '', intro, ''];
  if (empty) text.push(w.noResponses, '');
  else {
    text.push(w.allSurveys, ...figureLines(report.figures, locale), '');
    if (report.surveys.length > 0) {
      text.push(w.bySurvey, '');
      for (const survey of report.surveys) text.push(survey.title[locale], ...figureLines(survey.figures, locale), `${w.surveyLink}: ${survey.dashboardUrl}`, '');
    }
  }
  if (rates.length > 0) text.push(w.rates, ...rates.map((rate) => `- ${w.rateLine(rate.channel, rate.completed, rate.invited, rate.rate)}`), '');
  text.push(flagged, '', `${w.dashboard} ${report.dashboardUrl}`, '', '--', w.stop);

  const html: string[] = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;line-height:1.4">',
    `<h1 style="font-size:18px">${escapeHtml(subject)}</h1>`,
    `<p>${escapeHtml(intro)}</p>`,
  ];
  if (empty) html.push(`<p><strong>${escapeHtml(w.noResponses)}</strong></p>`);
  else {
    html.push(`<h2 style="font-size:16px">${escapeHtml(w.allSurveys)}</h2>`, figuresHtml(report.figures, locale));
    if (report.surveys.length > 0) {
      html.push(`<h2 style="font-size:16px">${escapeHtml(w.bySurvey)}</h2>`);
      for (const survey of report.surveys) {
        html.push(
          `<h3 style="font-size:15px;margin-bottom:0">${escapeHtml(survey.title[locale])}</h3>`,
          figuresHtml(survey.figures, locale),
          `<p style="margin-top:0">${link(survey.dashboardUrl, w.surveyLink)}</p>`,
        );
      }
    }
  }
  if (rates.length > 0) {
    html.push(
      `<h2 style="font-size:16px">${escapeHtml(w.rates)}</h2>`,
      htmlTable(
        [w.channel, w.invited, w.answered, w.rate],
        rates.map((rate) => ({ cells: [rate.channel, rate.invited, rate.completed, rate.rate], numeric: [false, true, true, true] })),
      ),
    );
  }
  html.push(
    `<p>${escapeHtml(flagged)}</p>`,
    `<p>${link(report.dashboardUrl, w.dashboardLink)}</p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(w.stop)}</p>`,
    '</body></html>',
  );
  return { subject, text: text.join('\n'), html: html.join('\n') };
}
