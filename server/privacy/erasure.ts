// Erasing customers (GDPR Art. 17, PIPL Art. 47): their identity removed everywhere the catalogue lists it,
// while what the figures count stays (scores, dates, channel, segment, region, tier, purchases, loyalty), so
// every aggregate equals a recomputation from the rows left. Mail not yet sent to them is withdrawn (skipped,
// reason `erased`); a legal hold blocks the erasure and says why; keys of the customers (external id, email)
// are kept only as hashes, so an import or the integration API cannot bring them back; the erasure is
// recorded with the admin's reason and no identity.
//
//   eraseCustomers(db, ids, { reason, actor }) → { erased, alreadyErased, held, missing }
//   clearRows(tx, table, { where, args })   the catalogue's erasure action on chosen rows (retention shares it)
//   setLegalHold(db, id, reason | null)
//   erasedKeyHash('external' | 'email', value), isErasedKey(db, kind, value)
import { createHash } from 'node:crypto';
import type { InStatement, InValue, ResultSet } from '@libsql/client';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Answers } from '../../surveys/answers.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { placeholders, rawOf } from '../db/raw.ts';
import * as schema from '../db/schema.ts';
import { customers, erasedKeys, privacyRequests, surveyVersions } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { catalogue, catalogueEntry, type CatalogueEntry } from './catalogue.ts';
import { textQuestionIds, withoutCustomerWords } from './masking.ts';

export type ErasedKeyKind = 'external' | 'email';

/** A key of an erased customer as kept: a hash, so the id or the address cannot be read back. */
export const erasedKeyHash = (kind: ErasedKeyKind, value: string) =>
  createHash('sha256').update(`${kind}:${kind === 'email' ? value.trim().toLowerCase() : value}`).digest('hex');

/** The external ids or emails, of those given, that belonged to an erased customer (in a drizzle or a libSQL transaction). */
export async function erasedAmong(
  db: DbOrTx | { execute(statement: InStatement): Promise<ResultSet> },
  kind: ErasedKeyKind,
  values: readonly string[],
): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const raw = 'execute' in db && !('select' in db) ? db : rawOf(db as DbOrTx);
  const byHash = new Map(values.map((value) => [erasedKeyHash(kind, value), value]));
  const found = new Set<string>();
  const hashes = [...byHash.keys()];
  for (let start = 0; start < hashes.length; start += 500) {
    const batch = hashes.slice(start, start + 500);
    const result = await raw.execute({ sql: `SELECT key_hash FROM erased_keys WHERE key_hash IN (${placeholders(batch.length)})`, args: batch });
    for (const row of result.rows) found.add(byHash.get(String(row.key_hash))!);
  }
  return found;
}

/** The words an import's rejected row or the integration API's refusal gives for an erased customer. */
export const erasedCustomerText = (key: string) =>
  bilingual(
    `The customer "${key}" asked for their data to be erased, and it was: they are not added again.`,
    `客户 “${key}” 已要求删除其数据，数据已删除，不会再次添加。`,
  );

/**
 * Refuses a customer record naming an erased customer's external id or email (a staff form, the integration
 * API): the customer asked to be erased, and is not added again.
 */
export async function refuseErasedKeys(db: DbOrTx, keys: { externalId?: string | null | undefined; email?: string | null | undefined }) {
  for (const [kind, field, value] of [['external', 'externalId', keys.externalId], ['email', 'email', keys.email]] as const) {
    if (value == null || value === '') continue;
    if ((await erasedAmong(db, kind, [value])).size > 0) {
      const text = erasedCustomerText(value);
      throw new DomainError('gone', text, { [field]: text });
    }
  }
}

/** An erased customer's record is not edited: nothing may fill in again what was erased. */
export function refuseErasedCustomer(customer: { erasedAt: number | null }) {
  if (customer.erasedAt !== null) {
    throw new DomainError('gone', bilingual('This customer’s data was erased at their request; the record cannot be edited.', '该客户的数据已应其要求删除，此记录不能再编辑。'));
  }
}

const tableConfigs = new Map(
  (Object.values(schema) as unknown[])
    .filter((value): value is SQLiteTable => value instanceof SQLiteTable)
    .map((table) => {
      const config = getTableConfig(table);
      return [config.name, config] as const;
    }),
);

/**
 * Rows of a catalogued table chosen by a condition over its own columns, with the condition's arguments: a
 * customer's rows (erasure), or rows older than a period (retention).
 */
export interface RowChoice {
  where: string;
  args: InValue[];
}

/** The rows of `entry` tied to the rows chosen in the table it links through. */
function throughRows(entry: CatalogueEntry, parent: string, choice: RowChoice): RowChoice {
  const link = entry.link as { column: string; through: string; throughColumn: string };
  return { where: `"${link.column}" IN (SELECT "${link.throughColumn}" FROM "${parent}" WHERE ${choice.where})`, args: choice.args };
}

/** The clearing of a table's personal columns: NULL where the column takes it, else the empty text. */
function clearing(entry: CatalogueEntry, personal: Record<string, unknown> = entry.personal): string {
  const columns = tableConfigs.get(entry.table)!.columns;
  return Object.keys(personal)
    .map((name) => {
      const column = columns.find((candidate) => candidate.name === name)!;
      return `"${name}" = ${column.notNull ? "''" : 'NULL'}`;
    })
    .join(', ');
}

/**
 * Does what the catalogue says erasure does to the chosen rows of a table (anonymise: its personal columns
 * cleared; delete; keep: nothing), and the same to the rows of every table tied to them through it, those
 * first (a row deleted here would leave nothing to find them by). Survey answers lose only the customer's own
 * words (free text, the "Other" of a choice): their scores and choices stay for the figures. Erasure chooses a
 * customer's rows; retention chooses rows by age (privacy/retention.ts).
 */
export async function clearRows(tx: DbOrTx, table: string, choice: RowChoice): Promise<void> {
  const entry = catalogueEntry(table);
  if (!entry) throw new Error(`${table} is not in the privacy catalogue.`);
  for (const tied of catalogue) {
    if (tied.link && 'through' in tied.link && tied.link.through === table) await clearRows(tx, tied.table, throughRows(tied, table, choice));
  }
  const raw = rawOf(tx);
  if (entry.erasure === 'keep') return;
  if (entry.erasure === 'delete') {
    await raw.execute({ sql: `DELETE FROM "${table}" WHERE ${choice.where}`, args: choice.args });
    return;
  }
  if (table === 'responses') {
    await removeWords(tx, choice);
    await raw.execute({ sql: `UPDATE responses SET hidden_fields = NULL WHERE ${choice.where}`, args: choice.args });
    return;
  }
  await raw.execute({ sql: `UPDATE "${table}" SET ${clearing(entry)} WHERE ${choice.where}`, args: choice.args });
  if (entry.personalWhere) {
    await raw.execute({
      sql: `UPDATE "${table}" SET ${clearing(entry, entry.personalWhere.columns)} WHERE ${entry.personalWhere.condition} AND (${choice.where})`,
      args: choice.args,
    });
  }
}

/** Free-text answers of the chosen responses: read, their words taken out, written back. */
async function removeWords(tx: DbOrTx, choice: RowChoice) {
  const raw = rawOf(tx);
  const read = await raw.execute({ sql: `SELECT id, version_id, answers FROM responses WHERE ${choice.where}`, args: choice.args });
  const answered = read.rows.map((row) => ({ id: String(row[0]), versionId: String(row[1]), answers: JSON.parse(String(row[2])) as Answers }));
  const versionIds = [...new Set(answered.map((row) => row.versionId))];
  const definitions = versionIds.length
    ? await tx.select({ id: surveyVersions.id, definition: surveyVersions.definition }).from(surveyVersions).where(inArray(surveyVersions.id, versionIds))
    : [];
  const words = new Map(definitions.map((row) => [row.id, textQuestionIds(row.definition.questions)]));
  for (const row of answered) {
    const kept = withoutCustomerWords(row.answers, words.get(row.versionId)!);
    if (kept) await raw.execute({ sql: 'UPDATE responses SET answers = ? WHERE id = ?', args: [JSON.stringify(kept), row.id] });
  }
}

/** The statements that remove the identity of the customers in `ids`, in the catalogue's order. */
async function eraseIdentities(tx: DbOrTx, ids: string[]) {
  // Mail not sent yet is withdrawn before its text is cleared: the sender never sends an emptied message.
  await rawOf(tx).execute({
    sql: `UPDATE outgoing_messages SET status = 'skipped', skip_reason = 'erased' WHERE status IN ('held', 'sending') AND customer_id IN (${placeholders(ids.length)})`,
    args: ids,
  });
  // Each table tied to the customer directly; the tables tied through one of them come with it.
  for (const entry of catalogue) {
    if (!entry.link || 'through' in entry.link) continue;
    await clearRows(tx, entry.table, { where: `"${entry.link.column}" IN (${placeholders(ids.length)})`, args: ids });
  }
}

export interface ErasureResult {
  erased: string[];
  alreadyErased: string[];
  /** Customers under a legal hold, with its reason: not erased. */
  held: { id: string; reason: string }[];
  missing: string[];
}

/**
 * Erases the customers named (at most a batch of a few hundred at a time is sensible: one transaction), skipping
 * those under a legal hold, those already erased and those unknown. Records each erasure.
 */
export async function eraseCustomers(db: Db, ids: readonly string[], input: ErasureInput): Promise<ErasureResult> {
  return db.transaction((tx) => eraseInTransaction(tx, ids, input));
}

export interface ErasureInput {
  reason: string;
  actor: { id: string; name: string };
}

/** eraseCustomers in the caller's transaction (a bulk run records its progress in the same one). */
export async function eraseInTransaction(tx: DbOrTx, ids: readonly string[], input: ErasureInput): Promise<ErasureResult> {
  const unique = [...new Set(ids)];
  {
    const rows = unique.length
      ? await tx
          .select({ id: customers.id, externalId: customers.externalId, email: customers.email, legalHold: customers.legalHold, erasedAt: customers.erasedAt })
          .from(customers)
          .where(inArray(customers.id, unique))
      : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    const result: ErasureResult = { erased: [], alreadyErased: [], held: [], missing: unique.filter((id) => !found.has(id)) };
    for (const row of rows) {
      if (row.erasedAt !== null) result.alreadyErased.push(row.id);
      else if (row.legalHold !== null) result.held.push({ id: row.id, reason: row.legalHold });
      else result.erased.push(row.id);
    }
    if (result.erased.length === 0) return result;
    const erasing = result.erased.map((id) => found.get(id)!);
    const keys = erasing.flatMap((row) => [
      ...(row.externalId === null ? [] : [{ keyHash: erasedKeyHash('external', row.externalId) }]),
      ...(row.email === null ? [] : [{ keyHash: erasedKeyHash('email', row.email) }]),
    ]);
    for (let start = 0; start < result.erased.length; start += 500) {
      const batch = result.erased.slice(start, start + 500);
      await eraseIdentities(tx, batch);
      await tx.update(customers).set({ erasedAt: schema.dbNow, updatedAt: schema.dbNow }).where(and(inArray(customers.id, batch), isNull(customers.erasedAt)));
    }
    for (let start = 0; start < keys.length; start += 500) await tx.insert(erasedKeys).values(keys.slice(start, start + 500)).onConflictDoNothing();
    const records = result.erased.map((customerId) => ({ customerId, kind: 'erasure' as const, reason: input.reason, actorId: input.actor.id, actorName: input.actor.name }));
    for (let start = 0; start < records.length; start += 500) await tx.insert(privacyRequests).values(records.slice(start, start + 500));
    return result;
  }
}

/** One customer erased, or an error a person can act on: unknown, or under a legal hold (with its reason). */
export async function eraseCustomer(db: Db, id: string, input: { reason: string; actor: { id: string; name: string } }) {
  const result = await eraseCustomers(db, [id], input);
  if (result.missing.length) throw new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));
  const held = result.held[0];
  if (held) {
    throw new DomainError(
      'conflict',
      bilingual(
        `This customer is under a legal hold ("${held.reason}"), so their data cannot be erased. An admin lifts the hold first, once the reason no longer applies.`,
        `该客户处于法律保全状态（“${held.reason}”），其数据不能删除。需在原因不再适用后，由管理员先解除保全。`,
      ),
      {},
      { legalHold: held.reason },
    );
  }
  const [row] = await db.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, id));
  return { id, erasedAt: new Date(row!.erasedAt!).toISOString(), alreadyErased: result.alreadyErased.length > 0 };
}

/** Sets a legal hold with its reason, or lifts it (null). */
export async function setLegalHold(db: Db, id: string, reason: string | null) {
  const updated = await db.update(customers).set({ legalHold: reason, updatedAt: schema.dbNow }).where(eq(customers.id, id)).returning({ id: customers.id, legalHold: customers.legalHold });
  if (updated.length === 0) throw new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));
  return updated[0]!;
}
