// The customer's status page and its JSON, over a real database: what a link shows, what it takes, and that
// a link that is not (or no longer) a case's shows exactly what an unknown one does.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintCases } from '../server/db/schema.ts';
import { json, startTestApp, type TestApp } from './support/app.ts';
import { addTestNote, agentReplies, openTestCase, resolveTestCase } from './support/complaints.ts';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

const get = (path: string, headers: Record<string, string> = {}) => test.app.request(path, { headers });

describe('the status JSON', () => {
  it('shows the reference, the status, what comes next and the public history, never notes or contact details', async () => {
    const opened = await openTestCase(test.db, { contactEmail: 'li.wei@example.net', contactPhone: '+86 138 0013 8000' });
    await addTestNote(test.db, opened.id, 'Internal: customer is on the watch list');
    await agentReplies(test.db, opened.id, 'We are sorry; a new parcel is on its way.');
    const response = await get(`/api/public/cases/${opened.statusToken}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const view = await response.json();
    expect(view.reference).toBe(opened.reference);
    expect(view.history.map((entry: { kind: string }) => entry.kind)).toContain('reply_from_us');
    expect(view.history.find((entry: { kind: string }) => entry.kind === 'reply_from_us').body).toBe('We are sorry; a new parcel is on its way.');
    const text = JSON.stringify(view);
    for (const hidden of ['watch list', 'li.wei@example.net', '0013', 'Li Wei', 'Wang Fang', opened.id]) expect(text).not.toContain(hidden);
  });

  it('takes a reply, which then shows in the history', async () => {
    const opened = await openTestCase(test.db);
    const sent = await test.app.request(`/api/public/cases/${opened.statusToken}/replies`, json({ body: '  Still waiting.  ' }));
    expect(sent.status).toBe(201);
    const view = await (await get(`/api/public/cases/${opened.statusToken}`)).json();
    expect(view.history.filter((entry: { kind: string }) => entry.kind === 'reply_from_you').map((entry: { body: string }) => entry.body)).toEqual(['Still waiting.']);
  });

  it('takes a reply long after the case closed as a new case, and gives its page', async () => {
    const opened = await openTestCase(test.db);
    await resolveTestCase(test.db, opened.id);
    // Closed a month ago: past the reopen window.
    const monthAgo = Date.now() - 30 * 24 * 3600_000;
    await test.db.update(complaintCases).set({ status: 'closed', resolvedAt: monthAgo, closedAt: monthAgo }).where(eq(complaintCases.id, opened.id));
    const sent = await test.app.request(`/api/public/cases/${opened.statusToken}/replies`, json({ body: 'It broke again.' }));
    expect(sent.status).toBe(201);
    const answer = await sent.json();
    expect(answer.newCase.reference).not.toBe(opened.reference);
    expect(answer.newCase.statusPath).toMatch(/^\/c\/[a-z2-7]{32}$/);
    const page = await get(answer.newCase.statusPath);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(answer.newCase.reference);
  });

  it('refuses an empty or overlong reply in the reader\'s language, both languages given', async () => {
    const opened = await openTestCase(test.db);
    const empty = await test.app.request(`/api/public/cases/${opened.statusToken}/replies`, json({ body: '   ' }, { 'x-locale': 'zh-CN' }));
    expect(empty.status).toBe(400);
    const answer = await empty.json();
    expect(answer.error).toContain('请先填写留言再发送');
    expect(answer.messages.fields.body.en).toBe('Write your message before sending.');
    const long = await test.app.request(`/api/public/cases/${opened.statusToken}/replies`, json({ body: 'x'.repeat(5001) }));
    expect((await long.json()).fields.body).toContain('at most 5000');
  });

  it('takes a form post from no page of ours only as JSON', async () => {
    const opened = await openTestCase(test.db);
    const form = await test.app.request(`/api/public/cases/${opened.statusToken}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'body=hello',
    });
    expect(form.status).toBe(403);
  });

  it('takes the customer\'s word once the case is resolved', async () => {
    const opened = await openTestCase(test.db);
    const before = await test.app.request(`/api/public/cases/${opened.statusToken}/confirmation`, json({ resolved: true }));
    expect(before.status).toBe(409);
    await resolveTestCase(test.db, opened.id);
    const view = await (await get(`/api/public/cases/${opened.statusToken}`)).json();
    expect(view.canConfirm).toBe(true);
    const confirmed = await test.app.request(`/api/public/cases/${opened.statusToken}/confirmation`, json({ resolved: true, comment: 'Thanks!' }));
    expect(confirmed.status).toBe(200);
    const [row] = await test.db.select({ customerConfirmed: complaintCases.customerConfirmed }).from(complaintCases).where(eq(complaintCases.id, opened.id));
    expect(row!.customerConfirmed).toBe(true);
    const after = await (await get(`/api/public/cases/${opened.statusToken}`)).json();
    expect(after.canConfirm).toBe(false);
    expect(after.history.at(-1)).toMatchObject({ kind: 'confirmed', resolved: true, comment: 'Thanks!' });
  });
});

describe('"not resolved"', () => {
  it('sends the case back to work, and the page says so', async () => {
    const opened = await openTestCase(test.db);
    await resolveTestCase(test.db, opened.id);
    const answered = await test.app.request(`/api/public/cases/${opened.statusToken}/confirmation`, json({ resolved: false, comment: 'Still broken.' }));
    expect(answered.status).toBe(200);
    const view = await (await get(`/api/public/cases/${opened.statusToken}`)).json();
    expect(view.status).toBe('in_progress');
    expect(view.canConfirm).toBe(false);
    expect(view.history).toContainEqual(expect.objectContaining({ kind: 'confirmed', resolved: false, comment: 'Still broken.' }));
    expect(view.history).toContainEqual(expect.objectContaining({ kind: 'reopened' }));
  });
});

describe('a link that is not a case\'s', () => {
  it('answers a wrong, malformed or revoked token exactly as an unknown one, page and JSON alike', async () => {
    const opened = await openTestCase(test.db);
    const revoked = await openTestCase(test.db);
    await test.db.update(complaintCases).set({ statusTokenRevokedAt: Date.now() }).where(eq(complaintCases.id, revoked.id));
    const wrong = `${opened.statusToken.slice(0, -1)}${opened.statusToken.endsWith('a') ? 'b' : 'a'}`;
    const tokens = [wrong, 'a'.repeat(32), 'not-a-token', 'x'.repeat(5000), '%00', revoked.statusToken];
    const headers = { 'accept-language': 'en' };
    const pages = await Promise.all(tokens.map(async (token) => {
      const response = await get(`/c/${token}`, headers);
      return { status: response.status, body: await response.text() };
    }));
    const answers = await Promise.all(tokens.map(async (token) => {
      const response = await get(`/api/public/cases/${token}`, headers);
      return { status: response.status, body: await response.text() };
    }));
    for (const page of pages) expect(page).toEqual(pages[0]);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(pages[0]!.status).toBe(404);
    expect(pages[0]!.body).toContain('Link not recognised');
    expect(answers[0]!.status).toBe(404);
    // Writes through such a link are refused the same way.
    for (const token of [wrong, revoked.statusToken]) {
      const reply = await test.app.request(`/api/public/cases/${token}/replies`, json({ body: 'hello' }));
      expect({ status: reply.status, body: await reply.text() }).toEqual(answers[0]);
    }
  });
});

describe('the page', () => {
  it('is the case\'s language first, switches with ?lang=, and is never indexed or cached', async () => {
    const opened = await openTestCase(test.db, { locale: 'zh-CN' });
    const zh = await get(`/c/${opened.statusToken}`, { 'accept-language': 'en' });
    expect(zh.status).toBe(200);
    const html = await zh.text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain(opened.reference);
    expect(html).toContain('noindex');
    expect(zh.headers.get('x-robots-tag')).toContain('noindex');
    expect(zh.headers.get('cache-control')).toContain('no-store');
    expect(zh.headers.get('referrer-policy')).toBe('same-origin');
    expect(zh.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const en = await (await get(`/c/${opened.statusToken}?lang=en`)).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('Reference');
  });
});
