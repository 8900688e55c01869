import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { json, signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

const definition: SurveyDefinition = {
  kind: 'satisfaction',
  title: { 'zh-CN': '结账体验', en: 'Checkout experience' },
  questions: [
    { id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '您有多大可能推荐我们？', en: 'How likely are you to recommend us?' } },
    {
      id: 'why',
      type: 'text',
      required: true,
      maxLength: 20,
      multiline: true,
      showIf: { question: 'nps', op: 'lte', value: 6 },
      title: { 'zh-CN': '我们哪里做得不好？', en: 'What did we do badly?' },
    },
    { id: 'comment', type: 'text', required: false, maxLength: 500, multiline: true, title: { 'zh-CN': '其他意见', en: 'Anything else?' } },
  ],
};

let test: TestApp;
let manager: StaffClient;
let survey: { id: string; slug: string; versions: { id: string }[] };

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  const created = await (await manager.request('POST', '/api/surveys', { definition, slug: 'checkout' })).json();
  survey = (await (await manager.request('POST', `/api/surveys/${created.survey.id}/publish`)).json()).survey;
});
afterEach(() => test.close());

async function submit(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return test.app.request('/api/public/responses', json(body, headers));
}

function submission(answers: Record<string, unknown>, id = randomUUID()) {
  return { id, versionId: survey.versions[0]!.id, locale: 'en', answers, startedAt: Date.now() - 30_000 };
}

async function storedCount() {
  const rows = await test.db.$client.execute('SELECT count(*) AS n FROM responses');
  return Number(rows.rows[0]!.n);
}

describe('submitting a response', () => {
  it('stores a valid response once, however often it is sent', async () => {
    const body = submission({ nps: 9, comment: '  fast delivery ' });
    const first = await submit(body);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: body.id, status: 'stored' });
    const retry = await submit(body);
    expect(retry.status).toBe(200);
    expect((await retry.json()).status).toBe('duplicate');
    expect(await storedCount()).toBe(1);
  });

  it('stores one row when the same response arrives many times at once', async () => {
    const body = submission({ nps: 3, why: 'slow' });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => submit(body).then((r) => r.json())));
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(7);
    expect(await storedCount()).toBe(1);
  });

  it('stores many different responses arriving together, each once', async () => {
    const bodies = Array.from({ length: 300 }, (_, i) => submission({ nps: i % 11, ...(i % 11 <= 6 ? { why: 'x' } : {}) }));
    const statuses = await Promise.all(bodies.map((body) => submit(body).then((r) => r.status)));
    expect(statuses.every((status) => status === 201)).toBe(true);
    expect(await storedCount()).toBe(300);
  });

  it('answers 400 with a message per question and stores nothing invalid', async () => {
    const missing = await submit(submission({ nps: 4 }), { 'accept-language': 'en' });
    expect(missing.status).toBe(400);
    const body = await missing.json();
    expect(Object.keys(body.questionErrors)).toEqual(['why']);
    expect(body.questionErrors.why.en).toBeTruthy();
    expect(body.questionErrors.why['zh-CN']).toBeTruthy();

    const outOfRange = await (await submit(submission({ nps: 11 }))).json();
    expect(outOfRange.questionErrors.nps.en).toMatch(/0/);
    const tooLong = await (await submit(submission({ nps: 2, why: 'x'.repeat(21) }))).json();
    expect(Object.keys(tooLong.questionErrors)).toEqual(['why']);
    const hidden = await (await submit(submission({ nps: 10, why: 'not shown' }))).json();
    expect(Object.keys(hidden.questionErrors)).toEqual(['why']);
    const unknown = await (await submit(submission({ nps: 10, color: 'blue' }))).json();
    expect(Object.keys(unknown.questionErrors)).toEqual(['color']);
    expect(await storedCount()).toBe(0);
  });

  it('rejects a malformed envelope with field messages', async () => {
    const response = await submit({ id: 'not-a-uuid', versionId: '', locale: 'fr', answers: [] });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fields).sort()).toEqual(['answers', 'id', 'locale', 'versionId']);
    const staffChannel = await submit({ ...submission({ nps: 9 }), channel: 'phone' });
    expect(staffChannel.status).toBe(400);
  });

  it('refuses a body over 1 MB, declared or streamed', async () => {
    const huge = JSON.stringify(submission({ nps: 9, comment: 'x'.repeat(1_100_000) }));
    const declared = await test.app.request('/api/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(huge.length) },
      body: huge,
    });
    expect(declared.status).toBe(413);
    const streamed = await test.app.request('/api/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([huge]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await storedCount()).toBe(0);
  });

  it('answers 404 for an unknown version and 410 once the survey is closed', async () => {
    expect((await submit({ ...submission({ nps: 9 }), versionId: 'nope' })).status).toBe(404);
    await manager.request('POST', `/api/surveys/${survey.id}/close`);
    const closed = await submit(submission({ nps: 9 }));
    expect(closed.status).toBe(410);
    expect(await storedCount()).toBe(0);
  });

  it('still takes answers to the version a customer loaded after a newer one is published', async () => {
    const oldVersion = survey.versions[0]!.id;
    const edited = structuredClone(definition);
    edited.title.en = 'Checkout, revised';
    await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition: edited });
    await manager.request('POST', `/api/surveys/${survey.id}/publish`);
    const response = await submit({ ...submission({ nps: 10 }), versionId: oldVersion });
    expect(response.status).toBe(201);
    const stored = await test.db.$client.execute('SELECT version_id FROM responses');
    expect(stored.rows[0]!.version_id).toBe(oldVersion);
  });
});

describe('a submission naming many unknown questions', () => {
  it('lists the first 20 problems and counts the rest, in a small body', async () => {
    const answers: Record<string, unknown> = { nps: 9 };
    for (let index = 0; index < 60_000; index++) answers[`q${index}`] = 1;
    for (const locale of ['en', 'zh-CN']) {
      const response = await submit(submission(answers), { 'accept-language': locale });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text.length).toBeLessThan(10_000);
      const body = JSON.parse(text);
      expect(Object.keys(body.questionErrors)).toHaveLength(20);
      expect(body.moreProblems).toBe(59_980);
      expect(body.error).toContain('60000');
      expect(body.error).toContain('59980');
    }
    expect(await storedCount()).toBe(0);
  });
});

describe('hidden fields from the link', () => {
  it('stores them with the response and returns them to managers', async () => {
    const body = { ...submission({ nps: 9 }), hidden: { store: '123', src: 'qr' } };
    expect((await submit(body)).status).toBe(201);
    const plain = submission({ nps: 8 });
    expect((await submit(plain)).status).toBe(201);
    expect((await submit({ ...submission({ nps: 8 }), hidden: {} })).status).toBe(201);

    const stored = await test.db.$client.execute({ sql: 'SELECT hidden_fields FROM responses WHERE id = ?', args: [body.id] });
    expect(JSON.parse(String(stored.rows[0]!.hidden_fields))).toEqual({ store: '123', src: 'qr' });
    const empty = await test.db.$client.execute('SELECT count(*) AS n FROM responses WHERE hidden_fields IS NULL');
    expect(Number(empty.rows[0]!.n)).toBe(2);

    const list = await (await manager.request('GET', `/api/surveys/${survey.id}/responses`)).json();
    const byId = new Map(list.responses.map((row: { id: string }) => [row.id, row]));
    expect(byId.get(body.id)).toMatchObject({ hiddenFields: { store: '123', src: 'qr' } });
    expect(byId.get(plain.id)).toMatchObject({ hiddenFields: null });
    const one = await (await manager.request('GET', `/api/responses/${body.id}`)).json();
    expect(one.response.hiddenFields).toEqual({ store: '123', src: 'qr' });
  });

  it.each([
    ['too many fields', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'x']))],
    ['a bad name', { '1store': '123' }],
    ['a name too long', { ['k'.repeat(41)]: 'x' }],
    ['a value too long', { store: 'x'.repeat(201) }],
    ['a value that is not text', { store: 123 }],
    ['not an object', 'store=123'],
  ])('answers 400 with a field message for %s, storing nothing', async (_, hidden) => {
    const response = await submit({ ...submission({ nps: 9 }), hidden }, { 'accept-language': 'zh-CN' });
    expect(response.status).toBe(400);
    const body = await response.json();
    const fields = Object.keys(body.fields);
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.every((field) => field.startsWith('hidden'))).toBe(true);
    expect(Object.values(body.fields).join(' ')).toMatch(/[\u4e00-\u9fff]/);
    expect(await storedCount()).toBe(0);
  });

  const rawSubmit = (text: string) =>
    test.app.request('/api/public/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  const rawBody = (hiddenJson: string) => {
    const body = JSON.stringify(submission({ nps: 9 }));
    return { text: `${body.slice(0, -1)},"hidden":${hiddenJson}}`, id: JSON.parse(body).id as string };
  };

  it.each([
    ['"__proto__" holding an object', '{"__proto__":{"store":"1"}}'],
    ['"__proto__" holding text', '{"store":"1","__proto__":"x"}'],
    ['"__proto__" holding what no field may hold', '{"__proto__":{"a":1}}'],
  ])('refuses a link field named %s, which a record check passes over', async (_, hiddenJson) => {
    const { text } = rawBody(hiddenJson);
    const response = await rawSubmit(text);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).fields)).toEqual(['hidden.__proto__']);
    expect(await storedCount()).toBe(0);
  });

  it('stores fields named "constructor" and "prototype" as sent, and still checks them', async () => {
    const { text, id } = rawBody('{"constructor":"c1","prototype":"p1","store":"7"}');
    expect((await rawSubmit(text)).status).toBe(201);
    const stored = await test.db.$client.execute({ sql: 'SELECT hidden_fields FROM responses WHERE id = ?', args: [id] });
    expect(JSON.parse(String(stored.rows[0]!.hidden_fields))).toEqual({ constructor: 'c1', prototype: 'p1', store: '7' });
    const tooLong = rawBody(`{"constructor":"${'x'.repeat(201)}"}`);
    const refused = await rawSubmit(tooLong.text);
    expect(refused.status).toBe(400);
    expect(Object.keys((await refused.json()).fields)).toEqual(['hidden.constructor']);
  });

  it('takes the most a link may carry', async () => {
    const hidden = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`Field_${i}-x`, 'v'.repeat(200)]));
    expect((await submit({ ...submission({ nps: 9 }), hidden })).status).toBe(201);
  });
});

describe('reading responses', () => {
  it('lists responses newest first, page by page, and opens one with its version', async () => {
    for (let i = 0; i < 5; i++) await submit(submission({ nps: 7 + (i % 4) }));
    const first = await (await manager.request('GET', `/api/surveys/${survey.id}/responses?limit=2`)).json();
    expect(first.total).toBe(5);
    expect(first.responses).toHaveLength(2);
    expect(first.responses[0]).toMatchObject({ channel: 'web', version: 1, locale: 'en' });
    expect(first.responses[0].durationMs).toBeGreaterThan(29_000);
    const second = await (await manager.request('GET', `/api/surveys/${survey.id}/responses?limit=2&before=${first.nextBefore}`)).json();
    const third = await (await manager.request('GET', `/api/surveys/${survey.id}/responses?limit=2&before=${second.nextBefore}`)).json();
    expect(third.nextBefore).toBeNull();
    const ids = [...first.responses, ...second.responses, ...third.responses].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(5);

    const one = await (await manager.request('GET', `/api/responses/${ids[0]}`)).json();
    expect(one.response.id).toBe(ids[0]);
    expect(one.definition.title.en).toBe('Checkout experience');
    expect((await manager.request('GET', '/api/responses/nope')).status).toBe(404);
    expect((await manager.request('GET', '/api/surveys/nope/responses')).status).toBe(404);
  });

  it('denies reading responses to interviewers, and lets support read them', async () => {
    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', `/api/surveys/${survey.id}/responses`)).status).toBe(403);
    expect((await interviewer.request('GET', '/api/responses/x')).status).toBe(403);
    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', `/api/surveys/${survey.id}/responses`)).status).toBe(200);
    expect((await support.request('GET', '/api/responses/x')).status).toBe(404);
  });

  it('requires a session to read responses', async () => {
    expect((await test.app.request(`/api/surveys/${survey.id}/responses`)).status).toBe(401);
  });
});

describe('exporting responses as CSV', () => {
  it('downloads every response, newest first, in the reader’s language, with formulas defused', async () => {
    const older = submission({ nps: 3, why: '=HYPERLINK("x")', comment: '+1, and "quoted"' });
    expect((await submit({ ...older, hidden: { store: '12' } })).status).toBe(201);
    const newer = submission({ nps: 10 });
    expect((await submit(newer)).status).toBe(201);

    const response = await manager.request('GET', `/api/surveys/${survey.id}/responses.csv?lang=zh-CN`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="responses-/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A byte-order mark first, so spreadsheet programs read the Chinese as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      '答卷编号,提交时间 (UTC),渠道,语言,版本,用时（秒）,客户编号,调查活动编号,访问员编号,链接参数,nps 您有多大可能推荐我们？,why 我们哪里做得不好？,comment 其他意见',
    );
    expect(lines[1]!.startsWith(`${newer.id},`)).toBe(true);
    expect(lines[1]!.endsWith(',10,,')).toBe(true);
    expect(lines[2]).toContain(`${older.id},`);
    expect(lines[2]).toContain(',web,en,1,');
    expect(lines[2]).toContain(',store=12,3,');
    expect(lines[2]!.endsWith(`,"'=HYPERLINK(""x"")","'+1, and ""quoted"""`)).toBe(true);

    const english = await (await manager.request('GET', `/api/surveys/${survey.id}/responses.csv`, undefined, { 'accept-language': 'en' })).text();
    expect(english.split('\r\n')[0]).toContain('response id,submitted at (UTC),channel');
  });

  it('is for managers, admins and support, and says when the survey does not exist', async () => {
    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', `/api/surveys/${survey.id}/responses.csv`)).status).toBe(200);
    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', `/api/surveys/${survey.id}/responses.csv`)).status).toBe(403);
    expect((await test.app.request(`/api/surveys/${survey.id}/responses.csv`)).status).toBe(401);
    expect((await manager.request('GET', '/api/surveys/nope/responses.csv')).status).toBe(404);
  });
});

describe('the public page', () => {
  function embedded(html: string) {
    const match = html.match(/<script id="survey-data" type="application\/json">(.*?)<\/script>/s);
    return JSON.parse(match![1]!);
  }

  it('inlines the open survey, and says when a survey is closed or unknown', async () => {
    const open = await test.app.request('/s/checkout');
    expect(open.status).toBe(200);
    const data = embedded(await open.text());
    expect(data).toMatchObject({ state: 'open', slug: 'checkout', version: 1, versionId: survey.versions[0]!.id });
    expect(data.definition.questions).toHaveLength(3);

    expect(embedded(await (await test.app.request('/s/missing')).text())).toEqual({ state: 'unknown' });
    await manager.request('POST', `/api/surveys/${survey.id}/close`);
    const closed = await test.app.request('/s/checkout');
    expect(closed.status).toBe(410);
    expect(embedded(await closed.text()).state).toBe('closed');
  });

  it('renders the form on the server, in the reader’s language, so it can be answered before scripts run', async () => {
    const html = await (await test.app.request('/s/checkout', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })).text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain('data-question="nps"');
    expect(html).toContain('您有多大可能推荐我们？');
    expect(html).not.toContain('data-hk=');
    const english = await (await test.app.request('/s/checkout', { headers: { 'accept-language': 'en-GB' } })).text();
    expect(english).toContain('How likely are you to recommend us?');
  });

  it('brings its styles in the page itself and its script last, so nothing has to arrive before the first question shows', async () => {
    const html = await (await test.app.request('/s/checkout', { headers: { 'accept-language': 'en' } })).text();
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toMatch(/<style>[^<]*\.sv-point[^<]*<\/style>/);
    expect(head).not.toContain('<script');
    const script = html.search(/<script type="module"[^>]* src="\/assets\/respond-[^"]+\.js"><\/script>\s*<\/body>/);
    expect(script).toBeGreaterThan(html.indexOf('data-question="nps"'));
  });

  it('sends the questions of the first screen without a submit button, which before the script could only reload the page', async () => {
    const html = await (await test.app.request('/s/checkout', { headers: { 'accept-language': 'en' } })).text();
    expect(html).toContain('data-question="comment"');
    expect(html).not.toContain('data-testid="submit"');
  });

  it('shows no Chinese on an English page before the script, so the browser loads no CJK font for its first screen', async () => {
    const html = await (await test.app.request('/s/checkout', { headers: { 'accept-language': 'en' } })).text();
    const shown = html.replace(/<(script|noscript|title)\b[\s\S]*?<\/\1>/g, '');
    expect(shown).toContain('How likely are you to recommend us?');
    expect(shown).not.toMatch(/\p{Script=Han}/u);
    // The language switch keeps its place and comes with the script.
    expect(shown).toContain('<div class="sv-lang"></div>');
  });

  it('escapes survey text so it cannot break out of the page', async () => {
    const evil = structuredClone(definition);
    evil.title.en = '</script><script>alert(1)</script>';
    await manager.request('PUT', `/api/surveys/${survey.id}/draft`, { definition: evil });
    await manager.request('POST', `/api/surveys/${survey.id}/publish`);
    const html = await (await test.app.request('/s/checkout')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(embedded(html).definition.title.en).toBe(evil.title.en);
  });

  it('serves the page compressed with a content security policy', async () => {
    const response = await test.app.request('/s/checkout', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    // No opener policy on the open form (it would cost a new renderer process before the first question);
    // the staff app and a personal link keep theirs.
    expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
    expect((await test.app.request('/app/')).headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect((await test.app.request('/i/NOSUCHTOKEN0000')).headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect((await test.app.request('/api/surveys')).headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});
