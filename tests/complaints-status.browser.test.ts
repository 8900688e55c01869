// In real Chromium on a phone-sized screen: a customer follows their case by its link, in Chinese and in
// English; writes to the company; says it is resolved. A wrong link shows what an unknown one shows.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleErrors, launchChromium, pageFitsWidth, seriousViolations, serveTestApp, type ServedApp } from './support/browser.ts';
import { agentReplies, openTestCase, resolveTestCase } from './support/complaints.ts';

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

const phone = (locale: string): Promise<BrowserContext> =>
  browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

describe('the customer’s status page on a phone', () => {
  it('in Chinese: shows the reference and status, takes a reply, then takes "resolved"', async () => {
    const opened = await openTestCase(served.db, { locale: 'zh-CN', description: '快递一直没有送到。' });
    await agentReplies(served.db, opened.id, '非常抱歉，我们已重新发货。');
    const context = await phone('en-US');
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${served.baseUrl}/c/${opened.statusToken}`);

    // The case's language comes first, whatever the browser prefers.
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByTestId('reference').innerText()).toBe(opened.reference);
    expect(await page.getByTestId('reference').isVisible()).toBe(true);
    expect(await page.getByTestId('status').innerText()).toBe('我们已回复，正在了解情况');
    expect(await page.getByText('非常抱歉，我们已重新发货。').isVisible()).toBe(true);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('留言内容').fill('新的包裹也还没到。');
    await page.getByRole('button', { name: '发送' }).tap();
    await page.getByTestId('history').getByText('新的包裹也还没到。').waitFor();
    expect(await page.getByTestId('history').getByText('您的留言').first().isVisible()).toBe(true);

    await resolveTestCase(served.db, opened.id);
    await page.reload();
    const question = page.getByRole('heading', { name: '问题解决了吗？' });
    expect(await question.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '是，已解决' }).tap();
    await page.getByTestId('history').getByText('您确认问题已解决').waitFor();
    expect(await question.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in English, and switched to Chinese by the language link', async () => {
    const opened = await openTestCase(served.db, { locale: 'en' });
    const context = await phone('zh-CN');
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/c/${opened.statusToken}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('reference').innerText()).toBe(opened.reference);
    expect(await page.getByTestId('status').innerText()).toBe('Received, waiting for our first reply');
    expect(await page.getByTestId('next').innerText()).toMatch(/^We will reply to you by /);
    expect(await seriousViolations(page)).toEqual([]);

    // A reply of spaces only is refused by the server, and the reason shows in the page's language.
    const box = page.getByLabel('Your message');
    await box.fill('   ');
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.getByRole('alert').getByText('Write your message before sending.').waitFor();

    await box.fill('Any news?');
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.getByTestId('history').getByText('Any news?').waitFor();

    await page.getByRole('link', { name: '中文' }).tap();
    await page.waitForURL(/lang=zh-CN/);
    expect(await page.getByTestId('status').innerText()).toBe('已收到，等待我们首次回复');
    expect(await page.getByTestId('history').getByText('Any news?').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a wrong link the very page an unknown one gets', async () => {
    const opened = await openTestCase(served.db, { locale: 'en' });
    const context = await phone('en-US');
    const page = await context.newPage();
    const wrong = `${opened.statusToken.slice(0, -1)}${opened.statusToken.endsWith('a') ? 'b' : 'a'}`;
    const shown: string[] = [];
    for (const token of [wrong, 'no-such-link']) {
      const response = await page.goto(`${served.baseUrl}/c/${token}`);
      expect(response?.status()).toBe(404);
      expect(await page.getByRole('heading', { name: 'Link not recognised' }).isVisible()).toBe(true);
      shown.push(await page.content());
    }
    expect(shown[0]).toBe(shown[1]);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
