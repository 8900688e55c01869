// Fixtures for complaints tests: a case logged through the staff API as an agent would, and a case's page
// opened in the staff app and shown.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { StaffClient } from './app.ts';

export interface LoggedCase {
  id: string;
  reference: string;
}

/** Logs a case by phone through POST /api/complaints/cases; the fields given replace the defaults. */
export async function logCase(staff: StaffClient, fields: Record<string, unknown> = {}): Promise<LoggedCase> {
  const response = await staff.request('POST', '/api/complaints/cases', {
    channel: 'phone',
    category: 'delivery',
    description: 'The parcel arrived two weeks late and the box was crushed.',
    locale: 'en',
    contactName: 'Chen Jie',
    contactEmail: 'chen.jie@example.cn',
    contactConsent: true,
    contactChannel: 'email',
    ...fields,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { case: logged } = (await response.json()) as { case: LoggedCase };
  return logged;
}

/** Opens a case's page in the staff app and waits until its reference shows. */
export async function openCasePage(page: Page, baseUrl: string, logged: LoggedCase) {
  await page.goto(`${baseUrl}/app/complaints/cases/${encodeURIComponent(logged.id)}`);
  await page.locator('[data-testid="case-reference"]', { hasText: logged.reference }).waitFor();
}
