// Complaint cases for tests: opened and worked through the case service's own verbs, or logged through the
// staff API as an agent would; and a case's page opened in the staff app and shown.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Db } from '../../server/db/client.ts';
import { complaintCases, users } from '../../server/db/schema.ts';
import { openCases } from '../../server/complaints/opening.ts';
import { addNote, reply, transition, type StaffViewer } from '../../server/complaints/service.ts';
import { readComplaintSettings } from '../../server/complaints/settings.ts';
import { hashPassword } from '../../server/accounts/passwords.ts';
import type { StaffClient } from './app.ts';

const agent: StaffViewer = { id: 'agent-complaints', name: 'Wang Fang', role: 'support' };
const mailConfig = { publicUrl: 'http://127.0.0.1:3000', replyDomain: 'support.example.com' };

/** The support agent the helpers act as, created once per database. */
async function agentIn(db: Db): Promise<StaffViewer> {
  const [found] = await db.select({ id: users.id }).from(users).where(eq(users.id, agent.id));
  if (!found) {
    await db.insert(users).values({ id: agent.id, email: 'wang.fang@example.com', name: agent.name, role: agent.role, passwordHash: await hashPassword('agent password 1') });
  }
  return agent;
}

/** A case an agent logged from a phone call; the customer agreed to hear back by email. */
export async function openTestCase(
  db: Db,
  fields: { locale?: 'zh-CN' | 'en'; description?: string; contactEmail?: string; contactPhone?: string } = {},
) {
  const [opened] = await openCases(
    db,
    [
      {
        source: 'agent',
        channel: 'phone',
        category: 'delivery',
        description: fields.description ?? 'The parcel never came.',
        locale: fields.locale ?? 'en',
        contactName: 'Li Wei',
        contactEmail: fields.contactEmail ?? 'li.wei@example.net',
        contactPhone: fields.contactPhone ?? null,
        contactConsent: true,
        contactChannel: 'email',
        actor: { type: 'staff', id: agent.id, name: agent.name },
      },
    ],
    await readComplaintSettings(db),
  );
  return opened!;
}

async function versionOf(db: Db, caseId: string) {
  const [row] = await db.select({ version: complaintCases.version }).from(complaintCases).where(eq(complaintCases.id, caseId));
  return row!.version;
}

export async function addTestNote(db: Db, caseId: string, body: string) {
  await addNote(db, await agentIn(db), caseId, { body });
}

export async function agentReplies(db: Db, caseId: string, body: string) {
  await reply(db, mailConfig, await agentIn(db), caseId, { body, version: await versionOf(db, caseId) });
}

export async function resolveTestCase(db: Db, caseId: string) {
  await transition(db, await agentIn(db), caseId, { action: 'resolve', version: await versionOf(db, caseId) });
}

export interface LoggedCase {
  id: string;
  reference: string;
}

/** Logs a case by phone through POST /api/complaints/cases; the fields given replace the defaults. */
export async function logCase(staff: StaffClient, fields: Record<string, unknown> = {}): Promise<LoggedCase> {
  const response = await staff.request('POST', '/api/complaints/cases', {
    channel: 'phone',
    category: 'delivery',
    description: 'The parcel arrived two weeks late and the box was crushed.',
    locale: 'en',
    contactName: 'Chen Jie',
    contactEmail: 'chen.jie@example.cn',
    contactConsent: true,
    contactChannel: 'email',
    ...fields,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { case: logged } = (await response.json()) as { case: LoggedCase };
  return logged;
}

/** Opens a case's page in the staff app and waits until its reference shows. */
export async function openCasePage(page: Page, baseUrl: string, logged: LoggedCase) {
  await page.goto(`${baseUrl}/app/complaints/cases/${encodeURIComponent(logged.id)}`);
  await page.locator('[data-testid="case-reference"]', { hasText: logged.reference }).waitFor();
}
