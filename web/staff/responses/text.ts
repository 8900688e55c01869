// The responses pages' words in English and Chinese, and how long an answer took as they show it.
// Their pages read them, with the shared words of web/staff/text.ts, through this file's t.
import { template } from '@solid-primitives/i18n';
import { translatorOf } from '../i18n.ts';
import * as shared from '../text.ts';

export const en = {
  responses: {
    heading: template<{ title: string }>('Responses: {{ title }}'),
    empty: 'No responses yet',
    emptyHint: 'Responses appear here as soon as customers answer the published survey.',
    time: 'Time',
    channel: 'Channel',
    version: 'Version',
    language: 'Language',
    duration: 'Duration',
    count: template<{ shown: number; total: number }>('Showing {{ shown }} of {{ total }}'),
    tableLabel: 'Responses',
    backToSurvey: 'Back to editor',
    downloadCsv: 'Download CSV',
  },
  response: {
    heading: template<{ title: string }>('Response: {{ title }}'),
    back: 'All responses',
    notAnswered: 'Not answered',
    notShown: 'Not shown: its condition was not met',
    answers: 'Answers',
    details: 'Details',
    linkFields: 'Link fields',
    customer: 'Customer',
    campaign: 'Campaign',
    interviewer: 'Keyed in by',
    quality: 'Data quality',
    qualityClean: 'No flags',
    qualityPending: 'Not checked yet',
    flags: {
      speeder: 'Answered much faster than most',
      straight_liner: 'Same answer across a whole grid',
      duplicate: 'Likely a duplicate',
    },
  },
  duration: {
    seconds: template<{ s: number }>('{{ s }} s'),
    minutes: template<{ m: number; s: number }>('{{ m }} min {{ s }} s'),
    hours: template<{ h: number; m: number }>('{{ h }} h {{ m }} min'),
  },
};

export const zh: typeof en = {
  responses: {
    heading: template<{ title: string }>('答卷：{{ title }}'),
    empty: '还没有答卷',
    emptyHint: '客户回答已发布的问卷后，答卷会显示在这里。',
    time: '时间',
    channel: '渠道',
    version: '版本',
    language: '语言',
    duration: '用时',
    count: template<{ shown: number; total: number }>('显示 {{ shown }} / 共 {{ total }} 份'),
    tableLabel: '答卷',
    backToSurvey: '返回编辑',
    downloadCsv: '下载 CSV',
  },
  response: {
    heading: template<{ title: string }>('答卷：{{ title }}'),
    back: '全部答卷',
    notAnswered: '未回答',
    notShown: '未显示：不满足显示条件',
    answers: '回答',
    details: '详情',
    linkFields: '链接参数',
    customer: '客户',
    campaign: '调查活动',
    interviewer: '录入人',
    quality: '数据质量',
    qualityClean: '无标记',
    qualityPending: '尚未检查',
    flags: {
      speeder: '作答速度远快于多数人',
      straight_liner: '整组题目答案完全相同',
      duplicate: '疑似重复提交',
    },
  },
  duration: {
    seconds: template<{ s: number }>('{{ s }} 秒'),
    minutes: template<{ m: number; s: number }>('{{ m }} 分 {{ s }} 秒'),
    hours: template<{ h: number; m: number }>('{{ h }} 小时 {{ m }} 分'),
  },
};

export const t = translatorOf({ ...shared.en, ...en }, { ...shared.zh, ...zh });

/** How long an answer took, e.g. "2 min 5 s"; a dash when unknown. */
export function formatDuration(durationMs: number | null): string {
  if (durationMs === null || !Number.isFinite(durationMs)) return t('app.none');
  const totalSeconds = Math.round(durationMs / 1000);
  if (totalSeconds < 60) return t('duration.seconds', { s: totalSeconds });
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return t('duration.minutes', { m: totalMinutes, s: totalSeconds % 60 });
  return t('duration.hours', { h: Math.floor(totalMinutes / 60), m: totalMinutes % 60 });
}
