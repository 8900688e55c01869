// Counts in the staff app, in real Chromium: written as the screen's language writes numbers ("1,234"), in
// table cells, buttons and sentences alike, in English and in Chinese, and after switching between them.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, responses, surveyVersions } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { signedInAs } from './support/app.ts';
import { consoleErrors, launchChromium, serveTestApp, type ServedApp } from './support/browser.ts';

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '门店体验', en: 'Store visit' },
  questions: [{ id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '您有多大可能推荐我们？', en: 'How likely are you to recommend us?' } }],
};
const answered = 1234;

let served: ServedApp;
let browser: Browser;
let surveyId: string;
let kioskId: string;
let cookie: string;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  const admin = await signedInAs(served, 'admin');
  cookie = admin.cookie.replace(/^sid=/, '');
  const created = await (await admin.request('POST', '/api/surveys', { definition, slug: 'store-visit' })).json();
  surveyId = created.survey.id;
  await admin.request('POST', `/api/surveys/${surveyId}/publish`);
  const [version] = await served.db.select({ id: surveyVersions.id }).from(surveyVersions).where(eq(surveyVersions.surveyId, surveyId));
  kioskId = randomUUID();
  await served.db.insert(campaigns).values({
    id: kioskId,
    name: 'Lobby kiosk',
    surveyId,
    delivery: 'kiosk',
    status: 'running',
    settings: { kiosk: { location: 'Shanghai Lobby 1', idleSeconds: 60 } },
    kioskKey: randomUUID().replace(/-/g, ''),
  });
  const now = Date.now();
  const rows = Array.from({ length: answered }, (_, i) => ({
    id: randomUUID(),
    surveyId,
    versionId: version!.id,
    channel: 'onsite' as const,
    locale: 'zh-CN' as const,
    answers: { nps: i % 11 },
    submittedAt: now - i,
    campaignId: kioskId,
  }));
  for (let start = 0; start < rows.length; start += 200) await served.db.insert(responses).values(rows.slice(start, start + 200));
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function staffPage(locale: 'en-US' | 'zh-CN'): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'sid', value: cookie, url: served.baseUrl }]);
  const page = await context.newPage();
  return { page, errors: consoleErrors(page), close: () => context.close() };
}

/** The visible text of a locator, after waiting for it. */
async function shown(page: Page, selector: string) {
  const element = page.locator(selector).first();
  await element.waitFor();
  expect(await element.isVisible()).toBe(true);
  return (await element.innerText()).trim();
}

describe('counts in the staff app', () => {
  it.each([
    ['en-US', 'Responses (1,234)', '1,234 responses'],
    ['zh-CN', '答卷 (1,234)', '1,234 份答卷'],
  ] as const)('in %s are grouped as the language writes them, everywhere they show', async (locale, button, versionLine) => {
    const { page, errors, close } = await staffPage(locale);
    await page.goto(`${served.baseUrl}/app/surveys`);
    const row = page.locator('tr', { hasText: locale === 'en-US' ? 'Store visit' : '门店体验' });
    await row.waitFor();
    expect(await row.innerText()).toContain('1,234');
    expect(await row.innerText()).not.toContain('1234');

    await page.goto(`${served.baseUrl}/app/surveys/${surveyId}`);
    expect(await shown(page, '[data-testid="open-responses"]')).toBe(button);
    expect(await shown(page, '.version-list li')).toContain(versionLine);

    await page.goto(`${served.baseUrl}/app/kiosks`);
    expect(await shown(page, '[data-testid="kiosk-today"]')).toBe('1,234');
    expect(errors).toEqual([]);
    await close();
  });
});
