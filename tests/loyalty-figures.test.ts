// The loyalty figures read through the API as a manager reads them, over rows written straight to the
// database: where customers stand (stages, the pyramid, churn, the at-risk list), what moved in the period
// (monthly flows and their reasons), and our own TARP table, checked against a direct computation on the raw
// rows of customers, purchases and complaint cases.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintCases, customerLoyalty, customers, loyaltyChanges, purchases } from '../server/db/schema.ts';
import type { LoyaltyReport } from '../server/loyalty/figures.ts';
import { defaultLoyaltySettings, saveLoyaltySettings } from '../server/loyalty/settings.ts';
import { wilsonInterval } from '../surveys/indices/stats.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

const day = 86_400_000;
const shanghai = 8 * 3_600_000;
const now = Date.now();
const ago = (days: number) => now - days * day;
/** The day an instant falls on in Shanghai (the dashboard's default zone), and its month's first day. */
const dayIn = (at: number) => new Date(at + shanghai).toISOString().slice(0, 10);
const monthOf = (at: number) => `${dayIn(at).slice(0, 7)}-01`;

const from = dayIn(ago(450));
const to = dayIn(now);
const fromMs = Date.parse(`${from}T00:00:00+08:00`);
const toMs = Date.parse(`${to}T00:00:00+08:00`) + day;
const range = `from=${from}&to=${to}`;
const buyAgainWithinDays = 90;

let test: TestApp;
let manager: StaffClient;

/** A small seeded generator, so the raw rows are the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

type PurchaseRow = typeof purchases.$inferInsert;
type CaseRow = typeof complaintCases.$inferInsert;
const purchaseRows: PurchaseRow[] = [];
const caseRows: CaseRow[] = [];
const customerIds = Array.from({ length: 120 }, (_, index) => `c-${String(index).padStart(3, '0')}`);

// The changes of the period: [customer, days ago, field, before, after, reasons].
const changes: [string, number, 'stage' | 'at_risk' | 'churned', string | null, string | null, string[]][] = [
  ['c-002', 500, 'stage', null, 'new', []], // before the period: not counted
  ['c-000', 300, 'stage', null, 'new', []],
  ['c-000', 200, 'stage', 'new', 'regular', []],
  ['c-000', 20, 'at_risk', 'false', 'true', ['unresolved_major_complaint', 'falling_frequency']],
  ['c-001', 10, 'at_risk', 'false', 'true', ['falling_recency']], // no stage change recorded: the stage now, long-standing
  ['c-003', 100, 'stage', 'new', 'regular', []],
  ['c-003', 5, 'churned', null, 'voiced', []],
  ['c-006', 6, 'churned', null, 'silent', []],
  ['c-005', 50, 'stage', 'long_standing', 'loyal', []],
  ['c-005', 3, 'at_risk', 'false', 'true', ['low_attitude']],
  ['c-007', 4, 'stage', null, 'regular', []],
  ['c-007', 2, 'at_risk', 'false', 'true', ['overdue_purchase']],
  ['c-007', 1, 'at_risk', 'true', 'false', []],
  ['c-002', 8, 'churned', 'silent', null, []], // bought again after churning: back to new
];

beforeAll(async () => {
  test = await startTestApp();
  manager = await signedInAs(test, 'manager');
  await saveLoyaltySettings(test.db, { ...defaultLoyaltySettings, buyAgainWithinDays }, 'user-1-manager');

  const tiers: Record<string, 'vip' | 'important' | 'ordinary'> = { 'c-000': 'vip', 'c-001': 'vip', 'c-005': 'important' };
  await test.db.insert(customers).values(
    customerIds.map((id, index) => ({
      id,
      name: `Customer ${index}`,
      segment: index === 5 || index === 6 ? 'enterprise' : 'retail',
      tier: tiers[id] ?? 'ordinary',
      // c-005's tier was set by hand: the value alone would make it ordinary.
      tierSetByHand: id === 'c-005',
    })),
  );

  const loyalty = (customerId: string, fields: Partial<typeof customerLoyalty.$inferInsert> & { stage: typeof customerLoyalty.$inferInsert.stage }) => ({
    customerId,
    computedAt: now,
    computedTier: customerId === 'c-005' ? ('ordinary' as const) : (tiers[customerId] ?? 'ordinary'),
    windowPurchases: fields.windowValue ? 3 : 0,
    windowValue: 0,
    ...fields,
  });
  await test.db.insert(customerLoyalty).values([
    loyalty('c-000', { stage: 'regular', atRisk: true, atRiskReasons: ['unresolved_major_complaint', 'falling_frequency'], windowValue: 50_000, score: 41, lastPurchaseAt: ago(40) }),
    loyalty('c-001', { stage: 'long_standing', atRisk: true, atRiskReasons: ['falling_recency'], windowValue: 120_000, score: 55 }),
    loyalty('c-002', { stage: 'new', windowValue: 3_000 }),
    loyalty('c-003', { stage: 'regular', churned: 'voiced', churnedAt: ago(5) }),
    loyalty('c-004', { stage: 'prospect' }),
    loyalty('c-005', { stage: 'loyal', atRisk: true, atRiskReasons: ['low_attitude'], windowValue: 80_000 }),
    loyalty('c-006', { stage: 'regular', churned: 'silent', churnedAt: ago(6), windowValue: 1_000, windowPurchases: 1 }),
    loyalty('c-007', { stage: 'regular', windowValue: -500, windowPurchases: 2 }),
  ]);
  await test.db.insert(loyaltyChanges).values(
    changes.map(([customerId, daysAgo, field, before, after, reasons]) => ({ customerId, at: ago(daysAgo), field, before, after, reasons, cause: 'recompute' as const })),
  );

  // Purchases and complaints for our own TARP table: two years of them, refunds among them, and cases of
  // every severity and outcome (some still open, some merged, some whose customer left).
  const next = random(12);
  let order = 0;
  for (const customerId of customerIds.slice(0, 118)) {
    const count = Math.floor(next() * 7);
    for (let i = 0; i < count; i++) {
      const occurredAt = ago(1 + next() * 700);
      const orderId = `o-${++order}`;
      purchaseRows.push({ customerId, orderId, occurredAt, amountMinor: 1_000 + Math.floor(next() * 50_000), currency: 'CNY', source: 'api' });
      if (next() < 0.3) purchaseRows.push({ customerId, orderId: `o-${++order}`, refundOf: orderId, occurredAt: occurredAt + 20 * day, amountMinor: -1_000, currency: 'CNY', source: 'api' });
    }
  }
  for (let number = 1; number <= 90; number++) {
    // Only the first 70 customers ever complain at random; the rest are the reference group's.
    const customerId = customerIds[Math.floor(next() * 70)]!;
    const status = next() < 0.1 ? 'merged' : next() < 0.2 ? 'in_progress' : 'closed';
    const outcomes = ['resolved_quickly', 'resolved', 'unresolved'] as const;
    const left = status === 'closed' && next() < 0.1;
    caseRows.push({
      id: `case-${number}`,
      number,
      reference: `C-2026-${String(number).padStart(6, '0')}`,
      source: 'form',
      channel: 'web',
      category: 'product',
      severity: next() < 0.5 ? 'minor' : 'major',
      description: 'It broke.',
      locale: 'en',
      customerId,
      status,
      customerLeft: left,
      outcome: status === 'closed' ? (left ? 'unresolved' : outcomes[Math.floor(next() * 3)]!) : null,
      createdAt: ago(2 + next() * 500),
      statusToken: `status-${number}`,
      replyToken: `reply-${number}`,
    });
  }
  // A refund is no purchase: after c-118's complaint, and after c-119's purchase, only a refund follows.
  purchaseRows.push(
    { customerId: 'c-118', orderId: 'o-118a', occurredAt: ago(210), amountMinor: 5_000, currency: 'CNY', source: 'api' },
    { customerId: 'c-118', orderId: 'o-118b', refundOf: 'o-118a', occurredAt: ago(190), amountMinor: -5_000, currency: 'CNY', source: 'api' },
    { customerId: 'c-119', orderId: 'o-119a', occurredAt: ago(300), amountMinor: 5_000, currency: 'CNY', source: 'api' },
    { customerId: 'c-119', orderId: 'o-119b', refundOf: 'o-119a', occurredAt: ago(290), amountMinor: -5_000, currency: 'CNY', source: 'api' },
  );
  caseRows.push({
    id: 'case-118', number: 118, reference: 'C-2026-000118', source: 'form', channel: 'web', category: 'product', severity: 'minor', description: 'It broke.',
    locale: 'en', customerId: 'c-118', status: 'closed', outcome: 'resolved', createdAt: ago(200), statusToken: 'status-118', replyToken: 'reply-118',
  });
  await test.db.insert(purchases).values(purchaseRows);
  await test.db.insert(complaintCases).values(caseRows);
});
afterAll(() => test?.close());

async function report(query = ''): Promise<LoyaltyReport> {
  const response = await manager.request('GET', `/api/insights/loyalty?${range}${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Our own TARP table worked out straight from the raw rows, without the report's code. */
function directTarp() {
  const bought = (customerId: string, after: number) =>
    purchaseRows.some((p) => p.customerId === customerId && p.amountMinor > 0 && !p.refundOf && p.occurredAt > after && p.occurredAt <= after + buyAgainWithinDays * day);
  const complete = (at: number) => at + buyAgainWithinDays * day <= now;
  const cells = new Map<string, { n: number; yes: number }>();
  for (const customerId of customerIds) {
    const counted = caseRows
      .filter((c) => c.customerId === customerId && c.status !== 'merged' && c.outcome && c.createdAt! >= fromMs && c.createdAt! < toMs && complete(c.createdAt!))
      .sort((a, b) => a.createdAt! - b.createdAt!)[0];
    if (!counted) continue;
    const key = `${counted.severity} ${counted.outcome}`;
    const cell = cells.get(key) ?? { n: 0, yes: 0 };
    cell.n++;
    if (bought(customerId, counted.createdAt!)) cell.yes++;
    cells.set(key, cell);
  }
  const reference = { n: 0, yes: 0 };
  for (const customerId of customerIds) {
    if (caseRows.some((c) => c.customerId === customerId)) continue;
    const times = purchaseRows.filter((p) => p.customerId === customerId && p.amountMinor > 0 && !p.refundOf && p.occurredAt >= fromMs && p.occurredAt < toMs).map((p) => p.occurredAt);
    if (times.length === 0) continue;
    const first = Math.min(...times);
    if (!complete(first)) continue;
    reference.n++;
    if (bought(customerId, first)) reference.yes++;
  }
  return { cells, reference };
}

describe('GET /api/insights/loyalty', () => {
  it('builds our own TARP table exactly as a direct computation on the raw rows gives it', async () => {
    const { tarp } = await report();
    const direct = directTarp();
    expect(tarp.withinDays).toBe(buyAgainWithinDays);
    let counted = 0;
    for (const cell of tarp.cells) {
      const expected = direct.cells.get(`${cell.severity} ${cell.outcome}`) ?? { n: 0, yes: 0 };
      expect({ cell: `${cell.severity} ${cell.outcome}`, n: cell.share.n, yes: cell.boughtAgain }).toEqual({ cell: `${cell.severity} ${cell.outcome}`, n: expected.n, yes: expected.yes });
      if (expected.n > 0) expect(cell.share).toEqual({ n: expected.n, value: expected.yes / expected.n, ...wilsonInterval(expected.yes, expected.n) });
      counted += expected.n;
    }
    // The seeded rows fill the table enough for the comparison to mean something.
    expect(counted).toBeGreaterThan(20);
    expect(tarp.cells.filter((cell) => cell.share.n > 0).length).toBeGreaterThanOrEqual(5);
    expect(direct.reference.n).toBeGreaterThan(10);
    expect(tarp.noComplaint).toEqual({ boughtAgain: direct.reference.yes, share: { n: direct.reference.n, value: direct.reference.yes / direct.reference.n, ...wilsonInterval(direct.reference.yes, direct.reference.n) } });
  });

  it('prints both published versions beside it, each named', async () => {
    const { tarp } = await report();
    expect(tarp.published.map((version) => version.key)).toEqual(['tarp', 'variant']);
    expect(tarp.published[0]!.shares.major.resolved_quickly).toEqual({ low: 0.82, high: 0.82 });
    expect(tarp.published[1]!.shares.major.resolved).toEqual({ low: 0.04, high: 0.04 });
    expect(tarp.published[1]!.source.en).toContain('Variant');
  });

  it('counts customers by stage, with those at risk and churned, and those not placed yet', async () => {
    const body = await report();
    const stage = (key: string) => body.stages.find((row) => row.stage === key)!;
    expect(stage('regular')).toMatchObject({ customers: 4, atRisk: 1, churned: 2, share: 0.5 });
    expect(stage('long_standing')).toMatchObject({ customers: 1, atRisk: 1 });
    expect(stage('prospect').customers).toBe(1);
    expect(body.customers).toBe(120);
    expect(body.notComputed).toBe(112);
    const enterprise = await report('&segment=enterprise');
    expect(enterprise.stages.map((row) => [row.stage, row.customers])).toEqual([['prospect', 0], ['new', 0], ['regular', 1], ['long_standing', 0], ['loyal', 1]]);
  });

  it('gives the monthly flows between stages, into at-risk from the stage the customer was in, and why', async () => {
    const { flows, reasons, movers, months } = await report();
    const expected = new Map<string, number>();
    const bump = (at: number, a: string, b: string) => expected.set(`${monthOf(at)} ${a} ${b}`, (expected.get(`${monthOf(at)} ${a} ${b}`) ?? 0) + 1);
    bump(ago(300), 'none', 'new');
    bump(ago(200), 'new', 'regular');
    bump(ago(20), 'regular', 'at_risk');
    bump(ago(10), 'long_standing', 'at_risk');
    bump(ago(100), 'new', 'regular');
    bump(ago(5), 'regular', 'voiced');
    bump(ago(6), 'regular', 'silent');
    bump(ago(50), 'long_standing', 'loyal');
    bump(ago(3), 'loyal', 'at_risk');
    bump(ago(4), 'none', 'regular');
    bump(ago(2), 'regular', 'at_risk');
    bump(ago(1), 'at_risk', 'regular');
    bump(ago(8), 'silent', 'new');
    expect(new Map(flows.map((row) => [`${row.bucket} ${row.from} ${row.to}`, row.customers]))).toEqual(expected);
    expect(months[0]).toBe(`${from.slice(0, 7)}-01`);
    expect(reasons.filter((row) => row.from === 'regular').map((row) => [row.bucket, row.reason, row.customers])).toEqual(
      expect.arrayContaining([
        [monthOf(ago(20)), 'unresolved_major_complaint', 1],
        [monthOf(ago(20)), 'falling_frequency', 1],
        [monthOf(ago(2)), 'overdue_purchase', 1],
      ]),
    );
    // Who moved from regular to at-risk, the latest first, named.
    expect(movers.filter((move) => move.from === 'regular').map((move) => [move.name, move.reasons])).toEqual([
      ['Customer 7', ['overdue_purchase']],
      ['Customer 0', ['unresolved_major_complaint', 'falling_frequency']],
    ]);
  });

  it('sets the share of customers beside the share of value per tier, and the published pyramid beside them', async () => {
    const { pyramid } = await report();
    // Customers with purchases in the window: c-000, c-001, c-002, c-005, c-006, c-007 (whose refunds leave it below zero: counted as 0).
    expect(pyramid.customers).toBe(6);
    expect(pyramid.value).toBe(50_000 + 120_000 + 3_000 + 80_000 + 1_000);
    const tier = (key: string) => pyramid.rows.find((row) => row.tier === key)!;
    expect(tier('vip')).toMatchObject({ customers: 2, customerShare: 2 / 6, value: 170_000, valueShare: 170_000 / 254_000, published: { customers: 0.05, value: 0.5 } });
    expect(tier('ordinary')).toMatchObject({ customers: 3, value: 4_000 });
    // The tier set by hand counts, not the one the value gives.
    expect(tier('important')).toMatchObject({ customers: 1, value: 80_000 });
    const enterprise = await report('&segment=enterprise');
    expect(enterprise.pyramid.rows.map((row) => [row.tier, row.customers, row.value])).toEqual([['vip', 0, 0], ['important', 1, 80_000], ['ordinary', 1, 1_000]]);
  });

  it('splits churn into voiced and silent, now and per month', async () => {
    const { churn } = await report();
    expect(churn.now).toMatchObject({ voiced: 1, silent: 1, voicedShare: { n: 2, value: 0.5 } });
    const months = churn.trend.filter((row) => row.voiced + row.silent > 0);
    expect(months.reduce((sum, row) => sum + row.voiced, 0)).toBe(1);
    expect(months.reduce((sum, row) => sum + row.silent, 0)).toBe(1);
  });

  it('lists the customers at risk with their reasons, by value either way', async () => {
    const highest = await report();
    expect(highest.atRisk.total).toBe(3);
    expect(highest.atRisk.rows.map((row) => [row.name, row.value])).toEqual([['Customer 1', 120_000], ['Customer 5', 80_000], ['Customer 0', 50_000]]);
    expect(highest.atRisk.rows[2]).toMatchObject({ customerId: 'c-000', stage: 'regular', tier: 'vip', reasons: ['unresolved_major_complaint', 'falling_frequency'], score: 41 });
    const lowest = await report('&order=value_asc');
    expect(lowest.atRisk.rows.map((row) => row.name)).toEqual(['Customer 0', 'Customer 5', 'Customer 1']);
    expect((await manager.request('GET', `/api/insights/loyalty?${range}&order=name`)).status).toBe(400);
  });

  it('gives each chart as CSV in the reader’s language', async () => {
    const response = await manager.request('GET', `/api/insights/loyalty?${range}&format=csv&chart=tarp&lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`insights-loyalty-tarp-${from}-${to}.csv`);
    const rows = parse((await response.text()).replace(/^\uFEFF/, '')) as string[][];
    expect(rows[0]!.slice(0, 8)).toEqual(['problem', 'complaint', 'within days', 'bought again', 'share who bought again', '95% low', '95% high', 'n']);
    expect(rows[0]!.join()).toContain('TARP study');
    expect(rows[0]!.join()).toContain('Variant');
    expect(rows.find((row) => row[0] === 'Major' && row[1] === 'Complained, satisfied quickly')!.slice(-4)).toEqual(['0.82', '0.82', '0.52', '0.95']);
    const atRisk = await manager.request('GET', `/api/insights/loyalty?${range}&format=csv&chart=at-risk&lang=zh-CN`);
    const text = await atRisk.text();
    expect(text).toContain('重大投诉未解决');
    expect(text).toContain('1200'); // 120,000 fen is 1200 yuan
  });

  it('answers every chart as CSV with its header in both languages', async () => {
    const headers: Record<string, [string, string]> = {
      stages: ['stage', '阶段'],
      flows: ['month', '月份'],
      reasons: ['month', '月份'],
      pyramid: ['tier', '等级'],
      churn: ['month', '月份'],
      'at-risk': ['customer id', '客户编号'],
      tarp: ['problem', '问题'],
    };
    for (const [chart, [en, zh]] of Object.entries(headers)) {
      for (const [lang, first] of [['en', en], ['zh-CN', zh]] as const) {
        const response = await manager.request('GET', `/api/insights/loyalty?${range}&format=csv&chart=${chart}&lang=${lang}`);
        expect(response.status, `${chart} ${lang}`).toBe(200);
        const rows = parse((await response.text()).replace(/^\uFEFF/, '')) as string[][];
        expect(rows[0]![0], `${chart} ${lang}`).toBe(first);
        expect(rows.length, `${chart} ${lang}`).toBeGreaterThan(1);
      }
    }
    const flows = parse((await (await manager.request('GET', `/api/insights/loyalty?${range}&format=csv&chart=flows&lang=en`)).text()).replace(/^\uFEFF/, '')) as string[][];
    expect(flows).toContainEqual([monthOf(ago(20)), 'Regular', 'At risk', '1']);
  });

  it('answers managers and admins only', async () => {
    for (const role of ['support', 'interviewer'] as const) {
      const client = await signedInAs(test, role);
      expect((await client.request('GET', `/api/insights/loyalty?${range}`)).status, role).toBe(403);
      expect((await client.request('GET', `/api/insights/loyalty?${range}&format=csv&chart=at-risk`)).status, role).toBe(403);
    }
    const admin = await signedInAs(test, 'admin');
    expect((await admin.request('GET', `/api/insights/loyalty?${range}`)).status).toBe(200);
    expect((await test.app.request(`/api/insights/loyalty?${range}`)).status).toBe(401);
  });
});
