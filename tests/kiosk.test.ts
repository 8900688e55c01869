import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaigns, responses } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { json, signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '门店体验 </script><b>', en: 'Store visit </script><b>' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '您有多大可能推荐我们？', en: 'How likely are you to recommend us?' } },
    { id: 'comment', type: 'text', required: false, maxLength: 50, multiline: true, title: { 'zh-CN': '其他意见', en: 'Anything else?' } },
  ],
};

let test: TestApp;
let manager: StaffClient;
let survey: { id: string; slug: string; versions: { id: string }[] };

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  const created = await (await manager.request('POST', '/api/surveys', { definition, slug: 'store-visit' })).json();
  survey = (await (await manager.request('POST', `/api/surveys/${created.survey.id}/publish`)).json()).survey;
});
afterEach(() => test.close());

async function addKiosk(values: { id?: string; key?: string; status?: 'draft' | 'running' | 'closed'; location?: string } = {}) {
  const id = values.id ?? randomUUID();
  const kioskKey = values.key ?? randomUUID().replace(/-/g, '');
  await test.db.insert(campaigns).values({
    id,
    name: `Lobby kiosk ${id.slice(0, 4)}`,
    surveyId: survey.id,
    delivery: 'kiosk',
    status: values.status ?? 'running',
    settings: { kiosk: { location: values.location ?? 'Shanghai Lobby 1', idleSeconds: 60 } },
    kioskKey,
  });
  return { id, key: kioskKey };
}

function answer(key: string, answers: Record<string, unknown>, id = randomUUID()) {
  return test.app.request(
    `/api/public/kiosk/${key}/responses`,
    json({ id, versionId: survey.versions[0]!.id, locale: 'zh-CN', answers, startedAt: Date.now() - 20_000 }),
  );
}

function embeddedData(html: string) {
  const match = /<script id="survey-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match![1]!);
}

describe('the kiosk page', () => {
  it('serves a running kiosk with its survey inlined and escaped, never cached by the network', async () => {
    const kiosk = await addKiosk();
    const page = await test.app.request(`/k/${kiosk.key}`, { headers: { 'accept-language': 'en' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<title>Store visit &#60;/script&#62;&#60;b&#62;</title>');
    // The closing tag in the title cannot end the data script early.
    expect(html.match(/<\/script><b>/g)).toBeNull();
    expect(embeddedData(html)).toMatchObject({
      state: 'open',
      versionId: survey.versions[0]!.id,
      definition: { title: definition.title },
      kiosk: { key: kiosk.key, location: 'Shanghai Lobby 1', idleSeconds: 60 },
    });
  });

  it('answers 404 for an unknown key or a kiosk not started, 410 once closed', async () => {
    expect((await test.app.request('/k/no-such-kiosk')).status).toBe(404);
    const draft = await addKiosk({ status: 'draft' });
    expect((await test.app.request(`/k/${draft.key}`)).status).toBe(404);
    const closed = await addKiosk({ status: 'closed' });
    const gone = await test.app.request(`/k/${closed.key}`, { headers: { 'accept-language': 'zh-CN' } });
    expect(gone.status).toBe(410);
    expect(embeddedData(await gone.text())).toEqual({ state: 'closed', title: definition.title });
    // A closed survey closes its kiosks too.
    const running = await addKiosk();
    await manager.request('POST', `/api/surveys/${survey.id}/close`);
    expect((await test.app.request(`/k/${running.key}`)).status).toBe(410);
  });

  it('serves the service worker for the /k/ scope as JavaScript', async () => {
    const worker = await test.app.request('/k/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(worker.headers.get('service-worker-allowed')).toBe('/k/');
    expect(await worker.text()).toContain('fetch');
  });
});

describe('answers from a kiosk', () => {
  it('stores each answer once as onsite, with its campaign and location', async () => {
    const kiosk = await addKiosk();
    const id = randomUUID();
    const first = await answer(kiosk.key, { nps: 9, comment: 'friendly staff' }, id);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id, status: 'stored' });
    const again = await answer(kiosk.key, { nps: 9, comment: 'friendly staff' }, id);
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('duplicate');
    const rows = await test.db.select().from(responses);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id,
      channel: 'onsite',
      campaignId: kiosk.id,
      locale: 'zh-CN',
      hiddenFields: { location: 'Shanghai Lobby 1' },
      answers: { nps: 9, comment: 'friendly staff' },
    });
  });

  it('refuses invalid answers with a message per question, storing nothing', async () => {
    const kiosk = await addKiosk();
    const missing = await answer(kiosk.key, { comment: 'x'.repeat(51) });
    expect(missing.status).toBe(400);
    const body = await missing.json();
    expect(Object.keys(body.questionErrors).sort()).toEqual(['comment', 'nps']);
    const malformed = await test.app.request(`/api/public/kiosk/${kiosk.key}/responses`, json({ id: 'nope', answers: [] }));
    expect(malformed.status).toBe(400);
    expect(Object.keys((await malformed.json()).fields).sort()).toEqual(['answers', 'id', 'locale', 'versionId']);
    expect(await test.db.select().from(responses)).toHaveLength(0);
  });

  it('answers 404 for an unknown kiosk, 410 for a closed one, 400 for another survey\'s version', async () => {
    expect((await answer('no-such-kiosk', { nps: 5 })).status).toBe(404);
    const closed = await addKiosk({ status: 'closed' });
    const gone = await answer(closed.key, { nps: 5 });
    expect(gone.status).toBe(410);
    expect((await gone.json()).error).toBeTruthy();
    const other = await (await manager.request('POST', '/api/surveys', { definition, slug: 'other-survey' })).json();
    const published = (await (await manager.request('POST', `/api/surveys/${other.survey.id}/publish`)).json()).survey;
    const kiosk = await addKiosk();
    const wrong = await test.app.request(
      `/api/public/kiosk/${kiosk.key}/responses`,
      json({ id: randomUUID(), versionId: published.versions[0].id, locale: 'en', answers: { nps: 5 } }),
    );
    expect(wrong.status).toBe(400);
    expect(await test.db.select().from(responses)).toHaveLength(0);
  });
});

describe('staff views of kiosks', () => {
  it('lists kiosks with their link and today\'s answers, for interviewers, managers and admins only', async () => {
    const kiosk = await addKiosk({ location: 'Beijing Counter' });
    await addKiosk({ status: 'closed' });
    await answer(kiosk.key, { nps: 10 });
    await answer(kiosk.key, { nps: 4 });
    for (const role of ['interviewer', 'manager', 'admin'] as const) {
      const staff = await signedInAs(test, role);
      const reply = await staff.request('GET', '/api/kiosks');
      expect(reply.status).toBe(200);
      const { kiosks } = await reply.json();
      expect(kiosks).toHaveLength(2);
      expect(kiosks.find((row: { id: string }) => row.id === kiosk.id)).toMatchObject({
        location: 'Beijing Counter',
        status: 'running',
        kioskPath: `/k/${kiosk.key}`,
        responsesToday: 2,
        surveyTitle: definition.title,
      });
    }
    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', '/api/kiosks')).status).toBe(403);
    expect((await support.request('GET', `/api/kiosks/${kiosk.id}/poster`)).status).toBe(403);
    expect((await test.app.request('/api/kiosks')).status).toBe(401);
  });

  it('makes a poster whose QR code opens the web version at the location', async () => {
    const kiosk = await addKiosk({ location: '前台 A' });
    const interviewer = await signedInAs(test, 'interviewer');
    const reply = await interviewer.request('GET', `/api/kiosks/${kiosk.id}/poster`);
    expect(reply.status).toBe(200);
    const poster = await reply.json();
    expect(poster.url).toBe(`http://127.0.0.1:3000/s/store-visit?location=${encodeURIComponent('前台 A').replace('%20', '+')}`);
    expect(poster.readableUrl).toBe('http://127.0.0.1:3000/s/store-visit?location=前台+A');
    expect(poster.title).toEqual(definition.title);
    expect(poster.location).toBe('前台 A');
    expect(poster.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/);
    expect(poster.svg).toMatch(/<path[^>]+d="M\d/);
    expect((await interviewer.request('GET', '/api/kiosks/no-such/poster')).status).toBe(404);
    // The web version stores the location it was opened with.
    await test.app.request(
      '/api/public/responses',
      json({ id: randomUUID(), versionId: survey.versions[0]!.id, locale: 'en', answers: { nps: 8 }, hidden: { location: '前台 A' } }),
    );
    const [row] = await test.db.select().from(responses).where(eq(responses.channel, 'web'));
    expect(row?.hiddenFields).toEqual({ location: '前台 A' });
  });
});
