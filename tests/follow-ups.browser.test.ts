// The follow-up list in real Chromium, in both languages: an owner's own tasks, the calls to make with the
// number to call, an outcome recorded, a customer who may no longer be called refused with the reason, skips with
// their reasons; and the Users page moving an account owner's customers before deactivating them.
import type { BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { customers, followUps, purchases, users } from '../server/db/schema.ts';
import { dayMs } from '../server/loyalty/follow-up-rules.ts';
import { planFollowUps } from '../server/loyalty/follow-ups.ts';
import { consoleErrors, seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp();

async function addUser(id: string, name: string, role: 'admin' | 'manager' | 'support', locale: 'en' | 'zh-CN' = 'en') {
  await suite.served.db.insert(users).values({ id, email: `${id}@example.com`, name, role, locale, passwordHash: await hashPassword('staff password 1') });
}

beforeAll(async () => {
  await addUser('admin-ada', 'Ada', 'admin');
  await addUser('agent-lin', 'Lin Tao', 'support');
  await addUser('agent-zhao', 'Zhao Yu', 'support', 'zh-CN');
  await addUser('agent-he', 'He Ping', 'support');
  const phone = { preferredChannel: 'phone' as const, consents: { phone: ['follow_up' as const] } };
  await suite.served.db.insert(customers).values([
    { id: 'c-vip', name: 'Golden Tea House', phone: '+86 21 5555 0101', tier: 'vip', ownerId: 'agent-lin', ...phone },
    { id: 'c-thanks', name: 'Wang Fang', phone: '+86 138 0013 8000', ...phone },
    { id: 'c-withdrawn', name: 'Zhou Min', phone: '+86 139 0000 0002', ...phone },
    { id: 'c-dnc', name: 'Sun Li', phone: '+86 139 0000 0003', doNotContact: true, ...phone, ownerId: 'agent-zhao' },
    { id: 'c-owned', name: 'Blue River Ltd', email: 'blue@example.org', ownerId: 'agent-zhao' },
  ]);
  for (const [customerId, orderId] of [
    ['c-thanks', 'A-1001'],
    ['c-withdrawn', 'A-1002'],
    ['c-dnc', 'A-1003'],
  ] as const) {
    await suite.served.db.insert(purchases).values({ customerId, orderId, occurredAt: Date.now() - 4 * dayMs, amountMinor: 25_000, currency: 'CNY', source: 'api' });
  }
  await planFollowUps(suite.served.db, { now: Date.now() });
  // Consent to be phoned withdrawn after the call was planned.
  await suite.served.db.update(customers).set({ consents: {} }).where(eq(customers.id, 'c-withdrawn'));
});

async function signedIn(email: string, locale: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await suite.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = consoleErrors(page);
  await signInThroughPage(page, suite.served.baseUrl, email, 'staff password 1');
  return { context, page, errors };
}

const rowOf = (page: Page, name: string) => page.locator('[data-testid="follow-up"]', { hasText: name });

describe('the follow-up list', () => {
  it('is announced on the call list for admins and managers, beside the phone campaigns', async () => {
    const { context, page } = await signedIn('admin-ada@example.com', 'en-US');
    await page.goto(`${suite.served.baseUrl}/app/calls`);
    const item = page.getByTestId('follow-up-calls');
    await item.waitFor({ state: 'visible' });
    expect(await item.getByRole('heading', { name: 'Follow-up calls' }).isVisible()).toBe(true);
    expect(await item.getByText('2 thank-you and VIP calls are waiting on the follow-up list.').isVisible()).toBe(true);
    await item.getByRole('link', { name: 'Open the follow-up list' }).click();
    await rowOf(page, 'Wang Fang').waitFor({ state: 'visible' });
    expect(await page.getByRole('link', { name: /^Calls to make/ }).getAttribute('aria-current')).toBe('page');
    await context.close();
  });

  it('shows an owner their VIP customer, the calls to make with the number to call, and records an outcome', async () => {
    const { context, page, errors } = await signedIn('agent-lin@example.com', 'en-US');
    await page.getByRole('link', { name: 'Follow-ups' }).click();
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor({ state: 'visible' });
    // Mine: the VIP customer this agent owns.
    const vip = rowOf(page, 'Golden Tea House');
    await vip.waitFor({ state: 'visible' });
    expect(await vip.getByText('VIP follow-up').isVisible()).toBe(true);
    expect(await vip.getByText('Call +86 21 5555 0101').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Mine (1)' }).getAttribute('aria-current')).toBe('page');
    // No managers' tasks for a support agent.
    expect(await page.getByRole('link', { name: /Managers' tasks/ }).count()).toBe(0);

    await page.getByRole('link', { name: /Calls to make \(\d+\)/ }).click();
    const thanks = rowOf(page, 'Wang Fang');
    await thanks.waitFor({ state: 'visible' });
    expect(await thanks.getByText('Thank-you after a purchase').isVisible()).toBe(true);
    expect(await thanks.getByText('Order A-1001').isVisible()).toBe(true);
    expect(await thanks.getByText('Call +86 138 0013 8000').isVisible()).toBe(true);
    expect(await thanks.getByText('Whoever takes it').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await thanks.getByRole('button', { name: 'Record the outcome for Wang Fang' }).click();
    const dialog = page.getByRole('dialog', { name: 'Outcome of the follow-up with Wang Fang' });
    await dialog.waitFor({ state: 'visible' });
    // Saving without an outcome says what is missing.
    await dialog.getByRole('button', { name: 'Save outcome' }).click();
    expect(await dialog.getByText('Choose what the follow-up came to.').isVisible()).toBe(true);
    await dialog.getByLabel('What did it come to?').selectOption('reached');
    await dialog.getByLabel('Note (optional)').fill('Very happy with the tea set.');
    await dialog.getByRole('button', { name: 'Save outcome' }).click();
    await page.getByTestId('follow-up-notice').waitFor({ state: 'visible' });
    expect(await page.getByTestId('follow-up-notice').innerText()).toBe('Outcome saved for Wang Fang.');
    await expect.poll(() => rowOf(page, 'Wang Fang').count()).toBe(0);

    // Done: the outcome, who recorded it.
    await page.getByLabel('Status').selectOption('closed');
    const done = rowOf(page, 'Wang Fang');
    await done.waitFor({ state: 'visible' });
    expect(await done.getByText('Spoke to the customer').isVisible()).toBe(true);
    expect(await done.getByText(/^Lin Tao, /).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('warns before calling a customer who withdrew consent, and closes the task with the reason when it is worked', async () => {
    const { context, page } = await signedIn('agent-he@example.com', 'en-US');
    await page.goto(`${suite.served.baseUrl}/app/follow-ups?view=calls`);
    const row = rowOf(page, 'Zhou Min');
    await row.waitFor({ state: 'visible' });
    expect(await row.getByTestId('contact-now').innerText()).toBe('Do not contact now: no consent to follow-up on this channel');
    await row.getByRole('button', { name: 'Record the outcome for Zhou Min' }).click();
    const dialog = page.getByRole('dialog', { name: 'Outcome of the follow-up with Zhou Min' });
    await dialog.getByLabel('What did it come to?').selectOption('reached');
    await dialog.getByRole('button', { name: 'Save outcome' }).click();
    await dialog.getByText(/Do not contact this customer for follow-up: the customer has not consented to follow-up on this channel/).waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => rowOf(page, 'Zhou Min').count()).toBe(0);

    await page.getByLabel('Status').selectOption('skipped');
    const skipped = rowOf(page, 'Zhou Min');
    await skipped.waitFor({ state: 'visible' });
    expect(await skipped.getByTestId('skip-reason').innerText()).toBe('Skipped: no consent to follow-up on this channel');
    const [task] = await suite.served.db.select().from(followUps).where(eq(followUps.customerId, 'c-withdrawn'));
    expect(task).toMatchObject({ status: 'skipped', skipReason: 'no_consent', outcome: null });
    await context.close();
  });

  it('reads in Chinese, with the skip reasons of the owner’s customers', async () => {
    const { context, page } = await signedIn('agent-zhao@example.com', 'zh-CN');
    await page.goto(`${suite.served.baseUrl}/app/follow-ups?status=all`);
    await page.getByRole('heading', { name: '回访', level: 1 }).waitFor({ state: 'visible' });
    // Nothing is due for the customers this agent owns (thank-you calls are on the calls to make): the list says so.
    await page.getByTestId('follow-ups-empty').waitFor({ state: 'visible' });
    expect(await page.getByTestId('follow-ups-empty').innerText()).toContain('此列表中没有分配给您的回访');
    await page.getByRole('link', { name: /^待拨电话/ }).click();
    const dnc = rowOf(page, 'Sun Li');
    await dnc.waitFor({ state: 'visible' });
    expect(await dnc.getByText('购买后致谢').isVisible()).toBe(true);
    expect(await dnc.getByTestId('skip-reason').innerText()).toBe('已跳过：客户要求不被联系');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('deactivating an account owner', () => {
  it('moves their customers to the person chosen, then deactivates them', async () => {
    const { context, page } = await signedIn('admin-ada@example.com', 'en-US');
    await page.goto(`${suite.served.baseUrl}/app/users`);
    const row = page.locator('[data-testid="user-row"][data-email="agent-zhao@example.com"]');
    await row.waitFor({ state: 'visible' });
    expect(await row.getByTestId('owned-customers').innerText()).toBe('2');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog', { name: '2 customers must move first' });
    await dialog.waitFor({ state: 'visible' });
    const people = dialog.getByRole('group', { name: 'Who takes them' });
    await people.waitFor({ state: 'visible' });
    await people.getByRole('checkbox', { name: /He Ping/ }).check();
    await dialog.getByRole('button', { name: 'Move them and deactivate' }).click();
    const notice = page.getByTestId('departure-notice');
    await notice.waitFor({ state: 'visible' });
    expect((await notice.innerText()).split(/\n+/)).toEqual(['2 customers moved from Zhao Yu to He Ping (2).', 'Zhao Yu is deactivated.']);
    await expect.poll(() => row.getByTestId('owned-customers').innerText()).toBe('0');
    expect(await row.getByText('Deactivated', { exact: true }).isVisible()).toBe(true);
    const owned = await suite.served.db.select({ id: customers.id }).from(customers).where(eq(customers.ownerId, 'agent-he'));
    expect(owned.map((customer) => customer.id).sort()).toEqual(['c-dnc', 'c-owned']);
    await context.close();
  });
});
