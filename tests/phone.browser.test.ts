// An interviewer works a call list in real Chromium: takes the next customer, records "busy", is offered the
// next one, keys in that customer's answers and completes the call; the response is stored with channel
// phone and the interviewer's id.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { localMinutes } from '../server/campaigns/rules.ts';
import { callAttempts, campaignInvitations, campaigns, customers, responses, users } from '../server/db/schema.ts';
import { signedInAs } from './support/app.ts';
import { launchChromium, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
const hour = 3_600_000;

/** Calling hours from two hours before to two hours after the present moment in Shanghai. */
function hoursAroundNow() {
  const local = localMinutes(Date.now(), 'Asia/Shanghai');
  const clock = (minutes: number) => {
    const m = (minutes + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return { start: clock(local - 120), end: clock(local + 120) };
}

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await served.db.insert(users).values({
    id: 'interviewer-zhou',
    email: 'zhou@example.com',
    name: 'Zhou',
    role: 'interviewer',
    passwordHash: await hashPassword('interviewer password 3'),
  });
  const manager = await signedInAs(served, 'manager');
  const created = await (await manager.request('POST', '/api/surveys', { templateId: 'transactional-csat' })).json();
  const published = await (await manager.request('POST', `/api/surveys/${created.survey.id}/publish`)).json();
  await served.db.insert(campaigns).values({
    id: 'campaign-calls',
    name: 'After-sales calls',
    surveyId: created.survey.id,
    versionId: published.survey.versions[0].id,
    delivery: 'phone',
    status: 'running',
    settings: {
      phone: {
        maxAttempts: 3,
        callingHours: hoursAroundNow(),
        script: { en: 'Good day, this is Acme calling about your recent repair.', 'zh-CN': '您好，这里是 Acme，想了解您最近一次维修的体验。' },
      },
    },
    launchedAt: Date.now() - 24 * hour,
  });
  for (const [n, name] of [
    [1, 'Huang Lei'],
    [2, 'Grace Lin'],
  ] as const) {
    await served.db.insert(customers).values({ id: `customer-${n}`, name, phone: `+86 21 5555 000${n}`, locale: 'en', timeZone: 'Asia/Shanghai', consents: { phone: ['survey'] } });
    await served.db.insert(campaignInvitations).values({
      id: `invitation-${n}`,
      campaignId: 'campaign-calls',
      customerId: `customer-${n}`,
      dedupeKey: `campaign-calls:customer-${n}`,
      delivery: 'phone',
      token: `PHONETOKEN00000${n}`,
      locale: 'en',
      callState: 'open',
      // Huang has waited longest, so he is offered first.
      nextCallAt: Date.now() - (3 - n) * hour,
    });
  }
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('calling customers from the staff app', () => {
  it('records a busy line, then completes the next customer’s interview', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInThroughPage(page, served.baseUrl, 'zhou@example.com', 'interviewer password 3');
    await page.click('[data-testid="nav-calls"]');

    const row = page.locator('[data-testid="call-campaign"]');
    await row.waitFor();
    expect(await row.locator('[data-testid="due-now"]').textContent()).toBe('2');
    await row.locator('a', { hasText: 'After-sales calls' }).click();

    await page.click('[data-testid="next-customer"]');
    const name = page.locator('[data-testid="customer-name"]');
    await expect.poll(() => name.textContent()).toBe('Huang Lei');
    expect(await page.locator('[data-testid="customer-phone"]').getAttribute('href')).toBe('tel:+862155550001');
    expect(await page.locator('[data-testid="call-script"]').textContent()).toContain('Acme calling about your recent repair');
    expect(await page.locator('[data-testid="customer-local-time"]').textContent()).toContain('Asia/Shanghai');
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('[data-testid="outcome-busy"]');
    await expect.poll(() => page.locator('[data-testid="call-saved"]').textContent()).toContain('busy');
    await expect.poll(() => name.textContent()).toBe('Grace Lin');

    // Completing without an answer to the required question is caught on the screen.
    await page.click('[data-testid="outcome-completed"]');
    await page.locator('[data-testid="error-csat"]').waitFor();
    await page.locator('[data-question="csat"] .sv-point', { hasText: '4' }).click();
    await page.click('[data-testid="outcome-completed"]');
    await expect.poll(() => page.locator('[data-testid="call-saved"]').textContent()).toContain('interview is complete');
    // Huang's busy line is retried in 15 minutes: nobody is due now.
    await expect.poll(() => page.locator('[data-testid="nobody"]').textContent()).toContain('Nobody is due now');
    await context.close();

    const stored = await served.db.select().from(responses);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ channel: 'phone', interviewerId: 'interviewer-zhou', customerId: 'customer-2', campaignId: 'campaign-calls', answers: { csat: 4 } });
    const [huang] = await served.db.select().from(campaignInvitations).where(eq(campaignInvitations.id, 'invitation-1'));
    expect(huang).toMatchObject({ callState: 'open', callAttempts: 1, claimedBy: null });
    const attempts = await served.db.select().from(callAttempts);
    expect(attempts.map((attempt) => [attempt.invitationId, attempt.outcome]).sort()).toEqual([
      ['invitation-1', 'busy'],
      ['invitation-2', 'completed'],
    ]);
  });
});
