// Fixtures for campaign tests: a fresh app per test with a manager signed in, a published survey, customers
// written straight to the database, and a worker running the campaign jobs as a server process would.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import { campaignJobHandlers } from '../../server/campaigns/launch.ts';
import { customers } from '../../server/db/schema.ts';
import { startWorker, type JobHandler, type Worker } from '../../server/jobs/queue.ts';
import { signedInAs, startTestApp, type StaffClient, type TestApp } from './app.ts';

export const publicUrl = 'http://127.0.0.1:3000';

/** A published transactional CSAT survey; its one required question is `csat` (1–5). */
export async function publishedSurvey(manager: StaffClient) {
  const created = await manager.request('POST', '/api/surveys', { templateId: 'transactional-csat' });
  expect(created.status).toBe(201);
  const { survey } = await created.json();
  expect((await manager.request('POST', `/api/surveys/${survey.id}/publish`)).status).toBe(200);
  return survey as { id: string; slug: string };
}

type NewCustomer = typeof customers.$inferInsert;

export async function addCustomer(test: TestApp, fields: Partial<NewCustomer> & { name: string }) {
  const id = fields.id ?? randomUUID();
  await test.db.insert(customers).values({ consents: { email: ['survey'], post: ['survey'], phone: ['survey'] }, ...fields, id });
  return id;
}

/** A worker for the campaign jobs (plus any other handlers), polling often. */
export function startCampaignWorker(test: TestApp, extra: Record<string, JobHandler> = {}, processId = 'campaign-test'): Worker {
  return startWorker({
    db: test.db,
    handlers: { ...extra, ...campaignJobHandlers({ db: test.db, config: { publicUrl } }) },
    processId,
    pollMs: 20,
    backoff: { baseMs: 10, maxMs: 40 },
    onProblem: () => {},
  });
}

/**
 * Each test of the file on a fresh app with a manager signed in. `runWorker` starts the campaign worker (once
 * a test); it is stopped, and the app closed, after each test.
 */
export function campaignTestApp() {
  let test: TestApp | undefined;
  let manager: StaffClient | undefined;
  let worker: Worker | undefined;
  beforeEach(async () => {
    test = await startTestApp();
    manager = await signedInAs(test, 'manager');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    test?.close();
  });
  return {
    get test() {
      return test!;
    },
    get manager() {
      return manager!;
    },
    runWorker() {
      worker ??= startCampaignWorker(test!);
    },
  };
}
