// How the dashboard counts: the reporting time zone, the level cut-offs and the word-of-mouth numbers,
// set by an admin (settings key `insights`), and each manager's weekly-summary choice.
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { defaultCutoffs, defaultWordOfMouth } from '../../surveys/indices/expectation.ts';
import type { Db } from '../db/client.ts';
import { dbNow, settings } from '../db/schema.ts';
import type { InsightSettings, SubscriptionSettings } from './types.ts';
import { isTimeZone } from '../../surveys/time-zones.ts';

export const insightSettingsKey = 'insights';
export const subscriptionKey = (userId: string) => `weekly_summary:${userId}`;

export const defaultInsightSettings: InsightSettings = {
  timeZone: 'Asia/Shanghai',
  cutoffs: { ...defaultCutoffs },
  wordOfMouth: { ...defaultWordOfMouth },
};

const zoneText = message('The time zone must be an IANA name such as Asia/Shanghai or Europe/London.', '时区必须是 IANA 名称，例如 Asia/Shanghai 或 Europe/London。');
const cutoffText = message('A cut-off is a number from 0.1 to 10, e.g. 0.9.', '分界值必须是 0.1 到 10 之间的数字，例如 0.9。');
const cutoff = v.pipe(v.number(cutoffText), v.minValue(0.1, cutoffText), v.maxValue(10, cutoffText));
const peopleText = message('People told must be a whole number from 0 to 1000.', '告知人数必须是 0 到 1000 之间的整数。');
const people = v.pipe(v.number(peopleText), v.integer(peopleText), v.minValue(0, peopleText), v.maxValue(1000, peopleText));

export const InsightSettingsSchema = v.object({
  timeZone: v.pipe(v.string(zoneText), v.trim(), v.check(isTimeZone, zoneText)),
  cutoffs: v.pipe(
    v.object({ dissatisfiedBelow: cutoff, highlySatisfiedAbove: cutoff }),
    v.forward(
      v.check(
        (c) => c.dissatisfiedBelow <= c.highlySatisfiedAbove,
        message('The highly satisfied cut-off must not be below the dissatisfied one.', '高度满意的分界值不能低于不满意的分界值。'),
      ),
      ['highlySatisfiedAbove'],
    ),
  ),
  wordOfMouth: v.object({ dissatisfied: people, satisfied: people, highly_satisfied: people }),
});

export const SubscriptionSchema = v.object({
  weeklySummary: v.boolean(message('weeklySummary is true or false.', 'weeklySummary 只能是 true 或 false。')),
  locale: v.picklist(['zh-CN', 'en'], message('The language must be zh-CN or en.', '语言必须是 zh-CN 或 en。')),
});

export async function readInsightSettings(db: Db): Promise<InsightSettings> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, insightSettingsKey));
  const parsed = v.safeParse(InsightSettingsSchema, row?.value);
  return parsed.success ? parsed.output : defaultInsightSettings;
}

export async function saveInsightSettings(db: Db, value: InsightSettings, userId: string) {
  await db
    .insert(settings)
    .values({ key: insightSettingsKey, value, updatedBy: userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: userId, updatedAt: dbNow } });
}

/** What the aggregates depend on: a change to either rebuilds them. */
export function basisOf(value: InsightSettings): string {
  return JSON.stringify({ timeZone: value.timeZone, cutoffs: value.cutoffs });
}

export async function readSubscription(db: Db, userId: string, fallbackLocale: 'zh-CN' | 'en'): Promise<SubscriptionSettings> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, subscriptionKey(userId)));
  const parsed = v.safeParse(SubscriptionSchema, row?.value);
  return parsed.success ? parsed.output : { weeklySummary: false, locale: fallbackLocale };
}

export async function saveSubscription(db: Db, userId: string, value: SubscriptionSettings) {
  await db
    .insert(settings)
    .values({ key: subscriptionKey(userId), value, updatedBy: userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: userId, updatedAt: dbNow } });
}
