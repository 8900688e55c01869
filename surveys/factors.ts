// Names of the five satisfaction factors in both languages, for the public page and the staff app alike.
// Plain data with no runtime imports, so the public bundle can carry it.
import type { satisfactionFactors } from './definition.ts';

type FactorNames = Record<(typeof satisfactionFactors)[number], string>;

export const factorNames: Record<'en' | 'zh-CN', FactorNames> = {
  en: {
    product: 'Product',
    service: 'Service',
    communication: 'Communication',
    customer_care: 'Customer care',
    company_image: 'Company image',
  },
  'zh-CN': {
    product: '产品',
    service: '服务',
    communication: '沟通',
    customer_care: '客户关怀',
    company_image: '企业形象',
  },
};
