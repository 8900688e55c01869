// A kiosk in real Chromium: answers given with no network wait on the device and arrive once each when it
// returns; a reload with no network still shows the form; a half-filled form starts over when left alone.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, responses } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { signedInAs } from './support/app.ts';
import { launchChromium, serveTestApp, type ServedApp } from './support/browser.ts';
import { waitFor } from './support/poll.ts';

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '门店体验', en: 'Store visit' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '您有多大可能推荐我们？', en: 'How likely are you to recommend us?' } },
    { id: 'comment', type: 'text', required: false, maxLength: 200, multiline: true, title: { 'zh-CN': '其他意见', en: 'Anything else?' } },
  ],
};

let served: ServedApp;
let browser: Browser;
let surveyId: string;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  const manager = await signedInAs(served, 'manager');
  const created = await (await manager.request('POST', '/api/surveys', { definition, slug: 'store-visit' })).json();
  await manager.request('POST', `/api/surveys/${created.survey.id}/publish`);
  surveyId = created.survey.id;
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function addKiosk(idleSeconds: number, location = 'Shanghai Lobby 1') {
  const id = randomUUID();
  const kioskKey = randomUUID().replace(/-/g, '');
  await served.db.insert(campaigns).values({
    id,
    name: 'Lobby kiosk',
    surveyId,
    delivery: 'kiosk',
    status: 'running',
    settings: { kiosk: { location, idleSeconds } },
    kioskKey,
  });
  return { id, key: kioskKey };
}

async function storedFor(campaignId: string) {
  return served.db
    .select({ id: responses.id, channel: responses.channel, hiddenFields: responses.hiddenFields })
    .from(responses)
    .where(eq(responses.campaignId, campaignId));
}

/** Picks a point on a scale; the radios are styled as buttons, so click the label that holds one. */
async function choose(page: Page, question: string, value: number) {
  await page.locator(`[data-question="${question}"] label:has(input[type="radio"][value="${value}"])`).click();
}

async function formId(page: Page) {
  return page.locator('[data-testid="kiosk-form"]').getAttribute('data-response-id');
}

async function answerOnce(page: Page, nps: number) {
  const before = await formId(page);
  await choose(page, 'nps', nps);
  await page.click('[data-testid="submit"]');
  await page.waitForSelector('[data-testid="thank-you"]');
  // Thanks for a few seconds, then a fresh, empty form with a new response id.
  await page.waitForFunction(
    (previous) => {
      const form = document.querySelector('[data-testid="kiosk-form"]');
      return form && form.getAttribute('data-response-id') !== previous && !form.querySelector('input:checked');
    },
    before,
    { timeout: 15_000 },
  );
}

describe('a kiosk with no network', () => {
  it('keeps three answers on the device, survives a reload, and sends each exactly once when back online', async () => {
    const kiosk = await addKiosk(120);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const replies: number[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && response.url().includes('/api/public/kiosk/')) replies.push(response.status());
    });
    await page.goto(`${served.baseUrl}/k/${kiosk.key}`);
    await page.click('[data-testid="kiosk-start-button"]');
    await page.waitForSelector('[data-testid="kiosk-form"]');
    await page.waitForSelector('html[data-offline-ready="true"]');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await expect.poll(() => page.textContent('[data-testid="kiosk-status"]')).toContain('All answers sent');

    await context.setOffline(true);
    for (const nps of [9, 4, 10]) await answerOnce(page, nps);
    await expect.poll(() => page.textContent('[data-testid="kiosk-status"]')).toContain('3 answers waiting to send');
    expect(await storedFor(kiosk.id)).toHaveLength(0);

    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await page.click('[data-testid="kiosk-start-button"]');
    await page.waitForSelector('[data-testid="kiosk-form"] [data-question="nps"]');
    await expect.poll(() => page.textContent('[data-testid="kiosk-status"]')).toContain('3 answers waiting to send');

    await context.setOffline(false);
    const rows = await waitFor('the three kiosk answers', async () => {
      const stored = await storedFor(kiosk.id);
      return stored.length >= 3 && stored;
    }, { withinMs: 30_000, everyMs: 100 });
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.channel === 'onsite' && row.hiddenFields?.location === 'Shanghai Lobby 1')).toBe(true);
    await expect.poll(() => page.textContent('[data-testid="kiosk-status"]')).toContain('All answers sent');

    // The next drain sends a fourth answer and nothing else: the three are stored once each.
    await answerOnce(page, 7);
    const after = await waitFor('the fourth answer', async () => {
      const stored = await storedFor(kiosk.id);
      return stored.length >= 4 && stored;
    });
    expect(after).toHaveLength(4);
    expect(after.filter((row) => rows.some((first) => first.id === row.id))).toHaveLength(3);
    // A send whose reply was lost is sent again and answered 200 (already stored); each answer is stored once.
    // The page hears the last reply a moment after the row is stored, and then says so.
    await expect.poll(() => page.textContent('[data-testid="kiosk-status"]')).toContain('All answers sent');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((status) => status === 201 || status === 200)).toBe(true);
    expect(await storedFor(kiosk.id)).toHaveLength(4);
    await context.close();
  });
});

describe('the thank-you of a kiosk', () => {
  const words = {
    'en-US': { saved: 'Your answers are saved on this kiosk', offline: 'they will be sent when it is back online', sent: 'Your answers have been sent' },
    'zh-CN': { saved: '您的回答已保存在本设备上', offline: '恢复联网后会自动发送', sent: '您的回答已提交' },
  };
  it.each(Object.entries(words))('in %s says the answer is kept on the kiosk while offline, then that it was sent', async (locale, expected) => {
    const kiosk = await addKiosk(120);
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/k/${kiosk.key}`);
    await page.click('[data-testid="kiosk-start-button"]');
    await page.waitForSelector('[data-testid="kiosk-form"]');
    await context.setOffline(true);
    await choose(page, 'nps', 8);
    await page.click('[data-testid="submit"]');
    const thanks = page.locator('[data-testid="thank-you"] h1');
    await thanks.waitFor();
    expect(await thanks.textContent()).toBe(expected.saved);
    const delivery = page.locator('[data-testid="kiosk-delivery"]');
    expect(await delivery.isVisible()).toBe(true);
    expect(await delivery.textContent()).toContain(expected.offline);
    expect(await page.locator('[data-testid="thank-you"]').textContent()).not.toContain(expected.sent);

    await context.setOffline(false);
    await expect.poll(() => thanks.textContent()).toBe(expected.sent);
    expect(await thanks.isVisible()).toBe(true);
    expect(await storedFor(kiosk.id)).toHaveLength(1);
    await context.close();
  });
});

describe('a kiosk whose campaign closed', () => {
  it('keeps a refused answer apart and counts it where staff can see it', async () => {
    const kiosk = await addKiosk(120);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/k/${kiosk.key}`);
    await page.click('[data-testid="kiosk-start-button"]');
    await page.waitForSelector('[data-testid="kiosk-form"]');
    await served.db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, kiosk.id));
    await choose(page, 'nps', 6);
    await page.click('[data-testid="submit"]');
    await expect.poll(() => page.textContent('[data-testid="kiosk-status"]')).toContain('1 answer refused by the server');
    expect(await page.textContent('[data-testid="kiosk-status"]')).toContain('All answers sent');
    const refused = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('kiosk-refused');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('refused').objectStore('refused').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(refused).toBe(1);
    expect(await storedFor(kiosk.id)).toHaveLength(0);
    await context.close();
  });
});

describe('a kiosk left alone', () => {
  it('counts down, lets the customer continue, and otherwise starts over with an empty form', async () => {
    const kiosk = await addKiosk(3);
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/k/${kiosk.key}`);
    await page.click('[data-testid="kiosk-start-button"]');
    const first = await formId(page);
    await choose(page, 'nps', 8);
    await page.waitForSelector('[data-testid="kiosk-idle"]');
    expect(await page.textContent('[data-testid="kiosk-countdown"]')).toMatch(/\d 秒后表单将重新开始/);
    await page.click('[data-testid="kiosk-idle"] button');
    await page.waitForSelector('[data-testid="kiosk-idle"]', { state: 'detached' });
    expect(await formId(page)).toBe(first);
    expect(await page.isChecked('[data-question="nps"] input[value="8"]')).toBe(true);

    await page.waitForSelector('[data-testid="kiosk-idle"]');
    await page.waitForFunction(
      (previous) => {
        const form = document.querySelector('[data-testid="kiosk-form"]');
        return form && form.getAttribute('data-response-id') !== previous && !form.querySelector('input:checked');
      },
      first,
    );
    expect(await page.isVisible('[data-testid="kiosk-idle"]')).toBe(false);
    expect(await storedFor(kiosk.id)).toHaveLength(0);
    await context.close();
  });
});

describe('the staff\'s kiosk pages', () => {
  it('list a kiosk with its link and print its poster, QR code and all', async () => {
    const kiosk = await addKiosk(90);
    const interviewer = await signedInAs(served, 'interviewer');
    const context = await browser.newContext({ locale: 'en-US' });
    await context.addCookies([{ name: 'sid', value: interviewer.cookie.replace(/^sid=/, ''), url: served.baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/app/kiosks`);
    const row = page.locator('[data-testid="kiosk-row"]', { hasText: kiosk.key });
    await row.waitFor();
    expect(await row.textContent()).toContain('Shanghai Lobby 1');
    await row.locator('[data-testid="kiosk-poster-link"]').click();
    await page.waitForURL(`**/app/kiosks/${kiosk.id}/poster`);
    const qr = page.locator('[data-testid="kiosk-qr"]');
    await qr.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="kiosk-qr"]') as HTMLImageElement | null)?.naturalWidth);
    expect(await qr.getAttribute('alt')).toContain('/s/store-visit?location=Shanghai+Lobby+1');
    const poster = page.locator('[data-testid="kiosk-poster"]');
    expect(await poster.textContent()).toContain('扫码评价我们的服务');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid="kiosk-print"]').isVisible()).toBe(false);
    expect(await poster.isVisible()).toBe(true);

    // A location in Chinese is printed as people read it; the QR code keeps the encoded address.
    const lobby = await addKiosk(90, '前台 东门');
    await page.goto(`${served.baseUrl}/app/kiosks/${lobby.id}/poster`);
    const printed = page.locator('[data-testid="kiosk-poster-url"]');
    await printed.waitFor();
    expect(await printed.isVisible()).toBe(true);
    expect(await printed.textContent()).toMatch(/^http:\/\/[^ ]+\/s\/store-visit\?location=前台\+东门$/);
    expect(await page.locator('[data-testid="kiosk-qr"]').getAttribute('alt')).toContain('?location=前台+东门');
    await context.close();
  });
});
