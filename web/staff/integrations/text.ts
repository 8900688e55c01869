// The integrations pages' words in English and Chinese; web/staff/i18n.ts files them under "integrations".
export const en = {
  title: 'Integrations',
};

export const zh: typeof en = {
  title: '系统集成',
};
