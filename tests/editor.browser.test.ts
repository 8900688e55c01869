// The survey editor with a long survey, in real Chromium: questions open one by one or all at once, move by
// keyboard and by drag, leaving with unsaved changes asks first (in the app and when closing the tab), and the
// unsaved work is back after the tab was closed; a problem in a closed question opens it.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pageFitsWidth, signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp({ staff: [{ id: 'manager-fang', email: 'fang@example.com', name: 'Fang', role: 'manager', password: 'manager password 1' }] });

const cards = '[data-testid="question-card"]';
/** The question ids in the order the editor shows them. */
const order = (page: Page) => page.locator(cards).evaluateAll((found) => found.map((card) => card.getAttribute('data-question-id')));
/** How many questions show their fields. */
const openQuestions = (page: Page) => page.locator(`${cards} .question-body`).count();
const announcement = (page: Page) => page.locator('.editor p[role="status"][aria-live="polite"]').innerText();

describe('the survey editor with many questions', () => {
  it('collapses and expands questions, reorders them by keyboard and drag, and guards and keeps unsaved work', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    let page = await context.newPage();
    await signInThroughPage(page, suite.served.baseUrl, 'fang@example.com', 'manager password 1');
    await page.goto(`${suite.served.baseUrl}/app/surveys`);
    await page.click('[data-testid="new-from-template"]');
    await page.click('[data-testid="template-acsi"]');
    await page.waitForURL(/\/app\/surveys\/[^/]+$/);
    const editorUrl = page.url();
    await page.locator(cards).first().waitFor();

    // A long survey opens as a list of its questions' titles.
    const initial = await order(page);
    expect(initial.length).toBeGreaterThan(10);
    expect(await openQuestions(page)).toBe(0);
    const firstToggle = page.locator('[data-testid="question-toggle"]').first();
    expect(await firstToggle.getAttribute('aria-expanded')).toBe('false');
    expect(await firstToggle.textContent()).toMatch(/^▸Question 1 · Rating scale · Before you became our customer/);
    const questionsHeight = async () => (await page.locator('section.questions').boundingBox())!.height;
    const collapsedHeight = await questionsHeight();

    await firstToggle.click();
    expect(await firstToggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator(`${cards} >> nth=0`).getByLabel('Question ID').isVisible()).toBe(true);
    expect(await openQuestions(page)).toBe(1);
    await page.click('[data-testid="expand-all"]');
    expect(await openQuestions(page)).toBe(initial.length);
    const expandedHeight = await questionsHeight();
    expect(expandedHeight).toBeGreaterThan(collapsedHeight * 3);
    await page.click('[data-testid="collapse-all"]');
    expect(await openQuestions(page)).toBe(0);
    // On a phone the list of titles fits the screen, each title cut to one line.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageFitsWidth(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });

    // By keyboard: the handle of question 1, arrow down; the keyboard stays on the moved question's handle.
    await page.locator('#q0-handle').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => order(page)).toEqual([initial[1], initial[0], ...initial.slice(2)]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q1-handle');
    await expect.poll(() => announcement(page)).toBe('Question 1 moved to position 2.');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => order(page)).toEqual(initial);

    // By mouse: the third question's handle onto the first question.
    await page.locator('#q2-handle').dragTo(page.locator(`${cards} >> nth=0`));
    await expect.poll(() => order(page)).toEqual([initial[2], initial[0], initial[1], ...initial.slice(3)]);
    await expect.poll(() => announcement(page)).toBe('Question 3 moved to position 1.');

    // By finger on a phone: the touch drags the question (not the page), here the second onto the third.
    await page.setViewportSize({ width: 390, height: 844 });
    const touch = await page.context().newCDPSession(page);
    await touch.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    const centre = async (selector: string) => {
      const box = (await page.locator(selector).boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    await page.locator('#q1-handle').evaluate((handle) => handle.scrollIntoView({ block: 'center' }));
    const from = await centre('#q1-handle');
    const to = await centre(`${cards} >> nth=2`);
    const scrolledBefore = await page.evaluate(() => window.scrollY);
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
    for (let step = 1; step <= 8; step += 1) {
      const y = from.y + ((to.y - from.y) * step) / 8;
      await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x, y }] });
    }
    expect(await page.locator('.question-list > li.drop-target').count()).toBe(1);
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const reordered = [initial[2], initial[1], initial[0], ...initial.slice(3)];
    await expect.poll(() => order(page)).toEqual(reordered);
    await expect.poll(() => announcement(page)).toBe('Question 2 moved to position 3.');
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolledBefore);
    // A tap on the handle is not a drag.
    const handle = await centre('#q0-handle');
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [handle] });
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(await order(page)).toEqual(reordered);
    await touch.send('Emulation.setTouchEmulationEnabled', { enabled: false });
    await touch.detach();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('[data-testid="unsaved-changes"]').waitFor({ state: 'visible' });

    const violations = (await new AxeBuilder({ page }).include('.questions').analyze()).violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    expect(violations).toEqual([]);

    // Leaving for another page of the app asks first; staying keeps the work on screen.
    await page.locator('.breadcrumb a').click();
    const leaveDialog = page.getByRole('dialog', { name: 'Leave with unsaved changes?' });
    await leaveDialog.waitFor({ state: 'visible' });
    await leaveDialog.getByRole('button', { name: 'Stay' }).click();
    await leaveDialog.waitFor({ state: 'hidden' });
    expect(page.url()).toBe(editorUrl);
    expect(await order(page)).toEqual(reordered);

    // Closing the tab asks too.
    let askedOnClose = false;
    page.on('dialog', (dialog) => {
      askedOnClose = dialog.type() === 'beforeunload';
      void dialog.accept();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => askedOnClose).toBe(true);

    // Another visit: the unsaved order is back, and the editor says where it came from.
    page = await context.newPage();
    await page.goto(editorUrl);
    await page.locator('[data-testid="restored-draft"]').waitFor({ state: 'visible' });
    expect(await order(page)).toEqual(reordered);
    expect(await page.locator('[data-testid="unsaved-changes"]').isVisible()).toBe(true);

    // A problem in a closed question is listed; following its link opens the question at the field.
    await page.locator(`${cards} >> nth=1`).locator('[data-testid="question-toggle"]').click();
    const idField = page.locator(`${cards} >> nth=1`).getByLabel('Question ID');
    await idField.fill('');
    await page.locator(`${cards} >> nth=1`).locator('[data-testid="question-toggle"]').click();
    expect(await openQuestions(page)).toBe(0);
    await page.click('[data-testid="save-draft"]');
    const problem = page.locator('#editor-problems a').first();
    await problem.waitFor({ state: 'visible' });
    await problem.click();
    await expect.poll(() => openQuestions(page)).toBe(1);
    await expect.poll(() => idField.evaluate((field) => field === document.activeElement)).toBe(true);
    await idField.fill(initial[0]!);

    // Leaving, confirmed, goes.
    await page.locator('.breadcrumb a').click();
    await page.getByRole('dialog', { name: 'Leave with unsaved changes?' }).getByRole('button', { name: 'Leave' }).click();
    await page.waitForURL(/\/app\/surveys$/);
    await context.close();
  });
});

describe('the repurchase-intent mark on a rating question', () => {
  it.each([
    ['en-US', 'Measures repurchase intent (how likely to buy again; the loyalty score reads it)', 'already measures repurchase intent; mark only one question per survey'],
    ['zh-CN', '测量再次购买意愿（再次购买的可能性，忠诚度得分会读取）', '已标记为测量再次购买意愿，每份问卷只能标记一道题。'],
  ])('in %s: shown on the ACSI template, refused twice, moved and kept', async (locale, label, twice) => {
    const context = await suite.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInThroughPage(page, suite.served.baseUrl, 'fang@example.com', 'manager password 1');
    await page.goto(`${suite.served.baseUrl}/app/surveys`);
    await page.click('[data-testid="new-from-template"]');
    await page.click('[data-testid="template-acsi"]');
    await page.waitForURL(/\/app\/surveys\/[^/]+$/);
    await page.locator(cards).first().waitFor();
    const card = (id: string) => page.locator(`${cards}[data-question-id="${id}"]`);
    const mark = (id: string) => card(id).getByLabel(label);
    const open = async (id: string) => {
      await card(id).locator('[data-testid="question-toggle"]').click();
      await mark(id).waitFor({ state: 'visible' });
    };
    await open('loyal_repurchase');
    await open('loyal_price_tolerance');
    expect(await mark('loyal_repurchase').isChecked()).toBe(true);
    expect(await mark('loyal_price_tolerance').isChecked()).toBe(false);

    // Two marked: the editor says to keep one, in the reader's language.
    await mark('loyal_price_tolerance').check();
    await page.click('[data-testid="save-draft"]');
    const problems = page.locator('#editor-problems');
    await problems.waitFor({ state: 'visible' });
    expect(await problems.innerText()).toContain(twice);

    // One marked, moved to the other question: saved, and still so after a reload.
    await mark('loyal_repurchase').uncheck();
    await page.click('[data-testid="save-draft"]');
    await page.locator('[data-testid="unsaved-changes"]').waitFor({ state: 'hidden' });
    expect(await problems.isVisible()).toBe(false);
    await page.reload();
    await page.locator(cards).first().waitFor();
    await open('loyal_repurchase');
    await open('loyal_price_tolerance');
    expect(await mark('loyal_repurchase').isChecked()).toBe(false);
    expect(await mark('loyal_price_tolerance').isChecked()).toBe(true);
    // Only rating questions carry the mark.
    await card('complained').locator('[data-testid="question-toggle"]').click();
    await card('complained').locator('.question-body').waitFor({ state: 'visible' });
    expect(await card('complained').getByLabel(label).count()).toBe(0);
    await context.close();
  });
});
