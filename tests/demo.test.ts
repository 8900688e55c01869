import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillDemo } from '../server/demo.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

describe('npm run demo', () => {
  it('publishes /s/demo with responses over 90 days and the four channels, and is idempotent', async () => {
    const now = Date.UTC(2026, 10, 1);
    const first = await fillDemo(test.db, { responses: 400, now });
    expect(first.inserted).toBe(400);
    const again = await fillDemo(test.db, { responses: 400, now });
    expect(again.inserted).toBe(0);
    expect(again.surveyId).toBe(first.surveyId);

    const stats = await test.db.$client.execute(
      'SELECT channel, count(*) AS n, min(submitted_at) AS first, max(submitted_at) AS last FROM responses GROUP BY channel',
    );
    expect(stats.rows.map((row) => row.channel).sort()).toEqual(['mail', 'onsite', 'phone', 'web']);
    for (const row of stats.rows) {
      expect(Number(row.n)).toBeGreaterThan(20);
      expect(Number(row.first)).toBeGreaterThanOrEqual(now - 90 * 86_400_000);
      expect(Number(row.last)).toBeLessThanOrEqual(now);
    }
    const page = await test.app.request('/s/demo');
    expect(page.status).toBe(200);
  });

  it('adds only the missing responses when asked for more', async () => {
    await fillDemo(test.db, { responses: 50 });
    expect((await fillDemo(test.db, { responses: 80 })).inserted).toBe(30);
  });
});
