// The words of the CSV import flow (ImportFlow.tsx) that every area's import says alike, in English and Chinese.
// Each area's text.ts spreads them under its own import.* words, which say what differs (fields, counts, hints).
import { template } from '@solid-primitives/i18n';

const en = {
  file: 'CSV file',
  reading: 'Reading the file…',
  encoding: 'Encoding',
  delimiter: 'Delimiter',
  tab: 'Tab',
  skipColumn: 'Do not import',
  progressText: template<{ percent: number; rows: number }>('{{ percent }}% of the file · {{ rows }} rows read'),
  waiting: 'Sending the file…',
  done: 'Import finished',
  blank: 'Blank rows skipped',
  rejectedNone: 'Every row was imported.',
  row: 'Row',
  reason: 'Reason',
  showMore: 'Show more',
  another: 'Import another file',
};

const zh: typeof en = {
  file: 'CSV 文件',
  reading: '正在读取文件…',
  encoding: '编码',
  delimiter: '分隔符',
  tab: '制表符',
  skipColumn: '不导入',
  progressText: template<{ percent: number; rows: number }>('已处理文件的 {{ percent }}% · 已读取 {{ rows }} 行'),
  waiting: '正在发送文件…',
  done: '导入完成',
  blank: '跳过的空行',
  rejectedNone: '所有行都已导入。',
  row: '行号',
  reason: '原因',
  showMore: '显示更多',
  another: '导入其他文件',
};

export const importWords = { en, zh };
