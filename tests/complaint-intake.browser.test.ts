// Complaints and closing the loop in real Chromium. The survey editor: off by default; a manager adds rules (CSAT
// at most, c below on any attribute), sees a threshold out of range refused at its field, removes a rule, saves,
// finds the rules again after a reload, and reads the section in Chinese. The public complaint form: contact
// details appear once consent is ticked, a mistyped email is shown in the customer's language, and the sent form
// opens a case.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { complaintCases, surveys } from '../server/db/schema.ts';
import { createSurvey, publish } from '../server/surveys/service.ts';
import { signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp({ staff: [{ id: 'manager-fang', email: 'fang@example.com', name: 'Fang', role: 'manager', password: 'manager password 1' }] });

const section = '[data-testid="loop-rules"]';
const visibleText = (page: Page, selector: string) => page.locator(selector).innerText();

describe('closing the loop in the survey editor', () => {
  it('adds, checks, removes and saves loop-closing rules, in both languages', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInThroughPage(page, suite.served.baseUrl, 'fang@example.com', 'manager password 1');
    await page.goto(`${suite.served.baseUrl}/app/surveys`);
    await page.click('[data-testid="new-from-template"]');
    await page.click('[data-testid="template-expectation-experience"]');
    await page.waitForURL(/\/app\/surveys\/[^/]+$/);
    const surveyId = page.url().split('/').pop()!;

    // Off by default.
    await page.locator(section).scrollIntoViewIfNeeded();
    expect(await page.locator(`${section} h2`).innerText()).toBe('Close the loop');
    expect(await page.locator('[data-testid="loop-off"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="loop-off"]').innerText()).toBe('Off: no answer to this survey opens a case.');

    // The first rule reads the first kind this survey allows: CSAT at most 2 on the overall question.
    await page.click('[data-testid="add-loop-rule"]');
    const first = page.locator('[data-testid="loop-rule-0"]');
    await first.waitFor({ state: 'visible' });
    expect(await first.getByLabel('Open a case when').inputValue()).toBe('csat_at_most');
    expect(await first.getByLabel('Question').locator('option:checked').innerText()).toMatch(/^6\. /);
    expect(await first.getByLabel('CSAT at most (1–4)').inputValue()).toBe('2');
    expect(await page.locator('[data-testid="loop-off"]').count()).toBe(0);

    // A second rule: c below 0.8 on any attribute; then a threshold out of range is refused where it is typed.
    await page.click('[data-testid="add-loop-rule"]');
    const second = page.locator('[data-testid="loop-rule-1"]');
    await second.getByLabel('Open a case when').selectOption('c_below');
    expect(await second.getByLabel('Attribute').locator('option:checked').innerText()).toBe('Any attribute');
    expect(await second.getByLabel('c below').inputValue()).toBe('0.8');
    await first.getByLabel('CSAT at most (1–4)').fill('5');
    await page.click('[data-testid="save-draft"]');
    const problems = page.locator('#editor-problems');
    await problems.waitFor({ state: 'visible' });
    expect(await problems.innerText()).toContain('Loop-closing rule 1 › value: the CSAT threshold must be a whole number from 1 to 4');
    const fieldError = first.locator('.field-error');
    expect(await fieldError.isVisible()).toBe(true);
    expect(await fieldError.innerText()).toContain('the CSAT threshold must be a whole number from 1 to 4');
    await first.getByLabel('CSAT at most (1–4)').fill('2');

    // A third rule, removed again.
    await page.click('[data-testid="add-loop-rule"]');
    await page.locator('[data-testid="loop-rule-2"]').waitFor({ state: 'visible' });
    await page.click('[data-testid="remove-loop-rule-2"]');
    expect(await page.locator('[data-testid="loop-rule-2"]').count()).toBe(0);

    await page.click('[data-testid="save-draft"]');
    await page.locator('.alert-success').getByText('Draft saved.').waitFor({ state: 'visible' });
    const [saved] = await suite.served.db.select({ draft: surveys.draft }).from(surveys).where(eq(surveys.id, surveyId));
    expect(saved!.draft.loopRules).toEqual([
      { id: 'rule1', kind: 'csat_at_most', question: 'overall', value: 2 },
      { id: 'rule2', kind: 'c_below', value: 0.8 },
    ]);

    // After a reload the rules are there, and in Chinese the section speaks Chinese.
    await page.reload();
    await page.locator('[data-testid="loop-rule-1"]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="loop-rule-1"]').getByLabel('c below').inputValue()).toBe('0.8');
    await page.click('.language-switch button[lang="zh-CN"]');
    await expect.poll(() => visibleText(page, `${section} h2`)).toBe('闭环');
    expect(await page.locator('[data-testid="loop-rule-0"]').getByLabel('CSAT 不高于（1–4）').inputValue()).toBe('2');
    expect(await page.locator('[data-testid="loop-rule-1"]').getByLabel('属性').locator('option:checked').innerText()).toBe('任一属性');
    expect(await page.locator(`${section}`).getByText('只有已知客户且同意接受回访联系时才会开立案件').isVisible()).toBe(true);
    await context.close();
  });
});

describe('the complaint form on the public page', () => {
  it('asks for contact details once consent is ticked, checks the email in the customer\'s language, and opens a case', async () => {
    const created = await createSurvey(suite.served.db, { templateId: 'complaint-form', slug: 'complain', createdBy: null });
    await publish(suite.served.db, { id: created.id, publishedBy: 'manager-fang' });
    for (const [locale, problem] of [
      ['en-US', 'Enter an email address, like name@example.com.'],
      ['zh-CN', '请输入有效的电子邮件地址，例如 name@example.com。'],
    ] as const) {
      const context = await suite.browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(`${suite.served.baseUrl}/s/complain`);
      const option = (question: string, value: string) => page.locator(`[data-question="${question}"] label:has(input[value="${value}"])`).click();
      await option('category', 'delivery');
      await option('severity', 'minor');
      await page.locator('[data-question="description"] textarea').fill('The parcel came a week late.');
      await option('desired_outcome', 'apology');
      const email = page.locator('[data-question="contact_email"] input');
      expect(await email.count()).toBe(0);
      await page.locator('[data-question="contact_consent"] input[type="checkbox"]').check();
      await email.waitFor({ state: 'visible' });
      expect(await email.getAttribute('type')).toBe('email');
      expect(await page.locator('[data-question="contact_phone"] input').getAttribute('type')).toBe('tel');
      await email.fill('li.wei@');
      await page.click('[data-testid="submit"]');
      const error = page.locator('[data-testid="error-contact_email"]');
      await expect.poll(() => error.isVisible()).toBe(true);
      expect(await error.innerText()).toContain(problem);
      expect(await suite.served.db.select({ id: complaintCases.id }).from(complaintCases)).toHaveLength(locale === 'en-US' ? 0 : 1);

      await email.fill('li.wei@example.com');
      await expect.poll(() => error.count()).toBe(0);
      await page.click('[data-testid="submit"]');
      await page.locator('[data-testid="thank-you"]').waitFor();
      await context.close();
    }
    const cases = await suite.served.db.select().from(complaintCases);
    expect(cases).toHaveLength(2);
    expect(cases.map((row) => [row.channel, row.category, row.contactEmail, row.locale]).sort()).toEqual([
      ['web', 'delivery', 'li.wei@example.com', 'en'],
      ['web', 'delivery', 'li.wei@example.com', 'zh-CN'],
    ]);
  });
});
