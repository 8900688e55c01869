// Retention's pure rules: the cut-off a period gives, the daily run's hours, and what the settings accept.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { cutoffOf, defaultRetention, nextRunStart, RetentionSettingsSchema, runStart, settingsFromSaved } from './retention-rules.ts';

const at = (text: string) => Date.parse(text);

describe('cutoffOf', () => {
  it('keeps everything for "keep"', () => {
    expect(cutoffOf({ unit: 'keep' }, at('2026-12-06T10:00:00Z'))).toBeNull();
  });

  it('counts days back exactly', () => {
    expect(cutoffOf({ unit: 'days', count: 30 }, at('2026-12-06T10:00:00Z'))).toBe(at('2026-11-06T10:00:00Z'));
  });

  it('counts months and years on the calendar, a missing day falling on the month’s last', () => {
    expect(cutoffOf({ unit: 'months', count: 1 }, at('2026-03-31T08:30:00Z'))).toBe(at('2026-02-28T08:30:00Z'));
    expect(cutoffOf({ unit: 'months', count: 1 }, at('2028-03-31T08:30:00Z'))).toBe(at('2028-02-29T08:30:00Z'));
    expect(cutoffOf({ unit: 'months', count: 14 }, at('2026-01-15T00:00:00Z'))).toBe(at('2024-11-15T00:00:00Z'));
    expect(cutoffOf({ unit: 'years', count: 2 }, at('2026-12-06T10:00:00Z'))).toBe(at('2024-12-06T10:00:00Z'));
    expect(cutoffOf({ unit: 'years', count: 1 }, at('2028-02-29T12:00:00Z'))).toBe(at('2027-02-28T12:00:00Z'));
  });
});

describe('the daily run', () => {
  it('falls at 19:00 UTC (03:00 in China), the period running to the next one', () => {
    expect(runStart(at('2026-12-06T19:00:00Z'))).toBe(at('2026-12-06T19:00:00Z'));
    expect(runStart(at('2026-12-06T18:59:59Z'))).toBe(at('2026-12-05T19:00:00Z'));
    expect(runStart(at('2026-12-07T02:00:00Z'))).toBe(at('2026-12-06T19:00:00Z'));
    expect(nextRunStart(at('2026-12-06T20:00:00Z'))).toBe(at('2026-12-07T19:00:00Z'));
  });
});

describe('the settings', () => {
  it('take the defaults, which destroy no survey data', () => {
    expect(v.parse(RetentionSettingsSchema, defaultRetention)).toEqual(defaultRetention);
    expect(defaultRetention.responses).toEqual({ unit: 'keep' });
    expect(defaultRetention.cases).toEqual({ unit: 'keep' });
  });

  it('refuse a period a person could not mean, saying what to give, in either language', () => {
    const refused = (period: unknown, lang: 'en' | 'zh-CN') => {
      const result = v.safeParse(RetentionSettingsSchema, { ...defaultRetention, sessions: period }, { lang });
      expect(result.success).toBe(false);
      return result.issues!.map((issue) => issue.message).join(' ');
    };
    expect(refused({ unit: 'days', count: 0 }, 'en')).toContain('Keep data for at least 1 day, or choose "keep"');
    expect(refused({ unit: 'days', count: 2.5 }, 'en')).toContain('whole number');
    expect(refused({ unit: 'years', count: 101 }, 'en')).toContain('at most 100 years');
    expect(refused({ unit: 'weeks', count: 2 }, 'en')).toContain('"keep", "days", "months" or "years"');
    expect(refused({ unit: 'days', count: 0 }, 'zh-CN')).toContain('至少为 1 天');
    const missing = v.safeParse(RetentionSettingsSchema, { sessions: { unit: 'keep' } });
    expect(missing.success).toBe(false);
  });
});

describe('the saved settings, read back', () => {
  const set = { ...defaultRetention, responses: { unit: 'years', count: 3 }, cases: { unit: 'keep' }, messages: { unit: 'days', count: 400 } } as const;

  it('are the defaults until an admin saves them, and what was saved after', () => {
    expect(settingsFromSaved(undefined)).toEqual(defaultRetention);
    expect(settingsFromSaved(set)).toEqual(set);
  });

  it('give a kind added since the save its default, keeping every period the admin set', () => {
    const { accessLog: _added, ...savedBefore } = set;
    expect(settingsFromSaved(savedBefore)).toEqual({ ...set, accessLog: defaultRetention.accessLog });
  });

  it('keep the data of a kind whose saved period cannot be read, and never take more because of it', () => {
    const damaged = { ...set, messages: { unit: 'weeks', count: 2 }, sessions: { unit: 'days', count: 0 }, cases: 'keep' };
    expect(settingsFromSaved(damaged)).toEqual({ ...set, messages: { unit: 'keep' }, sessions: { unit: 'keep' }, cases: { unit: 'keep' } });
    for (const unreadable of [null, 'keep', [], 42]) {
      expect(Object.values(settingsFromSaved(unreadable))).toEqual(Object.values(defaultRetention).map(() => ({ unit: 'keep' })));
    }
  });
});
