// The phone pages' words in English and Chinese; web/staff/i18n.ts files them under "phone".
export const en = {
  title: 'Calls',
};

export const zh: typeof en = {
  title: '电话调查',
};
