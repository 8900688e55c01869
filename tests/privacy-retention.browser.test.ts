// An admin keeps the retention periods in real Chromium: reached from Users and from the access log, each kind
// with what happens to it and what the next run takes, a period set and the count that follows shown, the last
// run's counts, the server's message by its field, a save that makes the run take more asked about first, and
// the page in Chinese.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { responses, sessions, surveys, surveyVersions, users } from '../server/db/schema.ts';
import { readRetentionSettings, runRetention } from '../server/privacy/retention.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { signedInAs } from './support/app.ts';
import { seriousViolations, signInThroughPage, useBrowserApp } from './support/browser.ts';

const suite = useBrowserApp();
const day = 24 * 3600_000;

beforeAll(async () => {
  await signedInAs(suite.served, 'admin');
  const db = suite.served.db;
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
  // Three sessions that ended two months ago, and two answers from two years ago.
  await db.insert(sessions).values([1, 2, 3].map((i) => ({ tokenHash: `ended-${i}`, userId: admin!.id, csrfToken: 'x', createdAt: Date.now() - 70 * day, expiresAt: Date.now() - 60 * day - i })));
  const definition = { kind: 'satisfaction', title: { 'zh-CN': '满意度', en: 'Satisfaction' }, questions: [{ id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐吗？', en: 'Recommend?' } }] } as SurveyDefinition;
  const surveyId = randomUUID();
  const versionId = randomUUID();
  await db.insert(surveys).values({ id: surveyId, slug: 'retention-survey', kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: versionId });
  await db.insert(surveyVersions).values({ id: versionId, surveyId, version: 1, definition });
  for (const nps of [7, 9]) {
    await db.insert(responses).values({ id: randomUUID(), surveyId, versionId, channel: 'web', locale: 'zh-CN', answers: { nps }, submittedAt: Date.parse('2024-11-20T08:00:00Z') + nps, startedAt: null });
  }
});

async function signedIn(locale: 'en-US' | 'zh-CN'): Promise<Page> {
  const context = await suite.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const [account] = await suite.served.db.select({ email: users.email }).from(users).where(eq(users.role, 'admin'));
  await signInThroughPage(page, suite.served.baseUrl, account!.email, 'correct horse battery');
  return page;
}

describe('the retention page', () => {
  it('shows each kind’s period, action and what the next run takes; a period set shows what then goes', async () => {
    const page = await signedIn('en-US');
    await page.goto(`${suite.served.baseUrl}/app/users`);
    await page.getByTestId('users-retention').click();
    await page.getByRole('heading', { name: 'Data retention', level: 1 }).waitFor();
    expect(await page.getByTestId('retention-next-run').isVisible()).toBe(true);
    expect(await page.getByTestId('retention-next-run').innerText()).toMatch(/^Next run: .+\.$/);
    expect(await page.getByText('No run yet.').isVisible()).toBe(true);

    const row = (kind: string) => page.getByTestId(`retention-${kind}`);
    expect(await row('sessions').getByTestId('retention-action').innerText()).toBe('Erased');
    expect(await row('sessions').getByLabel('Number of days').inputValue()).toBe('30');
    expect(await row('sessions').getByTestId('retention-due').innerText()).toMatch(/^Rows to be erased: 3, oldest from .+/);
    expect(await row('responses').getByTestId('retention-action').innerText()).toBe('Made anonymous');
    expect(await row('responses').getByTestId('retention-due').innerText()).toBe('Nothing');
    expect(await row('responses').getByText('Default: kept').isVisible()).toBe(true);
    expect(await row('messages').getByText('Default: 1 year', { exact: true }).isVisible()).toBe(true);
    expect(await row('responses').getByText(/scores, choices and the customer’s segment, tier and region stay/).isVisible()).toBe(true);

    // Answers kept for a year: the two from two years ago are what the next run makes anonymous. A save that
    // makes the run take more asks first, saying what it would take; cancelled, nothing is saved.
    await row('responses').getByLabel('Kept for').selectOption('years');
    await row('responses').getByLabel('Number of years').fill('1');
    await page.getByTestId('save-retention').click();
    const asking = page.getByRole('dialog', { name: 'The next run will take more data' });
    await asking.waitFor();
    expect(await asking.getByText(/cannot be brought back/).isVisible()).toBe(true);
    expect(await asking.getByTestId('retention-confirm-list').innerText()).toMatch(/^Survey responses: Rows to be made anonymous: 2, oldest from Nov 20, 2024/);
    await asking.getByRole('button', { name: 'Cancel' }).click();
    await asking.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('retention-saved').innerText()).toBe('Not saved: the periods stay as they were.');
    expect((await readRetentionSettings(suite.served.db)).responses).toEqual({ unit: 'keep' });
    expect(await row('responses').getByTestId('retention-due').innerText()).toBe('Nothing');

    await page.getByTestId('save-retention').click();
    await asking.waitFor();
    await page.getByTestId('confirm-retention').click();
    await expect.poll(() => page.getByTestId('retention-saved').innerText()).toContain('Saved.');
    expect(await row('responses').getByTestId('retention-due').innerText()).toMatch(/^Rows to be made anonymous: 2, oldest from Nov 20, 2024/);
    expect((await readRetentionSettings(suite.served.db)).responses).toEqual({ unit: 'years', count: 1 });

    // A period of none: the server's message by the field, nothing saved.
    await row('sessions').getByLabel('Number of days').fill('0');
    await page.getByTestId('save-retention').click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Staff sign-in sessions (ended): Keep data for at least 1 day, or choose "keep".');
    expect(await row('sessions').getByLabel('Number of days').getAttribute('aria-invalid')).toBe('true');
    expect((await readRetentionSettings(suite.served.db)).sessions).toEqual({ unit: 'days', count: 30 });
    expect(await seriousViolations(page)).toEqual([]);

    // The run takes what the page said; the page then says what it did, and that nothing is due.
    await runRetention(suite.served.db);
    await page.reload();
    await page.getByTestId('retention-last-run').waitFor();
    expect(await page.getByTestId('retention-last-run').innerText()).toMatch(
      /^Last run: started .+, finished .+\. What it did: Survey responses 2 · Complaint cases \(closed or merged\) 0 · Mail \(sent, failed or withdrawn\) 0 · Staff sign-in sessions \(ended\) 3 · /,
    );
    expect(await row('responses').getByTestId('retention-due').innerText()).toBe('Nothing');
    expect(await row('sessions').getByTestId('retention-due').innerText()).toBe('Nothing');

    await page.getByTestId('retention-access-log').click();
    await page.getByRole('heading', { name: 'Access log', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'How long entries are kept: data retention.' }).click();
    await page.getByRole('heading', { name: 'Data retention', level: 1 }).waitFor();
    await page.context().close();
  });

  it('reads in Chinese', async () => {
    const page = await signedIn('zh-CN');
    await page.goto(`${suite.served.baseUrl}/app/privacy/retention`);
    await page.getByRole('heading', { name: '数据保留', level: 1 }).waitFor();
    const row = page.getByTestId('retention-responses');
    expect(await row.getByTestId('retention-action').innerText()).toBe('匿名化');
    await expect.poll(() => row.getByTestId('retention-due').innerText()).toBe('无');
    expect(await page.getByTestId('retention-last-run').innerText()).toMatch(/^上次运行：开始于 .+，完成于 .+。处理结果：问卷答卷 2 · /);
    expect(await page.getByTestId('retention-next-run').innerText()).toMatch(/^下次运行：/);
    await page.context().close();
  });
});
