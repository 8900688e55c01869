// The kiosk pages' words in English and Chinese; their pages read them as t('kiosk.…'), with
// the shared words of web/staff/text.ts, through this file's t.
import { template } from '@solid-primitives/i18n';
import { translatorOf } from '../i18n.ts';
import * as shared from '../text.ts';

export const en = {
  title: 'Kiosks',
  intro:
    'Kiosk campaigns run a survey on a device at a location, with no staff account. Open the kiosk link on the device; answers given without network wait on the device and are sent when it returns.',
  empty: 'No kiosks yet',
  emptyHint: 'A manager creates a campaign delivered by kiosk; its link and poster appear here.',
  tableLabel: 'Kiosks',
  colName: 'Kiosk',
  colSurvey: 'Survey',
  colLocation: 'Location',
  colStatus: 'Status',
  colToday: 'Answers today',
  colLast: 'Last answer',
  colLink: 'Kiosk link',
  statuses: { draft: 'Draft', launching: 'Launching', running: 'Running', closed: 'Closed' },
  noLink: 'No link',
  open: 'Open',
  copyLink: 'Copy link',
  poster: 'Poster',
  posterFor: template<{ name: string }>('Poster for {{ name }}'),
  posterTitle: template<{ location: string }>('Poster: {{ location }}'),
  posterIntro: 'Print this poster on A4 and put it up at the location. Its QR code opens the web version of the survey and records the location with each answer.',
  print: 'Print',
  back: 'All kiosks',
  scan: 'Scan to tell us how we did',
  scanZh: '扫码评价我们的服务',
  qrAlt: template<{ url: string }>('QR code for {{ url }}'),
  noLocation: 'No location set',
};

export const zh: typeof en = {
  title: '现场终端',
  intro: '现场终端活动在某个地点的设备上运行问卷，无需员工账号。在设备上打开终端链接即可；没有网络时填写的回答会暂存在设备上，恢复网络后自动发送。',
  empty: '还没有现场终端',
  emptyHint: '经理创建以现场终端方式投放的活动后，其链接和海报会显示在这里。',
  tableLabel: '现场终端',
  colName: '终端',
  colSurvey: '问卷',
  colLocation: '地点',
  colStatus: '状态',
  colToday: '今日回答',
  colLast: '最近回答',
  colLink: '终端链接',
  statuses: { draft: '草稿', launching: '启动中', running: '运行中', closed: '已结束' },
  noLink: '无链接',
  open: '打开',
  copyLink: '复制链接',
  poster: '海报',
  posterFor: template<{ name: string }>('{{ name }} 的海报'),
  posterTitle: template<{ location: string }>('海报：{{ location }}'),
  posterIntro: '用 A4 纸打印此海报并张贴在该地点。扫描二维码即可打开问卷网页版，每份回答都会记录该地点。',
  print: '打印',
  back: '全部现场终端',
  scan: 'Scan to tell us how we did',
  scanZh: '扫码评价我们的服务',
  qrAlt: template<{ url: string }>('{{ url }} 的二维码'),
  noLocation: '未设置地点',
};

export const t = translatorOf({ ...shared.en, kiosk: en }, { ...shared.zh, kiosk: zh });
