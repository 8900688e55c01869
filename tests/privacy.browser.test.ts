// A customer's data rights on the customer page in real Chromium, in both languages: the export buttons download
// the customer's data and the export shows on the timeline; an admin sets a legal hold, which blocks erasure with
// its reason; once lifted, erasure after a confirmation leaves an erased customer's page, and the customer's case
// page names them as erased.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { complaintCases, customers, users } from '../server/db/schema.ts';
import { seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const password = 'admin password 13';
const suite = useBrowserApp();
const ids = { en: randomUUID(), 'zh-CN': randomUUID() };

beforeAll(async () => {
  const passwordHash = await hashPassword(password);
  await suite.served.db.insert(users).values([
    { id: 'admin-en', email: 'admin-en@example.com', name: 'Avery', role: 'admin', passwordHash, locale: 'en' },
    { id: 'admin-zh', email: 'admin-zh@example.com', name: '周管理员', role: 'admin', passwordHash, locale: 'zh-CN' },
  ]);
  await suite.served.db.insert(customers).values([
    { id: ids.en, name: 'Wang Fang', email: 'wang.fang@example.com', phone: '+86 138 0000 0001', segment: 'retail' },
    { id: ids['zh-CN'], name: '李雷', email: 'li.lei@example.com', segment: 'retail' },
  ]);
  // Each has a case, whose page names the customer until the erasure and says "erased" after it.
  await suite.served.db.insert(complaintCases).values(
    (['en', 'zh-CN'] as const).map((lang, index) => ({
      id: `case-${lang}`, number: index + 1, reference: `C-2026-00000${index + 1}`, source: 'form' as const, channel: 'web' as const,
      category: 'product', description: 'It broke.', locale: lang, customerId: ids[lang], statusToken: `s-${lang}`, replyToken: `r-${lang}`,
    })),
  );
});

const words = {
  en: {
    email: 'admin-en@example.com',
    exportJson: 'Export data (JSON)',
    exported: 'Data exported as JSON by Avery',
    holdReason: 'Reason for a legal hold',
    setHold: 'Set legal hold',
    held: 'Under a legal hold: Dispute over order 88',
    refused: 'legal hold ("Dispute over order 88")',
    liftHold: 'Lift legal hold',
    eraseReason: 'Reason (e.g. how and when the customer asked)',
    erase: 'Erase…',
    confirm: 'Erase now',
    erasedName: 'Erased customer',
    erasedNotice: 'This customer’s identity was erased at their request',
    erasedEntry: 'Identity erased by Avery',
  },
  'zh-CN': {
    email: 'admin-zh@example.com',
    exportJson: '导出数据（JSON）',
    exported: '周管理员 以 JSON 格式导出了数据',
    holdReason: '法律保全的原因',
    setHold: '设置法律保全',
    held: '处于法律保全：Dispute over order 88',
    refused: '法律保全状态（“Dispute over order 88”）',
    liftHold: '解除法律保全',
    eraseReason: '原因（如客户以何种方式、何时提出）',
    erase: '删除…',
    confirm: '立即删除',
    erasedName: '已删除的客户',
    erasedNotice: '该客户的身份信息已于',
    erasedEntry: '周管理员 删除了身份信息',
  },
} as const;

const shown = async (page: Page, text: string) => {
  const element = page.getByText(text, { exact: false }).first();
  await element.waitFor({ state: 'visible' });
  return element.isVisible();
};

describe('a customer’s data rights on the customer page', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    it(`exports, holds and erases (${lang})`, async () => {
      const said = words[lang];
      const context = await suite.browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN', acceptDownloads: true });
      const page = await context.newPage();
      await signInThroughPage(page, suite.served.baseUrl, said.email, password);
      const url = `${suite.served.baseUrl}/app/customers/${ids[lang]}`;
      await page.goto(url);

      // The export downloads the whole document and is recorded on the timeline.
      const button = page.getByRole('link', { name: said.exportJson });
      await button.waitFor({ state: 'visible' });
      expect(await button.isVisible()).toBe(true);
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const document = JSON.parse(await streamText(await download.createReadStream()));
      expect(document.customer.id).toBe(ids[lang]);
      await page.reload();
      expect(await shown(page, said.exported)).toBe(true);

      // A legal hold blocks erasure and says why.
      await page.getByLabel(said.holdReason).fill('Dispute over order 88');
      await page.getByRole('button', { name: said.setHold }).click();
      expect(await shown(page, said.held)).toBe(true);
      await page.getByLabel(said.eraseReason).fill('Asked by email');
      await page.getByRole('button', { name: said.erase }).click();
      await page.getByRole('button', { name: said.confirm }).click();
      expect(await shown(page, said.refused)).toBe(true);

      // Lifted, the erasure goes through.
      await page.getByRole('button', { name: said.liftHold }).click();
      await page.getByRole('button', { name: said.setHold }).waitFor({ state: 'visible' });
      await page.getByLabel(said.eraseReason).fill('Asked by email');
      await page.getByRole('button', { name: said.erase }).click();
      await page.getByRole('button', { name: said.confirm }).click();
      const heading = page.locator('[data-testid="customer-name"]');
      await expect.poll(() => heading.innerText()).toBe(said.erasedName);
      expect(await shown(page, said.erasedNotice)).toBe(true);
      expect(await shown(page, said.erasedEntry)).toBe(true);
      expect(await page.getByText('wang.fang@example.com').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // Pages that name the customer elsewhere say the customer was erased, rather than showing a blank.
      await page.goto(`${suite.served.baseUrl}/app/complaints/cases/case-${lang}`);
      expect(await shown(page, said.erasedName)).toBe(true);
      await context.close();
    });
  }
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
