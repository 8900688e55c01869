// An admin finds the integration API's reference from the Integrations page and reads it in real Chromium:
// served by the server itself (nothing from elsewhere, no script), in English and Chinese, readable on a phone.
import { describe, expect, it } from 'vitest';
import { consoleErrors, pageFitsWidth, seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp({ staff: [{ id: 'admin-li', email: 'li@example.com', name: 'Li', role: 'admin', password: 'admin password 33' }] });

describe('the API reference page', () => {
  it('opens from the Integrations page and shows every route with its fields, answers and errors', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(suite.served.baseUrl)) outside.push(request.url());
    });
    await signInThroughPage(page, suite.served.baseUrl, 'li@example.com', 'admin password 33');
    await page.goto(`${suite.served.baseUrl}/app/integrations`);
    await page.getByTestId('api-reference').click();
    await page.waitForURL((url) => url.pathname === '/api/v1/docs');

    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Satisfaction platform integration API' }).isVisible()).toBe(true);
    for (const route of ['PUT /customers/{externalId}', 'POST /events', 'POST /complaints', 'POST /purchases']) {
      expect(await page.getByRole('heading', { level: 3, name: route }).isVisible(), route).toBe(true);
    }
    expect(await page.getByRole('cell', { name: 'purchases[].amount', exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Authorization: Bearer sk_...').first().isVisible()).toBe(true);
    expect(await page.locator('#reportEvent dt', { hasText: '202' }).isVisible()).toBe(true);
    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 375, height: 800 });
    expect(await pageFitsWidth(page)).toBe(true);

    await page.getByRole('link', { name: '中文' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '满意度平台集成接口' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 4, name: '请求内容' }).first().isVisible()).toBe(true);

    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
