// In real Chromium on a phone-sized screen: a customer follows their case by its link, in Chinese and in
// English; writes to the company; says it is resolved; answers the follow-up survey once it is due; asks not to
// be contacted again. A wrong link shows what an unknown one shows.
import { eq } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleErrors, pageFitsWidth, seriousViolations, useBrowserApp } from './support/browser.ts';
import { agentReplies, openTestCase, resolveTestCase } from './support/complaints.ts';
import { sendFollowUp } from '../server/complaints/follow-up.ts';
import { complaintCases } from '../server/db/schema.ts';

const suite = useBrowserApp();

const phone = (locale: string): Promise<BrowserContext> =>
  suite.browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

describe('the customer’s status page on a phone', () => {
  it('in Chinese: shows the reference and status, takes a reply, then takes "resolved"', async () => {
    const opened = await openTestCase(suite.served.db, { locale: 'zh-CN', description: '快递一直没有送到。' });
    await agentReplies(suite.served.db, opened.id, '非常抱歉，我们已重新发货。');
    const context = await phone('en-US');
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${suite.served.baseUrl}/c/${opened.statusToken}`);

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

    await resolveTestCase(suite.served.db, opened.id);
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
    const opened = await openTestCase(suite.served.db, { locale: 'en' });
    const context = await phone('zh-CN');
    const page = await context.newPage();
    await page.goto(`${suite.served.baseUrl}/c/${opened.statusToken}`);
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

  /** A case logged with contact details only (no customer record), resolved, and its follow-up due and emailed. */
  async function followUpDue(locale: 'zh-CN' | 'en') {
    const opened = await openTestCase(suite.served.db, { locale });
    await resolveTestCase(suite.served.db, opened.id);
    const sent = await sendFollowUp(suite.served.db, { publicUrl: suite.served.baseUrl, replyDomain: 'support.example.com' }, { caseId: opened.id, cycle: 0 });
    expect(sent.status).toBe('emailed');
    return opened;
  }
  const caseRow = async (id: string) => (await suite.served.db.select().from(complaintCases).where(eq(complaintCases.id, id)))[0]!;

  it('in Chinese: answers the follow-up survey the email links to, once', async () => {
    const opened = await followUpDue('zh-CN');
    const context = await phone('zh-CN');
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${suite.served.baseUrl}/c/${opened.statusToken}#follow-up`);
    const survey = page.getByRole('region', { name: '投诉处理回访' });
    expect(await survey.isVisible()).toBe(true);
    const handling = survey.getByRole('group', { name: '您对我们处理这次投诉的方式满意吗？' });
    const resolved = survey.getByRole('group', { name: '您的问题解决了吗？' });
    const buyAgain = survey.getByRole('group', { name: '您还会再次购买我们的产品或服务吗？' });
    for (const group of [handling, resolved, buyAgain]) expect(await group.isVisible()).toBe(true);
    expect(await handling.locator('.ends').getByText('非常满意').isVisible()).toBe(true);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await handling.getByRole('radio', { name: '5 非常满意' }).tap();
    await resolved.getByRole('radio', { name: '已完全解决' }).tap();
    await buyAgain.getByRole('radio', { name: '4', exact: true }).tap();
    await survey.getByLabel('您还有什么想告诉我们的吗？ （选填）').fill('客服很耐心。');
    await survey.getByRole('button', { name: '发送' }).tap();
    await page.getByText('感谢您帮助我们改进。').waitFor();
    expect(await page.getByTestId('follow-up-form').count()).toBe(0);
    expect(await caseRow(opened.id)).toMatchObject({ handlingScore: 5, resolvedAnswer: 'yes', buyAgainScore: 4 });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in English: the follow-up survey, then "stop contacting me about this case"', async () => {
    const opened = await followUpDue('en');
    const context = await phone('zh-CN');
    const page = await context.newPage();
    await page.goto(`${suite.served.baseUrl}/c/${opened.statusToken}`);
    const survey = page.getByRole('region', { name: 'How did we handle your complaint?' });
    const handling = survey.getByRole('group', { name: 'How satisfied are you with how we handled your complaint?' });
    expect(await handling.isVisible()).toBe(true);
    expect(await handling.locator('.ends').getByText('Very dissatisfied').isVisible()).toBe(true);
    expect(await pageFitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await handling.getByRole('radio', { name: '2', exact: true }).tap();
    await survey.getByRole('group', { name: 'Has your problem been resolved?' }).getByRole('radio', { name: 'Partly' }).tap();
    await survey.getByRole('group', { name: 'How likely are you to buy from us again?' }).getByRole('radio', { name: '3', exact: true }).tap();
    await survey.getByRole('button', { name: 'Send' }).tap();
    await page.getByText('Thank you for helping us improve.').waitFor();
    expect(await caseRow(opened.id)).toMatchObject({ handlingScore: 2, resolvedAnswer: 'partly', buyAgainScore: 3 });

    await page.getByRole('button', { name: 'Stop contacting me about this case' }).tap();
    await page.getByTestId('history').getByText('You asked us not to contact you about this case').waitFor();
    expect(await page.getByRole('button', { name: 'Stop contacting me about this case' }).count()).toBe(0);
    expect((await caseRow(opened.id)).contactConsent).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a wrong link the very page an unknown one gets', async () => {
    const opened = await openTestCase(suite.served.db, { locale: 'en' });
    const context = await phone('en-US');
    const page = await context.newPage();
    const wrong = `${opened.statusToken.slice(0, -1)}${opened.statusToken.endsWith('a') ? 'b' : 'a'}`;
    const shown: string[] = [];
    for (const token of [wrong, 'no-such-link']) {
      const response = await page.goto(`${suite.served.baseUrl}/c/${token}`);
      expect(response?.status()).toBe(404);
      expect(await page.getByRole('heading', { name: 'Link not recognised' }).isVisible()).toBe(true);
      shown.push(await page.content());
    }
    expect(shown[0]).toBe(shown[1]);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
