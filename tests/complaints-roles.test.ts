// Every complaints route for every role: who may do what (or 401/403), and that a customer's personal data
// reaches only the roles that need it.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Role } from '../server/accounts/service.ts';
import { openCases } from '../server/complaints/opening.ts';
import { readComplaintSettings } from '../server/complaints/settings.ts';
import { complaintMacros } from '../server/db/schema.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './support/app.ts';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

type Who = Role | 'nobody';
const everyone: Who[] = ['admin', 'manager', 'support', 'interviewer', 'nobody'];

/** A fresh case for one request, so each role's write finds it as it was opened. */
async function freshCase(openedBy: string | null = null) {
  const settings = await readComplaintSettings(test.db);
  const [opened] = await openCases(
    test.db,
    [
      {
        source: 'agent',
        channel: 'phone',
        category: 'delivery',
        description: 'The parcel arrived crushed.',
        locale: 'en',
        contactName: 'Li Wei',
        contactEmail: 'li.wei@example.com',
        contactPhone: '+86 138 0013 8000',
        contactConsent: true,
        contactChannel: 'email',
        actor: { type: 'staff', id: openedBy, name: 'Someone' },
      },
    ],
    settings,
  );
  return opened!.id;
}

async function freshMacro() {
  const id = crypto.randomUUID();
  await test.db.insert(complaintMacros).values({ id, name: { en: 'Sorry', 'zh-CN': '抱歉' }, body: { en: 'We are sorry.', 'zh-CN': '非常抱歉。' } });
  return id;
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** Each route, and the status every role gets. */
const routes: { name: string; call: (client: { agentId: string }) => Promise<Call>; expect: Record<Who, number> }[] = [
  { name: 'list a queue', call: async () => ({ method: 'GET', path: '/api/complaints/cases?queue=all' }), expect: { admin: 200, manager: 200, support: 200, interviewer: 200, nobody: 401 } },
  {
    name: 'log a case',
    call: async () => ({ method: 'POST', path: '/api/complaints/cases', body: { channel: 'phone', category: 'service', description: 'Rude on the phone.', locale: 'zh-CN', contactConsent: false } }),
    expect: { admin: 201, manager: 201, support: 201, interviewer: 201, nobody: 401 },
  },
  { name: 'read a case', call: async () => ({ method: 'GET', path: `/api/complaints/cases/${await freshCase()}` }), expect: { admin: 200, manager: 200, support: 200, interviewer: 404, nobody: 401 } },
  {
    name: 'edit a case',
    call: async () => ({ method: 'PATCH', path: `/api/complaints/cases/${await freshCase()}`, body: { version: 1, severity: 'major' } }),
    expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
  },
  {
    name: 'take a transition',
    call: async () => ({ method: 'POST', path: `/api/complaints/cases/${await freshCase()}/transitions`, body: { action: 'start', version: 1 } }),
    expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
  },
  {
    name: 'add a note',
    call: async () => ({ method: 'POST', path: `/api/complaints/cases/${await freshCase()}/notes`, body: { body: 'Called the courier.' } }),
    expect: { admin: 201, manager: 201, support: 201, interviewer: 403, nobody: 401 },
  },
  {
    name: 'reply to the customer',
    call: async () => ({ method: 'POST', path: `/api/complaints/cases/${await freshCase()}/replies`, body: { body: 'We are sending a new one.', version: 1 } }),
    expect: { admin: 201, manager: 201, support: 201, interviewer: 403, nobody: 401 },
  },
  {
    name: 'assign a case',
    call: async ({ agentId }) => ({ method: 'POST', path: `/api/complaints/cases/${await freshCase()}/assign`, body: { assigneeId: agentId, version: 1 } }),
    expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
  },
  {
    name: 'merge a duplicate',
    call: async () => ({ method: 'POST', path: `/api/complaints/cases/${await freshCase()}/merge`, body: { intoId: await freshCase(), version: 1 } }),
    expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
  },
  {
    name: 'replace the status page link',
    call: async () => ({ method: 'POST', path: `/api/complaints/cases/${await freshCase()}/status-link`, body: { version: 1 } }),
    expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
  },
  {
    name: 'assign in bulk',
    call: async ({ agentId }) => ({ method: 'POST', path: '/api/complaints/assign', body: { ids: [await freshCase(), await freshCase()], assigneeId: agentId } }),
    expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 },
  },
  {
    name: 'move a departing agent\'s cases',
    call: async ({ agentId }) => ({ method: 'POST', path: '/api/complaints/reassign', body: { fromUserId: 'someone-gone', toUserIds: [agentId] } }),
    expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 },
  },
  { name: 'list agents', call: async () => ({ method: 'GET', path: '/api/complaints/agents' }), expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
  { name: 'list macros', call: async () => ({ method: 'GET', path: '/api/complaints/macros' }), expect: { admin: 200, manager: 200, support: 200, interviewer: 403, nobody: 401 } },
  {
    name: 'create a macro',
    call: async () => ({ method: 'POST', path: '/api/complaints/macros', body: { name: { en: 'Refund', 'zh-CN': '退款' }, body: { en: 'Your refund is on its way.', 'zh-CN': '退款已在处理中。' } } }),
    expect: { admin: 201, manager: 201, support: 403, interviewer: 403, nobody: 401 },
  },
  {
    name: 'change a macro',
    call: async () => ({ method: 'PUT', path: `/api/complaints/macros/${await freshMacro()}`, body: { name: { en: 'Sorry', 'zh-CN': '抱歉' }, body: { en: 'We are very sorry.', 'zh-CN': '非常抱歉。' } } }),
    expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 },
  },
  { name: 'delete a macro', call: async () => ({ method: 'DELETE', path: `/api/complaints/macros/${await freshMacro()}` }), expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 } },
  { name: 'read the settings', call: async () => ({ method: 'GET', path: '/api/complaints/settings' }), expect: { admin: 200, manager: 200, support: 200, interviewer: 200, nobody: 401 } },
  {
    name: 'change the settings',
    call: async () => {
      const settings = await readComplaintSettings(test.db);
      return { method: 'PUT', path: '/api/complaints/settings', body: { ...settings, closeAfterDays: 10 } };
    },
    expect: { admin: 200, manager: 200, support: 403, interviewer: 403, nobody: 401 },
  },
];

describe('complaints API by role', () => {
  const clients = new Map<Who, StaffClient | null>();
  let agentId = '';
  beforeAll(async () => {
    for (const who of everyone) clients.set(who, who === 'nobody' ? null : await signedInAs(test, who));
    agentId = (await test.db.query.users.findMany()).find((user) => user.role === 'support')!.id;
  });

  for (const route of routes) {
    for (const who of everyone) {
      it(`${route.name}: ${who} → ${route.expect[who]}`, async () => {
        const call = await route.call({ agentId });
        const client = clients.get(who);
        const response = client
          ? await client.request(call.method, call.path, call.body)
          : await test.app.request(call.path, {
              method: call.method,
              headers: call.body === undefined ? {} : { 'content-type': 'application/json' },
              body: call.body === undefined ? undefined : JSON.stringify(call.body),
            });
        const body = await response.text();
        expect(response.status, body).toBe(route.expect[who]);
      });
    }
  }
});

describe('personal data', () => {
  it('an interviewer sees the cases they logged, without contact details, and nobody else\'s', async () => {
    const interviewer = await signedInAs(test, 'interviewer');
    const support = await signedInAs(test, 'support');
    const logged = await interviewer.request('POST', '/api/complaints/cases', {
      channel: 'phone',
      category: 'delivery',
      description: 'Late twice.',
      locale: 'en',
      contactName: 'Zhang San',
      contactPhone: '+86 139 0000 0000',
      contactConsent: true,
      contactChannel: 'phone',
    });
    expect(logged.status).toBe(201);
    const { case: mine } = await logged.json();
    const other = await freshCase();

    const list = await (await interviewer.request('GET', '/api/complaints/cases?queue=all')).json();
    expect(list.cases.map((row: { id: string }) => row.id)).toEqual([mine.id]);
    expect(list.cases[0]).toMatchObject({ contactName: null, customerName: null, personal: false });
    const detail = await (await interviewer.request('GET', `/api/complaints/cases/${mine.id}`)).json();
    expect(detail.case).toMatchObject({ reference: mine.reference, contactName: null, contactPhone: null, contactEmail: null, customer: null, personal: false });
    expect(JSON.stringify(detail)).not.toContain('Zhang San');
    expect((await interviewer.request('GET', `/api/complaints/cases/${other}`)).status).toBe(404);

    // A colleague corrects the phone number: the interviewer sees that the details changed, not what they are.
    expect((await support.request('PATCH', `/api/complaints/cases/${mine.id}`, { version: 1, contactPhone: '+86 139 1111 1111', desiredOutcome: 'A call back' })).status).toBe(200);
    const changed = await (await interviewer.request('GET', `/api/complaints/cases/${mine.id}`)).json();
    expect(JSON.stringify(changed)).not.toMatch(/139 (0000 0000|1111 1111)/);
    expect(changed.events.at(-1)).toMatchObject({ type: 'fields_changed', before: { desiredOutcome: null }, after: { desiredOutcome: 'A call back' } });
    const seen = await (await support.request('GET', `/api/complaints/cases/${mine.id}`)).json();
    expect(seen.case).toMatchObject({ contactName: 'Zhang San', contactPhone: '+86 139 1111 1111', personal: true });
    expect(seen.events.at(-1)).toMatchObject({ before: { contactPhone: '+86 139 0000 0000' }, after: { contactPhone: '+86 139 1111 1111' } });
    expect(JSON.stringify(seen)).not.toMatch(/"(statusToken|replyToken)"/);
  });
});
