// After a restore, what customers said after the backup was taken is not undone by it: a customer's "no" wins over
// a restore as it does over an import. Read from the database the restore replaced (kept beside it), and made
// again in the restored one:
// - the keys of erased customers (so an import or the integration API cannot bring them back);
// - each erasure the restored database does not have yet (its reason and admin kept, the note saying why);
// - the latest consent decision the customer made themselves (an unsubscribe, a withdrawal or a renewal they
//   asked for) on each fact, recorded after the backup, where the restored record says otherwise.
// Customers under a legal hold in the restored database are not erased again: they are listed, for an admin to
// look at the hold and erase them by hand.
//
//   carryOverCustomersSay(restored, replaced) → { keys, erased, held, consents }
import { and, eq, gt, inArray, isNull, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { consentChanges, customers, erasedKeys, privacyRequests } from '../db/schema.ts';
import { factValue, stateOf, type ConsentState } from '../customers/consent.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { eraseCustomers } from '../privacy/erasure.ts';
import type { ConsentFact } from '../customers/vocabulary.ts';

const batch = 500;

export interface CarriedOver {
  /** Keys of erased customers added to the restored database. */
  keys: number;
  /** Customers erased again. */
  erased: number;
  /** Customers erased after the backup but under a legal hold in it: not erased again. */
  held: { id: string; reason: string }[];
  /** Consent facts set back to what the customer asked after the backup. */
  consents: number;
}

export async function carryOverCustomersSay(restored: Db, replaced: Db): Promise<CarriedOver> {
  // Keys: every hash the replaced database knew.
  const keyRows = await replaced.select().from(erasedKeys);
  let keys = 0;
  for (let start = 0; start < keyRows.length; start += batch) {
    const added = await restored.insert(erasedKeys).values(keyRows.slice(start, start + batch)).onConflictDoNothing().returning({ key: erasedKeys.keyHash });
    keys += added.length;
  }

  // Erasures: the first recorded for each customer, made again where the restored record still has them.
  const erasures = await replaced
    .select({ customerId: privacyRequests.customerId, reason: privacyRequests.reason, actorId: privacyRequests.actorId, actorName: privacyRequests.actorName })
    .from(privacyRequests)
    .where(eq(privacyRequests.kind, 'erasure'))
    .orderBy(privacyRequests.id);
  const firstErasure = new Map<string, (typeof erasures)[number]>();
  for (const row of erasures) if (!firstErasure.has(row.customerId)) firstErasure.set(row.customerId, row);
  let erased = 0;
  const held: CarriedOver['held'] = [];
  const ids = [...firstErasure.keys()];
  for (let start = 0; start < ids.length; start += batch) {
    const chunk = ids.slice(start, start + batch);
    const present = await restored
      .select({ id: customers.id })
      .from(customers)
      .where(and(inArray(customers.id, chunk), isNull(customers.erasedAt)));
    for (const { id } of present) {
      const erasure = firstErasure.get(id)!;
      const result = await eraseCustomers(restored, [id], {
        reason: `${erasure.reason ?? ''} (erased again after a restore of a backup taken before the erasure)`.trim(),
        actor: { id: erasure.actorId ?? 'restore', name: erasure.actorName ?? 'npm run restore' },
      });
      erased += result.erased.length;
      held.push(...result.held);
    }
  }

  // Consent: the customer's own latest decision on each fact, among the changes made after the backup.
  const [restoredLast] = await restored.select({ id: max(consentChanges.id) }).from(consentChanges);
  const since = restoredLast?.id ?? 0;
  const theirs = await replaced
    .select()
    .from(consentChanges)
    .where(and(eq(consentChanges.customerRequest, true), gt(consentChanges.id, since)))
    .orderBy(consentChanges.id);
  const latest = new Map<string, Map<ConsentFact, (typeof theirs)[number]>>();
  for (const change of theirs) {
    const facts = latest.get(change.customerId) ?? new Map();
    facts.set(change.fact, change);
    latest.set(change.customerId, facts);
  }
  let consents = 0;
  for (const [customerId, facts] of latest) {
    await restored.transaction(async (tx) => {
      const [current] = await tx
        .select({ consents: customers.consents, doNotContact: customers.doNotContact, doNotCall: customers.doNotCall, objectsToProfiling: customers.objectsToProfiling, erasedAt: customers.erasedAt })
        .from(customers)
        .where(eq(customers.id, customerId));
      if (!current || current.erasedAt !== null) return;
      const state: ConsentState = current;
      const differing = [...facts.values()].filter((change) => factValue(state, change.fact) !== change.newValue);
      if (differing.length === 0) return;
      const wanted = new Map(differing.map((change) => [change.fact, change.newValue]));
      const next = stateOf((fact) => wanted.get(fact) ?? factValue(state, fact));
      await tx.update(customers).set({ ...next, updatedAt: Date.now() }).where(eq(customers.id, customerId));
      await tx.insert(consentChanges).values(
        differing.map((change) => ({
          customerId,
          fact: change.fact,
          oldValue: factValue(state, change.fact),
          newValue: change.newValue,
          source: change.source,
          customerRequest: true,
          actorId: change.actorId,
          actorName: change.actorName,
          note: `Made again after a restore of a backup taken before it (first recorded ${new Date(change.changedAt).toISOString()}).`,
        })),
      );
      if (wanted.has('objects_to_profiling')) await markLoyaltyStale(tx, [customerId], 'staff');
      consents += differing.length;
    });
  }
  return { keys, erased, held, consents };
}
