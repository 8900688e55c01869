import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let manager: StaffClient;
beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
});
afterEach(() => test.close());

async function create(body: unknown = { templateId: 'transactional-csat' }) {
  const response = await manager.request('POST', '/api/surveys', body);
  expect(response.status).toBe(201);
  return (await response.json()).survey;
}

describe('templates', () => {
  it('lists every template with a definition in both languages', async () => {
    const response = await manager.request('GET', '/api/templates');
    expect(response.status).toBe(200);
    const { templates } = await response.json();
    expect(templates.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining(['transactional-csat', 'relationship-nps', 'ces', 'expectation-experience', 'acsi', 'complaint-form', 'follow-up']),
    );
    for (const template of templates) {
      expect(template.definition.title['zh-CN']).toBeTruthy();
      expect(template.definition.title.en).toBeTruthy();
    }
  });
});

describe('authoring', () => {
  it('creates a blank survey, a survey from a template and one from a definition', async () => {
    const blank = await create({});
    expect(blank).toMatchObject({ status: 'draft', latestVersion: null, hasUnpublishedChanges: true, responseCount: 0 });
    expect(blank.draft.questions.length).toBeGreaterThan(0);

    const fromTemplate = await create({ templateId: 'expectation-experience', slug: 'ee-2026' });
    expect(fromTemplate.slug).toBe('ee-2026');
    expect(fromTemplate.publicPath).toBe('/s/ee-2026');
    expect(fromTemplate.draft.questions.some((q: { type: string }) => q.type === 'expectation_experience')).toBe(true);

    const own = await create({ definition: blank.draft, slug: 'own-survey' });
    expect(own.draft).toEqual(blank.draft);

    const list = await (await manager.request('GET', '/api/surveys')).json();
    expect(list.surveys).toHaveLength(3);
  });

  it('rejects an unknown template, a taken slug and a bad slug', async () => {
    expect((await manager.request('POST', '/api/surveys', { templateId: 'nope' })).status).toBe(400);
    await create({ slug: 'taken' });
    const taken = await manager.request('POST', '/api/surveys', { slug: 'taken' });
    expect(taken.status).toBe(409);
    expect((await taken.json()).fields.slug).toMatch(/already used/);
    const bad = await manager.request('POST', '/api/surveys', { slug: '-Bad Slug' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields.slug).toMatch(/lowercase/);
  });

  it('saves a valid draft and explains an invalid one field by field', async () => {
    const survey = await create();
    const definition = structuredClone(survey.draft);
    definition.title.en = 'Checkout experience';
    const saved = await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition });
    expect(saved.status).toBe(200);
    expect((await saved.json()).survey.title.en).toBe('Checkout experience');

    definition.questions[0].title['zh-CN'] = '';
    const invalid = await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition });
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(Object.keys(body.fields)).toContain('questions.0.title.zh-CN');
  });

  it('freezes a version on publish, and makes a new version only when the draft changed', async () => {
    const survey = await create();
    const first = (await (await manager.request('POST', `/api/surveys/${survey.id}/publish`)).json()).survey;
    expect(first).toMatchObject({ status: 'published', latestVersion: 1, hasUnpublishedChanges: false });

    const same = (await (await manager.request('POST', `/api/surveys/${survey.id}/publish`)).json()).survey;
    expect(same.latestVersion).toBe(1);

    const edited = structuredClone(first.draft);
    edited.title.en = 'Edited';
    const afterEdit = (await (await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition: edited })).json()).survey;
    expect(afterEdit).toMatchObject({ latestVersion: 1, hasUnpublishedChanges: true });
    const second = (await (await manager.request('POST', `/api/surveys/${survey.id}/publish`)).json()).survey;
    expect(second.latestVersion).toBe(2);
    expect(second.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const slugChange = await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition: edited, slug: 'new-link' });
    expect(slugChange.status).toBe(409);
  });

  it('closes and reopens a published survey, but not a draft', async () => {
    const survey = await create();
    expect((await manager.request('POST', `/api/surveys/${survey.id}/close`)).status).toBe(409);
    await manager.request('POST', `/api/surveys/${survey.id}/publish`);
    const closed = await manager.request('POST', `/api/surveys/${survey.id}/close`);
    expect((await closed.json()).survey.status).toBe('closed');
    const reopened = await manager.request('POST', `/api/surveys/${survey.id}/reopen`);
    expect((await reopened.json()).survey.status).toBe('published');
  });

  it('answers 404 for an unknown survey', async () => {
    expect((await manager.request('GET', '/api/surveys/nope')).status).toBe(404);
    expect((await manager.request('POST', '/api/surveys/nope/publish')).status).toBe(404);
  });
});

describe('roles and CSRF', () => {
  it.each(['support', 'interviewer'] as const)('denies authoring to %s', async (role) => {
    const staff = await signedInAs(test, role);
    expect((await staff.request('GET', '/api/surveys')).status).toBe(403);
    expect((await staff.request('GET', '/api/templates')).status).toBe(403);
    expect((await staff.request('POST', '/api/surveys', {})).status).toBe(403);
    expect((await staff.request('PUT', '/api/surveys/x/draft', { definition: {} })).status).toBe(403);
    expect((await staff.request('POST', '/api/surveys/x/publish')).status).toBe(403);
    expect((await staff.request('POST', '/api/surveys/x/close')).status).toBe(403);
    expect((await staff.request('POST', '/api/surveys/x/reopen')).status).toBe(403);
    expect((await staff.request('GET', '/api/surveys/x')).status).toBe(403);
  });

  it('lets an admin author too', async () => {
    const admin = await signedInAs(test, 'admin');
    expect((await admin.request('POST', '/api/surveys', {})).status).toBe(201);
  });

  it('requires a session, and the CSRF token on writes', async () => {
    expect((await test.app.request('/api/surveys')).status).toBe(401);
    const withoutToken = await test.app.request('/api/surveys', {
      method: 'POST',
      headers: { cookie: manager.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(withoutToken.status).toBe(403);
    const wrongToken = await manager.request('POST', '/api/surveys', {}, { 'x-csrf-token': 'guess' });
    expect(wrongToken.status).toBe(403);
  });
});
