// Role masking and the access log in real Chromium, in both languages: a support agent opening a customer who
// is none of their work sees the contact details masked and told why; an admin follows "who read this
// customer" from the customer page, and "Access log" from Users, to the reads with who, where and what.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../server/db/schema.ts';
import { consoleErrors, seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const password = 'privacy test password';
const suite = useBrowserApp({
  staff: [
    { id: 'admin-en', email: 'admin-en@example.com', name: 'Ada Admin', role: 'admin', password },
    { id: 'admin-zh', email: 'admin-zh@example.com', name: '周管理', role: 'admin', password },
    { id: 'agent-en', email: 'agent-en@example.com', name: 'Sam Support', role: 'support', password },
    { id: 'agent-zh', email: 'agent-zh@example.com', name: '孙客服', role: 'support', password },
  ],
});
let customerId: string;

beforeAll(async () => {
  customerId = randomUUID();
  await suite.served.db.insert(customers).values({ id: customerId, name: 'Lin Xiaomei', email: 'lin.xiaomei@example.com', phone: '13812345678' });
});

const words = {
  en: {
    admin: 'admin-en@example.com',
    agent: 'agent-en@example.com',
    masked: 'Contact details are masked',
    whoRead: 'Who read this customer',
    heading: 'Reads of Lin Xiaomei',
    accessLog: 'Access log',
    fields: 'name, contact name, email, phone, postal address, external id',
    byAdmin: 'Reads by Ada Admin',
    adminName: 'Ada Admin',
  },
  'zh-CN': {
    admin: 'admin-zh@example.com',
    agent: 'agent-zh@example.com',
    masked: '联系方式已脱敏',
    whoRead: '谁看过该客户',
    heading: '对 Lin Xiaomei 的访问',
    accessLog: '访问记录',
    fields: '姓名, 联系人, 电子邮件, 电话, 邮寄地址, 外部编号',
    byAdmin: '周管理 的访问',
    adminName: '周管理',
  },
} as const;

async function signedIn(lang: keyof typeof words, email: string): Promise<Page> {
  const context = await suite.browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, suite.served.baseUrl, email, password);
  return page;
}

describe('role masking and the access log', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    it(`masks a customer outside the agent's work and shows the admin who read it (${lang})`, async () => {
      const said = words[lang];
      const agent = await signedIn(lang, said.agent);
      const agentErrors = consoleErrors(agent);
      await agent.goto(`${suite.served.baseUrl}/app/customers/${customerId}`);
      const note = agent.locator('[data-testid="customer-masked"]');
      await note.waitFor({ state: 'visible' });
      expect(await note.innerText()).toContain(said.masked);
      expect(await agent.locator('[data-testid="customer-name"]').innerText()).toBe('L**');
      const shown = await agent.locator('body').innerText();
      expect(shown).not.toContain('lin.xiaomei@example.com');
      expect(shown).not.toContain('13812345678');
      expect(await agent.locator('[data-testid="customer-access-log"]').count()).toBe(0);
      expect(agentErrors).toEqual([]);
      await agent.context().close();

      const admin = await signedIn(lang, said.admin);
      await admin.goto(`${suite.served.baseUrl}/app/customers/${customerId}`);
      const link = admin.locator('[data-testid="customer-access-log"]');
      await link.waitFor({ state: 'visible' });
      expect(await link.innerText()).toBe(said.whoRead);
      await link.click();
      const heading = admin.locator('[data-testid="access-log-title"]');
      await admin.waitForFunction((text) => document.querySelector('[data-testid="access-log-title"]')?.textContent === text, said.heading);
      expect(await heading.isVisible()).toBe(true);
      // The admin's own read of the page a moment ago is there; the agent's masked view is not a read.
      const row = admin.locator('[data-testid="access-log-row"]').first();
      await row.waitFor({ state: 'visible' });
      const rowText = await row.innerText();
      expect(rowText).toContain(said.adminName);
      expect(rowText).toContain('GET /customers/:id');
      expect(rowText).toContain(said.fields);
      const rows = await admin.locator('[data-testid="access-log-row"]').allInnerTexts();
      expect(rows.some((text) => text.includes('Sam Support') || text.includes('孙客服'))).toBe(false);
      expect(await seriousViolations(admin)).toEqual([]);

      await admin.goto(`${suite.served.baseUrl}/app/users`);
      const fromUsers = admin.locator(`tr:has-text("${said.admin}") [data-testid="user-access-log"]`);
      await fromUsers.waitFor({ state: 'visible' });
      expect(await fromUsers.innerText()).toBe(said.accessLog);
      await fromUsers.click();
      await admin.waitForFunction((text) => document.querySelector('[data-testid="access-log-title"]')?.textContent === text, said.byAdmin);
      await admin.locator('[data-testid="access-log-row"]').first().waitFor({ state: 'visible' });
      await admin.context().close();
    });
  }
});
