// A manager edits the index model of an ACSI-style survey in the staff editor, in real Chromium: the
// template's constructs and paths, a cycle reported in both languages, an emptied construct, and the saved change.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { surveys } from '../server/db/schema.ts';
import { signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp({ staff: [{ id: 'manager-lin', email: 'lin@example.com', name: 'Lin', role: 'manager', password: 'manager password 1' }] });

async function signIn(page: Page) {
  await signInThroughPage(page, suite.served.baseUrl, 'lin@example.com', 'manager password 1');
}

const section = '[data-testid="index-model"]';
const modelErrors = `${section} [data-testid="index-model-errors"]`;
const valueItems = '[data-testid="construct-items-2"]';

/** The question ids ticked as items of a construct. */
const tickedItems = (page: Page, construct: number) =>
  page.locator(`[data-testid="construct-items-${construct}"] input[type="checkbox"]:checked`).evaluateAll((inputs) =>
    inputs.map((input) => (input as HTMLInputElement).value),
  );

describe('the index model editor', () => {
  it('lets a manager change the ACSI model, shows its problems where they are, and keeps the saved change', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    // Managers land on Insights; surveys are made from the Surveys page.
    await page.click('[data-testid="nav-surveys"]');
    await page.click('[data-testid="new-from-template"]');
    await page.click('[data-testid="template-acsi"]');
    await page.waitForURL(/\/app\/surveys\/[^/]+$/);

    await page.locator(section).waitFor();
    expect(await page.locator(`${section} .construct`).count()).toBe(5);
    expect(await page.locator(`${section} [data-testid^="path-row-"]`).count()).toBe(7);
    expect(await tickedItems(page, 2)).toEqual(['value_price', 'value_quality']);
    // A question another construct measures is named with it, not offered again.
    expect(await page.locator(`${valueItems} input[value="qual_overall"]`).count()).toBe(0);
    expect(await page.locator('[data-testid="used-elsewhere-2"]').textContent()).toContain('Quality: qual_overall, qual_custom, qual_reliability');

    await page.click('[data-testid="add-path"]');
    await page.selectOption('#f-indexModel_paths_7_0', 'Loyalty');
    await page.selectOption('#f-indexModel_paths_7_1', 'Expectation');
    await page.click('[data-testid="save-draft"]');
    await expect.poll(() => page.locator(modelErrors).textContent()).toMatch(/the paths form a cycle .*Loyalty → Expectation/);

    await page.click('.language-switch button[lang="zh-CN"]');
    await expect.poll(() => page.locator(modelErrors).textContent()).toMatch(/路径形成了循环 .*Loyalty → Expectation/);
    await page.click('.language-switch button[lang="en"]');

    await page.click('[data-testid="remove-path-7"]');
    await expect.poll(() => page.locator(modelErrors).count()).toBe(0);
    expect(await page.locator(`${section} [data-testid^="path-row-"]`).count()).toBe(7);

    for (const item of ['value_price', 'value_quality']) await page.locator(`${valueItems} input[value="${item}"]`).uncheck();
    await expect.poll(() => page.locator(`${valueItems} .field-error`).textContent()).toContain('construct "Value" has no items');

    await page.locator(`${valueItems} input[value="value_price"]`).check();
    await page.locator(`${valueItems} input[value="complaint_handling"]`).check();
    await expect.poll(() => page.locator(`${valueItems} .field-error`).count()).toBe(0);

    const violations = (await new AxeBuilder({ page }).include(section).analyze()).violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    expect(violations).toEqual([]);

    await page.click('[data-testid="save-draft"]');
    await expect.poll(() => page.locator('[data-testid="unsaved-changes"]').count()).toBe(0);
    await page.reload();
    await page.locator(section).waitFor();
    expect(await tickedItems(page, 2)).toEqual(['value_price', 'complaint_handling']);
    expect(await page.locator(`${section} [data-testid^="path-row-"]`).count()).toBe(7);

    const [saved] = await suite.served.db.select({ draft: surveys.draft }).from(surveys);
    const model = (saved!.draft as { indexModel: { constructs: { id: string; items: string[] }[] } }).indexModel;
    expect(model.constructs.find((construct) => construct.id === 'Value')?.items).toEqual(['value_price', 'complaint_handling']);

    await page.click('[data-testid="remove-index-model"]');
    await page.click('[data-testid="confirm-remove-index-model"]');
    await page.locator('[data-testid="add-index-model"]').waitFor();
    await page.click('[data-testid="add-index-model"]');
    expect(await page.locator(`${section} .construct`).count()).toBe(2);
    expect(await tickedItems(page, 0)).toEqual([]);
    await context.close();
  });
});
