// Purchases end to end: POST /api/v1/purchases (single and batches, idempotent by order id, refunds, every bad
// input refused with nothing stored), purchases carried by integration events, a customer's purchases per role,
// and CSV imports of purchases with every rejected row and its reason.
import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign, launchCampaign } from '../server/campaigns/service.ts';
import { customers, integrationEvents, jobs, purchases } from '../server/db/schema.ts';
import { customersWaitingForUpdate } from '../server/loyalty/updates.ts';
import { saveLoyaltySettings, defaultLoyaltySettings } from '../server/loyalty/settings.ts';
import type { PurchaseImport } from '../server/purchases/imports.ts';
import { publishedSurvey } from './support/campaigns.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
let admin: StaffClient;
let manager: StaffClient;
let secret: string;

beforeEach(async () => {
  test = await startTestApp();
  admin = await signedInAs(test, 'admin');
  manager = await signedInAs(test, 'manager');
  const made = await admin.request('POST', '/api/integrations/keys', { name: 'Shop' });
  secret = ((await made.json()) as { secret: string }).secret;
  await addCustomer('C-1', 'li@example.com');
  await addCustomer('C-2', 'wang@example.com');
});
afterEach(() => test.close());

async function addCustomer(externalId: string, email: string) {
  const id = randomUUID();
  await test.db.insert(customers).values({ id, externalId, email, name: `Customer ${externalId}` });
  return id;
}

const customerId = async (externalId: string) =>
  (await test.db.select({ id: customers.id, externalId: customers.externalId }).from(customers)).find((row) => row.externalId === externalId)!.id;

function post(body: unknown, headers: Record<string, string> = {}, key: string | null = secret) {
  return test.app.request('/api/v1/purchases', {
    method: 'POST',
    headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const purchase = (orderId: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  customer: 'C-1',
  occurredAt: '2026-03-01T10:00:00+08:00',
  amount: '128.50',
  currency: 'CNY',
  channel: 'web',
  ...extra,
});

const stored = () => test.db.select().from(purchases).orderBy(purchases.id);

describe('POST /api/v1/purchases', () => {
  it('stores a purchase in minor units, marks the customer for a loyalty update, and changes nothing when sent again', async () => {
    const first = await post(purchase('A-1'));
    expect(first.status, JSON.stringify(await first.clone().json())).toBe(201);
    expect(await first.json()).toEqual({ created: 1, unchanged: 0, purchases: [{ orderId: 'A-1', status: 'created' }] });
    const [row] = await stored();
    expect(row).toMatchObject({ orderId: 'A-1', amountMinor: 12850, currency: 'CNY', channel: 'web', source: 'api', occurredAt: Date.parse('2026-03-01T02:00:00Z') });
    expect(row!.customerId).toBe(await customerId('C-1'));
    expect(await customersWaitingForUpdate(test.db)).toEqual([row!.customerId]);
    expect((await test.db.select().from(jobs)).map((job) => job.kind)).toContain('loyalty.update');

    // The same content as a number: nothing changes.
    const again = await post(purchase('A-1', { amount: 128.5 }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ created: 0, unchanged: 1, purchases: [{ orderId: 'A-1', status: 'unchanged' }] });
    expect(await stored()).toHaveLength(1);
  });

  it('takes a batch with refunds: a negative amount naming its order, or a refund of the rest of an order', async () => {
    const response = await post({
      purchases: [
        purchase('A-1'),
        purchase('A-2', { customer: 'C-2', amount: 1000, currency: undefined }),
        { orderId: 'R-1', refundOf: 'A-1', occurredAt: '2026-03-02T10:00:00+08:00', amount: '-28.50' },
        { orderId: 'R-2', refundOf: 'A-1', occurredAt: '2026-03-03T10:00:00+08:00' },
      ],
    });
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
    expect((await response.json()).created).toBe(4);
    const rows = await stored();
    expect(rows.map((row) => [row.orderId, row.amountMinor, row.currency, row.refundOf])).toEqual([
      ['A-1', 12850, 'CNY', null],
      ['A-2', 100000, 'CNY', null],
      ['R-1', -2850, 'CNY', 'A-1'],
      ['R-2', -10000, 'CNY', 'A-1'],
    ]);
    expect(rows[3]!.customerId).toBe(await customerId('C-1'));
    // Nothing is left of A-1 to refund; the refund without an amount sent again changes nothing.
    const more = await post({ orderId: 'R-3', refundOf: 'A-1', occurredAt: '2026-03-04T10:00:00+08:00', amount: -1 });
    expect(more.status).toBe(400);
    expect((await more.json()).error).toContain('more than is left of order A-1');
    expect((await post({ orderId: 'R-2', refundOf: 'A-1', occurredAt: '2026-03-03T10:00:00+08:00' })).status).toBe(200);
  });

  const badInputs: { name: string; body: unknown; status: number; field: string; says: RegExp }[] = [
    { name: 'an unknown customer', body: purchase('B-1', { customer: 'NOBODY' }), status: 404, field: 'customer', says: /no customer has the external id "NOBODY"/ },
    { name: 'a negative amount that is not a refund', body: purchase('B-1', { amount: '-5' }), status: 400, field: 'amount', says: /only a refund may be: name the refunded order in "refundOf"/ },
    { name: 'a currency the settings do not know', body: purchase('B-1', { currency: 'USD' }), status: 400, field: 'currency', says: /currency USD is not one the loyalty settings know \(CNY\)/ },
    { name: 'more decimals than the currency has', body: purchase('B-1', { amount: '1.005' }), status: 400, field: 'amount', says: /more than 2 digits after the point/ },
    { name: 'an amount that is not a number', body: purchase('B-1', { amount: '12,5' }), status: 400, field: 'amount', says: /"amount" is a decimal number/ },
    { name: 'a time in the future', body: purchase('B-1', { occurredAt: '2999-01-01T00:00:00Z' }), status: 400, field: 'occurredAt', says: /in the future/ },
    { name: 'a time without a zone', body: purchase('B-1', { occurredAt: '2026-03-01 10:00' }), status: 400, field: 'occurredAt', says: /with a zone/ },
    { name: 'no order id', body: purchase('B-1', { orderId: undefined }), status: 400, field: 'orderId', says: /"orderId" is required/ },
    { name: 'a refund of an unknown order', body: { orderId: 'R-9', refundOf: 'NOPE', occurredAt: '2026-03-01T10:00:00Z', amount: -1 }, status: 404, field: 'refundOf', says: /refunds order NOPE, which is not stored/ },
    { name: 'a refund with a positive amount', body: { orderId: 'R-9', refundOf: 'A-0', occurredAt: '2026-03-01T10:00:00Z', amount: 1 }, status: 400, field: 'amount', says: /a refund's amount is negative/ },
    { name: 'a refund to another customer', body: { orderId: 'R-9', refundOf: 'A-0', customer: 'C-2', occurredAt: '2026-03-01T10:00:00Z', amount: -1 }, status: 400, field: 'customer', says: /a refund goes to the customer who bought/ },
    { name: 'a duplicate order id with different content', body: purchase('A-0', { amount: '99.00' }), status: 409, field: 'orderId', says: /order A-0 is already stored with other content \(50\.00 CNY, customer C-1/ },
    { name: 'a batch of 1,001', body: { purchases: Array.from({ length: 1001 }, (_, index) => purchase(`N-${index}`)) }, status: 400, field: 'purchases', says: /1 to 1000 purchases/ },
    { name: 'an empty batch', body: { purchases: [] }, status: 400, field: 'purchases', says: /1 to 1000 purchases/ },
  ];

  for (const bad of badInputs) {
    it(`refuses ${bad.name} with a clear error and stores nothing`, async () => {
      expect((await post(purchase('A-0', { amount: '50.00' }))).status).toBe(201);
      const waitingBefore = await customersWaitingForUpdate(test.db);
      const response = await post(bad.body);
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(bad.status);
      expect(body.error).toMatch(bad.says);
      expect(Object.keys(body.fields)).toContain(bad.field);
      expect((await stored()).map((row) => row.orderId)).toEqual(['A-0']);
      expect(await customersWaitingForUpdate(test.db)).toEqual(waitingBefore);
    });
  }

  it('refuses a whole batch when one purchase is bad, naming its place and order, in the caller’s language', async () => {
    const response = await post(
      { purchases: [purchase('A-1'), purchase('A-2', { customer: 'C-404' }), purchase('A-3', { amount: -3 })] },
      { 'accept-language': 'zh-CN' },
    );
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body.error).toContain('未保存任何记录（3 条中有 2 条被拒绝）');
    expect(body.error).toContain('purchases.1 （订单 A-2）');
    expect(Object.keys(body.fields)).toEqual(['purchases.1.customer', 'purchases.2.amount']);
    expect(await stored()).toEqual([]);
    expect(await customersWaitingForUpdate(test.db)).toEqual([]);
  });

  it('refuses an order id twice in one batch with different content, and takes it twice when the same', async () => {
    const different = await post({ purchases: [purchase('D-1'), purchase('D-1', { amount: 1 })] });
    expect(different.status).toBe(409);
    expect((await different.json()).fields['purchases.1.orderId']).toContain('order D-1 is already stored with other content');
    expect(await stored()).toEqual([]);
    const same = await post({ purchases: [purchase('D-1'), purchase('D-1')] });
    expect(await same.json()).toMatchObject({ created: 1, unchanged: 1 });
  });

  it('stores two identical batches sent at once exactly once', async () => {
    const batch = { purchases: Array.from({ length: 300 }, (_, index) => purchase(`P-${index}`, { customer: index % 2 ? 'C-1' : 'C-2' })) };
    const answers = await Promise.all([post(batch), post(batch), post(batch)]);
    const bodies = await Promise.all(answers.map((answer) => answer.json()));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 201]);
    expect(bodies.map((body) => body.created).sort()).toEqual([0, 0, 300]);
    expect(await stored()).toHaveLength(300);
  });

  it('knows the minor unit of each currency the settings add', async () => {
    await saveLoyaltySettings(test.db, { ...defaultLoyaltySettings, currency: { base: 'CNY', rates: { CNY: 1, JPY: 0.05, USD: 7.1 } } }, 'user');
    expect((await post(purchase('J-1', { currency: 'jpy', amount: '1500' }))).status).toBe(201);
    const refused = await post(purchase('J-2', { currency: 'JPY', amount: '1500.5' }));
    expect((await refused.json()).error).toContain('more than 0 digits after the point, which JPY does not have');
    expect((await post(purchase('U-1', { currency: 'USD', amount: 19.99 }))).status).toBe(201);
    expect((await stored()).map((row) => [row.orderId, row.amountMinor, row.currency])).toEqual([
      ['J-1', 1500, 'JPY'],
      ['U-1', 1999, 'USD'],
    ]);
  });

  it('needs a live API key', async () => {
    expect((await post(purchase('A-1'), {}, null)).status).toBe(401);
    expect((await post(purchase('A-1'), {}, 'sk_wrong')).status).toBe(401);
    // A staff session is no API key.
    expect((await admin.request('POST', '/api/v1/purchases', purchase('A-1'))).status).toBe(401);
    expect(await stored()).toEqual([]);
  });
});

describe('integration events that carry an amount', () => {
  it('become purchases with the event, and a refused purchase refuses the event too', async () => {
    const running = await runningEventCampaign();
    const event = (id: string, extra: Record<string, unknown>) =>
      test.app.request('/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, type: 'purchase', customer: 'C-1', campaign: running, occurredAt: '2026-03-01T10:00:00+08:00', ...extra }),
      });
    const paid = await event('E-1', { amount: '66.60', orderId: 'O-66' });
    expect(paid.status, JSON.stringify(await paid.clone().json())).toBe(202);
    expect((await stored()).map((row) => [row.orderId, row.amountMinor, row.source])).toEqual([['O-66', 6660, 'event']]);
    // Without an order id, the event's id is the order's.
    expect((await event('E-2', { amount: 10 })).status).toBe(202);
    expect((await stored()).map((row) => row.orderId)).toEqual(['O-66', 'E-2']);
    // An event without an amount stores no purchase.
    expect((await event('E-3', {})).status).toBe(202);
    expect(await stored()).toHaveLength(2);

    const refused = await event('E-4', { amount: '-5' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toContain('only a refund may be');
    const unknownCurrency = await event('E-5', { amount: '5', currency: 'EUR' });
    expect((await unknownCurrency.json()).error).toContain('currency EUR is not one the loyalty settings know');
    const orphan = await event('E-6', { currency: 'CNY' });
    expect(orphan.status).toBe(400);
    expect((await orphan.json()).fields.amount).toContain('"orderId" and "currency" go with an "amount"');
    const events = await test.db.select({ id: integrationEvents.externalId }).from(integrationEvents);
    expect(events.map((row) => row.id).sort()).toEqual(['E-1', 'E-2', 'E-3']);
    expect(await stored()).toHaveLength(2);
  });
});

describe("a customer's purchases", () => {
  it('are read by admins, managers and support, newest first, a page at a time, with totals', async () => {
    const batch = Array.from({ length: 25 }, (_, index) =>
      purchase(`A-${String(index).padStart(2, '0')}`, { occurredAt: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(), amount: 10 }),
    );
    expect((await post({ purchases: [...batch, { orderId: 'R-1', refundOf: 'A-00', occurredAt: '2026-02-01T00:00:00Z', amount: -4 }] })).status).toBe(201);
    const id = await customerId('C-1');
    const support = await signedInAs(test, 'support');
    const first = await support.request('GET', `/api/customers/${id}/purchases`);
    expect(first.status).toBe(200);
    const page = await first.json();
    expect(page.purchases).toHaveLength(20);
    expect(page.purchases[0]).toMatchObject({ orderId: 'R-1', amount: '-4.00', refundOf: 'A-00', currency: 'CNY' });
    expect(page.purchases[1]).toMatchObject({ orderId: 'A-24', amount: '10.00', channel: 'web', source: 'api' });
    expect(page.totals).toEqual([{ currency: 'CNY', purchases: 25, refunds: 1, net: '246.00', lastAt: '2026-02-01T00:00:00.000Z' }]);
    const second = await (await manager.request('GET', `/api/customers/${id}/purchases?before=${page.nextBefore}`)).json();
    expect(second.purchases.map((row: { orderId: string }) => row.orderId)).toEqual(['A-05', 'A-04', 'A-03', 'A-02', 'A-01', 'A-00']);
    expect(second.nextBefore).toBeNull();

    expect((await admin.request('GET', `/api/customers/${id}/purchases`)).status).toBe(200);
    const interviewer = await signedInAs(test, 'interviewer');
    expect((await interviewer.request('GET', `/api/customers/${id}/purchases`)).status).toBe(403);
    expect((await test.app.request(`/api/customers/${id}/purchases`)).status).toBe(401);
    expect((await manager.request('GET', '/api/customers/nobody/purchases')).status).toBe(404);
    expect((await manager.request('GET', `/api/customers/${id}/purchases?limit=lots`)).status).toBe(400);
  });
});

// ---------- CSV import ----------

async function importFile(bytes: Uint8Array<ArrayBuffer>, settings: Record<string, unknown> = {}, client = manager) {
  const created = await client.request('POST', '/api/purchase-imports', { fileName: 'orders.csv', sizeBytes: bytes.byteLength, ...settings });
  expect(created.status, JSON.stringify(await created.clone().json())).toBe(201);
  const { import: waiting } = (await created.json()) as { import: PurchaseImport };
  const uploaded = await test.app.request(`/api/purchase-imports/${waiting.id}/file`, {
    method: 'PUT',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'content-type': 'text/csv' },
    body: bytes,
  });
  return { id: waiting.id, status: uploaded.status, body: (await uploaded.json()) as { import: PurchaseImport; error?: string } };
}

async function rejections(id: string) {
  const response = await manager.request('GET', `/api/purchase-imports/${id}/rejections`);
  expect(response.status).toBe(200);
  return (await response.json()).rejections as { rowNumber: number; reason: { en: string; 'zh-CN': string }; cells: string[] }[];
}

const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

describe('CSV import of purchases', () => {
  it('stores the good rows, finds repeated orders unchanged, and keeps every other row with its reason', async () => {
    const file = [
      'Order No,Customer ID,Email,Date,Amount,Currency,Channel,Refund of',
      'S-1,C-1,,2026-03-01 09:30,"1,299.00",CNY,store,',
      'S-2,,wang@example.com,2026/3/2,88,,web,',
      'S-3,C-404,,2026-03-03,10,CNY,web,',
      'S-4,C-1,,2026-02-30,10,CNY,web,',
      'S-5,C-1,,2026-03-05,-10,CNY,web,',
      'S-6,C-1,,2026-03-06,10,USD,web,',
      'S-1,C-1,,2026-03-01 09:30,1299,CNY,store,',
      'S-1,C-1,,2026-03-01 09:30,5,CNY,store,',
      'R-1,,,2026-03-07,,,,S-1',
      ',,,,,,,',
      'S-7,C-1,,2026-03-08,abc,CNY,web',
    ].join('\r\n');
    const { status, body, id } = await importFile(utf8(file));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.import.status).toBe('done');
    expect(body.import.rows).toEqual({ read: 10, created: 3, unchanged: 1, rejected: 6, blank: 1 });
    expect(body.import.mapping).toEqual(['order_id', 'customer_external_id', 'customer_email', 'occurred_at', 'amount', 'currency', 'channel', 'refund_of']);
    const rows = await stored();
    expect(rows.map((row) => [row.orderId, row.amountMinor, row.channel, row.refundOf, row.source, row.importId])).toEqual([
      ['S-1', 129900, 'store', null, 'csv', id],
      ['S-2', 8800, 'web', null, 'csv', id],
      ['R-1', -129900, null, 'S-1', 'csv', id],
    ]);
    // Times without a zone are China Standard Time.
    expect(rows[0]!.occurredAt).toBe(Date.parse('2026-03-01T09:30:00+08:00'));
    expect(rows[1]!.customerId).toBe(await customerId('C-2'));
    expect(await customersWaitingForUpdate(test.db)).toEqual([await customerId('C-1'), await customerId('C-2')].sort());

    const reasons = (await rejections(id)).map((row) => [row.rowNumber, row.reason.en]);
    expect(reasons).toEqual([
      [4, expect.stringMatching(/^row 4: "Customer ID": no customer has the external id "C-404"/)],
      [5, expect.stringMatching(/^row 5: "Date" is not a date such as 2026-05-01/)],
      [6, expect.stringMatching(/^row 6: "Amount": the amount -10 is negative, which only a refund may be/)],
      [7, expect.stringMatching(/^row 7: "Currency": the currency USD is not one the loyalty settings know/)],
      [9, expect.stringMatching(/^row 9: "Order No": order S-1 is already stored with other content/)],
      [12, expect.stringMatching(/^row 12: it has 7 cells but the header has 8/)],
    ]);
    const zh = await rejections(id);
    expect(zh[0]!.reason['zh-CN']).toContain('第 4 行：“Customer ID”：没有外部编号为 “C-404”的客户');
    expect(zh[0]!.cells).toEqual(['S-3', 'C-404', '', '2026-03-03', '10', 'CNY', 'web', '']);

    const report = await manager.request('GET', `/api/purchase-imports/${id}/rejections.csv?lang=zh-CN`);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const text = await report.text();
    expect(text.split('\r\n')[0]).toBe('行号,原因,Order No,Customer ID,Email,Date,Amount,Currency,Channel,Refund of');
    expect(text.split('\r\n')).toHaveLength(1 + 6 + 1);

    // The same file again: nothing new, the same rows refused.
    const again = await importFile(utf8(file));
    expect(again.body.import.rows).toEqual({ read: 10, created: 0, unchanged: 4, rejected: 6, blank: 1 });
    expect(await stored()).toHaveLength(3);
  });

  it('reads GB18030 files with Chinese headers, and tab-separated ones', async () => {
    const gb = new Uint8Array(iconv.encode('订单号,客户编号,下单时间,金额,渠道\nG-1,C-1,2026-03-01,12.5,门店\n', 'gb18030'));
    const { body } = await importFile(gb);
    expect(body.import).toMatchObject({ encoding: 'gb18030', rows: { created: 1, rejected: 0 } });
    const tabbed = await importFile(utf8('order_id\tcustomer_external_id\toccurred_at\tamount\nT-1\tC-2\t2026-03-01T10:00:00Z\t7\n'));
    expect(tabbed.body.import).toMatchObject({ delimiter: '\t', rows: { created: 1 } });
    expect((await stored()).map((row) => [row.orderId, row.amountMinor, row.channel])).toEqual([
      ['G-1', 1250, '门店'],
      ['T-1', 700, null],
    ]);
  });

  it('refuses a mapping without the order id, the customer, the date or the amount before reading a row', async () => {
    const { status, body } = await importFile(utf8('customer,amount\nC-1,5\n'));
    expect(status).toBe(400);
    expect(body.error).toContain('Choose the column with the order id');
    expect(body.error).toContain('Choose the column with the date of the purchase');
    expect(await stored()).toEqual([]);
  });

  it('is for managers and admins', async () => {
    const support = await signedInAs(test, 'support');
    const interviewer = await signedInAs(test, 'interviewer');
    const start = { fileName: 'a.csv', sizeBytes: 10 };
    expect((await support.request('POST', '/api/purchase-imports', start)).status).toBe(403);
    expect((await interviewer.request('POST', '/api/purchase-imports', start)).status).toBe(403);
    expect((await test.app.request('/api/purchase-imports', { method: 'POST' })).status).toBe(401);
    const { id } = await importFile(utf8('order_id,customer_external_id,occurred_at,amount\nZ-1,C-1,2026-03-01,1\n'), {}, admin);
    expect((await support.request('GET', `/api/purchase-imports/${id}`)).status).toBe(403);
    expect((await support.request('GET', `/api/purchase-imports/${id}/rejections`)).status).toBe(403);
    expect((await admin.request('GET', `/api/purchase-imports/${id}`)).status).toBe(200);
    expect((await manager.request('GET', '/api/purchase-imports/nope')).status).toBe(404);
  });
});

/** A running event campaign over a published survey, taking purchase events. */
async function runningEventCampaign(): Promise<string> {
  const survey = await publishedSurvey(manager);
  const draft = await createCampaign(test.db, { name: 'After purchase', surveyId: survey.id, delivery: 'event', settings: { event: { delayHours: 24, eventTypes: ['purchase'] } } }, null);
  return (await launchCampaign(test.db, draft.id)).id;
}
