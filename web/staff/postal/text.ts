// The postal pages' words in English and Chinese; web/staff/i18n.ts files them under "postal".
export const en = {
  title: 'Data entry',
};

export const zh: typeof en = {
  title: '问卷录入',
};
