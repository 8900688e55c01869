// Each chart of the loyalty figures as CSV, in the reader's language, with the insights CSV helpers (numbers
// as numbers, text defused against spreadsheet formulas). Values are in the base currency's major unit. Pure.
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { shareEstimate } from '../complaints/figure-stats.ts';
import { severityWords } from '../complaints/figures-csv.ts';
import type { RecoveryOutcome } from '../complaints/vocabulary.ts';
import type { CustomerTier } from '../customers/vocabulary.ts';
import { estimateCells, num, table, type Cell } from '../insights/csv.ts';
import type { FlowPoint, LoyaltyReport } from './figures.ts';
import type { PublishedShare } from './tarp.ts';
import type { AtRiskReason } from './vocabulary.ts';

export const loyaltyCharts = ['stages', 'flows', 'reasons', 'pyramid', 'churn', 'at-risk', 'tarp'] as const;
export type LoyaltyChart = (typeof loyaltyCharts)[number];

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

export const flowPointWords: Record<FlowPoint, LocalizedText> = {
  none: t('No stage yet', '尚无阶段'),
  prospect: t('Prospect', '潜在客户'),
  new: t('New', '新客户'),
  regular: t('Regular', '经常性客户'),
  long_standing: t('Long-standing', '老客户'),
  loyal: t('Loyal', '忠诚客户'),
  at_risk: t('At risk', '有流失风险'),
  voiced: t('Churned, voiced', '有声流失'),
  silent: t('Churned, silent', '无声流失'),
};

export const reasonWords: Record<AtRiskReason | 'unknown', LocalizedText> = {
  unresolved_major_complaint: t('Unresolved major complaint', '重大投诉未解决'),
  falling_recency: t('Falling recency', '最近购买越来越远'),
  falling_frequency: t('Falling frequency', '购买频率下降'),
  overdue_purchase: t('Purchase overdue', '购买已逾期'),
  low_attitude: t('Low repurchase intent or recommendation', '再购意愿或推荐意愿低'),
  unknown: t('No reason recorded', '未记录原因'),
};

export const tierWords: Record<CustomerTier, LocalizedText> = { vip: t('VIP', '贵宾型'), important: t('Important', '重要型'), ordinary: t('Ordinary', '普通型') };

export const outcomeWords: Record<RecoveryOutcome | 'none', LocalizedText> = {
  unresolved: t('Complained, not satisfied', '投诉，未满意'),
  resolved: t('Complained, satisfied', '投诉，已满意'),
  resolved_quickly: t('Complained, satisfied quickly', '投诉，迅速满意'),
  none: t('Did not complain', '未投诉'),
};

const words = {
  en: {
    stage: 'stage', customers: 'customers', share: 'share', atRisk: 'of them at risk', churned: 'of them churned', notComputed: 'not placed yet',
    month: 'month', from: 'from', to: 'to', reason: 'reason', tier: 'tier', customerShare: 'share of customers', value: 'value', valueShare: 'share of value',
    publishedCustomers: 'published share of customers', publishedValue: 'published share of value', tierSource: 'published: DOMAIN tiers by importance',
    kind: 'churn', now: 'churned now', voicedShare: 'voiced share', low: '95% low', high: '95% high', n: 'n', voiced: 'voiced', silent: 'silent',
    customer: 'customer id', name: 'name', reasons: 'reasons', lastPurchase: 'last purchase', score: 'score', severity: 'problem', outcome: 'complaint',
    boughtAgain: 'bought again', ownShare: 'share who bought again', published: 'published share', publishedLow: 'published low', publishedHigh: 'published high',
    source: 'published version', days: 'within days', none: 'any',
  },
  'zh-CN': {
    stage: '阶段', customers: '客户数', share: '占比', atRisk: '其中有流失风险', churned: '其中已流失', notComputed: '尚未评定',
    month: '月份', from: '从', to: '到', reason: '原因', tier: '等级', customerShare: '客户占比', value: '价值', valueShare: '价值占比',
    publishedCustomers: '公开客户占比', publishedValue: '公开价值占比', tierSource: '公开数字：按重要性分级',
    kind: '流失', now: '当前已流失', voicedShare: '有声流失比例', low: '95% 下限', high: '95% 上限', n: '样本量', voiced: '有声', silent: '无声',
    customer: '客户编号', name: '姓名', reasons: '原因', lastPurchase: '最近购买', score: '得分', severity: '问题', outcome: '投诉',
    boughtAgain: '再次购买', ownShare: '再次购买比例', published: '公开比例', publishedLow: '公开下限', publishedHigh: '公开上限',
    source: '公开版本', days: '天数内', none: '全部',
  },
} as const;

/** A value in minor units as a number in the major unit. */
const major = (minor: number, digits: number): Cell => Math.round(minor) / 10 ** digits;
const iso = (at: number | null) => (at === null ? '' : new Date(at).toISOString());
const publishedCells = (share: PublishedShare | null): Cell[] => (share === null ? ['', ''] : [num(share.low), num(share.high)]);

/** The CSV of one chart of the loyalty figures. */
export function loyaltyCsv(report: LoyaltyReport, chart: LoyaltyChart, locale: Locale): string {
  const w = words[locale];
  const point = (key: FlowPoint) => flowPointWords[key]?.[locale] ?? key;
  const reason = (key: string) => reasonWords[key as AtRiskReason]?.[locale] ?? key;
  const digits = report.currency.fractionDigits;
  const valueHeader = `${w.value} (${report.currency.base})`;
  switch (chart) {
    case 'stages':
      return table([
        [w.stage, w.customers, w.share, w.atRisk, w.churned],
        ...report.stages.map((row) => [point(row.stage), row.customers, num(row.share), row.atRisk, row.churned]),
        [w.notComputed, report.notComputed, '', '', ''],
      ]);
    case 'flows':
      return table([[w.month, w.from, w.to, w.customers], ...report.flows.map((row) => [row.bucket, point(row.from), point(row.to), row.customers])]);
    case 'reasons':
      return table([[w.month, w.from, w.reason, w.customers], ...report.reasons.map((row) => [row.bucket, point(row.from), reason(row.reason), row.customers])]);
    case 'pyramid':
      return table([
        [w.tier, w.customers, w.customerShare, valueHeader, w.valueShare, w.publishedCustomers, w.publishedValue, w.source],
        ...report.pyramid.rows.map((row) => [
          tierWords[row.tier][locale], row.customers, num(row.customerShare), major(row.value, digits), num(row.valueShare), row.published.customers, row.published.value, w.tierSource,
        ]),
      ]);
    case 'churn':
      return table([
        [w.month, w.voiced, w.silent, w.voicedShare, w.low, w.high, w.n],
        ...report.churn.trend.map((row) => [row.bucket, row.voiced, row.silent, ...estimateCells(shareEstimate(row.voiced, row.voiced + row.silent))]),
        [w.now, report.churn.now.voiced, report.churn.now.silent, ...estimateCells(report.churn.now.voicedShare)],
      ]);
    case 'at-risk':
      return table([
        [w.customer, w.name, w.stage, w.tier, w.reasons, valueHeader, w.lastPurchase, w.score],
        ...report.atRisk.rows.map((row) => [
          row.customerId, row.name, point(row.stage), tierWords[row.tier][locale], row.reasons.map(reason).join('; '), major(row.value, digits), iso(row.lastPurchaseAt), row.score ?? '',
        ]),
      ]);
    case 'tarp': {
      const versions = report.tarp.published;
      const versionHeaders = versions.flatMap((version) => [`${w.publishedLow}: ${version.source[locale]}`, `${w.publishedHigh}: ${version.source[locale]}`]);
      const header = [w.severity, w.outcome, w.days, w.boughtAgain, w.ownShare, w.low, w.high, w.n, ...versionHeaders];
      const rows: Cell[][] = report.tarp.cells.map((cell) => [
        severityWords[cell.severity][locale], outcomeWords[cell.outcome][locale], report.tarp.withinDays, cell.boughtAgain, ...estimateCells(cell.share),
        ...versions.flatMap((version) => publishedCells(version.shares[cell.severity][cell.outcome])),
      ]);
      const reference: Cell[][] = (['minor', 'major'] as const).map((severity) => [
        severityWords[severity][locale], outcomeWords.none[locale], report.tarp.withinDays, report.tarp.noComplaint.boughtAgain, ...estimateCells(report.tarp.noComplaint.share),
        ...versions.flatMap((version) => publishedCells(version.shares[severity].notComplained)),
      ]);
      return table([header, ...reference.slice(0, 1), ...rows.slice(0, 3), ...reference.slice(1), ...rows.slice(3)]);
    }
  }
}
