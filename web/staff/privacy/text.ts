// The access log page's words in English and Chinese.
// Its page reads them, with the shared words of web/staff/text.ts, through this file's t.
import { template } from '@solid-primitives/i18n';
import { translatorOf } from '../i18n.ts';
import * as shared from '../text.ts';

export const en = {
  accessLog: {
    title: 'Access log',
    intro: "Every time a staff member was shown a customer's contact details or the words they wrote in full, newest first. Masked records are not listed.",
    forCustomer: template<{ name: string }>('Reads of {{ name }}'),
    forStaff: template<{ name: string }>('Reads by {{ name }}'),
    showAll: 'Show every read',
    from: 'From (date)',
    to: 'To (date)',
    filters: 'Filter the log',
    colAt: 'When',
    colStaff: 'Staff member',
    colCustomer: 'Customer',
    colRoute: 'Where',
    colFields: 'What was shown',
    tableLabel: 'Reads of personal data',
    empty: 'No reads match.',
    emptyHint: 'Reads appear here within a second of a staff member opening a customer, a case or a response.',
    fields: {
      name: 'name',
      contactName: 'contact name',
      email: 'email',
      phone: 'phone',
      postalAddress: 'postal address',
      description: 'complaint text',
      contactEmail: 'case email',
      contactPhone: 'case phone',
      correspondence: 'case correspondence',
      answers: 'open answers',
      message: 'message text',
    },
    removedStaff: 'a removed account',
    removedCustomer: 'a removed customer',
  },
};

export const zh: typeof en = {
  accessLog: {
    title: '访问记录',
    intro: '员工每次看到客户完整的联系方式或客户填写的文字都记录在这里，最新的在前。脱敏显示的不算在内。',
    forCustomer: template<{ name: string }>('对 {{ name }} 的访问'),
    forStaff: template<{ name: string }>('{{ name }} 的访问'),
    showAll: '显示全部访问',
    from: '起始日期',
    to: '截止日期',
    filters: '筛选记录',
    colAt: '时间',
    colStaff: '员工',
    colCustomer: '客户',
    colRoute: '位置',
    colFields: '看到的内容',
    tableLabel: '个人信息访问记录',
    empty: '没有符合条件的访问。',
    emptyHint: '员工打开客户、案件或答卷后一秒内，访问会显示在这里。',
    fields: {
      name: '姓名',
      contactName: '联系人',
      email: '电子邮件',
      phone: '电话',
      postalAddress: '邮寄地址',
      description: '投诉内容',
      contactEmail: '案件邮箱',
      contactPhone: '案件电话',
      correspondence: '案件往来',
      answers: '开放题回答',
      message: '邮件正文',
    },
    removedStaff: '已删除的账户',
    removedCustomer: '已删除的客户',
  },
};

export const t = translatorOf({ ...shared.en, ...en }, { ...shared.zh, ...zh });
