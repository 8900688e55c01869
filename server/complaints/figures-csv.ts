// Each chart of the complaint figures as CSV, in the reader's language, with the insights CSV helpers
// (numbers as numbers, text defused against spreadsheet formulas). Pure.
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { estimateCells, num, table, type Cell } from '../insights/csv.ts';
import type { Estimate } from '../insights/types.ts';
import type { DurationFigure, OutcomeColumn } from './figure-stats.ts';
import type { ComplaintReport } from './figures.ts';
import type { CaseChannel, CaseSeverity, CaseSource, SilentDetractorReason } from './vocabulary.ts';

export const complaintCharts = ['category', 'channel', 'severity', 'source', 'rules', 'times', 'deadlines', 'handling', 'outcomes', 'follow-up', 'trend'] as const;
export type ComplaintChart = (typeof complaintCharts)[number];

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

export const channelWords: Record<CaseChannel, LocalizedText> = {
  web: t('Web link', '网页链接'),
  onsite: t('Onsite kiosk', '现场终端'),
  mail: t('Postal form', '邮寄问卷'),
  phone: t('Phone', '电话'),
  email: t('Email', '电子邮件'),
  in_person: t('In person', '当面'),
  integration: t('Integration', '系统集成'),
};
export const severityWords: Record<CaseSeverity, LocalizedText> = { minor: t('Minor', '一般'), major: t('Major', '重大') };
export const sourceWords: Record<CaseSource, LocalizedText> = {
  form: t('Complaint form', '投诉表单'),
  survey_rule: t('Survey answer caught by a rule', '规则捕获的问卷回答'),
  agent: t('Logged by an agent', '客服登记'),
  integration: t('Integration', '系统集成'),
};
export const outcomeWords: Record<OutcomeColumn, LocalizedText> = {
  resolved_quickly: t('Resolved quickly', '快速解决'),
  resolved: t('Resolved', '已解决'),
  unresolved: t('Unresolved', '未解决'),
  customer_left: t('Customer left', '客户流失'),
};
export const silentWords: Record<SilentDetractorReason, LocalizedText> = {
  no_customer: t('Silent: no known customer', '沉默：客户未知'),
  no_consent: t('Silent: no consent to contact', '沉默：未同意联系'),
};

const words = {
  en: {
    key: 'key', label: 'label', count: 'cases', share: 'share', value: 'value', low: '95% low', high: '95% high', n: 'n',
    figure: 'figure', pending: 'still waiting', survey: 'survey', rule: 'rule', catches: 'answers caught', cases: 'with a case',
    silent: 'silent', severity: 'severity', outcome: 'outcome', published: 'published share who buy again', source: 'source of the published figures',
    bucket: 'period start', opened: 'opened', firstMedian: 'first response, median business hours', met: 'every deadline met (share of finished)',
    handling: 'handling score (1-5)', notComplained: 'did not complain',
    firstResponse: 'first response (business hours)', resolution: 'resolution (business hours)', followUp: 'first response to a caught detractor (business hours)',
    median: 'median', p90: '90th percentile',
    deadlineFirst: 'first response deadline met', deadlineResolution: 'resolution deadline met', deadlineAll: 'every deadline met (finished cases)',
    reopen: 'reopen rate', handled: 'satisfaction with handling (1-5)', withCase: 'caught answers followed up with a case',
  },
  'zh-CN': {
    key: '代码', label: '名称', count: '案件数', share: '占比', value: '数值', low: '95% 下限', high: '95% 上限', n: '样本量',
    figure: '指标', pending: '仍在等待', survey: '问卷', rule: '规则', catches: '捕获的回答', cases: '已立案',
    silent: '沉默', severity: '严重程度', outcome: '结果', published: '公开研究中再次购买的比例', source: '公开数据来源',
    bucket: '时段起始日', opened: '新立案', firstMedian: '首次回复中位数（工作小时）', met: '全部时限达成（占已完结）',
    handling: '处理满意度 (1-5)', notComplained: '未投诉',
    firstResponse: '首次回复（工作小时）', resolution: '解决（工作小时）', followUp: '被捕获差评的首次回复（工作小时）',
    median: '中位数', p90: '第 90 百分位',
    deadlineFirst: '首次回复时限达成', deadlineResolution: '解决时限达成', deadlineAll: '全部时限达成（已完结案件）',
    reopen: '重开率', handled: '处理满意度 (1-5)', withCase: '被捕获回答中已立案跟进的比例',
  },
} as const;

const estimateHeaders = (w: (typeof words)[Locale]) => [w.value, w.low, w.high, w.n];

function durationRows(name: string, figure: DurationFigure, w: (typeof words)[Locale]): Cell[][] {
  return [
    [`${name}: ${w.median}`, ...estimateCells(figure.median), figure.pending],
    [`${name}: ${w.p90}`, ...estimateCells(figure.p90), figure.pending],
  ];
}

/** The CSV of one chart of the complaint figures. */
export function complaintCsv(report: ComplaintReport, chart: ComplaintChart, locale: Locale): string {
  const w = words[locale];
  const f = report.figures;
  const counted = (rows: { key: string; count: number; share: number | null }[], label: (key: string) => string) =>
    table([[w.key, w.label, w.count, w.share], ...rows.map((row) => [row.key, label(row.key), row.count, num(row.share)])]);
  const estimate = (name: string, e: Estimate): Cell[] => [name, ...estimateCells(e)];
  switch (chart) {
    case 'category': {
      const labels = new Map(report.categories.map((category) => [category.key, category.label[locale]]));
      return counted(f.volume.category, (key) => labels.get(key) ?? key);
    }
    case 'channel':
      return counted(f.volume.channel, (key) => channelWords[key as CaseChannel]?.[locale] ?? key);
    case 'severity':
      return counted(f.volume.severity, (key) => severityWords[key as CaseSeverity]?.[locale] ?? key);
    case 'source':
      return counted(f.volume.source, (key) => sourceWords[key as CaseSource]?.[locale] ?? key);
    case 'rules':
      return table([
        [w.survey, w.rule, w.catches, w.cases, w.silent],
        ...f.rules.map((row) => [row.survey[locale], row.rule[locale], row.catches, row.cases, row.silent]),
      ]);
    case 'times':
      return table([
        [w.figure, ...estimateHeaders(w), w.pending],
        ...durationRows(w.firstResponse, f.firstResponse, w),
        ...durationRows(w.resolution, f.resolution, w),
      ]);
    case 'deadlines':
      return table([
        [w.figure, ...estimateHeaders(w)],
        estimate(w.deadlineFirst, f.deadlines.firstResponse),
        estimate(w.deadlineResolution, f.deadlines.resolution),
        estimate(w.deadlineAll, f.deadlines.all),
      ]);
    case 'handling':
      return table([[w.figure, ...estimateHeaders(w)], estimate(w.handled, f.handling), estimate(w.reopen, f.reopenRate)]);
    case 'outcomes':
      return table([
        [w.severity, w.outcome, w.count, w.share, w.low, w.high, w.n, w.published, w.source],
        ...f.outcomes.map((row) => [
          severityWords[row.severity][locale], outcomeWords[row.outcome][locale], row.count, num(row.share.value), num(row.share.low), num(row.share.high), row.share.n,
          num(row.published), report.tarpSource[locale],
        ]),
        ...(['minor', 'major'] as const).map((severity) => [severityWords[severity][locale], w.notComplained, '', '', '', '', '', num(report.tarp[severity].notComplained), report.tarpSource[locale]]),
      ]);
    case 'follow-up':
      return table([
        [w.figure, ...estimateHeaders(w), w.pending],
        [...estimate(w.withCase, f.followUp.withCase), ''],
        ...(Object.keys(f.followUp.silent) as SilentDetractorReason[]).map((reason) => [silentWords[reason][locale], f.followUp.silent[reason], '', '', f.followUp.catches, '']),
        ...durationRows(w.followUp, f.followUp.firstResponse, w),
      ]);
    case 'trend':
      return table([
        [w.bucket, w.opened, w.firstMedian, w.low, w.high, w.n, w.met, w.low, w.high, w.n, w.handling, w.low, w.high, w.n],
        ...f.trend.map((row) => [row.bucket, row.opened, ...estimateCells(row.firstResponse), ...estimateCells(row.deadlinesMet), ...estimateCells(row.handling)]),
      ]);
  }
}
