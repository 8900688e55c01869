import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveInsightSettings, defaultInsightSettings } from '../server/insights/settings.ts';
import { complaintSettingsSaved, defaultComplaintSettings, readComplaintSettings, saveComplaintSettings } from '../server/complaints/settings.ts';
import { settings } from '../server/db/schema.ts';
import { startTestApp, type TestApp } from './support/app.ts';

describe('complaint settings in the database', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startTestApp();
  });
  afterEach(() => test.close());

  it('start as the defaults in the reporting time zone, until saved', async () => {
    expect(await readComplaintSettings(test.db)).toEqual(defaultComplaintSettings('Asia/Shanghai'));
    await saveInsightSettings(test.db, { ...defaultInsightSettings, timeZone: 'America/New_York' }, 'admin-1');
    expect((await readComplaintSettings(test.db)).calendar.timeZone).toBe('America/New_York');
    expect(await complaintSettingsSaved(test.db)).toBe(false);
  });

  it('read back what was saved, also inside a transaction, and keep their own time zone', async () => {
    const value = defaultComplaintSettings('Europe/London');
    value.calendar.holidays = ['2026-12-25'];
    value.categories[0]!.major = true;
    await saveComplaintSettings(test.db, value, 'admin-1');
    await saveInsightSettings(test.db, { ...defaultInsightSettings, timeZone: 'America/New_York' }, 'admin-1');
    expect(await readComplaintSettings(test.db)).toEqual(value);
    expect(await test.db.transaction((tx) => readComplaintSettings(tx))).toEqual(value);
    value.closeAfterDays = 3;
    await test.db.transaction((tx) => saveComplaintSettings(tx, value, 'admin-2'));
    expect((await readComplaintSettings(test.db)).closeAfterDays).toBe(3);
    const rows = await test.db.select().from(settings);
    expect(rows.find((row) => row.key === 'complaints')?.updatedBy).toBe('admin-2');
    expect(await complaintSettingsSaved(test.db)).toBe(true);
  });

  it('fall back to the defaults when what is stored no longer fits the schema', async () => {
    await test.db.insert(settings).values({ key: 'complaints', value: { categories: 'broken' } });
    expect(await readComplaintSettings(test.db)).toEqual(defaultComplaintSettings('Asia/Shanghai'));
  });
});
