// A customer's loyalty and timeline in the customer resource: who may read them, the loyalty view of the
// customer_loyalty row, and the timeline merged from every source, paged newest first through each source's
// index.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/accounts/service.ts';
import { timelineQueries } from '../server/customers/timeline.ts';
import { customers, purchases } from '../server/db/schema.ts';
import { signedInAsEachRole, startTestApp, type StaffClient, type TestApp } from './support/app.ts';
import { entryName, seedCustomerHistory } from './support/customer-history.ts';

let test: TestApp;
let clients: Record<Role, StaffClient>;
let customerId: string;
let seeded: Awaited<ReturnType<typeof seedCustomerHistory>>;

beforeAll(async () => {
  test = await startTestApp();
  clients = await signedInAsEachRole(test);
  customerId = randomUUID();
  await test.db.insert(customers).values({ id: customerId, name: 'Wang Fang', email: 'wang.fang@example.com', tier: 'important' });
  seeded = await seedCustomerHistory(test.db, customerId);
});
afterAll(() => test.close());

type Who = Role | 'nobody';
const request = (who: Who, method: string, path: string, body?: unknown) =>
  who === 'nobody' ? test.app.request(path, { method }) : clients[who].request(method, path, body);

describe('who may read a customer’s loyalty and timeline', () => {
  const routes: { name: string; path: () => string; expect: Record<Who, number> }[] = [
    { name: 'the customer with its loyalty', path: () => `/api/customers/${customerId}`, expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
    { name: 'the timeline', path: () => `/api/customers/${customerId}/timeline`, expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
    { name: 'the staff who may own customers', path: () => '/api/customers/owners', expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
  ];
  for (const route of routes) {
    for (const who of ['admin', 'manager', 'support', 'interviewer', 'nobody'] as const) {
      it(`${route.name}: ${who} → ${route.expect[who]}`, async () => {
        expect((await request(who, 'GET', route.path())).status).toBe(route.expect[who]);
      });
    }
  }

  it('changing the owner, the tier by hand and the objection to profiling: managers and admins only', async () => {
    const body = { name: 'Wang Fang', email: 'wang.fang@example.com', tier: 'vip', objectsToProfiling: false };
    expect((await request('support', 'PUT', `/api/customers/${customerId}`, body)).status).toBe(403);
    expect((await request('interviewer', 'PUT', `/api/customers/${customerId}`, body)).status).toBe(403);
    expect((await request('nobody', 'PUT', `/api/customers/${customerId}`, body)).status).toBe(401);
  });

  it('an unknown customer is a 404 for the timeline', async () => {
    const response = await request('manager', 'GET', `/api/customers/${randomUUID()}/timeline`);
    expect(response.status).toBe(404);
  });

  it('a cursor that is not one is refused with a message', async () => {
    const response = await request('manager', 'GET', `/api/customers/${customerId}/timeline?before=yesterday`);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('"before" must be the nextBefore of the previous page.');
  });
});

describe('the loyalty view', () => {
  it('shows the stage, overlays, RFM, score, parts, and the computed tier beside the customer’s', async () => {
    const body = await (await request('support', 'GET', `/api/customers/${customerId}`)).json();
    // No case of this customer is the support agent's: the name is masked, the loyalty figures are not.
    expect(body.customer).toMatchObject({ id: customerId, name: 'W**', tier: 'important', tierSetByHand: false, objectsToProfiling: false, owner: null });
    expect(body.loyalty).toMatchObject({
      stage: 'regular',
      atRisk: true,
      atRiskReasons: ['falling_frequency'],
      churned: null,
      rfm: { recency: 5, frequency: 4, monetary: 3 },
      score: 71,
      purchases: { count: 3, inWindow: 3, windowValue: { amount: '1075.50', currency: 'CNY' }, medianGapDays: 85 },
      tier: { current: 'important', computed: 'important', setByHand: false },
      profilingObjected: false,
    });
    expect(body.loyalty.parts.recovery).toMatchObject({ score: 54, reference: seeded.reference, severity: 'major', outcome: 'resolved' });
    expect(body.loyalty.parts.attitude.repurchaseIntent).toMatchObject({ value: 75, scale: '1-5', responseId: seeded.responseId });
    expect(body.loyalty.computedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('is null for a customer loyalty tracking has nothing on', async () => {
    const id = randomUUID();
    await test.db.insert(customers).values({ id, name: 'New Prospect' });
    const body = await (await request('manager', 'GET', `/api/customers/${id}`)).json();
    expect(body.loyalty).toBeNull();
  });

  it('shows no score and no parts for a customer who objects to profiling, whatever the row still holds', async () => {
    const id = randomUUID();
    await test.db.insert(customers).values({ id, name: 'Private Person', objectsToProfiling: true });
    await seedCustomerHistory(test.db, id);
    const body = await (await request('manager', 'GET', `/api/customers/${id}`)).json();
    expect(body.loyalty).toMatchObject({ stage: 'regular', score: null, parts: null, profilingObjected: true });
  });
});

type Page = { items: ({ kind: string; at: string; key: string } & Record<string, unknown>)[]; nextBefore: string | null };

async function timeline(who: Who, query = ''): Promise<Page> {
  const response = await request(who, 'GET', `/api/customers/${customerId}/timeline${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('the timeline', () => {
  it('merges every source newest first, ties in a fixed order, with what each entry says', async () => {
    const page = await timeline('manager', '?limit=100');
    expect(page.items.map(entryName)).toEqual(seeded.expected);
    expect(page.nextBefore).toBeNull();
    const byKind = (kind: string) => page.items.filter((item) => item.kind === kind);
    expect(byKind('purchase').find((item) => item.amount === '-299.00')).toMatchObject({ currency: 'CNY', refundOf: expect.stringMatching(/^O-/) });
    expect(byKind('message').find((item) => item.status === 'skipped')).toMatchObject({ skipReason: 'no_consent', subject: 'Thank you for your order' });
    expect(byKind('invitation').find((item) => item.skipReason)).toMatchObject({ campaignName: 'Autumn survey', skipReason: 'contacted_recently' });
    expect(byKind('call')[0]).toMatchObject({ outcome: 'no_answer', campaignName: 'Phone round', interviewerName: 'Zhou Ming' });
    expect(byKind('follow_up')).toMatchObject([
      { followUpKind: 'at_risk', channel: 'phone', status: 'done', outcome: 'reached', assigneeName: 'Zhou Ming' },
      { followUpKind: 'thank_you', channel: 'email', status: 'skipped', skipReason: 'no_consent' },
    ]);
    expect(byKind('case')[0]).toMatchObject({ reference: seeded.reference, severity: 'major', status: 'resolved', outcome: 'resolved', category: 'delivery' });
    expect(byKind('case_resolved')[0]).toMatchObject({ reference: seeded.reference, outcome: 'resolved' });
    expect(byKind('response')[0]).toMatchObject({ responseId: seeded.responseId, surveyTitle: { en: 'After purchase' } });
    expect(byKind('loyalty').find((item) => item.field === 'at_risk')).toMatchObject({ before: 'false', after: 'true', cause: 'recompute', reasons: ['falling_frequency'] });
  });

  it('pages through the whole of it with the cursor, every entry once, across ties', async () => {
    for (const limit of [1, 2, 3, 5]) {
      const seen: string[] = [];
      let before: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const page: Page = await timeline('admin', `?limit=${limit}${before ? `&before=${before}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map(entryName));
        before = page.nextBefore;
        if (!before) break;
      }
      expect(seen).toEqual(seeded.expected);
    }
  });

  it('leaves responses out for support agents, who do not read answers', async () => {
    const page = await timeline('support', '?limit=100');
    expect(page.items.map(entryName)).toEqual(seeded.expected.filter((name) => name !== 'response'));
  });

  it('reads a customer with thousands of purchases a page at a time', async () => {
    const heavy = randomUUID();
    await test.db.insert(customers).values({ id: heavy, name: 'Big Buyer' });
    const start = Date.UTC(2024, 0, 1);
    for (let batch = 0; batch < 5; batch++) {
      await test.db.insert(purchases).values(
        Array.from({ length: 1000 }, (_, index) => ({
          customerId: heavy,
          orderId: `H-${batch}-${index}`,
          occurredAt: start + (batch * 1000 + index) * 3600_000,
          amountMinor: 1000 + index,
          currency: 'CNY',
          source: 'csv' as const,
        })),
      );
    }
    const first = await (await request('manager', 'GET', `/api/customers/${heavy}/timeline?limit=20`)).json();
    expect(first.items).toHaveLength(20);
    expect(first.items[0]).toMatchObject({ kind: 'purchase', orderId: 'H-4-999' });
    const second = await (await request('manager', 'GET', `/api/customers/${heavy}/timeline?limit=20&before=${first.nextBefore}`)).json();
    expect(second.items[0]).toMatchObject({ kind: 'purchase', orderId: 'H-4-979' });
  });

  it('reads each source through its index, from the cursor down, without sorting the customer’s rows', async () => {
    const cursor = { at: Date.now(), rank: 3, rowid: 10 };
    const queries = timelineQueries(test.db, customerId, cursor, 31, true);
    const expectedIndex: Record<keyof typeof queries, string> = {
      loyalty: 'loyalty_changes_customer_idx',
      purchase: 'purchases_customer_idx',
      case_resolved: 'complaint_cases_customer_resolved_idx',
      case: 'complaint_cases_customer_idx',
      response: 'responses_customer_time_idx',
      invitation: 'invitations_customer_time_idx',
      message: 'outgoing_messages_customer_idx',
      call: 'invitations_customer_time_idx',
      follow_up: 'follow_ups_customer_idx',
      data_request: 'privacy_requests_customer_idx',
    };
    for (const [source, query] of Object.entries(queries)) {
      const { sql, params } = query!.toSQL();
      const plan = await test.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: params as never[] });
      const steps = plan.rows.map((row) => String(row.detail));
      // Every table is searched through an index; none is scanned whole.
      expect(steps.filter((step) => /^SCAN /.test(step) && !/USING (COVERING )?INDEX/.test(step)), `${source}: ${steps.join(' | ')}`).toEqual([]);
      expect(steps.some((step) => step.includes(expectedIndex[source as keyof typeof queries]) && /customer_id=\?/.test(step)), `${source}: ${steps.join(' | ')}`).toBe(true);
      // The index gives the order: no sort of the customer's rows, except the calls of their few invitations.
      if (source !== 'call') expect(steps.filter((step) => step.includes('TEMP B-TREE')), `${source}: ${steps.join(' | ')}`).toEqual([]);
    }
  });

});
