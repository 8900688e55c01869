// Complaint cases for tests, opened and worked through the case service's own verbs.
import { eq } from 'drizzle-orm';
import type { Db } from '../../server/db/client.ts';
import { complaintCases, users } from '../../server/db/schema.ts';
import { openCases } from '../../server/complaints/opening.ts';
import { addNote, reply, transition, type StaffViewer } from '../../server/complaints/service.ts';
import { readComplaintSettings } from '../../server/complaints/settings.ts';
import { hashPassword } from '../../server/accounts/passwords.ts';

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
