// The loyalty settings an admin or manager keeps (settings key `loyalty`): the window RFM and tiers look at,
// the currencies purchases may come in, the tier shares, the stage and churn cut-offs, the score's weights,
// the follow-ups the practice prescribes and the day count of "bought again" in our own TARP table.
//
//   LoyaltySettingsSchema                  valibot; messages in the reader's language: v.safeParse(schema, input, { lang })
//   defaultLoyaltySettings → LoyaltySettings
//   readLoyaltySettings(db | transaction) → LoyaltySettings     the defaults until saved
//   saveLoyaltySettings(db | transaction, value, userId) → void
import { inArray } from 'drizzle-orm';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { dbNow, settings } from '../db/schema.ts';
import type { DbOrTx } from '../jobs/queue.ts';

export const loyaltySettingsKey = 'loyalty';

export interface LoyaltySettings {
  /** RFM and the tiers look at purchases in this many months back from now. */
  windowMonths: number;
  /** Values are compared in the base currency; each known currency's rate is base units per one unit of it. */
  currency: { base: string; rates: Record<string, number> };
  /** The top customers by value holding about this share (%) of it are VIP; the next, important; the rest ordinary. */
  tierShares: { vip: number; important: number };
  stages: {
    /** New: a first purchase, or tenure shorter than this. */
    newTenureDays: number;
    /** Regular: at least this many purchases in 12 months. */
    regularPurchases: number;
    /** Long-standing: regular for at least this many years. */
    longStandingYears: number;
    /** Loyal: long-standing with a score of at least this and a recommendation of at least that (0-10). */
    loyalScore: number;
    loyalRecommendation: number;
  };
  churn: {
    /** Churned: no purchase within k × the customer's own median gap between purchases. */
    gapFactor: number;
    /** The gap used for a customer with one purchase, when the cohort gives none. */
    singlePurchaseGapDays: number;
    /** A complaint in this many days before churn makes it voiced. */
    voicedWithinDays: number;
  };
  /** The parts' weights in the score; they need not add to 1 (they are scaled). */
  weights: { attitude: number; behaviour: number; recovery: number };
  /** A full recompute runs every this many hours (besides the incremental updates). */
  recomputeEveryHours: number;
  followUp: {
    /** A thank-you contact this many days after a purchase (the practice: 3 days to a week). */
    thankYouAfterDays: { min: number; max: number };
    thankYouEnabled: boolean;
    /** VIP customers get a regular follow-up every this many weeks; 0: none. */
    vipEveryWeeks: number;
  };
  /** Our own TARP table counts a customer as having bought again within this many days after a complaint. */
  buyAgainWithinDays: number;
}

export const defaultLoyaltySettings: LoyaltySettings = {
  windowMonths: 12,
  currency: { base: 'CNY', rates: { CNY: 1 } },
  tierShares: { vip: 50, important: 30 },
  stages: { newTenureDays: 90, regularPurchases: 2, longStandingYears: 2, loyalScore: 70, loyalRecommendation: 9 },
  churn: { gapFactor: 3, singlePurchaseGapDays: 180, voicedWithinDays: 90 },
  weights: { attitude: 0.35, behaviour: 0.4, recovery: 0.25 },
  recomputeEveryHours: 24,
  followUp: { thankYouAfterDays: { min: 3, max: 7 }, thankYouEnabled: true, vipEveryWeeks: 8 },
  buyAgainWithinDays: 180,
};

// ---- the schema --------------------------------------------------------------------------------------

const number = (min: number, max: number, en: string, zh: string, whole = true) => {
  const text = message(`${en} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}.`, `${zh}必须是 ${min} 到 ${max} 之间的${whole ? '整数' : '数'}。`);
  return v.pipe(v.number(text), v.check((n) => Number.isFinite(n) && (!whole || Number.isInteger(n)) && n >= min && n <= max, text));
};
const currencyText = message('A currency is a three-letter ISO 4217 code, e.g. CNY or USD.', '货币须为三个字母的 ISO 4217 代码，例如 CNY 或 USD。');
const currencyCode = v.pipe(v.string(currencyText), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/, currencyText));
const rateText = message('A rate is how many base-currency units one unit of the currency is worth, a number above 0.', '汇率是一单位该货币折合多少本位币，须为大于 0 的数。');
const booleanText = (en: string, zh: string) => message(`${en} is true or false.`, `${zh}只能是 true 或 false。`);

export const LoyaltySettingsSchema = v.pipe(
  v.object({
    windowMonths: number(1, 60, 'The window in months', '统计窗口（月）'),
    currency: v.pipe(
      v.object({
        base: currencyCode,
        rates: v.pipe(
          v.record(currencyCode, v.pipe(v.number(rateText), v.check((n) => Number.isFinite(n) && n > 0, rateText))),
          v.check((rates) => Object.keys(rates).length <= 200, message('Keep at most 200 currencies.', '货币最多 200 种。')),
        ),
      }),
      v.forward(
        v.check((currency) => currency.rates[currency.base] === 1, message('The base currency is in the list with rate 1.', '本位币必须在列表中，且汇率为 1。')),
        ['rates'],
      ),
    ),
    tierShares: v.pipe(
      v.object({ vip: number(1, 98, 'The VIP share of value (%)', '贵宾型客户的价值占比（%）'), important: number(1, 98, 'The important share of value (%)', '重要型客户的价值占比（%）') }),
      v.check(
        (shares) => shares.vip + shares.important < 100,
        message('VIP and important together must hold less than 100% of value, leaving a share for ordinary customers.', '贵宾型与重要型的价值占比之和须小于 100%，为普通型客户留出份额。'),
      ),
    ),
    stages: v.object({
      newTenureDays: number(1, 3650, 'Days a customer stays new', '新客户期（天）'),
      regularPurchases: number(2, 1000, 'Purchases in 12 months that make a customer regular', '成为经常性客户所需的 12 个月内购买次数'),
      longStandingYears: number(1, 50, 'Years of being regular that make a customer long-standing', '成为老客户所需的经常性客户年数'),
      loyalScore: number(0, 100, 'The score a loyal customer reaches', '忠诚客户的最低忠诚度得分'),
      loyalRecommendation: number(0, 10, 'The recommendation (0-10) a loyal customer gives', '忠诚客户的最低推荐意愿（0-10）'),
    }),
    churn: v.object({
      gapFactor: number(1, 20, 'The churn factor k', '流失系数 k', false),
      singlePurchaseGapDays: number(1, 3650, 'The gap for a customer with one purchase (days)', '仅购买一次的客户的间隔（天）'),
      voicedWithinDays: number(1, 3650, 'Days before churn in which a complaint makes it voiced', '流失前多少天内有投诉即为有声流失'),
    }),
    weights: v.pipe(
      v.object({
        attitude: number(0, 1, 'The weight of attitude', '态度的权重', false),
        behaviour: number(0, 1, 'The weight of behaviour', '行为的权重', false),
        recovery: number(0, 1, 'The weight of complaint recovery', '投诉补救的权重', false),
      }),
      v.check((weights) => weights.attitude + weights.behaviour + weights.recovery > 0, message('Give at least one part a weight above 0.', '请至少给一个部分大于 0 的权重。')),
    ),
    recomputeEveryHours: number(1, 720, 'Hours between full recomputes', '两次全量重算的间隔（小时）'),
    followUp: v.object({
      thankYouAfterDays: v.pipe(
        v.object({ min: number(0, 60, 'The earliest thank-you day', '最早的致谢日'), max: number(0, 60, 'The latest thank-you day', '最晚的致谢日') }),
        v.check((days) => days.min <= days.max, message('The earliest thank-you day cannot be after the latest.', '最早的致谢日不能晚于最晚的致谢日。')),
      ),
      thankYouEnabled: v.boolean(booleanText('thankYouEnabled', '购买致谢开关')),
      vipEveryWeeks: number(0, 104, 'Weeks between VIP follow-ups (0 for none)', '贵宾回访间隔（周，0 为不回访）'),
    }),
    buyAgainWithinDays: number(1, 3650, 'Days in which a customer counts as buying again', '计为再次购买的天数'),
  }),
);

// The schema's output is the interface (checked by the compiler).
const _schemaGivesSettings = (value: v.InferOutput<typeof LoyaltySettingsSchema>): LoyaltySettings => value;
void _schemaGivesSettings;

// ---- storage -----------------------------------------------------------------------------------------

/** The saved settings; until someone saves them, the defaults. */
export async function readLoyaltySettings(db: DbOrTx): Promise<LoyaltySettings> {
  const [saved] = await db.select({ value: settings.value }).from(settings).where(inArray(settings.key, [loyaltySettingsKey]));
  const parsed = saved ? v.safeParse(LoyaltySettingsSchema, saved.value) : null;
  return parsed?.success ? parsed.output : structuredClone(defaultLoyaltySettings);
}

/** Stores settings already checked against LoyaltySettingsSchema. */
export async function saveLoyaltySettings(db: DbOrTx, value: LoyaltySettings, userId: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key: loyaltySettingsKey, value, updatedBy: userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: userId, updatedAt: dbNow } });
}
