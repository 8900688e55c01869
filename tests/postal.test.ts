// Postal questionnaires through the API over a real database: the letters PDF for a campaign, and keying in
// returned forms once or twice with the differences settled before anything is stored.
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, isNotNull } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode, tokenFromBytes } from '../server/campaigns/rules.ts';
import { campaignInvitations, campaigns, customers, postalKeyings, responses } from '../server/db/schema.ts';
import { letterStream } from '../server/postal/letters.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { both, postalForm as form } from './support/postal.ts';

let test: TestApp;
let manager: StaffClient;

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
});
afterEach(() => test.close());


interface PostalCampaign {
  campaignId: string;
  zh: { invitationId: string; token: string };
  en: { invitationId: string; token: string };
}

/** A launched postal campaign of three customers: one in Chinese, one enterprise in English, one skipped. */
async function postalCampaign(settings: { doubleKeying: boolean }): Promise<PostalCampaign> {
  const created = await manager.request('POST', '/api/surveys', { definition: form });
  expect(created.status, await created.clone().text()).toBe(201);
  const surveyId = (await created.json()).survey.id as string;
  const published = (await (await manager.request('POST', `/api/surveys/${surveyId}/publish`)).json()).survey;
  const versionId = published.versions[0].id as string;

  const campaignId = randomUUID();
  await test.db.insert(customers).values([
    { id: 'c-zh', name: '陈晓明', postalAddress: '上海市浦东新区\n世纪大道 100 号', locale: 'zh-CN', consents: { post: ['survey'] } },
    { id: 'c-en', name: 'Acme Ltd', kind: 'enterprise', contactName: 'Jane Doe', postalAddress: '1 High Street\nLeeds LS1 1AA', locale: 'en', consents: { post: ['survey'] } },
    { id: 'c-none', name: '无地址', locale: 'zh-CN' },
  ]);
  await test.db.insert(campaigns).values({
    id: campaignId,
    name: 'Spring post',
    surveyId,
    versionId,
    delivery: 'post',
    status: 'running',
    settings: { post: settings },
  });
  const token = () => tokenFromBytes(randomBytes(10));
  const zh = { invitationId: randomUUID(), token: token() };
  const en = { invitationId: randomUUID(), token: token() };
  await test.db.insert(campaignInvitations).values([
    { id: zh.invitationId, campaignId, customerId: 'c-zh', dedupeKey: `${campaignId}:c-zh`, delivery: 'post', token: zh.token, locale: 'zh-CN' },
    { id: en.invitationId, campaignId, customerId: 'c-en', dedupeKey: `${campaignId}:c-en`, delivery: 'post', token: en.token, locale: 'en' },
    { id: randomUUID(), campaignId, customerId: 'c-none', dedupeKey: `${campaignId}:c-none`, delivery: 'post', skipReason: 'no_address', locale: 'zh-CN' },
  ]);
  return { campaignId, zh, en };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return Buffer.from(await new Response(stream).arrayBuffer()).toString('latin1');
}

/**
 * The text drawn on each page of an uncompressed PDF made by pdfkit: each font's glyph codes are read back to
 * characters through the font's ToUnicode map, as a PDF reader does for copy and paste.
 */
function pageTexts(pdf: string): string[] {
  const objects = new Map<string, string>();
  for (const match of pdf.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(match[1]!, match[2]!);
  const decoders = new Map<string, Map<number, string>>();
  for (const [id, body] of objects) {
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(body)?.[1];
    if (!toUnicode) continue;
    const map = new Map<number, string>();
    for (const range of objects.get(toUnicode)!.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/g)) {
      const start = parseInt(range[1]!, 16);
      [...range[2]!.matchAll(/<([0-9a-f ]+)>/g)].forEach((entry, offset) => {
        map.set(start + offset, String.fromCharCode(...entry[1]!.split(' ').map((hex) => parseInt(hex, 16))));
      });
    }
    decoders.set(id, map);
  }
  const fontObjects = new Map<string, string>();
  for (const body of objects.values()) for (const match of body.matchAll(/\/(F\d+) (\d+) 0 R/g)) fontObjects.set(match[1]!, match[2]!);
  const pages = [...objects.values()].filter((body) => /\/Type \/Page\n/.test(body));
  return pages.map((body) => {
    const content = objects.get(/\/Contents (\d+) 0 R/.exec(body)![1]!)!;
    let decoder: Map<number, string> | undefined;
    let text = '';
    for (const token of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (token[1]) decoder = decoders.get(fontObjects.get(token[1])!);
      else {
        for (const hex of token[2]!.matchAll(/<([0-9a-f]+)>/g)) {
          for (let i = 0; i < hex[1]!.length; i += 4) text += decoder?.get(parseInt(hex[1]!.slice(i, i + 4), 16)) ?? '?';
        }
        text += '\n';
      }
    }
    return text;
  });
}

describe('letters for a postal campaign', () => {
  it('prints one letter per invited customer, in their language, with name, address and code', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    const { stream } = await letterStream(test.db, { campaignId: campaign.campaignId, publicUrl: 'https://survey.example.com', sender: 'Survey Team', compress: false });
    const texts = pageTexts(await readAll(stream));
    expect(texts).toHaveLength(2);
    const zhPage = texts.find((text) => text.includes('陈晓明'))!;
    const enPage = texts.find((text) => text.includes('Acme Ltd'))!;
    expect(zhPage).toContain(formatCode(campaign.zh.token));
    expect(zhPage).toContain('上海市浦东新区');
    expect(zhPage).toContain('总体满意度');
    expect(zhPage).toContain('仅当第 1 题为 2 或以下时回答');
    expect(zhPage.replace(/\n/g, '')).toContain(`https://survey.example.com/i/${campaign.zh.token}`);
    expect(zhPage).not.toContain('Overall satisfaction');
    expect(enPage).toContain(formatCode(campaign.en.token));
    expect(enPage).toContain('Attn. Jane Doe');
    expect(enPage).toContain('Overall satisfaction');
    expect(enPage).toContain('Only if your answer to question 1 is 2 or less');
    expect(texts.join('')).not.toContain('无地址');
  });

  it('serves the PDF to managers, marks the letters printed, and refuses interviewers', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', `/api/campaigns/${campaign.campaignId}/letters.pdf`)).status).toBe(403);
    expect((await test.app.request(`/api/campaigns/${campaign.campaignId}/letters.pdf`)).status).toBe(401);

    const response = await manager.request('GET', `/api/campaigns/${campaign.campaignId}/letters.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf.match(/\/Type \/Page\n/g)).toHaveLength(2);

    const printed = await test.db.select({ id: campaignInvitations.id, deliveredAt: campaignInvitations.deliveredAt }).from(campaignInvitations);
    expect(printed.filter((row) => row.deliveredAt !== null).map((row) => row.id).sort()).toEqual([campaign.zh.invitationId, campaign.en.invitationId].sort());
    // The names and addresses printed are reads of those customers' personal data, in the access log.
    const admin = await signedInAs(test, 'admin');
    const log = await (await admin.request('GET', '/api/privacy/access-log?limit=200')).json();
    const invited = await test.db.select({ customerId: campaignInvitations.customerId }).from(campaignInvitations).where(isNotNull(campaignInvitations.deliveredAt));
    const letterReads = log.reads.filter((entry: { route: string }) => entry.route === 'GET /campaigns/:id/letters.pdf');
    expect(letterReads.map((entry: { customerId: string }) => entry.customerId).sort()).toEqual(invited.map((row) => row.customerId).sort());
    expect(letterReads[0].fields).toEqual(['name', 'contactName', 'postalAddress']);

    const one = await manager.request('GET', `/api/campaigns/${campaign.campaignId}/letters.pdf?invitation=${campaign.en.invitationId}`);
    expect(Buffer.from(await one.arrayBuffer()).toString('latin1').match(/\/Type \/Page\n/g)).toHaveLength(1);

    const unknown = await manager.request('GET', `/api/campaigns/nope/letters.pdf`, undefined, { 'accept-language': 'zh-CN' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toContain('没有此编号的活动');
  });

  it('prints no letter for a customer who withdrew post consent or became do-not-contact after launch', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    await test.db.update(customers).set({ consents: { email: ['survey'] } }).where(eq(customers.id, 'c-en'));
    const { stream } = await letterStream(test.db, { campaignId: campaign.campaignId, publicUrl: 'http://localhost', sender: 'Survey Team', compress: false });
    const texts = pageTexts(await readAll(stream));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.join('')).toContain('陈晓明');
    expect(texts.join('')).not.toContain('Acme Ltd');
    const printed = await test.db.select({ id: campaignInvitations.id }).from(campaignInvitations).where(isNotNull(campaignInvitations.deliveredAt));
    expect(printed.map((row) => row.id)).toEqual([campaign.zh.invitationId]);

    // Asked for that one letter, the manager is told why there is none.
    const one = await manager.request('GET', `/api/campaigns/${campaign.campaignId}/letters.pdf?invitation=${campaign.en.invitationId}`);
    expect(one.status).toBe(409);
    expect((await one.json()).error).toMatch(/may no longer be written to/);

    // With the other customer now do-not-contact, the campaign has nothing left to print.
    await test.db.update(customers).set({ doNotContact: true }).where(eq(customers.id, 'c-zh'));
    const none = await manager.request('GET', `/api/campaigns/${campaign.campaignId}/letters.pdf`);
    expect(none.status).toBe(409);
  });

  it('gives a letter of a long questionnaire several pages, each with the code, and an even count for two-sided printing', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    const long: SurveyDefinition = {
      ...form,
      questions: Array.from({ length: 14 }, (_, n) => ({
        id: `q${n}`,
        type: 'nps' as const,
        title: both(`Question ${n + 1}`, `第 ${n + 1} 题`),
        required: false,
      })),
    };
    const created = await manager.request('POST', '/api/surveys', { definition: long });
    const surveyId = (await created.json()).survey.id as string;
    const published = (await (await manager.request('POST', `/api/surveys/${surveyId}/publish`)).json()).survey;
    await test.db.update(campaigns).set({ surveyId, versionId: published.versions[0].id }).where(eq(campaigns.id, campaign.campaignId));

    const { stream } = await letterStream(test.db, { campaignId: campaign.campaignId, publicUrl: 'http://localhost', sender: 'Survey Team', compress: false });
    const texts = pageTexts(await readAll(stream));
    expect(texts.length).toBeGreaterThanOrEqual(4);
    expect(texts.length % 4).toBe(0);
    const code = formatCode(campaign.en.token);
    const enPages = texts.filter((text) => text.includes(code));
    expect(enPages.length).toBe(texts.length / 2);
    expect(enPages.at(-1)).toContain('page');
  });
});

describe('keying in returned forms once', () => {
  it('shows the form for a code typed loosely, and says clearly when a code is unknown', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    const interviewer = await signedInAs(test, 'interviewer');
    const typed = formatCode(campaign.zh.token).toLowerCase().replace(/-/g, ' ');
    const opened = await interviewer.request('GET', `/api/keying/${encodeURIComponent(typed)}`);
    expect(opened.status).toBe(200);
    const body = await opened.json();
    expect(body).toMatchObject({ customer: { name: '陈晓明' }, campaign: { name: 'Spring post' }, locale: 'zh-CN', doubleKeying: false, state: 'first' });
    expect(body.definition.questions.map((question: { id: string }) => question.id)).toEqual(['overall', 'visit', 'why']);

    const unknown = await interviewer.request('GET', '/api/keying/0000-0000-0000-0000', undefined, { 'accept-language': 'en' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toContain('No invitation has this code');
    expect((await interviewer.request('GET', '/api/keying/abc')).status).toBe(404);

    const support = await signedInAs(test, 'support');
    expect((await support.request('GET', `/api/keying/${campaign.zh.token}`)).status).toBe(403);
  });

  it('stores the answers once as a mail response of the customer and campaign, and refuses a different second keying', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    const interviewer = await signedInAs(test, 'interviewer');
    const responseId = randomUUID();
    const path = `/api/keying/${campaign.zh.token}`;

    const invalid = await interviewer.request('POST', path, { answers: { overall: 9 }, responseId }, { 'accept-language': 'en' });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).fields.overall).toContain('from 1 to 5');

    const stored = await interviewer.request('POST', path, { answers: { overall: 2, why: 'Late delivery' }, responseId });
    expect(stored.status).toBe(201);
    expect(await stored.json()).toMatchObject({ status: 'stored', responseId });
    const again = await interviewer.request('POST', path, { answers: { overall: 2, why: 'Late delivery' }, responseId });
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('duplicate');

    const other = await signedInAs(test, 'interviewer');
    const different = await other.request('POST', path, { answers: { overall: 5 }, responseId: randomUUID() });
    expect(different.status).toBe(409);

    const rows = await test.db.select().from(responses);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: responseId, channel: 'mail', customerId: 'c-zh', campaignId: campaign.campaignId, locale: 'zh-CN', answers: { overall: 2, why: 'Late delivery' } });
    expect((await (await interviewer.request('GET', path)).json()).state).toBe('answered');
  });
});

describe('keying an answer under a name a record check passes over', () => {
  it('reports "__proto__" as a question the survey does not have and stores nothing', async () => {
    const campaign = await postalCampaign({ doubleKeying: false });
    const interviewer = await signedInAs(test, 'interviewer');
    const response = await test.app.request(`/api/keying/${campaign.zh.token}`, {
      method: 'POST',
      headers: { cookie: interviewer.cookie, 'x-csrf-token': interviewer.csrfToken, 'content-type': 'application/json', 'accept-language': 'en' },
      body: `{"answers":{"overall":2,"__proto__":5},"responseId":"${randomUUID()}"}`,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).fields.__proto__).toContain('no question');
    expect(await test.db.select().from(responses)).toHaveLength(0);
  });
});

describe('keying in returned forms twice', () => {
  async function keyers() {
    return { first: await signedInAs(test, 'interviewer'), second: await signedInAs(test, 'interviewer') };
  }

  it('keeps the first keying, refuses the same person again, and stores when a second person agrees', async () => {
    const campaign = await postalCampaign({ doubleKeying: true });
    const { first, second } = await keyers();
    const path = `/api/keying/${campaign.en.token}`;

    const one = await first.request('POST', path, { answers: { overall: 4, visit: 'shop' }, responseId: randomUUID() });
    expect(one.status).toBe(202);
    expect((await (await first.request('GET', path)).json()).state).toBe('mine');
    expect((await (await second.request('GET', path)).json()).state).toBe('second');
    expect(await test.db.select().from(responses)).toHaveLength(0);

    const same = await first.request('POST', path, { answers: { overall: 4, visit: 'shop' }, responseId: randomUUID() }, { 'accept-language': 'en' });
    expect(same.status).toBe(409);
    expect((await same.json()).error).toContain('A different person must key it');

    const responseId = randomUUID();
    const agreed = await second.request('POST', path, { answers: { visit: 'shop', overall: 4 }, responseId });
    expect(agreed.status).toBe(201);
    const rows = await test.db.select().from(responses);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: responseId, channel: 'mail', customerId: 'c-en', answers: { overall: 4, visit: 'shop' } });
    const keyings = await test.db.select().from(postalKeyings).where(eq(postalKeyings.invitationId, campaign.en.invitationId));
    expect(keyings.map((row) => row.round).sort()).toEqual([1, 2]);
  });

  it('shows the differences of a second keying and stores nothing until the second person settles them', async () => {
    const campaign = await postalCampaign({ doubleKeying: true });
    const { first, second } = await keyers();
    const path = `/api/keying/${campaign.zh.token}`;
    expect((await first.request('POST', path, { answers: { overall: 2, why: '送货太慢' }, responseId: randomUUID() })).status).toBe(202);

    const responseId = randomUUID();
    const differing = await second.request('POST', path, { answers: { overall: 1, why: '送货太慢', visit: 'online' }, responseId });
    expect(differing.status).toBe(409);
    expect((await differing.json()).differences).toEqual([
      { questionId: 'overall', first: 2, second: 1 },
      { questionId: 'visit', second: 'online' },
    ]);
    expect(await test.db.select().from(responses)).toHaveLength(0);

    expect((await first.request('POST', `${path}/resolve`, { answers: { overall: 2 }, responseId })).status).toBe(409);
    const settled = await second.request('POST', `${path}/resolve`, { answers: { overall: 2, why: '送货太慢', visit: 'online' }, responseId });
    expect(settled.status).toBe(201);
    const rows = await test.db.select().from(responses);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: responseId, channel: 'mail', answers: { overall: 2, why: '送货太慢', visit: 'online' } });

    const progress = await (await second.request('GET', `/api/keying/campaigns/${campaign.campaignId}`)).json();
    expect(progress).toMatchObject({ invited: 2, printed: 0, keyedOnce: 0, stored: 1, campaign: { doubleKeying: true } });
  });
});
