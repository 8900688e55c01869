// Customers: search, read (with the account owner), create, edit (tier by hand or computed, owner, objection to
// profiling), the staff who may own customers, and what each customer has answered.
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNotNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import type { Role } from '../accounts/service.ts';
import { customerLoyalty, customers, loyaltyChanges, responses, surveyVersions, users } from '../db/schema.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { DomainError } from '../errors.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { responseRow } from '../responses/service.ts';
import { decideConsent, factLabel, initialChanges, withdrawnByCustomer, type ConsentState } from './consent.ts';
import { changeRows, latestChanges, recordChanges, type ConsentActor } from './consent-history.ts';
import { refuseErasedCustomer, refuseErasedKeys } from '../privacy/erasure.ts';
import type { ConsentRecord, CustomerInput } from './rules.ts';
import type { ConsentFact, CustomerKind, CustomerTier } from './vocabulary.ts';

type CustomerRow = typeof customers.$inferSelect;

export function toCustomer(row: CustomerRow) {
  return { ...row, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}
export type Customer = ReturnType<typeof toCustomer>;

const notFound = () => new DomainError('not_found', bilingual('No such customer.', '找不到该客户。'));

export interface CustomerQuery {
  /** Part of a name, email, phone number or external id. */
  q?: string;
  segment?: string;
  region?: string;
  tier?: CustomerTier;
  kind?: CustomerKind;
  page: number;
  pageSize: number;
}

const likeEscaped = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

function searchCondition(q: string): SQL {
  const pattern = likeEscaped(q);
  const matches = [customers.name, customers.contactName, customers.email, customers.phone, customers.externalId].map(
    (column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`,
  );
  // "138 0013" finds +86-138-0013-8000: compare digits only when the search looks like a phone number.
  const digits = q.replace(/\D/g, '');
  if (/^[\d\s+()-]+$/.test(q) && digits.length >= 3) {
    matches.push(sql`replace(replace(replace(replace(replace(${customers.phone}, ' ', ''), '-', ''), '+', ''), '(', ''), ')', '') LIKE ${likeEscaped(digits)}`);
  }
  return or(...matches)!;
}

/** The customers a filter matches (the list's filters; a campaign's audience); undefined matches all. */
export function customerFilter(query: Omit<CustomerQuery, 'page' | 'pageSize'>): SQL | undefined {
  const q = query.q?.trim();
  return and(
    q ? searchCondition(q) : undefined,
    query.segment ? eq(customers.segment, query.segment) : undefined,
    query.region ? eq(customers.region, query.region) : undefined,
    query.tier ? eq(customers.tier, query.tier) : undefined,
    query.kind ? eq(customers.kind, query.kind) : undefined,
  );
}

export async function listCustomers(db: Db, query: CustomerQuery) {
  const where = customerFilter(query);
  const rows = await db
    .select()
    .from(customers)
    .where(where)
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [total] = await db.select({ n: count() }).from(customers).where(where);
  return { customers: rows.map(toCustomer), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

/** The segments and regions in use, for the list's filters. */
export async function customerFacets(db: Db) {
  const distinct = async (column: typeof customers.segment | typeof customers.region) => {
    const rows = await db.selectDistinct({ value: column }).from(customers).where(isNotNull(column)).orderBy(asc(column)).limit(500);
    return rows.map((row) => row.value!);
  };
  return { segments: await distinct(customers.segment), regions: await distinct(customers.region) };
}

/** Who may own a customer's account: the staff who read customers. */
export const ownerRoles = ['admin', 'manager', 'support'] as const satisfies readonly Role[];

/** The active staff who may own customers, for the form's list. */
export async function listOwners(db: Db) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, [...ownerRoles])))
    .orderBy(asc(users.name), asc(users.id));
}

/** One customer, with the staff member who owns the account (named as they are now; active or not). */
export async function getCustomer(db: Db, id: string) {
  const [row] = await db
    .select({ customer: customers, ownerName: users.name, ownerActive: users.active })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(eq(customers.id, id));
  if (!row) throw notFound();
  const ownerId = row.customer.ownerId;
  return {
    ...toCustomer(row.customer),
    owner: ownerId === null ? null : { id: ownerId, name: row.ownerName, active: row.ownerActive ?? false },
  };
}
export type CustomerWithOwner = Awaited<ReturnType<typeof getCustomer>>;

const ownerProblem = () => {
  const text = bilingual(
    'The account owner must be an active admin, manager or support agent. Choose one from the list.',
    '客户负责人必须是在职的管理员、经理或客服。请从列表中选择。',
  );
  return new DomainError('bad_request', text, { ownerId: text });
};

async function assertOwner(db: DbOrTx, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [owner] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, ownerId), eq(users.active, true), inArray(users.role, [...ownerRoles])));
  if (!owner) throw ownerProblem();
}

/** A clash on the external id or the email, said at the field that clashes. */
async function assertUnique(db: Db, input: CustomerInput, exceptId?: string) {
  const clash = async (column: typeof customers.externalId | typeof customers.email, value: string | null, text: LocalizedText, field: string) => {
    if (value === null) return;
    const [taken] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(column, value), exceptId ? ne(customers.id, exceptId) : undefined));
    if (taken) throw new DomainError('conflict', text, { [field]: text });
  };
  await clash(
    customers.externalId,
    input.externalId,
    bilingual(`Another customer already has the external id "${input.externalId}".`, `已有其他客户使用外部编号 “${input.externalId}”。`),
    'externalId',
  );
  await clash(
    customers.email,
    input.email,
    bilingual(`Another customer already has the email ${input.email}.`, `已有其他客户使用电子邮件 ${input.email}。`),
    'email',
  );
}

/** Checks before writing; a write that still hits the unique index (another request won the race) says why too. */
async function writeUnique(db: Db, input: CustomerInput, exceptId: string | undefined, write: () => Promise<unknown>) {
  await assertUnique(db, input, exceptId);
  try {
    await write();
  } catch (error) {
    if (!String((error as Error)?.message).includes('UNIQUE constraint failed')) throw error;
    await assertUnique(db, input, exceptId);
    throw error;
  }
}

/** Who is changing a customer: a staff member or an integration. */
export type CustomerActor = Omit<ConsentActor, 'source' | 'note'> & { source: 'staff' | 'api' };

export interface SavedCustomer {
  customer: CustomerWithOwner;
  /** Consent the change asked to give back that the customer had withdrawn themselves: kept withdrawn. */
  consentKept: ConsentFact[];
}

function consentActor(actor: CustomerActor, record: ConsentRecord | undefined): ConsentActor {
  return { ...actor, note: record?.note ?? null };
}

/** The consent fields an input proposes; objectsToProfiling left out keeps `current`'s. */
function proposedConsent(input: CustomerInput, current: boolean): ConsentState {
  return { consents: input.consents, doNotContact: input.doNotContact, doNotCall: input.doNotCall, objectsToProfiling: input.objectsToProfiling ?? current };
}

export async function createCustomer(db: Db, input: CustomerInput, actor: CustomerActor): Promise<CustomerWithOwner> {
  const id = randomUUID();
  const { consentRecord, tier, ownerId, objectsToProfiling: _objection, ...fields } = input;
  const consent = proposedConsent(input, false);
  await assertOwner(db, ownerId);
  await writeUnique(db, input, undefined, () =>
    db.transaction(async (tx) => {
      // Inside the write, so an erasure committed a moment earlier is seen.
      await refuseErasedKeys(tx, input);
      // A tier given with a new customer is set by hand; without one, loyalty tracking keeps it from the start.
      await tx.insert(customers).values({
        id,
        ...fields,
        objectsToProfiling: consent.objectsToProfiling,
        ownerId: ownerId ?? null,
        tier: tier ?? 'ordinary',
        tierSetByHand: tier != null,
      });
      const changes = initialChanges(consent, { source: actor.source, customerRequest: consentRecord?.customerRequest ?? false });
      await recordChanges(tx, changeRows(id, changes, consentActor(actor, consentRecord)));
      if (tier != null) await tx.insert(loyaltyChanges).values(tierChange(id, { before: null, after: tier, byHand: true, cause: actor.source }));
    }),
  );
  return getCustomer(db, id);
}

/** A tier's move made by hand (or handed back to the computed tier), for the customer's loyalty history. */
export function tierChange(
  customerId: string,
  change: { before: CustomerTier | null; after: CustomerTier; byHand: boolean; cause: 'staff' | 'api' | 'import'; at?: number },
): typeof loyaltyChanges.$inferInsert {
  return {
    customerId,
    at: change.at ?? Date.now(),
    field: 'tier',
    before: change.before,
    after: change.after,
    cause: change.cause,
    reasons: [change.byHand ? 'set_by_hand' : 'computed_from_value'],
  };
}

const keptByStaff = (kept: ConsentFact[]) => {
  const labels = kept.map(factLabel);
  const text = bilingual(
    `The customer withdrew ${labels.map((label) => label.en).join(', ')} themselves. To give it back, choose "The customer gave consent again" and say how they gave it.`,
    `客户本人撤回了${labels.map((label) => label['zh-CN']).join('、')}。如需恢复，请选择“客户已再次同意”并说明客户如何给予同意。`,
  );
  return new DomainError('conflict', text, { consents: text }, { consentKept: kept });
};

/**
 * Edits a customer. A withdrawal the customer made stays unless the input renews it explicitly: staff are told
 * so (409); an integration's change is made without it, and the answer lists what was kept withdrawn.
 */
export async function updateCustomer(db: Db, id: string, input: CustomerInput, actor: CustomerActor): Promise<SavedCustomer> {
  const { consentRecord, tier, ownerId, objectsToProfiling: _objection, ...fields } = input;
  await assertOwner(db, ownerId);
  let consentKept: ConsentFact[] = [];
  await writeUnique(db, input, id, () =>
    db.transaction(async (tx) => {
      const [current] = await tx
        .select({
          consents: customers.consents,
          doNotContact: customers.doNotContact,
          doNotCall: customers.doNotCall,
          objectsToProfiling: customers.objectsToProfiling,
          tier: customers.tier,
          tierSetByHand: customers.tierSetByHand,
          computedTier: customerLoyalty.computedTier,
          erasedAt: customers.erasedAt,
        })
        .from(customers)
        .leftJoin(customerLoyalty, eq(customerLoyalty.customerId, customers.id))
        .where(eq(customers.id, id));
      if (!current) throw notFound();
      // Read inside the write: an erasure committed a moment earlier is not written over.
      refuseErasedCustomer(current);
      await refuseErasedKeys(tx, input);
      const latest = (await latestChanges(tx, [id])).get(id) ?? [];
      const decision = decideConsent({
        current,
        proposed: proposedConsent(input, current.objectsToProfiling),
        source: actor.source,
        heldByCustomer: withdrawnByCustomer(latest),
        renewed: new Set(consentRecord?.renewed ?? []),
        customerRequest: consentRecord?.customerRequest ?? false,
      });
      if (decision.kept.length > 0 && actor.source === 'staff') throw keptByStaff(decision.kept);
      consentKept = decision.kept;
      // A tier given is set by hand; null hands it back to loyalty tracking, at the tier the value gives.
      const nextTier = tier === undefined ? current.tier : (tier ?? current.computedTier ?? current.tier);
      const tierFields = tier === undefined ? {} : { tier: nextTier, tierSetByHand: tier !== null };
      await tx
        .update(customers)
        .set({ ...fields, ...decision.next, ...tierFields, ...(ownerId === undefined ? {} : { ownerId }), updatedAt: Date.now() })
        .where(eq(customers.id, id));
      await recordChanges(tx, changeRows(id, decision.changes, consentActor(actor, consentRecord)));
      if (tier !== undefined && (nextTier !== current.tier || (tier === null) === current.tierSetByHand)) {
        await tx.insert(loyaltyChanges).values(tierChange(id, { before: current.tier, after: nextTier, byHand: tier !== null, cause: actor.source }));
      }
      // The engine drops the score of a customer who objects (and brings it back when they no longer do).
      if (decision.next.objectsToProfiling !== current.objectsToProfiling || (tier === null && current.tierSetByHand)) {
        await markLoyaltyStale(tx, [id], actor.source);
      }
    }),
  );
  return { customer: await getCustomer(db, id), consentKept };
}

/** What the customer has answered, newest first, a page at a time, with the survey's title. */
export async function listCustomerResponses(db: Db, input: { customerId: string; before?: string; limit: number }) {
  await getCustomer(db, input.customerId);
  const rows = await db
    .select({
      id: responses.id,
      surveyId: responses.surveyId,
      version: surveyVersions.version,
      surveyTitle: sql<LocalizedText>`json_extract(${surveyVersions.definition}, '$.title')`.mapWith((title: string) => JSON.parse(title) as LocalizedText),
      channel: responses.channel,
      locale: responses.locale,
      submittedAt: responses.submittedAt,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.versionId))
    .where(and(eq(responses.customerId, input.customerId), olderThanCursor(responses.submittedAt, responses.id, input.before)))
    .orderBy(desc(responses.submittedAt), desc(responses.id))
    .limit(input.limit + 1);
  const [total] = await db.select({ n: count() }).from(responses).where(eq(responses.customerId, input.customerId));
  const { page, nextBefore } = pageOf(rows, input.limit, (row) => row.submittedAt);
  return { responses: page.map(responseRow), total: total?.n ?? 0, nextBefore };
}
