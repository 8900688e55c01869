// The survey list's and the preview's words in English and Chinese.
// Their pages read them, with the shared words of web/staff/text.ts, through this file's t.
import { template } from '@solid-primitives/i18n';
import { translatorOf } from '../i18n.ts';
import * as shared from '../text.ts';

export const en = {
  surveys: {
    title: 'Surveys',
    newBlank: 'New blank survey',
    fromTemplate: 'From template',
    chooseTemplate: 'Choose a template',
    templateQuestions: template<{ count: number }>('{{ count }} questions'),
    noTemplates: 'No templates are available.',
    creating: 'Creating survey…',
    empty: 'No surveys yet. Start with a blank survey or a template.',
    colTitle: 'Title',
    colKind: 'Kind',
    colStatus: 'Status',
    colVersion: 'Latest version',
    colResponses: 'Responses',
    colUpdated: 'Updated',
    unpublishedChanges: 'unpublished changes',
    notPublished: 'not published',
    tableLabel: 'Surveys',
  },
  preview: {
    heading: template<{ title: string }>('Preview: {{ title }}'),
    notice: 'Preview: this is what customers see. Answers given here are not saved.',
    unsavedShown: 'Showing your unsaved changes.',
    phone: 'Phone (390 px)',
    full: 'Full width',
    width: 'Width',
    language: 'Language',
    restart: 'Start over',
    backToEditor: 'Back to editor',
    invalid: 'The draft has problems, so it cannot be previewed. Fix them in the editor first.',
  },
};

export const zh: typeof en = {
  surveys: {
    title: '问卷',
    newBlank: '新建空白问卷',
    fromTemplate: '从模板新建',
    chooseTemplate: '选择模板',
    templateQuestions: template<{ count: number }>('{{ count }} 个问题'),
    noTemplates: '暂无可用模板。',
    creating: '正在创建问卷…',
    empty: '还没有问卷。可以从空白问卷或模板开始。',
    colTitle: '标题',
    colKind: '类型',
    colStatus: '状态',
    colVersion: '最新版本',
    colResponses: '答卷数',
    colUpdated: '更新时间',
    unpublishedChanges: '有未发布的修改',
    notPublished: '未发布',
    tableLabel: '问卷',
  },
  preview: {
    heading: template<{ title: string }>('预览：{{ title }}'),
    notice: '预览：这是客户看到的样子。在此填写的答案不会保存。',
    unsavedShown: '正在显示您未保存的修改。',
    phone: '手机（390 像素）',
    full: '全宽',
    width: '宽度',
    language: '语言',
    restart: '重新开始',
    backToEditor: '返回编辑',
    invalid: '草稿有问题，无法预览。请先在编辑器中更正。',
  },
};

export const t = translatorOf({ ...shared.en, ...en }, { ...shared.zh, ...zh });
