// The consent history: each change to a customer's consent fields, written in the transaction that makes it,
// and read back newest first for the customer page. The latest change of each fact tells which withdrawals
// are the customer's own (customers/consent.ts decides what that allows).
import type { InStatement, ResultSet } from '@libsql/client';
import { and, desc, eq, inArray, lt, max } from 'drizzle-orm';
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { consentChanges, customers } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { factLabel, isFlag, type FactChange, type LastChange } from './consent.ts';
import type { ConsentFact, ConsentSource } from './vocabulary.ts';

/** Who made a change, as the history shows it. */
export interface ConsentActor {
  source: ConsentSource;
  /** A staff user's id, an import's id, an API key's id, the invitation unsubscribed from. */
  actorId: string | null;
  /** The staff member's name, the imported file's name, the API key's name. */
  actorName: string | null;
  note?: string | null;
}

type NewConsentChange = typeof consentChanges.$inferInsert;

export function changeRows(customerId: string, changes: readonly FactChange[], actor: ConsentActor): NewConsentChange[] {
  return changes.map((change) => ({
    customerId,
    fact: change.fact,
    oldValue: change.oldValue,
    newValue: change.newValue,
    source: actor.source,
    customerRequest: change.customerRequest,
    actorId: actor.actorId,
    actorName: actor.actorName,
    note: actor.note ?? null,
  }));
}

export async function recordChanges(tx: DbOrTx, rows: NewConsentChange[]) {
  if (rows.length > 0) await tx.insert(consentChanges).values(rows);
}

/** The latest change of each fact, per customer. */
export async function latestChanges(tx: DbOrTx, customerIds: string[]): Promise<Map<string, LastChange[]>> {
  const byCustomer = new Map<string, LastChange[]>();
  if (customerIds.length === 0) return byCustomer;
  // SQLite takes the bare columns from the row that has the max(id) of its group.
  const rows = await tx
    .select({
      customerId: consentChanges.customerId,
      fact: consentChanges.fact,
      id: max(consentChanges.id),
      newValue: consentChanges.newValue,
      customerRequest: consentChanges.customerRequest,
    })
    .from(consentChanges)
    .where(inArray(consentChanges.customerId, customerIds))
    .groupBy(consentChanges.customerId, consentChanges.fact);
  for (const row of rows) {
    const list = byCustomer.get(row.customerId) ?? [];
    list.push({ fact: row.fact, newValue: row.newValue, customerRequest: row.customerRequest });
    byCustomer.set(row.customerId, list);
  }
  return byCustomer;
}

/** The same, for a raw libSQL transaction (the CSV import writes its batches through one). */
export function latestChangesStatement(customerIds: string[]): InStatement {
  return {
    sql: `SELECT customer_id, fact, max(id) AS id, new_value, customer_request FROM consent_changes
      WHERE customer_id IN (${customerIds.map(() => '?').join(', ') || 'NULL'}) GROUP BY customer_id, fact`,
    args: customerIds,
  };
}

export function latestChangesOf(result: ResultSet): Map<string, LastChange[]> {
  const byCustomer = new Map<string, LastChange[]>();
  for (const row of result.rows) {
    const customerId = String(row.customer_id);
    const list = byCustomer.get(customerId) ?? [];
    list.push({ fact: String(row.fact) as ConsentFact, newValue: Number(row.new_value) === 1, customerRequest: Number(row.customer_request) === 1 });
    byCustomer.set(customerId, list);
  }
  return byCustomer;
}

/** The statement inserting history rows, for a raw libSQL transaction. */
export function changesStatement(rows: NewConsentChange[]): InStatement {
  return {
    sql: `INSERT INTO consent_changes (customer_id, fact, old_value, new_value, source, customer_request, actor_id, actor_name, note) VALUES ${rows
      .map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .join(', ')}`,
    args: rows.flatMap((row) => [
      row.customerId,
      row.fact,
      row.oldValue ? 1 : 0,
      row.newValue ? 1 : 0,
      row.source,
      row.customerRequest ? 1 : 0,
      row.actorId ?? null,
      row.actorName ?? null,
      row.note ?? null,
    ]),
  };
}

/** Why a fact stayed withdrawn, as an API answer or an import's report says it. */
export function keptReason(fact: ConsentFact): LocalizedText {
  const label = factLabel(fact);
  if (isFlag(fact)) {
    return bilingual(
      `${label.en}: kept on at the customer's request. Only the customer's new consent, recorded with how they gave it, lifts it.`,
      `${label['zh-CN']}：应客户要求保持开启。只有记录了来源的客户新同意才能取消。`,
    );
  }
  return bilingual(
    `${label.en}: kept withdrawn at the customer's request. Only the customer's new consent, recorded with how they gave it, gives it back.`,
    `${label['zh-CN']}：应客户要求保持撤回。只有记录了来源的客户新同意才能恢复。`,
  );
}

/** A customer's consent changes, newest first, a page at a time below the id `before`. */
export async function consentHistory(db: Db, input: { customerId: string; before?: number | undefined; limit: number }) {
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
  if (!customer) throw new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));
  const rows = await db
    .select()
    .from(consentChanges)
    .where(and(eq(consentChanges.customerId, input.customerId), input.before === undefined ? undefined : lt(consentChanges.id, input.before)))
    .orderBy(desc(consentChanges.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    changes: page.map(({ customerId: _customerId, changedAt, ...row }) => ({ ...row, label: factLabel(row.fact), changedAt: new Date(changedAt).toISOString() })),
    nextBefore: rows.length > input.limit ? page.at(-1)!.id : null,
  };
}
export type ConsentChange = Awaited<ReturnType<typeof consentHistory>>['changes'][number];
