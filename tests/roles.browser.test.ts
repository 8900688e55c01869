// Each role signs in through the login page in real Chromium and lands on the first page its menu offers,
// with that page open and marked in the menu: managers and admins on Insights, support on their complaints queue,
// interviewers on Calls. Opening the app's address later lands there too.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../server/db/schema.ts';
import { signedInAs } from './support/app.ts';
import { launchChromium, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

const landings = [
  { role: 'admin', path: '/app/insights', heading: 'Insights', menu: ['Insights', 'Surveys', 'Complaints', 'Customers', 'Follow-ups', 'Campaigns', 'Calls', 'Data entry', 'Kiosks', 'Outbox', 'Users', 'Integrations'] },
  { role: 'manager', path: '/app/insights', heading: 'Insights', menu: ['Insights', 'Surveys', 'Complaints', 'Customers', 'Follow-ups', 'Campaigns', 'Calls', 'Data entry', 'Kiosks', 'Outbox'] },
  { role: 'support', path: '/app/complaints', heading: 'Complaints', menu: ['Complaints', 'Customers', 'Follow-ups', 'Responses'] },
  { role: 'interviewer', path: '/app/calls', heading: 'Calls', menu: ['Calls', 'Data entry', 'Kiosks', 'Complaints'] },
] as const;

describe('where each role lands', () => {
  for (const landing of landings) {
    it(`lands the ${landing.role} on ${landing.heading}, the first page of their menu`, async () => {
      await signedInAs(served, landing.role);
      const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, landing.role));
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await signInThroughPage(page, served.baseUrl, account!.email, 'correct horse battery');
      await page.waitForURL((url) => url.pathname === landing.path);
      const heading = page.locator('main h1').first();
      await heading.waitFor();
      expect(await heading.isVisible()).toBe(true);
      expect(await heading.textContent()).toContain(landing.heading);
      const menu = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
      expect(await menu.allTextContents()).toEqual(landing.menu);
      for (const link of await menu.all()) expect(await link.isVisible()).toBe(true);
      expect(await menu.first().getAttribute('class')).toContain('active');

      // The app's own address sends the person to the same page.
      await page.goto(`${served.baseUrl}/app/`);
      await page.waitForURL((url) => url.pathname === landing.path);
      await context.close();
    });
  }
});
