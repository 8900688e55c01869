// A customer's personal link in real Chromium: the form in the customer's language, one answer, and the
// notice a second device sees when the link was answered meanwhile.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignInvitations, responses } from '../server/db/schema.ts';
import type { Worker } from '../server/jobs/queue.ts';
import { signedInAs } from './support/app.ts';
import { launchChromium, serveTestApp, type ServedApp } from './support/browser.ts';
import { addCustomer, publishedSurvey, startCampaignWorker } from './support/campaigns.ts';
import { waitFor } from './support/poll.ts';

let served: ServedApp;
let browser: Browser;
let worker: Worker;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  worker = startCampaignWorker(served);
});
afterAll(async () => {
  await worker?.stop();
  await browser?.close();
  await served?.stop();
});

describe('a personal link', () => {
  it('takes one answer tied to the customer, and tells a second device it was answered', async () => {
    const manager = await signedInAs(served, 'manager');
    const survey = await publishedSurvey(manager);
    const customerId = await addCustomer(served, { name: '王芳', email: 'wang@example.com', locale: 'zh-CN' });
    const { campaign } = await (await manager.request('POST', '/api/campaigns', { name: 'Spring', surveyId: survey.id, delivery: 'email', audience: {} })).json();
    await manager.request('POST', `/api/campaigns/${campaign.id}/launch`);
    const invitation = await waitFor('the invitation', async () => {
      const [row] = await served.db.select().from(campaignInvitations).where(eq(campaignInvitations.campaignId, campaign.id));
      return row?.token ? row : undefined;
    });
    const link = `${served.baseUrl}/i/${invitation.token}`;

    // A second device opens the link first and leaves the form open.
    const laterContext = await browser.newContext({ locale: 'en-US' });
    const later = await laterContext.newPage();
    await later.goto(link);

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(link);
    // The customer's language, not the browser's.
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('[data-question="csat"] label:has(input[type="radio"][value="5"])').click();
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('[data-testid="thank-you"]').waitFor();

    const stored = await served.db.select().from(responses);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ channel: 'mail', customerId, campaignId: campaign.id });

    await page.reload();
    await page.locator('[data-testid="thank-you"]').waitFor();

    await later.locator('[data-question="csat"] label:has(input[type="radio"][value="2"])').click();
    await later.getByRole('button', { name: '提交' }).click();
    await later.locator('[data-testid="already-answered"]').waitFor();
    expect(await later.locator('h1').textContent()).toBe('该邀请已经回答过');
    expect(await served.db.select().from(responses)).toHaveLength(1);
    await laterContext.close();
    await context.close();
  });
});
