// An admin sets up an integration in real Chromium: creates an API key (shown once), the other system calls
// the API with it and its event shows on the page, then the admin revokes the key and the API refuses it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { createCampaign, launchCampaign } from '../server/campaigns/service.ts';
import { users } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
let campaignId: string;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await served.db.insert(users).values({
    id: 'admin-wang',
    email: 'wang@example.com',
    name: 'Wang',
    role: 'admin',
    passwordHash: await hashPassword('admin password 22'),
  });
  const survey = await createSurvey(served.db, { templateId: 'transactional-csat', createdBy: 'admin-wang' });
  await publish(served.db, { id: survey.id, publishedBy: 'admin-wang' });
  const draft = await createCampaign(
    served.db,
    { name: '购后回访', surveyId: survey.id, delivery: 'event', settings: { event: { delayHours: 48, eventTypes: [] } } },
    'admin-wang',
  );
  campaignId = (await launchCampaign(served.db, draft.id)).id;
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

function callApi(secret: string, method: string, path: string, body: unknown) {
  return fetch(`${served.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the Integrations page', () => {
  it('makes a key shown once, lists the events it reported, and revokes it after confirmation', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.baseUrl });
    const page = await context.newPage();
    await signInThroughPage(page, served.baseUrl, 'wang@example.com', 'admin password 22');
    await page.goto(`${served.baseUrl}/app/integrations`);
    await page.locator('[data-testid="keys-empty"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('系统集成');

    // A blank name is refused at its field, in Chinese.
    await page.click('[data-testid="create-key"]');
    await page.locator('#key-name-error').waitFor();
    expect(await page.locator('#key-name-error').textContent()).toContain('命名');

    await page.fill('#key-name', '网上商城');
    await page.click('[data-testid="create-key"]');
    const secret = (await page.locator('[data-testid="new-key-secret"]').textContent())!;
    expect(secret).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
    expect(await page.locator('[data-testid="new-key"]').textContent()).toContain('只显示这一次');
    await page.locator('[data-testid="new-key"] button', { hasText: '复制' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await page.locator('[data-testid="key-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="key-row"]').textContent()).toContain(secret.slice(0, 8));
    expect(await seriousViolations(page)).toEqual([]);

    // The other system sends a customer and an event with the key.
    expect((await callApi(secret, 'PUT', '/api/v1/customers/C-9', { name: '周杰', email: 'zhou@example.com', preferredChannel: 'email' })).status).toBe(201);
    const reported = await callApi(secret, 'POST', '/api/v1/events', { id: 'order-77', type: 'purchase', customer: 'C-9', campaign: campaignId });
    expect(reported.status).toBe(202);

    // After a reload the secret is gone for good; the event shows with its customer and campaign.
    await page.reload();
    await page.locator('[data-testid="event-row"]').waitFor();
    expect(await page.locator('[data-testid="new-key"]').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    const row = await page.locator('[data-testid="event-row"]').textContent();
    expect(row).toContain('order-77');
    expect(row).toContain('周杰');
    expect(row).toContain('购后回访');
    expect(row).toContain('已排期');
    expect(await page.locator('.integration-howto pre').first().textContent()).toContain(`${served.baseUrl}/api/v1/customers/`);
    expect(await page.locator('.integration-howto pre').nth(1).textContent()).toContain(`"campaign":"${campaignId}"`);
    expect(await page.locator('[data-testid="event-campaign-row"]').textContent()).toContain('任意类型');
    expect(await pageFitsWidth(page)).toBe(true);

    // Revoking asks first; cancelling keeps the key working.
    await page.click('[data-testid="revoke-key"]');
    await page.locator('dialog[open]').waitFor();
    await page.locator('dialog[open] button', { hasText: '取消' }).click();
    expect((await callApi(secret, 'PUT', '/api/v1/customers/C-9', { name: '周杰' })).status).toBe(200);

    await page.click('[data-testid="revoke-key"]');
    await page.click('[data-testid="confirm-revoke"]');
    await page.locator('[data-testid="key-row"][data-revoked="true"]').waitFor();
    expect(await page.locator('[data-testid="revoke-key"]').count()).toBe(0);
    const refused = await callApi(secret, 'PUT', '/api/v1/customers/C-9', { name: '周杰' });
    expect(refused.status).toBe(401);
    await context.close();
  });
});
