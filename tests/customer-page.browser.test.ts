// The customer page in real Chromium, in both languages, on a phone and on a desktop: the loyalty panel with
// the score's parts in plain words, the timeline with "show earlier", the customer's purchases, and the plain
// statement for a customer who objects to profiling. Loyalty data is written straight to the tables the loyalty engine keeps.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { consentChanges, customers, purchases, users } from '../server/db/schema.ts';
import { pageFitsWidth, seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';
import { seedCustomerHistory } from './support/customer-history.ts';

const suite = useBrowserApp();
let customerId: string;
let objectingId: string;
let seeded: Awaited<ReturnType<typeof seedCustomerHistory>>;
const password = 'manager password 3';
/** Older purchases beyond the first page of the timeline (30 entries). */
const olderPurchases = 20;

beforeAll(async () => {
  const passwordHash = await hashPassword(password);
  await suite.served.db.insert(users).values([
    { id: 'manager-en', email: 'en@example.com', name: 'Morgan', role: 'manager', passwordHash, locale: 'en' },
    { id: 'manager-zh', email: 'zh@example.com', name: '林经理', role: 'manager', passwordHash, locale: 'zh-CN' },
  ]);
  customerId = randomUUID();
  await suite.served.db.insert(customers).values({ id: customerId, name: 'Wang Fang', email: 'wang.fang@example.com', tier: 'important', ownerId: 'manager-zh' });
  const now = Date.now();
  seeded = await seedCustomerHistory(suite.served.db, customerId, now);
  await suite.served.db.insert(purchases).values(
    Array.from({ length: olderPurchases }, (_, index) => ({
      customerId,
      orderId: `OLD-${index}`,
      occurredAt: now - (400 + index) * 24 * 3600_000,
      amountMinor: 10_000 + index,
      currency: 'CNY',
      source: 'csv' as const,
    })),
  );
  objectingId = randomUUID();
  await suite.served.db.insert(customers).values({ id: objectingId, name: 'Private Person', objectsToProfiling: true, tier: 'vip', tierSetByHand: true });
});

const words = {
  en: {
    email: 'en@example.com',
    stage: 'Regular since',
    tier: 'Important, computed from value',
    score: '71 / 100',
    attitude: /^Attitude 80: would buy again 4\/5 on .+, recommends 9\/10 · weight 35%$/,
    behaviour: 'Behaviour 73: recency 5, frequency 4, monetary 3',
    recovery: (reference: string) => `Recovery 54: case ${reference}, major, resolved`,
    atRisk: 'At risk: buying less often than before',
    more: 'Show earlier',
    skipped: 'Email “Thank you for your order”, not sent, no consent for this',
    followUp: 'At-risk follow-up by phone, done, reached, for Zhou Ming',
    objection: 'This customer objects to profiling: they get no loyalty score and no stage beyond what their purchases alone say.',
    setByHand: '(set by hand)',
  },
  'zh-CN': {
    email: 'zh@example.com',
    stage: '经常性客户，自',
    tier: '重要，按价值计算',
    score: '71 / 100',
    attitude: /^态度 80：再次购买意愿 4\/5（.+），推荐意愿 9\/10 · 权重 35%$/,
    behaviour: '行为 73：最近购买 5，购买频率 4，消费金额 3',
    recovery: (reference: string) => `投诉补救 54：投诉 ${reference}，重大，已解决`,
    atRisk: '有流失风险：购买频率下降',
    more: '显示更早的记录',
    skipped: '邮件“Thank you for your order”，未发送，未同意此类联系',
    followUp: '流失风险回访（电话），已完成，已联系上，负责人 Zhou Ming',
    objection: '该客户反对用户画像：不计算忠诚度得分，阶段只按购买记录判断。',
    setByHand: '(人工设定)',
  },
} as const;

const viewports = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

async function signedIn(lang: keyof typeof words, viewport: keyof typeof viewports): Promise<Page> {
  const context = await suite.browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN', viewport: viewports[viewport] });
  const page = await context.newPage();
  await signInThroughPage(page, suite.served.baseUrl, words[lang].email, password);
  return page;
}

const visibleText = async (page: Page, selector: string) => {
  const element = page.locator(selector);
  await element.waitFor({ state: 'visible' });
  return (await element.innerText()).replace(/\s+/g, ' ').trim();
};

describe('the customer page', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    for (const viewport of ['phone', 'desktop'] as const) {
      it(`shows the loyalty panel and the timeline (${lang}, ${viewport})`, async () => {
        const said = words[lang];
        const page = await signedIn(lang, viewport);
        await page.goto(`${suite.served.baseUrl}/app/customers/${customerId}`);
        await page.locator('[data-testid="customer-name"]').waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe(lang);

        expect(await visibleText(page, '[data-testid="loyalty-stage"]')).toContain(said.stage);
        expect(await visibleText(page, '[data-testid="loyalty-tier"]')).toBe(said.tier);
        expect(await visibleText(page, '[data-testid="loyalty-score"]')).toBe(said.score);
        expect(await visibleText(page, '[data-testid="loyalty-at-risk"]')).toBe(said.atRisk);
        expect(await visibleText(page, '[data-testid="loyalty-part-attitude"]')).toMatch(said.attitude);
        expect(await visibleText(page, '[data-testid="loyalty-part-behaviour"]')).toContain(said.behaviour);
        expect(await visibleText(page, '[data-testid="loyalty-part-recovery"]')).toContain(said.recovery(seeded.reference));

        // The first page of the timeline, newest first; the rest behind "show earlier".
        const entries = page.locator('[data-testid="timeline-entry"]');
        await expect.poll(() => entries.count()).toBe(30);
        expect(await entries.first().isVisible()).toBe(true);
        expect(await entries.first().getAttribute('data-kind')).toBe('follow_up');
        expect((await entries.first().innerText()).replace(/\s+/g, ' ')).toContain(said.followUp);
        expect((await entries.nth(4).innerText()).replace(/\s+/g, ' ')).toContain(said.skipped);
        const more = page.getByRole('button', { name: said.more });
        expect(await more.isVisible()).toBe(true);
        await more.click();
        await expect.poll(() => entries.count()).toBe(seeded.expected.length + olderPurchases);
        expect(await entries.last().isVisible()).toBe(true);
        expect(await entries.last().getAttribute('data-kind')).toBe('purchase');
        expect(await more.count()).toBe(0);

        // What the customer bought, from the purchases area, beside the timeline.
        await page.locator('[data-testid="customer-purchases"] [data-testid="purchase-row"]').first().waitFor({ state: 'visible' });

        if (viewport === 'phone') expect(await pageFitsWidth(page)).toBe(true);
        expect(await seriousViolations(page)).toEqual([]);
        await page.context().close();
      });
    }

    it(`says plainly that a customer who objects to profiling gets no score (${lang})`, async () => {
      const said = words[lang];
      const page = await signedIn(lang, 'phone');
      await page.goto(`${suite.served.baseUrl}/app/customers/${objectingId}`);
      expect(await visibleText(page, '[data-testid="profiling-objection"]')).toBe(said.objection);
      expect(await visibleText(page, '[data-testid="tier-set-by-hand"]')).toBe(said.setByHand);
      expect(await page.locator('[data-testid="loyalty-score"]').count()).toBe(0);
      expect(await visibleText(page, '[data-testid="timeline-empty"]')).not.toBe('');
      expect(await pageFitsWidth(page)).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    });
  }

  it('the form sets the owner, a tier by hand, and the customer’s objection to profiling; the page shows them', async () => {
    const id = randomUUID();
    await suite.served.db.insert(customers).values({ id, name: 'Zhao Lei', email: 'zhao.lei@example.com' });
    const page = await signedIn('en', 'desktop');
    await page.goto(`${suite.served.baseUrl}/app/customers/${id}/edit`);
    await page.locator('[data-testid="customer-form"]').waitFor();
    expect(await page.locator('#customer-tier').inputValue()).toBe('computed');
    await page.selectOption('#customer-tier', 'vip');
    await expect.poll(() => page.locator('#customer-ownerId option').allTextContents()).toContain('林经理 (Manager)');
    await page.selectOption('#customer-ownerId', { label: '林经理 (Manager)' });
    await page.check('input[name="objectsToProfiling"]');
    await page.check('input[name="customerRequest"]');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid="customer-save"]');

    await page.waitForURL((url) => url.pathname.endsWith(`/customers/${id}`));
    expect(await visibleText(page, '[data-testid="tier-set-by-hand"]')).toBe('(set by hand)');
    expect(await visibleText(page, '[data-testid="customer-owner"]')).toBe('林经理');
    expect(await visibleText(page, '[data-testid="profiling-objection"]')).toBe(words.en.objection);
    const [stored] = await suite.served.db.select().from(customers).where(eq(customers.id, id));
    expect(stored).toMatchObject({ tier: 'vip', tierSetByHand: true, ownerId: 'manager-zh', objectsToProfiling: true });
    const history = await suite.served.db.select().from(consentChanges).where(eq(consentChanges.customerId, id));
    expect(history).toMatchObject([{ fact: 'objects_to_profiling', newValue: true, source: 'staff', customerRequest: true }]);

    // Handing the tier back to the value.
    await page.goto(`${suite.served.baseUrl}/app/customers/${id}/edit`);
    await page.locator('[data-testid="customer-form"]').waitFor();
    expect(await page.locator('#customer-tier').inputValue()).toBe('vip');
    await page.selectOption('#customer-tier', 'computed');
    await page.click('[data-testid="customer-save"]');
    await page.waitForURL((url) => url.pathname.endsWith(`/customers/${id}`));
    await page.locator('[data-testid="customer-name"]').waitFor();
    expect(await page.locator('[data-testid="tier-set-by-hand"]').count()).toBe(0);
    await page.context().close();
  });
});
