// The kiosk pages' words in English and Chinese; web/staff/i18n.ts files them under "kiosk".
export const en = {
  title: 'Kiosks',
};

export const zh: typeof en = {
  title: '现场终端',
};
