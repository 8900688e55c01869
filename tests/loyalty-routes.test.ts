// The loyalty routes for every role: the settings (read and saved) and the recompute on demand belong to
// admins and managers; support agents, interviewers and anyone signed out are refused. Saved settings are
// checked, with a message in the reader's language.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/accounts/service.ts';
import { jobs } from '../server/db/schema.ts';
import { recomputeJobKind } from '../server/loyalty/recompute.ts';
import { defaultLoyaltySettings, readLoyaltySettings } from '../server/loyalty/settings.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
type Who = Role | 'nobody';
const everyone: Who[] = ['admin', 'manager', 'support', 'interviewer', 'nobody'];
const clients = new Map<Who, StaffClient | null>();

beforeAll(async () => {
  test = await startTestApp();
  for (const who of everyone) clients.set(who, who === 'nobody' ? null : await signedInAs(test, who));
});
afterAll(() => test.close());

const managersOnly: Record<Who, number> = { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 };
const routes: { name: string; method: string; path: string; body?: unknown; expect: Record<Who, number> }[] = [
  { name: 'read the settings', method: 'GET', path: '/api/loyalty/settings', expect: managersOnly },
  { name: 'save the settings', method: 'PUT', path: '/api/loyalty/settings', body: defaultLoyaltySettings, expect: managersOnly },
  { name: 'see the recompute', method: 'GET', path: '/api/loyalty/recompute', expect: managersOnly },
  { name: 'ask for a recompute', method: 'POST', path: '/api/loyalty/recompute', expect: { ...managersOnly, admin: 202, manager: 202 } },
];

async function call(who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const client = clients.get(who);
  if (client) return client.request(method, path, body, headers);
  return test.app.request(path, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe('who may use the loyalty routes', () => {
  for (const route of routes) {
    for (const who of everyone) {
      it(`${route.name}: ${who} → ${route.expect[who]}`, async () => {
        const response = await call(who, route.method, route.path, route.body);
        expect(response.status, await response.text()).toBe(route.expect[who]);
      });
    }
  }
});

describe('the settings and the recompute', () => {
  it('saves checked settings and answers them back', async () => {
    await test.db.delete(jobs);
    const changed = { ...defaultLoyaltySettings, windowMonths: 6, currency: { base: 'CNY', rates: { CNY: 1, USD: 7.2 } } };
    const response = await call('manager', 'PUT', '/api/loyalty/settings', changed);
    expect(response.status).toBe(200);
    expect((await response.json()).settings).toMatchObject({ windowMonths: 6, currency: { rates: { USD: 7.2 } } });
    expect((await readLoyaltySettings(test.db)).windowMonths).toBe(6);
    // Everyone is worked out again with them: a recompute is waiting.
    expect(await test.db.$count(jobs, eq(jobs.kind, recomputeJobKind))).toBe(1);
    const read = await call('admin', 'GET', '/api/loyalty/settings');
    expect((await read.json()).settings.windowMonths).toBe(6);
  });

  it('refuses settings that do not add up, in the reader\'s language, and keeps the saved ones', async () => {
    const bad = { ...defaultLoyaltySettings, tierShares: { vip: 70, important: 40 } };
    const english = await call('manager', 'PUT', '/api/loyalty/settings', bad, { 'accept-language': 'en' });
    expect(english.status).toBe(400);
    expect(JSON.stringify(await english.json())).toContain('VIP and important together must hold less than 100% of value');
    const chinese = await call('manager', 'PUT', '/api/loyalty/settings', bad, { 'accept-language': 'zh-CN' });
    expect(JSON.stringify(await chinese.json())).toContain('贵宾型与重要型的价值占比之和须小于 100%');
    expect((await readLoyaltySettings(test.db)).tierShares).toEqual({ vip: 50, important: 30 });
  });

  it('a recompute asked for is one job, which the server\'s workers run', async () => {
    const response = await call('admin', 'POST', '/api/loyalty/recompute');
    expect(response.status).toBe(202);
    const { job } = await response.json();
    const [row] = await test.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row).toMatchObject({ kind: recomputeJobKind, status: 'pending', payload: { manual: true } });
    const state = await (await call('manager', 'GET', '/api/loyalty/recompute')).json();
    expect(state).toEqual({ running: null, last: null });
  });
});
