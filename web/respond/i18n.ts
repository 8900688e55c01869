// Every string the respondent reads, in both languages; a plain dictionary keeps the public bundle tiny.
import { factorNames } from '../../surveys/factors.ts';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { formatCount } from '../numbers.ts';

const countEn = (value: number) => formatCount(value, 'en');
const countZh = (value: number) => formatCount(value, 'zh-CN');

const en = {
  language: 'Language',
  required: 'Required',
  answered: (done: number, total: number) => `${countEn(done)} / ${countEn(total)} answered`,
  submit: 'Submit',
  sending: 'Sending…',
  retrying: 'Could not send; retrying…',
  retryNow: 'Try again now',
  needsAttention: (count: number) =>
    count === 1 ? '1 question needs your attention.' : `${countEn(count)} questions need your attention.`,
  rejected: 'Your answers could not be accepted.',
  previewValid: 'Preview: the answers are valid. Nothing was sent.',
  expectation: 'Expectation',
  expectationHint: 'What you expected beforehand',
  experience: 'Experience',
  experienceHint: 'What you actually experienced',
  importance: 'Importance',
  importanceHint: 'How much this matters to you',
  other: 'Other',
  otherSpecify: 'Other, please specify',
  agree: 'I agree',
  characters: (used: number, max: number) => `${countEn(used)} / ${countEn(max)} characters`,
  thankYouTitle: 'Your answers have been sent',
  thankYouBody: 'Thank you for taking the time.',
  closedTitle: 'This survey is closed',
  closedBody: 'It no longer accepts answers. Thank you for your interest.',
  unknownTitle: 'Survey not found',
  unknownBody: 'Please check that the link you were given is complete.',
  answeredTitle: 'This invitation has already been answered',
  answeredBody: 'Each personal link takes one response, and one has already been sent with it. Thank you.',
  npsEnds: ['Not at all likely', 'Extremely likely'] as [string, string],
  csatEnds: ['Very dissatisfied', 'Very satisfied'] as [string, string],
  cesEnds: ['Very difficult', 'Very easy'] as [string, string],
  levelEnds: ['Very low', 'Very high'] as [string, string],
  importanceEnds: ['Not important', 'Very important'] as [string, string],
  factors: factorNames.en as Record<string, string>,
};

export type UiText = typeof en;

const zh: UiText = {
  language: '语言',
  required: '必答',
  answered: (done, total) => `已答 ${countZh(done)} / ${countZh(total)}`,
  submit: '提交',
  sending: '正在提交…',
  retrying: '暂时无法提交，正在重试…',
  retryNow: '立即重试',
  needsAttention: (count) => `有 ${countZh(count)} 道题需要处理。`,
  rejected: '您的回答未被接受。',
  previewValid: '预览：答案有效，未实际提交。',
  expectation: '期望',
  expectationHint: '您事先的期望',
  experience: '实际体验',
  experienceHint: '您实际的感受',
  importance: '重要程度',
  importanceHint: '这一点对您有多重要',
  other: '其他',
  otherSpecify: '其他，请注明',
  agree: '我同意',
  characters: (used, max) => `${countZh(used)} / ${countZh(max)} 字`,
  thankYouTitle: '您的回答已提交',
  thankYouBody: '感谢您抽出时间填写。',
  closedTitle: '本问卷已结束',
  closedBody: '问卷已停止收集答案，感谢您的关注。',
  unknownTitle: '找不到该问卷',
  unknownBody: '请检查您收到的链接是否完整。',
  answeredTitle: '该邀请已经回答过',
  answeredBody: '每个专属链接只能提交一次回答，此链接已提交过。感谢您的参与。',
  npsEnds: ['完全不可能', '非常可能'],
  csatEnds: ['非常不满意', '非常满意'],
  cesEnds: ['非常困难', '非常容易'],
  levelEnds: ['很低', '很高'],
  importanceEnds: ['不重要', '非常重要'],
  factors: factorNames['zh-CN'] as Record<string, string>,
};

export const ui: Record<Locale, UiText> = { 'zh-CN': zh, en };

/** The text in the chosen language, falling back to the other one if an author left it blank. */
export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale] || text.en || text['zh-CN'];
}
