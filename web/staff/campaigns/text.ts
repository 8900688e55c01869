// The campaigns pages' words in English and Chinese; web/staff/i18n.ts files them under "campaigns".
export const en = {
  title: 'Campaigns',
};

export const zh: typeof en = {
  title: '调查活动',
};
