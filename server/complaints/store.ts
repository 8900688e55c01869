// The writes every change to a case is made of, shared by opening, the service verbs and the deadline sweep:
// a compare-and-set on the case's version, and its events appended in the same transaction.
import { and, eq, sql } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import { complaintCases, complaintEvents } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import type { CaseActor } from './vocabulary.ts';

export type CaseRow = typeof complaintCases.$inferSelect;
export type NewCaseEvent = typeof complaintEvents.$inferInsert;
export type CaseEventRow = typeof complaintEvents.$inferSelect;

/** Who does something to a case, as its events record it. */
export interface Actor {
  type: CaseActor;
  id: string | null;
  name: string | null;
}

export const systemActor: Actor = { type: 'system', id: null, name: null };
export const customerActor: Actor = { type: 'customer', id: null, name: null };

export const staleCaseText = bilingual(
  'Someone else just changed this case. Reload it to see what changed, then try again.',
  '其他人刚刚修改了此案件。请刷新查看改动后再试。',
);

/** The fields of an event that come from who acted. */
export function actorFields(actor: Actor) {
  return { actor: actor.type, actorId: actor.id, actorName: actor.name };
}

/** Appends events, 500 to a statement; an event whose dedupeKey is already recorded is left out. Returns how many were added. */
export async function appendEvents(tx: DbOrTx, events: NewCaseEvent[]): Promise<number> {
  let added = 0;
  for (let start = 0; start < events.length; start += 500) {
    const rows = await tx
      .insert(complaintEvents)
      .values(events.slice(start, start + 500))
      .onConflictDoNothing()
      .returning({ id: complaintEvents.id });
    added += rows.length;
  }
  return added;
}

/**
 * Changes a case if it is still at the version read, raising the version; a case changed meanwhile (another
 * agent, the sweep, the customer) answers 409 and nothing is written.
 */
export async function changeCase(tx: DbOrTx, read: Pick<CaseRow, 'id' | 'version'>, set: Partial<Omit<CaseRow, 'id' | 'version'>>): Promise<CaseRow> {
  const [row] = await tx
    .update(complaintCases)
    .set({ ...set, version: sql`${complaintCases.version} + 1`, updatedAt: set.updatedAt ?? sql`cast(unixepoch('subsec') * 1000 as integer)` })
    .where(and(eq(complaintCases.id, read.id), eq(complaintCases.version, read.version)))
    .returning();
  if (!row) throw new DomainError('conflict', staleCaseText, {}, { stale: true });
  // How a complaint goes moves the customer's loyalty (the recovery part, the complaint rules of the stages).
  if (row.customerId && loyaltyFacts.some((key) => key in set)) await markLoyaltyStale(tx, [row.customerId], 'case');
  return row;
}

/** The case's columns the customer's loyalty reads: a change to one asks for a loyalty update. */
const loyaltyFacts = ['status', 'severity', 'outcome', 'customerId', 'customerLeft', 'handlingScore'] as const satisfies readonly (keyof CaseRow)[];

/** Why a case was escalated. */
export type EscalationReason = 'by_hand' | 'deadline_breached' | 'complained_again';

/**
 * Raises a case's escalation flag with its event, in the caller's transaction. Returns the changed row, or
 * null when there is nothing to do (already escalated, closed or merged), so the sweep can call it on every
 * breach. `read` must be the row as the caller last wrote it (its version is compared).
 */
export async function escalateIn(
  tx: DbOrTx,
  read: CaseRow,
  actor: Actor,
  input: { reason: EscalationReason; at: number; dedupeKey?: string | null; detail?: Record<string, unknown> },
): Promise<CaseRow | null> {
  if (read.escalated || read.status === 'closed' || read.status === 'merged') return null;
  const row = await changeCase(tx, read, { escalated: true, updatedAt: input.at });
  await appendEvents(tx, [
    {
      caseId: read.id,
      type: 'escalated',
      ...actorFields(actor),
      before: { escalated: false },
      after: { escalated: true, reason: input.reason, ...input.detail },
      dedupeKey: input.dedupeKey ?? null,
      at: input.at,
    },
  ]);
  return row;
}
