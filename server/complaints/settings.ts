// The complaint settings an admin or manager keeps (settings key `complaints`): categories, what makes a case
// major, the business calendar, the deadline targets, the windows after resolution and who gets deadline mail.
//
//   interface ComplaintSettings { categories: { key; label: LocalizedText; major; retired? }[]; majorOrderValue: number | null;
//     calendar: BusinessCalendar; targets: DeadlineTargets; closeAfterDays; reopenWindowDays; followUpDelayHours; alertManagerIds: string[] }
//   ComplaintSettingsSchema                     valibot; messages in the reader's language: v.safeParse(schema, input, { lang })
//   defaultComplaintSettings(timeZone) → ComplaintSettings
//   readComplaintSettings(db: Db | transaction) → ComplaintSettings    defaults (in the reporting time zone) until saved
//   saveComplaintSettings(db: Db | transaction, value, userId) → void
//   severityFor(settings, { category, orderValue, asked? }) → CaseSeverity
import { eq, inArray } from 'drizzle-orm';
import * as v from 'valibot';
import type { LocalizedText } from '../../surveys/definition.ts';
import { LocalizedText as LocalizedTextSchema } from '../../surveys/definition.ts';
import { message } from '../../surveys/i18n.ts';
import { dbNow, settings } from '../db/schema.ts';
import { defaultInsightSettings, insightSettingsKey, InsightSettingsSchema } from '../insights/settings.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { dayNumberOf, minutesOf, type BusinessCalendar, type DayHours } from './calendar.ts';
import type { DeadlineTargets } from './deadlines.ts';
import { defaultCaseCategories, type CaseSeverity } from './vocabulary.ts';
import { isTimeZone } from '../../surveys/time-zones.ts';

export const complaintSettingsKey = 'complaints';

export interface CaseCategory {
  /** Stable: cases store it. Retire a category instead of removing it. */
  key: string;
  label: LocalizedText;
  /** A case in this category is major. */
  major: boolean;
  /** Kept for the cases that have it; not offered for new ones. */
  retired?: boolean;
}

export interface ComplaintSettings {
  categories: CaseCategory[];
  /** An order value at or above it makes a case major; null: order value does not count. */
  majorOrderValue: number | null;
  calendar: BusinessCalendar;
  /** In business hours. */
  targets: DeadlineTargets;
  /** Resolved with no reply from the customer for this many days → closed. */
  closeAfterDays: number;
  /** A customer reply within this many days of closing reopens the case; later, a new linked case opens. */
  reopenWindowDays: number;
  /** The post-resolution survey goes out this many hours after resolving. */
  followUpDelayHours: number;
  /** The managers who get deadline mail besides the assignee; empty: every active manager. */
  alertManagerIds: string[];
}

const categoryLabels: Record<(typeof defaultCaseCategories)[number], LocalizedText> = {
  product: { en: 'Product', 'zh-CN': '产品' },
  service: { en: 'Service', 'zh-CN': '服务' },
  delivery: { en: 'Delivery', 'zh-CN': '配送' },
  billing: { en: 'Billing', 'zh-CN': '账单' },
  staff_attitude: { en: 'Staff attitude', 'zh-CN': '员工态度' },
  other: { en: 'Other', 'zh-CN': '其他' },
};

const nineToSix: DayHours = { start: '09:00', end: '18:00' };

/** The settings a new installation starts with: Mon–Fri 09:00–18:00 in the given (reporting) time zone, no holidays. */
export function defaultComplaintSettings(timeZone: string = defaultInsightSettings.timeZone): ComplaintSettings {
  return {
    categories: defaultCaseCategories.map((key) => ({ key, label: { ...categoryLabels[key] }, major: false })),
    majorOrderValue: null,
    calendar: {
      timeZone,
      alwaysOpen: false,
      week: [nineToSix, nineToSix, nineToSix, nineToSix, nineToSix, null, null].map((hours) => (hours ? { ...hours } : null)),
      holidays: [],
      extraWorkdays: [],
    },
    targets: { firstResponseHours: 24, nextResponseHours: { minor: 24, major: 8 }, resolutionHours: { minor: 72, major: 40 } },
    closeAfterDays: 7,
    reopenWindowDays: 14,
    followUpDelayHours: 24,
    alertManagerIds: [],
  };
}

// ---- the schema --------------------------------------------------------------------------------------

const zoneText = message('The time zone must be an IANA name such as Asia/Shanghai or Europe/London.', '时区必须是 IANA 名称，例如 Asia/Shanghai 或 Europe/London。');
const keyText = message(
  'A category key is 1 to 40 lower-case letters, digits or _, starting with a letter, e.g. staff_attitude.',
  '类别代码为 1 到 40 个小写字母、数字或下划线，以字母开头，例如 staff_attitude。',
);
const timeText = message('A time of day is written HH:MM from 00:00 to 24:00, e.g. 09:00 or 24:00.', '时间写作 HH:MM，从 00:00 到 24:00，例如 09:00 或 24:00。');
const dateText = message('A date is written YYYY-MM-DD and must exist, e.g. 2026-10-01.', '日期写作 YYYY-MM-DD，且必须是真实日期，例如 2026-10-01。');
const booleanText = (field: string, zh: string) => message(`${field} is true or false.`, `${zh}只能是 true 或 false。`);

const time = v.pipe(v.string(timeText), v.trim(), v.check((text) => minutesOf(text) !== null, timeText));
const date = v.pipe(v.string(dateText), v.trim(), v.check((text) => dayNumberOf(text) !== null, dateText));
const dates = (en: string, zh: string) =>
  v.pipe(
    v.array(date, message(`${en} must be a list of dates.`, `${zh}必须是日期列表。`)),
    v.maxLength(1000, message(`List at most 1000 ${en.toLowerCase()}; remove past years.`, `${zh}最多 1000 个；请删除往年的日期。`)),
    v.transform((list) => [...new Set(list)].sort()),
  );

const DayHoursSchema = v.nullable(
  v.pipe(
    v.object({ start: time, end: time }, message('Each weekday is closed (null) or has a start and an end, e.g. 09:00 to 18:00.', '每个工作日要么休息（null），要么有开始和结束时间，例如 09:00 到 18:00。')),
    v.forward(
      v.check(
        (hours) => {
          const [start, end] = [minutesOf(hours.start), minutesOf(hours.end)];
          return start === null || end === null || end > start; // a malformed time has its own message
        },
        message('The end of business hours must be after their start (use 24:00 for midnight).', '营业结束时间必须晚于开始时间（午夜请写 24:00）。'),
      ),
      ['end'],
    ),
  ),
);

const CalendarSchema = v.pipe(
  v.object({
    timeZone: v.pipe(v.string(zoneText), v.trim(), v.check(isTimeZone, zoneText)),
    alwaysOpen: v.boolean(booleanText('alwaysOpen (24x7)', '全天候（alwaysOpen）')),
    week: v.pipe(
      v.array(DayHoursSchema, message('The week is a list of 7 days, Monday first.', '一周是 7 天的列表，从星期一开始。')),
      v.length(7, message('The week is a list of 7 days, Monday first.', '一周是 7 天的列表，从星期一开始。')),
    ),
    holidays: dates('Holidays', '节假日'),
    extraWorkdays: dates('Extra workdays', '调休工作日'),
  }),
  v.forward(
    v.check(
      (calendar) => calendar.alwaysOpen || calendar.week.some((hours) => hours !== null),
      message('Open at least one weekday, or choose 24x7; otherwise no deadline could ever fall due.', '请至少开放一个工作日，或选择全天候；否则任何时限都不会到期。'),
    ),
    ['week'],
  ),
  v.forward(
    v.check(
      (calendar) => !calendar.extraWorkdays.some((day) => calendar.holidays.includes(day)),
      message('A date cannot be both a holiday and an extra workday; remove it from one list.', '同一日期不能既是节假日又是调休工作日；请从其中一个列表删除。'),
    ),
    ['extraWorkdays'],
  ),
);

const hoursText = message('A target is a number of business hours greater than 0 and at most 8760 (a year), e.g. 24.', '时限是大于 0、不超过 8760（一年）的工作小时数，例如 24。');
const hours = v.pipe(v.number(hoursText), v.gtValue(0, hoursText), v.maxValue(8760, hoursText));
const bySeverity = v.object({ minor: hours, major: hours });

const wholeNumber = (min: number, max: number, en: string, zh: string) => {
  const text = message(`${en} must be a whole number from ${min} to ${max}.`, `${zh}必须是 ${min} 到 ${max} 之间的整数。`);
  return v.pipe(v.number(text), v.check((n) => Number.isInteger(n) && n >= min && n <= max, text));
};

const CategorySchema = v.object({
  key: v.pipe(v.string(keyText), v.trim(), v.regex(/^[a-z][a-z0-9_]{0,39}$/, keyText)),
  label: LocalizedTextSchema,
  major: v.boolean(booleanText('major', '重大')),
  retired: v.optional(v.boolean(booleanText('retired', '停用'))),
});

const staffIdText = message('Each alert manager is a staff id.', '每位提醒经理都必须是员工 ID。');
const orderValueText = message('The order value that makes a case major is a number of 0 or more, or empty for none.', '使投诉成为重大的订单金额必须是不小于 0 的数字，或留空表示不使用。');

export const ComplaintSettingsSchema = v.object({
  categories: v.pipe(
    v.array(CategorySchema, message('Categories must be a list.', '类别必须是列表。')),
    v.maxLength(100, message('Keep at most 100 categories.', '类别最多 100 个。')),
    v.check(
      (list) => new Set(list.map((category) => category.key)).size === list.length,
      message('Each category key must be different; two categories share a key.', '每个类别代码必须不同；有两个类别使用了相同的代码。'),
    ),
    v.check(
      (list) => list.some((category) => !category.retired),
      message('Keep at least one category that is not retired, so new cases can be filed.', '请至少保留一个未停用的类别，以便登记新的投诉。'),
    ),
  ),
  majorOrderValue: v.nullable(v.pipe(v.number(orderValueText), v.finite(orderValueText), v.minValue(0, orderValueText))),
  calendar: CalendarSchema,
  targets: v.object({ firstResponseHours: hours, nextResponseHours: bySeverity, resolutionHours: bySeverity }),
  closeAfterDays: wholeNumber(1, 365, 'Days before a resolved case closes', '已解决投诉自动关闭前的天数'),
  reopenWindowDays: wholeNumber(0, 365, 'Days in which a reply reopens a closed case', '回复可重新打开已关闭投诉的天数'),
  followUpDelayHours: wholeNumber(0, 720, 'Hours before the follow-up survey', '回访问卷发送前的小时数'),
  alertManagerIds: v.pipe(
    v.array(v.pipe(v.string(staffIdText), v.trim(), v.nonEmpty(staffIdText)), message('Alert managers must be a list of staff ids.', '提醒经理必须是员工 ID 列表。')),
    v.maxLength(100, message('Name at most 100 managers for deadline mail.', '时限提醒最多指定 100 位经理。')),
    v.transform((list) => [...new Set(list)]),
  ),
});

// The schema's output is the interface (checked by the compiler).
const _schemaGivesSettings = (value: v.InferOutput<typeof ComplaintSettingsSchema>): ComplaintSettings => value;
void _schemaGivesSettings;

// ---- storage -----------------------------------------------------------------------------------------

/** The saved settings; until an admin saves them, the defaults in the reporting time zone. One query. */
export async function readComplaintSettings(db: DbOrTx): Promise<ComplaintSettings> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, [complaintSettingsKey, insightSettingsKey]));
  const saved = rows.find((row) => row.key === complaintSettingsKey);
  if (saved) {
    const parsed = v.safeParse(ComplaintSettingsSchema, saved.value);
    if (parsed.success) return parsed.output;
  }
  const insights = v.safeParse(InsightSettingsSchema, rows.find((row) => row.key === insightSettingsKey)?.value);
  return defaultComplaintSettings(insights.success ? insights.output.timeZone : defaultInsightSettings.timeZone);
}

/** Stores settings already checked against ComplaintSettingsSchema. */
export async function saveComplaintSettings(db: DbOrTx, value: ComplaintSettings, userId: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key: complaintSettingsKey, value, updatedBy: userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: userId, updatedAt: dbNow } });
}

/** Whether complaint settings have been saved (else readComplaintSettings gives the defaults). */
export async function complaintSettingsSaved(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ key: settings.key }).from(settings).where(eq(settings.key, complaintSettingsKey));
  return row !== undefined;
}

// ---- severity ------------------------------------------------------------------------------------------

/**
 * A case is major when whoever opens it asks for major, or its category is marked major, or its order value is
 * at or above the settings' majorOrderValue. Asking for minor does not lower a case the rules make major (an
 * agent changes severity afterwards, on the record). An unknown category counts as not major.
 */
export function severityFor(settings: ComplaintSettings, input: { category: string; orderValue: number | null; asked?: CaseSeverity }): CaseSeverity {
  if (input.asked === 'major') return 'major';
  if (settings.categories.some((category) => category.key === input.category && category.major)) return 'major';
  if (settings.majorOrderValue !== null && input.orderValue !== null && input.orderValue >= settings.majorOrderValue) return 'major';
  return 'minor';
}
