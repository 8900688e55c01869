// A support agent's day in the staff app, in real Chromium: their queue, taking an unassigned case, a case
// opened from the queue, a saved reply inserted in the case's language and sent, a note, a refusal when someone
// else changed the case meanwhile (with a reload), and the case resolved. And an interviewer logging a
// complaint taken on a call, then finding it among the cases they logged.
import { and, count, eq, ne } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintCases, users } from '../server/db/schema.ts';
import { signedInAs, type StaffClient } from './support/app.ts';
import { consoleErrors, launchChromium, pageFitsWidth, seriousViolations, serveTestApp, signInThroughPage, type ServedApp } from './support/browser.ts';
import { logCase, openCasePage, openTestCase, type LoggedCase } from './support/complaints.ts';

let served: ServedApp;
let browser: Browser;
let manager: StaffClient;
let agent: StaffClient;
let agentEmail = '';
let agentId = '';
let mine: LoggedCase;
let waiting: LoggedCase;

beforeAll(async () => {
  served = await serveTestApp();
  browser = await launchChromium();
  manager = await signedInAs(served, 'manager');
  agent = await signedInAs(served, 'support');
  const [account] = await served.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.role, 'support'));
  agentEmail = account!.email;
  agentId = account!.id;
  await served.db.update(users).set({ name: 'Wang Fang' }).where(eq(users.id, agentId));

  const macro = await manager.request('POST', '/api/complaints/macros', {
    name: { en: 'Apology for a late delivery', 'zh-CN': '延迟送达致歉' },
    body: { en: 'We are sorry your order arrived late.', 'zh-CN': '很抱歉您的订单延迟送达。' },
  });
  expect(macro.status, await macro.clone().text()).toBe(201);

  // One case of the agent's own, in Chinese; one nobody has taken yet.
  mine = await logCase(manager, { locale: 'zh-CN', description: '包裹晚到了两个星期，箱子也压坏了。', contactName: '陈杰' });
  const assigned = await manager.request('POST', `/api/complaints/cases/${mine.id}/assign`, { assigneeId: agentId, version: await versionOf(mine.id) });
  expect(assigned.status, await assigned.clone().text()).toBe(200);
  waiting = await logCase(manager, { category: 'billing', description: 'I was charged twice for one order.', contactName: 'Li Na', contactEmail: 'li.na@example.cn' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function versionOf(id: string): Promise<number> {
  const [row] = await served.db.select({ version: complaintCases.version }).from(complaintCases).where(eq(complaintCases.id, id));
  return row!.version;
}

async function signedIn(email: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport });
  const page = await context.newPage();
  await signInThroughPage(page, served.baseUrl, email, 'correct horse battery');
  return { context, page };
}

const row = (page: Page, reference: string) => page.locator('[data-testid="case-row"]', { hasText: reference });
const historyTypes = (page: Page) => page.locator('[data-testid="history-entry"]').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-type')));

describe("a support agent's day", () => {
  it('works from the queue: takes a case, replies with a saved reply, notes, is told of a clash, resolves', async () => {
    const { context, page } = await signedIn(agentEmail);
    // The agent lands on their own queue.
    await page.waitForURL((url) => url.pathname === '/app/complaints');
    expect(await page.locator('[data-testid="queue-mine"]').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('.queue-tab[aria-current="page"]').count()).toBe(1);
    await row(page, mine.reference).waitFor();
    expect(await row(page, mine.reference).isVisible()).toBe(true);
    expect(await row(page, waiting.reference).count()).toBe(0);
    // The deadline that runs next, with the business time left on it.
    const left = row(page, mine.reference).locator('[data-testid="time-left"]');
    expect(await left.textContent()).toMatch(/\d+ (h|min).* left/);
    expect(await left.getAttribute('data-alert')).toBe('none');
    expect(await seriousViolations(page)).toEqual([]);

    // The unassigned tab, in the address: the other case, picked and assigned to the agent.
    await page.click('[data-testid="queue-unassigned"]');
    await page.waitForURL((url) => url.searchParams.get('queue') === 'unassigned');
    await row(page, waiting.reference).waitFor();
    await row(page, waiting.reference).getByRole('checkbox').check();
    await page.locator('[data-testid="bulk-assign"] select').selectOption({ label: 'Wang Fang' });
    await page.click('[data-testid="bulk-assign-submit"]');
    await expect.poll(() => page.locator('[data-testid="queue-notice"]').textContent()).toBe('1 case assigned to Wang Fang.');
    await page.locator('[data-testid="queue-empty"]').waitFor();

    // Filters live in the address too: billing narrows "mine" to the case just taken.
    await page.click('[data-testid="queue-mine"]');
    await row(page, mine.reference).waitFor();
    await page.locator('select[name="category"]').selectOption('billing');
    await page.waitForURL((url) => url.searchParams.get('category') === 'billing');
    await row(page, waiting.reference).waitFor();
    expect(await row(page, mine.reference).count()).toBe(0);
    await page.reload();
    await row(page, waiting.reference).waitFor();
    expect(await page.locator('select[name="category"]').inputValue()).toBe('billing');
    // A case opened from the filtered queue leads back to that queue, filters and all.
    await row(page, waiting.reference).getByRole('link', { name: waiting.reference }).click();
    await page.locator('[data-testid="case-reference"]', { hasText: waiting.reference }).waitFor();
    expect(await page.locator('[data-testid="back-to-queue"]').textContent()).toBe('My queue');
    await page.click('[data-testid="back-to-queue"]');
    await page.waitForURL((url) => url.pathname.endsWith('/complaints') && url.searchParams.get('category') === 'billing');
    await row(page, waiting.reference).waitFor();
    expect(await page.locator('select[name="category"]').inputValue()).toBe('billing');
    await page.click('[data-testid="queue-clear"]');
    await row(page, mine.reference).waitFor();

    // The case, opened from the queue.
    await row(page, mine.reference).getByRole('link', { name: mine.reference }).click();
    await page.locator('[data-testid="case-reference"]', { hasText: mine.reference }).waitFor();
    expect(await page.locator('[data-testid="case-description"]').textContent()).toBe('包裹晚到了两个星期，箱子也压坏了。');
    expect(await page.locator('[data-testid="case-status"]').textContent()).toBe('New');
    expect(await page.locator('[data-testid="case-deadline"]').first().textContent()).toContain('First response');
    // The deadline that falls first is also by the reference, in view on any screen.
    expect(await page.locator('[data-testid="case-next-deadline"]').textContent()).toMatch(/^First response \d+ h \d+ min left$/);
    expect(await page.locator('[data-testid="case-deadline"] [data-testid="time-left"]').first().textContent()).toMatch(/left/);
    expect(await historyTypes(page)).toEqual(['opened', 'assigned']);

    // A saved reply goes in in the case's language (Chinese), though the screen is in English.
    await page.locator('[data-testid="case-reply"] select').selectOption({ label: 'Apology for a late delivery' });
    expect(await page.locator('#reply-body').inputValue()).toBe('很抱歉您的订单延迟送达。');
    await page.locator('#reply-body').press('End');
    await page.locator('#reply-body').pressSequentially('我们会在今天补发。');
    await page.click('[data-testid="reply-submit"]');
    await expect.poll(() => page.locator('[data-testid="reply-sent"]').textContent()).toBe('Reply queued to be emailed to the customer.');
    await expect.poll(() => page.locator('[data-testid="case-status"]').textContent()).toBe('Acknowledged');
    const reply = page.locator('[data-testid="history-entry"][data-type="reply_sent"]');
    expect(await reply.textContent()).toContain('很抱歉您的订单延迟送达。我们会在今天补发。');
    expect(await reply.textContent()).toContain('Wang Fang');
    // The status change is said in words, before and after.
    expect(await page.locator('[data-testid="case-history"]').textContent()).toContain('New → Acknowledged');

    // An internal note.
    await page.fill('textarea[name="note"]', 'Courier confirmed the delay; replacement booked.');
    await page.click('[data-testid="note-submit"]');
    await page.locator('[data-testid="history-entry"][data-type="note"]', { hasText: 'replacement booked' }).waitFor();
    expect(await page.locator('[data-testid="history-entry"][data-type="note"]').textContent()).toContain('Internal');

    // Someone else changes the case while the page is open: the agent's move is refused, with the reason and a reload.
    const version = Number(await page.locator('[data-testid="case-page"]').getAttribute('data-version'));
    const meanwhile = await manager.request('POST', `/api/complaints/cases/${mine.id}/transitions`, { action: 'escalate', version });
    expect(meanwhile.status, await meanwhile.clone().text()).toBe(200);
    expect(await page.locator('.badge-escalated').count()).toBe(0);
    await page.click('[data-testid="action-start"]');
    const refusal = page.locator('[data-testid="case-refusal"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Someone else changed this case while you had it open.');
    await page.click('[data-testid="case-reload"]');
    await page.locator('[data-testid="history-entry"][data-type="escalated"]').waitFor();
    expect(await page.locator('.badge-escalated').isVisible()).toBe(true);
    expect(await refusal.count()).toBe(0);
    // Now the move goes through.
    await page.click('[data-testid="action-start"]');
    await expect.poll(() => page.locator('[data-testid="case-status"]').textContent()).toBe('In progress');

    // Only the moves this status allows are offered; resolving takes it out of the agent's open work.
    expect(await page.locator('[data-testid="action-acknowledge"]').count()).toBe(0);
    await page.click('[data-testid="action-resolve"]');
    await expect.poll(() => page.locator('[data-testid="case-status"]').textContent()).toBe('Resolved');
    expect(await page.locator('[data-testid="action-resolve"]').count()).toBe(0);
    expect(await page.locator('[data-testid="action-reopen"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="case-deadlines"]').textContent()).toContain('No deadline runs now.');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a case on a phone without the page scrolling sideways', async () => {
    const { context, page } = await signedIn(agentEmail, { width: 390, height: 844 });
    await openCasePage(page, served.baseUrl, waiting);
    expect(await page.locator('[data-testid="case-reply"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="case-next-deadline"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="case-next-deadline"]').evaluate((element) => element.getBoundingClientRect().bottom)).toBeLessThan(844);
    // One column: the actions and the assignee come before the history, which only grows.
    const top = (selector: string) => page.locator(selector).evaluate((element) => element.getBoundingClientRect().top);
    const history = await top('[data-testid="case-history"]');
    expect(await top('.case-actions')).toBeLessThan(history);
    expect(await top('[data-testid="case-assign"]')).toBeLessThan(history);
    expect(await top('[data-testid="case-reply"]')).toBeLessThan(history);
    expect(await pageFitsWidth(page)).toBe(true);
    await page.goto(`${served.baseUrl}/app/complaints?queue=all`);
    await row(page, waiting.reference).waitFor();
    expect(await pageFitsWidth(page)).toBe(true);
    await context.close();
  }, 60_000);
});

describe("a new agent's first look", () => {
  it('finds their empty queue saying where cases to work are', async () => {
    await signedInAs(served, 'support');
    const others = await served.db.select({ email: users.email }).from(users).where(and(eq(users.role, 'support'), ne(users.id, agentId)));
    expect(others).toHaveLength(1);
    const account = others[0];
    const { context, page } = await signedIn(account!.email);
    await page.locator('[data-testid="queue-empty"]').waitFor();
    expect(await page.locator('[data-testid="queue-mine"]').getAttribute('aria-current')).toBe('page');
    const empty = page.locator('[data-testid="queue-empty"]');
    expect(await empty.isVisible()).toBe(true);
    expect(await empty.innerText()).toContain('No open cases are assigned to you.');
    expect(await empty.innerText()).toContain('Take one from Unassigned, or ask a manager to assign you some.');
    await context.close();
  });
});

describe("the customer's status page link", () => {
  it('is replaced from the case, after which the old link shows nothing', async () => {
    const astray = await logCase(manager, { description: 'The receipt went to my old address.', contactName: 'Gao Mei' });
    const [before] = await served.db.select({ token: complaintCases.statusToken }).from(complaintCases).where(eq(complaintCases.id, astray.id));
    expect((await fetch(`${served.baseUrl}/api/public/cases/${before!.token}`)).status).toBe(200);
    const { context, page } = await signedIn(agentEmail);
    await openCasePage(page, served.baseUrl, astray);
    await page.click('[data-testid="replace-status-link"]');
    await page.getByRole('dialog').getByText('The old link stops working at once.', { exact: false }).waitFor();
    await page.click('[data-testid="confirm-status-link"]');
    await expect.poll(() => page.locator('[data-testid="status-link-replaced"]').textContent()).toBe('The link was replaced; the old one shows nothing now.');
    await page.locator('[data-testid="history-entry"][data-type="status_link_revoked"]', { hasText: 'Replaced the status page link' }).waitFor();
    expect((await fetch(`${served.baseUrl}/api/public/cases/${before!.token}`)).status).toBe(404);
    await context.close();
  }, 60_000);
});

describe("an agent's call on a case", () => {
  it('changes the category and makes the case major, said in the history', async () => {
    const logged = await logCase(manager, { description: 'Charged for a delivery that never came.', contactName: 'Xu Jing' });
    const { context, page } = await signedIn(agentEmail);
    await openCasePage(page, served.baseUrl, logged);
    expect(await page.locator('[data-testid="case-severity"]').textContent()).toBe('Minor');
    await page.click('[data-testid="edit-details"]');
    await page.locator('select[name="editCategory"]').selectOption('billing');
    await page.locator('select[name="editSeverity"]').selectOption('major');
    await page.click('[data-testid="edit-details-save"]');
    await expect.poll(() => page.locator('[data-testid="case-severity"]').textContent()).toBe('Major');
    expect(await page.locator('[data-testid="edit-details-form"]').count()).toBe(0);
    const change = page.locator('[data-testid="history-entry"][data-type="fields_changed"]');
    await change.waitFor();
    expect(await change.textContent()).toContain('Severity: Minor → Major');
    expect(await change.textContent()).toMatch(/Category: (Delivery|Shipping) → Billing/);
    await context.close();
  }, 60_000);
});

describe('deadlines in the queue', () => {
  it('shows a breached case red and overdue, and one at risk amber, each said in words', async () => {
    const late = await logCase(manager, { description: 'Nobody called back.', contactName: 'He Yun' });
    const close = await logCase(manager, { description: 'Still waiting for the invoice.', contactName: 'Ma Lin' });
    const hour = 3_600_000;
    const now = Date.now();
    // As the deadline sweep leaves them: the first past its due time, the second past its 80% mark.
    await served.db
      .update(complaintCases)
      .set({ firstResponseDueAt: now - 30 * 24 * hour, firstResponseAtRiskAt: now - 31 * 24 * hour, alert: 'breached' })
      .where(eq(complaintCases.id, late.id));
    await served.db
      .update(complaintCases)
      .set({ firstResponseDueAt: now + 30 * 24 * hour, firstResponseAtRiskAt: now - hour, alert: 'at_risk' })
      .where(eq(complaintCases.id, close.id));
    const { context, page } = await signedIn(agentEmail);
    await page.goto(`${served.baseUrl}/app/complaints?queue=breached`);
    const breached = row(page, late.reference).locator('[data-testid="time-left"]');
    await breached.waitFor();
    expect(await row(page, close.reference).count()).toBe(0);
    expect(await breached.getAttribute('data-alert')).toBe('breached');
    expect(await breached.textContent()).toMatch(/overdue.*Breached/);
    expect(await breached.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(185, 28, 28)');

    await page.click('[data-testid="queue-at_risk"]');
    const atRisk = row(page, close.reference).locator('[data-testid="time-left"]');
    await atRisk.waitFor();
    expect(await atRisk.getAttribute('data-alert')).toBe('at_risk');
    expect(await atRisk.textContent()).toMatch(/left.*At risk/);
    expect(await atRisk.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(146, 64, 14)');
    await context.close();
  }, 60_000);
});

describe('an interviewer logging a complaint taken on a call', () => {
  it('logs the case, reads out its reference, and finds it among the cases they logged', async () => {
    await signedInAs(served, 'interviewer');
    const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, 'interviewer'));
    const { context, page } = await signedIn(account!.email);
    await page.click('[data-testid="nav-complaintsLogged"]');
    await page.locator('main h1', { hasText: 'Cases I logged' }).waitFor();
    // Interviewers have no queues to work.
    expect(await page.locator('.queue-tabs').count()).toBe(0);
    // Nothing logged yet: the empty list says how to log one.
    await page.locator('[data-testid="queue-empty"]').waitFor();
    expect(await page.locator('[data-testid="queue-empty"]').innerText()).toContain('After a call, log the complaint with "Log a case"; it shows here.');
    await page.click('[data-testid="log-case"]');
    await page.locator('[data-testid="new-case-form"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing sent yet: the server names what is missing, by field.
    await page.click('[data-testid="new-case-submit"]');
    await page.locator('[data-testid="error-summary"]').waitFor();
    expect(await page.locator('[data-testid="error-summary"]').textContent()).toContain('What happened');
    expect(await page.locator('[data-testid="error-summary"]').textContent()).toContain('Choose a category.');

    // From here on nothing the interviewer does should log an error (the refused empty form above does).
    const errors = consoleErrors(page);
    await page.fill('input[name="contactName"]', 'Zhou Min');
    await page.fill('input[name="contactPhone"]', '13800138000');
    await page.locator('select[name="category"]').selectOption({ label: 'Staff attitude' });
    await page.fill('textarea[name="description"]', 'The engineer was rude on the visit and left without fixing the heater.');
    await page.check('input[name="contactConsent"]');
    await page.locator('select[name="contactChannel"]').selectOption('phone');
    await page.click('[data-testid="new-case-submit"]');
    const reference = page.locator('[data-testid="logged-reference"]');
    await reference.waitFor();
    const text = (await reference.textContent())!;
    expect(text).toMatch(/^C-\d{4}-\d{6}$/);

    const [stored] = await served.db.select().from(complaintCases).where(eq(complaintCases.reference, text));
    expect(stored).toMatchObject({ channel: 'phone', category: 'staff_attitude', contactName: 'Zhou Min', contactPhone: '13800138000', contactConsent: true, contactChannel: 'phone', source: 'agent' });

    await page.click('[data-testid="nav-complaintsLogged"]');
    await row(page, text).waitFor();
    expect(await row(page, text).isVisible()).toBe(true);
    // Cases logged by others are not theirs to see.
    expect(await row(page, mine.reference).count()).toBe(0);

    // Their case opens without asking for what their role may not read (the agents cases go to).
    await row(page, text).getByRole('link', { name: text }).click();
    await page.locator('[data-testid="history-entry"][data-type="opened"]').waitFor();
    expect(await page.locator('[data-testid="case-history"]').textContent()).toContain('Opened the case');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('merging a duplicate', () => {
  it('merges a case into the one the caller reads out, typed the way it was heard', async () => {
    const first = await logCase(manager, { description: 'The heater broke again.', contactName: 'Sun Li' });
    const duplicate = await logCase(manager, { description: 'Same heater, second call.', contactName: 'Sun Li' });
    const { context, page } = await signedIn(agentEmail);
    await openCasePage(page, served.baseUrl, duplicate);
    // A reference that cannot be one, and this case itself, are caught before anything is sent.
    await page.fill('input[name="mergeInto"]', 'tomorrow');
    await page.click('[data-testid="merge-submit"]');
    expect(await page.locator('[data-testid="case-merge"] .field-error').textContent()).toBe('Type a reference such as C-2026-000123.');
    await page.fill('input[name="mergeInto"]', duplicate.reference.toLowerCase());
    await page.click('[data-testid="merge-submit"]');
    expect(await page.locator('[data-testid="case-merge"] .field-error').textContent()).toBe('That is this case.');

    // A reference no case has is refused by the server, and said by the field.
    await page.fill('input[name="mergeInto"]', 'C-2026-999999');
    await page.click('[data-testid="merge-submit"]');
    await page.click('[data-testid="confirm-merge"]');
    await expect.poll(() => page.locator('[data-testid="case-merge"] .field-error').textContent()).toBe('The case to merge into does not exist. Check its reference.');
    expect(await page.locator('[data-testid="case-status"]').textContent()).toBe('New');

    const [, year, number] = /^C-(\d{4})-0*(\d+)$/.exec(first.reference)!;
    await page.fill('input[name="mergeInto"]', `c ${year} ${number}`);
    await page.click('[data-testid="merge-submit"]');
    await page.getByRole('dialog').getByText(`Merge ${duplicate.reference} into ${first.reference}?`).waitFor();
    await page.click('[data-testid="confirm-merge"]');
    await expect.poll(() => page.locator('[data-testid="case-status"]').textContent()).toBe('Merged');
    const into = page.getByRole('link', { name: first.reference });
    expect(await into.isVisible()).toBe(true);
    // A merged case offers no moves, no reply and no merging.
    expect(await page.locator('[data-testid^="action-"]').count()).toBe(0);
    expect(await page.locator('[data-testid="reply-unavailable"]').textContent()).toBe('This case was merged: reply on the case it was merged into.');
    expect(await page.locator('[data-testid="case-merge"]').count()).toBe(0);
    await into.click();
    await page.locator('[data-testid="case-reference"]', { hasText: first.reference }).waitFor();
    await page.locator('[data-testid="history-entry"][data-type="merged"]').waitFor();
    expect(await page.locator('[data-testid="history-entry"][data-type="merged"]').textContent()).toContain(duplicate.reference);
    await context.close();
  }, 60_000);
});

describe('a manager setting up complaints', () => {
  it('renames a category, adds one, marks holidays, and keeps saved replies in both languages', async () => {
    const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, 'manager'));
    const { context, page } = await signedIn(account!.email);
    await page.goto(`${served.baseUrl}/app/complaints/settings`);
    const delivery = page.locator('[data-testid="category-row"][data-key="delivery"]');
    await delivery.waitFor();
    await delivery.getByLabel('English · delivery').fill('Shipping');
    await page.locator('[data-testid="category-row"][data-key="billing"]').getByLabel('Major · billing').check();
    await page.fill('input[name="newCategory"]', 'warranty');
    await page.click('[data-testid="add-category"]');
    const warranty = page.locator('[data-testid="category-row"][data-key="warranty"]');
    await warranty.getByLabel('English · warranty').fill('Warranty');
    await warranty.getByLabel('Chinese · warranty').fill('保修');
    // A date that does not exist is refused, with the server's reason by the field.
    await page.fill('textarea[name="holidays"]', '2026-10-01\n2026-02-30');
    await page.click('[data-testid="save-complaint-settings"]');
    await page.locator('[data-testid="error-summary"]').waitFor();
    expect(await page.locator('textarea[name="holidays"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-testid="error-summary"]').textContent()).toContain('YYYY-MM-DD');
    await page.fill('textarea[name="holidays"]', '2026-10-01\n2026-10-02');
    await page.fill('textarea[name="extraWorkdays"]', '2026-10-10');
    await page.getByLabel('Next response, Major', { exact: true }).fill('6');
    await page.getByLabel('Resolution, Minor', { exact: true }).fill('80');
    await page.click('[data-testid="save-complaint-settings"]');
    await expect.poll(() => page.locator('[data-testid="complaint-settings-saved"]').textContent()).toBe('Settings saved.');

    const saved = await (await manager.request('GET', '/api/complaints/settings')).json();
    expect(saved.settings.categories.find((category: { key: string }) => category.key === 'delivery').label.en).toBe('Shipping');
    expect(saved.settings.categories.find((category: { key: string }) => category.key === 'billing').major).toBe(true);
    expect(saved.settings.categories.find((category: { key: string }) => category.key === 'warranty').label).toEqual({ en: 'Warranty', 'zh-CN': '保修' });
    expect(saved.settings.calendar.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(saved.settings.calendar.extraWorkdays).toEqual(['2026-10-10']);
    expect(saved.settings.targets).toMatchObject({ nextResponseHours: { minor: 24, major: 6 }, resolutionHours: { minor: 80, major: 40 } });

    // The new names are what agents pick from.
    await page.goto(`${served.baseUrl}/app/complaints/new`);
    await page.locator('select[name="category"] option', { hasText: 'Warranty' }).waitFor({ state: 'attached' });
    expect(await page.locator('select[name="category"] option').allTextContents()).toEqual(
      expect.arrayContaining(['Shipping', 'Warranty']),
    );

    await page.goto(`${served.baseUrl}/app/complaints/macros`);
    await page.locator('[data-testid="macro"]').first().waitFor();
    await page.click('[data-testid="add-macro"]');
    await page.fill('input[name="nameEn"]', 'Refund on its way');
    await page.fill('textarea[name="bodyEn"]', 'Your refund is on its way.');
    await page.click('[data-testid="save-macro"]');
    // Both languages are required.
    await page.locator('[data-testid="macro-form"] [data-testid="error-summary"]').waitFor();
    await page.fill('input[name="nameZh"]', '退款已发出');
    await page.fill('textarea[name="bodyZh"]', '您的退款已发出。');
    await page.click('[data-testid="save-macro"]');
    const added = page.locator('[data-testid="macro"]', { hasText: 'Refund on its way' });
    await added.waitFor();
    expect(await added.textContent()).toContain('您的退款已发出。');
    await context.close();
  }, 60_000);
});

describe('an agent leaving', () => {
  it('moves every case the agent holds to another, after which the account can be deactivated', async () => {
    const admin = await signedInAs(served, 'admin');
    const leaving = await signedInAs(served, 'support');
    const [leaver] = await served.db.select({ id: users.id }).from(users).where(eq(users.email, await emailOf(leaving)));
    await served.db.update(users).set({ name: 'Zhao Lei' }).where(eq(users.id, leaver!.id));
    const held = await logCase(manager, { description: 'Wrong size delivered.' });
    const assigned = await manager.request('POST', `/api/complaints/cases/${held.id}/assign`, { assigneeId: leaver!.id, version: await versionOf(held.id) });
    expect(assigned.status).toBe(200);
    expect((await admin.request('PATCH', `/api/users/${leaver!.id}`, { active: false })).status).toBe(409);

    const [account] = await served.db.select({ email: users.email }).from(users).where(eq(users.role, 'manager'));
    const { context, page } = await signedIn(account!.email);
    await page.goto(`${served.baseUrl}/app/complaints`);
    await page.getByRole('link', { name: 'Reassign' }).click();
    await page.locator('[data-testid="reassign-form"]').waitFor();
    // Nothing picked: said before anything is sent.
    await page.click('[data-testid="reassign-submit"]');
    await expect.poll(() => page.locator('[data-testid="reassign-form"] .field-error').textContent()).toBe('Pick whose cases to move, and at least one person to take them.');
    await page.locator('select[name="fromUserId"]').selectOption({ label: 'Zhao Lei (1 open)' });
    await page.getByLabel(/^Wang Fang \(\d+ open\)$/).check();
    await page.click('[data-testid="reassign-submit"]');
    await expect.poll(() => page.locator('[data-testid="reassign-done"]').textContent()).toBe('Cases moved: 1.');
    // The list of people is read again after the move.
    await expect.poll(() => page.locator('select[name="fromUserId"] option', { hasText: 'Zhao Lei' }).textContent()).toBe('Zhao Lei (0 open)');
    const [moved] = await served.db.select({ assigneeId: complaintCases.assigneeId }).from(complaintCases).where(eq(complaintCases.id, held.id));
    expect(moved!.assigneeId).toBe(agentId);
    expect((await admin.request('PATCH', `/api/users/${leaver!.id}`, { active: false })).status).toBe(200);
    await context.close();
  }, 60_000);
});

/** The email of the account a staff client is signed in as. */
async function emailOf(staff: StaffClient): Promise<string> {
  const answer = await (await staff.request('GET', '/api/session')).json();
  return answer.user.email;
}

describe('a long queue', () => {
  it('shows a page of cases at a time, and the next on asking', async () => {
    for (let index = 0; index < 55; index += 1) await openTestCase(served.db, { description: `Late parcel number ${index}.` });
    const [{ total }] = (await served.db.select({ total: count() }).from(complaintCases)) as [{ total: number }];
    const { context, page } = await signedIn(agentEmail);
    await page.goto(`${served.baseUrl}/app/complaints?queue=all`);
    await row(page, 'C-').first().waitFor();
    expect(await page.locator('[data-testid="case-row"]').count()).toBe(50);
    await page.click('[data-testid="queue-load-more"]');
    await expect.poll(() => page.locator('[data-testid="case-row"]').count()).toBe(total);
    expect(await page.locator('[data-testid="queue-load-more"]').count()).toBe(0);
    // Newest first, each case once.
    const references = await page.locator('[data-testid="case-row"]').evaluateAll((rows) => rows.map((each) => each.getAttribute('data-reference')));
    expect(new Set(references).size).toBe(total);
    expect([...references].sort().reverse()).toEqual(references);
    await context.close();
  }, 90_000);
});
