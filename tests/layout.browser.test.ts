// Every staff page over demo-like data, in real Chromium at 1280 px (a laptop) and 390 px (a phone), in both
// languages: the page never scrolls sideways as a whole (tables scroll inside their own box), the top bar
// stays inside the window, and on a laptop the top bar is one row.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationTopic, reminderTopic } from '../server/campaigns/invitations.ts';
import { campaigns, customers, responses, surveys, users } from '../server/db/schema.ts';
import { fillDemo } from '../server/cli/demo.ts';
import { catchUp } from '../server/insights/processor.ts';
import { queueMessage } from '../server/mail/mailer.ts';
import { signedInAs } from './support/app.ts';
import { logCase } from './support/complaints.ts';
import { launchChromium, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
let adminEmail = '';
const pages: string[] = [];

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  const demo = await fillDemo(served.db, { responses: 600 });
  await catchUp(served.db);
  const admin = await signedInAs(served, 'admin');
  // A long name, as people have, in the top bar.
  await served.db.update(users).set({ name: 'Alexandra Konstantinopoulou-Whitfield' }).where(eq(users.role, 'admin'));
  [{ email: adminEmail }] = (await served.db.select({ email: users.email }).from(users).where(eq(users.role, 'admin'))) as [{ email: string }];

  const allCampaigns = await served.db.select({ id: campaigns.id, delivery: campaigns.delivery }).from(campaigns);
  const campaignOf = (delivery: string) => allCampaigns.find((campaign) => campaign.delivery === delivery)!.id;
  const email = campaignOf('email');
  const message = await queueMessage(served.db, {
    to: 'a.very.long.address.of.a.customer@subsidiary.example-company.com.cn',
    subject: 'Please tell us about your visit to our store in Pudong — it takes two minutes',
    text: 'Dear customer, please tell us how we did.',
    topic: invitationTopic(email, 'invitation-with-a-long-identifier-0001'),
  });
  await queueMessage(served.db, {
    to: 'chen@example.cn',
    subject: 'A reminder',
    text: 'Dear Chen, a reminder.',
    topic: reminderTopic(email, 2, 'invitation-with-a-long-identifier-0002'),
  });
  const [survey] = await served.db.select({ id: surveys.id, versionId: surveys.latestVersionId }).from(surveys).where(eq(surveys.slug, demo.slug));
  const kiosk = 'kiosk-lobby';
  await served.db.insert(campaigns).values({
    id: kiosk,
    name: '浦东门店大堂自助终端 Pudong store lobby kiosk',
    surveyId: survey!.id,
    versionId: survey!.versionId,
    delivery: 'kiosk',
    status: 'running',
    settings: { kiosk: { location: '上海浦东新区世纪大道 100 号一楼大堂 Lobby, 100 Century Avenue, Pudong, Shanghai', idleSeconds: 60 } },
    kioskKey: 'a'.repeat(32),
  });
  const [response] = await served.db.select({ id: responses.id }).from(responses).where(eq(responses.surveyId, survey!.id)).limit(1);
  const [customer] = await served.db.select({ id: customers.id }).from(customers).limit(1);
  // A case with a long description and a reply, so the case page has a history to lay out.
  const complaint = await logCase(admin, {
    description: '包裹晚到了两个星期，箱子也压坏了，里面的玻璃杯碎了三只。The parcel arrived two weeks late and three glasses inside were broken.',
    desiredOutcome: 'A replacement set delivered before the weekend, and the delivery fee refunded.',
    customerId: customer!.id,
  });
  await admin.request('POST', '/api/complaints/macros', {
    name: { en: 'Apology for a late delivery', 'zh-CN': '延迟送达致歉' },
    body: { en: 'We are sorry your order arrived late.', 'zh-CN': '很抱歉您的订单延迟送达。' },
  });
  pages.push(
    '/insights',
    `/insights?survey=${survey!.id}`,
    '/insights/settings',
    '/surveys',
    `/surveys/${survey!.id}`,
    `/surveys/${survey!.id}/preview`,
    `/surveys/${survey!.id}/responses`,
    `/responses/${response!.id}`,
    '/complaints',
    '/complaints?queue=all',
    `/complaints/cases/${complaint.id}`,
    '/complaints/new',
    '/complaints/settings',
    '/complaints/macros',
    '/complaints/reassign',
    '/customers',
    '/customers/new',
    '/customers/import',
    `/customers/${customer!.id}`,
    `/customers/${customer!.id}/edit`,
    '/campaigns',
    '/campaigns/new',
    `/campaigns/${email}`,
    `/campaigns/${email}/edit`,
    '/calls',
    `/calls/${campaignOf('phone')}`,
    '/keying',
    '/kiosks',
    `/kiosks/${kiosk}/poster`,
    '/outbox',
    '/outbox/jobs',
    `/outbox/${message}`,
    '/users',
    '/privacy/retention',
    '/integrations',
  );
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

/**
 * What does not fit: the page scrolling sideways as a whole, the top bar sticking out, a button stretched
 * taller than its words, and (when `tablesFit`, on a laptop) a table that has to scroll sideways. Empty
 * when everything fits.
 */
function misfits(page: Page, tablesFit: boolean) {
  return page.evaluate((tablesFit) => {
    const found: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    const header = document.querySelector('header.topbar');
    if (header) {
      if (header.scrollWidth > header.clientWidth) found.push(`the top bar is ${header.scrollWidth} px wide`);
      for (const element of header.querySelectorAll('a, button, span')) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) found.push(`"${element.textContent?.trim()}" in the top bar ends at ${Math.round(box.right)} px`);
      }
    }
    for (const button of document.querySelectorAll<HTMLElement>('main .button')) {
      const box = button.getBoundingClientRect();
      if (box.width === 0) continue;
      const style = getComputedStyle(button);
      const words = document.createRange();
      words.selectNodeContents(button);
      const edges = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth'] as const;
      const natural = Math.max(parseFloat(style.minHeight) || 0, words.getBoundingClientRect().height + edges.reduce((sum, edge) => sum + parseFloat(style[edge]), 0));
      if (box.height > natural + 2) found.push(`the button "${button.textContent?.trim()}" is ${Math.round(box.height)} px tall for ${Math.round(natural)} px of words`);
    }
    if (tablesFit) {
      for (const scroller of document.querySelectorAll<HTMLElement>('main .table-scroll')) {
        if (scroller.scrollWidth > scroller.clientWidth + 1) {
          const cut = [...scroller.querySelectorAll('th')].filter((th) => th.getBoundingClientRect().right > scroller.getBoundingClientRect().right + 1);
          found.push(`the table "${scroller.getAttribute('aria-label')}" needs ${scroller.scrollWidth} px in ${scroller.clientWidth}, cutting ${cut.map((th) => `"${th.textContent}"`).join(', ')}`);
        }
      }
    }
    return found;
  }, tablesFit);
}

/** How many rows the top bar's links and buttons sit in. */
function topBarRows(page: Page) {
  return page.evaluate(() => {
    const middles: number[] = [];
    for (const element of document.querySelectorAll('header.topbar :is(a, button)')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) middles.push((box.top + box.bottom) / 2);
    }
    middles.sort((a, b) => a - b);
    return middles.filter((middle, index) => index === 0 || middle - middles[index - 1]! > 12).length;
  });
}

async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.locator('main .loading').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle');
}

describe('every staff page fits the window', () => {
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
    [390, 844],
  ] as const) {
    for (const language of ['en', 'zh-CN'] as const) {
      it(`at ${width} px in ${language}`, async () => {
        const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width, height } });
        const page = await context.newPage();
        const laptop = width >= 1280;
        const problems: string[] = [];
        // The pages a person reaches before signing in.
        for (const path of ['/login', '/setup?token=unknown', '/invite?token=unknown']) {
          await page.goto(`${served.baseUrl}/app${path}`);
          await settled(page);
          for (const problem of await misfits(page, laptop)) problems.push(`${path}: ${problem}`);
        }
        await signInThroughPage(page, served.baseUrl, adminEmail, 'correct horse battery');
        for (const path of pages) {
          await page.goto(`${served.baseUrl}/app${path}`);
          await settled(page);
          // The responses table shows every question as a column, so it scrolls by design.
          const tablesFit = laptop && !path.endsWith('/responses');
          for (const problem of await misfits(page, tablesFit)) problems.push(`${path}: ${problem}`);
          // Brand and account on one row, the menu on the other.
          if (laptop && (await topBarRows(page)) > 2) problems.push(`${path}: the top bar takes ${await topBarRows(page)} rows`);
        }
        await context.close();
        expect(problems).toEqual([]);
      }, 240_000);
    }
  }
});

describe('the Outbox on a laptop', () => {
  it('names a message topic in words, linked to its campaign, with status and dates in view', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInThroughPage(page, served.baseUrl, adminEmail, 'correct horse battery');
    await page.goto(`${served.baseUrl}/app/outbox`);
    const invitation = page.locator('[data-testid="outbox-row"]', { hasText: 'a.very.long.address' });
    const topic = invitation.getByRole('link', { name: 'Campaign invitation' });
    await topic.waitFor({ timeout: 10_000 });
    expect(await topic.getAttribute('href')).toMatch(/^\/app\/campaigns\/[^/]+$/);
    expect(await page.locator('[data-testid="outbox-row"]', { hasText: 'A reminder' }).getByRole('link', { name: 'Campaign reminder 2' }).isVisible()).toBe(true);
    expect(await invitation.textContent()).not.toContain('campaign:');
    // Status and both dates are on screen without scrolling the table.
    const scroller = await page.locator('.table-scroll').boundingBox();
    for (const cell of await invitation.locator('td').all()) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(scroller!.x + scroller!.width + 1);
    }
    await context.close();
  });
});
