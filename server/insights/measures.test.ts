import { describe, expect, it } from 'vitest';
import { templates } from '../../surveys/templates/index.ts';
import { countMeasure, defaultMetricOf, driverSetup, indexMeasure, itemValues, levelMeasure, measuresOf, metricsOf, planOf } from './measures.ts';

const cutoffs = { dissatisfiedBelow: 0.9, highlySatisfiedAbove: 1.1 };
const pair = (expectation: number, experience: number, importance?: number) => ({ expectation, experience, ...(importance ? { importance } : {}) });

describe('what a survey measures', () => {
  it('sets the ACSI items against overall satisfaction, the first item of the construct most paths lead into', () => {
    const setup = driverSetup(templates.acsi)!;
    expect(setup.overall.key).toBe('sat_overall');
    // Expectation, Quality and Value lead into Satisfaction: their items are the attributes.
    expect(setup.attributes.map((a) => a.key)).toEqual([
      'exp_overall', 'exp_needs', 'exp_reliability', 'qual_overall', 'qual_custom', 'qual_reliability', 'value_price', 'value_quality',
    ]);
    expect(setup.scale).toEqual({ min: 1, max: 10 });
    const plan = planOf('s1', templates.acsi);
    // The moment items: overall, attributes and the model's items, once each; never the conditional question.
    expect(plan.items).toContain('loyal_repurchase');
    expect(plan.items).not.toContain('complaint_handling');
    expect(new Set(plan.items).size).toBe(plan.items.length);
  });

  it('sets expectation/experience pairs (by experience) against the CSAT question', () => {
    const setup = driverSetup(templates['expectation-experience'])!;
    expect(setup.overall.key).toBe('overall');
    expect(setup.attributes.map((a) => a.key)).toEqual(['ee_product.b', 'ee_service.b', 'ee_communication.b', 'ee_customer_care.b', 'ee_company_image.b']);
    expect(setup.attributes[4]!.label).toEqual({ en: 'Company image', 'zh-CN': '企业形象' });
  });

  it('offers no drivers where nothing can be set against anything', () => {
    expect(driverSetup(templates['relationship-nps'])).toBeNull();
    expect(planOf('s', templates['relationship-nps']).items).toEqual([]);
  });

  it('names every figure a survey offers', () => {
    expect(metricsOf(templates['expectation-experience']).map((m) => m.key)).toEqual([
      'responses', 'csat:overall', 'c', 'c:product', 'c:service', 'c:communication', 'c:customer_care', 'c:company_image',
    ]);
    expect(metricsOf(templates.acsi).filter((m) => m.kind === 'acsi').map((m) => m.key)).toContain('acsi:Satisfaction');
  });

  it('opens a survey on its index where it has a model, else on its first figure that is not a count', () => {
    expect(defaultMetricOf(templates.acsi)).toBe('acsi:Satisfaction');
    expect(defaultMetricOf(templates['expectation-experience'])).toBe('csat:overall');
  });
});

describe('what one response adds', () => {
  const plan = planOf('s1', templates['expectation-experience']);

  it('adds each answer, each ratio, the weighted index and its level, and the flags as the count', () => {
    const answers = {
      ee_product: pair(5, 4, 7),
      ee_service: pair(4, 6, 1),
      ee_communication: pair(0, 3), // a = 0: no ratio
      overall: 4,
    };
    const { whole, continuous } = measuresOf(plan, answers, cutoffs, 5);
    expect(whole).toContainEqual([countMeasure, 5]);
    expect(whole).toContainEqual(['ee_product.a', 5]);
    expect(whole).toContainEqual(['ee_service.i', 1]);
    expect(whole).toContainEqual(['overall', 4]);
    expect(continuous).toContainEqual(['c:product', 0.8]);
    expect(continuous.find(([m]) => m === 'c:communication')).toBeUndefined();
    // (7 × 0.8 + 1 × 1.5) / 8; the pair without a ratio is left out (its importance would be the mean of the others).
    const index = continuous.find(([m]) => m === indexMeasure)![1];
    expect(index).toBeCloseTo((7 * 0.8 + 1 * 1.5) / 8, 12);
    expect(whole).toContainEqual([levelMeasure, 0]);
  });

  it('gives the moment items only when every one was answered', () => {
    const all = { ee_product: pair(5, 4), ee_service: pair(4, 6), ee_communication: pair(3, 3), ee_customer_care: pair(6, 5), ee_company_image: pair(2, 7), overall: 3 };
    expect(itemValues(plan, all)).toEqual([3, 4, 6, 3, 5, 7]);
    const { overall: _, ...withoutOverall } = all;
    expect(itemValues(plan, withoutOverall)).toBeNull();
  });
});
