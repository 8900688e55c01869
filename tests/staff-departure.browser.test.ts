// A departing agent in real Chromium: the users list shows the complaint cases each person holds; deactivating
// someone who holds cases asks who takes them over, moves them and deactivates, and says what happened, also
// when the server refuses the move or, after the move, the deactivation.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { assign, type StaffViewer } from '../server/complaints/service.ts';
import { users } from '../server/db/schema.ts';
import { openTestCase } from './support/complaints.ts';
import { launchChromium, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';

let served: ServedApp;
let browser: Browser;
const admin: StaffViewer = { id: 'admin-ada', name: 'Ada', role: 'admin' };

async function addUser(id: string, name: string, role: StaffViewer['role']) {
  await served.db.insert(users).values({ id, email: `${id}@example.com`, name, role, passwordHash: await hashPassword('staff password 1') });
}

/** Opens cases and gives them to the user, as an agent assigning them from the queue would. */
async function giveCases(userId: string, how: number) {
  const ids: string[] = [];
  for (let index = 0; index < how; index += 1) {
    const opened = await openTestCase(served.db, { description: `Parcel ${userId} ${index} never came.` });
    await assign(served.db, admin, opened.id, { assigneeId: userId, version: 1 });
    ids.push(opened.id);
  }
  return ids;
}

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  await served.db.insert(users).values({ id: admin.id, email: 'ada@example.com', name: admin.name, role: 'admin', passwordHash: await hashPassword('admin password 1') });
  await addUser('agent-zhou', 'Zhou Min', 'support');
  await addUser('agent-li', 'Li Na', 'support');
  await addUser('manager-chen', 'Chen Jie', 'manager');
  await addUser('agent-sun', 'Sun Hao', 'support');
  await addUser('agent-wu', 'Wu Lan', 'support');
  await addUser('agent-ma', 'Ma Yun', 'support');
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function usersPage(): Promise<{ context: BrowserContext; page: Page }> {
  // Each test reads the page in English; a language switched to in a test before stays with the account.
  await served.db.update(users).set({ locale: 'en' }).where(eq(users.email, 'ada@example.com'));
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, served.baseUrl, 'ada@example.com', 'admin password 1');
  await page.goto(`${served.baseUrl}/app/users`);
  await page.locator('[data-testid="user-row"]').first().waitFor({ state: 'visible' });
  return { context, page };
}

const row = (page: Page, id: string) => page.locator(`[data-testid="user-row"][data-email="${id}@example.com"]`);
const cell = (page: Page, id: string) => row(page, id).locator('[data-testid="open-cases"]');

/** The ids of the cases the queue lists as someone's, read through the API as the signed-in admin. */
async function casesOf(page: Page, userId: string): Promise<string[]> {
  const answer = await page.request.get(`${served.baseUrl}/api/complaints/cases?queue=all&assigneeId=${userId}`);
  expect(answer.status()).toBe(200);
  return ((await answer.json()).cases as { id: string }[]).map((item) => item.id).sort();
}

describe('deactivating someone who holds complaint cases', () => {
  it('shows the cases each person holds, moves them to the agent chosen, deactivates, and says so', async () => {
    const held = await giveCases('agent-zhou', 3);
    await giveCases('agent-li', 1);
    const { context, page } = await usersPage();
    expect(await page.getByRole('columnheader', { name: 'Open cases' }).isVisible()).toBe(true);
    expect(await cell(page, 'agent-zhou').innerText()).toBe('3');
    expect(await cell(page, 'agent-li').innerText()).toBe('1');
    expect(await cell(page, 'manager-chen').innerText()).toBe('0');

    await row(page, 'agent-zhou').getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog', { name: '3 open cases must move first' });
    await dialog.waitFor({ state: 'visible' });
    const agents = dialog.getByRole('group', { name: 'Who takes the cases' });
    await agents.waitFor({ state: 'visible' });
    // Everyone who can work cases but the person leaving, with what each holds now.
    expect(await agents.getByRole('checkbox').count()).toBe(6);
    expect(await agents.getByRole('checkbox', { name: /Zhou Min/ }).count()).toBe(0);
    expect(await agents.getByText('Li Na (Support agent, holds 1 open now)').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await agents.getByRole('checkbox', { name: /Li Na/ }).check();
    await dialog.getByRole('button', { name: 'Move 3 cases and deactivate' }).click();
    const notice = page.locator('[data-testid="departure-notice"]');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.innerText()).toBe('3 cases moved from Zhou Min to Li Na (3); Zhou Min is deactivated.');
    expect(await dialog.isVisible()).toBe(false);
    await expect.poll(() => cell(page, 'agent-zhou').innerText()).toBe('0');
    expect(await row(page, 'agent-zhou').getByText('Deactivated', { exact: true }).isVisible()).toBe(true);
    expect(await cell(page, 'agent-li').innerText()).toBe('4');

    // The cases are Li Na's now, and Zhou Min holds none.
    expect((await casesOf(page, 'agent-li')).filter((id) => held.includes(id))).toEqual([...held].sort());
    expect(await casesOf(page, 'agent-zhou')).toEqual([]);

    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => notice.innerText()).toBe('已把 Zhou Min 的 3 个案件转给 Li Na（3 个）；Zhou Min 已停用。');
    await context.close();
  });

  it('shows the server’s answer when the move is refused, and changes nothing', async () => {
    const held = await giveCases('agent-sun', 1);
    const { context, page } = await usersPage();
    await row(page, 'agent-sun').getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog', { name: '1 open case must move first' });
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('checkbox', { name: /Wu Lan/ }).check();
    // Wu Lan leaves while the dialog is open.
    await served.db.update(users).set({ active: false }).where(eq(users.id, 'agent-wu'));
    await dialog.getByRole('button', { name: 'Move 1 case and deactivate' }).click();
    const refused = dialog.locator('[data-testid="error-summary"]');
    await refused.waitFor({ state: 'visible' });
    expect(await refused.innerText()).toContain(
      'Who takes the cases: Cases can be assigned only to an active support agent, manager or admin. Pick someone from the list.',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await row(page, 'agent-sun').getByText('Active', { exact: true }).isVisible()).toBe(true);
    expect(await cell(page, 'agent-sun').innerText()).toBe('1');
    expect(await casesOf(page, 'agent-sun')).toEqual(held);
    await context.close();
  });

  it('says the cases moved when the deactivation is refused after the move', async () => {
    await giveCases('agent-ma', 2);
    const { context, page } = await usersPage();
    // A case is given to Ma Yun between the move and the deactivation: the request goes on to the server
    // unchanged once that is done, and the server refuses it.
    let late: string[] = [];
    await page.route('**/api/users/agent-ma', async (route) => {
      if (route.request().method() === 'PATCH') late = await giveCases('agent-ma', 1);
      await route.continue();
    });
    await row(page, 'agent-ma').getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog', { name: '2 open cases must move first' });
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('checkbox', { name: /Chen Jie/ }).check();
    await dialog.getByRole('button', { name: 'Move 2 cases and deactivate' }).click();
    const notice = page.locator('[data-testid="departure-notice"]');
    await notice.waitFor({ state: 'visible' });
    const text = await notice.innerText();
    expect(text).toContain('2 cases moved from Ma Yun to Chen Jie (2), but Ma Yun is still active:');
    expect(text).toContain('Ma Yun still has 1 open complaint case.');
    await expect.poll(() => cell(page, 'agent-ma').innerText()).toBe('1');
    expect(await row(page, 'agent-ma').getByText('Active', { exact: true }).isVisible()).toBe(true);
    expect(await casesOf(page, 'agent-ma')).toEqual(late);

    // Deactivating again asks for the one case left.
    await page.unroute('**/api/users/agent-ma');
    await row(page, 'agent-ma').getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog', { name: '1 open case must move first' }).waitFor({ state: 'visible' });
    await context.close();
  });

  it('asks for the cases given to someone after the list was read, when the server refuses the deactivation', async () => {
    await addUser('agent-he', 'He Ping', 'support');
    const { context, page } = await usersPage();
    expect(await cell(page, 'agent-he').innerText()).toBe('0');
    await giveCases('agent-he', 1);
    await row(page, 'agent-he').getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog', { name: '1 open case must move first' }).waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="error-summary"]').count()).toBe(0);
    await context.close();
  });
});
