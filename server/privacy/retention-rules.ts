// Retention's rules, without the database: the kinds of data it looks after, what it does to each, the period an
// admin sets per kind, the defaults, the cut-off a period gives, and when the daily run falls.
//
//   retentionKinds, retentionActions[kind]                 'anonymise' | 'erase'
//   defaultRetention → RetentionSettings
//   RetentionSettingsSchema                                valibot; v.safeParse(schema, input, { lang })
//   settingsFromSaved(saved) → RetentionSettings           the stored value read kind by kind over the defaults
//   cutoffOf(period, now) → epoch ms, or null for "keep"  rows older than it are due
//   runStart(now), nextRunStart(now)                       the daily run's period (19:00 UTC, 03:00 in China)
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';

// In the order the run takes them: rejected rows before the import records that take theirs with them.
export const retentionKinds = ['responses', 'cases', 'messages', 'sessions', 'rejections', 'imports', 'accessLog'] as const;
export type RetentionKind = (typeof retentionKinds)[number];

/**
 * What retention does to a row of each kind once its period has passed: survey answers and closed cases are
 * made anonymous (the figures keep them), everything else is erased.
 */
export const retentionActions: Record<RetentionKind, 'anonymise' | 'erase'> = {
  responses: 'anonymise',
  cases: 'anonymise',
  messages: 'erase',
  sessions: 'erase',
  imports: 'erase',
  rejections: 'erase',
  accessLog: 'erase',
};

export const periodUnits = ['days', 'months', 'years'] as const;
export type PeriodUnit = (typeof periodUnits)[number];

/** How long a kind of data is kept: "keep" (never removed), or a count of days, months or years. */
export type RetentionPeriod = { unit: 'keep' } | { unit: PeriodUnit; count: number };

export type RetentionSettings = Record<RetentionKind, RetentionPeriod>;

/**
 * Nothing that destroys survey data unless an admin asks; operational data goes after periods that cover
 * looking back at it (a staff session, an import's problems, a mail's fate) and an audit of staff reads.
 */
export const defaultRetention: RetentionSettings = {
  responses: { unit: 'keep' },
  cases: { unit: 'keep' },
  messages: { unit: 'years', count: 1 },
  sessions: { unit: 'days', count: 30 },
  imports: { unit: 'days', count: 90 },
  rejections: { unit: 'days', count: 90 },
  accessLog: { unit: 'years', count: 2 },
};

/** The longest period of each unit: a century. */
export const longestPeriod: Record<PeriodUnit, number> = { days: 36_500, months: 1200, years: 100 };

const unitNames: Record<PeriodUnit, string> = { days: '天', months: '个月', years: '年' };

const unitText = message('The unit is "keep", "days", "months" or "years".', '单位只能是 "keep"（保留）、"days"（天）、"months"（月）或 "years"（年）。');

export const RetentionPeriodSchema = v.variant(
  'unit',
  [
    v.object({ unit: v.literal('keep') }),
    ...periodUnits.map((unit) =>
      v.object({
        unit: v.literal(unit),
        count: v.pipe(
          v.number(message(`Give the number of ${unit} as a whole number.`, `请以整数填写${unitNames[unit]}数。`)),
          v.integer(message(`Give the number of ${unit} as a whole number.`, `请以整数填写${unitNames[unit]}数。`)),
          v.minValue(1, message(`Keep data for at least 1 ${unit.slice(0, -1)}, or choose "keep".`, `保留期至少为 1 ${unitNames[unit]}，或选择“一直保留”。`)),
          v.maxValue(longestPeriod[unit], message(`Keep data for at most ${longestPeriod[unit]} ${unit}, or choose "keep".`, `保留期最多为 ${longestPeriod[unit]} ${unitNames[unit]}，或选择“一直保留”。`)),
        ),
      }),
    ),
  ],
  unitText,
);

export const RetentionSettingsSchema = v.object(
  Object.fromEntries(retentionKinds.map((kind) => [kind, RetentionPeriodSchema])) as Record<RetentionKind, typeof RetentionPeriodSchema>,
  message('Send the retention settings as an object with a period for each kind of data.', '请以对象形式发送保留设置，每类数据一个保留期。'),
);

// The schema's output is the settings (checked by the compiler).
const _schemaGivesSettings = (value: v.InferOutput<typeof RetentionSettingsSchema>): RetentionSettings => value;
void _schemaGivesSettings;

/**
 * The settings as stored, read kind by kind: a kind the stored value lacks (one added since it was saved) takes
 * its default; a kind whose stored period does not read as one is kept ("keep"), so that a damaged value never
 * makes retention take more than an admin asked for, nor does it undo the other kinds' periods.
 */
export function settingsFromSaved(saved: unknown): RetentionSettings {
  const stored = typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? (saved as Record<string, unknown>) : null;
  const result = {} as RetentionSettings;
  for (const kind of retentionKinds) {
    if (saved === undefined || (stored !== null && stored[kind] === undefined)) {
      result[kind] = structuredClone(defaultRetention[kind]);
      continue;
    }
    const parsed = stored === null ? null : v.safeParse(RetentionPeriodSchema, stored[kind]);
    result[kind] = parsed?.success ? parsed.output : { unit: 'keep' };
  }
  return result;
}

const dayMs = 24 * 3600_000;

/**
 * The cut-off of a period at `now`: rows older than it are due (null: "keep", nothing is). Months and years
 * count on the calendar in UTC; a day that month lacks falls on its last day (31 March less a month is
 * 28 or 29 February).
 */
export function cutoffOf(period: RetentionPeriod, now: number): number | null {
  if (period.unit === 'keep') return null;
  if (period.unit === 'days') return now - period.count * dayMs;
  const months = period.unit === 'months' ? period.count : period.count * 12;
  const date = new Date(now);
  const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() - months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}

/** The daily run starts at this hour UTC: 03:00 in China, when fewest answers arrive. */
export const runHourUtc = 19;

/** The start of the run's period `now` falls in: the latest 19:00 UTC at or before it. */
export function runStart(now: number): number {
  const offset = runHourUtc * 3600_000;
  return Math.floor((now - offset) / dayMs) * dayMs + offset;
}

/** The next run's start after `now`. */
export const nextRunStart = (now: number) => runStart(now) + dayMs;
