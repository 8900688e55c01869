// Every string the kiosk page shows beyond the survey form's own, in both languages.
import type { Locale } from '../../surveys/definition.ts';
import { formatCount } from '../numbers.ts';

const en = {
  start: 'Start',
  startHint: 'Tap Start to begin. Your answers are anonymous.',
  fullscreen: 'Full screen',
  thanksNext: (seconds: number) => `A new survey starts in ${seconds} s.`,
  savedTitle: 'Your answers are saved on this kiosk',
  offlineNote: 'This kiosk is offline: they will be sent when it is back online.',
  sendingNote: 'Sending them now…',
  sentNote: 'Sent.',
  refusedNote: 'The survey no longer takes answers here: they are kept on this kiosk for staff.',
  idleTitle: 'Are you still there?',
  idleBody: (seconds: number) => `The form starts over in ${seconds} s and your answers will be cleared.`,
  idleContinue: 'Continue',
  waiting: (count: number) => (count === 1 ? '1 answer waiting to send' : `${formatCount(count, 'en')} answers waiting to send`),
  allSent: 'All answers sent',
  refused: (count: number) =>
    count === 1 ? '1 answer refused by the server: tell staff' : `${formatCount(count, 'en')} answers refused by the server: tell staff`,
  offline: 'Offline: answers are kept on this device',
  storageFailed: 'This device could not keep the answers. Tell staff.',
};

const zh: typeof en = {
  start: '开始',
  startHint: '点击“开始”填写问卷。您的回答是匿名的。',
  fullscreen: '全屏',
  thanksNext: (seconds) => `${seconds} 秒后开始新的问卷。`,
  savedTitle: '您的回答已保存在本设备上',
  offlineNote: '本设备目前离线，恢复联网后会自动发送。',
  sendingNote: '正在发送…',
  sentNote: '已发送。',
  refusedNote: '本问卷已不再接收回答，您的回答保存在本设备上，由工作人员处理。',
  idleTitle: '您还在吗？',
  idleBody: (seconds) => `${seconds} 秒后表单将重新开始，已填写的回答会被清除。`,
  idleContinue: '继续填写',
  waiting: (count) => `${formatCount(count, 'zh-CN')} 份回答等待发送`,
  allSent: '所有回答均已发送',
  refused: (count) => `${formatCount(count, 'zh-CN')} 份回答被服务器拒收，请告知工作人员`,
  offline: '离线：回答暂存在本设备上',
  storageFailed: '本设备无法保存回答，请告知工作人员。',
};

export const kioskText: Record<Locale, typeof en> = { en, 'zh-CN': zh };
